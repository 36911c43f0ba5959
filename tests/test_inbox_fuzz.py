"""Property test of the inbox (issue 11): random trees of files, folders and links (to places
inside and outside the inbox), with renames, deletions and folder-for-link swaps racing the
watcher between a file settling and its intake, and while it is being copied.

Invariants:
  * nothing outside the inbox is read, moved or deleted: each outside file keeps its place, its
    bytes, its inode and its access time (set older than its modification time, so that any
    read would move it on a relatime mount), and none of their bytes reaches the store;
  * every regular file inside ends archived (store + processed/), quarantined, a duplicate, or
    still in the inbox with a reason (refused, stuck, changing; or its name is ignored) — and once
    the races stop, a second pass takes everything that is not ignored.

The real watcher's scan, stability tracker and intake run in this process (no OCR: intake is what
touches the inbox); examples are few and small so that this stays within seconds in CI.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, example, given, settings as hsettings, strategies as st  # noqa: E402

from pipeline.intake import Intake  # noqa: E402
from pipeline.journal import Journal  # noqa: E402
from pipeline.quarantine import Quarantine  # noqa: E402
from pipeline.store import open_archive  # noqa: E402
from pipeline.watch import InboxWatcher  # noqa: E402
from support import make_settings  # noqa: E402

DIRS = st.lists(st.sampled_from(["a", "sub"]), max_size=2).map("/".join)
FILE = st.sampled_from(["x.pdf", "y.pdf", "z.tiff", ".h.pdf", "n (2).pdf", "..z.pdf"])
PATHS = st.tuples(DIRS, FILE).map(lambda t: f"{t[0]}/{t[1]}" if t[0] else t[1])
DIRPATHS = st.lists(st.sampled_from(["a", "sub"]), min_size=1, max_size=2).map("/".join)
ANY = st.one_of(PATHS, DIRPATHS)
CONTENT = st.sampled_from(["pdf", "pdf", "pdf", "empty", "junk", "same"])

CREATE = st.one_of(
    st.tuples(st.just("file"), PATHS, CONTENT),
    st.tuples(st.just("file"), PATHS, CONTENT),
    st.tuples(st.just("dir"), DIRPATHS, st.none()),
    st.tuples(st.just("link-out-file"), PATHS, st.none()),
    st.tuples(st.just("link-out-dir"), DIRPATHS, st.none()),
    st.tuples(st.just("link-in"), ANY, ANY),
)
RACE = st.one_of(
    st.tuples(st.just("delete"), ANY, st.none()),
    st.tuples(st.just("rename"), ANY, ANY),
    st.tuples(st.just("swap-dir-for-link-out"), DIRPATHS, st.none()),
    st.tuples(st.just("replace-file"), PATHS, CONTENT),
    st.tuples(st.just("append"), PATHS, st.none()),
)


def _content(kind: str, n: int) -> bytes:
    return {"pdf": b"%PDF-1.4\n% inside " + str(n).encode() + b"\n", "empty": b"", "junk": b"MZ\x90 not a document",
            "same": b"%PDF-1.4\n% the same bytes every time\n"}[kind]


class World:
    def __init__(self, root: Path):
        self.root = root
        self.inbox = root / "inbox"
        self.outside = root / "outside"
        (self.outside / "dir").mkdir(parents=True)
        self.secrets = {}
        # Named as files in the inbox are, so that a folder swapped for a link to "dir" lines up.
        for rel in ("secret.pdf", "dir/x.pdf", "dir/y.pdf", "dir/z.tiff"):
            path = self.outside / rel
            path.write_bytes(b"%PDF-1.4\n% outside, never to be taken: " + rel.encode() + b"\n")
            st_ = path.stat()
            os.utime(path, ns=(st_.st_mtime_ns - 10**12, st_.st_mtime_ns))  # atime well before mtime
        self.before = self.snapshot_outside()
        self.counter = 0

    def snapshot_outside(self) -> dict[str, tuple]:
        out = {}
        for path in sorted(self.outside.rglob("*")):
            if path.is_file() and not path.is_symlink():
                s = path.stat()
                data = path.read_bytes()
                os.utime(path, ns=(s.st_atime_ns, s.st_mtime_ns))  # our own look leaves no trace
                out[path.relative_to(self.outside).as_posix()] = (data, s.st_ino, s.st_atime_ns, s.st_mtime_ns)
        return out

    def apply(self, op: tuple) -> None:
        kind, rel, arg = op
        target = self.inbox / rel
        try:
            if kind in ("file", "replace-file"):
                if kind == "replace-file" and not (target.is_file() and not target.is_symlink()):
                    return
                target.parent.mkdir(parents=True, exist_ok=True)
                self.counter += 1
                tmp = target.with_name(f".tmp-{self.counter}")
                tmp.write_bytes(_content(arg, self.counter))
                os.replace(tmp, target)
            elif kind == "dir":
                target.mkdir(parents=True, exist_ok=True)
            elif kind == "link-out-file":
                target.parent.mkdir(parents=True, exist_ok=True)
                target.symlink_to(self.outside / "secret.pdf")
            elif kind == "link-out-dir":
                target.parent.mkdir(parents=True, exist_ok=True)
                target.symlink_to(self.outside / "dir", target_is_directory=True)
            elif kind == "link-in":
                target.parent.mkdir(parents=True, exist_ok=True)
                target.symlink_to(self.inbox / arg)
            elif kind == "delete":
                if target.is_dir() and not target.is_symlink():
                    shutil.rmtree(target)
                else:
                    target.unlink()
            elif kind == "rename":
                dest = self.inbox / arg
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.rename(target, dest)
            elif kind == "swap-dir-for-link-out":
                if target.is_dir() and not target.is_symlink():
                    shutil.rmtree(target)
                    target.symlink_to(self.outside / "dir", target_is_directory=True)
            elif kind == "append":
                if target.is_file() and not target.is_symlink():
                    with target.open("ab") as fh:
                        fh.write(b"% more\n")
        except OSError:
            pass  # an operation a real user could not do either (a file where a folder is, ...)


def _regular_files(folder: Path) -> dict[str, bytes]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in filenames:
            path = Path(dirpath, name)
            if not path.is_symlink() and path.is_file():
                out[path.relative_to(folder).as_posix()] = path.read_bytes()
    return out


def _take_all(watcher: InboxWatcher, intake: Intake, inbox: Path, races: list, world: World,
              during_copy: list) -> list:
    watcher.scan()
    ready = watcher.tracker.ready()
    for op in races:
        world.apply(op)
    results = []
    for path in ready:
        results.append(intake.take(path, root=inbox, expect=watcher.tracker.settled.pop(path, None)))
        for op in during_copy:  # the next file's intake finds the world changed again
            world.apply(op)
        during_copy = []
    return results


@pytest.mark.slow
# The review's attack, always tried: a folder settled, then swapped for a link to files elsewhere.
@example(tree=[("file", "sub/x.pdf", "pdf"), ("file", "sub/z.tiff", "junk")],
         races=[("swap-dir-for-link-out", "sub", None)], during_copy=[])
@example(tree=[("file", "a/x.pdf", "pdf"), ("file", "a/y.pdf", "pdf")], races=[],
         during_copy=[("swap-dir-for-link-out", "a", None)])
@hsettings(max_examples=40, deadline=None, derandomize=True,
           suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(tree=st.lists(CREATE, min_size=1, max_size=10), races=st.lists(RACE, max_size=4),
       during_copy=st.lists(RACE, max_size=2))
def test_the_inbox_never_reaches_outside_and_loses_nothing(tree, races, during_copy):
    root = Path(tempfile.mkdtemp(prefix="inbox-fuzz-"))
    try:
        settings = make_settings(root, **{"watch.settle_seconds": 0})
        for folder in (settings.paths.inbox, settings.paths.processed, settings.paths.quarantine,
                       settings.paths.duplicates, settings.paths.data):
            folder.mkdir(parents=True, exist_ok=True)
        world = World(root)
        for op in tree:
            world.apply(op)
        archive = open_archive(settings)
        intake = Intake(settings, archive, Journal(settings.journal_path), Quarantine(settings.paths.quarantine))
        watcher = InboxWatcher(settings)

        results = _take_all(watcher, intake, settings.paths.inbox, races, world, during_copy)
        inside_after_races = _regular_files(settings.paths.inbox)
        results += _take_all(watcher, intake, settings.paths.inbox, [], world, [])  # the races stopped

        # Nothing outside was read, moved or deleted, and none of it reached the store.
        assert world.snapshot_outside() == world.before
        outside_hashes = {hashlib.sha256(v[0]).hexdigest() for v in world.before.values()}
        stored = {key.rsplit("/", 1)[1] for key in archive.store.iter_keys("incoming/")}
        assert not outside_hashes & stored
        for folder in (settings.paths.processed, settings.paths.quarantine, settings.paths.duplicates):
            assert not {hashlib.sha256(b).hexdigest() for b in _regular_files(folder).values()} & outside_hashes

        # Every regular file inside ended somewhere, or is still in the inbox for a reason.
        kept = set(_regular_files(settings.paths.processed).values()) | set(_regular_files(
            settings.paths.quarantine).values()) | set(_regular_files(settings.paths.duplicates).values())
        remaining = _regular_files(settings.paths.inbox)
        for rel, data in inside_after_races.items():
            assert data in kept or rel in remaining or data in remaining.values(), f"{rel} was lost"
        ignored = settings.watch.ignore
        for rel in remaining:
            reasons = [r for r in results if r.path == settings.paths.inbox / rel and r.outcome in
                       ("refused", "stuck", "changing", "gone")]
            assert any(fnmatch.fnmatch(part, pat) for part in rel.split("/") for pat in ignored) or reasons, \
                f"{rel} was left in the inbox without a reason: {[(r.path, r.outcome) for r in results]}"
        assert not any(r.outcome == "stuck" for r in results)  # nothing here is immutable
    finally:
        shutil.rmtree(root, ignore_errors=True)
