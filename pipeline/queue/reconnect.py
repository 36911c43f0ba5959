"""A worker that is back at work within seconds of its broker's return.

Celery's consumer reconnects with kombu's fixed schedule: 2 s, then 2 s more each attempt, up to
30 s between attempts. After a one-minute broker outage a worker therefore waits up to 16 s (30 s
after longer ones) while documents queue, and two workers that lost the broker at slightly
different moments come back that far apart — one does all the work meanwhile (seen in
tests/test_distributed.py). Retrying every second at first and never waiting more than
``RETRY_MAX_SECONDS`` costs one refused TCP connection per worker per few seconds while the broker
is away, which no broker notices.
"""

from __future__ import annotations

from celery.worker.consumer import Consumer

RETRY_START_SECONDS = 1.0
RETRY_STEP_SECONDS = 1.0
RETRY_MAX_SECONDS = 5.0


class PromptConsumer(Consumer):
    """Celery's consumer with a short reconnection schedule (``worker_consumer`` in the app)."""

    def ensure_connected(self, conn):
        ensure = conn.ensure_connection

        def prompt(*args, **kwargs):
            kwargs.setdefault("interval_start", RETRY_START_SECONDS)
            kwargs.setdefault("interval_step", RETRY_STEP_SECONDS)
            kwargs.setdefault("interval_max", RETRY_MAX_SECONDS)
            return ensure(*args, **kwargs)

        conn.ensure_connection = prompt
        return super().ensure_connected(conn)
