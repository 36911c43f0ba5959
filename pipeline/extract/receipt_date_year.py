"""A till slip's date whose year no reading could read: a guess, sent to review.

Thermal print loses the year's first figures most ("Date 11/05/0078", "11/05/9078" for
11/05/2018: the 2 read as 0 or 9, the 1 as 7; "11/05 7018" with the stroke before them) while
the day and the month beside the date label read as printed. No reading then gives a date, and
the slip goes unfiled by date. The year's century is what the plausible window allows (a slip is
filed within years of its sale), its last two figures as read, or put back with the fewest
thermal confusions (8/6/9 for 0, 7 for 1) when that leads to one plausible year alone. Nothing
confirms the year: the date goes to review, never filed as sure; the readings vote on it as on
any date (more readings win).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from ..records import ExtractedField
from . import validate
from .labelled import Reading, make_field
from .layout import Layout
from .receipt_date_vote import DOUBTED
from .receipt_dates import AS_DIGIT, MISREAD, REPAIR_YEARS, label_words, names_other_date, other_date_labels
from .vocabulary import Vocabulary

# Day and month read as printed, then four characters where the year was printed; the stroke
# before the year may fade with its first figures ("11/05 7018"), the label vouching for a date.
_GARBLED = re.compile(r"(?<![\w,.])(\d{1,2}) ?([./-]) ?(\d{1,2})(?: ?\2 ?| )([0-9A-Za-z]{4})(?![0-9])")


def year_guessed(readings: list[Layout], vocab: Vocabulary, *, month_first: bool,
                 today: dt.date) -> ExtractedField | None:
    """The date beside a date label whose year was read as no plausible year, in the reading
    more readings agree with (the first on a tie), no surer than the review threshold."""
    guesses = [g for g in (_guess(lay, vocab, month_first=month_first, today=today) for lay in readings) if g]
    if not guesses:
        return None
    read = Counter(g.value for g in guesses)
    best = max(guesses, key=lambda g: read[g.value])
    error = validate.issue_date(dt.date.fromisoformat(best.value), today=today)
    return best.model_copy(update={"confidence": min(best.confidence, DOUBTED), "valid": error is None, "error": error})


def _guess(layout: Layout, vocab: Vocabulary, *, month_first: bool, today: dt.date) -> ExtractedField | None:
    spec = vocab.spec("receipt", "date")
    other = other_date_labels(vocab)
    for hit in layout.find(spec.labels if spec else ()):
        if names_other_date(label_words(hit), other):
            continue
        right = layout.right(hit)
        m = _GARBLED.search(right.text)
        if m is None:
            continue
        day, month = (m.group(3), m.group(1)) if month_first else (m.group(1), m.group(3))
        value = _with_year(int(day), int(month), m.group(4), today)
        if value is not None:
            line = layout.line_span(hit)
            return make_field(Reading(value, m.group(0)), line, DOUBTED * (line.confidence or 1.0))
    return None


def _with_year(day: int, month: int, year: str, today: dt.date) -> dt.date | None:
    """The one plausible date with the year's last two figures as read or with the fewest
    confusions put back; None when the day and month are no date, or two years are as near."""
    tail, figures = year[2:].translate(AS_DIGIT), year.translate(AS_DIGIT)
    if not tail.isdigit():
        return None
    if figures.isdigit() and _plausible_year(int(figures), today):
        return None  # a year read as a plausible year is the strict readers' business
    for changes in range(3):
        found = set()
        for last in _put_back(tail, changes):
            for century in {today.year // 100, (today.year - REPAIR_YEARS) // 100}:
                try:
                    value = dt.date(century * 100 + int(last), month, day)
                except ValueError:
                    continue
                if _plausible_year(value.year, today) and value <= today:
                    found.add(value)
        if len(found) == 1:
            return found.pop()
        if found:
            return None
    return None


def _put_back(tail: str, changes: int) -> list[str]:
    if changes == 0:
        return [tail]
    out = []
    for i, ch in enumerate(tail):
        if ch in MISREAD:
            rest = tail[:i] + MISREAD[ch] + tail[i + 1:]
            out += [rest] if changes == 1 else [r for r in _put_back(rest, changes - 1) if r != tail]
    return out


def _plausible_year(year: int, today: dt.date) -> bool:
    return today.year - REPAIR_YEARS <= year <= today.year
