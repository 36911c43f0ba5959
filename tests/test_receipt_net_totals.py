"""A total's label that says the tax is left out ("Total Sales (Excluding GST)", misread by OCR so
that the vocabulary's ignore list no longer claims it) names the net, never the amount paid
(tests/gen_net_totals.py); a label that says the tax is included is untouched."""

from __future__ import annotations

import datetime as dt

import pytest

from gen_net_totals import NET_LABELS, net_misread_slip
from gen_receipts import _words
from pipeline.config import config_dir
from pipeline.extract import receipt
from pipeline.extract.labelled import labelled_candidates
from pipeline.extract.layout import Layout
from pipeline.extract.receipt_totals import names_the_net, without_net_totals
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
def test_a_tax_summarys_total_row_is_the_net_too(net_label):
    # The GST summary's "Total <net> <tax>" row prints the net beside its tax at the slip's rate.
    for seed in range(4):
        rows, total = net_misread_slip(seed, net_label, figure="misread", summary=True)
        got = _total(rows)
        assert got is not None and got.value == total, (got, [" ".join(w for w, _ in r) for r in rows])


@pytest.mark.parametrize("line, rates, expected", [
    ("Total 95.17 5.71", "SR @ 6%", True),
    ("Total : 95.17 5.71", "GST 6%", True),
    ("Total 30.45 0.00", "SR @ 0.00%", False),        # at a zero rate the net is what was paid
    ("TOTAL 54.40 3.08", "", False),                  # no rate printed: nothing says it is a tax
    ("TOTAL 54.40 RM 5.00", "GST 6%", False),         # not the rate's share of the figure
    ("TOTAL 54.40", "GST 6%", False),
])
def test_a_total_row_printing_the_net_beside_its_tax(line, rates, expected):
    rows = [_words("ITEM 1 60.00"), _words(rates or "THANK YOU"), _words(line)]
    lay = Layout([page(rows)])
    found = labelled_candidates(lay, VOCAB.specs("receipt"), ignore=VOCAB.ignore("receipt"),
                                month_first=False, today=TODAY)
    before = {c.reading.value for c in found.get("total_amount", [])}
    after = {c.reading.value for c in without_net_totals(lay, found).get("total_amount", [])}
    assert before and (after != before) == expected, (before, after)


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
