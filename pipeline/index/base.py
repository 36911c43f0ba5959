"""The ``SearchIndex`` interface and the query/result records both backends speak.

The index is derived from the records in the store and can be rebuilt at any time; nothing is
kept only in the index. ``index_document`` flattens a record into the searchable shape both
backends index, so they cannot drift apart in what they know about a document.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, Protocol, runtime_checkable

from ..errors import InvalidCursorError
from ..records import Record
from ..textnorm import compact, fold, words
from .query import correspondent_key, document_keys, tag_key, vat_forms

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
    # DM 17 giugno 2014: fiscal documents findable by the name, codice fiscale and partita IVA of
    # any subject they name (vendor, customer, merchant, contract party) and by date, combined.
    # ``vat`` matches any subject's partita IVA, ``name`` any subject's name or company name.
    name: str | None = None
    taxcode: str | None = None
    tag: str | None = None
    # A counterparty's key from the "correspondent" facet (its VAT id, or its name without one).
    correspondent: str | None = None
    sort: SortOrder = "relevance"
    size: int = 20
    offset: int = 0  # shallow pages (page N of a listing); ignored when a cursor is given
    cursor: str | None = None  # opaque: SearchResults.next_cursor of the same search, for deep pages
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
    tags: tuple[str, ...] = ()


@dataclass
class SearchResults:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    next_cursor: str | None = None
    # No document matched every term: these are the best partial matches (most terms first).
    partial: bool = False
    # The "correspondent" facet counts by counterparty key; this names each one (its most used name).
    names: dict[str, str] = field(default_factory=dict)
    took_ms: float | None = None  # time the server says it spent (Elasticsearch), for benchmarks


@dataclass
class IndexReport:
    indexed: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (doc id, reason)
    stale: int = 0  # late writes of an older version than the one indexed, skipped


HIGHLIGHT = ("«", "»")
FACET_SIZES = {"class": 20, "vendor": 10, "month": 24, "correspondent": 10, "tag": 20}


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
    date = _iso_date(f("date") or f("agreement_date") or f("effective_date"))
    total = _decimal(f("total_amount"))
    amounts = [a for a in (total, _decimal(f("net_amount")), _decimal(f("vat_amount"))) if a is not None]
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
        "date": date,
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
        "subjects": subject_terms(record),
        "tags": list(record.tags),
        "correspondents": correspondents(record),
        # Values a query can name (an amount, a day, a month, a year): see query.document_keys.
        "keys": document_keys({"date": date, "amounts": amounts, "tags": record.tags}),
    }


# Fields that name a subject of the document, by what they hold (DM 17 giugno 2014).
SUBJECT_FIELDS = {
    "name": ("vendor_name", "customer_name", "merchant_name", "parties"),
    "vat": ("vendor_vat", "customer_vat"),
    "cf": ("vendor_cf", "customer_cf"),
}


def subject_terms(record: Record) -> list[tuple[str, str]]:
    """(kind, value) for every subject the record names: names folded, identifiers compacted and
    without the IT prefix, so a partita IVA typed with or without it finds the document."""
    out: list[tuple[str, str]] = []
    for kind, names in SUBJECT_FIELDS.items():
        for name in names:
            value = record.field_value(name)
            for item in value if isinstance(value, list) else [value]:
                if not isinstance(item, str) or not item.strip():
                    continue
                term = subject_key(kind, item)
                if term and (kind, term) not in out:
                    out.append((kind, term))
    return out


def subject_key(kind: str, value: str) -> str:
    """How a subject value is compared: names folded and spaced, identifiers compacted, 'IT' dropped."""
    if kind == "name":
        return " ".join(fold(value).split())
    term = compact(value)
    return term[2:] if kind == "vat" and term.startswith("it") and term[2:].isdigit() else term


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _iso_date(value: Any) -> str | None:
    """Only a real calendar date reaches the index: a typed date field refuses anything else."""
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        return None


def identifier_values(doc: dict[str, Any]) -> list[str]:
    """Number, VAT id, IBAN and SHA-256 as printed and compacted ('IT 0751 528' -> 'it0751528')."""
    out: list[str] = []
    for key in ("number", "vendor_vat", "iban", "sha256"):
        value = doc.get(key)
        if value:
            # A VAT id is found typed with or without its country prefix.
            extra = vat_forms(str(value))[1:] if key == "vendor_vat" else []
            for form in (str(value), compact(str(value)), *(compact(e) for e in extra)):
                if form and form not in out:
                    out.append(form)
    return out


def title_text(doc: dict[str, Any]) -> str:
    """File name, vendor and parties: the short fields that outweigh the body text."""
    return " ".join(filter(None, [doc["filename"], doc["vendor"], " ".join(doc["parties"])]))


def correspondents(record: Record) -> list[tuple[str, str]]:
    """(key, name) of every party the document was exchanged with: an invoice's supplier and
    customer, a receipt's merchant, a contract's parties.

    Which of them is the counterparty depends on whose archive this is: the archive's own
    company (``[preservation] producer_vat``) is left out of the facet when it is searched, so
    a received invoice counts under its supplier and an issued one under its customer. A party
    is keyed by its VAT id when the document prints one (its spellings merge), else by its name.
    """
    f = record.field_value
    pairs: list[tuple[str | None, str | None]]
    if record.doc_class == "receipt":
        pairs = [(f("vendor_vat"), f("merchant_name") or f("vendor_name"))]
    elif record.doc_class == "contract":
        parties = f("parties")
        pairs = [(None, p) for p in parties] if isinstance(parties, list) else []
    else:
        pairs = [(f("vendor_vat"), f("vendor_name") or f("merchant_name")), (f("customer_vat"), f("customer_name"))]
    out: list[tuple[str, str]] = []
    for vat, name in pairs:
        vat = vat if isinstance(vat, str) else None
        name = " ".join(name.split()) if isinstance(name, str) else ""
        key = correspondent_key(vat) if vat else name_key(name)
        if key and key not in (k for k, _ in out):
            out.append((key, name))
    return out


def name_key(name: str) -> str:
    """A party without a VAT id is keyed by its name, folded, without punctuation or legal form
    ('Studio Rossi S.r.l.' and 'STUDIO ROSSI SRL' are one party)."""
    plain = re.sub(r"\b(?:s\s?r\s?l|s\s?p\s?a|s\s?n\s?c|s\s?a\s?s|ltd|gmbh|inc)\b", " ",
                   " ".join(words(name)))
    return "~" + "-".join(plain.split()) if plain.split() else ""


def party_key(typed: str) -> str:
    """The correspondent filter's key from what a person passes: a VAT id in any spelling
    (IT00743110157, 00743110157) or a ~name key as the facet gives it."""
    typed = typed.strip()
    return typed if typed.startswith("~") else correspondent_key(typed)


def correspondent_facet(counts: Iterable[tuple[str, str | None, int]],
                        own: Iterable[str] = ()) -> tuple[list[tuple[str, int]], dict[str, str]]:
    """Counts of (key, name, n) merged into one entry per party under its most used name; the
    archive's own company (``own`` keys) is not a correspondent of itself."""
    mine = set(own)
    totals: dict[str, int] = {}
    spellings: dict[str, dict[str, int]] = {}
    for key, name, n in counts:
        if not key or key in mine:
            continue
        totals[key] = totals.get(key, 0) + n
        if name:
            spellings.setdefault(key, {})[name] = spellings.get(key, {}).get(name, 0) + n
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[: FACET_SIZES["correspondent"]]
    names = {key: max(spellings[key].items(), key=lambda kv: (kv[1], kv[0]))[0] for key, _ in ranked if key in spellings}
    return ranked, names


def tag_facet(counts: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """Tag counts, spellings of one tag ('Da pagare', 'da pagare') merged under the most used."""
    totals: dict[str, int] = {}
    spellings: dict[str, dict[str, int]] = {}
    for tag, n in counts:
        key = tag_key(tag)
        totals[key] = totals.get(key, 0) + n
        spellings.setdefault(key, {})[tag] = spellings.get(key, {}).get(tag, 0) + n
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[: FACET_SIZES["tag"]]
    return [(max(spellings[key].items(), key=lambda kv: (kv[1], kv[0]))[0], n) for key, n in ranked]


def own_keys(vat: str = "", name: str = "") -> tuple[str, ...]:
    """The keys the archive's own company has among correspondents."""
    return tuple(k for k in (correspondent_key(vat) if vat else "", name_key(name) if name else "") if k)


def month_facet(counts: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """Months newest first (a calendar reads in date order), the latest FACET_SIZES["month"]."""
    return sorted(counts, key=lambda kv: kv[0], reverse=True)[: FACET_SIZES["month"]]


def cents(amount: Decimal) -> int:
    """Amounts are compared in whole cents, the way they are printed."""
    return int((amount * 100).quantize(Decimal("1")))


# -- page cursors -------------------------------------------------------------------------------
# A cursor is opaque to callers: base64 of the backend's position plus a fingerprint of the search
# it continues, so a cursor handed to another search or another backend is refused, not misread.
def _fingerprint(query: SearchQuery) -> str:
    key = [query.text, query.doc_class, query.date_from, query.date_to, query.min_total, query.max_total,
           query.vendor, query.vat, query.needs_review, query.folder, query.sort, query.name, query.taxcode,
           query.tag, query.correspondent]
    return hashlib.sha256(json.dumps(key, default=str).encode()).hexdigest()[:16]


def encode_cursor(backend: str, query: SearchQuery, position: Any) -> str:
    payload = json.dumps({"b": backend, "q": _fingerprint(query), "p": position}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(backend: str, query: SearchQuery) -> Any:
    """The position ``query.cursor`` stands for, or None for the first page."""
    if not query.cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(query.cursor + "=" * (-len(query.cursor) % 4))
        payload = json.loads(raw)
        backend_of, fingerprint, position = payload["b"], payload["q"], payload["p"]
    except (ValueError, KeyError, TypeError):
        raise InvalidCursorError("the page cursor is damaged; start the search again without it") from None
    if backend_of != backend or fingerprint != _fingerprint(query):
        raise InvalidCursorError("the page cursor belongs to a different search; start again without it")
    return position
