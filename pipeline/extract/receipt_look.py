"""Which lines of a photographed slip deserve a second, enlarged reading.

One plain Tesseract reading of a phone photo gets most of a receipt right; small print costs it
some figures. Reading the whole photo again enlarged (and in other modes) costs ten times the
first reading, so the reading stage asks this module, after the first reading, which lines are
worth it: the date's lines alone when the total and the date are already corroborated (cash
minus change equals a labelled total, or the total is printed twice; a date read confidently,
which may still hold a misread figure), else the lines of the total, the payment, the rounding
and the date, and the slip's first lines (the merchant). After the second look, it says whether
the readings tie on the date (``date_lines_tied``): then the date's lines are read once more.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

from ..records import Page
from .amounts import find_amounts
from .labelled import claimed_hits, labelled_candidates
from .layout import Layout, Span
from .receipt_date_vote import tied
from .receipt_dates import till_dates
from .vocabulary import Vocabulary, load_vocabulary

# A figure or date read with every character at least this sure needs no second look.
_SURE = 0.80
# Lines that head the slip: where the merchant's name is printed.
_HEAD_LINES = 3
# Something shaped like a printed date, whether or not OCR read it as a valid one.
_DATE_SHAPE = re.compile(r"\d{1,4}\s?[./\-]\s?\d{1,2}\s?[./\-]\s?\d{2,4}")
# A time of day ("15:59", "5:02:54 PM"): tills print the date on the time's line.
_TIME_SHAPE = re.compile(r"(?<![\d.,])\d{1,2}:\d{2}(?::\d{2})?(?![\d.,])")
# A year of this century or the last's end standing alone, as a date's line prints it.
_YEAR_SHAPE = re.compile(r"(?<![\d.,])(?:19[89]\d|20[0-4]\d)(?![\d.,])")
# A line read this unsurely (every word, on average) was read as noise.
_NOISE = 0.5
_FIELDS = ("total_amount", "tendered", "change", "rounding", "date")
# A line that ends in a figure, maybe followed by a currency or a VAT class ("19,77 A",
# "5.00 RM", "12,50 EUR").
_FIGURE_LAST = re.compile(r"\d[.,]\s?\d\d\W{0,2}(?:\s+\S{1,3}\W{0,2})?$")
# A stretch of the lower half with no line read, taller than this many text lines and no
# taller than _GAP_MAX, is print the first reading skipped (a double-height TOTAL line, a line
# under a dark band): read again. Taller empty stretches are pictures or blank paper.
_GAP_MIN = 1.6
_GAP_MAX = 10.0


@lru_cache(maxsize=1)
def _shipped_vocabulary() -> Vocabulary:
    from ..config import config_dir

    return load_vocabulary(config_dir() / "fields.toml")


def lines_to_reread(page: Page, vocabulary: Path | None = None, *, today: dt.date | None = None) -> list[tuple[float, float]]:
    """Vertical bands (top, bottom, in the page's pixels) to read again enlarged; only the
    date's when the first reading already corroborates the total and the date."""
    vocab = load_vocabulary(vocabulary) if vocabulary else _shipped_vocabulary()
    layout = Layout([page])
    spans = layout.spans()
    if not spans:
        return []
    today = today or dt.date.today()
    found = labelled_candidates(layout, vocab.specs("receipt"), ignore=vocab.ignore("receipt"),
                                month_first=False, today=today)
    dated = [s for s in spans if _DATE_SHAPE.search(s.text)]
    if _total_corroborated(spans, found) and _date_corroborated(spans, found, today):
        # A date line read surely may still hold a misread figure ("19/08/2018" for 19/03, every
        # character read at 0.8 or more): its own lines are read again, to be outvoted there.
        return _bands([c.span for c in found.get("date", [])] + dated)
    wanted: list[Span] = list(spans[:_HEAD_LINES])
    for name in _FIELDS:
        for c in found.get(name, []):
            wanted.append(c.span)
            if c.hit is not None:
                wanted.append(layout.line_span(c.hit))
    # A label's line whose figure came out garbled ("TOTAL REM 1s Se") has no candidate: read
    # it again for the figure.
    hits = claimed_hits(layout, vocab.specs("receipt"), vocab.ignore("receipt"))
    wanted += [layout.line_span(hit) for name in _FIELDS if name != "date" for _, hit in hits.get(name, [])]
    wanted += dated
    if not dated and not any(till_dates(s.text, month_first=False, today=today) for s in spans):
        # No line read holds a date: the date's line was read as noise, and where a till prints
        # the time beside it, the time read is the way back to it (a line under a barcode, its
        # figures run into by the bars' ends: "0412 | U3) 15:59" for "0412 123456/01 02.03.20 15:59").
        wanted += [s for s in spans if _TIME_SHAPE.search(s.text)]
        # Nor the time: the date label's line (its figures read as letters, "Date: Il0SP0IB") and
        # the lines printing a year ("ops 731.4 2022 08537" for "03 / 11 / 2022 08:57").
        wanted += [layout.line_span(hit) for _, hit in hits.get("date", [])]
        wanted += [s for s in spans if _YEAR_SHAPE.search(s.text)]
        # And lines read as noise only: a date line under a barcode, the bars read with it ("ULI").
        wanted += [s for s in spans if s.confidence < _NOISE]
    # Every line ending in a figure in the slip's lower half, where totals are printed: a total
    # label lost to small print, and the figures that corroborate the total (its repetitions,
    # the lines it sums) are read again too.
    half = page.height / 2
    wanted += [s for s in spans if s.top >= half and _FIGURE_LAST.search(s.text)]
    return _merged(_bands(wanted) + _gaps(spans, half))


def date_lines_tied(page: Page, vocabulary: Path | None = None, *, today: dt.date | None = None) -> list[tuple[float, float]]:
    """Bands of the date's lines when the page's readings (``page`` and its ``alternate``s) tie
    on the sale's date, none where one date has more readings than every other."""
    from .receipt import date_readings

    vocab = load_vocabulary(vocabulary) if vocabulary else _shipped_vocabulary()
    today = today or dt.date.today()
    layout = Layout([page])
    dates = date_readings(layout, vocab, today=today)
    if not tied(dates):
        return []
    boxes = [(d.box[1] * page.height, d.box[3] * page.height) for d in dates if d is not None and d.box]
    return _merged(boxes + _bands([s for s in layout.spans() if _DATE_SHAPE.search(s.text)]))


def _gaps(spans: list[Span], below: float) -> list[tuple[float, float]]:
    """Stretches of the slip's lower half between two lines read, where a line or more of
    print could hide."""
    boxes = sorted((min(w.y0 for w in s.words), max(w.y1 for w in s.words)) for s in spans if s.words)
    heights = sorted(bottom - top for top, bottom in boxes)
    if not heights:
        return []
    line = heights[len(heights) // 2]
    out = []
    above = boxes[0][1]
    for top, bottom in boxes[1:]:
        if above >= below and _GAP_MIN * line <= top - above <= _GAP_MAX * line:
            out.append((above + 1, top - 1))
        above = max(above, bottom)
    return out


def _bands(spans: list[Span]) -> list[tuple[float, float]]:
    return _merged([(min(w.y0 for w in s.words), max(w.y1 for w in s.words)) for s in spans if s.words])


def _merged(boxes: list[tuple[float, float]]) -> list[tuple[float, float]]:
    boxes = sorted(set(boxes))
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


def _date_corroborated(spans: list[Span], found: dict, today: dt.date) -> bool:
    if any(_sure(c.span) for c in found.get("date", [])):
        return True
    # A date-shaped line read surely corroborates only a date read from it: small print read
    # surely as "91.05.2023" or "16/69/20" (a digit misread) is no date, and deserves a second look.
    return any(_DATE_SHAPE.search(s.text) and _sure(s) and till_dates(s.text, month_first=False, today=today)
               for s in spans)
