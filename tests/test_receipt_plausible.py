"""A receipt total the slip cannot account for: a lost decimal point repaired only when the slip
confirms it, anything else sent to review rather than filed as if sure. Generated slips of every
layout (tests/gen_receipts.py), never one real document."""

from __future__ import annotations

import datetime as dt

import pytest

from gen_receipts import KINDS, slip
from pipeline.config import config_dir
from pipeline.extract import receipt
from pipeline.extract.layout import Layout
from pipeline.extract.vocabulary import load_vocabulary
from test_extract_reading import page

TODAY = dt.date(2025, 1, 15)
SEEDS = range(6)
VOCAB = load_vocabulary(config_dir() / "fields.toml")
REVIEW = 0.5  # the shipped review threshold for key fields


def total_of(s):
    return receipt.extract(Layout([page(s.rows)]), VOCAB, language=None, today=TODAY)["total_amount"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("payment", ["card", "none"])
def test_a_lost_decimal_point_is_restored_when_the_slip_confirms_it_and_sent_to_review(kind, payment):
    # The card line repeats the amount with its cents; without one, the lines above add up to it.
    for seed in SEEDS:
        s = slip(seed, kind, total_figure="lost_point", payment=payment, area=True)
        total = total_of(s)
        assert total.value == s.fields["total_amount"], (total, s.rows)
        assert total.confidence < REVIEW and total.valid is not False


@pytest.mark.parametrize("kind", KINDS)
def test_a_total_nothing_on_the_slip_accounts_for_is_marked_invalid_for_review(kind):
    # A postcode or a phone number is no price: with the address's figures counted as money, a
    # wild total would pass as plausible.
    for seed in SEEDS:
        s = slip(seed, kind, total_figure="wild", payment="card", area=True, phone="bare")
        total = total_of(s)
        assert total.valid is False and "other figures" in total.error, (total, s.rows)
        assert total.confidence < REVIEW


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("payment", ["cash", "card", "none"])
def test_a_plausible_total_is_left_alone(kind, payment):
    for seed in SEEDS:
        s = slip(seed, kind, payment=payment, area=True, phone="bare")
        total = total_of(s)
        assert total.value == s.fields["total_amount"] and total.valid is not False and not total.error, (total, s.rows)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("label", ["garbled", "none"])
def test_a_slip_whose_total_label_is_lost_still_gets_a_total_for_review(kind, label):
    # The VAT line between the items and the total: the lines above no longer add up to it and
    # no payment line repeats it. The largest priced figure is the amount paid, to be confirmed.
    for seed in SEEDS:
        s = slip(seed, kind, total_label=label, payment="none", tax_line=True)
        total = total_of(s)
        assert total.value == s.fields["total_amount"], (total, s.rows)
        assert total.confidence < REVIEW


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("payment", ["cash", "card"])
def test_a_total_the_payment_lines_contradict_is_sent_to_review(kind, payment):
    # The total's last digit misread: cash minus change, or the card line, says another amount.
    for seed in SEEDS:
        s = slip(seed, kind, total_figure="misread", payment=payment)
        total = total_of(s)
        assert total.value == s.fields["total_amount"] or total.confidence < REVIEW, (total, s.rows)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("payment", ["cash", "card", "none"])
def test_a_plain_total_read_cleanly_is_not_sent_to_review(kind, payment):
    for seed in SEEDS:
        total = total_of(slip(seed, kind, payment=payment))
        assert total.confidence >= REVIEW, total
