"""The Celery application both roles build from the same settings.

Exactly-once filing on an at-least-once engine starts here: a document's message is acknowledged
only after it is filed (``acks_late``), goes back to the queue when its worker dies
(``reject_on_worker_lost``; a whole machine lost: the broker's visibility timeout), and a worker
takes one message at a time (prefetch 1), so a busy worker never sits on documents another could
read. Every step of the task is idempotent by SHA-256 (``pipeline.queue.remote``).
"""

from __future__ import annotations

from celery import Celery

from ..config import Settings
from . import visibility_timeout

PROCESS, READ_PART, ASSEMBLE = "archivio.process", "archivio.read_part", "archivio.assemble"


def make_app(settings: Settings, *, tasks: bool = False) -> Celery:
    broker = settings.queue.broker_url.get_secret_value()
    results = settings.queue.result_url.get_secret_value() if settings.queue.result_url else broker
    app = Celery("archivio", broker=broker, backend=results, set_as_current=False)
    visibility = visibility_timeout(settings)
    transport = {"visibility_timeout": visibility,
                 # A dead connection (broker restarted, a NAT dropping idle sockets) is noticed
                 # within seconds instead of hanging a blocking read forever.
                 "health_check_interval": 10, "socket_keepalive": True, "socket_connect_timeout": 5,
                 # A dead worker's document goes back to the queue once its visibility timeout has
                 # passed: look for such documents every 10 s (kombu's default sweeps every ~100 s),
                 # and let a sweep cut short by a broker restart hold its lock 60 s, not 5 minutes.
                 "unacked_restore_interval": 10, "unacked_restore_throttle": 1, "unacked_mutex_expire": 60}
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue=settings.queue.name,
        task_serializer="json", result_serializer="json", accept_content=["json"],
        broker_transport_options=transport,
        result_backend_transport_options=dict(transport),
        broker_connection_retry=True,
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,  # a worker waits out a broker outage, however long
        broker_connection_timeout=5,
        worker_consumer="pipeline.queue.reconnect:PromptConsumer",  # back within 5 s of the broker
        # Not Celery's "cancel" on connection loss: with the broker down the cancel fails, the task
        # is terminated as revoked and its message acknowledged on reconnection, i.e. lost (seen in
        # tests/test_distributed.py). Left running, its acknowledgement cannot be sent on the new
        # connection, the message stays unacknowledged in Redis, and comes back after the
        # visibility timeout to a worker that finds the record filed and finishes without reading.
        worker_cancel_long_running_tasks_on_connection_loss=False,
        task_soft_time_limit=settings.workers.document_timeout,
        task_time_limit=settings.workers.document_timeout + 30,
        worker_max_memory_per_child=settings.workers.max_memory_mb * 1024,
        worker_hijack_root_logger=False,
        worker_redirect_stdouts=False,
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1},
        result_expires=24 * 3600,
        broker_pool_limit=4,
    )
    if tasks:
        from .tasks import register

        register(app, settings)
    return app
