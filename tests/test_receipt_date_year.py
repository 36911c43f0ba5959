"""A till slip's date whose year no reading read as a year (pipeline/extract/receipt_date_year.py):
generated labelled slips (tests/gen_receipts.py, the Malaysian kind prints "DATE:") whose year's
first figures were lost to thermal print (tests/gen_date_readings.py: "02/02/0024", "9024").

The year is guessed from its last figures and the plausible window, and the date goes to review;
a date any reading read as printed is never replaced by a guess.
"""

from __future__ import annotations

import datetime as dt

import pytest

from gen_date_readings import date_line_lost, year_misread
from gen_receipts import slip
from pipeline.config import config_dir
from pipeline.extract import receipt
from pipeline.extract.layout import Layout
from pipeline.extract.receipt_date_year import _with_year, year_guessed
from pipeline.extract.vocabulary import load_vocabulary
from test_extract_reading import page

TODAY = dt.date(2025, 1, 15)
SEEDS = range(6)
VOCAB = load_vocabulary(config_dir() / "fields.toml")
REVIEW_BELOW = 0.5  # config/archivio.toml [review] min_key_confidence


def _date(*rows_per_reading):
    pages = [page(rows) for rows in rows_per_reading]
    for first, second in zip(pages, pages[1:]):
        first.alternate = second
    return receipt.extract(Layout([pages[0]]), VOCAB, language=None, today=TODAY).get("date")


@pytest.mark.parametrize("century", ["00", "90", "50", "80", "O0"])
def test_a_labelled_date_whose_century_was_lost_is_guessed_and_sent_to_review(century):
    for seed in SEEDS:
        s = slip(seed, "my")
        garbled = year_misread(s.rows, century)
        date = _date(garbled)
        assert date is not None and date.value == s.fields["date"], garbled
        assert date.confidence < REVIEW_BELOW and date.valid
        lost = date_line_lost(s.rows)
        voted = _date(garbled, year_misread(s.rows, "90"), lost)
        assert voted.value == s.fields["date"] and voted.confidence < REVIEW_BELOW


@pytest.mark.parametrize("century", ["70", "00", "90"])
def test_a_lost_century_after_a_separator_read_as_a_space_is_guessed(century):
    # Faded print loses the year's first figures and the stroke before them alike: "11/05 7018".
    for seed in SEEDS:
        s = slip(seed, "my")
        garbled = year_misread(s.rows, century, apart=True)
        date = _date(garbled)
        assert date is not None and date.value == s.fields["date"], garbled
        assert date.confidence < REVIEW_BELOW


def test_a_date_another_reading_read_as_printed_is_no_guess():
    for seed in SEEDS:
        s = slip(seed, "my")
        date = _date(year_misread(s.rows, "00"), s.rows, s.rows)
        assert date.value == s.fields["date"] and date.confidence >= REVIEW_BELOW


@pytest.mark.parametrize("kind", ["it", "de", "en"])
def test_an_unlabelled_date_is_not_guessed(kind):
    # Without a date label four figures after a day and a month may be anything (a code, a price).
    for seed in SEEDS:
        s = slip(seed, kind)
        assert _date(year_misread(s.rows, "00")) is None


@pytest.mark.parametrize("text, expected", [
    ("DATE: 11/05/0078 16:52", "2018-05-11"),  # the 1 read as 7 as well: 2078 lies ahead, 2018 not
    ("DATE: 11/05/9078", "2018-05-11"),
    ("Date : 03/06/5O12 5:02 PM", "2012-06-03"),  # an O for the 0
    ("DATE: 31/02/0018", None),  # no day and month of a date
    ("Expiry Date: 11/05/0078", None),  # another date's label
    ("DATE: 11/05/2018", None),  # a year as printed is the strict readers' business
    ("DATE: 11/05/0099", "2009-05-11"),  # 2099 lies ahead, 2090 too: a filled 0 first
    ("DATE: 11/05/0060", None),  # 2060 ahead, 2000 beyond the window: no plausible year
    ("DATE: 11/05/00AH", None),  # no figures where the year's last were printed
    ("DATE: 11/05 7018 16:52", "2018-05-11"),  # the stroke before the year read as a space
    ("DATE: 11/05 1040", None),  # a time without its colon: 2040 ahead, 2010 needs two repairs
    ("DATE: 11/05.7018", None),  # two different strokes: not one date's
])
def test_which_years_are_guessed(text, expected):
    from test_extract_reading import page as one_page

    words = text.split()
    layout = Layout([one_page([[(w, 40 + 80 * i) for i, w in enumerate(words)]])])
    date = year_guessed([layout], VOCAB, month_first=False, today=dt.date(2026, 11, 30))
    assert (date.value if date else None) == expected


def test_the_fewest_confusions_put_back_win():
    today = dt.date(2026, 11, 30)
    assert _with_year(1, 2, "0078", today) == dt.date(2018, 2, 1)  # one change (7 -> 1), not 2010 (two)
    assert _with_year(1, 2, "9024", today) == dt.date(2024, 2, 1)  # as read
    assert _with_year(29, 2, "0023", today) is None  # no 29 February in 2023
