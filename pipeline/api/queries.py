"""Query-string parameters shared by search, export and the web page, turned into a SearchQuery."""

from __future__ import annotations

import dataclasses

from fastapi import Query

from ..index import SearchQuery
from ..index.base import party_key
from ..index.query import parse_amount, parse_date_from, parse_date_to
from ..records import DocClass


def search_filters(
    q: str = Query("", max_length=500, description="Words of the text, an invoice number, VAT id or IBAN."),
    doc_class: DocClass | None = Query(None, alias="class", description="Only this class of document."),
    date_from: str | None = Query(None, alias="from", max_length=40, description="Document date on or after: "
                                  "2025-09-03, 03/09/2025 (day first), 3 settembre 2025; a month or a year for its first day."),
    date_to: str | None = Query(None, alias="to", max_length=40, description="Document date on or before; "
                                "a month (settembre 2025, 09/2025) or a year for its last day."),
    min_total: str | None = Query(None, max_length=40, description="Total amount at least this: 1451.80, 1451,80, "
                                  "1.451,80 or € 1.451,80."),
    max_total: str | None = Query(None, max_length=40, description="Total amount at most this."),
    vendor: str | None = Query(None, max_length=200, description="Vendor / merchant name contains this."),
    vat: str | None = Query(None, max_length=40, description="A partita IVA the document names (vendor, customer…), "
                            "with or without its country prefix."),
    name: str | None = Query(None, max_length=200, description="A name or company name the document names contains this."),
    taxcode: str | None = Query(None, max_length=40, description="A codice fiscale the document names is exactly this."),
    needs_review: bool | None = Query(None, description="Only documents flagged (true) or not flagged (false) for review."),
    folder: str | None = Query(None, max_length=300, description="Only documents from this inbox sub-folder."),
    tag: str | None = Query(None, max_length=60, description="Only documents carrying this tag."),
    correspondent: str | None = Query(None, max_length=200, description="Only documents exchanged with this "
                                      "counterparty: a key of the `correspondent` facet (its VAT id, or ~its-name)."),
) -> SearchQuery:
    # An unreadable value raises QueryValueError: a 422 with one line saying what to write.
    return SearchQuery(text=q, doc_class=doc_class, date_from=parse_date_from(date_from), date_to=parse_date_to(date_to),
                       min_total=parse_amount(min_total), max_total=parse_amount(max_total), vendor=vendor or None,
                       vat=vat or None, needs_review=needs_review, folder=folder or None, tag=tag or None,
                       name=name or None, taxcode=taxcode or None, correspondent=party_key(correspondent) if correspondent else None)


def with_page(query: SearchQuery, *, sort: str, size: int, cursor: str | None) -> SearchQuery:
    return dataclasses.replace(query, sort=sort, size=size, cursor=cursor or None)


def as_params(query: SearchQuery) -> dict[str, str]:
    """The query string that reproduces ``query`` (for links: next page, facets, export)."""
    pairs = {
        "q": query.text, "class": query.doc_class, "from": query.date_from, "to": query.date_to,
        "min_total": query.min_total, "max_total": query.max_total, "vendor": query.vendor, "vat": query.vat,
        "needs_review": None if query.needs_review is None else str(query.needs_review).lower(),
        "folder": query.folder, "tag": query.tag, "name": query.name, "taxcode": query.taxcode,
        "correspondent": query.correspondent,
    }
    return {k: str(v) for k, v in pairs.items() if v not in (None, "")}
