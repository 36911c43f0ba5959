"""Receipt totals on the totals blocks and payment sections of tests/gen_till_kinds.py (Malaysian,
British, American, Italian and German tills), as printed and with what OCR does to the total's
line: its label lost, its decimal point lost, a digit of its figure misread.

Each kind here was missed before its rule (receipt_totals.py, receipt_plausible.py, receipt.py,
[receipt.*] labels in config/fields.toml): the Malay labels, one-word German sums, a tax table's
sum row read as the net, the total a subtotal and its charges come to where the labels are lost, a
lost point beside a glued currency, credits in brackets or with the minus after the figure, and a
total misread by a digit that the slip's other lines state otherwise.
"""

from __future__ import annotations

import datetime as dt

import pytest

from gen_slips import rows
from gen_till_kinds import BLOCKS, COUNTRIES, slip
from pipeline.config import config_dir
from pipeline.extract import receipt
from pipeline.extract.layout import Layout
from pipeline.extract.vocabulary import load_vocabulary
from test_extract_reading import page

TODAY = dt.date(2025, 1, 15)
VOCAB = load_vocabulary(config_dir() / "fields.toml")
SURE = 0.5  # config/archivio.toml [review] min_key_confidence
SEEDS = range(12)


def _extract(lines):
    return receipt.extract(Layout([page(rows(lines))]), VOCAB, language=None, today=TODAY)


def _total(s):
    return _extract(s.lines).get("total_amount")


def _shown(s, got) -> str:
    return f"{got}\n" + "\n".join(s.lines)


def _slips(country: str, block: str, **force):
    return [slip(seed, country, block=block, **force) for seed in SEEDS]


@pytest.mark.parametrize("country", COUNTRIES)
def test_every_block_as_printed_gives_its_total_and_none_is_wrong_as_sure(country):
    for block in BLOCKS[country]:
        for s in _slips(country, block):
            got = _total(s)
            assert got is not None and got.value == s.fields["total_amount"], _shown(s, got)


@pytest.mark.parametrize("block", ["jumlah", "jumlah_besar"])
@pytest.mark.parametrize("payment", ["cash", "exact", "none"])
def test_malay_labels_name_the_total_the_cash_and_the_change(block, payment):
    for s in _slips("my", block, payment=payment):
        fields = _extract(s.lines)
        got = fields.get("total_amount")
        assert got is not None and got.value == s.fields["total_amount"] and got.confidence >= SURE, _shown(s, got)
        if payment != "none":
            assert fields["payment_method"].value == "cash", _shown(s, fields.get("payment_method"))


@pytest.mark.parametrize("block", ["gesamtsumme", "bonsumme"])
def test_one_word_german_sums_are_totals(block):
    for s in _slips("de", block, summary="no"):
        got = _total(s)
        assert got is not None and got.value == s.fields["total_amount"] and got.confidence >= SURE, _shown(s, got)


@pytest.mark.parametrize("block", ["gesamtsumme", "bonsumme", "zu_zahlen_table", "pfand"])
def test_a_tax_table_sum_row_under_a_lost_total_label_gives_its_gross_not_its_net(block):
    # "Gesamt 94,26 6,60 100,86": the label reads the net; the row's last figure is what was paid.
    for s in _slips("de", block, summary="yes", damage="label_lost"):
        got = _total(s)
        assert got is not None and got.value == s.fields["total_amount"], _shown(s, got)


def test_a_sum_row_whose_figures_do_not_add_up_keeps_its_first_figure():
    lines = ["Kornhaus Backwaren GmbH", "Brot                 4,10", "Butter               2,19",
             "Gesamt  6,29  0,41  7,70"]
    assert _total_of(lines) == "6.29"


def _total_of(lines):
    got = _extract(lines).get("total_amount")
    return got.value if got else None


@pytest.mark.parametrize("country,block", [("my", "svc_gst"), ("my", "net_payable"), ("my", "jumlah_besar"),
                                           ("us", "sales_tax"), ("us", "amount_due_us"), ("us", "tip_line"),
                                           ("uk", "total_to_pay"), ("it", "sconto")])
def test_with_the_total_label_lost_the_total_is_what_the_subtotal_and_its_charges_come_to(country, block):
    # "SUB TOTAL 92.48 / SVC CHG 10% 9.25 / GST 6% 6.10 / ROUNDING 0.02 / 107.85": not the subtotal.
    # (Without the tax table, whose "TOTAL" column prints the gross under its heading.)
    for s in _slips(country, block, damage="label_lost", payment="none", summary="no"):
        got = _total(s)
        assert got is not None and got.value == s.fields["total_amount"], _shown(s, got)
        assert got.confidence < SURE, _shown(s, got)  # a guess from the figures: a person confirms it


@pytest.mark.parametrize("country,block", [("my", "svc_gst"), ("my", "jumlah_besar"), ("us", "sales_tax"),
                                           ("us", "amount_due_us"), ("uk", "total_to_pay")])
def test_a_lost_decimal_point_is_put_back_where_the_subtotal_and_its_charges_come_to_it(country, block):
    for s in _slips(country, block, damage="point_lost", payment="none", summary="no"):
        got = _total(s)
        assert got is not None and got.value == s.fields["total_amount"], _shown(s, got)
        assert got.confidence < SURE and got.valid is not False, _shown(s, got)


@pytest.mark.parametrize("block", ["amount_due", "total_incl_rounded"])
def test_a_lost_point_in_a_figure_glued_to_its_currency_is_what_cash_minus_change_says(block):
    # "AMOUNT DUE (RM) RM5995" under "CASH RM60.00 / CHANGE RM0.05".
    for s in _slips("my", block, damage="point_lost", payment="cash", sign="glued"):
        got = _total(s)
        assert got is not None and got.value == s.fields["total_amount"], _shown(s, got)


@pytest.mark.parametrize("minus", ["lead", "trail", "paren"])
@pytest.mark.parametrize("country,block", [("my", "discount"), ("my", "rounding_negative"), ("uk", "multisave"),
                                           ("it", "sconto"), ("de", "pfand"), ("my", "total_incl_rounded")])
def test_credits_count_as_credits_however_the_till_prints_them(minus, country, block):
    # "DISCOUNT (2.50)", "ROUNDING 0.02-", "-RM0.02": with the total's label lost the figures decide.
    for damage in ("none", "label_lost"):
        for s in _slips(country, block, minus=minus, damage=damage):
            got = _total(s)
            assert got is not None and got.value == s.fields["total_amount"], _shown(s, got)


@pytest.mark.parametrize("country", COUNTRIES)
@pytest.mark.parametrize("payment", ["cash", "card", "exact"])
def test_a_total_misread_by_a_digit_is_what_its_payment_and_the_lines_above_say(country, payment):
    right = 0
    for block in BLOCKS[country]:
        for s in _slips(country, block, damage="digit_misread", payment=payment):
            got = _total(s)
            assert got is not None, _shown(s, got)
            assert got.value == s.fields["total_amount"] or got.confidence < SURE, _shown(s, got)  # never wrong as sure
            right += got.value == s.fields["total_amount"]
    assert right >= 0.8 * len(BLOCKS[country]) * len(SEEDS)


@pytest.mark.parametrize("country", COUNTRIES)
def test_a_total_misread_by_a_digit_that_one_other_line_contradicts_is_never_filed_as_sure(country):
    # No payment printed: the subtotal and its charges, the tax table or the rounding line are the
    # only other statements; one is not enough to replace the figure, but enough to doubt it.
    # Left: two total labels a digit apart ("TOTALE COMPLESSIVO 234,90" / "IMPORTO PAGATO 254,90"):
    # a subtotal and a total, or a total and its rounding, are as far apart; and a rounded total
    # printed with no rounding line under items alone ("label_above"), misread by more than a cent:
    # doubting every total the items above do not add up to sent 9 more right totals of the 77
    # studied slips to review.
    for block in (b for b in BLOCKS[country] if b not in ("importo_pagato", "label_above")):
        for s in _slips(country, block, damage="digit_misread", payment="none"):
            got = _total(s)
            assert got is None or got.value == s.fields["total_amount"] or got.confidence < SURE, _shown(s, got)


def test_a_total_the_slip_prints_twice_is_not_doubted_by_items_that_do_not_add_up():
    lines = ["KEDAI MAJU SDN BHD", "ITEM-1 24.81", "ITEM-2 46.21", "Sub Total 61.02", "TOTAL 61.02", "THANK YOU"]
    got = _extract(lines)["total_amount"]
    assert got.value == "61.02" and got.confidence >= SURE
