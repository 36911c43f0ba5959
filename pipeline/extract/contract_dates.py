"""Dates Italian deeds write in words: "L'anno duemilaventicinque, il giorno tre del mese di
marzo" (a notarial opening), "addì ventuno del mese di aprile dell'anno duemilaventiquattro".
The words are read as numbers, so any day and year are understood, not a list of spellings.
"""

from __future__ import annotations

import datetime as dt
import re

from ..textnorm import fold
from .dates import MONTHS

_UNITS = {"uno": 1, "un": 1, "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7, "otto": 8,
          "nove": 9}
_TEENS = {"dieci": 10, "undici": 11, "dodici": 12, "tredici": 13, "quattordici": 14, "quindici": 15, "sedici": 16,
          "diciassette": 17, "diciotto": 18, "diciannove": 19}
_TENS = {"venti": 20, "trenta": 30, "quaranta": 40, "cinquanta": 50, "sessanta": 60, "settanta": 70, "ottanta": 80,
         "novanta": 90}


def italian_number(word: str) -> int | None:
    """1..2999 written as one Italian word ("ventitré", "duemilaventicinque"); None otherwise."""
    word = fold(word).strip()
    if word in ("primo", "1°", "1º"):
        return 1
    if word.isdigit():
        return int(word)
    thousands = 0
    for prefix, value in (("duemila", 2000), ("millenovecento", 1900), ("mille", 1000)):
        if word.startswith(prefix):
            thousands, word = value, word[len(prefix):]
            break
    if not word:
        return thousands or None
    if word in _UNITS:
        return thousands + _UNITS[word]
    if word in _TEENS:
        return thousands + _TEENS[word]
    for tens, value in _TENS.items():
        stem = tens[:-1]  # "vent" in "ventuno", "ventotto"
        if word == tens:
            return thousands + value
        for head in (tens, stem):
            if word.startswith(head) and word[len(head):] in _UNITS:
                return thousands + value + _UNITS[word[len(head):]]
    return None


_WORD = r"[a-z°º0-9]{1,25}"
_ASIDE = r"(?: ?\(\d{1,4}\))?"
_MONTH = "|".join(m for m in MONTHS if len(m) > 3)
# On folded, whitespace-collapsed text.
_YEAR_FIRST = re.compile(
    rf"\bl ?['’]? ?anno (?P<year>{_WORD}){_ASIDE},? (?:e )?(?:il giorno|addi|il di) (?P<day>{_WORD}){_ASIDE}"
    rf" (?:del mese di |di )?(?P<month>{_MONTH})\b")
_DAY_FIRST = re.compile(
    rf"\b(?:il giorno|addi) (?P<day>{_WORD}){_ASIDE} (?:del mese di |di )?(?P<month>{_MONTH})"
    rf"(?: del|,)? (?:dell ?['’]? ?anno |anno )?(?P<year>{_WORD}){_ASIDE}\b")


def deed_dates(text: str) -> list[tuple[dt.date, str, int]]:
    """Every date written in words in ``text``: (date, raw text, position)."""
    folded = fold(text)  # same length as ``text`` for Latin scripts
    out = []
    for pattern in (_YEAR_FIRST, _DAY_FIRST):
        for match in pattern.finditer(folded):
            year, day = italian_number(match.group("year")), italian_number(match.group("day"))
            if year is None or day is None or not 1900 <= year <= 2200:
                continue
            try:
                value = dt.date(year, MONTHS[match.group("month")], day)
            except ValueError:
                continue
            out.append((value, text[match.start() : match.end()], match.start()))
    return sorted(out, key=lambda item: item[2])
