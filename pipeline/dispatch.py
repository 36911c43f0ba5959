"""The dispatcher: queued jobs to workers, finished analyses to the store and the index.

One ``pump`` call claims jobs for idle workers, collects what the workers finished and files
or quarantines each document. ``archivio watch`` and ``archivio ingest`` both drive it.

Filing order, so that a crash at any point is repaired by simply running the job again:
original to its permanent key → record into the store (``stored``) → record into the index
(``filed``). A job whose record is already in the store is finished without being read again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import audit
from .config import Settings
from .errors import ArchivioError, IndexError_, IndexUnavailableError, StoreUnavailableError
from .faults import crash_point
from .health import INDEX, STORE, Health
from .index import SearchIndex
from .intake import Intake
from .parts.filer import documents_of, file_analysis
from .parts.filing import IntakeHandoff
from .journal import FILED, QUEUED, RUNNING, STORED, Job, Journal
from .logjson import document
from .process import Analysis
from .quarantine import Quarantine
from .records import Record
from .safefs import Opened, open_beneath
from .store import Archive
from .store.archive import incoming_key
from .workers import Task, WorkerPool

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Done:
    """What became of one job, for progress output."""

    job: Job
    outcome: str  # "filed" | "quarantined" | "retry"
    message: str
    record: Record | None = None
    seconds: float = 0.0


class Dispatcher:
    def __init__(self, settings: Settings, *, archive: Archive, index: SearchIndex, journal: Journal,
                 quarantine: Quarantine, pool: WorkerPool, on_done: Callable[[Done], None] | None = None,
                 health: Health | None = None):
        self.settings = settings
        self.archive = archive
        self.index = index
        self.journal = journal
        self.quarantine = quarantine
        self.pool = pool
        self.on_done = on_done or (lambda done: None)
        self.health = health or Health()
        self.audit = audit.AuditLog(archive.store)
        # Files found inside an original (e-invoice Allegati, mail attachments) enter as the inbox's do.
        self.intake = Intake(settings, archive, journal, quarantine)
        self._running: dict[int, tuple[Job, float]] = {}
        # Read, but not yet filed because the store was down: filed when it is back, not read again.
        self._unfiled: dict[int, tuple[Job, Analysis, float]] = {}
        self._refused: set[str] = set()  # records the index refused: not retried until a restart
        self._catch_up_at = 0.0

    # -- the loop body --------------------------------------------------------------------
    def pump(self, timeout: float = 0.5) -> None:
        if self._unfiled and self.health.ready(STORE):
            for job, analysis, seconds in list(self._unfiled.values()):
                del self._unfiled[job.id]
                self._file(job, analysis, seconds)
        self._dispatch()
        results = self.pool.collect(timeout=timeout)
        if results and not any(isinstance(r.error, StoreUnavailableError) for r in results):
            # Workers just freed get their next document before this one is filed (fsyncs,
            # audit, index), instead of waiting through the filing.
            self._dispatch()
        for result in results:
            job, started = self._running.pop(result.task.job_id)
            with document(job.sha256):
                if isinstance(result.error, StoreUnavailableError):
                    # Reading needs the stored copy: an outage is waited out, never quarantined.
                    self.health.failed(STORE, result.error.reason)
                    self.journal.requeue(job.id)
                elif result.error is not None:
                    self._fail(job, result.error)
                else:
                    self._file(job, result.analysis, time.monotonic() - started)
        self._catch_up_index()

    def taken(self, result) -> None:
        """Intake took a file (queued, duplicate, rejected…): the broker dispatcher notes duplicates
        in the store; the embedded one has nothing more to do."""

    def _dispatch(self) -> None:
        idle, free = self.pool.idle, self.pool.free
        if not free or not self.health.ready(STORE):
            return
        try:
            # Documents are sent ahead of a worker's need (``WorkerPool.free``) only while at least
            # two a worker would still wait behind them: the batch's last ones go to whichever
            # worker is free first, or one could be left reading two long ones while another has
            # nothing (a file's size says little of its reading time: a short contract's dense
            # text takes longer than a long invoice's images).
            if free > idle and self.journal.queued() < free + 2 * len(self.pool.workers):
                free = idle
            if not free:
                return
            for job in self.journal.claim(free):
                self._start(job)
        except StoreUnavailableError as exc:
            self.health.failed(STORE, exc.reason)

    def _start(self, job: Job) -> None:
        try:
            if self.archive.has_record(job.sha256):
                # Filed before a crash cut the bookkeeping short: finish it, do not read it again.
                self._finish(job, self.archive.get_record(job.sha256), 0.0)
                return
            stored = self.archive.has_incoming(job.sha256) or self.archive.has_original(job.sha256)
        except StoreUnavailableError:
            self.journal.requeue(job.id)
            raise
        self.health.ok(STORE)
        if not stored:
            self._fail(job, ArchivioError("the stored copy of the file is missing; drop the file again",
                                          path=job.filename, stage="store"))
            return
        self._running[job.id] = (job, time.monotonic())
        self.pool.submit(Task(job.id, job.sha256, job.filename, job.size))

    @property
    def in_flight(self) -> int:
        return len(self._running) + len(self._unfiled)

    def pending(self) -> int:
        counts = self.journal.counts()
        return counts[QUEUED] + counts[RUNNING]

    def state(self) -> dict:
        """For the status file: what is being read and what waits for which service."""
        return {
            "reading": [job.filename for job, _ in self._running.values()],
            "waiting_to_file": [job.filename for job, _, _ in self._unfiled.values()],
            "waiting_for": self.health.snapshot(),
        }

    # -- outcomes -------------------------------------------------------------------------
    def _file(self, job: Job, analysis: Analysis, seconds: float) -> None:
        try:
            crash_point("dispatch.before_file")
            filed = file_analysis(self.archive, self.settings, job, analysis, IntakeHandoff(self.archive, self.intake))
        except StoreUnavailableError as exc:
            self.health.failed(STORE, exc.reason)
            self._unfiled[job.id] = (job, analysis, seconds)
            return
        except ArchivioError as exc:
            self._fail(job, exc, analysis)
            return
        self.health.ok(STORE)
        # No "stored" commit of its own: indexing follows at once and marks the job filed, or stored
        # when the index is away or refuses it; a crash in between is finished by has_record (_start).
        self._finish(job, filed.record, seconds, also=filed.changed)

    def _finish(self, job: Job, record: Record, seconds: float, also: list[Record] = ()) -> None:
        """Index a stored record; if the index is down, the record waits in ``stored``."""
        if not self.health.ready(INDEX):
            self._defer(job, record, also)
            return
        try:
            # The documents cut from this original (stack parts, invoices 2…n of an e-invoice file),
            # and records this filing changed (SdI messages linked).
            documents = documents_of(self.archive, record)
            report = self.index.upsert(documents + list(also))
            if report.failed:
                raise IndexError_(report.failed[0][1], path=job.filename)
            self.health.ok(INDEX)
            # Audited with the index step: if it fails the job stays ``stored`` and both are retried.
            for doc in documents:
                self._audit_filed(job, doc)
        except IndexUnavailableError as exc:
            self.health.failed(INDEX, exc.reason)
            self._defer(job, record, also)
            return
        except StoreUnavailableError as exc:
            self.health.failed(STORE, exc.reason)
            self._defer(job, record, also)
            return
        except ArchivioError as exc:
            log.error("%s is stored but the index refused it: %s (see `archivio check`)", job.filename, exc.reason)
            self._refused.add(record.id)
            self.journal.mark(job.id, STORED, doc_class=record.doc_class)
            return
        crash_point("dispatch.after_index")
        self.journal.mark(job.id, FILED, doc_class=record.doc_class)
        notes = ""
        if record.needs_review:
            notes += " — needs review: " + "; ".join(record.review_reasons)
        if record.warnings:
            notes += " — warning: " + "; ".join(record.warnings)
        self._report(Done(job, "filed", f"{record.doc_class} ({record.class_confidence:.2f}){notes}", record, seconds))

    def _defer(self, job: Job, record: Record, also: list[Record]) -> None:
        """Indexed by the catch-up once the index is back: this job, and the jobs of the records
        this filing changed (SdI messages linked), whose new versions the index has not seen."""
        for other in also:
            linked = self.journal.by_sha(other.sha256)
            if linked is not None and linked.state == FILED:
                self.journal.mark(linked.id, STORED, doc_class=other.doc_class)
        self.journal.mark(job.id, STORED, doc_class=record.doc_class)

    def _audit_filed(self, job: Job, record: Record) -> None:
        audit_filed(self.audit, job.filename, record)

    def _fail(self, job: Job, error: ArchivioError, analysis: Analysis | None = None) -> None:
        if analysis is not None and analysis.derived:
            analysis.derived.discard()
        relative = f"{job.folder}/{job.filename}" if job.folder else job.filename
        # processed/ may sit inside the inbox: its copy is reached without following a link.
        source = _open_same_content(self.settings.paths.processed, job.moved_to, job.sha256)

        def restore(dest: Path) -> None:
            self.archive.store.get_file(incoming_key(job.sha256), dest, sha256=job.sha256)

        try:
            crash_point("dispatch.before_quarantine")
            self.quarantine.put(error, relative=relative, source=source, restore=restore, sha256=job.sha256,
                                original_path=str(job.source))
            crash_point("dispatch.after_quarantine")
            self.journal.fail(job.id, error)
            self.archive.drop_incoming(job.sha256)
        except StoreUnavailableError as exc:
            self.health.failed(STORE, exc.reason)
            self.journal.requeue(job.id)
            return
        except (ArchivioError, OSError) as exc:
            log.error("could not quarantine %s (%s); it stays queued", job.filename, exc)
            self.journal.requeue(job.id)
            return
        finally:
            if source is not None:
                source.close()
        self._report(Done(job, "quarantined", f"{error.stage}: {error.reason}"))

    def _catch_up_index(self) -> None:
        """Records that reached the store while the index was down are indexed once it is back."""
        if time.monotonic() < self._catch_up_at or not self.health.ready(INDEX) or not self.health.ready(STORE):
            return
        self._catch_up_at = time.monotonic() + 5
        for job in self.journal.in_state(STORED):
            if job.sha256 in self._refused:
                continue
            try:
                record = self.archive.get_record(job.sha256)
            except StoreUnavailableError as exc:
                self.health.failed(STORE, exc.reason)
                return
            self._finish(job, record, 0.0)
            if self.health.down(INDEX) or self.health.down(STORE):
                return

    def _report(self, done: Done) -> None:
        if self.settings.queue.metrics_port:  # counted where they are served (prometheus_client: 40 ms to import)
            from . import metrics

            metrics.document_done(done.outcome, done.record.doc_class if done.record else None)
        self.on_done(done)

    # -- shutdown -------------------------------------------------------------------------
    def shutdown(self, grace: float) -> int:
        """Let in-flight documents finish for ``grace`` seconds; requeue the rest."""
        for result in self.pool.drain(grace):
            job, started = self._running.pop(result.task.job_id)
            if isinstance(result.error, StoreUnavailableError):
                self.journal.requeue(job.id)
            elif result.error is not None:
                self._fail(job, result.error)
            else:
                self._file(job, result.analysis, time.monotonic() - started)
        unfinished = self.pool.close()
        for task in unfinished:
            self.journal.requeue(task.job_id)
            self._running.pop(task.job_id, None)
        for job, _, _ in self._unfiled.values():
            self.journal.requeue(job.id)  # read again next time: the analysis was only in memory
        requeued = len(unfinished) + len(self._unfiled)
        self._unfiled.clear()
        return requeued


def audit_filed(log: audit.AuditLog, filename: str, record: Record) -> None:
    """One "filed" entry per record version, even when a crash after the entry (before the
    journal knew) makes a job finish twice, or a broker delivers its task twice. Costs one listing
    of the document's entries, empty for a new document. Not covered: a crash between the entry
    and its pointer."""
    last = log.latest(record.id, audit.FILED)
    if last is not None and last.details.get("version") == record.version:
        return
    details = {"filename": filename, "class": record.doc_class, "version": record.version}
    if record.parent is not None:
        details["part_of"] = record.parent.id
        if record.parent.pages:
            details["pages"] = list(record.parent.pages)
    if record.parts:
        details["parts"] = len(record.parts)
    log.append(audit.FILED, actor=audit.PIPELINE, documents=[record.id], details=details)


def _open_same_content(processed: Path, moved_to: str | Path | None, sha256: str) -> Opened | None:
    """The copy moved to processed/, opened, if it still holds the document (else None: someone
    replaced it there, and our stored copy is restored instead)."""
    if not moved_to:
        return None
    try:
        opened = open_beneath(processed, Path(moved_to).relative_to(processed))
    except (OSError, ValueError, ArchivioError):
        return None
    if opened.is_regular and opened.sha256() == sha256:
        return opened
    opened.close()
    return None
