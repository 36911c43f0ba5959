"""A till slip's date as OCR reads thermal print: the dots of "15.04.20 16:15" read as commas,
an O for a zero or an l for a one inside the date ("3O/03/2018", "l5.04.2020"), a space OCR put
beside a separator ("15.04. 2020", "30 /03/2018", "2017 -06-26"), the time glued to the year
("30/01/201816:10"). The printed text is repaired only inside
something shaped like a day, a month and a year, and the raw text reported is what was printed.
"""

from __future__ import annotations

import datetime as dt
import re

from .dates import find_dates

# A digit or a letter OCR reads for one on till print.
_D = r"[0-9OoIl|]"
_SHAPED = re.compile(
    rf"(?<![\w,.])({_D}{{1,2}}) ?([./\-,]) ?({_D}{{1,2}}) ?\2 ?({_D}{{4}}(?=\d{{1,2}}:\d\d)|(?:{_D}{{4}}|{_D}{{2}})(?![\w]))")
# The year first ("2017-06-26"), with a space OCR put beside a separator: only the spaces are repaired.
_YEAR_FIRST = re.compile(r"(?<![\w,.])(\d{4})( ?[./-] ?)(\d{1,2})( ?[./-] ?)(\d{1,2})(?![\w])")
# Commas between day, month and year only with a time beside them: "1,50,20" alone may be money.
_TIME_AFTER = re.compile(r"\s+\d{1,2}[:.]\d{2}(?!\d)")
_AS_DIGIT = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})


def till_dates(text: str, *, month_first: bool, today: dt.date) -> list[tuple[dt.date, str, int]]:
    """Every date of a slip's line, repaired as above, with its printed raw text and position."""
    pieces: list[str] = []
    spans: list[tuple[int, int, int, int]] = []  # repaired start, end; printed start, end
    last = 0
    for match in _shaped(text):
        if match.re is _YEAR_FIRST:
            year, sep, month, sep2, day = match.groups()
            if " " not in sep + sep2 or sep.strip() != sep2.strip():
                continue
            repaired = sep.strip().join((year, month, day))
        else:
            day, sep, month, year = match.groups()
            digits = sum(ch.isdigit() for ch in day + month + year)
            if digits < 4 or (sep == "," and not _TIME_AFTER.match(text, match.end())):
                continue
            repaired = ".".join(part.translate(_AS_DIGIT) for part in (day, month, year)) if sep == "," \
                else sep.join(part.translate(_AS_DIGIT) for part in (day, month, year))
        pieces.append(text[last:match.start()])
        start = sum(len(p) for p in pieces)
        if text[match.end():match.end() + 1].isdigit():
            repaired += " "  # "30/01/201816:10": the time OCR glued to the year
        pieces.append(repaired)
        spans.append((start, start + len(repaired), match.start(), match.end()))
        last = match.end()
    pieces.append(text[last:])
    repaired_text = "".join(pieces)
    out: list[tuple[dt.date, str, int]] = []
    for value, raw, pos in find_dates(repaired_text, month_first=month_first, today=today):
        printed = next(((a, b) for start, end, a, b in spans if start <= pos < end), None)
        if printed is not None:
            out.append((value, text[printed[0]:printed[1]], printed[0]))
        else:
            out.append((value, raw, _printed_position(pos, spans)))
    return out


def _shaped(text: str) -> list[re.Match]:
    """Day-first and year-first date shapes in the order printed, none overlapping another."""
    out: list[re.Match] = []
    for match in sorted([*_SHAPED.finditer(text), *_YEAR_FIRST.finditer(text)], key=lambda m: m.start()):
        if not out or match.start() >= out[-1].end():
            out.append(match)
    return out


def _printed_position(pos: int, spans: list[tuple[int, int, int, int]]) -> int:
    shift = 0
    for start, end, a, b in spans:
        if end <= pos:
            shift = b - end
    return pos + shift
