"""Invoice fields on layouts and vendors the dev corpus does not show (issue 15), on the
generated invoices of tests/gen_invoice_layouts.py printed as born-digital PDFs and read back by
the real reading stage. Seeds 10+ (the bench, bench/invoice_layouts.py, was studied on 0–2).

Each test names the kind of failure it guards:
- the number: a bare title word written as a label ("Invoice #"), a date in words under the
  title, a party heading opening with a title word ("Invoice to", "Facture à" read inside
  "Facture A397"), a boxed header (labels on one row, values on the next);
- the seller's VAT id: a two-column header where the buyer's heading does not rule the
  seller's block beside it, "C.F./P.IVA" labels, an id on a line the reader joined to another
  column;
- an IBAN broken over two lines;
- a VAT summary whose columns are headed by words no vocabulary lists ("Net", "Steuer").
"""

from __future__ import annotations

import datetime as dt

import pytest

from gen_invoice_layouts import LANGUAGES, build, write_pdf
from pipeline.config import config_dir, load_settings
from pipeline.evaluate.score import normalise
from pipeline.extract import invoice
from pipeline.extract.layout import Layout
from pipeline.extract.vocabulary import load_vocabulary
from pipeline.process import read_pages

SEEDS = range(10, 14)


@pytest.fixture(scope="module")
def extract(tmp_path_factory):
    folder = tmp_path_factory.mktemp("layouts")
    settings = load_settings()
    vocab = load_vocabulary(config_dir() / "fields.toml")

    def run(doc):
        pdf = write_pdf(doc, folder / f"{doc.name}.pdf")
        _, pages = read_pages(pdf, settings)
        return invoice.extract(Layout(pages), vocab, language=doc.language, today=dt.date(2026, 1, 1))

    return run


def _wrong(doc, fields, names) -> dict:
    out = {}
    for name in names:
        got = fields.get(name)
        got = normalise(name, got.value) if got is not None else None
        if got != normalise(name, doc.expected[name]):
            out[name] = (doc.expected[name], got)
    return out


def _check(extract, kind, names, languages=LANGUAGES):
    bad = {}
    for language in languages:
        for seed in SEEDS:
            doc = build(kind, language, seed)
            wrong = _wrong(doc, extract(doc), names)
            if wrong:
                bad[doc.name] = wrong
    assert not bad


def test_number_in_a_boxed_header_among_order_customer_and_page_numbers(extract):
    _check(extract, "boxed_header", ("number", "date"))


def test_number_in_a_right_hand_header_block(extract):
    _check(extract, "right_header", ("number", "date"))


def test_number_and_date_on_one_line(extract):
    _check(extract, "one_liner", ("number", "date"))


def test_sellers_vat_beside_the_buyers_window_and_both_vat_ids_printed(extract):
    _check(extract, "reverse_charge", ("vendor_vat", "net_amount", "total_amount"))


def test_sellers_vat_under_a_combined_tax_code_and_vat_label(extract):
    _check(extract, "cf_piva", ("vendor_vat", "number"))


def test_vat_summary_proves_itself_whatever_its_column_headings(extract):
    _check(extract, "multi_rate", ("net_amount", "vat_amount", "total_amount"))


def test_iban_grouped_in_one_run_or_broken_over_two_lines(extract):
    bad = {}
    for kind in ("right_header", "discount", "split_payment"):
        for language in LANGUAGES:
            for seed in SEEDS:
                doc = build(kind, language, seed)
                wrong = _wrong(doc, extract(doc), ("iban",))
                if wrong:
                    bad[(doc.name, tuple(doc.features))] = wrong
    assert not bad


@pytest.mark.parametrize("kind", ["professional", "discount", "split_payment"])
def test_net_is_the_taxable_base_beside_fund_withholding_stamp_discount_or_split_payment(extract, kind):
    _check(extract, kind, ("number", "date", "vendor_vat", "net_amount", "vat_amount", "total_amount"))
