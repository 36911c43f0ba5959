"""A till slip's date line misread in ways the slip itself settles (generated slips of every kind,
tests/gen_receipts.py; misreads from tests/gen_date_readings.py):

- a year read cut to its century ("19/03/20" for 2018) where another line prints it whole
  (``receipt_date_printed``): the whole year is filed, to review; a two-figure year one figure from
  the other line's year is no cut (a figure misread on either line) and stays, to review;
- the date line's readings split three ways, another line printing the date alike in every
  reading: that line's date is filed, to review;
- as many readings for a date as printed as for one a repair made ("06-07-2029" put back to 2020):
  the date as printed wins, to review (``receipt_date_vote``);
- a time printed with dots after a date OCR misread ("1504/2024 12.03.25") is no date
  (``receipt_dates.time_after_a_year``), nor is an item's line behind a table's border whose
  name reads as a month ("| Set 10");
- of a date and the same day a year on, one line each, the earlier is the sale (the later a
  validity whose label went unread).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from gen_date_readings import date_line_lost, in_year, one_figure_read_two_ways, year_cut, year_read_as
from gen_receipts import KINDS, slip
from test_receipt_date_printed import REVIEW_BELOW, _date

SEEDS = range(10)


def _moved(s, year: int) -> tuple[list, str]:
    """The slip's rows and its date, the slip printed in ``year``."""
    return in_year(s.rows, year), f"{year}{s.fields['date'][4:]}"


@pytest.mark.parametrize("kind", KINDS)
def test_a_year_cut_to_its_century_is_the_year_another_line_prints(kind):
    for seed in SEEDS:
        rows, want = _moved(slip(seed, kind, printed_again=1), 2018)
        cut = year_cut(rows)
        for readings in [(cut,), (cut, cut, cut)]:
            date = _date(*readings)
            assert date.value == want, readings[0]
            assert date.confidence < REVIEW_BELOW  # the lines disagreed: a person's call
            assert date.raw.endswith("2018")  # shown on the line that prints it whole


@pytest.mark.parametrize("kind", KINDS)
def test_a_cut_year_alone_or_beside_a_year_one_figure_off_stays_as_read(kind):
    for seed in SEEDS:
        rows, want = _moved(slip(seed, kind), 2018)
        assert _date(year_cut(rows)).value == f"2020{want[4:]}"  # nothing says otherwise
        # A slip of 2020 printing "dd/mm/20" on top and its foot's year misread as 2021: no cut.
        rows, want = _moved(slip(seed, kind, printed_again=1), 2020)
        misread = year_read_as(year_cut(rows), "2021", first=False)
        date = _date(misread)
        assert date.value == want and date.confidence < REVIEW_BELOW


@pytest.mark.parametrize("kind", KINDS)
def test_a_date_line_the_readings_split_on_yields_to_a_line_they_agree_on(kind):
    tried = 0
    for seed in SEEDS:
        s = slip(seed, kind, printed_again=1)
        two = one_figure_read_two_ways(s.rows)
        if two is None:
            continue
        tried += 1
        first, second = two
        for readings in [(first, second, s.rows), (first, s.rows, second)]:
            date = _date(*readings)
            assert date.value == s.fields["date"], first
            assert date.confidence < REVIEW_BELOW
        # Without that line nothing settles it: the first reading's date, to review.
        alone = slip(seed, kind)
        first, second = one_figure_read_two_ways(alone.rows)
        date = _date(first, second, alone.rows)
        assert date.value != s.fields["date"] and date.confidence < REVIEW_BELOW
    assert tried >= 3


@pytest.mark.parametrize("kind", KINDS)
def test_between_as_many_readings_the_date_as_printed_beats_a_repair(kind):
    for seed in SEEDS:
        s = slip(seed, kind)
        # The year's last figure read as 9: 2029 lies ahead, the till reader puts a filled 0 back.
        repaired = year_read_as(s.rows, "2029")
        assert _date(repaired).value.startswith("2020")
        for readings in [(repaired, s.rows), (s.rows, repaired)]:
            date = _date(*readings)
            assert date.value == s.fields["date"]
            assert date.confidence < REVIEW_BELOW  # one reading against one: a person's call


def _dotted_time(rows: list, seed: int, *, lose_separator: bool) -> list:
    """The date line's time printed with dots, shaped like a date ("12.03.25"); with
    ``lose_separator`` the date's first separator lost ("1504/2024")."""
    out, done = [], False
    for row in rows:
        texts = [t for t, _ in row]
        date = next((i for i, t in enumerate(texts) if re.fullmatch(r"\d\d[./-]\d\d[./-]\d{4}", t)), None)
        if date is not None and not done and date + 1 < len(row) and re.fullmatch(r"\d\d:\d\d", texts[date + 1]):
            done = True
            words = list(row)
            if lose_separator:
                words[date] = (texts[date][:2] + texts[date][3:], row[date][1])
            words[date + 1] = (f"{1 + seed % 23:02d}.{1 + seed % 12:02d}.{10 + seed:02d}", row[date + 1][1])
            row = words
        out.append(row)
    assert done
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_a_dotted_time_after_a_misread_date_is_no_date(kind):
    for seed in SEEDS:
        s = slip(seed, kind)
        misread = _dotted_time(s.rows, seed, lose_separator=True)
        date = _date(misread)
        assert date is None or date.value == s.fields["date"], misread
        # Another reading that read the date: its date is filed.
        assert _date(misread, _dotted_time(s.rows, seed, lose_separator=False)).value == s.fields["date"]
        assert _date(_dotted_time(s.rows, seed, lose_separator=False)).value == s.fields["date"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("item", ["Set 10", "Mar 12", "Dec 18", "Mai 20"])
def test_a_table_border_before_an_item_named_like_a_month_is_no_date(kind, item):
    # A slip whose date line was lost, an item line read with the table's border as "|" before an
    # item whose name reads as a month's ("| Set 10 1 6.90": "Set" is Italian September).
    for seed in SEEDS[:4]:
        rows = date_line_lost(slip(seed, kind).rows)
        name, figure = item.split()
        rows.insert(len(rows) // 2, [("|", 30), (name, 40), (figure, 80), ("1", 120), ("6.90", 500), ("|", 560)])
        date = _date(rows)
        assert date is None or name not in date.raw, date


def _with_validity(rows: list, *, above: bool) -> list:
    """The rows with a line printing the sale's day and month a year on, its label read as noise
    ("~ EEK 30/03/2019": a voucher's validity), above or below the date's line."""
    out, done = [], False
    for row in rows:
        date = next((t for t, _ in row if re.fullmatch(r"\d\d[./-]\d\d[./-]\d{4}", t)), None)
        if date is not None and not done:
            done = True
            validity = [("~", 40), ("EEK", 60), (date[:-4] + str(int(date[-4:]) + 1), 120)]
            out += [validity, row] if above else [row, validity]
        else:
            out.append(row)
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_a_date_a_year_after_the_sale_is_a_validity_not_the_sale(kind):
    for seed in SEEDS:
        s = slip(seed, kind)
        for above in (True, False):
            rows = _with_validity(s.rows, above=above)
            for readings in [(rows,), (rows, rows, rows)]:
                assert _date(*readings).value == s.fields["date"], (above, rows[:12])
        # The date's line read a year on ("30/03/2019"), the foot printing the sale's date.
        again = slip(seed, kind, printed_again=1)
        year = int(again.fields["date"][:4])
        date = _date(year_read_as(again.rows, str(year + 1)))
        assert date.value == again.fields["date"] and date.confidence < REVIEW_BELOW
