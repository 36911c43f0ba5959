"""A receipt total whose figure OCR broke at its decimal separator (issue 15: worn thermal print,
where a stroke's remnant beside the comma is read as a mark of its own): "13/,03", "13,/03",
"13;03", or "13" and ",03" as two words. The amount reader took the whole part alone (13.00) and
the slip's own cash and change sent it to review; read as printed, the total is the slip's.
Generated slips of every layout (tests/gen_receipts.py), never one real document."""

from __future__ import annotations

import datetime as dt

import pytest

from gen_receipts import KINDS, slip
from pipeline.config import config_dir
from pipeline.extract import receipt
from pipeline.extract.layout import Layout
from pipeline.extract.receipt_totals import _stray_mark_figure
from pipeline.extract.vocabulary import load_vocabulary
from test_extract_reading import page

TODAY = dt.date(2025, 1, 15)
VOCAB = load_vocabulary(config_dir() / "fields.toml")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("how", ["stray_before", "stray_after", "semicolon", "split"])
@pytest.mark.parametrize("payment", ["cash", "card"])
def test_a_total_broken_at_its_separator_is_read_as_printed(kind, how, payment):
    for seed in range(4):
        s = slip(seed, kind, total_figure=how, payment=payment)
        total = receipt.extract(Layout([page(s.rows)]), VOCAB, language=None, today=TODAY)["total_amount"]
        assert total.value == s.fields["total_amount"], (how, s.rows)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("how", ["stray_before", "stray_after", "semicolon"])
def test_a_figure_read_through_a_mark_is_sent_to_review(kind, how):
    # The mark may be a digit that lost strokes (worn print: "137,03" read "13/,03"), so the
    # figure read without it is a guess a person confirms, never filed as sure.
    for seed in range(4):
        s = slip(seed, kind, total_figure=how, payment="none")
        total = receipt.extract(Layout([page(s.rows)]), VOCAB, language=None, today=TODAY)["total_amount"]
        assert total.value == s.fields["total_amount"] and total.confidence < 0.5, (how, total)


@pytest.mark.parametrize("text, printed", [
    ("13/,03", "13,03"), ("13,/03", "13,03"), ("7|.50", "7.50"), ("128.'40", "128.40"), ("13;03", "13,03"),
    # A date, a time, a figure as printed, a word: none is a broken figure.
    ("13/03", None), ("13:03", None), ("13,03", None), ("13.03", None), ("13/,3", None), ("A/,03", None),
    ("13//,03", None), ("1234567/,03", None),
])
def test_only_a_figure_broken_at_its_separator_is_repaired(text, printed):
    assert _stray_mark_figure(text) == printed


def test_cents_apart_from_their_figure_are_joined_only_beside_it():
    from pipeline.extract.receipt_totals import money_as_printed

    def texts(row):
        return [w.text for w in money_as_printed(Layout([page([row])])).pages[0].words]

    assert texts([("TOTAL", 40), ("13", 480), (",03", 500)]) == ["TOTAL", "13,03"]  # a gap of 2
    # A quantity and a price far apart on a line, or cents of three digits, are not one figure.
    assert texts([("ITEM", 40), ("2", 300), (",50", 500)]) == ["ITEM", "2", ",50"]
    assert texts([("TOTAL", 40), ("13", 480), (",035", 500)]) == ["TOTAL", "13", ",035"]
