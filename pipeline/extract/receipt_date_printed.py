"""A slip that prints its date more than once: its printings outvote a misread one.

Tills print the sale's date on more than one line: beside its label at the top, again with the
time at the foot, on a print stamp ("PRN ON 30/03/2018 11:10 PM"). Each printing is its own ink:
a figure that faded or was creased on one line reads as printed on another, while a photo's
readings of one line re-read the same pixels and misread it alike ("Date: 30/03/2019" three
times, with "30/03/2018" read on the two other lines). Where the readings' date and the date
other lines print are one figure apart (in the day, the month or the year), the date more lines
print is the slip's; each line counts once, for the date most of the readings read on it. The
printings disagreeing, the date goes to review either way. Lines naming another date (an
expiry, a due date) take no part: a voucher valid for a year prints the sale's day and month.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import NamedTuple

from ..records import ExtractedField
from . import validate
from .layout import Layout, Span, box_of
from .receipt_date_vote import DOUBTED
from .receipt_dates import TillDate, names_other_date, other_date_labels, read_till_dates
from .vocabulary import Vocabulary


class _Printing(NamedTuple):
    span: Span  # the line
    reading: int
    date: TillDate

    @property
    def band(self) -> tuple[int, float, float]:
        return (self.span.page.number, min(w.y0 for w in self.span.words), max(w.y1 for w in self.span.words))


def printed_again(date: ExtractedField | None, readings: list[Layout], vocab: Vocabulary, *, month_first: bool,
                  today: dt.date) -> ExtractedField | None:
    """``date`` as the slip's printings of it vote (see above); ``readings``: the page's reading
    first, then a photo's further readings of it."""
    if date is None:
        return None
    read = dt.date.fromisoformat(date.value)
    lines = _lines(_printings(readings, read, vocab, month_first=month_first, today=today))
    printed = Counter(p.date.value for p in lines)
    if len(printed) < 2:
        return date
    best, count = printed.most_common(1)[0]
    doubted = min(date.confidence, DOUBTED)
    if best == read or count < 2 or count <= printed[read]:
        return date.model_copy(update={"confidence": doubted})
    line = next(p for p in lines if p.date.value == best)
    error = validate.issue_date(best, today=today)
    # Shown where it was read: the reviewer sees the line that printed the filed date.
    return date.model_copy(update={"value": best.isoformat(), "raw": line.date.raw, "confidence": doubted,
                                   "valid": error is None, "error": error, "page": line.span.page.number,
                                   "box": box_of(line.span.page, line.span.words)})


def _printings(readings: list[Layout], read: dt.date, vocab: Vocabulary, *, month_first: bool,
               today: dt.date) -> list[_Printing]:
    """Per reading, the lines printing ``read`` or a date one figure away from it (the first such
    date of a line)."""
    other = other_date_labels(vocab)
    out: list[_Printing] = []
    for index, layout in enumerate(readings):
        for span in layout.spans():
            for hit in read_till_dates(span.text, month_first=month_first, today=today):
                if names_other_date(span.text[:hit.pos], other):
                    continue
                if hit.value == read or one_figure_apart(hit.value, read):
                    out.append(_Printing(span, index, hit))
                    break
    return out


def _lines(printings: list[_Printing]) -> list[_Printing]:
    """One date per printed line: the one most readings read on it (none on a tie). A line of
    one reading is the same line of another where their vertical middles fall in each other."""
    groups: list[list[_Printing]] = []
    for p in printings:
        group = next((g for g in groups if _same_line(g[0], p)), None)
        if group is None:
            groups.append([p])
        elif all(q.reading != p.reading for q in group):
            group.append(p)
    out = []
    for group in groups:
        votes = Counter(p.date.value for p in group).most_common()
        if len(votes) == 1 or votes[0][1] > votes[1][1]:
            out.append(next(p for p in group if p.date.value == votes[0][0]))
    return out


def _same_line(a: _Printing, b: _Printing) -> bool:
    (page_a, top_a, bottom_a), (page_b, top_b, bottom_b) = a.band, b.band
    return page_a == page_b and top_a <= (top_b + bottom_b) / 2 <= bottom_a \
        and top_b <= (top_a + bottom_a) / 2 <= bottom_b


def one_figure_apart(a: dt.date, b: dt.date) -> bool:
    """Two dates the same but for one figure of the day, the month or the year as printed."""
    parts_a = (f"{a.day:02d}", f"{a.month:02d}", f"{a.year:04d}")
    parts_b = (f"{b.day:02d}", f"{b.month:02d}", f"{b.year:04d}")
    return sum(x != y for pa, pb in zip(parts_a, parts_b) for x, y in zip(pa, pb)) == 1
