"""Storage: the ``ObjectStore`` interface, its implementations and the archive key layout."""

from __future__ import annotations

from ..config import Settings
from .archive import Archive
from .base import ObjectInfo, ObjectStore, Retention
from .local import LocalStore, sha256_file
from .retention import filing_retention, retention_for


def open_store(settings: Settings, backend: str | None = None) -> ObjectStore:
    """The store the configuration names (or ``backend``, e.g. the S3 target of a migration)."""
    backend = backend or settings.store.backend
    if backend == "local":
        return LocalStore(settings.store_path)
    if backend == "s3":
        from .s3 import S3Store  # boto3 is imported only by those who use it

        return S3Store(settings.store)
    raise NotImplementedError(backend)  # pragma: no cover - config validation stops this


def open_archive(settings: Settings) -> Archive:
    return Archive(open_store(settings))


__all__ = ["Archive", "LocalStore", "ObjectInfo", "ObjectStore", "Retention", "open_archive", "open_store",
           "filing_retention", "retention_for", "sha256_file"]
