"""Italian contracts on generated word layouts: parties from prose, tables and role rows; the
signature, effective and end dates in their Italian forms (the end computed from a duration);
renewal and governing law, with a court clause that is not governing law. Also English terms
("for a period of three (3) years") and the linear-time guarantee of the new patterns."""

from __future__ import annotations

import datetime as dt
import time

import pytest

import gen_contracts_it as gen
from pipeline.config import config_dir
from pipeline.extract import contract, contract_terms
from pipeline.extract.layout import Layout
from pipeline.extract.vocabulary import load_vocabulary

TODAY = dt.date(2026, 6, 1)


def extract(page, language="it"):
    vocab = load_vocabulary(config_dir() / "fields.toml")
    return {name: f.value for name, f in contract.extract(Layout([page]), vocab, language=language,
                                                             today=TODAY).items()}


@pytest.mark.parametrize("seed", range(40))
def test_generated_italian_contract_fields(seed):
    doc = gen.contract(seed)
    got = extract(doc.page())
    for name, expected in doc.fields.items():
        assert got.get(name) == expected, (seed, name, got.get(name), expected)
    if "governing_law" not in doc.fields:
        assert "governing_law" not in got  # "Foro competente" names a court, not the law
    if "renewal_term" not in doc.fields:
        assert "renewal_term" not in got  # "escluso il tacito rinnovo"


def test_duration_ends_the_day_before_in_italian_and_on_the_anniversary_in_english():
    assert contract_terms.add_term(dt.date(2026, 2, 1), 36, "month") == dt.date(2029, 1, 31)
    assert contract_terms.add_term(dt.date(2024, 2, 29), 1, "year", anniversary=True) == dt.date(2025, 2, 28)
    page = gen.Contract()
    page.prose('This Agreement is made as of May 1, 2019 (the "Effective Date") by and between Alpha Widgets Inc. '
               "and Beta Tools LLC.")
    page.prose("1. Term. The term of this Agreement shall be for a period of three (3) years from the Effective Date.")
    page.prose("2. Confidentiality. The obligations of confidentiality survive for a period of five (5) years.")
    got = extract(page.page(), language="en")
    assert got["effective_date"] == "2019-05-01"
    assert got["expiration_date"] == "2022-05-01"


def test_durations_that_are_not_the_term_are_ignored():
    text = ("La garanzia ha durata di 24 mesi. Preavviso di 3 mesi. I dati sono conservati per dieci anni. "
            "Il contratto è stipulato a tempo indeterminato.")
    assert contract_terms.durations(text) == []


def test_contract_term_patterns_are_linear_on_an_adversarial_line():
    lines = ["durata " * 700, "rinnovo per " * 400, "dal 1 " * 800 + "al", "term of " * 600 + "x" * 200,
             "durata 3" + " " * 5000 + "x", "rinnovo per 2" + " " * 5000 + "x", "rinnovato per successivi " * 300,
             "dal" + " " * 5000 + "al"]
    started = time.monotonic()
    for line in lines:
        contract_terms.durations(line)
        contract_terms.renewal(line, None)
        contract_terms.date_ranges(line, lambda t: [])
    assert time.monotonic() - started < 2.0


def test_the_joiner_e_read_by_ocr_as_accented_does_not_join_the_second_name():
    doc = gen.Contract()
    doc.line("CONTRATTO DI APPALTO")
    doc.line("tra")
    doc.prose("NORD IMPIANTI SRL, con sede legale in Via Po 3, Torino, in persona del legale rappresentante "
              "(di seguito la «Appaltatrice»);")
    doc.line("È")
    doc.prose("GAMMA SERVIZI S.R.L., con sede in Via Dante 1, Asti (di seguito «Committente»)")
    assert extract(doc.page())["parties"] == ["NORD IMPIANTI SRL", "GAMMA SERVIZI S.R.L."]
