"""Which lines of a photographed slip deserve a second, enlarged reading.

One plain Tesseract reading of a phone photo gets most of a receipt right; small print costs it
some figures. Reading the whole photo again enlarged (and in other modes) costs ten times the
first reading, so the reading stage asks this module, after the first reading, which lines are
worth it: none when the total and the date are already corroborated (cash minus change equals
a labelled total, or the total is printed twice; a date read confidently), else the lines of
the total, the payment, the rounding and the date, and the slip's first lines (the merchant).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

from ..records import Page
from .amounts import find_amounts
from .labelled import labelled_candidates
from .layout import Layout, Span
from .vocabulary import Vocabulary, load_vocabulary

# A figure or date read with every character at least this sure needs no second look.
_SURE = 0.80
# Lines that head the slip: where the merchant's name is printed.
_HEAD_LINES = 3
# Something shaped like a printed date, whether or not OCR read it as a valid one.
_DATE_SHAPE = re.compile(r"\d{1,4}\s?[./\-]\s?\d{1,2}\s?[./\-]\s?\d{2,4}")
_FIELDS = ("total_amount", "tendered", "change", "rounding", "date")


@lru_cache(maxsize=1)
def _shipped_vocabulary() -> Vocabulary:
    from ..config import config_dir

    return load_vocabulary(config_dir() / "fields.toml")


def lines_to_reread(page: Page, vocabulary: Path | None = None, *, today: dt.date | None = None) -> list[tuple[float, float]]:
    """Vertical bands (top, bottom, in the page's pixels) to read again enlarged; empty when the
    first reading already corroborates the total and the date."""
    vocab = load_vocabulary(vocabulary) if vocabulary else _shipped_vocabulary()
    layout = Layout([page])
    spans = layout.spans()
    if not spans:
        return []
    found = labelled_candidates(layout, vocab.specs("receipt"), ignore=vocab.ignore("receipt"),
                                month_first=False, today=today or dt.date.today())
    if _total_corroborated(spans, found) and _date_corroborated(spans, found):
        return []
    wanted: list[Span] = list(spans[:_HEAD_LINES])
    for name in _FIELDS:
        for c in found.get(name, []):
            wanted.append(c.span)
            if c.hit is not None:
                wanted.append(layout.line_span(c.hit))
    wanted += [s for s in spans if _DATE_SHAPE.search(s.text)]
    # Every line ending in a figure in the slip's lower half, where totals are printed: a total
    # label lost to small print, and the figures that corroborate the total (its repetitions,
    # the lines it sums) are read again too.
    half = page.height / 2
    wanted += [s for s in spans if s.top >= half and re.search(r"\d[.,]\s?\d\d\W{0,2}$", s.text)]
    return _bands(wanted)


def _bands(spans: list[Span]) -> list[tuple[float, float]]:
    boxes = sorted({(min(w.y0 for w in s.words), max(w.y1 for w in s.words)) for s in spans if s.words})
    merged: list[tuple[float, float]] = []
    for top, bottom in boxes:
        if merged and top <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], bottom))
        else:
            merged.append((top, bottom))
    return merged


def _sure(span: Span) -> bool:
    return span.confidence >= _SURE


def _total_corroborated(spans: list[Span], found: dict) -> bool:
    from .receipt import _paid

    totals = [c for c in found.get("total_amount", []) if c.reading.value > 0]
    if not totals:
        return False
    paid, _ = _paid(found, totals)
    if paid is not None and any(c.reading.value == paid and _sure(c.span) for c in totals):
        return True
    printed: dict = {}
    for span in spans:
        for value, _, _ in find_amounts(span.text):
            printed[value] = printed.get(value, 0) + 1
    largest = max(c.reading.value for c in totals)
    return any(c.reading.value == largest and printed.get(largest, 0) >= 2 and _sure(c.span)
               and re.search(r"\d[.,]\s?\d\d-?$", c.reading.raw) for c in totals)


def _date_corroborated(spans: list[Span], found: dict) -> bool:
    if any(_sure(c.span) for c in found.get("date", [])):
        return True
    return any(_DATE_SHAPE.search(s.text) and _sure(s) for s in spans)
