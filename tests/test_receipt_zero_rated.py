"""A total printed after a zero tax rate ("Total Sales Inclusive GST @0.00% 30.45") is the amount
paid, even where a figure above it is larger (a discount, a misread item line), and a tax line at
a real rate under a total's label stays a tax line (tests/gen_zero_rated.py, gen_till_totals.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gen_till_totals import till_slip
from gen_zero_rated import ABOVE, LABELS, zero_rated_slip
from pipeline.config import config_dir
from pipeline.extract import receipt
from pipeline.extract.layout import Layout
from pipeline.extract.receipt_totals import rates, zero_rated
from pipeline.extract.vocabulary import load_vocabulary
from test_extract_reading import page

TODAY = dt.date(2025, 1, 15)
VOCAB = load_vocabulary(config_dir() / "fields.toml")


def _total(rows):
    return receipt.extract(Layout([page(rows)]), VOCAB, language=None, today=TODAY).get("total_amount")


@pytest.mark.parametrize("label", sorted(LABELS))
@pytest.mark.parametrize("above", ABOVE)
@pytest.mark.parametrize("payment", ["none", "card"])
def test_the_figure_after_a_zero_rate_is_the_total_filed_as_sure(label, above, payment):
    for seed in range(4):
        rows, total = zero_rated_slip(seed, label, above, payment=payment, summary=seed % 2 == 1)
        got = _total(rows)
        assert got is not None and got.value == total, (got, [" ".join(w for w, _ in r) for r in rows])
        # Read under its own label, as printed: nothing for a person to settle.
        assert got.confidence >= 0.5, got


@pytest.mark.parametrize("summary", [False, True])
def test_a_tax_line_at_a_real_rate_under_a_totals_label_is_still_the_tax(summary):
    for seed in range(4):
        rows, total = till_slip(seed, "tax_line", summary=summary, payment="none")
        assert _total(rows).value == total


@pytest.mark.parametrize("text, expected", [
    ("Total Sales Inclusive GST @0.00%:", [Decimal("0")]),
    ("Total Sales Inclusive GST @0 00%:", [Decimal("0")]),
    ("Totale compreso IVA 0,00%", [Decimal("0")]),
    ("TOTAL INCL. GST @6%", [Decimal("6")]),
    ("Total incl. GST 6%:", [Decimal("6")]),
    ("IVA 10,5 %", [Decimal("10.5")]),
    ("Sconto 100%", []),
])
def test_rates_as_printed(text, expected):
    assert rates(text) == expected


def test_zero_rated_needs_every_rate_printed_to_be_zero():
    assert zero_rated("Total Sales Inclusive GST @0.00%")
    assert not zero_rated("TOTAL INCL GST 6%")
    assert not zero_rated("GST 0% / 6%")
    assert not zero_rated("TOTAL")
