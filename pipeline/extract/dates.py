"""Dates as printed, read strictly: the date must exist, carry day, month and year, and not sit
in the far future. Numeric dates are day-first unless the document's language says otherwise.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

from ..textnorm import fold

MONTHS = {
    # it
    "gennaio": 1, "febbraio": 2, "marzo": 3, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7,
    "agosto": 8, "settembre": 9, "ottobre": 10, "novembre": 11, "dicembre": 12,
    "gen": 1, "feb": 2, "mar": 3, "apr": 4, "mag": 5, "giu": 6, "lug": 7, "ago": 8, "set": 9,
    "ott": 10, "nov": 11, "dic": 12,
    # en
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "dec": 12,
    # de
    "januar": 1, "februar": 2, "marz": 3, "mai": 5, "juni": 6, "juli": 7, "oktober": 10,
    "dezember": 12, "jänner": 1, "okt": 10, "dez": 12,
    # fr
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7, "aout": 8,
    "septembre": 9, "octobre": 10, "decembre": 12, "janv": 1, "fevr": 2, "avr": 4, "juil": 7,
    # nl
    "januari": 1, "februari": 2, "maart": 3, "mei": 5, "augustus": 8,
    # ms (Malaysian till slips; januari, februari, mei as in nl)
    "mac": 3, "julai": 7, "ogos": 8, "disember": 12, "dis": 12,
}
# Languages that write numeric dates month first.
MONTH_FIRST = {"en-us"}
MAX_FUTURE_DAYS = 366 * 2

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
# Two figures before a colon are an hour, not a year: "24.04.13:41" is a day, a month and a time.
_NUMERIC = re.compile(r"(?<!\d)(\d{1,4})([./\-])(\d{1,2})\2(\d{4}|\d{3}|\d{2}(?!:\d))(?!\d)")
_DAY_MONTH_YEAR = re.compile(
    rf"(?<![\w])(\d{{1,2}})(?: ?(?:st|nd|rd|th)|º|°)?\.?(?:\s+day\s+of)?[\s\-/]*({_MONTH_NAMES})(?![a-z])\.?[\s\-/,]*"
    rf"(\d{{4}}(?!\d)|\d{{2}}(?![\d:]))")  # a two-digit year is no hour ("12 mar 14:30"); "April, 2014:" is
_MONTH_DAY_YEAR = re.compile(
    rf"(?<![\w])({_MONTH_NAMES})(?![a-z])\.?\s*(\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*(\d{{4}})(?!\d)")


def find_dates(text: str, *, month_first: bool = False, today: dt.date | None = None) -> list[tuple[dt.date, str, int]]:
    """Every valid date in ``text``, with its raw text and position, in order of appearance.

    With ``today`` given, dates more than two years after it are dropped as misreads.
    """
    folded = fold(text)  # same length as text for Latin scripts: positions stay usable
    found: list[tuple[dt.date, str, int]] = []
    for match in _NUMERIC.finditer(folded):
        a, _, b, c = match.groups()
        if len(a) == 4:
            if len(c) > 2:
                continue  # "2016/01/0001" is a document number, not a date
            parts = (int(a), int(b), int(c))  # ISO-like: year first
        else:
            year = _year(c)
            day, month = (int(b), int(a)) if month_first else (int(a), int(b))
            if not month_first and month > 12 and day <= 12:
                day, month = month, day  # 12/31/2024 can only be month-first
            parts = (year, month, day)
        _add(found, parts, text[match.start() : match.end()], match.start(), today)
    for match in _DAY_MONTH_YEAR.finditer(folded):
        day, month, year = match.groups()
        _add(found, (_year(year), MONTHS[month], int(day)), text[match.start() : match.end()], match.start(), today)
    for match in _MONTH_DAY_YEAR.finditer(folded):
        month, day, year = match.groups()
        _add(found, (int(year), MONTHS[month], int(day)), text[match.start() : match.end()], match.start(), today)
    found.sort(key=lambda item: item[2])
    return found


def parse_date(text: str, *, month_first: bool = False, today: dt.date | None = None) -> dt.date | None:
    dates = find_dates(text, month_first=month_first, today=today)
    return dates[0][0] if dates else None


def _year(raw: str) -> int:
    year = int(raw)
    if len(raw) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _add(found: list, parts: tuple[int, int, int], raw: str, pos: int, today: dt.date | None) -> None:
    year, month, day = parts
    if not 1900 <= year <= 2200:
        return
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return  # 31/02 does not exist
    if today is not None and (value - today).days > MAX_FUTURE_DAYS:
        repaired = _year_ahead_repaired(year, today)
        if repaired is not None:
            try:
                found.append((dt.date(repaired, month, day), raw, pos))
            except ValueError:
                pass
        return
    found.append((value, raw, pos))


# What a till font's 1 is read as: its foot lost (7) or its flag closed (4).
_ONE_AS = "74"


def _year_ahead_repaired(year: int, today: dt.date) -> int | None:
    """A year read years ahead is a misread, not a date: the one past year (1990 on) that putting
    back the fewest of its last two figures' 1s read as 7 or 4 makes ("2078", "2048" -> 2018)."""
    head, tail = str(year)[:2], str(year)[2:]
    places = [i for i, ch in enumerate(tail) if ch in _ONE_AS]
    for count in range(1, len(places) + 1):
        years = {int(head + "".join("1" if i in chosen else ch for i, ch in enumerate(tail)))
                 for chosen in itertools.combinations(places, count)}
        years = {y for y in years if 1990 <= y <= today.year}
        if years:
            return years.pop() if len(years) == 1 else None
    return None
