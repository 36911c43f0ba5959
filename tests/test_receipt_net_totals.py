"""A total's label that says the tax is left out ("Total Sales (Excluding GST)", misread by OCR so
that the vocabulary's ignore list no longer claims it) names the net, never the amount paid
(tests/gen_net_totals.py); a label that says the tax is included is untouched."""

from __future__ import annotations

import datetime as dt

import pytest

from gen_net_totals import NET_LABELS, net_misread_slip
from pipeline.config import config_dir
from pipeline.extract import receipt
from pipeline.extract.layout import Layout
from pipeline.extract.receipt_totals import names_the_net
from pipeline.extract.vocabulary import load_vocabulary
from test_extract_reading import page

TODAY = dt.date(2025, 1, 15)
VOCAB = load_vocabulary(config_dir() / "fields.toml")


def _total(rows):
    return receipt.extract(Layout([page(rows)]), VOCAB, language=None, today=TODAY).get("total_amount")


@pytest.mark.parametrize("net_label", NET_LABELS)
def test_cash_minus_change_not_the_net_when_the_totals_figure_is_misread(net_label):
    for seed in range(4):
        rows, total = net_misread_slip(seed, net_label, figure="misread")
        got = _total(rows)
        assert got is not None and got.value == total, (got, [" ".join(w for w, _ in r) for r in rows])


@pytest.mark.parametrize("net_label", NET_LABELS)
def test_under_a_tax_summary_a_wrong_total_is_never_filed_as_sure(net_label):
    # The GST summary's "Total <net> <tax>" row is still read as a total (not settled here): what
    # was paid contradicts it, so a person is asked.
    for seed in range(4):
        rows, total = net_misread_slip(seed, net_label, figure="misread", summary=True)
        got = _total(rows)
        assert got is not None and (got.value == total or got.confidence < 0.5), got


@pytest.mark.parametrize("net_label", NET_LABELS)
def test_the_net_is_not_the_total_when_nothing_was_paid_on_the_slip(net_label):
    # No payment lines and the total's label lost: whatever is guessed from the figures is sent to
    # review, and the net's line names itself out of the running.
    for seed in range(4):
        rows, total = net_misread_slip(seed, net_label, payment="none")
        net = next(" ".join(w for w, _ in r).split()[-1] for r in rows if r[0][0] == "Total" and r[1][0].startswith(("Sal", "Ex")))
        got = _total(rows)
        assert got is None or (got.value != net and got.confidence < 0.5), (got, net)


@pytest.mark.parametrize("label", ["Total Sales (Excluding GST) :", "Total Exol. of GST", "Totale imponibile",
                                   "Summe ohne MwSt", "Total HT", "TOTAL BEFORE GST", "Total Sales (Exduding GST)"])
def test_labels_naming_the_net(label):
    assert names_the_net(label)


@pytest.mark.parametrize("label", ["Total Sales (Inclusive of GST) :", "TOTAL INCL. GST @6%", "Nett Total:", "TOTAL",
                                   "Totale complessivo", "Total incl. excise", "GRAND TOTAL RM", "Total Exit"])
def test_labels_not_naming_the_net(label):
    assert not names_the_net(label)
