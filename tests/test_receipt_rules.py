"""Receipt rules on generated slips (tests/gen_receipts.py): a total on every slip that prints
one, rounding lines, and the merchant when the brand is only a graphical logo. Each rule is
checked on many generated slips of every kind, never on one real document."""

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
SEEDS = range(4)


def fields_of(s) -> dict[str, str]:
    vocab = load_vocabulary(config_dir() / "fields.toml")
    found = receipt.extract(Layout([page(s.rows)]), vocab, language=None, today=TODAY)
    return {name: f.value for name, f in found.items()}


def check(s, *names: str) -> None:
    got = fields_of(s)
    for name in names:
        assert got.get(name) == s.fields[name], (name, got.get(name), s.fields[name], s.rows)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("payment", ["cash", "card", "none"])
def test_the_total_date_and_merchant_of_plain_slips(kind, payment):
    for seed in SEEDS:
        check(slip(seed, kind, legal_at="bottom", payment=payment), "total_amount", "date", "merchant_name")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("rounding", ["between", "unprinted", "bare"])
@pytest.mark.parametrize("payment", ["cash", "card", "none"])
def test_the_amount_paid_after_a_rounding_line_is_the_total(kind, rounding, payment):
    for seed in SEEDS:
        check(slip(seed, kind, rounding=rounding, payment=payment), "total_amount")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("payment", ["cash", "card"])
def test_a_total_is_found_when_its_label_is_lost(kind, payment):
    for seed in SEEDS:
        for label in ("garbled", "none"):
            check(slip(seed, kind, total_label=label, payment=payment), "total_amount")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("legal_at", ["top", "bottom"])
def test_a_graphical_logo_leaves_the_legal_name_as_the_merchant(kind, legal_at):
    for seed in SEEDS:
        check(slip(seed, kind, logo=True, legal_at=legal_at), "merchant_name", "total_amount")


@pytest.mark.parametrize("kind", KINDS)
def test_under_a_logo_the_line_above_the_registration_number_names_the_merchant(kind):
    for seed in SEEDS:
        check(slip(seed, kind, trader=True), "merchant_name", "total_amount", "date")
