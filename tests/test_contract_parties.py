"""Who a contract binds, on generated contracts (tests/gen_contract_parties.py): preambles listing
one to five parties with their legal forms whole, English and Italian; an individual who is a party;
a division of a company; signatories, witnesses, notaries and representatives who are not parties;
defined products, brands and premises that are not parties; letters and notarial deeds; names a
table cell wraps onto the next line (issue 15).

A party matches as the evaluation matches it (token-set similarity >= 0.9): "Quillon Systems" for
"Quillon Systems Incorporated" is kept on purpose (a label may print the form "Inc.")."""

from __future__ import annotations

import datetime as dt

import pytest

import gen_contract_parties as gen
from pipeline.config import config_dir
from pipeline.evaluate.score import token_set_similarity
from pipeline.extract import contract
from pipeline.extract.layout import Layout
from pipeline.extract.parties import _listed, contract_parties
from pipeline.extract.vocabulary import load_vocabulary

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary(config_dir() / "fields.toml")


def _parties(doc, vocab, language):
    fields = contract.extract(Layout([doc.page()]), vocab, language=language, today=TODAY)
    return fields["parties"].value if "parties" in fields else []


def _assert_same_parties(got, want):
    free = list(got)
    for name in want:
        hit = next((g for g in free if token_set_similarity(name, g) >= 0.9), None)
        assert hit is not None, f"{name!r} missing from {got!r}"
        free.remove(hit)
    assert not free, f"not parties: {free!r} (want {want!r})"


@pytest.mark.parametrize("seed", range(36))
def test_english_preamble_parties(seed, vocab):
    doc = gen.parties_en(seed)
    _assert_same_parties(_parties(doc, vocab, "en"), doc.fields["parties"])


@pytest.mark.parametrize("scanned", [False, True], ids=["printed", "ocr-initial"])
@pytest.mark.parametrize("seed", range(12))
def test_individual_party_among_witnesses_notaries_and_officers(seed, scanned, vocab):
    doc = gen.undertaking_en(seed, scanned=scanned)
    _assert_same_parties(_parties(doc, vocab, "en"), doc.fields["parties"])


@pytest.mark.parametrize("seed", range(48))
def test_italian_preamble_parties(seed, vocab):
    doc = gen.parties_it(seed)
    _assert_same_parties(_parties(doc, vocab, "it"), doc.fields["parties"])


@pytest.mark.parametrize("seed", range(18))
def test_italian_table_names_wrapped_onto_the_next_line_are_read_whole(seed, vocab):
    doc = gen.tables_it(seed)
    assert _parties(doc, vocab, "it") == doc.fields["parties"]


def test_legal_forms_are_kept_whole_in_a_list(vocab):
    rules = vocab.rules("contract", "parties")
    text = ("This Agreement is entered into by and among Kestrel Optics Co., Ltd., a Japanese corporation "
            "(\u201cKestrel\u201d), Harbor Lane Capital, L.P., Verity Labs, Inc. and Orsini Costruzioni S.n.c. "
            "(each a \u201cParty\u201d). WHEREAS, the parties wish to cooperate.")
    assert contract_parties(text, rules) == ["Kestrel Optics Co., Ltd.", "Harbor Lane Capital, L.P.",
                                             "Verity Labs, Inc.", "Orsini Costruzioni S.n.c."]


def test_commas_inside_a_description_start_no_party():
    # An address's commas, a care-of company and a place that ends like a form start no party.
    one = "HOLLIS MARINE SERVICES, INC. c/o Harbor Management, Inc., Pier Building, 44 West 2nd Street"
    assert _listed(one) == [one]
    two = "Tamarind Foods, LLC, an Ohio limited liability company, located at 8 Mill Lane, Springfield, Ohio"
    assert _listed(two) == [two]
    three = "Alpha Chapter | , having its office at 12 Elm Street, Dover DE 19901; Beta Alumni, Inc. |"
    assert len(_listed(three)) == 1


def test_a_product_defined_in_the_recitals_is_no_party(vocab):
    rules = vocab.rules("contract", "parties")
    text = ("THIS AGREEMENT made this 5th day of December, 2017, between Sable Ridge Ltd., a Texas limited "
            "liability company, referred to in this Agreement as \u201cCompany\u201d, and Verity Labs, Inc., "
            "referred to in this Agreement as \u201cSponsor\u201d. WHEREAS, the Company owns the television show "
            "known as Night Cast (hereinafter \u201cNight Cast\u201d or \u201cShow\u201d);")
    assert contract_parties(text, rules) == ["Sable Ridge Ltd.", "Verity Labs, Inc."]
