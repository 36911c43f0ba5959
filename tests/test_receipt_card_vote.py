"""Between a photo's readings that read the total differently, the one a card line charges wins: a
card is charged exactly what was paid (tests/gen_receipts.py slips paid by card, read twice)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from gen_receipts import KINDS, _words, slip
from pipeline.extract.labelled import labelled_candidates
from pipeline.extract.layout import Layout
from pipeline.extract.receipt_totals import charged_to_card
from test_receipt_readings import SEEDS, TODAY, VOCAB, reading, total_of


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("first", ["misread", "leading"])
def test_the_total_the_card_line_charges_wins_the_vote_and_is_filed_as_sure(kind, first):
    # The first reading misread the total's figure, the other read it right; both read the card line.
    for seed in SEEDS:
        wrong = slip(seed, kind, payment="card", total_figure=first)
        right = slip(seed, kind, payment="card")
        total = total_of(wrong, right)
        assert total.value == right.fields["total_amount"], (total, wrong.rows)
        assert total.confidence >= 0.5


@pytest.mark.parametrize("kind", KINDS)
def test_cash_handed_over_is_not_a_card_line(kind):
    # Cash without its change line may be more than the total: it confirms nothing in the vote.
    for seed in SEEDS:
        s = slip(seed, kind, payment="cash", change_figure="unread")
        found = labelled_candidates(Layout([reading(s)]), VOCAB.specs("receipt"), ignore=VOCAB.ignore("receipt"),
                                    month_first=False, today=TODAY)
        cash = [c.reading.value for c in found.get("tendered", [])]
        assert cash and not any(charged_to_card(v, [found]) for v in cash)
        assert not charged_to_card(Decimal(s.fields["total_amount"]), [found])


@pytest.mark.parametrize("label", ["Kreditkarte", "EC Karte", "KARTENZAHLUNG"])
def test_german_card_lines_are_card_lines(label):
    # "Kreditkarte 19,77" under the items of German slips: the card charged, not an item.
    for seed in SEEDS:
        s = slip(seed, "de", payment="card")
        rows = [_words(label) + [row[-1]] if row[0][0] == "KARTENZAHLUNG" else row for row in s.rows]
        found = labelled_candidates(Layout([reading(dataclasses.replace(s, rows=rows))]), VOCAB.specs("receipt"),
                                    ignore=VOCAB.ignore("receipt"), month_first=False, today=TODAY)
        assert charged_to_card(Decimal(s.fields["total_amount"]), [found]), rows


@pytest.mark.parametrize("kind", KINDS)
def test_a_card_line_the_items_add_up_to_is_as_sure_as_the_items_make_it(kind):
    # The total's label lost: the card line is what was paid, and the item lines add up to it.
    for seed in SEEDS:
        s = slip(seed, kind, total_label="none", payment="card")
        total = total_of(s)
        assert total.value == s.fields["total_amount"] and total.confidence >= 0.45, (total, s.rows)


@pytest.mark.parametrize("kind", KINDS)
def test_a_card_line_nothing_else_confirms_stays_a_guess(kind):
    for seed in SEEDS:
        s = slip(seed, kind, total_label="none", total_figure="misread", payment="card")
        total = total_of(s)
        assert total.value == s.fields["total_amount"] and total.confidence < 0.5, (total, s.rows)
