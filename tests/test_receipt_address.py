"""A receipt's address as the labels take it: the printed lines of the address block joined by
one space, nothing before it (a second name line, the company number) and nothing after it
(phone, opening hours, the receipt's number, a title). Each kind of error is checked on many
generated slips of every layout (tests/gen_receipts.py), never on one real document."""

from __future__ import annotations

import datetime as dt

import pytest

from gen_receipts import KINDS, slip
from pipeline.config import config_dir
from pipeline.evaluate.score import text_key
from pipeline.extract import receipt
from pipeline.extract.layout import Layout
from pipeline.extract.vocabulary import load_vocabulary
from test_extract_reading import page

TODAY = dt.date(2025, 1, 15)
SEEDS = range(6)
VOCAB = load_vocabulary(config_dir() / "fields.toml")


def address_of(s) -> str | None:
    found = receipt.extract(Layout([page(s.rows)]), VOCAB, language=None, today=TODAY)
    field = found.get("address")
    return field.value if field is not None else None


def check(s) -> None:
    got = address_of(s)
    # As the scoring compares: case, punctuation and spacing aside, the same words in the same order.
    assert got is not None and text_key(got) == text_key(s.fields["address"]), (got, s.fields["address"], s.rows)
    assert got == s.fields["address"]  # and joined as printed: one space between the lines


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("legal_at", ["top", "bottom"])
@pytest.mark.parametrize("logo", [False, True])
def test_the_address_is_its_printed_lines_joined_by_one_space(kind, legal_at, logo):
    for seed in SEEDS:
        check(slip(seed, kind, legal_at=legal_at, logo=logo, area=True))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("area", [False, True])
def test_an_address_word_holding_a_stop_word_does_not_end_the_address(kind, area):
    # "PERINDUSTRIAN" holds "ust", "Hotel" and "TELUK" hold "tel", "Dateland" holds "date".
    for seed in SEEDS:
        check(slip(seed, kind, street="stopword", area=area))


@pytest.mark.parametrize("kind", ["it", "de"])
@pytest.mark.parametrize("legal_at", ["top", "bottom"])
def test_a_street_without_a_street_word_above_its_postcode_starts_the_address(kind, legal_at):
    for seed in SEEDS:
        check(slip(seed, kind, street="bare", legal_at=legal_at, logo=True))


@pytest.mark.parametrize("where", ["line", "glued", "name"])
@pytest.mark.parametrize("legal_at", ["top", "bottom"])
def test_the_company_number_is_not_part_of_the_address(where, legal_at):
    for seed in SEEDS:
        s = slip(seed, "my", company_no=where, legal_at=legal_at, area=True)
        check(s)
        if legal_at == "bottom":  # the brand heads the slip, its company number beside or under it
            got = receipt.extract(Layout([page(s.rows)]), VOCAB, language=None, today=TODAY)
            assert got["merchant_name"].value == s.fields["merchant_name"], (got["merchant_name"], s.rows)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("phone", ["label", "bare"])
@pytest.mark.parametrize("after", [None, "hours", "bill", "title"])
def test_what_is_printed_under_the_address_is_not_part_of_it(kind, phone, after):
    for seed in SEEDS:
        check(slip(seed, kind, phone=phone, after=after, area=True))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("after", ["hours", "bill", "title"])
def test_the_address_ends_without_a_phone_line_too(kind, after):
    for seed in SEEDS:
        check(slip(seed, kind, phone=None, after=after))
