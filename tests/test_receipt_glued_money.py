"""Money glued to its currency whose leading digits OCR read as look-alike letters ("TOTAL RMS.00",
"CHANGE RMO.40", "RMl2.50") is read as printed (tests/gen_glued_money.py): the total comes out
right, and what is not such a figure is left alone."""

from __future__ import annotations

import datetime as dt

import pytest

from gen_glued_money import POINTS, dollar_slip, glued_slip
from gen_receipts import _words
from pipeline.config import config_dir
from pipeline.extract import receipt
from pipeline.extract.layout import Layout
from pipeline.extract.receipt_totals import _glued_figure, money_as_printed
from pipeline.extract.vocabulary import load_vocabulary
from test_extract_reading import page

TODAY = dt.date(2025, 1, 15)
VOCAB = load_vocabulary(config_dir() / "fields.toml")


def _total(rows):
    return receipt.extract(Layout([page(rows)]), VOCAB, language=None, today=TODAY).get("total_amount")


@pytest.mark.parametrize("point", sorted(POINTS))
@pytest.mark.parametrize("misread, payment", [(("total",), "none"), (("total", "cash", "change"), "cash"),
                                              (("total", "change"), "cash")])
def test_the_total_glued_to_its_currency_is_read_as_printed(point, misread, payment):
    for seed in range(8):
        rows, total = glued_slip(seed, point=point, misread=misread, payment=payment)
        got = _total(rows)
        assert got is not None and got.value == total, (got, [" ".join(w for w, _ in r) for r in rows])


@pytest.mark.parametrize("text, expected", [
    ("RMS.00", "RM5.00"), ("RMS:00", "RM5.00"), ("RMO.40", "RM0.40"), ("RMl2.50", "RM12.50"),
    ("RMB.90", "RM8.90"), ("$B.20", "$8.20"), ("RMI,50", "RM1,50"), ("RMS.", "RM5."),
    ("RM5.00", None), ("RMOUNT", None), ("RMS", None), ("SOLD.", None), ("RMSO", None), ("RM", None),
])
def test_glued_figures(text, expected):
    assert _glued_figure(text) == expected


def test_a_reading_without_such_a_figure_is_the_same_layout_and_the_pages_are_never_changed():
    rows, _ = glued_slip(0, misread=())
    layout = Layout([page(rows)])
    assert money_as_printed(layout) is layout
    rows, _ = glued_slip(0, point="spaced")
    original = page(rows)
    before = original.text
    repaired = money_as_printed(Layout([original]))
    assert original.text == before and repaired.pages[0].text != before


@pytest.mark.parametrize("misread", ["5", "S", "8"])
@pytest.mark.parametrize("payment", ["cash", "none"])
def test_a_dollar_sign_read_as_a_digit_is_the_sign(misread, payment):
    for seed in range(6):
        rows, total = dollar_slip(seed, misread=misread, payment=payment)
        got = _total(rows)
        assert got is not None and got.value == total, (got, [" ".join(w for w, _ in r) for r in rows])


def test_a_figure_not_printed_with_its_sign_elsewhere_keeps_its_digit():
    rows = [_words(t) for t in ["ITEM 1 $8.20", "ITEM 2 $50.00", "TOTAL 58.20", "THANK YOU"]]
    assert money_as_printed(Layout([page(rows)])).pages[0].text.count("58.20") == 1
    rows = [_words(t) for t in ["ITEM 1 $8.20", "TOTAL 58.20", "THANK YOU"]]  # the sign printed once
    assert "58.20" in money_as_printed(Layout([page(rows)])).pages[0].text
