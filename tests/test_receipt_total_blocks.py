"""The total of a Malaysian tax-invoice slip in every way such tills print their totals block,
with or without the GST summary table and the payment lines (tests/gen_till_totals.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from gen_till_totals import BLOCKS, till_slip
from pipeline.config import config_dir
from pipeline.extract import receipt
from pipeline.extract.layout import Layout
from pipeline.extract.vocabulary import load_vocabulary
from test_extract_reading import page

TODAY = dt.date(2025, 1, 15)
VOCAB = load_vocabulary(config_dir() / "fields.toml")


@pytest.mark.parametrize("block", sorted(BLOCKS))
@pytest.mark.parametrize("summary", [False, True])
@pytest.mark.parametrize("payment", ["cash", "card", "none"])
def test_the_total_of_every_totals_block(block, summary, payment):
    for seed in range(4):
        rows, total = till_slip(seed, block, summary=summary, payment=payment)
        got = receipt.extract(Layout([page(rows)]), VOCAB, language=None, today=TODAY).get("total_amount")
        assert got is not None and got.value == total, (got, [" ".join(w for w, _ in row) for row in rows])
