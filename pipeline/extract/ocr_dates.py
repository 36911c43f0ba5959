"""Dates as OCR reads them off a scanned contract: "March l5, 2019", "2O19", "I5th day of",
"1O/O3/2019", "March 15, 20 19", "30 gennato 2025", "12 rnarzo 2024". Tesseract confuses the
letters l and I with the digit 1 and O with 0 inside figures, splits a year where the scan breaks
a glyph, and misreads one letter of a month's name (i as t, h as b, m as rn). Left alone, the
date is either lost or read as another (the year "20" of "20 19" makes 2020).

``repair`` rewrites only such figures, and keeps the text's length, so every position found in
the repaired text is the position in the text as read.
"""

from __future__ import annotations

import re

from ..textnorm import fold
from .dates import MONTHS

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
# A letter that stands for a digit: between digits; heading a run of digits that is a day ("l5,",
# "I5th") or a year ("O3/", "2O19"); ending a day or a year ("2l,", "3Oth", "201l"); or alone
# as the day before a month and its year ("I June 2011", "Ist day of November, 2015").
_CONFUSED = re.compile(
    r"(?<=\d)[lIO](?=\d)|(?<=\d[/.\-])[lIO](?=[/.\-]\d)|(?<![\w])[lIO](?=\d(?:\d{2,3})?(?:st|nd|rd|th)?\b)|(?<=\b\d{3})[lIO]\b|"
    r"(?<=\b\d\d)[lIO](?=\d\b)|(?<=\b\d)[lIO](?=(?:st|nd|rd|th)?\b)|"
    rf"\b[lI](?=(?:st)?\s+(?:day\s+of\s+)?(?i:{_MONTH})\b\.?,?\s+\d)")
_DIGIT = {"l": "1", "I": "1", "O": "0"}
# A year split after its century, where a date ends: "March 15, 20 19", "15/03/20 19",
# "15th day of March, 20 19". The space moves after the year, so the length is kept.
_SPLIT_YEAR = re.compile(
    rf"(?i)(?:\b(?:{_MONTH})\.?,? (?:\d{{1,2}}(?:st|nd|rd|th)?,? )?(?:in the year |A\.\s?D\. )?|\b\d{{1,2}}[/.\-]\d{{1,2}}[/.\-] ?)"
    r"(?P<century>19|20) (?P<decade>\d\d)\b")


_YEAR_SPACE = re.compile(r"\b(?:19|20) \d\d\b")
# A word where a date's month stands: between a day and a year ("30 gennato 2025", "15th day of
# Aprtl, 2013", "1st of Novcmber 2015"), or before a day and a year ("Marcb 15, 2019").
_YEAR_AFTER = r"(?=,?\s+(?:in\s+the\s+year\s+|A\.\s?D\.\s+)?\d{4}\b)"
_MONTH_SLOT = re.compile(rf"(?<=\b\d\d )(?P<a>[A-Za-z01]{{4,10}}){_YEAR_AFTER}|(?<=\b\d )(?P<b>[A-Za-z01]{{4,10}}){_YEAR_AFTER}|"
                         r"\b(?P<c>[A-Za-z01]{4,10})(?= \d{1,2}(?:st|nd|rd|th)?, ?\d{4}\b)|"
                         rf"(?<=\bday of )(?P<d>[A-Za-z01]{{4,10}}){_YEAR_AFTER}|"
                         rf"(?<=\d[snrt][tdh] of )(?P<e>[A-Za-z01]{{4,10}}){_YEAR_AFTER}|"
                         rf"(?<=\d[snrt][tdh] )(?P<f>[A-Za-z01]{{4,10}}){_YEAR_AFTER}")
# Full month names long enough that one wrong letter still names a single month.
_LONG_MONTHS = [m for m in MONTHS if len(m) >= 5]


def repair(text: str) -> str:
    """``text`` with the digits of its figures as printed; same length as ``text``."""
    text = _CONFUSED.sub(lambda m: _DIGIT[m.group(0)], text)
    if _YEAR_SPACE.search(text):  # the month alternation is slow to try at every position
        text = _SPLIT_YEAR.sub(lambda m: m.group(0)[: m.start("century") - m.start()]
                               + m.group("century") + m.group("decade") + " ", text)
    return _MONTH_SLOT.sub(_month, text)


def _month(match: re.Match) -> str:
    """The month a misread word stands for, padded to the word's length; the word itself when it
    is a month already or no single month is one letter away."""
    word = match.group(0)
    folded = fold(word).replace("0", "o").replace("1", "l")
    if len(folded) != len(word):
        return word
    if folded in MONTHS:  # "0ttobre", "Apri1"
        return _cased(folded, word) if folded != fold(word) else word
    spaced = folded.replace("rn", "m") if "rn" in folded else None  # "rnarzo", "Novernber"
    if spaced in MONTHS:
        return _cased(spaced, word) + " " * (len(word) - len(spaced))
    near = [m for m in _LONG_MONTHS if len(m) == len(folded) and sum(a != b for a, b in zip(m, folded)) == 1]
    return _cased(near[0], word) if len(near) == 1 else word


def _cased(month: str, like: str) -> str:
    return month.upper() if like.isupper() else month.capitalize() if like[:1].isupper() else month
