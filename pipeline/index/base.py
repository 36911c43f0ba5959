"""The ``SearchIndex`` interface and the query/result records both backends speak.

The index is derived from the records in the store and can be rebuilt at any time; nothing is
kept only in the index. ``index_document`` flattens a record into the searchable shape both
backends index, so they cannot drift apart in what they know about a document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, Protocol, runtime_checkable

from ..records import Record

SortOrder = Literal["relevance", "date", "-date", "amount", "-amount"]


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    doc_class: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    min_total: Decimal | None = None
    max_total: Decimal | None = None
    vendor: str | None = None
    vat: str | None = None
    needs_review: bool | None = None
    folder: str | None = None
    sort: SortOrder = "relevance"
    size: int = 20
    cursor: str | None = None  # opaque: from SearchResults.next_cursor
    facets: bool = True


@dataclass(frozen=True)
class Hit:
    id: str
    score: float
    doc_class: str
    filename: str
    folder: str = ""
    date: str | None = None
    total: str | None = None
    currency: str | None = None
    vendor: str | None = None
    number: str | None = None
    needs_review: bool = False
    snippet: str = ""  # matched words wrapped in «…»


@dataclass
class SearchResults:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    next_cursor: str | None = None


@dataclass
class IndexReport:
    indexed: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (doc id, reason)


HIGHLIGHT = ("«", "»")


@runtime_checkable
class SearchIndex(Protocol):
    name: str

    def upsert(self, records: Iterable[Record]) -> IndexReport: ...

    def delete(self, doc_id: str) -> None: ...

    def search(self, query: SearchQuery) -> SearchResults: ...

    def ids(self) -> Iterator[tuple[str, int]]:
        """Every indexed document id with its record version (for reconciliation)."""
        ...

    def count(self) -> int: ...

    def rebuild(self, records: Iterable[Record]) -> IndexReport:
        """Build a fresh index from ``records`` and swap it in; search never sees it empty."""
        ...

    def check(self) -> None: ...

    def close(self) -> None: ...


# ---------------------------------------------------------------------------------------------
def index_document(record: Record) -> dict[str, Any]:
    """The flat, typed view of a record that every backend indexes."""
    f = record.field_value
    date = f("date") or f("agreement_date") or f("effective_date")
    total = _decimal(f("total_amount"))
    parties = f("parties") or []
    vendor = f("vendor_name") or f("merchant_name") or (parties[0] if parties else None)
    return {
        "id": record.id,
        "sha256": record.sha256,
        "class": record.doc_class,
        "language": record.language,
        "needs_review": record.needs_review,
        "filename": record.source.filename,
        "folder": record.source.folder,
        "date": date if isinstance(date, str) else None,
        "total": total,
        "currency": f("currency"),
        "number": f("number"),
        "vendor": vendor,
        "vendor_vat": f("vendor_vat"),
        "iban": f("iban"),
        "parties": list(parties) if isinstance(parties, list) else [],
        "text": record.text,
        "ingested_at": record.ingested_at.isoformat(),
        "version": record.version,
    }


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None
