"""``archivio worker``: one Celery worker that reads, files and indexes documents from the broker.

Start any number, on any machine with the same settings (broker, S3 store, Elasticsearch): they
share nothing else, need no shared folder and keep nothing in their working directory.
"""

from __future__ import annotations

import logging
import os
import socket
import tempfile

from ..config import Settings
from ..errors import IndexUnavailableError
from . import require_shared_services, visibility_timeout

log = logging.getLogger(__name__)


def node_name() -> str:
    return f"archivio-{os.getpid()}@{socket.gethostname()}"


def run_worker(settings: Settings, *, concurrency: int | None = None, loglevel: str = "INFO") -> None:
    require_shared_services(settings, "worker")
    from ..index import open_index
    from ..store import open_archive

    open_archive(settings).store.check()  # a wrong bucket or credentials: one clear line, no worker
    try:
        open_index(settings).check()
    except IndexUnavailableError as exc:  # documents wait for it (retried), the worker starts anyway
        log.warning("%s; documents are read and stored, and indexed once it is back", exc.reason)
    if settings.queue.metrics_port:
        # Before prometheus_client is first imported: the pool processes write their counts here.
        os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="archivio-metrics-"))
    from .. import metrics
    from .app import make_app

    metrics.serve(settings.queue.metrics_port)
    app = make_app(settings, tasks=True)
    os.environ["OMP_THREAD_LIMIT"] = "1"  # Tesseract's threads fight the other pool processes
    processes = concurrency or settings.workers.count or 1
    log.info("worker %s: %d process(es) on queue %r, visibility timeout %.0f s", node_name(), processes,
             settings.queue.name, visibility_timeout(settings))
    app.worker_main(["worker", "--pool=prefork", f"--concurrency={processes}", f"--queues={settings.queue.name}",
                     f"--hostname={node_name()}", f"--loglevel={loglevel}", "--without-gossip", "--without-mingle"])


def healthy(settings: Settings, timeout: float = 3.0) -> bool:
    """True when a worker on this host answers the broker's ping (the liveness probe)."""
    from .status import alive_workers

    host = socket.gethostname()
    return any(name.endswith(f"@{host}") for name in alive_workers(settings, timeout))
