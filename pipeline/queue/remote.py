"""What a worker does with one document, on any machine: read, classify, extract, file, index.

It reads as the local pool does (``process.analyse``'s steps: separator sheets surveyed first,
an e-invoice or mail read from its structure) and files through the same step as the local
dispatcher (``parts.filer.file_analysis``: stack parts, e-invoice bodies, Allegati, rendering,
PDF/A copies), so the two modes file the same records. Files found inside an original go to the
store and the broker (``queue.handoff``) instead of the watcher's journal.

Every step is idempotent by SHA-256, because the broker delivers at least once:
  * a document whose record is already in the store is only (re)indexed, never read again;
  * version 1 of a record is created exclusively in the store, so two deliveries read at the
    same time file one record (the loser adopts the winner's reading);
  * the index write carries the record version, so a late write never replaces a newer record;
  * the audit "filed" entry is written once per record version.
A document that cannot be filed gets a quarantine note in the store (its original stays under
``incoming/`` until the watcher, who reaches the quarantine folder, takes it out).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from .. import audit, metrics
from ..config import Settings
from ..dispatch import audit_filed
from ..errors import (ArchivioError, IndexError_, IndexUnavailableError, NotFoundError, ReadError,
                      StoreUnavailableError, WorkerCrashedError)
from ..index import open_index
from ..logjson import document
from ..parts.filer import documents_of, file_analysis
from ..process import Analysis, analyse_read, read_pages
from ..records import Page, Record
from ..split import survey
from ..store import open_archive
from ..structured import STRUCTURED, analyse_structured
from ..text import iter_pages
from ..text.pdf import page_count
from ..text.sniff import PDF, sniff
from . import notes
from .handoff import BrokerHandoff
from .payload import job_from_message

log = logging.getLogger(__name__)
OUTAGES = (StoreUnavailableError, IndexUnavailableError)
MAX_DELIVERIES = 3  # a document that has stopped this many workers is quarantined, not handed on


class RemoteWorker:
    """One per worker process, opened after the fork (boto3 and Elasticsearch clients do not
    survive one)."""

    def __init__(self, settings: Settings, send: Callable[[dict[str, Any]], None]):
        """``send``: puts a document's message on the queue (a file found inside an original)."""
        self.settings = settings
        self.archive = open_archive(settings)
        self.index = open_index(settings)
        self.audit = audit.AuditLog(self.archive.store)
        self.handoff = BrokerHandoff(self.archive, settings, send)
        self._deliveries = _DeliveryCounter(settings)

    # -- the whole document ---------------------------------------------------------------
    def process(self, message: dict[str, Any], *, may_split: bool = True) -> tuple[str, int, dict[str, Any]]:
        """("filed" | "filed-before" | "quarantined" | "quarantined-before" | "split", pages, message);
        for "split" the message carries what the parts need (the pages to skip, the separators)."""
        sha = message["sha256"]
        with document(sha):
            if "sent_at" in message:  # clocks of different machines: an estimate, never negative
                waited = max(0.0, time.time() - message["sent_at"])
                metrics.STAGE.labels("queue").observe(waited)
                log.info("%s waited %.3f s in the queue", message["filename"], waited)
            done = self.already_done(message)
            if done:
                return done, 0, message
            if self._deliveries.start(message) > MAX_DELIVERIES:
                self._deliveries.end(message)
                return self.quarantine(message, WorkerCrashedError(
                    f"reading stopped {MAX_DELIVERIES} workers (crash or out of memory); it was not tried again",
                    path=message["filename"])), 0, message
            started = time.monotonic()
            try:
                with self.archive.original_file(sha) as path:
                    media_type = sniff(path)
                    if media_type in STRUCTURED:  # an e-invoice or a mail: fields from its structure
                        with metrics.timed("extract"):
                            analysis, pages = analyse_structured(path, media_type, self.settings), []
                    else:
                        with metrics.timed("read"):
                            # Separator sheets (and blank pages) found before OCR, then not read at all.
                            looked = survey(path, media_type, self.settings)
                            skip = sorted(set(looked.separators) | set(looked.blank))
                            if may_split and self._split_worthy(path, media_type):
                                return "split", page_count(path), {**message, "skip": skip, "separators": {
                                    str(n): kind for n, kind in looked.separators.items()}}
                            media_type, pages = read_pages(path, self.settings, media_type=media_type,
                                                           skip=frozenset(skip))
                            metrics.ocr_pages(pages, time.monotonic() - started)
                        analysis = self._analyse(path, message, media_type, pages, looked.separators, started)
            except NotFoundError:
                return self.quarantine(message, ArchivioError("the stored copy of the file is missing; drop the "
                                                              "file again", path=message["filename"], stage="store")), 0, message
            except OUTAGES:
                raise  # waited out by the task (retried), never quarantined
            except ArchivioError as exc:
                return self.quarantine(message, exc), 0, message
            finally:
                self._deliveries.end(message)  # only a reading cut short by a dead process stays counted
            return self.file(message, analysis, started), analysis.pages, message

    def _analyse(self, path, message: dict[str, Any], media_type: str, pages: list[Page],
                 separators: dict[int, str], started: float) -> Analysis:
        metrics.pages_read(pages)
        with metrics.timed("extract"):
            return analyse_read(path, media_type, pages, separators, self.settings, title=message["filename"],
                                started=started)

    def already_done(self, message: dict[str, Any]) -> str | None:
        sha = message["sha256"]
        if self.archive.has_record(sha):
            # Filed by an earlier delivery that died (or whose index write failed) before its
            # acknowledgement: finish, do not read; with the records that filing linked.
            linked = notes.get_linked(self.archive, sha)
            also = [r for r in (self._record_or_none(i) for i in linked) if r is not None]
            self.index_and_audit(message, self.archive.get_record(sha), also=also)
            if linked:
                notes.clear_linked(self.archive, sha)
            return "filed-before"
        note = notes.get_quarantine(self.archive, sha)
        if note is not None and note.get("received_at") == message["received_at"]:
            return "quarantined-before"
        return None

    def _record_or_none(self, record_id: str) -> Record | None:
        try:
            return self.archive.get_record(record_id)
        except NotFoundError:
            return None

    def _split_worthy(self, path, media_type: str) -> bool:
        threshold = self.settings.queue.split_pages
        return bool(threshold) and media_type == PDF and page_count(path) >= threshold

    # -- parts of a long scan -------------------------------------------------------------
    def read_part(self, message: dict[str, Any], start: int, stop: int) -> list[Page]:
        with document(message["sha256"]), self.archive.original_file(message["sha256"]) as path:
            return list(iter_pages(path, self.settings.ocr, max_pages=self.settings.workers.max_pages,
                                   media_type=PDF, pages=range(start, stop), skip=frozenset(message.get("skip", ()))))

    def assemble(self, message: dict[str, Any], pages: list[Page], started: float) -> str:
        with document(message["sha256"]):
            done = self.already_done(message)
            if done:
                return done
            failed = [p for p in pages if p.method == "empty" and p.warnings]
            if pages and len(failed) == len(pages):
                return self.quarantine(message, ReadError(f"no page could be read ({failed[0].warnings[0]})",
                                                          path=message["filename"]))
            separators = {int(n): kind for n, kind in message.get("separators", {}).items()}
            try:
                with self.archive.original_file(message["sha256"]) as path:  # the archive copy is made from it
                    analysis = self._analyse(path, message, PDF, pages, separators, started)
            except NotFoundError:
                return self.quarantine(message, ArchivioError("the stored copy of the file is missing; drop the "
                                                              "file again", path=message["filename"], stage="store"))
            except OUTAGES:
                raise
            except ArchivioError as exc:
                return self.quarantine(message, exc)
            return self.file(message, analysis, started)

    # -- outcomes -------------------------------------------------------------------------
    def file(self, message: dict[str, Any], analysis: Analysis, started: float) -> str:
        job = job_from_message(message)
        try:
            with metrics.timed("store"):
                filed = file_analysis(self.archive, self.settings, job, analysis, self.handoff)
        except BaseException as exc:
            if analysis.derived:  # a retry reads the document again: its temporary copies go now
                analysis.derived.discard()
            if isinstance(exc, ArchivioError) and not isinstance(exc, OUTAGES):
                return self.quarantine(message, exc)
            raise  # an outage is waited out by the task (retried), never quarantined
        if filed.changed:
            notes.put_linked(self.archive, message["sha256"], [r.id for r in filed.changed])
        self.index_and_audit(message, filed.record, also=filed.changed)
        if filed.changed:
            notes.clear_linked(self.archive, message["sha256"])
        metrics.document_done("filed", filed.record.doc_class)
        log.info("filed %s as %s (%d page(s), %.1f s)", job.filename, filed.record.doc_class, analysis.pages,
                 time.monotonic() - started)
        return "filed"

    def index_and_audit(self, message: dict[str, Any], record: Record, also: list[Record] = ()) -> None:
        documents = documents_of(self.archive, record)
        with metrics.timed("index"):
            report = self.index.upsert(documents + list(also))
        if report.failed:
            raise IndexError_(report.failed[0][1], path=message["filename"])
        for doc in documents:
            audit_filed(self.audit, message["filename"], doc)

    def quarantine(self, message: dict[str, Any], error: ArchivioError) -> str:
        notes.put_quarantine(self.archive, message, error)
        metrics.document_done("quarantined")
        log.warning("quarantined %s: [%s] %s", message["filename"], error.stage, error.reason)
        return "quarantined"


class _DeliveryCounter:
    """How many readings of a document were cut short by a dead worker, across workers (Redis
    brokers only): a file that kills every worker that reads it must not go round the cluster
    for ever. A reading that ends, well or badly, takes its count back."""

    def __init__(self, settings: Settings):
        url = settings.queue.broker_url.get_secret_value()
        self._redis = None
        if url.startswith(("redis://", "rediss://", "unix://")):
            import redis

            self._redis = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=10)

    @staticmethod
    def _key(message: dict[str, Any]) -> str:
        return f"archivio:deliveries:{message['sha256']}:{message['received_at']}"

    def start(self, message: dict[str, Any]) -> int:
        if self._redis is None:
            return 1
        import redis

        try:
            n = self._redis.incr(self._key(message))
            self._redis.expire(self._key(message), 7 * 24 * 3600)
        except redis.RedisError:  # the guard must not stop reading while the broker is away
            return 1
        return int(n)

    def end(self, message: dict[str, Any]) -> None:
        if self._redis is None:
            return
        import redis

        try:
            self._redis.decr(self._key(message))
        except redis.RedisError:
            pass
