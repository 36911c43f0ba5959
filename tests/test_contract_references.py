"""A contract's own date among the dates of the documents it names (issue 15): amendments and
schedules "to that certain … Agreement dated …", "Reference is made to that certain NDA, dated …",
"supersedes … Service Agreement dated …", recitals, a joint filing about "the Schedule 13G/A …
dated as of …" — on generated contracts (tests/gen_contract_refs.py)."""

from __future__ import annotations

import datetime as dt

import pytest

import gen_contract_refs as gen
from pipeline.config import config_dir
from pipeline.extract import contract
from pipeline.extract.contract_refs import refers_elsewhere
from pipeline.extract.dates import find_dates
from pipeline.extract.layout import Layout
from pipeline.extract.vocabulary import load_vocabulary

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary(config_dir() / "fields.toml")


@pytest.mark.parametrize("seed", range(4 * gen.KINDS))
def test_the_agreement_date_is_this_documents_not_the_one_it_names(seed, vocab):
    doc = gen.english(seed)
    got = contract.extract(Layout([doc.page()]), vocab, language="en", today=TODAY)
    assert got["agreement_date"].value == doc.fields["agreement_date"], (seed, got["agreement_date"].raw)
    if "effective_date" in got:
        assert got["effective_date"].value != doc.fields["other_date"], (seed, got["effective_date"].raw)


@pytest.mark.parametrize(("before", "elsewhere"), [
    ("This Agreement, dated as of ", False),
    ("THIS EMPLOYMENT AGREEMENT (the \"Agreement\") is made as of ", False),
    ("AGREEMENT dated as of ", False),
    ("Portions were filed with the Commission. LEASE This Lease (the \"Lease\") is dated as of ", False),
    ("This Agreement is a contract between Jane Roe (\"you\") and Acme LLC relating to your separation, effective ",
     False),
    ("This Amendment (this \"Amendment\") to the Supply Agreement dated as of May 1, 2019, is entered into as of ",
     False),
    ("The term of this Agreement will begin on ", False),
    ("This Amendment (this \"Amendment\") to the Supply Agreement dated as of ", True),
    ("WHEREAS, the Company and the Executive entered into an Employment Agreement dated ", True),
    ("Reference is made to that certain Non-Disclosure Agreement, dated ", True),
    ("This Agreement supersedes the following contract(s): Service Agreement dated ", True),
    ("This Agreement is made by and between Acme Inc. (the \"Company\") and the Executive, and amends the Lease of ",
     True),
])
def test_whose_date_the_grammar_says(before, elsewhere):
    assert refers_elsewhere(before + "May 1, 2019", len(before)) is elsewhere


@pytest.mark.parametrize(("text", "expected"), [
    ("Accepted and Agreed as of 10 th October, 2011 by:", dt.date(2011, 10, 10)),
    ("AGREED AND ACCEPTED as of the 6th day of April, 2014:", dt.date(2014, 4, 6)),
    ("the 21st day of June, 2013; and", dt.date(2013, 6, 21)),
])
def test_day_of_month_dates_before_punctuation_and_spaced_suffixes(text, expected):
    assert find_dates(text, month_first=True)[0][0] == expected


def test_a_two_digit_year_is_still_no_hour():
    assert find_dates("12 mar 14:30") == []
    assert find_dates("AS-Zeit 24.04.13:41 Uhr") == []  # a day, a month and the time: no year
    assert [d.isoformat() for d, _, _ in find_dates("24.04.13 13:41")] == ["2013-04-24"]
    assert [d.isoformat() for d, _, _ in find_dates("Datum 24.04.2013: Lieferung")] == ["2013-04-24"]


FORMS = ["10-K", "10-Q/A", "8-K", "S-1", "S-4/A", "20-F", "DEF 14A"]


@pytest.mark.parametrize("seed", range(14))
def test_a_filings_page_footer_does_not_date_the_agreement(seed, vocab):
    """EDGAR prints "Source: ACME CORP, 10-Q/A, 2/20/2009" under every page: the filing's date.
    The agreement is dated where it is executed, or not at all."""
    import random

    rng = random.Random(seed)
    first, second = rng.sample(gen.COMPANIES, 2)
    filed = dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(3000))
    signed = filed - dt.timedelta(days=rng.randrange(30, 400))
    doc = gen.Contract()
    doc.line("MARKETING AGREEMENT")
    doc.prose(f"This Marketing Agreement is made by and between {first} and {second}.")
    doc.prose("1. Services. The parties will cooperate in marketing the products.")
    doc.line(f"Source: {first.upper()}, {rng.choice(FORMS)}, {filed.month}/{filed.day}/{filed.year}")
    dated = seed % 2 == 0
    if dated:
        doc.prose(f"IN WITNESS WHEREOF, the parties hereby execute this Agreement this {gen._ordinal(signed.day)} day of "
                  f"{gen.MONTHS[signed.month - 1]} {signed.year}.")
    got = contract.extract(Layout([doc.page()]), vocab, language="en", today=TODAY)
    if dated:
        assert got["agreement_date"].value == signed.isoformat()
    else:
        assert "agreement_date" not in got, got["agreement_date"].raw


PREMESSE = ["in data {d} le Parti hanno sottoscritto un contratto quadro di fornitura",
            "con contratto stipulato il {d} le Parti hanno regolato la fornitura dei ricambi",
            "il marchio del Licenziante è stato registrato in data {d} al n. 302019000123",
            "il Cliente ha emesso l'ordine n. 45 del {d}",
            "il precedente contratto di manutenzione, con decorrenza dal {d}, scadrà il {e}"]
SIGNATURES = ["{city}, {d}", "Letto, confermato e sottoscritto. {city}, lì {d}", "Data di sottoscrizione: {d}"]


@pytest.mark.parametrize("seed", range(15))
def test_dates_in_the_recitals_are_not_this_contracts(seed, vocab):
    """"Premesso che in data … le Parti hanno sottoscritto un contratto quadro …; Tutto ciò premesso":
    the earlier contract's, order's or registration's date; this one is dated where it is signed,
    and runs from its signature."""
    import random

    rng = random.Random(seed)
    earlier = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(1500))
    signed = earlier + dt.timedelta(days=rng.randrange(200, 900))
    fmt = rng.choice(["{:%d/%m/%Y}", "{:%d.%m.%Y}"])
    doc = gen.Contract()
    doc.line("CONTRATTO DI FORNITURA")
    doc.prose("Tra Alfa Meccanica S.r.l., con sede in Vicenza, e Beta Ricambi S.p.A., con sede in Lecco.")
    doc.prose(rng.choice(["PREMESSO CHE", "Premesso che:"]) + " " + "; ".join(
        p.format(d=fmt.format(earlier), e=fmt.format(earlier + dt.timedelta(days=700)))
        for p in rng.sample(PREMESSE, 2)) + ".")
    doc.prose("Tutto ciò premesso, si conviene quanto segue.")
    doc.prose("Art. 1 - Oggetto. Il Fornitore fornisce i ricambi. Art. 2 - Durata. Il contratto ha durata di 12 mesi "
              "dalla data di sottoscrizione.")
    doc.line(SIGNATURES[seed % 3].format(city="Vicenza", d=fmt.format(signed)))
    got = contract.extract(Layout([doc.page()]), vocab, language="it", today=TODAY)
    assert got["agreement_date"].value == signed.isoformat(), got["agreement_date"].raw
    assert got["effective_date"].value == signed.isoformat(), got["effective_date"].raw
