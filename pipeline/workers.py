"""A pool of worker processes that read documents, with a hard time limit per document.

Why not ``concurrent.futures.ProcessPoolExecutor``: when one worker dies (a native crash in a
PDF or image library, the out-of-memory killer) the executor breaks as a whole, and a stuck
Tesseract cannot be stopped from outside. Here each worker is its own process on its own pipe:
a worker that dies or overruns ``workers.document_timeout`` is replaced and only its document
fails, with a reason.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import signal
import threading
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from .config import Settings
from .errors import ArchivioError, DocumentTimeoutError, DocumentTooLargeError, ReadError, WorkerCrashedError
from . import cores, forking

log = logging.getLogger(__name__)

# A document sent ahead is in a worker's pipe when it finishes the one it reads: it does not wait
# while the dispatcher files what it just read (fsyncs, index, audit: 5-15 ms a document, about a
# tenth of a born-digital batch's reading time). At most one per worker, and one fewer than there
# are workers: one worker always takes its next document when it is free, so that a document is
# never left waiting behind a long one while another worker has nothing to do.
def _ahead_allowed(workers: int) -> int:
    return max(1, workers - 1) if workers else 0


@dataclass(frozen=True)
class Task:
    job_id: int
    sha256: str
    filename: str
    size: int = 0  # bytes: which worker a document is sent ahead to


@dataclass
class TaskResult:
    task: Task
    analysis: Any = None  # process.Analysis on success
    error: ArchivioError | None = None


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this worker when its parent dies, even by SIGKILL: an orphaned worker
    would go on burning a core on a document nobody will file. The parent is the watcher, or the
    fork server, which exits as soon as the watcher is gone."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    try:  # the watcher died while we were starting, before the request took hold
        os.kill(parent, 0)
    except ProcessLookupError:
        os._exit(0)
    except PermissionError:
        pass


def start_server(settings: Settings) -> None:
    """The fork server, started before the pool when workers will be local (``forking.start_server``);
    not when a broker's workers read the documents."""
    if settings.queue.backend != "celery":
        forking.start_server()


def _worker_main(conn: Connection, settings_json: str, parent: int, counts=None, slot: int = 0) -> None:
    _die_with_parent(parent)
    # Tesseract's OpenMP threads fight each other when several workers share the cores.
    os.environ["OMP_THREAD_LIMIT"] = "1"
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when we stop
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from .config import Settings
    from .logjson import document
    from .process import analyse
    from .store import open_archive

    settings = Settings.model_validate_json(settings_json)
    archive = open_archive(settings)
    if counts is not None:
        cores.install(counts, slot)  # read a long scan's pages on the cores of idle workers too
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        task: Task = message
        try:
            with document(task.sha256), archive.original_file(task.sha256) as path:
                reply = ("ok", analyse(path, settings, title=task.filename))
        except ArchivioError as exc:
            reply = ("error", _portable(exc, task))
        except MemoryError:
            reply = ("error", _portable(ReadError("ran out of memory while reading the document"), task))
        except Exception as exc:  # an unexpected library error must not kill the worker
            log.debug("worker error on %s:\n%s", task.filename, traceback.format_exc())
            reply = ("error", _portable(ReadError(f"unexpected {type(exc).__name__}: {exc}"), task))
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return  # the watcher is gone; the journal hands the document to the next one


def _portable(exc: ArchivioError, task: Task) -> dict:
    """Exceptions with keyword state do not survive pickling: send their parts instead."""
    return {"type": type(exc).__name__, "reason": exc.reason, "stage": exc.stage, "path": task.filename}


def _rebuild(data: dict) -> ArchivioError:
    from . import errors

    cls = getattr(errors, data["type"], ReadError)
    if not (isinstance(cls, type) and issubclass(cls, ArchivioError)):
        cls = ReadError
    return cls(data["reason"], path=data["path"], stage=data["stage"])


class _Worker:
    def __init__(self, ctx: mp.context.BaseContext, settings_json: str, number: int, counts=None, slot: int = 0):
        parent, child = ctx.Pipe()
        self.conn = parent
        self.process = ctx.Process(target=_worker_main, args=(child, settings_json, os.getpid(), counts, slot),
                                   name=f"archivio-worker-{number}", daemon=True)
        self.process.start()
        child.close()
        # The document it reads, then the one sent ahead of its need (``WorkerPool.free``), if any.
        self.tasks: list[Task] = []
        self.started = 0.0  # when it began the first of them

    @property
    def task(self) -> Task | None:
        """The document it is reading (or about to: the pipe holds it), if any."""
        return self.tasks[0] if self.tasks else None

    def send(self, task: Task) -> None:
        if not self.tasks:
            self.started = time.monotonic()
        self.tasks.append(task)
        self.conn.send(task)

    def finished(self) -> Task:
        """The document it answered for; it now reads the one sent ahead, if any."""
        task = self.tasks.pop(0)
        if self.tasks:
            self.started = time.monotonic()
        return task

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    def __init__(self, settings: Settings, size: int | None = None, *, background: bool = False):
        """``background``: the workers are started on a thread and the pool has none until they are
        all up (``idle`` is 0, ``collect`` waits for them), so that the caller takes files in while
        the fork server is still importing the reading code."""
        self.settings = settings
        self.size = size or settings.workers.processes
        self.timeout = settings.workers.document_timeout
        self.max_memory = settings.workers.max_memory_mb * 1024 * 1024
        self._ctx = forking.context()
        self._settings_json = settings.model_dump_json(context={"reveal_secrets": True})
        self._count = 0
        self._cores = cores.shared_counts(self._ctx, self.size)  # idle workers, cores each borrowed
        self._workers: list[_Worker] = []
        self._ready = threading.Event()
        self._start_error: BaseException | None = None
        self._starter: threading.Thread | None = None
        if background:
            self._starter = threading.Thread(target=self._start, name="archivio-workers-start", daemon=True)
            self._starter.start()
        else:
            self._start()
            self._raise_start_error()

    def _start(self) -> None:
        started: list[_Worker] = []
        try:
            for slot in range(self.size):
                started.append(self._spawn(slot))
            self._workers = started  # all at once, when all are up
            cores.publish_idle(self._cores, self.idle)
        except BaseException as exc:  # raised on the caller's thread, by the next call that needs workers
            for worker in started:
                worker.kill()
            self._start_error = exc
        finally:
            self._ready.set()

    def _raise_start_error(self) -> None:
        if self._start_error is not None:
            raise self._start_error

    def _spawn(self, slot: int) -> _Worker:
        self._count += 1
        return _Worker(self._ctx, self._settings_json, self._count, self._cores, slot)

    @property
    def workers(self) -> list[_Worker]:
        return self._workers

    @property
    def idle(self) -> int:
        """Workers with no document at all."""
        return sum(1 for w in self._workers if w.task is None)

    @property
    def free(self) -> int:
        """Documents the pool takes now: one for each idle worker, and those it may send ahead."""
        ahead = sum(len(w.tasks) - 1 for w in self._workers if len(w.tasks) > 1)
        return self.idle + max(0, _ahead_allowed(len(self._workers)) - ahead)

    @property
    def busy(self) -> list[Task]:
        """Every document the workers hold: read now, or sent ahead."""
        return [t for w in self._workers for t in w.tasks]

    def submit(self, task: Task) -> None:
        """To an idle worker; else ahead (``free``), behind the smallest document being read (the
        one begun last among equals), likely the first done."""
        if not self.free:
            raise RuntimeError("no idle worker")
        worker = min((w for w in self._workers if len(w.tasks) < 2),
                     key=lambda w: (len(w.tasks), w.tasks[0].size if w.tasks else 0, -w.started))
        worker.send(task)
        cores.publish_idle(self._cores, self.idle)

    def collect(self, timeout: float = 0.5) -> list[TaskResult]:
        """Results that arrived within ``timeout``; overrunning or dead workers are replaced."""
        results: list[TaskResult] = []
        if not self._ready.is_set():
            self._ready.wait(timeout)  # back as soon as the workers are up, to be given documents
            self._raise_start_error()
            return results
        self._raise_start_error()
        busy = {w.conn: w for w in self._workers if w.task is not None}
        if busy:
            for conn in wait(list(busy), timeout=timeout):
                worker = busy[conn]
                try:
                    status, payload = conn.recv()
                except (EOFError, OSError):
                    results.append(self._replace(worker, WorkerCrashedError(
                        f"the worker reading this document died (exit code {worker.process.exitcode}); "
                        "the file may be damaged or too large for memory", path=worker.task.filename)))
                    continue
                task = worker.finished()
                if status == "ok":
                    results.append(TaskResult(task, analysis=payload))
                else:
                    results.append(TaskResult(task, error=_rebuild(payload)))
        elif timeout:
            time.sleep(timeout)
        now = time.monotonic()
        for worker in list(self._workers):
            if worker.task is None:
                continue
            if now - worker.started > self.timeout:
                results.append(self._replace(worker, DocumentTimeoutError(
                    f"reading took longer than {self.timeout:.0f} s (workers.document_timeout) and was stopped",
                    path=worker.task.filename)))
                continue
            used = tree_rss(worker.process.pid)
            if used > self.max_memory:
                results.append(self._replace(worker, DocumentTooLargeError(
                    f"reading needed more than {self.max_memory // 1048576} MB of memory "
                    f"({used // 1048576} MB; workers.max_memory_mb) and was stopped", path=worker.task.filename)))
        cores.publish_idle(self._cores, self.idle)
        return results

    def _replace(self, worker: _Worker, error: ArchivioError) -> TaskResult:
        task, ahead = worker.tasks[0], worker.tasks[1:]
        worker.kill()
        slot = self._workers.index(worker)
        self._workers[slot] = replacement = self._spawn(slot)
        for queued in ahead:  # sent ahead, never begun: the new worker reads it
            replacement.send(queued)
        cores.publish_idle(self._cores, self.idle, replaced=slot)  # what it borrowed ends with it
        return TaskResult(task, error=error)

    def drain(self, grace: float) -> list[TaskResult]:
        """Give in-flight documents up to ``grace`` seconds to finish; return what finished."""
        deadline = time.monotonic() + grace
        finished: list[TaskResult] = []
        while self.busy and time.monotonic() < deadline:
            finished.extend(self.collect(timeout=min(0.5, max(0.01, deadline - time.monotonic()))))
        return finished

    def close(self) -> list[Task]:
        """Stop every worker; return the tasks that were still running (to be requeued)."""
        if self._starter is not None:
            self._starter.join()  # workers still starting are stopped with the others
        unfinished = self.busy
        for worker in self._workers:
            if worker.task is None:
                try:
                    worker.conn.send(None)
                except OSError:
                    pass
        for worker in self._workers:
            if worker.task is None:
                worker.process.join(2)
            worker.kill()
        return unfinished


def tree_rss(pid: int) -> int:
    """Resident memory in bytes of a process and all its descendants (Tesseract runs as a child)."""
    total = 0
    stack = [pid]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            with open(f"/proc/{current}/statm") as fh:
                total += int(fh.read().split()[1]) * _PAGE
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError, IndexError):
            continue
    return total


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
