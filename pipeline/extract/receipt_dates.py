"""A till slip's date as OCR reads thermal print: the dots of "15.04.20 16:15" read as commas,
an O for a zero or an l for a one inside the date ("3O/O3/2018", "l5.04.2020"), a space OCR put
beside a separator ("15.04. 2020", "30 /03/2018", "2017 -06-26"), the time glued to the year
("30/01/201816:10", "30/01/1816:10"), a faint separator read as a space ("15/04 2020 16:15",
"O7 04,20 14:37") or as another ("30.04/20 09:56"), only with the time after it or a date label
before it, letters in a date with a month's name ("3O MAR 2O18") or
the month's name one letter off ("18 Nar 2018"), a slash read as another stroke ("30|03|2018").
The printed text is repaired only inside something shaped like a day, a month and a year, and the
raw text reported is what was printed.

Beyond letters, thermal print fills the loop of a 0 so that OCR reads 8, 6 or 9 ("30/83/2818"),
and a 1 loses its foot and reads 7 ("2078") or, in a year, closes its flag and reads 4 ("2048": a
year read years ahead, which ``dates.find_dates`` puts back); a slash reads 7 or 1, or is lost
("117052078"). Such a date is not a real date as read: it is repaired only then, only where the
reading is impossible, with the fewest changes that make it a real, plausible date, and only when
those changes lead to one date alone. A date repaired from a confusion of glyphs is reported less sure.

Tills also print other dates (a card's or a voucher's expiry, a due date, a printing date, a
registration date): the sale's date is never taken from a line that names another date. A time
printed with dots after a four-figure year ("171/2018 12.12.21") is the time of a date OCR
misread, not a date; a day read as a lone stroke before a word like a month ("| Set 10", an
item's line in a table) is a border.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import NamedTuple

from ..records import ExtractedField
from ..textnorm import fold
from . import validate
from .dates import MONTHS, find_dates
from .labelled import Candidate, Reading, make_field, to_field
from .layout import LabelHit, Layout, Span
from .vocabulary import Vocabulary

# A digit or a letter OCR reads for one on till print: O, I, l, | and S (5), B (8), Z (2).
_D = r"[0-9OoIl|SBZ]"
# Two figures before a colon are an hour, not a year: "24.04. 13:41" prints no year.
_SHAPED = re.compile(
    rf"(?<![\w,.])({_D}{{1,2}}) ?([./\-,]) ?({_D}{{1,2}}) ?([./\-,]) ?"
    rf"({_D}{{4}}(?=\d{{1,2}}:\d\d)|{_D}{{2}}(?=\d{{1,2}}:\d\d)|{_D}{{4}}(?![\w])|{_D}{{2}}(?![\w]|:\d))")
# The year first ("2017-06-26"), with a space OCR put beside a separator: only the spaces are repaired.
_YEAR_FIRST = re.compile(r"(?<![\w,.])(\d{4})( ?[./-] ?)(\d{1,2})( ?[./-] ?)(\d{1,2})(?![\w])")
# A slash read as another stroke ("30|03|2018", "30\\03\\2018", "30I03I2018"): only between figures
# read as digits, so that an I or an l stays a 1 wherever it may be one.
_STROKED = re.compile(r"(?<![\w,.])(\d{1,2})([|\\!Il/])(\d{1,2})([|\\!Il/])(\d{4}|\d{2})(?![\w])")
_STROKES = "|\\!Il"
# A faint separator read as a space ("15/04 2024 16:15", "15 04/2024 16:15"; the other one may be
# read as a comma and a zero as an O: "O7 04,20 14:37"): only with the time printed after it, as
# tills print it; alone, "1.50 2024" may be a price and a code.
_SPACED = rf"({_D}{{1,2}})(?:([./,-])({_D}{{1,2}})( )|( )({_D}{{1,2}})([./,-]))({_D}{{4}}|{_D}{{2}})"
_SPACE_FOR_SEPARATOR = re.compile(rf"(?<![\w,./-]){_SPACED}(?=\s+\d{{1,2}}:\d\d(?!\d))")
# Right after a date label, where nothing else than the date is printed, without a time too.
_SPACE_AFTER_LABEL = re.compile(rf"\s*{_SPACED}(?![\w./:-])")
# A day, a month's name and a year ("3O MAR 2O18", "l5-Jan-2O"): letters read for digits are put back.
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
# The month's name itself may be one letter off ("18 Nar 2018"): a word of 3 to 9 letters there.
_NAMED = re.compile(rf"(?<![\w])({_D}{{1,2}})([ \-/.]{{1,2}})([A-Za-z]{{3,9}})(?![a-zA-Z])(\.?[ \-/,]{{1,2}})({_D}{{4}}|{_D}{{2}})(?![\w])")
# Commas between day, month and year, or two different separators, only with a time beside them:
# "1,50,20" alone may be money. OCR may read a speck before the time as a quote ("30.04/20 ‘09:56").
_TIME_AFTER = re.compile(r"\s+[‘’'`]?\d{1,2}[:.]\d{2}(?!\d)")
AS_DIGIT = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1", "S": "5", "B": "8", "Z": "2"})
# What thermal print's digits are misread as, read -> printed: a filled 0, a 1 without its foot.
MISREAD = {"8": "0", "6": "0", "9": "0", "7": "1"}
# How far back a repaired date's year may lie: a slip is filed within years, not decades.
REPAIR_YEARS = 25
# A date read only through repairs is that much less sure than one read as printed.
REPAIRED = 0.7


class TillDate(NamedTuple):
    value: dt.date
    raw: str  # as printed (read)
    pos: int  # where in the text
    # 0 read as printed; 1 letters read for digits ("3O/O3"); 2 a year read decades ahead ("2078"),
    # as ``find_dates`` repairs it; 3 an impossible date's digits put back ("30/83/2818").
    repaired: int


def till_dates(text: str, *, month_first: bool, today: dt.date) -> list[tuple[dt.date, str, int]]:
    """Every date of a slip's line, repaired as above, with its printed raw text and position —
    but not one whose digits had to be put back: "16/69/20" is a line misread (the photo reader
    reads such a line again), whatever date the fewest changes would make of it."""
    return [(d.value, d.raw, d.pos) for d in read_till_dates(text, month_first=month_first, today=today)
            if d.repaired < 3]


def read_till_dates(text: str, *, month_first: bool, today: dt.date) -> list[TillDate]:
    """``till_dates`` telling which dates were read only through repairs."""
    pieces: list[str] = []
    spans: list[tuple[int, int, int, int, int]] = []  # repaired start, end; printed start, end; repair level
    last = 0
    for match in _shaped(text):
        fixed = 0
        if match.re is _YEAR_FIRST:
            year, sep, month, sep2, day = match.groups()
            if sep.strip() != sep2.strip():
                continue
            if not find_dates(f"{year}-{month}-{day}", today=today):  # "2017-86-26": a filled 0
                unconfused = _unconfused([day, month, year], month_first=False, today=today)
                if unconfused is None:
                    continue
                (day, month, year), fixed = unconfused, 3
            elif " " not in sep + sep2:
                continue  # as printed: ``find_dates`` reads it
            repaired = sep.strip().join((year, month, day))
        elif match.re is _SPACE_FOR_SEPARATOR:
            day, sep, month, _, _, month2, sep2, year = match.groups()
            sep = (sep or sep2).replace(",", ".")
            parts = [part.translate(AS_DIGIT) for part in (day, month or month2, year)]
            if not _figures_read(match) or not find_dates(sep.join(parts), month_first=month_first, today=today):
                continue
            repaired, fixed = sep.join(parts), 1
        else:
            day, sep, month, sep2, year = match.groups()
            digits = sum(ch.isdigit() for ch in day + month + year)
            stroked = match.re is _STROKED
            if stroked and not (sep + sep2).strip("/"):
                continue  # two slashes: the shape above
            if digits < 4 or not stroked and not _separators_agree(sep, sep2, text, match.end()):
                continue
            parts = [part.translate(AS_DIGIT) for part in (day, month, year)]
            fixed = int(parts != [day, month, year] or stroked)
            if stroked:
                sep = sep2 = "/"
            as_read = find_dates(".".join(parts), month_first=month_first, today=today)
            if as_read and _year_repaired(as_read[0][0], parts[2]):
                fixed = 2  # "2078": find_dates puts the year back
            elif not as_read:
                unconfused = _unconfused(parts, month_first=month_first, today=today)
                if unconfused is None:
                    continue
                parts, fixed = unconfused, 3
            repaired = ".".join(parts) if "," in sep + sep2 or sep != sep2 else sep.join(parts)
        pieces.append(text[last:match.start()])
        start = sum(len(p) for p in pieces)
        if text[match.end():match.end() + 1].isdigit():
            repaired += " "  # "30/01/201816:10", "30/01/1816:10": the time OCR glued to the year
        pieces.append(repaired)
        spans.append((start, start + len(repaired), match.start(), match.end(), fixed))
        last = match.end()
    pieces.append(text[last:])
    repaired_text = "".join(pieces)
    # Dates with a month's name: the same letters for digits ("3O MAR 2O18"), the length kept.
    lettered = _NAMED.sub(_named_digits, repaired_text)
    out: list[TillDate] = []
    for value, raw, pos in find_dates(lettered, month_first=month_first, today=today):
        printed = next(((a, b, f) for start, end, a, b, f in spans if start <= pos < end), None)
        if printed is not None:
            out.append(TillDate(value, text[printed[0]:printed[1]], printed[0], printed[2]))
        else:
            read = repaired_text[pos:pos + len(raw)]  # as printed: only shaped spans were rewritten
            level = 2 if _year_repaired(value, read) else int(read != raw)
            out.append(TillDate(value, read, _printed_position(pos, spans), level))
    return [d for d in out if not time_after_a_year(text, d.pos, d.raw)]


# A time printed with dots: hours, minutes, seconds (a dot may read as a comma). It reads as a
# date; after figures ending in a year on its line it is the time of the date before it, whether
# or not OCR read that date ("171/2018 12.12.21").
_DOTTED_TIME = re.compile(r"^([01]\d|2[0-3])[.,][0-5]\d[.,][0-5]\d$")
_ENDS_IN_YEAR = re.compile(r"[./\-]\d{4}\s+$")


def time_shaped(raw: str) -> bool:
    """Whether ``raw`` can be a time printed with dots ("14.05.16")."""
    return bool(_DOTTED_TIME.match(raw.strip()))


def time_after_a_year(text: str, pos: int, raw: str) -> bool:
    """Whether ``raw``, read as a date at ``pos`` of ``text``, is a dotted time after a date."""
    return pos >= 0 and time_shaped(raw) and bool(_ENDS_IN_YEAR.search(text[:pos]))


def read_as_printed(raw: str, *, month_first: bool, today: dt.date) -> bool:
    """Whether ``raw`` reads as a date with its figures as OCR read them (letters for digits
    aside): not only once a year read ahead or an impossible figure is put back ("26/05/2078",
    "30/83/2818"), nor from a run of more figures than a date prints, its separators read as
    figures ("3010472018", "117052078")."""
    read = read_till_dates(raw, month_first=month_first, today=today)
    if read:
        return any(d.repaired < 2 for d in read)
    figures = raw.strip().translate(AS_DIGIT)
    return not (figures.isdigit() and len(figures) > 8)


def _named_digits(match: re.Match) -> str:
    day, sep, month, sep2, year = match.groups()
    if sum(ch.isdigit() for ch in day + year) < 2 or len(day) == 1 and not day.isdigit():
        return match.group(0)  # a day read as a lone stroke or letter is a table's border or a word: "| Set 10"
    named = _month_named(month)
    if named is None:
        return match.group(0)
    if fold(named) != fold(month) and len(year) == 2 and not _TIME_AFTER.match(match.string, match.end()):
        return match.group(0)  # "1 Pay 10", "2 Day 15": a word a letter off a month needs a time
    month = named
    return day.translate(AS_DIGIT) + sep + month + sep2 + year.translate(AS_DIGIT)


def _month_named(word: str) -> str | None:
    """``word`` if it names a month; else the one month's name of its length one letter away
    ("Nar", "Har" -> Mar; "Mer" is Mar or Mei: none), cased like it; else None."""
    folded = fold(word)
    if folded in MONTHS:
        return word
    near = {name: MONTHS[name] for name in MONTHS
            if len(name) == len(folded) and sum(a != b for a, b in zip(name, folded)) == 1}
    if len(set(near.values())) != 1:
        return None
    name = next(iter(near))
    return name.upper() if word.isupper() else name.capitalize() if word[:1].isupper() else name


def _year_repaired(value: dt.date, raw: str) -> bool:
    """``find_dates`` put back a year OCR read decades ahead ("2078" for 2018)."""
    years = re.findall(r"\d{4}", raw)
    return bool(years) and str(value.year) not in years


def _separators_agree(sep: str, sep2: str, text: str, end: int) -> bool:
    """The same separator twice; a comma, or two different separators (one read as a comma or
    as another, "15.04,2020", "30.04/20"), only with a time beside the date: "1,50,20" alone may
    be money, "1.50/20" a price per quantity."""
    return sep == sep2 != "," or bool(_TIME_AFTER.match(text, end))


def _shaped(text: str) -> list[re.Match]:
    """Day-first and year-first date shapes in the order printed, none overlapping another."""
    out: list[re.Match] = []
    found = [*_SHAPED.finditer(text), *_YEAR_FIRST.finditer(text), *_SPACE_FOR_SEPARATOR.finditer(text)]
    if any(ch in text for ch in _STROKES):
        found += _STROKED.finditer(text)
    for match in sorted(found, key=lambda m: m.start()):
        if not out or match.start() >= out[-1].end():
            out.append(match)
    return out


def _printed_position(pos: int, spans: list[tuple[int, int, int, int, int]]) -> int:
    shift = 0
    for start, end, a, b, _ in spans:
        if end <= pos:
            shift = b - end
    return pos + shift


# -- digits misread ----------------------------------------------------------------------------
def _date_of(parts: list[str], *, month_first: bool) -> dt.date | None:
    first, second, year = parts
    day, month = (second, first) if month_first else (first, second)
    try:
        number = int(year) + (2000 if len(year) == 2 and int(year) < 70 else 1900 if len(year) == 2 else 0)
        return dt.date(number, int(month), int(day))
    except ValueError:
        return None


def _plausible(value: dt.date, today: dt.date) -> bool:
    return today.year - REPAIR_YEARS <= value.year and value <= today + dt.timedelta(days=31)


def _valid(parts: list[str], *, month_first: bool, today: dt.date) -> bool:
    value = _date_of(parts, month_first=month_first)
    return value is not None and (len(parts[2]) == 2 or 1900 <= value.year and value <= today + dt.timedelta(days=366 * 2))


def _impossible(parts: list[str], *, month_first: bool, today: dt.date) -> list[bool]:
    """Which of day, month, year cannot be right as read."""
    first, second, year = parts
    day, month = (second, first) if month_first else (first, second)
    day_bad = not 1 <= int(day) <= 31
    month_bad = not 1 <= int(month) <= 12
    year_bad = len(year) == 4 and not today.year - REPAIR_YEARS <= int(year) <= today.year
    return [month_bad, day_bad, year_bad] if month_first else [day_bad, month_bad, year_bad]


def _variants(part: str, limit: int = 2) -> list[tuple[int, str]]:
    """``part`` with up to ``limit`` of its digits put back to the digit they are misread for."""
    places = [i for i, ch in enumerate(part) if ch in MISREAD]
    out = []
    for count in range(1, limit + 1):
        for chosen in itertools.combinations(places, count):
            out.append((count, "".join(MISREAD[ch] if i in chosen else ch for i, ch in enumerate(part))))
    return out


def _unconfused(parts: list[str], *, month_first: bool, today: dt.date) -> list[str] | None:
    """The one real, plausible date the fewest misread digits away from an impossible reading:
    only the impossible parts change ("30/83/2818" -> 30/03/2018; "31/02/2024" stays unread)."""
    if not all(p.isdigit() for p in parts):
        return None
    bad = _impossible(parts, month_first=month_first, today=today)
    if not any(bad):
        return None
    options = [_variants(p) if b else [(0, p)] for p, b in zip(parts, bad)]
    found: dict[int, set[tuple[str, ...]]] = {}
    for combo in itertools.product(*options):
        changed = [p for _, p in combo]
        value = _date_of(changed, month_first=month_first)
        if value is not None and _plausible(value, today):
            found.setdefault(sum(c for c, _ in combo), set()).add(tuple(changed))
    if not found:
        return None
    fewest = found[min(found)]
    dates = {_date_of(list(p), month_first=month_first) for p in fewest}
    return list(next(iter(fewest))) if len(dates) == 1 else None


# -- a date label's figures, separators misread --------------------------------------------------
_RUN = re.compile(r"(?<![\w])[0-9OoIl|SBZ][0-9OoIl|SBZ./\-,]{4,10}[0-9OoIl|SBZ](?![\w])")
_SPACED_SEPARATOR = re.compile(r"(?<=\w) ?([./\-,]) ?(?=\w)")
_SEPARATORS = "./-,"
_SLASH_AS = "17"  # a slash's stroke read as a digit


def label_run_date(text: str, *, month_first: bool, today: dt.date) -> tuple[dt.date, str] | None:
    """The date in the figures right after a date label when its separators were misread:
    a slash read as 1 or 7, a separator lost or read as another ("117052078", "11/0572018",
    "15.04,2020", "30/032018"). Every way of cutting the figures into day, month and year is
    tried; the cut needing the fewest repairs must give one real, plausible date alone."""
    spaced = _SPACE_AFTER_LABEL.match(text)
    if spaced is not None and not _figures_read(spaced):
        spaced = None
    if spaced is not None:
        # A faint separator read as a space ("DATE: 15/04 2018"): the space stands where the
        # date's other separator was printed.
        separator = spaced.group(2) or spaced.group(7)
        text = text[:spaced.start(1)] + spaced.group(0).strip().replace(" ", separator) + text[spaced.end():]
    match = _RUN.search(_SPACED_SEPARATOR.sub(r"\1", text))
    if match is None:
        return None
    found = _run_date(match.group(0), month_first=month_first, today=today)
    if found is not None and spaced is not None and match.start() <= spaced.start(1):
        return found[0], spaced.group(0).strip()  # the date as printed, its space and all
    return found


def _figures_read(spaced: re.Match) -> bool:
    """Day, month and year of a ``_SPACED`` match each keep a digit as read: "Z 12/20" is a
    letter before a month and a year, not a day."""
    day, _, month, _, _, month2, _, year = spaced.groups()
    return all(any(ch.isdigit() for ch in part) for part in (day, month or month2, year))


def _run_date(raw: str, *, month_first: bool, today: dt.date) -> tuple[dt.date, str] | None:
    figures = raw.translate(AS_DIGIT)
    if sum(ch.isdigit() for ch in figures) < 6:
        return None
    found: dict[int, set[dt.date]] = {}
    for parts, cost in _cuts(figures):
        year_first = len(parts[0]) == 4
        ordered = [parts[2], parts[1], parts[0]] if year_first else parts
        if year_first and month_first:
            ordered = [parts[1], parts[2], parts[0]]
        if _valid(ordered, month_first=month_first, today=today):
            value = _date_of(ordered, month_first=month_first)
            if value is not None and _plausible(value, today):
                found.setdefault(cost, set()).add(value)
                continue
        fixed = _unconfused(ordered, month_first=month_first, today=today)
        if fixed is not None:
            found.setdefault(cost + 1, set()).add(_date_of(fixed, month_first=month_first))
    if not found:
        return None
    fewest = found[min(found)]
    return (next(iter(fewest)), raw) if len(fewest) == 1 else None


def _cuts(figures: str) -> list[tuple[list[str], int]]:
    """Day (1-2 digits), month (1-2), year (4 or 2) — or year (4), month, day — with what stands
    between them: a separator (free), a 1 or a 7 read for a slash, or nothing (one repair each;
    both lost is one where day and month have two digits each: "20180511" is printed so)."""
    out = []

    def seps(rest: str):
        yield "", rest, 1
        if rest and rest[0] in _SEPARATORS:
            yield rest[0], rest[1:], 0
        if rest and rest[0] in _SLASH_AS:
            yield rest[0], rest[1:], 1

    for lengths in ((1, 1, 4), (1, 2, 4), (2, 1, 4), (2, 2, 4), (1, 1, 2), (1, 2, 2), (2, 1, 2), (2, 2, 2),
                    (4, 1, 1), (4, 1, 2), (4, 2, 1), (4, 2, 2)):
        a = figures[:lengths[0]]
        for _, rest, c1 in seps(figures[lengths[0]:]):
            b = rest[:lengths[1]]
            for _, tail, c2 in seps(rest[lengths[1]:]):
                if len(tail) == lengths[2] and (a + b + tail).isdigit() and len(b) == lengths[1]:
                    compact = len(a + b + tail) == len(figures) and 1 not in lengths  # printed without separators
                    out.append(([a, b, tail], 1 if compact else c1 + c2))
    return out


# -- which line ----------------------------------------------------------------------------------
def other_date_labels(vocab: Vocabulary, *, printing: bool = True, related: bool | None = None) -> re.Pattern | None:
    """Words naming another date than the sale's; with ``printing``, a reprint's date as well;
    with ``related`` (as ``printing`` unless told), a date label another document or a period
    qualifies ("P/O Date", "Delivery Date", "Data consegna", "Lieferdatum")."""
    rules = vocab.rules("receipt", "dates")
    words = [*rules.get("other_dates", []), *(rules.get("print_dates", []) if printing else [])]
    alternatives = [_alternation(words)] if words else []
    qualifiers, spec = rules.get("related_dates", []), vocab.spec("receipt", "date")
    if (printing if related is None else related) and qualifiers and spec and spec.labels:
        qualifier, label = _alternation(qualifiers), _alternation(spec.labels)
        # The qualifier before the label, or after it with a linking word ("date of delivery").
        alternatives.append(rf"(?:{qualifier})[ .-]*(?:{label})"
                            rf"|(?:{label})[ :]+(?:(?:of|de|di|del|della|der) )?(?:{qualifier})")
    if not alternatives:
        return None
    return re.compile(r"(?<![a-z])(?:" + "|".join(alternatives) + r")(?![a-z])")


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(fold(w)) for w in sorted(words, key=len, reverse=True))


def names_other_date(before: str, other: re.Pattern | None) -> bool:
    """The words before a date on its line name another date than the sale's."""
    return other is not None and other.search(fold(before)) is not None


def slip_date(layout: Layout, found: dict[str, list[Candidate]], vocab: Vocabulary, *, month_first: bool,
              today: dt.date) -> ExtractedField | None:
    """The date of the sale: the first labelled date; else the date of a date label's line read
    through repairs; else the first date on the slip as printed, then as repaired; never a date
    on a line that names another date (expiry, due, ...); an order's, a delivery's or a period's
    date only when the slip prints no other; a reprint's date only then too, and less sure."""
    field = _sale_date(layout, found, vocab, other_date_labels(vocab), month_first=month_first, today=today)
    if field is None:
        # An order's or a delivery's date is the slip's own when it prints no other.
        field = _sale_date(layout, found, vocab, other_date_labels(vocab, related=False), month_first=month_first,
                           today=today)
    if field is None:
        field = _sale_date(layout, found, vocab, other_date_labels(vocab, printing=False), month_first=month_first,
                           today=today)
        if field is not None:
            field = field.model_copy(update={"confidence": _less_sure(field.confidence, True)})
    if field is None:
        return None
    error = validate.issue_date(dt.date.fromisoformat(field.value), today=today)
    return field.model_copy(update={"valid": error is None, "error": error})


def _sale_date(layout: Layout, found: dict[str, list[Candidate]], vocab: Vocabulary, other: re.Pattern | None, *,
               month_first: bool, today: dt.date) -> ExtractedField | None:
    labelled = [c for c in found.get("date", []) if not _labels_other_date(layout, c, other)
                and not time_after_a_year(c.span.text, c.span.text.find(c.reading.raw), c.reading.raw)]
    field = None
    if labelled:
        best = min(labelled, key=lambda c: (c.rank, c.order))
        field = to_field(best, label_count=4)
        if _year_repaired(best.reading.value, best.reading.raw):
            field = field.model_copy(update={"confidence": _less_sure(field.confidence, True)})
        for hit in read_till_dates(best.span.text, month_first=month_first, today=today):
            if best.reading.raw in hit.raw and hit.raw != best.reading.raw:
                # "DATE: l3/02/2024": the label's reader took "3/02/2024", the till's misread 1 lost.
                field = field.model_copy(update={"value": hit.value.isoformat(), "raw": hit.raw,
                                                 "confidence": _less_sure(field.confidence, hit.repaired)})
                break
    if field is None:
        field = _on_a_label_line(layout, vocab, other, month_first=month_first, today=today)
    if field is None:
        field = _first_on_slip(layout, other, month_first=month_first, today=today)
    return field


def label_words(hit: LabelHit) -> str:
    """A date label's line up to the label, with the words naming it further after it ("Data
    consegna", "Date of delivery"): up to two, none holding a figure (the date's own)."""
    words = [w.text for w in hit.line[:hit.end + 1]]
    for word in hit.line[hit.end + 1:hit.end + 3]:
        if any(ch.isdigit() for ch in word.text):
            break
        words.append(word.text)
    return " ".join(words)


def _less_sure(confidence: float, repaired: int | bool) -> float:
    return round(confidence * REPAIRED, 3) if repaired else confidence


def _labels_other_date(layout: Layout, c: Candidate, other: re.Pattern | None) -> bool:
    if c.hit is None:
        return False
    line = layout.line_span(c.hit).text
    at = line.find(c.reading.raw) if c.beside else -1
    return names_other_date(line[:at] if at >= 0 else line, other)


def _on_a_label_line(layout: Layout, vocab: Vocabulary, other: re.Pattern | None, *, month_first: bool,
                     today: dt.date) -> ExtractedField | None:
    """A date label whose date the strict reader could not read: its line read with repairs."""
    spec = vocab.spec("receipt", "date")
    for hit in layout.find(spec.labels if spec else ()):
        line = layout.line_span(hit)
        if names_other_date(label_words(hit), other):
            continue
        right = layout.right(hit)
        dates = read_till_dates(right.text, month_first=month_first, today=today)
        if dates:
            d = dates[0]
            return make_field(Reading(d.value, d.raw), line, _less_sure(0.8 * (line.confidence or 1.0), d.repaired))
        run = label_run_date(right.text, month_first=month_first, today=today)
        if run is not None:
            return make_field(Reading(run[0], run[1]), line, _less_sure(0.8 * (line.confidence or 1.0), True))
    return None


def _first_on_slip(layout: Layout, other: re.Pattern | None, *, month_first: bool, today: dt.date) -> ExtractedField | None:
    """Tills print the date without a label: the first plausible date on the slip, read as
    printed (or through its letters) before one read through misread digits."""
    guessed: tuple[TillDate, Span] | None = None
    for span in layout.spans():
        for hit in read_till_dates(span.text, month_first=month_first, today=today):
            if names_other_date(span.text[:hit.pos], other):
                continue
            if hit.repaired == 3:
                guessed = guessed or (hit, span)
                continue
            return make_field(Reading(hit.value, hit.raw), span, _less_sure(0.8 * (span.confidence or 1.0), hit.repaired))
    if guessed is None:
        return None
    hit, span = guessed
    return make_field(Reading(hit.value, hit.raw), span, _less_sure(0.8 * (span.confidence or 1.0), True))

