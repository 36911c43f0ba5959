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
from pipeline.extract.receipt_date_vote import DOUBTED, date_ranks, settled, tied
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
    assert date_ranks([b, a, None, a]) == [(1, True), (2, True), (), (2, True)]
    # Between as many readings, the date read as printed ranks above the one a repair made.
    assert date_ranks([b, a], [False, True]) == [(1, False), (1, True)]
    assert settled(a, [a, b, a]).confidence == 0.6
    assert settled(b, [b, a]).confidence == DOUBTED
    assert settled(None, [None, None]) is None


# Where the readings tie, the second look reads the date's lines once more, at another scale
# (``Page.date_look``, pipeline/text/photo.py): that reading votes on the date, and only there.

def _with_date_look(look_rows, *rows_per_reading):
    pages = [page(rows) for rows in rows_per_reading]
    for first, second in zip(pages, pages[1:]):
        first.alternate = second
    pages[0].date_look = page(look_rows)
    return receipt.extract(Layout([pages[0]]), VOCAB, language=None, today=TODAY)


@pytest.mark.parametrize("kind", KINDS)
def test_the_date_look_picks_among_the_dates_the_readings_tied_on(kind):
    for s, misread, lost in _cases(kind):
        ties = [(misread, s.rows, lost), (lost, misread, s.rows)]
        other = misread_into_another_date(s.rows, 1)
        if _date(other).value != _date(misread).value:
            ties.append((misread, other, s.rows))
        for readings in ties:
            assert _date(*readings).confidence < REVIEW_BELOW  # a tie without it
            date = _with_date_look(s.rows, *readings)["date"]
            assert date.value == s.fields["date"], readings
            assert date.confidence < REVIEW_BELOW  # still a person's call
        # Siding with none of them, it leaves the tie as it was: the first reading's, to review.
        date = _with_date_look(lost, misread, s.rows, lost)["date"]
        assert date.value == _date(misread).value and date.confidence < REVIEW_BELOW
        # Where the readings did not tie, it has no say.
        for readings in [(s.rows, s.rows, misread), (s.rows, misread, s.rows), (s.rows, lost, lost)]:
            assert _with_date_look(misread, *readings)["date"] == _date(*readings)


@pytest.mark.parametrize("kind", KINDS)
def test_the_date_look_has_no_vote_on_the_other_fields(kind):
    for seed in SEEDS[:4]:
        s, another = slip(seed, kind), slip(seed + 100, kind)
        alone = receipt.extract(Layout([page(s.rows)]), VOCAB, language=None, today=TODAY)
        looked = _with_date_look(another.rows, s.rows)
        assert another.fields["total_amount"] != s.fields["total_amount"]
        for name in alone.keys() - {"date"}:
            assert looked[name] == alone[name], name


def test_a_tie_is_no_date_read_more_often_than_every_other():
    field = receipt.ExtractedField
    a, b, c = (field(value=v, confidence=0.9) for v in ("2018-03-20", "2013-03-20", "2018-08-20"))
    assert tied([a, b]) and tied([a, b, c]) and tied([a, None, b]) and tied([a, b, b, a])
    assert not tied([a, b, b]) and not tied([a, None, None]) and not tied([a, a]) and not tied([None, None])
