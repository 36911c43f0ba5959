"""A slip's date against the day its photo was taken: a sale is never after the photo of its slip.

Phone photos and scanners' images record the day they were made (``Page.taken``). A date read
after that day is a misread figure ("30/03/2019" on a slip photographed in May 2018), which
"not after today" cannot catch for a year or more. Where exactly one date one figure away from
the one read (in the day, the month or the year) falls in the year before the photo, it is the
slip's: slips are photographed within months of the sale, and a misread changes one figure.
Either way the date goes to review; with no such date alone, the date read stays, marked as
after the photo, so that the reviewer sees why.
"""

from __future__ import annotations

import datetime as dt

from ..records import ExtractedField
from . import validate
from .layout import Layout
from .receipt_date_vote import DOUBTED


def before_the_photo(date: ExtractedField | None, layout: Layout) -> ExtractedField | None:
    """``date`` checked against the day the slip's image was made (see above)."""
    taken = layout.made
    if date is None or taken is None:
        return date
    read = dt.date.fromisoformat(date.value)
    error = validate.not_after_made(read, taken)
    if error is None:
        return date
    doubted = min(date.confidence, DOUBTED)
    # Within the year before the photo, that day a year before excluded: a year misread one
    # figure later ("2025" for 2024) is one figure from the day a year earlier too.
    nearby = [d for d in _one_figure_away(read)
              if _a_year_before(taken) < d and validate.not_after_made(d, taken) is None]
    if len(nearby) == 1:
        # The raw text stays as printed: the reviewer sees what the slip says and what was filed.
        return date.model_copy(update={"value": nearby[0].isoformat(), "confidence": doubted, "valid": True,
                                       "error": None})
    return date.model_copy(update={"confidence": doubted, "valid": False, "error": error})


def _a_year_before(day: dt.date) -> dt.date:
    return day.replace(year=day.year - 1) if (day.month, day.day) != (2, 29) else dt.date(day.year - 1, 2, 28)


def _one_figure_away(read: dt.date) -> list[dt.date]:
    printed = f"{read.day:02d}{read.month:02d}{read.year:04d}"
    out = []
    for i, figure in enumerate(printed):
        for other in "0123456789":
            if other == figure:
                continue
            text = printed[:i] + other + printed[i + 1:]
            try:
                candidate = dt.date(int(text[4:]), int(text[2:4]), int(text[:2]))
            except ValueError:
                continue
            out.append(candidate)
    return out
