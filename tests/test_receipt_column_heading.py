"""The items table's heading names a "Total" column ("ITEM QTY TOTAL"): the figure under it is
the first item's, never the slip's total (pipeline/extract/receipt.py ``_column_heading``).

Generated slips of every kind (tests/gen_receipts.py) with such a heading over their items; the
total line printed plainly, or read by OCR together with the figure beside it (a tax summary's
"$8.20 $0.46", which makes the total's own figure no longer the only one after its label).
"""

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
VOCAB = load_vocabulary(config_dir() / "fields.toml")
HEADINGS = {"my": ["ITEM", "QTY", "TOTAL"], "en": ["DESCRIPTION", "QTY", "TOTAL"],
            "it": ["DESCRIZIONE", "Q.TA", "TOTALE"], "de": ["Artikel", "Menge", "Summe"]}


def _with_heading(rows, kind: str, total: str, *, beside: bool):
    """``rows`` with the items' heading over the first item line, its last word over the figures;
    ``beside``: the total line read with another figure after its own."""
    first_item = next(i for i, row in enumerate(rows)
                      if len(row) >= 2 and row[0][0].isalpha() and row[-1][1] == 500 and row[-1][0][0].isdigit())
    words = HEADINGS[kind]
    heading = [(words[0], 40), (words[1], 300), (words[2], 500)]
    out = rows[:first_item] + [heading] + rows[first_item:]
    if beside:
        out = [row + [("0,46" if "," in total else "0.46", 600)] if row[-1][0].replace(",", ".") == total
               and not row[0][0][0].isdigit() and row is not out[first_item + 1] else row for row in out]
    return out


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("payment", ["none", "cash"])
@pytest.mark.parametrize("beside", [False, True])
def test_the_figure_under_a_total_column_is_not_the_total(kind, payment, beside):
    for seed in range(12):
        s = slip(seed, kind, payment=payment)
        total = s.fields["total_amount"]
        rows = _with_heading(s.rows, kind, total, beside=beside)
        found = receipt.extract(Layout([page(rows)]), VOCAB, language=None, today=TODAY)["total_amount"]
        assert found.value == total, rows
