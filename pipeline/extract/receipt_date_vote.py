"""Which date a receipt photo files when its readings disagree on it.

A photo's first reading and the second look's two re-readings of its doubtful lines (two
binarisations of the enlarged line) each give a date. Where the date's line was not read again,
the re-readings copy the first reading's words, so they disagree only where the line was read
three times. Then the date more readings read wins: two readings of "20/03/2018" beat one of
"20/03/2013", two of "30/03/2018" one of "36/03/2019" put back to a real date, and two repairs of
"26/05/2078" one reading that took "5, 23.00" for a date. Between as many readings the first
reading's date stands (the page's own reading: enlarging legible print misreads it too, and OCR's
confidence picks the right one no more often) — unless it was made only by a repair ("06-07-2029",
whose 9 the till reader put back to 0) and the other reading read its date as printed: then the
other reading's stands. Either way it is a guess: it goes to review, never filed as sure. The
second look then reads the date's lines once more, larger (``Page.date_look``): the date it
reads among the tied ones is the one filed, still to review.
"""

from __future__ import annotations

from collections import Counter

from ..records import ExtractedField

# A date the readings left as a tie is a person's call: no surer than the review threshold allows.
DOUBTED = 0.45


def date_ranks(dates: list[ExtractedField | None], as_printed: list[bool] | None = None) -> list[tuple]:
    """Per reading, how well its date is supported (higher wins): how many readings read it, then
    whether the reading read it as printed (``as_printed``) rather than only through a repair.
    Two readings putting one filled 0 back outvote one reading of another real date; between
    as many readings a date as printed beats one a repair made."""
    read = Counter(d.value for d in dates if d is not None)
    printed = as_printed or [True] * len(dates)
    return [() if d is None else (read[d.value], p) for d, p in zip(dates, printed)]


def settled(date: ExtractedField | None, dates: list[ExtractedField | None]) -> ExtractedField | None:
    """The date the vote chose, sent to review when no more readings read it than read another."""
    if date is None:
        return None
    read = Counter(d.value for d in dates if d is not None)
    others = [n for value, n in read.items() if value != date.value]
    if not others or read[date.value] > max(others):
        return date
    return date.model_copy(update={"confidence": min(date.confidence, DOUBTED)})


def tied(dates: list[ExtractedField | None]) -> bool:
    """Whether the readings left the date a tie: no date read more often than every other."""
    read = Counter(d.value for d in dates if d is not None).most_common()
    return len(read) > 1 and read[0][1] == read[1][1]
