"""Search: the ``SearchIndex`` interface, its backends and the one search function callers use."""

from __future__ import annotations

from ..config import Settings
from .base import Hit, IndexReport, SearchIndex, SearchQuery, SearchResults, index_document
from .sqlite import SqliteIndex


def open_index(settings: Settings) -> SearchIndex:
    """The index the configuration names."""
    if settings.index.backend == "sqlite":
        return SqliteIndex(settings.index_path)
    if settings.index.backend == "elasticsearch":
        from .elastic import ElasticIndex  # the client is imported only where it is used

        return ElasticIndex(settings.index)
    raise NotImplementedError(settings.index.backend)  # pragma: no cover - config validation stops this


__all__ = ["Hit", "IndexReport", "SearchIndex", "SearchQuery", "SearchResults", "SqliteIndex", "index_document", "open_index"]
