"""Receipt fields: merchant, address, date, total (VAT and payment method where printed).

Tills print little with labels: the merchant is the first line of the slip, the date comes
without a label, and "TOTAL" appears next to subtotals, rounding and the cash handed over. What
the customer paid decides: cash given minus change returned is the total.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from ..records import ExtractedField
from ..textnorm import compact
from . import validate
from .amounts import find_amounts
from .dates import find_dates
from .labelled import Candidate, Reading, labelled_candidates, make_field, pick, to_field
from .layout import Layout, Span
from .names import company_names
from .vocabulary import Vocabulary

CENT = Decimal("0.01")
# How far down the slip the merchant's name may be, in lines.
_HEADER_LINES = 8


def extract(layout: Layout, vocab: Vocabulary, *, language: str | None, today: dt.date) -> dict[str, ExtractedField]:
    month_first = language in vocab.rules("receipt", "dates").get("month_first_languages", [])
    found = labelled_candidates(layout, vocab.specs("receipt"), ignore=vocab.ignore("receipt"),
                                month_first=month_first, today=today)
    fields: dict[str, ExtractedField] = {}

    total = _total(layout, found)
    if total is not None:
        fields["total_amount"] = total
    for name in ("vat_amount", "vendor_vat"):
        spec = vocab.spec("receipt", name)
        best = pick(found.get(name, []), spec.pick if spec else "first")
        if best is not None:
            fields[name] = to_field(best, label_count=len(spec.labels) if spec else 1)
    vat = fields.get("vat_amount")
    if vat is not None and total is not None and Decimal(vat.value) >= Decimal(total.value):
        del fields["vat_amount"]  # a "VAT" line that is not smaller than the total is not the VAT

    date = _date(layout, found, month_first, today)
    if date is not None:
        fields["date"] = date
    merchant = _merchant(layout, vocab)
    if merchant is not None:
        fields["merchant_name"], address = merchant
        if address is not None:
            fields["address"] = address
    payment = _payment(layout, vocab)
    if payment is not None:
        fields["payment_method"] = payment
    return fields


# -- total -------------------------------------------------------------------------------------
def _total(layout: Layout, found: dict[str, list[Candidate]]) -> ExtractedField | None:
    totals = found.get("total_amount", [])
    paid = _paid(found)
    if paid is not None:
        for c in sorted(totals, key=lambda c: c.order, reverse=True):
            if abs(c.reading.value - paid) <= CENT:
                return to_field(c, label_count=8, confidence=min(1.0, 0.95 * (c.span.confidence or 1.0)))
        # The amount paid printed without a label (a bare figure after the rounding line).
        for span in reversed(layout.spans()):
            for value, raw, _ in find_amounts(span.text):
                if value == paid:
                    return make_field(Reading(value, raw), span, 0.6 * (span.confidence or 1.0))
    rounded = [c for c in totals if c.label in _ROUNDED]
    if rounded:
        return to_field(max(rounded, key=lambda c: c.order), label_count=8)
    if not totals:
        return None
    # The grand total: the largest amount among the most specific labels found.
    best_rank = min(c.rank for c in totals)
    best = max(totals, key=lambda c: (c.reading.value, c.rank == best_rank, c.order))
    return to_field(best, label_count=8)


_ROUNDED = ("rounded total", "total rounded", "total after rounding", "rounded amount", "nett total")


def _paid(found: dict[str, list[Candidate]]) -> Decimal | None:
    """Cash handed over minus change given back, when both are printed."""
    tendered = [c for c in found.get("tendered", []) if c.reading.value > 0]
    change = [c for c in found.get("change", []) if c.reading.value >= 0]
    if not tendered or not change:
        return None
    given = max(tendered, key=lambda c: c.order)
    back = min((c for c in change if c.order > given.order), key=lambda c: c.order, default=None)
    if back is None:
        return None
    paid = given.reading.value - back.reading.value
    return paid if paid > 0 else None


# -- date --------------------------------------------------------------------------------------
def _date(layout: Layout, found: dict[str, list[Candidate]], month_first: bool, today: dt.date) -> ExtractedField | None:
    labelled = found.get("date", [])
    if labelled:
        best = min(labelled, key=lambda c: (c.rank, c.order))
        field = to_field(best, label_count=4)
    else:
        # Tills print the date without a label: the first plausible date on the slip.
        field = None
        for span in layout.spans():
            hits = find_dates(span.text, month_first=month_first, today=today)
            if hits:
                value, raw, _ = hits[0]
                field = make_field(Reading(value, raw), span, 0.8 * (span.confidence or 1.0))
                break
    if field is None:
        return None
    error = validate.issue_date(dt.date.fromisoformat(field.value), today=today)
    return field.model_copy(update={"valid": error is None, "error": error})


# -- merchant and address ----------------------------------------------------------------------
_SPACED_LETTERS = re.compile(r"\b(?:[A-Za-z] ){2,}[A-Za-z]\b")
_NOT_NAME = re.compile(r"^\W*$|\d{3,}|@|www\.|https?:|:", re.I)


def _merchant(layout: Layout, vocab: Vocabulary) -> tuple[ExtractedField, ExtractedField | None] | None:
    rules = vocab.rules("receipt", "merchant")
    skip = {compact(s) for s in rules.get("not_names", [])}
    spans = layout.spans()
    header = spans[:_HEADER_LINES]
    suffixes = vocab.rules("receipt", "legal_forms").get("suffixes", [])
    # A name with a legal form near the top is the surest ("INDAH GIFT & HOME DECO SDN BHD").
    for reading, span in company_names(Layout(layout.pages), suffixes):
        if span.top <= (header[-1].top if header else 0):
            line = next(s for s in header if s.words and span.words[0] in s.words)
            name = _clean_name(line.text)
            return (make_field(Reading(name, line.text), line, 0.7 * (line.confidence or 1.0)),
                    _address(spans, spans.index(line), vocab))
    for index, span in enumerate(header):
        text = _clean_name(span.text)
        if _NOT_NAME.search(text) or compact(text) in skip or sum(ch.isalpha() for ch in text) < 3:
            continue
        if any(k and k in compact(text) for k in skip if len(k) > 4):
            continue
        return (make_field(Reading(text, span.text), span, 0.5 * (span.confidence or 1.0)),
                _address(spans, index, vocab))
    return None


def _clean_name(text: str) -> str:
    text = _SPACED_LETTERS.sub(lambda m: m.group(0).replace(" ", ""), text)  # "A L D I" -> "ALDI"
    text = " ".join(text.split()).strip(" ,:;*-_=~'\"")
    last = text.split()[-1].lower() if text.split() else ""
    if text.endswith(".") and not ("." in last[:-1] or last[:-1] in ("inc", "ltd", "co", "corp", "bhd")):
        text = text.rstrip(".")  # a full stop, not the end of "S.r.l." or "Inc."
    return text.strip()


def _address(spans: list[Span], name_index: int, vocab: Vocabulary) -> ExtractedField | None:
    """The lines under the merchant's name up to the first line that is not address (phone, tax
    id, date, receipt number)."""
    stop = re.compile(vocab.rules("receipt", "address").get("stop", r"tel|fax|phone|gst|vat|p\.?\s?iva|date|invoice"), re.I)
    lines = []
    for span in spans[name_index + 1 : name_index + 6]:
        if stop.search(span.text) or find_dates(span.text):
            break
        lines.append(span)
    if not lines:
        return None
    text = " ".join(" ".join(s.text.split()) for s in lines)
    words = tuple(w for s in lines for w in s.words)
    return make_field(Reading(text, text), Span(lines[0].page, words, text), 0.4)


# -- payment -----------------------------------------------------------------------------------
def _payment(layout: Layout, vocab: Vocabulary) -> ExtractedField | None:
    methods: dict[str, list[str]] = vocab.rules("receipt", "payment_methods")
    if not methods:
        return None
    keys = [(method, compact(word), word) for method, words in methods.items() for word in words]
    for label, hits in _group_hits(layout, keys).items():
        method, span = hits
        return make_field(Reading(method, span.text), span, 0.6 * (span.confidence or 1.0))
    return None


def _group_hits(layout: Layout, keys: list[tuple[str, str, str]]) -> dict[str, tuple[str, Span]]:
    out: dict[str, tuple[str, Span]] = {}
    words = [w for _, _, w in keys]
    for hit in layout.find(words):
        method = next(m for m, _, w in keys if w == hit.label)
        out.setdefault(hit.label, (method, layout.line_span(hit)))
        break
    return out
