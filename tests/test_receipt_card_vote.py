"""Between a photo's readings that read the total differently, the one a card line charges wins: a
card is charged exactly what was paid (tests/gen_receipts.py slips paid by card, read twice)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gen_receipts import KINDS, slip
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
