"""Watching the inbox: which files are there, and which of them are complete.

``watchdog`` reports changes (inotify on a local disk; a polling observer for SMB/NFS shares,
which send no events). A file becomes ready once its size and modification time have held still
for ``watch.settle_seconds``: a scanner or a copy over the network writes a file in many steps.
A file a local program wrote and closed (inotify's close-write) is ready at once. A periodic
full rescan catches anything an event queue overflow lost.
"""

from __future__ import annotations

import fnmatch
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from .config import Settings
from .safefs import OutsideRoot, Signature, signature, stat_beneath

log = logging.getLogger(__name__)

# Seconds a closed file must stay unwritten before it is taken without the settle time.
_CLOSE_GRACE = 0.25


@dataclass
class _Seen:
    size: int
    mtime_ns: int
    since: float


class StabilityTracker:
    """Remembers candidate files and says which have stopped changing.

    Files are looked at under ``root`` without following a link anywhere on the way; what
    settled (device, inode, size, time) is kept in ``settled`` so that intake takes that very
    file and nothing that replaced it or a folder above it.
    """

    def __init__(self, settle_seconds: float, root: Path | None = None):
        self.settle = settle_seconds
        self.root = root
        self._seen: dict[Path, _Seen] = {}
        self.settled: dict[Path, Signature] = {}
        self._lock = threading.Lock()

    def _lstat(self, path: Path) -> os.stat_result:
        if self.root is None:
            return path.lstat()
        return stat_beneath(self.root, path.relative_to(self.root))

    def add(self, path: Path) -> None:
        with self._lock:
            self._seen.setdefault(path, _Seen(-1, -1, time.monotonic()))

    def written(self, path: Path) -> None:
        """A write event: the file is being written again, whatever a close said before (events
        are handled after the fact, so a close may be seen after the next write began)."""
        with self._lock:
            self._seen[path] = _Seen(-1, -1, time.monotonic())

    def closed(self, path: Path) -> None:
        """A local writer closed the file (inotify IN_CLOSE_WRITE): it is complete as it stands
        and need not hold still for the settle time. Its size and time now are what counts, so
        a write after this starts the settle time again."""
        try:
            st = path.lstat()
        except OSError:
            return  # gone already; ready() would drop it
        if not st.st_size:
            return  # created empty and closed, to be reopened and written (Pillow, touch): settle
        with self._lock:
            # A short grace lets the write event of a writer that reopens at once arrive first.
            since = time.monotonic() - max(self.settle - _CLOSE_GRACE, 0)
            self._seen[path] = _Seen(st.st_size, st.st_mtime_ns, since)

    def discard(self, path: Path) -> None:
        with self._lock:
            self._seen.pop(path, None)

    def __len__(self) -> int:
        return len(self._seen)

    def ready(self) -> list[Path]:
        now = time.monotonic()
        out: list[Path] = []
        with self._lock:
            for path, seen in list(self._seen.items()):
                try:
                    st = self._lstat(path)
                except (FileNotFoundError, NotADirectoryError, ValueError, OutsideRoot):
                    del self._seen[path]  # removed, renamed, or now behind a link: not taken
                    continue
                if (st.st_size, st.st_mtime_ns) != (seen.size, seen.mtime_ns):
                    self._seen[path] = _Seen(st.st_size, st.st_mtime_ns, now)
                    if self.settle > 0:
                        continue
                if now - self._seen[path].since >= self.settle:
                    out.append(path)
                    self.settled[path] = signature(st)
                    del self._seen[path]
        return sorted(out)


class InboxWatcher(FileSystemEventHandler):
    def __init__(self, settings: Settings):
        self.settings = settings
        self.inbox = settings.paths.inbox
        self.tracker = StabilityTracker(settings.watch.settle_seconds, self.inbox)
        # The office may keep processed/ or quarantine/ inside the inbox: never take from them.
        self._excluded = [p.resolve() for p in (settings.paths.processed, settings.paths.quarantine,
                                                settings.paths.duplicates, settings.paths.data)]
        self._observer = None
        self._last_scan = 0.0

    # -- what counts as a candidate -------------------------------------------------------
    def wanted(self, path: Path) -> bool:
        try:
            relative = path.relative_to(self.inbox)
        except ValueError:
            return False
        for part in relative.parts:
            if any(fnmatch.fnmatch(part, pattern) for pattern in self.settings.watch.ignore):
                return False
        resolved_parent = path.parent.resolve()
        return not any(resolved_parent == ex or ex in resolved_parent.parents for ex in self._excluded)

    def scan(self) -> int:
        """Add every file now in the inbox (start-up and the periodic safety net)."""
        added = 0
        for dirpath, dirnames, filenames in os.walk(self.inbox, followlinks=False):
            base = Path(dirpath)
            dirnames[:] = [d for d in dirnames if self.wanted(base / d / "x")]
            for name in filenames:
                path = base / name
                if self.wanted(path):
                    self.tracker.add(path)
                    added += 1
        self._last_scan = time.monotonic()
        return added

    # -- watchdog callbacks (observer thread) ---------------------------------------------
    def on_created(self, event: FileSystemEvent) -> None:
        self._consider(event.src_path, event.is_directory)

    def on_modified(self, event: FileSystemEvent) -> None:
        path = Path(os.fsdecode(event.src_path))
        if not event.is_directory and self.wanted(path):
            self.tracker.written(path)
        else:
            self._consider(event.src_path, event.is_directory)

    def on_moved(self, event: FileSystemEvent) -> None:
        self.tracker.discard(Path(os.fsdecode(event.src_path)))
        self._consider(event.dest_path, event.is_directory)

    def on_closed(self, event: FileSystemEvent) -> None:
        # Only inotify reports a close, and only for writers on this machine; polling (network
        # shares, where the settle time is the only signal) never gets here.
        path = Path(os.fsdecode(event.src_path))
        if not event.is_directory and self.wanted(path):
            self.tracker.closed(path)
        else:
            self._consider(event.src_path, event.is_directory)

    def _consider(self, raw: str | bytes, is_directory: bool) -> None:
        path = Path(os.fsdecode(raw))
        if is_directory:
            # A folder moved in whole brings files no event will name (a link to one brings none).
            if self.wanted(path / "x") and not path.is_symlink():
                for dirpath, _, filenames in os.walk(path, followlinks=False):
                    for name in filenames:
                        if self.wanted(Path(dirpath) / name):
                            self.tracker.add(Path(dirpath) / name)
            return
        if self.wanted(path):
            self.tracker.add(path)

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> None:
        self.inbox.mkdir(parents=True, exist_ok=True)
        if self.settings.watch.polling:
            self._observer = PollingObserver(timeout=self.settings.watch.poll_interval)
        else:
            self._observer = Observer()
        self._observer.schedule(self, str(self.inbox), recursive=True)
        self._observer.start()
        found = self.scan()
        log.info("watching %s (%s)%s", self.inbox, "polling" if self.settings.watch.polling else "events",
                 f"; {found} file(s) already there" if found else "")

    def ready(self) -> list[Path]:
        rescan = self.settings.watch.rescan_seconds
        if rescan and time.monotonic() - self._last_scan > rescan:
            self.scan()
        return self.tracker.ready()

    def stop(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(5)
            self._observer = None
