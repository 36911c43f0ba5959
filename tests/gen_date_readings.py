"""Readings of a generated till slip's date as a photo's readings disagree on it: one digit of
the day or the month read as another glyph thermal print is confused with (0/8/6/9, 1/7, 3/8,
5/6/8), where the misread still makes a real date; one figure of the day, the month or the year
so misread; or the date's line lost altogether.

Each returns the slip's rows as that reading gives them (gen_receipts.slip(...).rows), or None
when the slip's date has no such misread.
"""

from __future__ import annotations

import datetime as dt
import re

Row = list[tuple[str, float]]

# Printed -> what OCR may read for it on thermal print.
_CONFUSED = {"0": "86", "8": "03", "6": "058", "9": "0", "1": "7", "7": "1", "3": "8", "5": "68"}
_DATE = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{2}|\d{4})")


def _real(day: str, month: str, year: str) -> bool:
    try:
        dt.date(int(year) if len(year) == 4 else 2000 + int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def misread_into_another_date(rows: list[Row], choice: int = 0) -> list[Row] | None:
    """The rows with one figure of the first date's day or month read as a glyph it is confused
    with, so that another real date is read (``choice`` picks among the possible misreads)."""
    def misread(day: str, sep: str, month: str, year: str) -> str | None:
        options = [(d, month) for d in _variants(day)] + [(day, mo) for mo in _variants(month)]
        options = [(d, mo) for d, mo in options if _real(d, mo, year)]
        if not options:
            return None
        d, mo = options[choice % len(options)]
        return f"{d}{sep}{mo}{sep}{year}"

    return _first_date_read_as(rows, misread)


def _first_date_read_as(rows: list[Row], misread) -> list[Row] | None:
    """The rows with the first date word replaced by ``misread(day, sep, month, year)``; None when
    there is no date or it has no such misread (``misread`` returns None)."""
    out, found = [], False
    for row in rows:
        words = []
        for text, x in row:
            m = _DATE.fullmatch(text)
            if m and not found:
                text, found = misread(*m.groups()), True
                if text is None:
                    return None
            words.append((text, x))
        out.append(words)
    return out if found else None


def _variants(part: str, confused: dict[str, str] = _CONFUSED) -> list[str]:
    return [part[:i] + other + part[i + 1:] for i, ch in enumerate(part) for other in confused.get(ch, "")]


def date_line_lost(rows: list[Row]) -> list[Row] | None:
    """The rows without the line that prints the date (a reading that read it as noise)."""
    kept = [row for row in rows if not any(_DATE.fullmatch(text) for text, _ in row)]
    return kept if len(kept) < len(rows) else None


def year_misread(rows: list[Row], century: str, *, apart: bool = False) -> list[Row] | None:
    """The rows with the first date's year's first two figures read as ``century`` ("0078",
    "9078" for 2018: thermal print loses the year's first figures), day and month as printed;
    ``apart``: the separator before the year read as a space too ("11/05 7018")."""
    out, found = [], False
    for row in rows:
        words = []
        for text, x in row:
            m = _DATE.fullmatch(text)
            if m and not found and len(m.group(4)) == 4:
                text, found = text[:-4] + century + text[-2:], True
                if apart:
                    words.append((text[:-5], x))
                    text, x = text[-4:], x + 12 * (len(text) - 4)
            words.append((text, x))
        out.append(words)
    return out if found else None


# A year's figure and what OCR may read for it (a 4 losing its stroke reads 1, a filled 8 reads 9).
_YEAR_CONFUSED = {"0": "86", "1": "7", "2": "7", "3": "8", "4": "19", "5": "6", "6": "58", "7": "1", "8": "96",
                  "9": "80"}


def one_figure_misread(rows: list[Row], part: str, *, today: dt.date) -> list[Row] | None:
    """The rows with one figure of the first date's ``part`` ("day", "month" or "year") read as a
    glyph it is confused with, so that another real date no later than ``today`` is read; None
    when no figure of that part has such a misread."""
    def misread(day: str, sep: str, month: str, year: str) -> str | None:
        parts = {"day": day, "month": month, "year": year}
        for variant in _variants(parts[part], _YEAR_CONFUSED if part == "year" else _CONFUSED):
            changed = {**parts, part: variant}
            full = changed["year"] if len(year) == 4 else "20" + changed["year"]
            if _real(changed["day"], changed["month"], full) and \
                    dt.date(int(full), int(changed["month"]), int(changed["day"])) <= today:
                return sep.join((changed["day"], changed["month"], changed["year"]))
        return None

    return _first_date_read_as(rows, misread)


def in_year(rows: list[Row], year: int) -> list[Row]:
    """The rows with every date's four-figure year printed as ``year`` (a slip of another year)."""
    def move(text: str) -> str:
        m = _DATE.fullmatch(text)
        return text[:-4] + str(year) if m and len(m.group(4)) == 4 else text
    return [[(move(text), x) for text, x in row] for row in rows]


def year_cut(rows: list[Row]) -> list[Row] | None:
    """The rows with the first date's four-figure year read as its first two figures
    ("19/03/20" for 19/03/2018): the year's last figures faded from the line."""
    return _first_date_read_as(rows, lambda day, sep, month, year:
                               f"{day}{sep}{month}{sep}{year[:2]}" if len(year) == 4 else None)


def year_read_as(rows: list[Row], year: str, *, first: bool = True) -> list[Row] | None:
    """The rows with the first date's year (or, ``first=False``, every other date's) read as ``year``."""
    out, seen = [], False
    for row in rows:
        words = []
        for text, x in row:
            m = _DATE.fullmatch(text)
            if m:
                if seen != first:
                    text = f"{m.group(1)}{m.group(2)}{m.group(3)}{m.group(2)}{year}"
                seen = True
            words.append((text, x))
        out.append(words)
    return out if seen else None


def one_figure_read_two_ways(rows: list[Row]) -> tuple[list[Row], list[Row]] | None:
    """Two readings of the rows with the same figure of the first date's day or month read as two
    different glyphs it is confused with, each making another real date ("19/08", "19/09" for
    19/03): with the rows as printed, the readings split three ways on the date's line."""
    for row in rows:
        for text, _ in row:
            m = _DATE.fullmatch(text)
            if not m:
                continue
            day, sep, month, year = m.groups()
            full = year if len(year) == 4 else "20" + year
            for part in ("day", "month"):
                figures = day if part == "day" else month
                for i, ch in enumerate(figures):
                    misreads = []
                    for other in _CONFUSED.get(ch, ""):
                        changed = figures[:i] + other + figures[i + 1:]
                        d, mo = (changed, month) if part == "day" else (day, changed)
                        if _real(d, mo, full):
                            misreads.append(f"{d}{sep}{mo}{sep}{year}")
                    if len(misreads) >= 2:
                        return tuple(_first_date_read_as(rows, lambda *_, t=t: t) for t in misreads[:2])
            return None
    return None
