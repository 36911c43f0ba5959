"""Dates as formal English contracts spell them: "the first day of July, 2010", "this 2d day of
January, 2011", "the 2nd of January 2011", "January, A.D. 2011", "… day of March in the year
2011". The words around the figures are rewritten so the date reader sees day, month and year;
the text keeps its length, so every position found stays the position in the text as read.
"""

from __future__ import annotations

import re

from .dates import MONTHS

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
          "eighteenth", "nineteenth"]
ORDINAL_DAYS = {word: n for n, word in enumerate(_UNITS, 1)}
ORDINAL_DAYS.update({word: n for n, word in enumerate(_TEENS, 10)})
ORDINAL_DAYS.update({"twentieth": 20, "thirtieth": 30})
ORDINAL_DAYS.update({f"{tens}{sep}{unit}": base + n for tens, base in (("twenty", 20), ("thirty", 30))
                     for n, unit in enumerate(_UNITS, 1) if base + n <= 31 for sep in ("-", " ")})

_DAY_OF = rf"(?=\s+day\s+of\s+(?i:{_MONTH})\b)"
_WORD_DAY = re.compile(r"(?i)\b(?P<word>" + "|".join(sorted(map(re.escape, ORDINAL_DAYS), key=len, reverse=True))
                       + r")" + _DAY_OF)
_LEGAL_ORDINAL = re.compile(r"(?i)\b(?P<day>\d{1,2})d" + _DAY_OF)  # "2d", "22d", "3d"
_OF_MONTH = re.compile(rf"(?i)(?P<day>\b\d{{1,2}}(?:st|nd|rd|th)) of (?=(?:{_MONTH})\b)")
_ERA = re.compile(r"(?i)(?:\bA\.\s?D\.|\s+in\s+the\s+year)(?=\s*,?\s*\d{4}\b)")


def spelled(text: str) -> str:
    """``text`` with its formally spelled dates in figures; same length as ``text``."""
    text = _WORD_DAY.sub(lambda m: _ordinal(ORDINAL_DAYS[m.group("word").lower().replace("  ", " ")])
                         .ljust(len(m.group(0))), text)
    text = _LEGAL_ORDINAL.sub(lambda m: m.group("day") + " ", text)
    text = _OF_MONTH.sub(lambda m: m.group("day") + "    ", text)
    return _ERA.sub(lambda m: " " * len(m.group(0)), text)


def _ordinal(day: int) -> str:
    return f"{day}{'th' if 10 < day < 14 else {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th')}"
