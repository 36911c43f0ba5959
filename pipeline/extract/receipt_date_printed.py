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

Two more ways one line settles it. Where the readings of the date's own line split three ways
("19/08/2018", "19/03/2018", "19/09/2018": one faint figure), that line says nothing, and one
other line printing a date one figure away says what the slip's is. And a year read cut to its
century ("19/03/20", the last figures faded) beside another line printing the same day and
month with a whole year more than one figure from 2020 ("19/03/2018") is that year. Between a
date and the same day a year on, printed by as many lines, the earlier is the sale's: the later
is what a voucher or a warranty bought that day is valid until, its label unread.
"""

from __future__ import annotations

import datetime as dt
import re
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
    other = other_date_labels(vocab)
    full = _year_in_full(date.raw, read, readings, other, month_first=month_first, today=today)
    if full is not None:
        read = full  # "19/03/20" is "19/03/2018" with its year cut: the line printing it whole says so
    printings = _printings(readings, read, other, month_first=month_first, today=today)
    lines = _lines(printings)
    best, disagreed = _verdict(Counter(p.date.value for p in lines), lines, read, date.raw)
    if best.isoformat() == date.value:
        return date.model_copy(update={"confidence": min(date.confidence, DOUBTED)}) if disagreed else date
    shown = [p for p in lines + printings if p.date.value == best]
    line = next((p for p in shown if not _TWO_FIGURE_YEAR.search(p.date.raw.strip())), shown[0])
    error = validate.issue_date(best, today=today)
    # Shown where it was read: the reviewer sees the line that printed the filed date.
    return date.model_copy(update={"value": best.isoformat(), "raw": line.date.raw,
                                   "confidence": min(date.confidence, DOUBTED),
                                   "valid": error is None, "error": error, "page": line.span.page.number,
                                   "box": box_of(line.span.page, line.span.words)})


def _verdict(printed: Counter, lines: list[_Printing], read: dt.date, raw: str) -> tuple[dt.date, bool]:
    """(the date the printed lines say, whether they disagreed on it): more lines win, from two
    lines on; between as many, of a date and the same day a year later, the earlier (the later
    is what something bought that day is valid until, its label unread). Where no line's
    readings settled on ``read`` (they split three ways, or ``read`` came from a form no printing
    shows), one other date printed alone, on other lines than ``read``'s (``raw``: as read
    there), is the slip's."""
    others = Counter({value: n for value, n in printed.items() if value != read})
    if not others:
        return read, False
    if printed[read] == 0:
        on_its_line = re.compile(rf"(?<!\w){re.escape(raw.strip())}(?!\w)")
        elsewhere = {p.date.value for p in lines if not on_its_line.search(p.span.text)}
        return (elsewhere.pop(), True) if len(others) == 1 and len(elsewhere) == 1 else (read, True)
    (best, count), *rest = others.most_common()
    if rest and rest[0][1] == count:
        return read, True
    if count >= 2 and count > printed[read]:
        return best, True
    if count == printed[read] and _a_year_after(read, best):
        return best, True  # the later of two lines as many print is a validity's end
    return read, True


def _a_year_after(later: dt.date, earlier: dt.date) -> bool:
    """``later`` is ``earlier``'s day and month a year on: what a voucher, a warranty or a
    membership bought that day is valid until."""
    return (later.month, later.day) == (earlier.month, earlier.day) and later.year == earlier.year + 1


def _year_in_full(raw: str, read: dt.date, readings: list[Layout], other: re.Pattern | None, *,
                  month_first: bool, today: dt.date) -> dt.date | None:
    """The date another line prints with a four-figure year of which ``raw``'s two-figure year is
    the first half ("19/03/20" read, "19/03/2018" printed again): the year's last figures faded."""
    whole = {hit.value for layout in readings for span in layout.spans()
             for hit in read_till_dates(span.text, month_first=month_first, today=today)
             if _YEAR_AT_END.search(hit.raw) and not names_other_date(span.text[:hit.pos], other)
             and _cut_from(raw, read, hit.value)}
    return whole.pop() if len(whole) == 1 else None


_TWO_FIGURE_YEAR = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-](\d\d)$")
_YEAR_AT_END = re.compile(r"[./-]\d{4}$")


def _printings(readings: list[Layout], read: dt.date, other: re.Pattern | None, *, month_first: bool,
               today: dt.date) -> list[_Printing]:
    """Per reading, the lines printing ``read`` or a date one figure away from it (the first such
    date of a line); a line printing it with its year cut short to the century ("19/03/20" for
    2018) prints ``read``. ``other``: the labels of dates other than the sale's."""
    out: list[_Printing] = []
    for index, layout in enumerate(readings):
        for span in layout.spans():
            for hit in read_till_dates(span.text, month_first=month_first, today=today):
                if names_other_date(span.text[:hit.pos], other):
                    continue
                if _cut_from(hit.raw, hit.value, read):
                    hit = hit._replace(value=read)
                if hit.value == read or one_figure_apart(hit.value, read):
                    out.append(_Printing(span, index, hit))
                    break
    return out


def _cut_from(raw: str, as_read: dt.date, whole: dt.date) -> bool:
    """Whether ``raw`` (read as ``as_read``) prints ``whole`` with its year cut to the century:
    the same day and month, and a two-figure year more than one figure from the whole one as
    read (2020 for 2018: not a figure misread on one line, as "21.04.20" beside "21.04.2021"
    misread from 2020 is)."""
    cut = _TWO_FIGURE_YEAR.search(raw.strip())
    return cut is not None and (as_read.month, as_read.day) == (whole.month, whole.day) \
        and str(whole.year)[:2] == cut.group(1) and as_read != whole and not one_figure_apart(as_read, whole)


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
