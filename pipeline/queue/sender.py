"""The watcher's side of distributed mode: journal → broker, and the store → journal.

Intake is unchanged (hash, duplicate check, original into the store's ``incoming/``, a job in
the local journal, the file out of the inbox). This dispatcher then sends each queued job to the
broker and marks it running; a broker that cannot be reached leaves the job queued in the journal
and is retried with backoff, so nothing taken in is lost while Redis is away. It learns what the
workers did from the store: a record there means filed; a quarantine note means the watcher,
which reaches the quarantine folder, moves the file there exactly as the embedded mode does. A
job not filed after ``queue.resend_after`` is sent again: workers are idempotent by SHA-256, so
a message lost with a broker that kept no copy costs a second look, never a second filing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from kombu.exceptions import OperationalError

from .. import metrics
from ..config import Settings, without_credentials
from ..dispatch import Dispatcher, Done
from ..errors import ArchivioError, StoreUnavailableError
from ..health import STORE, Health
from ..index import SearchIndex
from ..intake import IntakeResult
from ..journal import FILED, QUEUED, RUNNING, Job, Journal
from ..quarantine import Quarantine
from ..store import Archive
from . import notes, resend_after
from .app import PROCESS, make_app
from .payload import job_message

log = logging.getLogger(__name__)
BROKER = "broker"
_CHECK_EVERY = 1.0  # seconds between looks at the store for finished documents
_CHECK_BATCH = 200  # running jobs looked at per round, oldest first
_RESEND_CHECK_EVERY = 30.0


class BrokerDispatcher(Dispatcher):
    def __init__(self, settings: Settings, *, archive: Archive, index: SearchIndex, journal: Journal,
                 quarantine: Quarantine, on_done: Callable[[Done], None] | None = None, health: Health | None = None):
        super().__init__(settings, archive=archive, index=index, journal=journal, quarantine=quarantine,
                         pool=None, on_done=on_done, health=health)
        self.health.describe[BROKER] = without_credentials(settings.queue.broker_url.get_secret_value())
        self.app = make_app(settings)
        self._sent: dict[int, float] = {}  # job id -> time.monotonic() it was last sent
        self._checked_at = 0.0
        self._resend_checked_at = 0.0
        self._resend = resend_after(settings)

    def pump(self, timeout: float = 0.5) -> None:
        self._send()
        self._collect()
        time.sleep(timeout)

    def taken(self, result: IntakeResult) -> None:
        if result.outcome == "duplicate" and result.job is not None:
            try:
                notes.put_duplicate(self.archive, result.job.sha256, result.path.name, result.job.filename)
            except ArchivioError as exc:  # the local note in duplicates/ is written already
                log.warning("duplicate note not written to the store: %s", exc)

    # -- journal -> broker ---------------------------------------------------------------
    def _send(self) -> None:
        if not self.health.ready(BROKER) or not self.health.ready(STORE):
            return
        now = time.monotonic()
        due = list(self.journal.in_state(QUEUED))
        if now - self._resend_checked_at > _RESEND_CHECK_EVERY:  # a scan of every running job: not each loop
            self._resend_checked_at = now
            due += [j for j in self.journal.in_state(RUNNING) if now - self._sent.get(j.id, 0.0) > self._resend]
        for job in due:
            try:
                self.app.send_task(PROCESS, args=[{**job_message(job), "sent_at": time.time()}],
                                   queue=self.settings.queue.name)
            except (OperationalError, OSError) as exc:
                self.health.failed(BROKER, str(exc) or type(exc).__name__)
                return
            self.health.ok(BROKER)
            if job.state == RUNNING:
                log.info("%s not filed after %.0f s: sent again", job.filename, self._resend)
            else:
                self.journal.mark(job.id, RUNNING, attempts=job.attempts + 1)
            self._sent[job.id] = time.monotonic()
        metrics.QUEUE_DEPTH.set(len(self._sent))

    # -- store -> journal ----------------------------------------------------------------
    def _collect(self) -> None:
        if time.monotonic() - self._checked_at < _CHECK_EVERY or not self.health.ready(STORE):
            return
        self._checked_at = time.monotonic()
        try:
            for n, job in enumerate(self.journal.in_state(RUNNING)):
                if n >= _CHECK_BATCH:
                    break
                self._check(job)
            self.health.ok(STORE)
        except StoreUnavailableError as exc:
            self.health.failed(STORE, exc.reason)

    def _check(self, job: Job) -> None:
        if self.archive.has_record(job.sha256):
            record = self.archive.get_record(job.sha256)
            self.journal.mark(job.id, FILED, doc_class=record.doc_class)
            self._sent.pop(job.id, None)
            self._report(Done(job, "filed", f"{record.doc_class} ({record.class_confidence:.2f})", record))
            return
        note = notes.get_quarantine(self.archive, job.sha256)
        if note is not None and note.get("received_at") == job.received_at.isoformat():
            self._sent.pop(job.id, None)
            self._fail(job, ArchivioError(note["reason"], path=job.filename, stage=note["stage"]))

    # -- what the status file and the loops ask -------------------------------------------
    @property
    def in_flight(self) -> int:
        return 0  # nothing is read here; ``pending`` counts what the workers still owe

    def state(self) -> dict:
        return {"queue": "celery", "sent": len(self._sent), "waiting_for": self.health.snapshot()}

    def shutdown(self, grace: float) -> int:
        return 0  # the broker keeps what was sent; the journal keeps what was not
