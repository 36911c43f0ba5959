"""The Celery tasks: thin wrappers over ``RemoteWorker`` that turn outages into retries.

A store or index outage is waited out (the task is retried with backoff, never quarantined); a
reading over ``workers.document_timeout`` (Celery's soft time limit) is quarantined like in the
embedded pool. A long scan is read as a chord: parts on any workers, then one assembly that
files it. The assembly checks that the parts cover every page exactly once (a part delivered
twice after a lost acknowledgement must not double a page) and reads any gap itself.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from celery import Celery, chord
from celery.exceptions import SoftTimeLimitExceeded

from ..config import Settings
from ..errors import ArchivioError, DocumentTimeoutError
from ..workers import _rebuild
from .app import ASSEMBLE, PROCESS, READ_PART
from .payload import pages_from_json, pages_to_json
from .remote import OUTAGES, RemoteWorker

log = logging.getLogger(__name__)
_worker: RemoteWorker | None = None


def worker(settings: Settings, app: Celery) -> RemoteWorker:
    global _worker
    if _worker is None:  # in the pool process, after the fork
        def send(message: dict[str, Any]) -> None:  # a file found inside an original: a document of its own
            app.send_task(PROCESS, args=[{**message, "sent_at": time.time()}], queue=settings.queue.name)

        _worker = RemoteWorker(settings, send)
    return _worker


def backoff(retries: int) -> float:
    return min(60.0, 2.0 * 2 ** retries)


def parts_of(pages: int, size: int) -> list[tuple[int, int]]:
    return [(start, min(start + size, pages)) for start in range(0, pages, size)]


def register(app: Celery, settings: Settings) -> None:
    timeout = DocumentTimeoutError(f"reading took longer than {settings.workers.document_timeout:.0f} s "
                                   "(workers.document_timeout) and was stopped")

    # Only a long scan's parts return what another task reads (the chord's assembly): a document's
    # outcome and an assembly's are read by no one, and storing them would hold a worker that
    # filed its document on the result store while Redis is away (until the hard time limit).
    @app.task(name=PROCESS, bind=True, max_retries=None, ignore_result=True)
    def process(self, message: dict[str, Any]) -> str:
        w = worker(settings, app)
        try:
            outcome, pages, message = w.process(message)
        except SoftTimeLimitExceeded:
            return w.quarantine(message, _named(timeout, message))
        except OUTAGES as exc:
            log.warning("%s waits: %s", message["filename"], exc.reason)
            raise self.retry(countdown=backoff(self.request.retries)) from None
        if outcome == "split":
            header = [read_part.s(message, start, stop) for start, stop in parts_of(pages, settings.queue.split_part)]
            chord(header)(assemble.s(message, pages, time.time()))
            log.info("%s: %d pages read in %d parts", message["filename"], pages, len(header))
        return outcome

    @app.task(name=READ_PART, bind=True, max_retries=None)
    def read_part(self, message: dict[str, Any], start: int, stop: int) -> dict[str, Any]:
        try:
            return {"start": start, "stop": stop, "pages": pages_to_json(worker(settings, app).read_part(message, start, stop))}
        except SoftTimeLimitExceeded:
            return {"start": start, "stop": stop, "error": _portable(_named(timeout, message))}
        except OUTAGES:
            raise self.retry(countdown=backoff(self.request.retries)) from None
        except ArchivioError as exc:  # a raised error would break the chord: the assembly decides
            return {"start": start, "stop": stop, "error": _portable(exc)}

    @app.task(name=ASSEMBLE, bind=True, max_retries=None, ignore_result=True)
    def assemble(self, parts: list[dict[str, Any]], message: dict[str, Any], pages: int, sent_at: float) -> str:
        w = worker(settings, app)
        started = time.monotonic() - max(0.0, time.time() - sent_at)
        try:
            errors = [p["error"] for p in parts if "error" in p]
            if errors:
                return w.quarantine(message, _rebuild(errors[0]))
            by_start = {p["start"]: p for p in parts}  # a part delivered twice counts once
            read = []
            for start, stop in parts_of(pages, settings.queue.split_part):
                part = by_start.get(start)
                read.extend(pages_from_json(part["pages"]) if part else w.read_part(message, start, stop))
            return w.assemble(message, read, started)
        except SoftTimeLimitExceeded:
            return w.quarantine(message, _named(timeout, message))
        except OUTAGES:
            raise self.retry(countdown=backoff(self.request.retries)) from None


def _named(error: ArchivioError, message: dict[str, Any]) -> ArchivioError:
    return type(error)(error.reason, path=message["filename"], stage=error.stage)


def _portable(exc: ArchivioError) -> dict[str, Any]:
    return {"type": type(exc).__name__, "reason": exc.reason, "stage": exc.stage, "path": exc.path}
