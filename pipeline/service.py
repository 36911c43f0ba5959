"""The long-running jobs: ``watch`` (the inbox, until stopped) and ``ingest`` (given files, once).

Both assemble the same parts (archive, index, journal, quarantine, worker pool, dispatcher);
only where files come from differs.
"""

from __future__ import annotations

import contextlib
import fcntl
import fnmatch
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .config import Settings
from .dispatch import Dispatcher, Done
from .errors import ArchivioError, IndexUnavailableError, StoreUnavailableError
from .health import INDEX, STORE, Health, StatusFile
from .index import open_index
from .intake import Intake, IntakeResult
from .folders import safe_relative
from .journal import Job, Journal
from .quarantine import Quarantine
from .safefs import Signature, walk_beneath
from .store import open_archive, sha256_file
from .workers import WorkerPool

log = logging.getLogger(__name__)


class DataDirLocked(ArchivioError):
    stage = "start"


@contextlib.contextmanager
def data_dir_lock(settings: Settings) -> Iterator[None]:
    """One writer per data directory: two watchers on one journal would take files twice."""
    settings.paths.data.mkdir(parents=True, exist_ok=True)
    lock_path = settings.paths.data / "archivio.lock"
    fh = lock_path.open("a+")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.seek(0)
        other = fh.read().strip() or "?"
        fh.close()
        raise DataDirLocked(f"another Archivio process (pid {other}) is already working on {settings.paths.data}; "
                            "stop it first or point this one at another data directory") from None
    fh.seek(0)
    fh.truncate()
    fh.write(str(os.getpid()))
    fh.flush()
    try:
        yield
    finally:
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


@dataclass
class Parts:
    settings: Settings
    journal: Journal
    intake: Intake
    dispatcher: Dispatcher
    closers: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        for close in reversed(self.closers):
            with contextlib.suppress(Exception):
                close()


def assemble(settings: Settings, on_done: Callable[[Done], None], workers: int | None = None) -> Parts:
    if settings.queue.backend == "celery":
        from .queue import require_shared_services

        require_shared_services(settings, "watch")
    for folder in (settings.paths.inbox, settings.paths.processed, settings.paths.quarantine,
                   settings.paths.duplicates, settings.paths.data):
        folder.mkdir(parents=True, exist_ok=True)
    archive = open_archive(settings)
    archive.store.check()  # a wrong bucket or credentials must stop start-up with one clear line
    health = Health(describe={STORE: settings.store_location, INDEX: settings.index.backend})
    index = open_index(settings)
    try:
        index.check()
    except IndexUnavailableError as exc:
        # The store is the source of truth: filing goes on, the index catches up when it is back.
        health.failed(INDEX, exc.reason)
    journal = Journal(settings.journal_path)
    quarantine = Quarantine(settings.paths.quarantine)
    intake = Intake(settings, archive, journal, quarantine)
    recovered = journal.recover()
    if recovered:
        log.info("%d document(s) interrupted last time are back in the queue", recovered)
    if settings.queue.backend == "celery":
        from .queue.sender import BrokerDispatcher  # Celery is imported only when configured

        dispatcher: Dispatcher = BrokerDispatcher(settings, archive=archive, index=index, journal=journal,
                                                  quarantine=quarantine, on_done=on_done, health=health)
    else:
        dispatcher = Dispatcher(settings, archive=archive, index=index, journal=journal, quarantine=quarantine,
                                pool=WorkerPool(settings, size=workers, background=True), on_done=on_done,
                                health=health)
    return Parts(settings, journal, intake, dispatcher, [archive.store.close, index.close, journal.close])


def finish_handoffs(parts: Parts) -> None:
    """Jobs committed whose file may not have left the inbox (a crash in between)."""
    settings = parts.settings
    for job in parts.journal.unfinished_handoffs():
        if job.source.exists():
            parts.intake.take(job.source, root=settings.paths.inbox)
        else:
            # Moved before the crash: find it in processed/ so that a later failure moves that
            # file to quarantine instead of leaving a copy in both places.
            parts.journal.handed_off(job.id, find_moved(settings.paths.processed, settings.paths.inbox, job))


def find_moved(processed: Path, inbox: Path, job: Job) -> Path | None:
    try:
        relative = safe_relative(job.source.relative_to(inbox).as_posix())
    except ValueError:
        return None
    first = processed / relative
    candidates = [first] + [first.with_name(f"{first.stem} ({n}){first.suffix}") for n in range(2, 50)]
    for candidate in candidates:
        if candidate.is_file() and sha256_file(candidate) == job.sha256:
            return candidate
    return None


class StopFlag:
    """Set by SIGINT/SIGTERM; the loops finish their current step and shut down cleanly."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.signals = 0

    def install(self) -> None:
        def handler(signum, frame):
            self.signals += 1
            if self.signals > 1:
                raise KeyboardInterrupt  # a second Ctrl-C: stop now, the journal requeues
            log.info("stopping: finishing documents in progress (Ctrl-C again to stop at once)")
            self.event.set()

        signal.signal(signal.SIGINT, handler)
        signal.signal(signal.SIGTERM, handler)

    def __bool__(self) -> bool:
        return self.event.is_set()


def run_watch(settings: Settings, *, stop: StopFlag, on_intake: Callable[[IntakeResult], None],
              on_done: Callable[[Done], None]) -> None:
    with data_dir_lock(settings):
        parts = assemble(settings, on_done)
        if settings.queue.metrics_port:
            from . import metrics

            metrics.serve(settings.queue.metrics_port)
        health = parts.dispatcher.health
        status = StatusFile(settings.paths.data / "watch-status.json")
        from .watch import InboxWatcher  # watchdog: for `watch` only, not `ingest`

        watcher = InboxWatcher(settings)
        mail = None
        if settings.mail.accounts:
            from .mail.poller import MailPoller  # IMAP and mail parsing only when mailboxes are configured
            from .mail.watcher import MailWatcher

            mail = MailWatcher(MailPoller(settings, parts.intake))
        left: dict[Path, Signature] = {}  # files that cannot leave the inbox, or sit behind a link
        try:
            finish_handoffs(parts)
            watcher.start()
            if mail is not None:
                mail.start()  # a thread per mailbox folder fetches; messages are filed here, below
            while not stop:
                if mail is not None and health.ready(STORE):
                    for result in mail.ready():  # mailboxes: a second inbox, same intake
                        on_intake(result)
                # Intake copies into the store: while the store is down, files wait in the inbox.
                if health.ready(STORE):
                    for path in watcher.ready():
                        if stop:
                            break
                        settled = watcher.tracker.settled.pop(path, None)
                        if settled is not None and left.get(path) == settled:
                            continue  # reported once already; taken again only once it changes
                        result = _take(parts, path, settings.paths.inbox, expect=settled)
                        parts.dispatcher.taken(result)
                        if result.outcome in ("stuck", "refused") and settled is not None:
                            left[path] = settled
                        if result.outcome == "changing":
                            watcher.tracker.add(path)
                        if result.outcome != "unavailable":
                            on_intake(result)
                        else:
                            watcher.tracker.add(path)
                            health.failed(STORE, result.message)
                            break
                parts.dispatcher.pump(timeout=0.3)
                status.write({"inbox": str(settings.paths.inbox), "candidates": len(watcher.tracker),
                              "left_in_inbox": sorted(str(p) for p in left)[:100],
                              **({"mailboxes": mail.state()} if mail is not None else {}),
                              **parts.dispatcher.state()})
        finally:
            watcher.stop()
            if mail is not None:
                mail.close()
            requeued = parts.dispatcher.shutdown(settings.workers.shutdown_grace if stop else 0)
            if requeued:
                log.info("%d document(s) in progress go back to the queue for next time", requeued)
            status.clear()
            parts.close()


def run_ingest(settings: Settings, paths: Iterable[Path | tuple[Path, Path | None]], *, stop: StopFlag, handoff: str,
               on_intake: Callable[[IntakeResult], None], on_done: Callable[[Done], None],
               workers: int | None = None) -> None:
    """Take the given files (folders are walked) and process them and anything queued."""
    with data_dir_lock(settings):
        parts = assemble(settings, on_done, workers)
        try:
            for item in paths:
                if stop:
                    break
                path, root = item if isinstance(item, tuple) else (item, None)
                on_intake(_take(parts, path, root, handoff=handoff))
                parts.dispatcher.pump(timeout=0)
            while not stop and (parts.dispatcher.in_flight or parts.dispatcher.pending()):
                parts.dispatcher.pump(timeout=0.3)
        finally:
            parts.dispatcher.shutdown(settings.workers.shutdown_grace if stop else 0)
            parts.close()


def _take(parts: Parts, path: Path, root: Path | None, handoff: str | None = None,
          expect: Signature | None = None) -> IntakeResult:
    try:
        return parts.intake.take(path, root=root, handoff=handoff, expect=expect)
    except StoreUnavailableError as exc:
        return IntakeResult("unavailable", path, exc.reason)
    except ArchivioError as exc:
        # The store or journal failed: the file stays where it is and is taken later.
        log.error("could not take %s: %s", path, exc)
        return IntakeResult("changing", path, str(exc))
    except OSError as exc:
        log.error("could not take %s: %s", path, exc)
        return IntakeResult("changing", path, str(exc))


def expand(paths: Iterable[Path], ignore: Iterable[str] = ()) -> tuple[list[tuple[Path, Path | None]], list[Path]]:
    """Files named, and the files inside folders named, in a stable order, each with the folder
    it was found under (its sub-folders are kept as a hint, as in the inbox); and the files
    skipped because ``watch.ignore`` matches a part of their path, as the watcher skips them.

    Folders are walked without entering a symbolic link.
    """
    patterns = list(ignore)
    out: list[tuple[Path, Path | None]] = []
    skipped: list[Path] = []
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            for relative in walk_beneath(path):
                if any(fnmatch.fnmatch(part, pat) for part in relative.split("/") for pat in patterns):
                    skipped.append(path / relative)
                else:
                    out.append((path / relative, path))
        else:
            out.append((path, None))
    return out, skipped


def largest_first(files: list[tuple[Path, Path | None]]) -> list[tuple[Path, Path | None]]:
    """A batch in the order to read it: largest file first (files of one size keep their order).
    A scan's size follows its pages and ink, so its reading time: started first, a long scan
    reads while the small ones share the other cores, instead of being the batch's tail that
    one worker reads alone while the others wait (longest job first)."""
    def size(item: tuple[Path, Path | None]) -> int:
        try:
            # lstat: a link is never followed here, wherever it points (intake refuses it).
            return item[0].lstat().st_size
        except OSError:
            return 0  # intake says what is wrong with it

    return sorted(files, key=size, reverse=True)  # sorted() stays stable when reversed


def wait_until(predicate: Callable[[], bool], timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
