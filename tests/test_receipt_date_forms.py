"""A till slip's date printed in the forms tills and POS systems print beyond gen_slips' six
(tests/gen_date_kinds.py), as OCR reads them: a month's name first with a letter read for a digit
("Sep 2Z, 2018"), a space read inside a figure ("2 4/04/2019", "23/04/20 23"), a year after an
apostrophe ("30 Mar'18"), a year-first date without separators before the time, a batch number
printed like a date, and a time printed with dots ("14.05.16") beside the date or alone.

A wrong date filed as sure is worse than a date sent to review: where nothing tells which figure
is the date, the date goes to review.
"""

from __future__ import annotations

import datetime as dt

import pytest

from gen_date_kinds import FORMS, rows, slip
from gen_slips import KINDS
from gen_slips import rows as slip_rows
from test_receipt_date_vote import REVIEW_BELOW, TODAY, _date

SEEDS = range(12)


def _reprinted(kind: str, form: str, seeds, reprint):
    """(slip, its lines, the date read) for each seed's slip of ``form`` whose printed date
    ``reprint(date)`` replaces (``(old, new)``; None leaves the seed out)."""
    for seed in seeds:
        s = slip(seed, kind, form)
        change = reprint(dt.date.fromisoformat(s.fields["date"]))
        if change is None:
            continue
        lines = [line.replace(*change) for line in s.lines]
        yield s, lines, _date(rows(type(s)(lines, s.fields, s.traits)))


def _wrong_as_sure(date, want: str) -> bool:
    return date is not None and date.value != want and date.confidence >= REVIEW_BELOW and date.valid is not False


NEW_FORMS = ["letters_month_first", "split_figure", "apostrophe_year", "compact_before_time", "batch_above"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("form", NEW_FORMS)
def test_a_date_in_a_form_the_till_reader_did_not_read_is_found(kind, form):
    for seed in SEEDS:
        s = slip(seed, kind, form)
        date = _date(rows(s))
        assert date is not None and date.value == s.fields["date"], (date, s.lines[:14])
        assert date.valid
        assert date.raw in " ".join(s.lines)


@pytest.mark.parametrize("kind", KINDS)
def test_a_date_read_through_letters_or_a_cut_figure_is_less_sure_than_as_printed(kind):
    for seed in SEEDS:
        plain = _date(rows(slip(seed, kind, "mon_dd_yyyy")))
        lettered = _date(rows(slip(seed, kind, "letters_month_first")))
        assert lettered.confidence < plain.confidence, (plain, lettered)


@pytest.mark.parametrize("kind", KINDS)
def test_a_time_printed_with_dots_before_the_date_is_never_filed_as_the_sure_date(kind):
    right = 0
    for seed in SEEDS:
        s = slip(seed, kind, "dotted_time_first")
        date = _date(rows(s))
        assert not _wrong_as_sure(date, s.fields["date"]), (date, s.lines[:14])
        right += date.value == s.fields["date"]
    assert right >= len(SEEDS) * 3 // 4


@pytest.mark.parametrize("kind", KINDS)
def test_the_readings_agreeing_on_a_time_with_dots_do_not_make_it_sure(kind):
    """Each reading doubts the figure; agreement between readings must not lift the doubt."""
    for seed in SEEDS:
        s = slip(seed, kind, "dotted_time_first")
        date = _date(rows(s), rows(s), rows(s))
        assert not _wrong_as_sure(date, s.fields["date"]), (date, s.lines[:14])


@pytest.mark.parametrize("kind", KINDS)
def test_a_date_printed_before_a_time_with_dots_is_the_date(kind):
    for seed in SEEDS:
        s = slip(seed, kind, "dd.mm.yy_dotted_time")
        date = _date(rows(s))
        assert date is not None and date.value == s.fields["date"], (date, s.lines[:14])


@pytest.mark.parametrize("kind", KINDS)
def test_a_lone_time_with_dots_and_no_date_goes_to_review(kind):
    for seed in range(4):
        s = slip(seed, kind, "dd.mm.yy_dotted_time")
        lines = [line.split(" ")[1] if line.count(".") == 4 and ":" not in line else line for line in s.lines]
        lines = [line for line in lines if "TIME" not in line]
        date = _date(rows(type(s)(lines, s.fields, s.traits)))
        assert date is None or date.confidence < REVIEW_BELOW, (date, lines[:14])


def test_a_dotted_date_beside_a_colon_time_stays_sure():
    s = slip(0, "de", "dd.mm.yy_dotted_time")
    when = dt.date.fromisoformat(s.fields["date"])
    lines = [f"Datum {when:%d.%m.%y} 14:05" if line.count(".") == 4 else line for line in s.lines]
    date = _date(rows(type(s)(lines, s.fields, s.traits)))
    assert date.value == s.fields["date"] and date.confidence >= REVIEW_BELOW


@pytest.mark.parametrize("kind", KINDS)
def test_a_date_after_today_goes_to_review(kind):
    """A slip is filed after the sale: a later date is a misread year ("2026" for 2024)."""
    def later(when):
        day_month = f"{when.day:02d}-{when:%b}".upper()
        return f"{day_month}-{when.year}", f"{day_month}-{TODAY.year + 1}"

    for s, lines, date in _reprinted(kind, "dd-MON-yyyy", range(6), later):
        assert date is not None and date.confidence < REVIEW_BELOW, (date, lines[:14])


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("form", sorted(set(FORMS) - {"dotted_time_first", *NEW_FORMS}))
def test_every_form_is_read_as_printed(kind, form):
    """Guard: the forms the till reader reads stay read (and surely where printed plainly)."""
    for seed in range(6):
        s = slip(seed, kind, form)
        date = _date(rows(s))
        assert date is not None and date.value == s.fields["date"], (date, s.lines[:14])


@pytest.mark.parametrize("kind", KINDS)
def test_a_day_with_a_lower_case_i_for_a_one_before_the_months_name(kind):
    """Courier-like print makes OCR read a 1 as "i" ("1i-Mar-24"): put back, less sure."""
    def with_i(when):
        day = f"{when.day:02d}"
        return (f"{day}-{when:%b}", f"{day.replace('1', 'i', 1)}-{when:%b}") if "1" in day else None

    checked = 0
    for s, lines, date in _reprinted(kind, "dd-Mon-yy", range(40), with_i):
        assert date is not None and date.value == s.fields["date"], (date, lines[:14])
        assert date.confidence < _date(rows(s)).confidence
        checked += 1
    assert checked >= 5


def _us_slip(printed: str, *, state: bool = True, tax: bool = True) -> list[str]:
    return ["CORNER DELI", "12 Main St", "Springfield, IL 62701" if state else "Springfield",
            f"{printed} 12:14", "COFFEE 3.50", *(["SALES TAX 0.28"] if tax else []), "TOTAL 3.78"]


@pytest.mark.parametrize("month, day", [(4, 3), (11, 2), (1, 12), (7, 9)])
def test_a_us_slip_reads_an_ambiguous_date_month_first(month, day):
    date = _date(slip_rows(_us_slip(f"{month:02d}/{day:02d}/2024")))
    assert date.value == f"2024-{month:02d}-{day:02d}", date


@pytest.mark.parametrize("month, day", [(4, 3), (11, 2)])
def test_an_ambiguous_date_goes_to_review_when_nothing_tells_the_country(month, day):
    date = _date(slip_rows(_us_slip(f"{month:02d}/{day:02d}/2024", state=False, tax=False)))
    assert date.confidence < REVIEW_BELOW, date


def test_a_date_only_one_order_makes_is_not_doubted():
    date = _date(slip_rows(_us_slip("04/23/2024", state=False, tax=False)))
    assert date.value == "2024-04-23" and date.confidence >= REVIEW_BELOW, date


@pytest.mark.parametrize("kind", KINDS)
def test_slips_of_day_first_countries_keep_an_ambiguous_date_day_first_and_sure(kind):
    def day_first(when):
        return None if when.day > 12 or when.day == when.month else (f"{when:%Y/%m/%d}", f"{when:%d/%m/%Y}")

    checked = 0
    for s, lines, date in _reprinted(kind, "yyyy/mm/dd", range(30), day_first):
        assert date.value == s.fields["date"] and date.confidence >= REVIEW_BELOW, (date, lines[:14])
        checked += 1
    assert checked >= 5


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("form, printed", [("glued_label", "%d/%m/%Y"), ("weekday_after", "%d/%m/%Y"),
                                           ("dd.mm.yy_dotted_time", "%d.%m.%y")])
def test_a_day_that_lost_a_figure_beside_a_padded_month_goes_to_review(kind, form, printed):
    """Tills pad day and month alike: "5.04.20" beside a month printed "04" is a day whose first
    figure OCR lost (15.04.20), "05.4.20" a month that lost its zero."""
    def lost(when):
        text = f"{when:{printed}}"
        return (text, text[1:]) if when.day >= 10 and when.month < 10 else None  # "5/11" may be printed so

    checked = 0
    for s, lines, date in _reprinted(kind, form, range(30), lost):
        assert date is None or date.confidence < REVIEW_BELOW, (date, lines[:14])  # never sure
        checked += 1
    assert checked >= 3

    def unpadded(when):  # printed so, day and month alike: as sure as before
        text = f"{when:{printed}}"
        return (text, text.replace(f"{when:%d}", str(when.day), 1).replace(f"{when:%m}", str(when.month), 1)) \
            if when.day < 10 and when.month < 10 else None

    for s, lines, date in _reprinted(kind, form, range(40), unpadded):
        assert date is not None and date.value == s.fields["date"] and date.confidence >= REVIEW_BELOW, lines[:14]
