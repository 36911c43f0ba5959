"""The generic label ▸ value search shared by every document class.

Every label of every field of a class is looked for at once, and where labels overlap the
longest wins: ``Totale imponibile`` is the net amount's label, not the total's ``Totale``
followed by a word. Labels listed as ``ignore`` claim their words without yielding a value
(``Aliquota IVA``, ``Total qty``). For each label left, the value is read from the same row to
the right, else from the lines just below; the field's ``kind`` says how to read it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..records import ExtractedField
from . import identifiers, validate
from .amounts import currency_code, find_amounts
from .dates import find_dates
from .layout import LabelHit, Layout, Span, box_of, value_words
from .vocabulary import FieldSpec


@dataclass(frozen=True)
class Reading:
    """A value read from a span: the normalised value, its raw text and its validation."""

    value: Any
    raw: str
    valid: bool | None = None  # None: no validator applies
    error: str | None = None


Reader = Callable[[str], Reading | None]


def read_amount(text: str) -> Reading | None:
    if text.lstrip("( ").startswith("%"):
        return None  # "IVA (%): 22.00" is a rate
    whole: Reading | None = None
    for value, raw, pos in find_amounts(text):
        if text[pos + len(raw) : pos + len(raw) + 2].strip().startswith("%"):
            continue  # a VAT rate, not an amount
        if re.search(r"[.,]\s?\d{1,2}-?$", raw):
            return Reading(value, raw)
        whole = whole or Reading(value, raw)  # "Rs 1939": whole amounts count when nothing has cents
    return whole


def make_date_reader(*, month_first: bool, today: dt.date) -> Reader:
    def read_date(text: str) -> Reading | None:
        # Beside a date label, "07,04,20" is a date whose dots OCR read as commas.
        # The same length either way: the raw text is taken from what was printed.
        dotted = re.sub(r"\b(\d{1,2}),(\d{1,2}),(\d{2}|\d{4})\b", r"\1.\2.\3", text)
        found = find_dates(dotted, month_first=month_first, today=today)
        if not found:
            return None
        value, raw, pos = found[0]
        return Reading(value, text[pos : pos + len(raw)])

    return read_date


# A VAT id as printed: an optional (sometimes repeated) country prefix, then digits and letters
# in groups; Swiss ids end in MWST / TVA / IVA.
_VAT_CANDIDATE = re.compile(
    r"(?<![A-Z0-9])(?:[A-Z]{2}[\s.]?){0,2}[A-Z]?[\s.\-]?\d[\dA-Z.\-\s]{4,18}[\dA-Z](?:\s?(?:MWST|TVA|IVA|TPV))?(?![A-Z0-9])"
)


def read_vat(text: str) -> Reading | None:
    graded, by_shape = _by_grammar(identifiers.vat_readings(text), validate.vat_id)
    if graded is not None:
        return graded
    first: Reading | None = None
    for match in _VAT_CANDIDATE.finditer(text.upper()):
        raw = match.group(0).strip()
        if sum(ch.isdigit() for ch in raw) < 7:
            continue
        check = validate.vat_id_read(raw)
        if not check.valid:
            # The id ends where the next printed word begins ("00743110157 - Tel.", "Cod. Fisc.").
            glued = re.search(r"(?<![\dA-Z])((?:IT\s?)?\d{11})[\s.\-:]*[A-Z]", raw)
            if glued and (alone := validate.vat_id_read(glued.group(1))).valid:
                return Reading(alone.value, glued.group(1), alone.valid, alone.error)
        reading = Reading(check.value, raw, check.valid, check.error)
        if check.valid:
            return reading
        first = first or reading
    return by_shape or first


def read_tax_code(text: str) -> Reading | None:
    """An Italian Codice Fiscale (16 characters) or a company's 11-digit one."""
    graded, by_shape = _by_grammar(identifiers.tax_code_readings(text), validate.codice_fiscale)
    if graded is not None or by_shape is not None:
        return graded or by_shape
    for match in re.finditer(r"(?<![A-Z0-9])(?:[A-Z0-9]{16}|\d{11})(?![A-Z0-9])", text.upper().replace(" ", "")):
        check = validate.codice_fiscale(match.group(0))
        return Reading(check.value, match.group(0), check.valid, check.error)
    return None


_IBAN_CANDIDATE = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]){11,30}\b")


def read_iban(text: str) -> Reading | None:
    graded, by_shape = _by_grammar(identifiers.iban_readings(text), validate.iban)
    if graded is not None:
        return graded
    first: Reading | None = None
    for match in _IBAN_CANDIDATE.finditer(text.upper()):
        raw = match.group(0)
        check = validate.iban_read(raw)
        if not check.valid:
            # The printed IBAN may run into the next field ("... 39 - BIC"): try it shorter.
            parts = raw.split()
            for cut in range(len(parts) - 1, 0, -1):
                shorter = validate.iban_read(" ".join(parts[:cut]))
                if shorter.valid:
                    raw, check = " ".join(parts[:cut]), shorter
                    break
        reading = Reading(check.value, raw, check.valid, check.error)
        if check.valid:
            return reading
        first = first or reading
    return by_shape or first


def _by_grammar(readings, validator: Callable[[str], validate.Check]) -> tuple[Reading | None, Reading | None]:
    """The first reading cut by the identifier's grammar whose check passes, and else the first
    cut at all (reported invalid, for review). The caller tries its looser token-run reading
    between the two: a misprinted length defeats the grammar but may still pass repaired."""
    first: Reading | None = None
    for value, raw in readings:
        check = validator(value)
        if check.valid:
            return Reading(check.value, raw, True, None), None
        first = first or Reading(check.value, raw, check.valid, check.error)
    return None, first


_NUMBER_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9/\-_.]*\d[A-Za-z0-9/\-_.]*|\d+")
# "N°", "Nr.", "No", "#" before the number; a bare "N"/"No" only before a space, a digit or a
# colon, so the letters of a number ("NC-2024-12", "NR-5") are kept.
_NUMBER_PREFIX = re.compile(r"^(?:n[°º.]|nr\.|no\.|num\.|(?:n|nr|no|num)(?=[\s\d:#])|#|:)\s*(?=\S)", re.I)


# A number OCR split after one of its separators ("INV-2025- 1543"): the two parts are one.
# The part after holds a digit or is a short code in capitals ("1218/ PA").
_SPLIT_AFTER_SEPARATOR = re.compile(r"(?<=[A-Za-z0-9][-/])\s+(?=[A-Za-z0-9]*\d|[A-Z]{1,4}(?![A-Za-z0-9]))")


# A number printed with spaces around its separator ("123 / 2024", "2024 - 0815"); not when a
# date follows the separator ("12 - 15/03/2024" is a number and its date).
_SPACED_SEPARATOR = re.compile(r"(?<=[A-Z0-9])\s+([-/])\s+(?=[A-Za-z0-9]*\d|[A-Z]{1,4}(?![A-Za-z0-9]))")


def _joined_separator(match: re.Match) -> str:
    rest = match.string[match.end() :]
    found = find_dates(rest)
    return match.group(0) if found and found[0][2] == 0 else match.group(1)


def read_number(text: str) -> Reading | None:
    text = _SPLIT_AFTER_SEPARATOR.sub("", text.strip())
    while True:
        stripped = _NUMBER_PREFIX.sub("", text, count=1).strip(" :#")
        if stripped == text:
            break
        text = stripped
    text = _SPACED_SEPARATOR.sub(_joined_separator, text)  # after the prefix: "N - 12" is number 12
    # A date written with its month in words ("26 December 2022") is several tokens: none of
    # them is the number. Only looked for when the text has a letter run a month could be.
    in_date = [(pos, pos + len(raw)) for _, raw, pos in find_dates(text)] if re.search(r"[A-Za-z]{3}", text) else []
    for match in _NUMBER_TOKEN.finditer(text):
        token = match.group(0).strip("./-_")
        if text[match.start() - 1 : match.start()] == "(" and text[match.end() : match.end() + 1] == ")":
            continue  # "(380)": a document type code, not the number
        if any(start <= match.start() and match.end() <= end for start, end in in_date):
            continue
        dates = find_dates(token)
        if (dates and len(dates[0][1]) >= len(token) - 1) or re.fullmatch(r"\d{1,2}[./]\d{1,2}[./]?", token):
            continue  # "del 12/03/2024" is the date, not the number
        return Reading(token.upper(), match.group(0))
    return None


def read_currency(text: str) -> Reading | None:
    code = currency_code(text)
    return Reading(code, text.strip()) if code else None


def read_text(text: str) -> Reading | None:
    text = " ".join(text.split()).strip(" :;,-")
    return Reading(text, text) if text and any(ch.isalpha() for ch in text) else None


def reader_for(kind: str, *, month_first: bool, today: dt.date) -> Reader:
    return {
        "amount": read_amount,
        "date": make_date_reader(month_first=month_first, today=today),
        "vat": read_vat,
        "taxcode": read_tax_code,
        "iban": read_iban,
        "number": read_number,
        "currency": read_currency,
        "text": read_text,
    }[kind]


@dataclass(frozen=True)
class Candidate:
    field: str
    rank: int  # index of the label in the field's vocabulary (patterns after): lower is more specific
    order: tuple[int, float, float]  # page, y, x of the label: reading order
    reading: Reading
    span: Span
    beside: bool = True  # read on the label's row (True) or below it (False)
    label: str = ""
    hit: LabelHit | None = None


def claimed_hits(layout: Layout, specs: list[FieldSpec], ignore: tuple[str, ...] = (), *,
                 cells: bool = False) -> dict[str, list[tuple[int, LabelHit]]]:
    """For each field, its label hits (with the label's rank) that no longer label claims
    (``cells``: no label runs across a form's cells, ``Layout.find``)."""
    owners: dict[str, list[tuple[str, int]]] = {}
    for spec in specs:
        for rank, label in enumerate(spec.labels):
            owners.setdefault(label, []).append((spec.name, rank))
    for label in ignore:
        owners.setdefault(label, []).append(("", 0))
    hits = layout.find(list(owners), cells=cells)
    # Longest first; a hit survives when none of its words is taken by a longer one.
    hits.sort(key=lambda h: (h.fuzzy, -len(h.key), h.order))  # a guess never beats a label read as printed
    taken: dict[tuple[int, int, int], str] = {}
    out: dict[str, list[tuple[int, LabelHit]]] = {}
    for hit in hits:
        cells = [(hit.page.number, hit.line_index, i) for i in range(hit.start, hit.end + 1)]
        if any(taken.get(c, hit.key) != hit.key for c in cells):
            continue
        for c in cells:
            taken[c] = hit.key
        for name, rank in owners[hit.label]:
            if name:
                out.setdefault(name, []).append((rank, hit))
    return out


def candidates(layout: Layout, spec: FieldSpec, hits: list[tuple[int, LabelHit]], reader: Reader,
               *, below: int = 2) -> list[Candidate]:
    out: list[Candidate] = []
    for rank, hit in hits:
        right = layout.right(hit)
        spans = [(right, True)]
        if below:
            # Nothing beside the label: the value is under it. Other words beside it (a table's
            # header row): only a value right under the label, in its column.
            reach = 1.5 if _has_value_words(right) else 6.0
            # A document number is not cut from its phrase ("26" of "26 December 2022" under a
            # title, "INV - 2024" of "INV - 2024 - 2990" in a table cell); amounts and dates keep
            # their reading.
            whole = ("phrase" if reach > 1.5 else "number") if spec.kind == "number" else ""
            spans += [(s, False) for s in layout.below(hit, max_lines=below, reach=reach, whole=whole)]
        for span, beside in spans:
            reading = reader(span.text) if span.text else None
            if reading is not None:
                out.append(Candidate(spec.name, rank, hit.order, reading, span, beside, hit.label, hit))
                break
    if spec.patterns:
        out.extend(pattern_candidates(layout, spec, reader))
    return out


def pattern_candidates(layout: Layout, spec: FieldSpec, reader: Reader) -> list[Candidate]:
    """Values found by the field's whole-line patterns (for labels a word-by-word match cannot
    see, such as the German compound ``Mietrechnung (387) Nr. 123``)."""
    out: list[Candidate] = []
    for line in layout.spans():
        for i, pattern in enumerate(spec.patterns):
            match = pattern.search(line.text)
            if match:
                reading = reader(match.group(1))
                if reading is not None:
                    first = line.words[0]
                    out.append(Candidate(spec.name, len(spec.labels) + i, (line.page.number, first.y0, first.x0),
                                         reading, line, True, pattern.pattern))
    return out


def _has_value_words(span: Span) -> bool:
    return any(ch.isalnum() for ch in span.text)


def in_prose(c: Candidate) -> bool:
    """A label inside a sentence ("... quote the Belegnummer 123 ...") rather than heading a value."""
    return c.hit is not None and c.hit.start > 2 and len(c.hit.line) > 8


def pick(cands: list[Candidate], how: str) -> Candidate | None:
    if not cands:
        return None
    if how != "largest" and any(not in_prose(c) for c in cands):
        cands = [c for c in cands if not in_prose(c)]
    if how == "largest":
        return max(cands, key=lambda c: (c.reading.value, -c.rank))
    if how == "last":
        return max(cands, key=lambda c: c.order)
    if how == "earliest":
        return min(cands, key=lambda c: c.order)
    return min(cands, key=lambda c: (c.rank, not c.beside, c.order))


def to_field(candidate: Candidate, *, label_count: int, confidence: float | None = None) -> ExtractedField:
    reading = candidate.reading
    # A specific label and a clean read make a confident value.
    if confidence is None:
        label_factor = 1.0 - 0.3 * candidate.rank / max(label_count, 1)
        confidence = (candidate.span.confidence if candidate.span.words else 0.9) * label_factor
        if not candidate.beside:
            confidence *= 0.9
    return make_field(reading, candidate.span, confidence)


def make_field(reading: Reading, span: Span | None, confidence: float) -> ExtractedField:
    value = reading.value
    if isinstance(value, Decimal):
        value = f"{value:.2f}"
    elif isinstance(value, dt.date):
        value = value.isoformat()
    return ExtractedField(
        value=value,
        raw=reading.raw,
        confidence=round(max(0.0, min(confidence, 1.0)), 3),
        page=span.page.number if span is not None else None,
        box=box_of(span.page, value_words(span.words, reading.raw)) if span is not None and span.words else None,
        valid=reading.valid,
        error=reading.error,
    )


def labelled_candidates(layout: Layout, specs: list[FieldSpec], *, ignore: tuple[str, ...] = (),
                        month_first: bool, today: dt.date, cells: bool = False) -> dict[str, list[Candidate]]:
    """Every field's candidates from its labels."""
    hits = claimed_hits(layout, specs, ignore, cells=cells)
    return {
        spec.name: candidates(layout, spec, hits.get(spec.name, []),
                              reader_for(spec.kind, month_first=month_first, today=today))
        for spec in specs
    }


def extract_labelled(layout: Layout, specs: list[FieldSpec], *, ignore: tuple[str, ...] = (), month_first: bool,
                     today: dt.date) -> dict[str, ExtractedField]:
    fields: dict[str, ExtractedField] = {}
    found = labelled_candidates(layout, specs, ignore=ignore, month_first=month_first, today=today)
    for spec in specs:
        best = pick(found[spec.name], spec.pick)
        if best is not None:
            fields[spec.name] = to_field(best, label_count=len(spec.labels))
    return fields
