"""The generic label ▸ value search shared by every document class.

For each printed occurrence of a field's label, the value is read from the same line to the
right, else from the lines just below; the field's ``kind`` says how to read it and its
``pick`` which occurrence wins.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..records import ExtractedField, Page
from . import validate
from .amounts import find_amounts
from .dates import find_dates
from .layout import Span, find_labels
from .vocabulary import FieldSpec


@dataclass(frozen=True)
class Reading:
    """A value read from a span: the normalised value, its raw text and its validation."""

    value: Any
    raw: str
    error: str | None = None
    validated: bool = False


Reader = Callable[[str], Reading | None]


def read_amount(text: str) -> Reading | None:
    for value, raw, pos in find_amounts(text):
        if text[pos + len(raw) : pos + len(raw) + 1] == "%":
            continue  # a VAT rate, not an amount
        return Reading(value, raw)
    return None


def make_date_reader(*, month_first: bool, today: dt.date) -> Reader:
    def read_date(text: str) -> Reading | None:
        found = find_dates(text, month_first=month_first, today=today)
        if not found:
            return None
        value, raw, _ = found[0]
        return Reading(value, raw)

    return read_date


_VAT_CANDIDATE = re.compile(r"\b(?:[A-Z]{2}[\s.]?)?[0-9A-Z][0-9A-Z.\- ]{6,16}[0-9A-Z]\b")


def read_vat(text: str) -> Reading | None:
    first: Reading | None = None
    for match in _VAT_CANDIDATE.finditer(text.upper()):
        raw = match.group(0)
        if sum(ch.isdigit() for ch in raw) < 7:
            continue
        value, error = validate.vat_id(raw)
        reading = Reading(value, raw, error, validated=True)
        if error is None:
            return reading
        first = first or reading
    return first


_IBAN_CANDIDATE = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]){11,30}\b")


def read_iban(text: str) -> Reading | None:
    match = _IBAN_CANDIDATE.search(text.upper())
    if not match:
        return None
    value, error = validate.iban(match.group(0))
    return Reading(value, match.group(0), error, validated=True)


_NUMBER_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9/\-_.]*\d[A-Za-z0-9/\-_.]*|\d+")
_NUMBER_PREFIX = re.compile(r"^(?:n[°ºr]?\.?|no\.?|nr\.?|num\.?|#|:)\s*", re.I)


def read_number(text: str) -> Reading | None:
    text = _NUMBER_PREFIX.sub("", text.strip())
    for match in _NUMBER_TOKEN.finditer(text):
        token = match.group(0).strip("./-_")
        if find_dates(token):
            continue  # "del 12/03/2024" is the date, not the number
        return Reading(token.upper() if token.isalnum() else token, match.group(0))
    return None


def reader_for(spec: FieldSpec, *, month_first: bool, today: dt.date) -> Reader:
    return {
        "amount": read_amount,
        "date": make_date_reader(month_first=month_first, today=today),
        "vat": read_vat,
        "iban": read_iban,
        "number": read_number,
        "text": lambda t: Reading(t.strip(), t) if t.strip() else None,
    }[spec.kind]


@dataclass(frozen=True)
class Candidate:
    rank: int  # index of the label in the vocabulary: lower is more specific
    order: tuple[int, float, float]  # page, y, x: reading order
    reading: Reading
    span: Span


def candidates(pages: list[Page], spec: FieldSpec, reader: Reader) -> list[Candidate]:
    ranks = {label: i for i, label in enumerate(spec.labels)}
    out: list[Candidate] = []
    for hit in find_labels(pages, list(spec.labels)):
        for span in [hit.right(), *hit.below()]:
            reading = reader(span.text) if span.text else None
            if reading is not None:
                first = hit.words[0]
                out.append(Candidate(ranks[hit.label], (hit.page.number, first.y0, first.x0), reading, span))
                break
    return out


def pick(cands: list[Candidate], how: str) -> Candidate | None:
    if not cands:
        return None
    if how == "largest":
        return max(cands, key=lambda c: (c.reading.value, -c.rank))
    if how == "last":
        return max(cands, key=lambda c: c.order)
    if how == "earliest":
        return min(cands, key=lambda c: c.order)
    return min(cands, key=lambda c: (c.rank, c.order))


def to_field(candidate: Candidate, *, label_count: int) -> ExtractedField:
    reading = candidate.reading
    value = reading.value
    if isinstance(value, Decimal):
        value = f"{value:.2f}"
    elif isinstance(value, dt.date):
        value = value.isoformat()
    # A specific label and a clean read make a confident value.
    label_factor = 1.0 - 0.3 * candidate.rank / max(label_count, 1)
    return ExtractedField(
        value=value,
        raw=reading.raw,
        confidence=round(candidate.span.confidence * label_factor, 3) if candidate.span.words else 0.5,
        page=candidate.span.page.number,
        box=candidate.span.box,
        valid=(reading.error is None) if reading.validated else None,
        error=reading.error,
    )


def extract_labelled(pages: list[Page], specs: list[FieldSpec], *, month_first: bool, today: dt.date) -> dict[str, ExtractedField]:
    fields: dict[str, ExtractedField] = {}
    for spec in specs:
        best = pick(candidates(pages, spec, reader_for(spec, month_first=month_first, today=today)), spec.pick)
        if best is not None:
            fields[spec.name] = to_field(best, label_count=len(spec.labels))
    return fields
