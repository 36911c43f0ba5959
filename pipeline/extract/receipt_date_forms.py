"""Forms of a till's date the till-date reader (``receipt_dates``) does not read, and a time
printed with dots that it reads as a date.

- A month's name first with a letter read for a digit ("Mar 3O, 2018", "MAR 3O 2O18"): US and
  Malaysian POS systems print the month first; thermal print makes OCR read 0 as O, 1 as l or I;
  and a day before the month's name with a lower-case i for a 1 ("1i-Mar-24").
- A date's figure split by a space OCR read inside it ("3 0/03/2018", "30/03/2 018"): taken only
  where the line read as it is holds no date, and only when joining gives a real date.
- A two-digit year after an apostrophe ("30 Mar'18") and a year-first date printed without
  separators right before a time ("20180330 11:05").
- A time printed with dots ("14.05.16") has the shape of a date (14 May 2016). Tills print it
  beside the date ("14.05.16 30.03.18") or on its own line: such a figure that can be a time
  yields to a date elsewhere on the slip that cannot be one; left alone, it is sent to review.

This is extraction only (no reading code), so a photo's readings are the same as before.
"""

from __future__ import annotations

import datetime as dt
import re

from ..records import ExtractedField
from . import validate
from .dates import MONTHS
from .labelled import Candidate, Reading, make_field
from .layout import Layout
from .receipt_dates import (AS_DIGIT, REPAIRED, names_other_date, other_date_labels, read_till_dates, slip_date,
                            time_shaped)
from .vocabulary import Vocabulary

# A digit or a letter OCR reads for one on till print: O, I, l, and S (5), B (8), Z (2); put back
# with the till reader's table (its "|" for 1 never occurs in these forms).
_D = r"[0-9OoIlSBZ]"
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_MONTH_FIRST = re.compile(rf"(?<![A-Za-z])((?i:{_MONTH_NAMES}))\.?[ \-/]{{1,2}}({_D}{{1,2}})(?:st|nd|rd|th)?,? ?[ \-/]?({_D}{{4}})(?![\w])")
# A day before a month's name with a lower-case i read for a 1 ("1i-Mar-24"; O, I, l the till reader puts back).
_DAY_WITH_I = re.compile(rf"(?<![\w])(i\d|\di|ii)[ \-/.]{{1,2}}((?i:{_MONTH_NAMES}))\.?[ \-/,]{{1,2}}(\d{{4}}|\d{{2}})(?![\w])")
_APOSTROPHE_YEAR = re.compile(rf"(?<![\w])(\d{{1,2}})[ \-]?({_MONTH_NAMES})\.? ?['’`](\d{{2}})(?![\w])", re.IGNORECASE)
_COMPACT_BEFORE_TIME = re.compile(r"(?<![\w.,/:-])(20\d\d)(\d\d)(\d\d) +\d{1,2}:\d\d(?!\d)")
# A date's figures with one space read inside a part: "3 0/03/2018", "30/0 3/2018", "30/03/2 018".
_SPLIT = re.compile(r"(?<![\w.,/])(\d{1,2}(?: \d)?)([./-])(\d(?: ?\d)?)\2(\d(?: ?\d){1,3})(?![\w.,/:])")
# A numeric date's day and month as printed (day first or month first), a year after them.
_PADDING = re.compile(r"(?<![\w.,/])(\d{1,2}) ?[./-] ?(\d{1,2}) ?[./-] ?\d{2,4}(?![\w.,/])")
_COLON_TIME = re.compile(r"(?<!\d)\d{1,2}:\d\d(?!\d)")
# Confidence of a date read in one of these forms (as ``receipt_dates`` gives an unlabelled date).
_UNLABELLED = 0.8
# A date that may be a time printed with dots, and nothing decides: sent to review.
_DOUBT = 0.45


def sale_date(layout: Layout, found: dict[str, list[Candidate]], vocab: Vocabulary, *, month_first: bool,
              today: dt.date) -> ExtractedField | None:
    """``receipt_dates.slip_date``, then the forms above; a time printed with dots is no date."""
    field = slip_date(layout, found, vocab, month_first=month_first, today=today)
    if field is None:
        field = _other_form(layout, vocab, month_first=month_first, today=today)
    elif not field.raw[:1].isalpha():
        field = _rejoined(layout, field, month_first=month_first, today=today)
    if field is not None and _may_be_a_time(layout, vocab, field):
        field = _date_beside_time(layout, vocab, field, month_first=month_first, today=today)
    return field


def doubted(date: ExtractedField | None, layout: Layout, vocab: Vocabulary, *, month_first: bool,
            today: dt.date, language: str | None = None) -> ExtractedField | None:
    """The readings' date sent to review when it may be a time printed with dots (the readings'
    agreement raised what each reading doubted), when its day and month are padded unalike (a
    figure lost: "5.04.2020") or when it lies after today: a slip is filed
    after the sale, so a later date is a misread year or digit ("2026" for 2024). A numeric date
    whose day and month could be either way round ("03/04/2018") is read in the order the slip's
    country writes, and sent to review when nothing on the slip tells the country."""
    if date is None:
        return None
    if not month_first:
        date = _in_the_slips_order(date, layout, language)
    later = dt.date.fromisoformat(date.value) > today + dt.timedelta(days=1)
    if later or _a_figure_lost(date.raw, month_first) \
            or _may_be_a_time(layout, vocab, date) and _time_undecided(layout, date, month_first, today):
        return date.model_copy(update={"confidence": min(date.confidence, _DOUBT)})
    return date


def _a_figure_lost(raw: str, month_first: bool) -> bool:
    """A day of one figure beside a month of two, the first a zero ("5.04.2020"), or the other
    way round ("05.4.2020"): a till pads both or neither, so OCR lost a figure ("15.04.2020")."""
    match = _PADDING.search(raw)
    if match is None:
        return False
    first, second = match.group(1), match.group(2)
    day, month = (second, first) if month_first else (first, second)
    return len(day) == 1 and month.startswith("0") or len(month) == 1 and len(day) == 2 and day.startswith("0")


def _other_form(layout: Layout, vocab: Vocabulary, *, month_first: bool, today: dt.date) -> ExtractedField | None:
    other = other_date_labels(vocab, printing=False)
    for span in layout.spans():
        read = _read(span.text, month_first=month_first, today=today)
        if read is None:
            continue
        value, raw, at = read
        if names_other_date(span.text[:at], other):
            continue
        confidence = _UNLABELLED * (span.confidence or 1.0)
        if raw.translate(AS_DIGIT) != raw or " " in raw.strip() or _DAY_WITH_I.match(raw):
            confidence *= REPAIRED  # a figure put back
        error = validate.issue_date(value, today=today)
        return make_field(Reading(value, raw, valid=error is None, error=error), span, confidence)
    return None


def _read(text: str, *, month_first: bool, today: dt.date) -> tuple[dt.date, str, int] | None:
    """The first date of ``text`` in one of the forms above, with its raw text and position."""
    found: list[tuple[dt.date, str, int]] = []
    for match in _MONTH_FIRST.finditer(text):
        month, day, year = match.groups()
        _add(found, int(year.translate(AS_DIGIT)), MONTHS[month.lower()], day.translate(AS_DIGIT), match, today)
    for match in _DAY_WITH_I.finditer(text):
        day, month, year = match.groups()
        _add(found, int(year) + (2000 if len(year) == 2 else 0), MONTHS[month.lower()], day.replace("i", "1"), match, today)
    for match in _APOSTROPHE_YEAR.finditer(text):
        day, month, year = match.groups()
        _add(found, 2000 + int(year), MONTHS[month.lower()], day, match, today)
    for match in _COMPACT_BEFORE_TIME.finditer(text):
        year, month, day = match.groups()
        _add(found, int(year), int(month), day, match, today, end=match.start() + 8)
    if not read_till_dates(text, month_first=month_first, today=today):
        for match in _SPLIT.finditer(text):
            if " " not in match.group(0):
                continue
            first, _, second, year = (g.replace(" ", "") for g in match.groups())
            day, month = (second, first) if month_first else (first, second)
            if len(year) in (2, 4) and day.isdigit():
                _add(found, int(year) + (2000 if len(year) == 2 else 0), int(month), day, match, today)
    return min(found, key=lambda f: f[2]) if found else None


def _add(found: list, year: int, month: int, day: str, match: re.Match, today: dt.date, end: int | None = None) -> None:
    if not day.isdigit():
        return
    try:
        value = dt.date(year, month, int(day))
    except ValueError:
        return
    if today.year - 25 <= value.year and value <= today + dt.timedelta(days=31):
        found.append((value, match.string[match.start():end or match.end()], match.start()))


# -- a figure split by a space read inside it ---------------------------------------------------------
# A lone digit right before a date whose day has one digit ("2 4/04/2019": 24/04, tills print the
# day with two digits); the century alone as the year, its decade after a space ("23/04/20 23").
_DAY_CUT = re.compile(r"(?<!\S)(\d) $")
_ONE_DIGIT_DAY = re.compile(r"^\d[./-]\d")
_DECADE_AFTER = re.compile(r"^ (\d\d)(?![\d:.,])")


def _rejoined(layout: Layout, field: ExtractedField, *, month_first: bool, today: dt.date) -> ExtractedField:
    """``field`` read again when OCR cut its day or its year in two; a cut year is not sure (the
    figure after the date may be something else), a cut day is a figure put back."""
    raw = field.raw
    for span in layout.spans():
        at = span.text.find(raw)
        if at < 0:
            continue
        before, after = span.text[:at], span.text[at + len(raw):]
        cut = _DAY_CUT.search(before)
        decade = _DECADE_AFTER.match(after)
        start, end = at, at + len(raw)
        if cut and _ONE_DIGIT_DAY.match(raw) and not month_first:
            joined, confidence, start = cut.group(1) + raw, field.confidence * REPAIRED, cut.start(1)
        elif decade and re.search(r"[./-]20$", raw):
            joined, confidence, end = raw + decade.group(1), min(field.confidence, _DOUBT), end + decade.end()
        else:
            return field
        dates = read_till_dates(joined, month_first=month_first, today=today)
        if not dates or dates[0].repaired:
            return field
        value = dates[0].value
        error = validate.issue_date(value, today=today)
        return field.model_copy(update={"value": value.isoformat(), "raw": span.text[start:end],
                                        "confidence": round(confidence, 3), "valid": error is None, "error": error})
    return field


# -- a time printed with dots ---------------------------------------------------------------------
def _may_be_a_time(layout: Layout, vocab: Vocabulary, field: ExtractedField) -> bool:
    """The date was read from "hh.mm.ss" figures on a line with no date label and no other time."""
    if not time_shaped(field.raw):
        return False
    spec = vocab.spec("receipt", "date")
    labelled = {id(w) for hit in layout.find(spec.labels if spec else ()) for w in hit.line}
    lines = [s for s in layout.spans() if field.raw in s.text]
    return not any(_COLON_TIME.search(s.text) or any(id(w) in labelled for w in s.words) for s in lines)


def _date_beside_time(layout: Layout, vocab: Vocabulary, field: ExtractedField, *, month_first: bool,
                      today: dt.date) -> ExtractedField:
    """The first date on the slip that cannot be a time; else ``field`` — sent to review when the
    slip prints no time with a colon (the figure may be the slip's only time)."""
    other = other_date_labels(vocab)
    spans = layout.spans()
    # A figure that would be a date after today is no date: then the other may be one, time-shaped or not.
    later = dt.date.fromisoformat(field.value) > today + dt.timedelta(days=1)
    for span in spans:
        for hit in read_till_dates(span.text, month_first=month_first, today=today):
            if hit.repaired or hit.raw == field.raw or names_other_date(span.text[:hit.pos], other) \
                    or time_shaped(hit.raw) and not (later and hit.value <= today):
                continue
            error = validate.issue_date(hit.value, today=today)
            return make_field(Reading(hit.value, hit.raw, valid=error is None, error=error), span,
                              min(field.confidence, _UNLABELLED * (span.confidence or 1.0)))
    if not _time_undecided(layout, field, month_first, today):
        return field
    return field.model_copy(update={"confidence": min(field.confidence, _DOUBT)})


# -- day and month order ------------------------------------------------------------------------------
_NUMERIC = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{2}|\d{4})$")
# A US slip: a town, its state and ZIP code ("Springfield, IL 62701"), a sales tax. Countries writing the day first: the
# currency, a legal form or a tax of Malaysia, the UK and the euro countries.
_STATES = ("AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK "
           "OR PA RI SC SD TN TX UT VT VA WA WV WI WY").split()
_MONTH_FIRST_MARKS = re.compile(rf"\w, ?(?:{'|'.join(_STATES)}) \d{{5}}(?:-\d{{4}})?\b|\b(?i:sales tax)\b")
_DAY_FIRST_MARKS = re.compile(r"\b(?:RM|GST|SST|SDN\.? ?BHD|BERHAD|MALAYSIA|VAT|EUR|MWST|UST|GMBH|IVA|S\.?R\.?L|S\.?P\.?A|"
                              r"SCONTRINO|KASSENBON|BON-NR|DOCUMENTO)\b|[€£]", re.IGNORECASE)
# Languages whose countries write the day first (English is written both ways).
_DAY_FIRST_LANGUAGES = ("it", "de", "fr", "es", "nl", "pt", "ms")


def _in_the_slips_order(date: ExtractedField, layout: Layout, language: str | None) -> ExtractedField:
    match = _NUMERIC.match(date.raw.strip())
    if match is None or not (int(match[1]) <= 12 and int(match[3]) <= 12) or match[1].lstrip("0") == match[3].lstrip("0"):
        return date  # not numeric, or only one order makes a date, or both orders make the same
    if language in _DAY_FIRST_LANGUAGES:
        return date
    text = "\n".join(s.text for s in layout.spans())
    us, day_first = _MONTH_FIRST_MARKS.search(text), _DAY_FIRST_MARKS.search(text)
    if day_first and not us:
        return date
    if us and not day_first:
        value = dt.date.fromisoformat(date.value)
        try:
            swapped = value.replace(month=value.day, day=value.month)
        except ValueError:
            return date
        return date.model_copy(update={"value": swapped.isoformat()})
    return date.model_copy(update={"confidence": min(date.confidence, _DOUBT)})


def _time_undecided(layout: Layout, field: ExtractedField, month_first: bool, today: dt.date) -> bool:
    """Nothing tells whether ``field``'s figures are the date or the time: the slip prints no
    time with a colon, and no other "hh.mm.ss" figure that is a time and cannot be a date."""
    spans = layout.spans()
    return not any(_COLON_TIME.search(s.text) for s in spans) and not _a_time_beside(spans, field.raw, month_first, today)


def _a_time_beside(spans: list, raw: str, month_first: bool, today: dt.date) -> bool:
    """Another "hh.mm.ss" figure on the slip that is a time and cannot be a date: the slip's time."""
    for span in spans:
        for figure in re.findall(r"(?<![\w.])\d\d\.\d\d\.\d\d(?![\w.])", span.text):
            if figure != raw and time_shaped(figure) and not read_till_dates(figure, month_first=month_first, today=today):
                return True
    return False
