"""A worker that is back at work within seconds of its broker's return.

Celery's consumer reconnects with kombu's fixed schedule: 2 s, then 2 s more each attempt, up to
30 s between attempts. After a one-minute broker outage a worker therefore waits up to 16 s (30 s
after longer ones) while documents queue, and two workers that lost the broker at slightly
different moments come back that far apart — one does all the work meanwhile (seen in
tests/test_distributed.py). Retrying every second at first and never waiting more than
``RETRY_MAX_SECONDS`` costs one refused TCP connection per worker per few seconds while the broker
is away, which no broker notices.

Celery logs every failed attempt as an ERROR of several lines: at one attempt per 5 s an
hour-long outage would write 720 of them per worker and bury everything else in the log. The first
failure of an outage is logged as Celery writes it, then one line a minute says the worker is still
trying, and the reconnection says how long the broker was away.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Callable

from celery.worker.consumer import Consumer
from celery.worker.consumer.consumer import CONNECTION_ERROR
from celery.worker.consumer.consumer import logger as consumer_log

RETRY_START_SECONDS = 1.0
RETRY_STEP_SECONDS = 1.0
RETRY_MAX_SECONDS = 5.0
REPEAT_LOG_SECONDS = 60.0

log = logging.getLogger(__name__)


class FoldRetries(logging.Filter):
    """Lets the first connection error of an outage through, then one a ``every`` seconds,
    each saying how many attempts it stands for."""

    def __init__(self, every: float = REPEAT_LOG_SECONDS, clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self.every, self.clock = every, clock
        self.started: float | None = None
        self.shown_at = 0.0
        self.attempts = self.hidden = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg != CONNECTION_ERROR:
            return True
        now = self.clock()
        self.attempts += 1
        if self.started is None:
            self.started, self.shown_at = now, now
            return True
        if now - self.shown_at < self.every:
            self.hidden += 1
            return False
        # One line, not Celery's three: the first error already said what failed and why.
        record.msg, record.args = ("broker still unreachable after %d attempts in %.0f s (last error: %s); "
                                   "retrying every %.0f s", (self.attempts, now - self.started,
                                                             record.args[1] if record.args else "?",
                                                             RETRY_MAX_SECONDS))
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        self.shown_at, self.hidden = now, 0
        return True

    def outage_seconds(self) -> float | None:
        return None if self.started is None else self.clock() - self.started


class PromptConsumer(Consumer):
    """Celery's consumer with a short reconnection schedule and a quiet log while it retries
    (``worker_consumer`` in the app)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # At every broker loss Celery repeats a nine-line warning that its default for cancelling
        # running tasks will change; the app sets that option explicitly (and says why), so it is
        # noise. Installed here, after Celery's logging setup has turned its warnings to "always".
        warnings.filterwarnings("ignore", message=r"\s*In Celery 5.1 we introduced an optional breaking change")

    def ensure_connected(self, conn):
        ensure = conn.ensure_connection

        def prompt(*args, **kwargs):
            kwargs.setdefault("interval_start", RETRY_START_SECONDS)
            kwargs.setdefault("interval_step", RETRY_STEP_SECONDS)
            kwargs.setdefault("interval_max", RETRY_MAX_SECONDS)
            return ensure(*args, **kwargs)

        conn.ensure_connection = prompt
        with folded_retries() as fold:
            connected = super().ensure_connected(conn)
        away = fold.outage_seconds()
        if away is not None:
            log.info("broker reachable again after %.0f s and %d failed attempts", away, fold.attempts)
        return connected

    def on_connection_error_after_connected(self, exc):
        # Celery closes the lost connection before reconnecting, and closing a Redis channel gives
        # its unacknowledged messages back to the queue over that same dead connection. With a
        # message held (a document waiting to retry, e.g. while Elasticsearch is away) kombu fails
        # there with an AttributeError Celery does not expect, and the whole worker stops with
        # "Unrecoverable error". Nothing needs giving back at that moment: the messages stay in
        # the broker's unacknowledged set and return after the visibility timeout.
        connection = self.connection
        if connection is not None:
            close = connection.close

            def close_lost() -> None:
                try:
                    close()
                except Exception as err:  # noqa: BLE001 - the connection is gone whatever failed
                    log.info("the lost broker connection could not be closed cleanly (%s: %s); its "
                             "unacknowledged documents return after the visibility timeout",
                             type(err).__name__, err)

            connection.close = close_lost
        super().on_connection_error_after_connected(exc)


class folded_retries:
    """Installs a ``FoldRetries`` on Celery's consumer logger for one connection attempt."""

    def __enter__(self) -> FoldRetries:
        self.fold = FoldRetries(every=REPEAT_LOG_SECONDS)
        consumer_log.addFilter(self.fold)
        return self.fold

    def __exit__(self, *exc) -> None:
        consumer_log.removeFilter(self.fold)
