"""The merchant from the header block of generated slips (tests/gen_receipts.py): a graphical
logo OCR reads as junk, the address heading the slip with a town but no postcode, the company
number printed after the name, and a slip that names its brand only in its web address. Each
rule on many slips of every layout, never on one real document."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from gen_receipts import KINDS, slip
from pipeline.config import config_dir
from pipeline.extract import receipt
from pipeline.extract.layout import Layout
from pipeline.extract.vocabulary import load_vocabulary
from test_extract_reading import page

TODAY = dt.date(2025, 1, 15)
SEEDS = range(6)
VOCAB = load_vocabulary(config_dir() / "fields.toml")


def merchant_of(s) -> str | None:
    p = page(s.rows)
    # The rows a logo left: their longest word read at a few per cent, the rest fairly surely.
    unsure = [w for w in p.words if w.line in s.unsure_rows]
    worst = max(unsure, key=lambda w: len(w.text), default=None)
    p.words = [dataclasses.replace(w, conf=5.0 if w is worst else 80.0) if w in unsure else w for w in p.words]
    found = receipt.extract(Layout([p]), VOCAB, language=None, today=TODAY)
    return found["merchant_name"].value if "merchant_name" in found else None


def check(kind: str, **knobs) -> None:
    """On slips of every seed made with ``knobs``, the merchant is the one the slip was made with."""
    for seed in SEEDS:
        s = slip(seed, kind, **knobs)
        assert merchant_of(s) == s.fields["merchant_name"], s.rows


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("after", [None, "hours"])
def test_a_logo_read_as_junk_leaves_the_legal_name_in_the_footer(kind, after):
    # Under the address come opening hours and the items: none of them names the shop.
    check(kind, logo=True, logo_read="junk", legal_at="bottom", after=after, area=True)


@pytest.mark.parametrize("kind", ["de", "it"])
def test_a_street_without_a_street_word_is_not_the_name(kind):
    check(kind, logo=True, legal_at="bottom", street="bare")


@pytest.mark.parametrize("kind", KINDS)
def test_a_slip_naming_its_brand_only_in_its_web_address(kind):
    check(kind, logo=True, logo_read="junk", legal_at="none", web=True)


@pytest.mark.parametrize("kind", KINDS)
def test_a_web_address_does_not_beat_a_printed_name(kind):
    check(kind, legal_at="bottom", web=True)


@pytest.mark.parametrize("legal_at", ["top", "bottom"])
def test_the_company_number_after_the_name_is_not_part_of_it(legal_at):
    check("my", company_no="name", legal_at=legal_at, logo=legal_at == "top")


@pytest.mark.parametrize("kind", KINDS)
def test_a_letter_spaced_brand_read_in_pairs_is_one_word(kind):
    check(kind, logo=True, logo_read="spaced", legal_at="bottom")


@pytest.mark.parametrize("kind", KINDS)
def test_the_tax_number_line_is_never_the_name(kind):
    # Under a logo the header prints the address, then the tax number; the name is in the footer.
    # Cut off its number, the tax line's label ("P.IVA:") must not be taken for a name.
    tax = {"it": ["P.IVA:", "01234567897"], "de": ["USt-IdNr.", "DE123456789"],
           "my": ["GST", "REG", "NO:", "001234567890"], "en": ["VAT", "No", "GB123456789"]}[kind]
    for seed in SEEDS:
        s = slip(seed, kind, logo=True, legal_at="bottom", phone=None)
        s.rows.insert(2, [(w, 40 + 120 * i) for i, w in enumerate(tax)])  # under street and town
        assert merchant_of(s) == s.fields["merchant_name"], s.rows


@pytest.mark.parametrize("kind", KINDS)
def test_the_items_tables_headings_are_not_the_name_of_a_slip_that_prints_none(kind):
    # A graphical logo and no legal name anywhere: the column headings under the date head what
    # text there is, and no name is better than a wrong one.
    for seed in SEEDS:
        s = slip(seed, kind, logo=True, legal_at="none", columns=True)
        assert merchant_of(s) is None, s.rows


@pytest.mark.parametrize("kind", KINDS)
def test_column_headings_do_not_displace_a_printed_name(kind):
    check(kind, legal_at="bottom", columns=True)
    check(kind, logo=True, columns=True)
    check(kind, logo=True, legal_at="bottom", columns=True)
