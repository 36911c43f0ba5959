"""A slip that prints its date on more than one line (pipeline/extract/receipt_date_printed.py):
generated slips of every kind (tests/gen_receipts.py, ``printed_again``) whose date line every
reading misread by one figure of the day, the month or the year (tests/gen_date_readings.py).

The lines that print the date again outvote the misread line, and the date goes to review; one
line against one leaves the readings' date, to review; lines naming another date never vote.
"""

from __future__ import annotations

import datetime as dt

import pytest

from gen_date_readings import one_figure_misread
from gen_receipts import KINDS, slip
from pipeline.config import config_dir
from pipeline.extract import receipt
from pipeline.extract.layout import Layout
from pipeline.extract.receipt_date_printed import one_figure_apart
from pipeline.extract.vocabulary import load_vocabulary
from test_extract_reading import page

TODAY = dt.date(2025, 1, 15)
SEEDS = range(10)
VOCAB = load_vocabulary(config_dir() / "fields.toml")
# The review queue's threshold as shipped (config/archivio.toml [review] min_key_confidence).
REVIEW_BELOW = 0.5
PARTS = ("day", "month", "year")


def _date(*rows_per_reading):
    """The date extraction files from a slip read once or more (the first reading is the page)."""
    pages = [page(rows) for rows in rows_per_reading]
    for first, second in zip(pages, pages[1:]):
        first.alternate = second
    return receipt.extract(Layout([pages[0]]), VOCAB, language=None, today=TODAY).get("date")


def _misread(kind, part, printed_again):
    """(slip, its rows with the date line's ``part`` misread by one figure), at least 3."""
    cases = []
    for seed in SEEDS:
        s = slip(seed, kind, printed_again=printed_again)
        misread = one_figure_misread(s.rows, part, today=TODAY)
        if misread is None:
            continue
        cases.append((s, misread))
    assert len(cases) >= 3, (kind, part)
    return cases


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("part", PARTS)
def test_two_more_printings_outvote_a_date_line_misread_by_one_figure(kind, part):
    for s, misread in _misread(kind, part, printed_again=2):
        for readings in [(misread,), (misread, misread, misread)]:
            date = _date(*readings)
            assert date.value == s.fields["date"], misread
            assert date.confidence < REVIEW_BELOW  # the printings disagreed: a person's call
            assert date.box != _date(s.rows).box  # shown on a line that printed it, not the misread one


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("part", PARTS)
def test_one_printing_against_one_leaves_the_readings_date_to_review(kind, part):
    for s, misread in _misread(kind, part, printed_again=1):
        plain = _date(misread)
        assert plain.value != s.fields["date"]  # the misread line's date stands ...
        assert plain.confidence < REVIEW_BELOW  # ... and goes to review


@pytest.mark.parametrize("kind", KINDS)
def test_printings_that_agree_change_nothing(kind):
    for seed in SEEDS:
        once, thrice = slip(seed, kind), slip(seed, kind, printed_again=2)
        assert _date(thrice.rows).value == _date(once.rows).value == once.fields["date"]
        assert _date(thrice.rows).confidence == _date(once.rows).confidence >= REVIEW_BELOW


@pytest.mark.parametrize("kind", KINDS)
def test_a_line_naming_another_date_one_figure_apart_has_no_vote(kind):
    """A voucher valid for a year prints the sale's day and month a year on."""
    checked = 0
    for seed in range(40):
        s = slip(seed, kind, other_date="expiry")
        sale = dt.date.fromisoformat(s.fields["date"])
        expiry = sale + dt.timedelta(days=365)
        if not one_figure_apart(sale, expiry):
            continue
        checked += 1
        date = _date(s.rows)
        assert date.value == s.fields["date"]
        assert date.confidence >= REVIEW_BELOW, s.rows  # no disagreement among the sale's printings
    assert checked >= 3


@pytest.mark.parametrize("a, b, apart", [
    ("2018-03-30", "2019-03-30", True), ("2018-03-30", "2018-08-30", True), ("2018-03-30", "2018-03-20", True),
    ("2018-03-30", "2018-03-30", False), ("2018-03-30", "2019-03-31", False), ("2018-03-30", "2018-03-03", False),
    ("2018-12-01", "2018-01-12", False), ("2018-03-30", "2028-03-30", True), ("2018-03-30", "2019-04-30", False),
])
def test_one_figure_apart(a, b, apart):
    assert one_figure_apart(dt.date.fromisoformat(a), dt.date.fromisoformat(b)) is apart
