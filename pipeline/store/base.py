"""The ``ObjectStore`` interface: the few byte-level operations the archive needs.

A store holds opaque objects under string keys (``originals/ab/<sha256>``). The local folder
store and the S3 store implement the same contract; ``pipeline.store.archive`` builds the
document-level operations on top of it, so no business logic knows which store runs. The
contract is proved for every implementation by ``tests/test_store_contract.py``.

Contract (every implementation MUST):
  * ``put_file`` / ``put_bytes`` write atomically: a reader sees the whole object or none.
  * ``put_file`` records the SHA-256 of what it stored; with ``sha256`` given it refuses bytes
    that do not match (``IntegrityError``) and is a no-op when an object with that key and
    checksum is already there (idempotent, never rewritten).
  * ``get_file`` streams to a local path, never holding the whole object in memory. It checks
    the bytes against ``sha256`` when given, else against the SHA-256 recorded at write time,
    and raises ``IntegrityError`` (naming the key) on a mismatch, leaving nothing at ``dest``.
    With ``check=False`` it hands over whatever is stored: for fixity checks and exports, which
    hash the bytes themselves and must report an altered original, not fail on it.
  * an object under retention (``Retention.until`` in the future) or legal hold is neither
    deleted nor overwritten by ``put_file`` or ``copy``: ``RetentionLockedError``. Retention can
    be extended, never shortened (``set_retention`` refuses a shorter date or a COMPLIANCE
    retention turned into GOVERNANCE). (``put_bytes`` is for the mutable small objects: records, text.)
  * ``create_bytes`` writes only if no object has the key, atomically against concurrent
    writers on any machine, when ``creates_exclusively`` is true: of several creators of
    different bytes exactly one gets True (True too if the key already holds the very same
    bytes: a retried request). ``pipeline.store.exclusive`` falls back, loudly, where it is false.
  * ``download_url`` gives a link only when ``makes_download_links`` is true; callers ask the
    property once instead of catching the ``StoreError`` it raises otherwise.
  * ``delete`` of a missing key is not an error.
  * raise ``NotFoundError`` for a missing key and ``StoreUnavailableError`` when the backend
    cannot be reached, so callers retry.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

from ..errors import RetentionLockedError, StoreError


@dataclass(frozen=True)
class Retention:
    """How long an object must be kept unchanged (S3 Object Lock where the bucket has it)."""

    mode: Literal["GOVERNANCE", "COMPLIANCE"]
    until: dt.datetime  # timezone-aware

    def active(self, now: dt.datetime | None = None) -> bool:
        return self.until > (now or dt.datetime.now(dt.timezone.utc))


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    sha256: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    retention: Retention | None = None
    legal_hold: bool = False
    version_id: str | None = None  # S3 version of the object described, where the bucket keeps versions

    @property
    def locked(self) -> bool:
        return self.legal_hold or (self.retention is not None and self.retention.active())


def durable_batch(store: ObjectStore) -> contextlib.AbstractContextManager:
    """The store's grouped durability (``LocalStore.durable_batch``): the objects written inside
    are durable when it ends, their fsyncs issued together. A store whose writes are durable when
    they return (S3) has nothing to group."""
    batch = getattr(store, "durable_batch", None)
    return batch() if batch is not None else contextlib.nullcontext()


def refuse_if_locked(info: ObjectInfo, doing: str) -> None:
    """Raise ``RetentionLockedError`` if the object may not be ``doing`` ("deleted", "overwritten")."""
    if info.legal_hold:
        raise RetentionLockedError(f"under legal hold, cannot be {doing}; lift the hold first "
                                   "(`archivio hold ID --off`)", path=info.key)
    if info.retention is not None and info.retention.active():
        raise RetentionLockedError(f"under {info.retention.mode} retention until {info.retention.until:%Y-%m-%d}, "
                                   f"cannot be {doing}", path=info.key)


def check_retention_change(key: str, current: Retention | None, new: Retention,
                           now: dt.datetime | None = None) -> bool:
    """Whether ``new`` changes anything over ``current``; ``RetentionLockedError`` if it would weaken it.

    Retention only ever grows: a later date, or GOVERNANCE made COMPLIANCE. An active COMPLIANCE
    retention can be neither shortened nor turned into GOVERNANCE, by anyone; GOVERNANCE is not
    shortened through Archivio either (on S3 only someone with the bypass permission could).
    """
    now = now or dt.datetime.now(dt.timezone.utc)
    if new.until.tzinfo is None:
        raise StoreError(f"the retain-until date {new.until} has no time zone", path=key)
    if new.until <= now:
        raise StoreError(f"the retain-until date {new.until:%Y-%m-%d %H:%M} is not in the future", path=key)
    if current is None or not current.active(now):
        return True
    if current.mode == "COMPLIANCE" and new.mode == "GOVERNANCE":
        raise RetentionLockedError(f"under COMPLIANCE retention until {current.until:%Y-%m-%d}: it cannot be "
                                   "turned into GOVERNANCE", path=key)
    if new.until < current.until:
        raise RetentionLockedError(f"under {current.mode} retention until {current.until:%Y-%m-%d}: retention can be "
                                   f"extended, never shortened (asked for {new.until:%Y-%m-%d})", path=key)
    return new.until > current.until or new.mode != current.mode


@runtime_checkable
class ObjectStore(Protocol):
    name: str

    @property
    def enforces_retention(self) -> bool:
        """Whether retention and legal holds are enforced (S3: only when the bucket has Object Lock)."""
        ...

    @property
    def makes_download_links(self) -> bool:
        """Whether ``download_url`` can give a link (S3: presigned GET); the local folder cannot."""
        ...

    @property
    def creates_exclusively(self) -> bool:
        """Whether ``create_bytes`` is atomic against writers in other processes and machines."""
        ...

    def put_file(self, key: str, path: Path, *, sha256: str | None = None, metadata: dict[str, str] | None = None,
                 retention: Retention | None = None) -> None: ...

    def put_bytes(self, key: str, data: bytes, *, metadata: dict[str, str] | None = None,
                  content_type: str = "application/octet-stream") -> None: ...

    def create_bytes(self, key: str, data: bytes, *, content_type: str = "application/octet-stream") -> bool:
        """Write ``data`` at ``key`` only if no object has that key; False when one with other bytes does."""
        ...

    def get_file(self, key: str, dest: Path, *, sha256: str | None = None, check: bool = True) -> None: ...

    def get_bytes(self, key: str) -> bytes: ...

    def exists(self, key: str) -> bool: ...

    def info(self, key: str) -> ObjectInfo: ...

    def delete(self, key: str) -> None: ...

    def iter_keys(self, prefix: str) -> Iterator[str]: ...

    def copy(self, src: str, dest: str, *, metadata: dict[str, str] | None = None,
             retention: Retention | None = None) -> None: ...

    def set_legal_hold(self, key: str, on: bool) -> None:
        """Put a legal hold on the object (no deletion until it is lifted) or lift it."""
        ...

    def set_retention(self, key: str, retention: Retention) -> None:
        """Extend the object's retention (later date, or GOVERNANCE made COMPLIANCE); never shorten it:
        ``RetentionLockedError``. ``StoreError`` where the store cannot enforce retention."""
        ...

    def download_url(self, key: str, *, expires_seconds: int, filename: str | None = None) -> str:
        """A link that downloads the object without credentials until it expires (S3 presigned GET)."""
        ...

    def check(self) -> None:
        """Raise a clear ``StoreError`` if the store is not usable (start-up check)."""
        ...

    def close(self) -> None: ...
