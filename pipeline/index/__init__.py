"""Search: the ``SearchIndex`` interface, its backends and the one search function callers use."""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Settings
from ..records import Record
from .base import Hit, IndexReport, SearchIndex, SearchQuery, SearchResults, index_document, own_keys
from .sqlite import SqliteIndex


def open_index(settings: Settings) -> SearchIndex:
    """The index the configuration names.

    An index written by an older Archivio is brought up to date from the stored records the
    first time it is opened (the store is the source of truth; nothing is kept only in the index).
    """
    own = own_keys(settings.preservation.producer_vat, settings.preservation.producer_name)

    def stored_records() -> Iterator[Record]:
        from ..store import open_archive  # read only when an upgrade needs it

        archive = open_archive(settings)
        for doc_id in list(archive.record_ids()):
            yield archive.get_record(doc_id)

    if settings.index.backend == "sqlite":
        return SqliteIndex(settings.index_path, own=own, upgrade_from=stored_records)
    if settings.index.backend == "elasticsearch":
        from .elastic import ElasticIndex  # the client is imported only where it is used

        return ElasticIndex(settings.index, own=own, upgrade_from=stored_records)
    raise NotImplementedError(settings.index.backend)  # pragma: no cover - config validation stops this


__all__ = ["Hit", "IndexReport", "SearchIndex", "SearchQuery", "SearchResults", "SqliteIndex", "index_document", "open_index"]
