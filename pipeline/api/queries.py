"""Query-string parameters shared by search, export and the web page, turned into a SearchQuery."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from fastapi import Query

from ..index import SearchQuery
from ..records import DocClass


def search_filters(
    q: str = Query("", max_length=500, description="Words of the text, an invoice number, VAT id or IBAN."),
    doc_class: DocClass | None = Query(None, alias="class", description="Only this class of document."),
    date_from: dt.date | None = Query(None, alias="from", description="Document date on or after (YYYY-MM-DD)."),
    date_to: dt.date | None = Query(None, alias="to", description="Document date on or before (YYYY-MM-DD)."),
    min_total: float | None = Query(None, ge=-1e12, le=1e12, description="Total amount at least this."),
    max_total: float | None = Query(None, ge=-1e12, le=1e12, description="Total amount at most this."),
    vendor: str | None = Query(None, max_length=200, description="Vendor / merchant name contains this."),
    vat: str | None = Query(None, max_length=40, description="A partita IVA the document names (vendor, customer…)."),
    name: str | None = Query(None, max_length=200, description="A name or company name the document names contains this."),
    taxcode: str | None = Query(None, max_length=40, description="A codice fiscale the document names is exactly this."),
    needs_review: bool | None = Query(None, description="Only documents flagged (true) or not flagged (false) for review."),
    folder: str | None = Query(None, max_length=300, description="Only documents from this inbox sub-folder."),
) -> SearchQuery:
    return SearchQuery(text=q, doc_class=doc_class, date_from=date_from, date_to=date_to,
                       min_total=_money(min_total), max_total=_money(max_total), vendor=vendor or None, vat=vat or None, needs_review=needs_review,
                       folder=folder or None, name=name or None, taxcode=taxcode or None)


def with_page(query: SearchQuery, *, sort: str, size: int, cursor: str | None) -> SearchQuery:
    return dataclasses.replace(query, sort=sort, size=size, cursor=cursor or None)


def as_params(query: SearchQuery) -> dict[str, str]:
    """The query string that reproduces ``query`` (for links: next page, facets, export)."""
    pairs = {
        "q": query.text, "class": query.doc_class, "from": query.date_from, "to": query.date_to,
        "min_total": query.min_total, "max_total": query.max_total, "vendor": query.vendor, "vat": query.vat,
        "needs_review": None if query.needs_review is None else str(query.needs_review).lower(),
        "folder": query.folder, "name": query.name, "taxcode": query.taxcode,
    }
    return {k: str(v) for k, v in pairs.items() if v not in (None, "")}


def _money(value: float | None) -> Decimal | None:
    # Taken as a float so the schema can state its range; the index compares Decimals.
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))
