"""A receipt photo's date when its readings disagree (pipeline/extract/receipt_date_vote.py):
generated slips of every kind (tests/gen_receipts.py) whose date one reading misread into
another real date (tests/gen_date_readings.py: 05.10.16 for 08.10.16, 20/03/2013 for 20/03/2018).

The date more readings read wins; between as many readings the first reading's date stands and
goes to review (a guess is never filed as sure); readings that agree file it as before.
"""

from __future__ import annotations

import datetime as dt

import pytest

from gen_date_readings import date_line_lost, misread_into_another_date
from gen_receipts import KINDS, slip
from pipeline.config import config_dir
from pipeline.extract import receipt
from pipeline.extract.layout import Layout
from pipeline.extract.receipt_date_vote import DOUBTED, date_ranks, settled
from pipeline.extract.vocabulary import load_vocabulary
from test_extract_reading import page

TODAY = dt.date(2025, 1, 15)
SEEDS = range(12)
VOCAB = load_vocabulary(config_dir() / "fields.toml")
# The review queue's threshold as shipped (config/archivio.toml [review] min_key_confidence).
REVIEW_BELOW = 0.5


def _date(*rows_per_reading):
    """The date extraction files from a photo read several times (the first reading is the page)."""
    pages = [page(rows) for rows in rows_per_reading]
    for first, second in zip(pages, pages[1:]):
        first.alternate = second
    return receipt.extract(Layout([pages[0]]), VOCAB, language=None, today=TODAY).get("date")


def _cases(kind, choice=0):
    """(slip, its rows with the date misread, its rows with the date's line lost), at least 3."""
    cases = []
    for seed in SEEDS:
        s = slip(seed, kind)
        misread = misread_into_another_date(s.rows, choice)
        lost = date_line_lost(s.rows)
        if misread is None or lost is None or _date(misread) is None:
            continue
        assert _date(misread).value != s.fields["date"]  # a real date, the wrong one
        cases.append((s, misread, lost))
    assert len(cases) >= 3, kind
    return cases


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("choice", [0, 1])
def test_the_date_two_readings_read_beats_the_first_readings_misread(kind, choice):
    for s, misread, _ in _cases(kind, choice):
        date = _date(misread, s.rows, s.rows)
        assert date.value == s.fields["date"], misread
        assert date.confidence >= REVIEW_BELOW  # two readings of three: filed


@pytest.mark.parametrize("kind", KINDS)
def test_the_first_readings_date_read_by_two_stands_against_one_misread(kind):
    for s, misread, _ in _cases(kind):
        assert _date(s.rows, misread, s.rows).value == s.fields["date"]
        assert _date(s.rows, s.rows, misread).value == s.fields["date"]


@pytest.mark.parametrize("kind", KINDS)
def test_one_reading_against_one_is_a_guess_sent_to_review(kind):
    for s, misread, lost in _cases(kind):
        sure = _date(s.rows, s.rows, lost)
        assert sure.value == s.fields["date"] and sure.confidence >= REVIEW_BELOW
        for readings in [(misread, s.rows, lost), (s.rows, misread, lost), (s.rows, lost, misread)]:
            date = _date(*readings)
            first = _date(readings[0]) or _date(readings[1])
            assert date.value == first.value  # the page's own reading, where it read one
            assert date.confidence < REVIEW_BELOW, readings


@pytest.mark.parametrize("kind", KINDS)
def test_a_date_only_one_reading_read_is_no_tie(kind):
    for s, _, lost in _cases(kind):
        alone = _date(s.rows)
        for readings in [(s.rows, lost, lost), (lost, s.rows, lost)]:
            date = _date(*readings)
            assert date.value == s.fields["date"]
            assert date.confidence >= min(alone.confidence, REVIEW_BELOW)


def test_ranks_count_the_readings_of_each_date():
    field = receipt.ExtractedField
    a, b = field(value="2018-03-20", confidence=0.6), field(value="2013-03-20", confidence=0.9)
    assert date_ranks([b, a, None, a]) == [(1,), (2,), (), (2,)]
    assert settled(a, [a, b, a]).confidence == 0.6
    assert settled(b, [b, a]).confidence == DOUBTED
    assert settled(None, [None, None]) is None
