"""Create-only writes: the one primitive that keeps concurrent writers from forking history.

The audit chain (``audit/log/<seq>``) and record versions (``record-versions/…/<n>.json``) are
numbered objects. Two processes appending at once (the watcher filing, the API recording a
review) may both pick the same number; whoever creates the object first wins and the other
retries with the next number. That needs an exclusive create from the store:

  * ``create_bytes(key, data) -> bool`` on the store (local folder: a hard link, which fails
    when the name exists; S3: ``PutObject`` with ``If-None-Match: *``), used when the store's
    ``creates_exclusively`` says it holds across processes and machines;
  * otherwise (an S3 server that ignores the condition) a best-effort emulation (check, write,
    read back) that is safe between threads of one process but not between machines — logged
    once so that it is not a silent gap.
"""

from __future__ import annotations

import logging
import threading

from .base import ObjectStore

log = logging.getLogger(__name__)
_fallback_lock = threading.Lock()
_warned: set[str] = set()


def create_exclusive(store: ObjectStore, key: str, data: bytes, *,
                     content_type: str = "application/octet-stream") -> bool:
    """Write ``data`` at ``key`` unless an object is already there; True if this call wrote it."""
    if store.creates_exclusively:
        return store.create_bytes(key, data, content_type=content_type)
    if store.name not in _warned:
        _warned.add(store.name)
        log.warning("the %s store offers no create-only write: concurrent writers on several machines "
                    "could collide on audit entries or record versions", store.name)
    with _fallback_lock:
        if store.exists(key):
            return False
        store.put_bytes(key, data, content_type=content_type)
        return store.get_bytes(key) == data
