"""The ``ObjectStore`` interface: the few byte-level operations the archive needs.

A store holds opaque objects under string keys (``originals/ab/<sha256>``). The local folder
store and the S3 store implement the same contract; ``pipeline.store.archive`` builds the
document-level operations on top of it, so no business logic knows which store runs.

Contract (every implementation MUST):
  * ``put_file`` / ``put_bytes`` write atomically: a reader sees the whole object or none.
  * ``put_file`` with ``sha256`` given verifies the bytes it stored and is a no-op when an
    object with that key and checksum is already there (idempotent, never rewritten).
  * ``get_file`` streams to a local path; with ``sha256`` given it raises ``IntegrityError``
    (naming the key) when the bytes differ.
  * ``delete`` of a missing key is not an error.
  * raise ``StoreUnavailableError`` when the backend cannot be reached, so callers retry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable


@dataclass(frozen=True)
class Retention:
    """How long an object must be kept unchanged (S3 Object Lock where the bucket has it)."""

    mode: Literal["GOVERNANCE", "COMPLIANCE"]
    until: dt.datetime


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    sha256: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    retention: Retention | None = None
    legal_hold: bool = False


@runtime_checkable
class ObjectStore(Protocol):
    name: str

    def put_file(self, key: str, path: Path, *, sha256: str | None = None, metadata: dict[str, str] | None = None,
                 retention: Retention | None = None) -> None: ...

    def put_bytes(self, key: str, data: bytes, *, metadata: dict[str, str] | None = None,
                  content_type: str = "application/octet-stream") -> None: ...

    def get_file(self, key: str, dest: Path, *, sha256: str | None = None) -> None: ...

    def get_bytes(self, key: str) -> bytes: ...

    def exists(self, key: str) -> bool: ...

    def info(self, key: str) -> ObjectInfo: ...

    def delete(self, key: str) -> None: ...

    def iter_keys(self, prefix: str) -> Iterator[str]: ...

    def copy(self, src: str, dest: str, *, metadata: dict[str, str] | None = None,
             retention: Retention | None = None) -> None: ...

    def check(self) -> None:
        """Raise a clear ``StoreError`` if the store is not usable (start-up check)."""
        ...

    def close(self) -> None: ...
