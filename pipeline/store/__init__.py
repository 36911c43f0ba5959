"""Storage: the ``ObjectStore`` interface, its implementations and the archive key layout."""

from __future__ import annotations

from ..config import Settings
from .archive import Archive
from .base import ObjectInfo, ObjectStore, Retention
from .local import LocalStore, sha256_file


def open_store(settings: Settings) -> ObjectStore:
    """The store the configuration names."""
    if settings.store.backend == "local":
        return LocalStore(settings.store_path)
    raise NotImplementedError(settings.store.backend)  # pragma: no cover - config validation stops this


def open_archive(settings: Settings) -> Archive:
    return Archive(open_store(settings))


__all__ = ["Archive", "LocalStore", "ObjectInfo", "ObjectStore", "Retention", "open_archive", "open_store", "sha256_file"]
