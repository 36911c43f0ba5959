"""Contract fields on generated contracts whose wording the first generator does not print
(tests/gen_contract_clauses.py): numbered and titled parties, parties only in the signature block
or in a table read as separate lines, a deed dated in words, start and end phrasings, durations as
adjectives and anniversaries, renewal by period, for an equal period or once, and governing-law
sentences — in Italian and English (issue 15)."""

from __future__ import annotations

import datetime as dt

import pytest

import gen_contract_clauses as gen
from pipeline.config import config_dir
from pipeline.extract import contract, contract_dates, contract_terms
from pipeline.extract.layout import Layout
from pipeline.extract.vocabulary import load_vocabulary

TODAY = dt.date(2026, 6, 1)
SEEDS = range(36)


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary(config_dir() / "fields.toml")


def _extract(doc, vocab, language):
    return {name: f.value for name, f in contract.extract(Layout([doc.page()]), vocab, language=language,
                                                          today=TODAY).items()}


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("seed", SEEDS)
def test_generated_contract_fields(seed, language, vocab):
    doc = (gen.italian if language == "it" else gen.english)(seed)
    got = _extract(doc, vocab, language)
    for name, expected in doc.fields.items():
        assert got.get(name) == expected, (seed, name, got.get(name), expected)
    for name in ("renewal_term", "governing_law"):
        if name not in doc.fields:
            # renewal excluded in words; only a court and the Codice Civile named
            assert name not in got, (seed, name, got.get(name))


def test_italian_numbers_in_words():
    assert [contract_dates.italian_number(w) for w in ("primo", "ventitré", "ventotto", "trentuno",
                                                        "duemilaventicinque", "millenovecentonovantanove")] == \
        [1, 23, 28, 31, 2025, 1999]
    assert contract_dates.italian_number("parte") is None
    text = "addì ventuno del mese di aprile dell'anno duemilaventiquattro, in Parma"
    assert [d for d, _, _ in contract_dates.deed_dates(text)] == [dt.date(2024, 4, 21)]


def test_term_given_as_two_dates_is_read_in_whole_years_or_months():
    assert contract_terms.term_between(dt.date(2024, 3, 1), dt.date(2026, 2, 28)) == \
        contract_terms.Term(2, "year", "", -1)
    assert contract_terms.term_between(dt.date(2024, 3, 1), dt.date(2024, 8, 31)).count == 6
    assert contract_terms.term_between(dt.date(2024, 3, 1), dt.date(2024, 8, 17)) is None


def test_signature_block_names_are_only_companies():
    """Under "Per il Fornitore | Per il Cliente" the people signing are representatives: with no
    company name below the headings, no party comes from the block."""
    doc = gen.Contract()
    doc.line("CONTRATTO DI SERVIZI")
    doc.prose("Art. 1 - Oggetto. Il servizio è descritto nell'allegato.")
    doc.cells(("Per il Fornitore", 40), ("Per il Cliente", 600))
    doc.cells(("Mario Rossi", 40), ("Anna Verdi", 600))
    vocab = load_vocabulary(config_dir() / "fields.toml")
    assert "parties" not in _extract(doc, vocab, "it")


def test_new_patterns_are_linear_on_adversarial_lines():
    import time

    lines = ["rinnov " * 700, "di anno in " * 500, "per uguale " * 600, "durata " * 800, "anniversary of " * 400,
             "expire on the " * 500, "l'anno " * 800, "il giorno " * 600, "rinnovo per " + " " * 5000 + "x"]
    started = time.monotonic()
    for line in lines:
        contract_terms.renewal(line, None)
        contract_terms.durations(line)
        contract_terms.anniversary(line)
        contract_dates.deed_dates(line)
    assert time.monotonic() - started < 3.0


@pytest.mark.parametrize("seed", range(6))
def test_english_party_names_are_cut_where_the_name_ends(seed, vocab):
    """An address after "c/o", the same company with and without "The", an adviser defined by its
    own short name, a company "incorporated in New York", a role heading the signature block."""
    import random

    from pipeline.extract.parties import contract_parties

    rng = random.Random(seed)
    first, second, adviser = rng.sample(gen.COMPANIES_EN, 3)
    short = adviser.split()[0]
    rules = vocab.rules("contract", "parties")
    text = (f"This Agreement is made by and between {first}, a company incorporated in New York, and The {second} "
            f"c/o Global Management, {rng.randint(10, 999)} Main Street. {adviser} (\"{short}\") acts as financial "
            f"adviser to {first}. The {second} shall pay the fees. LICENSEE {second.upper()} By: /s/ Jane Roe")
    names = contract_parties(text, rules)
    assert names == [first, f"The {second}"], names


@pytest.mark.parametrize("seed", range(6))
def test_defined_party_is_the_company_not_its_address_or_representative(seed, vocab):
    """A party defined by an alias after its address or its representative: the name where the
    stretch starts ("Beta S.r.l., con sede in Corso Italia 5, Padova (di seguito «Cliente»)",
    "IREYA B.V, having an address at …, represented by Jane Roe (“Consultant”)")."""
    import random

    from pipeline.extract.parties import contract_parties

    rng = random.Random(seed)
    rules = vocab.rules("contract", "parties")
    first, second = rng.sample(gen.COMPANIES_IT, 2)
    person = rng.choice(gen.PEOPLE_IT)
    role_a, role_b = rng.choice(gen.ROLES_IT)
    text = (f"Il presente contratto è stipulato tra {first}, con sede in Via Manin 4, Parma, in persona del legale "
            f"rappresentante pro tempore Sig. {person} (di seguito il «{role_a}») e {second}, con sede in Corso "
            f"Italia 5, Padova (di seguito il «{role_b}»). Art. 1 - Oggetto.")
    assert contract_parties(text, rules) == [first, second]
    first, second = rng.sample(gen.COMPANIES_EN, 2)
    person = rng.choice(gen.PEOPLE_EN)
    text = (f"{first}, with a place of business at 740 Lake Avenue, Springfield (\u201cCompany\u201d) and {second} "
            f"having an address at 16 Canal Street, Leiden, represented by {person}, (\u201cConsultant\u201d) agree "
            f"to all terms and conditions of this Consulting Agreement.")
    assert contract_parties(text, rules) == [first, second]


@pytest.mark.parametrize("seed", range(4))
def test_a_party_named_by_its_short_name_later_keeps_its_full_name(seed, vocab):
    """'… between ACME Widgets LLC ("ACME"), Beta Tools Inc. ("Beta") … amends the Agreement between
    ACME and Beta': the second 'between' names the same parties by their aliases."""
    import random

    from pipeline.extract.parties import contract_parties

    rng = random.Random(seed)
    first, second = rng.sample(gen.COMPANIES_EN, 2)
    a, b = first.split()[0], second.split()[0]
    text = (f"This Amendment (\u201cAmendment\u201d), entered into by and between {first}, (\u201c{a}\u201d), {second} "
            f"(\u201c{b}\u201d) is effective as of May 1, 2020 and amends that certain Supply Agreement between {a} "
            f"and {b} dated July 1, 2019 (\u201cAgreement\u201d).")
    assert contract_parties(text, vocab.rules("contract", "parties")) == [first, second]
