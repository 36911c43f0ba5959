"""Where documents wait between intake and reading, when they are read on many machines.

``queue.backend = "local"`` (the default) is the embedded journal and this machine's worker pool
(``pipeline.journal``, ``pipeline.dispatch``): no server, and nothing in this package is imported.
``queue.backend = "celery"`` puts each document on a Celery broker (Redis; RabbitMQ through
kombu's ``amqp://``): ``archivio watch`` only takes files in, any number of ``archivio worker``
processes on any machine read, classify, extract, file and index them. Workers share nothing but
the broker, the S3 store and the Elasticsearch index.

Celery and Redis are imported only by the modules that need them (``app``, ``tasks``, ``sender``,
``worker``, ``status``), so the embedded default runs without them installed.
"""

from __future__ import annotations

from ..config import Settings
from ..errors import ConfigError


def distributed(settings: Settings) -> bool:
    return settings.queue.backend == "celery"


def require_shared_services(settings: Settings, role: str) -> None:
    """Refuse, in one line, a role that would need a folder or a file other machines cannot reach."""
    problems = []
    if settings.queue.backend != "celery":
        problems.append('queue.backend is "local" (set "celery" and queue.broker_url)')
    if settings.store.backend != "s3":
        problems.append('store.backend is "local", a folder workers on other machines cannot reach (use "s3")')
    if settings.index.backend != "elasticsearch":
        problems.append('index.backend is "sqlite", a file workers on other machines cannot reach '
                        '(use "elasticsearch")')
    if problems:
        raise ConfigError(f"`archivio {role}` shares work only through the broker, S3 and Elasticsearch: "
                          + "; ".join(problems))


def visibility_timeout(settings: Settings) -> float:
    """Seconds before the broker hands an unacknowledged document to another worker: longer than
    a document may take (workers.document_timeout), or a slow reading would be read twice."""
    configured = settings.queue.visibility_timeout
    floor = settings.workers.document_timeout + 30
    return max(configured, floor) if configured else settings.workers.document_timeout * 2 + 60


def resend_after(settings: Settings) -> float:
    return settings.queue.resend_after or visibility_timeout(settings) * 2
