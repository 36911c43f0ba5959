"""What `archivio status` and the API say about the distributed queue: depth, workers, notes."""

from __future__ import annotations

from typing import Any

from ..config import Settings
from ..store import Archive
from . import notes


def queue_depth(settings: Settings) -> int | None:
    """Messages waiting on the broker (Redis: the length of the queue's list); None if unknown."""
    url = settings.queue.broker_url.get_secret_value()
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
        return int(client.llen(settings.queue.name))
    except redis.RedisError:
        return None


def alive_workers(settings: Settings, timeout: float = 2.0) -> list[str]:
    """Names of the workers that answer a ping through the broker within ``timeout``."""
    from kombu.exceptions import OperationalError

    from .app import make_app

    app = make_app(settings)
    try:
        replies = app.control.inspect(timeout=timeout).ping() or {}
    except (OperationalError, OSError):
        return []
    return sorted(replies)


def summary(settings: Settings, archive: Archive, *, ping: float = 2.0) -> dict[str, Any]:
    depth = queue_depth(settings)
    workers = alive_workers(settings, ping)
    return {
        "backend": "celery",
        "queue": settings.queue.name,
        "depth": depth,
        "broker_reachable": depth is not None or bool(workers),
        "workers": workers,
        "quarantine_notes": notes.listing(archive, notes.QUARANTINE, 20),
        "duplicate_notes": notes.listing(archive, notes.DUPLICATES, 20),
    }
