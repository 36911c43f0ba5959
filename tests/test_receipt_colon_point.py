"""A total whose decimal point OCR read as a colon ("TOTAL PAYABLE: 29:75", small print) is read as
the amount paid where cash minus change says that figure; a time is never read so
(tests/gen_till_totals.py slips, the total's figure rewritten as OCR read it)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gen_receipts import _words
from gen_till_totals import till_slip
from pipeline.config import config_dir
from pipeline.extract import receipt
from pipeline.extract.layout import Layout
from pipeline.extract.receipt_totals import paid_with_a_colon
from pipeline.extract.vocabulary import load_vocabulary
from test_extract_reading import page

TODAY = dt.date(2025, 1, 15)
VOCAB = load_vocabulary(config_dir() / "fields.toml")


def _colon_slip(seed: int, block: str, payment: str):
    rows, total = till_slip(seed, block, payment=payment)
    out = []
    for row in rows:
        text = " ".join(w for w, _ in row)
        if text.endswith(f" {total}") and not text.startswith(("CASH", "VISA")):
            text = text[: -len(total)] + total.replace(".", ":")
        out.append(_words(text))
    return out, total


@pytest.mark.parametrize("block", ["payable", "total_rm", "grand", "nett"])
def test_the_total_read_with_a_colon_is_what_cash_minus_change_says(block):
    for seed in range(6):
        rows, total = _colon_slip(seed, block, "cash")
        got = receipt.extract(Layout([page(rows)]), VOCAB, language=None, today=TODAY).get("total_amount")
        assert got is not None and got.value == total, (got, [" ".join(w for w, _ in r) for r in rows])


@pytest.mark.parametrize("text, paid, expected", [
    ("TOTAL PAYABLE: 29:75", "29.75", "29:75"),
    ("TOTAL 129:75", "29.75", None),             # another figure
    ("Time: 12:49:00", "12.49", None),           # a time of three parts
    ("Time: 12:49:00", "49.00", None),
    ("TOTAL 29.75", "29.75", None),              # read as printed: find_amounts reads it
])
def test_paid_with_a_colon(text, paid, expected):
    assert paid_with_a_colon(text, Decimal(paid)) == expected
