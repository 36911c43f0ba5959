"""The inbox never reaches outside itself: a file is taken only as the very inode that settled,
reached without following a link in any folder on the way, and moved without replacing anything."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from docgen import italian_invoice
from pipeline.intake import Intake
from pipeline.journal import Journal
from pipeline.quarantine import Quarantine
from pipeline.safefs import signature
from pipeline.store import open_archive


@pytest.fixture
def intake(settings):
    return Intake(settings, open_archive(settings), Journal(settings.journal_path), Quarantine(settings.paths.quarantine))


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_ino)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _swap_for_link(inbox_dir: Path, outside: Path) -> None:
    shutil.rmtree(inbox_dir)
    inbox_dir.symlink_to(outside, target_is_directory=True)


def _outside_twins(tmp_path: Path, inside: dict[str, Path]) -> Path:
    """Files elsewhere with the same names, sizes and times as the ones that settled in the inbox."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    for name, src in inside.items():
        twin = outside / name
        twin.write_bytes(b"%PDF-1.4 " + b"s" * (src.stat().st_size - 9))  # a secret, looking like a PDF
        os.utime(twin, ns=(src.stat().st_atime_ns, src.stat().st_mtime_ns))
    return outside


def test_a_folder_swapped_for_a_link_after_settling_is_not_followed(intake, settings, tmp_path):
    inbox = settings.paths.inbox
    (inbox / "evil").mkdir()
    doc = italian_invoice(inbox / "evil" / "x.pdf", seed=1)
    settled = signature(doc.path.lstat())
    outside = _outside_twins(tmp_path, {"x.pdf": doc.path})
    before = _snapshot(outside)
    _swap_for_link(inbox / "evil", outside)

    result = intake.take(inbox / "evil" / "x.pdf", root=inbox)  # as `archivio ingest` or a restart would
    assert result.outcome == "refused", result
    result = intake.take(inbox / "evil" / "x.pdf", root=inbox, expect=settled)  # as the watcher does
    assert result.outcome in ("refused", "changing"), result
    assert _snapshot(outside) == before
    assert not list(intake.archive.store.iter_keys("incoming/"))
    assert not any(settings.paths.processed.rglob("*")) and not any(settings.paths.quarantine.rglob("*"))


def test_a_file_replaced_after_settling_is_not_taken(intake, settings):
    inbox = settings.paths.inbox
    doc = italian_invoice(inbox / "a.pdf", seed=2)
    settled = signature(doc.path.lstat())
    other = italian_invoice(inbox / ".other.pdf", seed=3)
    os.replace(other.path, doc.path)  # another inode under the same name
    result = intake.take(doc.path, root=inbox, expect=settled)
    assert result.outcome == "changing"
    assert doc.path.exists() and not list(intake.archive.store.iter_keys("incoming/"))


def test_a_file_that_cannot_leave_the_inbox_is_not_copied_again_and_again(intake, settings):
    doc = italian_invoice(settings.paths.inbox / "locked.pdf", seed=4)
    if subprocess.run(["chattr", "+i", str(doc.path)], capture_output=True).returncode != 0:
        pytest.skip("this file system cannot make a file immutable")
    try:
        outcomes = []
        for _ in range(3):  # the watcher retakes a file that looks changed
            try:
                outcomes.append(intake.take(doc.path, root=settings.paths.inbox).outcome)
            except OSError as exc:
                outcomes.append(type(exc).__name__)
        copies = [p for p in settings.paths.processed.rglob("*") if p.is_file()]
        assert copies == [], f"{len(copies)} copies made of a file that cannot be removed"
        assert outcomes == ["stuck"] * 3
        assert doc.path.exists()
    finally:
        subprocess.run(["chattr", "-i", str(doc.path)], check=False)


def test_a_file_rewritten_between_hashing_and_deleting_is_not_deleted(intake, settings, monkeypatch):
    doc = italian_invoice(settings.paths.inbox / "d.pdf", seed=5)
    real_put = intake.archive.put_incoming

    def put_then_scanner_rewrites(path, sha, metadata):
        real_put(path, sha, metadata)
        with open(doc.path, "ab") as fh:  # same inode, new bytes: not what was stored
            fh.write(b"% page two\n")

    monkeypatch.setattr(intake.archive, "put_incoming", put_then_scanner_rewrites)
    result = intake.take(doc.path, root=settings.paths.inbox, handoff="delete")
    assert result.outcome == "changing"
    assert doc.path.exists()


def test_a_hand_off_never_replaces_a_file_another_process_put_there(intake, settings, monkeypatch):
    import pipeline.folders
    import pipeline.intake

    mine = settings.paths.processed / "f.pdf"
    mine.write_bytes(b"someone else's file")

    def racing_view(folder: Path, relative: str) -> Path:  # checked free, taken just after
        return folder / pipeline.folders.safe_relative(relative)

    monkeypatch.setattr(pipeline.folders, "unique_destination", racing_view)
    monkeypatch.setattr(pipeline.intake, "unique_destination", racing_view, raising=False)
    doc = italian_invoice(settings.paths.inbox / "f.pdf", seed=6)
    result = intake.take(doc.path, root=settings.paths.inbox)
    assert result.outcome == "queued"
    assert mine.read_bytes() == b"someone else's file"
    assert result.moved_to != mine and result.moved_to.exists()


def test_the_quarantine_never_moves_through_a_linked_folder_of_processed(intake, settings, tmp_path):
    """processed/ may sit inside the inbox: a failure later must not follow a link put there."""
    from pipeline.dispatch import _open_same_content

    (settings.paths.inbox / "sub").mkdir()
    doc = italian_invoice(settings.paths.inbox / "sub" / "q.pdf", seed=7)
    result = intake.take(doc.path, root=settings.paths.inbox)
    moved = result.moved_to
    outside = _outside_twins(tmp_path, {"q.pdf": moved})
    shutil.copyfile(moved, outside / "q.pdf")  # even the same bytes: a link is not followed
    before = _snapshot(outside)
    _swap_for_link(settings.paths.processed / "sub", outside)
    assert _open_same_content(settings.paths.processed, moved, result.job.sha256) is None
    assert _snapshot(outside) == before


def test_ingest_of_a_folder_keeps_sub_folder_hints_and_says_what_it_skipped(settings, tmp_path):
    from pipeline.service import expand

    src = tmp_path / "src"
    (src / "fornitori").mkdir(parents=True)
    (src / "fornitori" / "a.pdf").write_bytes(b"%PDF-1.4")
    (src / "..strano.pdf").write_bytes(b"%PDF-1.4")
    (src / "fornitori" / "b.pdf.part").write_bytes(b"%PDF-1.4")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.pdf").write_bytes(b"%PDF-1.4")
    (src / "link").symlink_to(outside, target_is_directory=True)
    files, skipped = expand([src], settings.watch.ignore)
    assert files == [(src / "fornitori" / "a.pdf", src), (src / "link", src)]
    assert sorted(skipped) == [src / "..strano.pdf", src / "fornitori" / "b.pdf.part"]


@pytest.mark.slow
def test_a_running_watcher_follows_no_folder_swapped_for_a_link_and_copies_a_locked_file_once(office, tmp_path):
    """The review's attack on a real `archivio watch`: files settle in inbox/evil, the folder
    becomes a link to files elsewhere of the same size and time; and an immutable file."""
    import signal

    from test_watch_e2e import Watcher, status, wait_for

    inbox = office / "inbox"
    (inbox / "evil").mkdir()
    bait = {"x.pdf": italian_invoice(inbox / "evil" / "x.pdf", seed=11).path,
            "x.toml": inbox / "evil" / "x.toml"}
    bait["x.toml"].write_bytes(b"[s3]\nsecret_key = 'not for the archive'\n")
    outside = _outside_twins(tmp_path, bait)
    before = _snapshot(outside)
    locked = italian_invoice(inbox / "locked.pdf", seed=12).path
    immutable = subprocess.run(["chattr", "+i", str(locked)], capture_output=True).returncode == 0
    watcher = Watcher(office, ARCHIVIO_WATCH_SETTLE_SECONDS="3", ARCHIVIO_WATCH_RESCAN_SECONDS="1")
    try:
        time.sleep(1.0)  # seen, not yet settled
        _swap_for_link(inbox / "evil", outside)
        marker = italian_invoice(inbox / "marker.pdf", seed=13).path
        wait_for(lambda: not marker.exists(), 90, "the marker file taken", watcher)
        time.sleep(4)  # several rescans of the locked file and of the link
        assert watcher.alive()
        assert watcher.stop(signal.SIGTERM) == 0
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(locked)], check=False)
        if watcher.alive():
            watcher.stop(signal.SIGKILL)
    assert _snapshot(outside) == before
    assert not (office / "processed" / "evil").exists()
    # The link itself may be set aside (as any link dropped in the inbox), never what it points to.
    assert not (office / "quarantine" / "evil").exists() or (office / "quarantine" / "evil").is_symlink()
    if immutable:
        assert locked.exists()
        assert [p.name for p in (office / "processed").rglob("locked*")] == []
        assert watcher.output().count("left in place") == 1, watcher.output()
    assert status(office)["jobs"]["filed"] >= 1
