"""Renewal terms and parties on generated contracts (tests/gen_contract_renewals.py), English and
Italian (issue 15): repeating renewals read as "successive N units", one-off renewals as "N units",
notices of non-renewal beside them; parties behind an abbreviation before their alias, a
description that mentions "this Agreement", an employee's undertaking naming only the employer; an
end date after "concluding"."""

from __future__ import annotations

import datetime as dt

import pytest

import gen_contract_renewals as gen
from pipeline.config import config_dir
from pipeline.extract import contract, contract_terms
from pipeline.extract.layout import Layout
from pipeline.extract.vocabulary import load_vocabulary

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary(config_dir() / "fields.toml")


def _initial():
    return contract_terms.Term(3, "year", "", -1)


# (generator, how many seeds, the term sentence before the clause)
_RENEWAL_POOLS = {
    "en": (gen.renewal_en, 39, "The initial term of this Agreement is three (3) years. "),
    "more-en": (gen.renewal_more_en, 30, "The initial term of this Agreement is three (3) years. "),
    "it": (gen.renewal_it, 36, "Il contratto ha durata di tre anni. "),
    "more-it": (gen.renewal_more_it, 24, "Il contratto ha durata di tre anni. "),
}


@pytest.mark.parametrize(("pool", "seed"), [(p, s) for p, (_, n, _) in _RENEWAL_POOLS.items() for s in range(n)])
def test_renewal_clauses(pool, seed):
    """English and Italian renewal sentences (``more-``: the wordings of the second pools)."""
    make, _, before = _RENEWAL_POOLS[pool]
    sentence, expected = make(seed)
    found = contract_terms.renewal(before + sentence, _initial())
    assert (found[0] if found else None) == expected, (sentence, found)


def test_continuing_for_a_period_is_the_initial_term_not_a_renewal():
    assert contract_terms.renewal("This Agreement shall continue for a period of three (3) years.", None) is None


@pytest.mark.parametrize("seed", range(18))
def test_generated_contract_parties_dates_and_renewal(seed, vocab):
    doc = gen.contract_en(seed)
    got = {name: f.value for name, f in contract.extract(Layout([doc.page()]), vocab, language="en",
                                                         today=TODAY).items()}
    for name in ("parties", "effective_date", "expiration_date", "renewal_term"):
        if name in doc.fields:
            assert got.get(name) == doc.fields[name], (seed, name, got.get(name))
    if "renewal_term" not in doc.fields:
        assert "renewal_term" not in got, (seed, got.get("renewal_term"))
    if "employer" in doc.fields:
        assert doc.fields["employer"] in got.get("parties", []), (seed, got.get("parties"))


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("seed", range(24))
def test_term_stated_as_start_and_duration_or_end(seed, language, vocab):
    """"durata di anni due con decorrenza …", "validità dal 01.02.2026 al 31.01.2028", "decorrenti
    dal", "scade il"; "an initial term of … beginning …", "end twenty-four (24) months thereafter",
    "remain in force until", "expire two (2) years after the Effective Date", "until the second
    anniversary of the Effective Date", "through the third anniversary thereof", "expire at midnight on"."""
    _assert_term(gen.term_clause(seed, language), language, vocab)


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("seed", range(22))
def test_more_term_wordings(seed, language, vocab):
    """"validità di 24 mesi", "in vigore per 2 anni", "scadrà decorsi 12 mesi", "sino a tutto il",
    "durerà due anni"; "continue through", "end at 11:59 p.m. on", "until the date that is two (2)
    years after the Effective Date", "valid through", "through and including"."""
    _assert_term(gen.term_more(seed, language), language, vocab)


def _assert_term(clause, language, vocab):
    opening, sentence, closing, start, end = clause
    doc = gen.Contract()
    for text in (opening, sentence, closing):
        doc.prose(text)
    got = contract.extract(Layout([doc.page()]), vocab, language=language, today=TODAY)
    assert got["effective_date"].value == start.isoformat(), (sentence, got["effective_date"].raw)
    assert got["expiration_date"].value == end.isoformat(), (sentence, got["expiration_date"].raw)


@pytest.mark.parametrize("seed", range(9))
def test_a_letter_agreement_binds_the_companies_signing_it(seed, vocab):
    """Not the financial adviser the letter defines by its own short name."""
    doc = gen.letter_en(seed)
    got = contract.extract(Layout([doc.page()]), vocab, language="en", today=TODAY)["parties"].value
    assert [n.casefold() for n in got] == [n.casefold() for n in doc.fields["parties"]], got


@pytest.mark.parametrize("status", ["in liquidazione", "unipersonale", "a socio unico", "in concordato preventivo"])
def test_an_italian_company_keeps_its_state_after_the_legal_form(status, vocab):
    """"… e Omega Trasporti S.r.l. in liquidazione, con sede in …": the second party is a name, not prose."""
    from pipeline.extract.parties import contract_parties

    text = (f"CONTRATTO DI COMODATO Tra Delta Agricola S.a.s. di Luca Neri & C., con sede in Lecce (comodante) e "
            f"Omega Trasporti S.r.l. {status}, con sede in Brindisi (comodatario), si conviene quanto segue.")
    assert contract_parties(text, vocab.rules("contract", "parties")) == [
        "Delta Agricola S.a.s. di Luca Neri & C.", f"Omega Trasporti S.r.l. {status}"]


@pytest.mark.parametrize("seed", range(6))
def test_parties_listed_with_unquoted_capital_aliases(seed, vocab):
    """"PARTIES: Mark Doe (EMPLOYEE) ACME, Inc., an Oregon corporation, and its subsidiaries (ACME)"."""
    import random

    rng = random.Random(seed)
    person, company = rng.choice(gen.PEOPLE), rng.choice(gen.COMPANIES)
    short = company.split()[0].upper()
    role = rng.choice(["EMPLOYEE", "EXECUTIVE", "CONSULTANT"])
    doc = gen.Contract()
    doc.line("COVENANT NOT TO COMPETE AND NON-DISCLOSURE AGREEMENT")
    doc.prose(f"PARTIES: {person} ({role}) {company}, an Oregon corporation, and its divisions, subsidiaries and "
              f"affiliates ({short}) DATE: October 6, 2015 RECITALS: A. This Covenant is executed upon {role}'s "
              f"assumption of additional responsibilities.")
    got = contract.extract(Layout([doc.page()]), vocab, language="en", today=TODAY)["parties"].value
    assert got == [person, company], got


@pytest.mark.parametrize("seed", range(4))
def test_the_undersigned_counterparty_is_the_person_signing_under_that_role(seed, vocab):
    import random

    rng = random.Random(seed)
    person, company = rng.choice(gen.PEOPLE), rng.choice(gen.COMPANIES)
    doc = gen.Contract()
    doc.line("NON-DISCLOSURE AGREEMENT")
    doc.prose(f"This is a Non-Disclosure Agreement (this \u201cAgreement\u201d), effective as of the date stated below, "
              f"between {company}, a Florida corporation (the \u201cCompany\u201d), and the undersigned (the "
              f"\u201cCounterparty\u201d). The Counterparty will keep the information confidential.")
    doc.prose(f"Accepted and Agreed as of 10 March, 2016 by: \u201cCounterparty\u201d /s/ {person} By: Holloway Trust plc "
              f"Name: {person} Title: Director")
    got = contract.extract(Layout([doc.page()]), vocab, language="en", today=TODAY)["parties"].value
    assert got == [company, person], got


@pytest.mark.parametrize(("form_a", "form_b"), [("L.P.", "L.L.C."), ("LP", "LLC"), ("Inc.", "L.P."), ("Ltd", "LLC")])
def test_a_partnership_and_its_general_partner_are_two_parties(form_a, form_b, vocab):
    """"ACME Capital GP L.P. and ACME Capital GP L.L.C.": one name, two legal forms, two entities;
    the same form spelled two ways ("Inc." / "Incorporated") stays one."""
    from pipeline.extract.parties import contract_parties

    rules = vocab.rules("contract", "parties")
    text = (f"This Joint Filing Agreement is made by and among Harlow Capital GP {form_a}; Harlow Capital GP {form_b}; "
            f"and Tidewell Holdings, Inc. The parties agree to file jointly.")
    assert contract_parties(text, rules) == [f"Harlow Capital GP {form_a}", f"Harlow Capital GP {form_b}",
                                             "Tidewell Holdings, Inc."]
    from pipeline.extract.parties import _same

    assert _same("Harlow Capital, Inc.", "Harlow Capital Incorporated")
    assert _same("Harlow Capital LLC", "Harlow Capital, L.L.C.")

