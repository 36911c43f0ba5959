"""Dates as OCR reads them off a scanned contract: "March l5, 2019", "2O19", "I5th day of",
"1O/O3/2019", "March 15, 20 19". Tesseract confuses the letters l and I with the digit 1 and O
with 0 inside figures, and splits a year where the scan breaks a glyph. Left alone, the date is
either lost or read as another (the year "20" of "20 19" makes 2020).

``repair`` rewrites only such figures, and keeps the text's length, so every position found in
the repaired text is the position in the text as read.
"""

from __future__ import annotations

import re

from .dates import MONTHS

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
# A letter that stands for a digit: between digits; heading a run of digits that is a day ("l5,",
# "I5th") or a year ("O3/", "2O19"); ending a day or a year ("2l,", "3Oth", "201l"); or alone
# as the day before a month and its year ("I June 2011", "Ist day of November, 2015").
_CONFUSED = re.compile(
    r"(?<=\d)[lIO](?=\d)|(?<![\w])[lIO](?=\d(?:\d{2,3})?(?:st|nd|rd|th)?\b)|(?<=\b\d{3})[lIO]\b|"
    r"(?<=\b\d\d)[lIO](?=\d\b)|(?<=\b\d)[lIO](?=(?:st|nd|rd|th)?\b)|"
    rf"\b[lI](?=(?:st)?\s+(?:day\s+of\s+)?(?i:{_MONTH})\b\.?,?\s+\d)")
_DIGIT = {"l": "1", "I": "1", "O": "0"}
# A year split after its century, where a date ends: "March 15, 20 19", "15/03/20 19",
# "15th day of March, 20 19". The space moves after the year, so the length is kept.
_SPLIT_YEAR = re.compile(
    rf"(?i)(?:\b(?:{_MONTH})\.?,? (?:\d{{1,2}}(?:st|nd|rd|th)?,? )?|\b\d{{1,2}}[/.\-]\d{{1,2}}[/.\-] ?)"
    r"(?P<century>19|20) (?P<decade>\d\d)\b")


def repair(text: str) -> str:
    """``text`` with the digits of its figures as printed; same length as ``text``."""
    text = _CONFUSED.sub(lambda m: _DIGIT[m.group(0)], text)
    return _SPLIT_YEAR.sub(lambda m: m.group(0)[: m.start("century") - m.start()]
                           + m.group("century") + m.group("decade") + " ", text)
