"""When a contract was made, on generated contracts (tests/gen_contract_signing.py) that state it in
ways the earlier generators do not print: preamble wordings, the date only by the signatures
("caused this Agreement to be executed … as of", "Executed on", "Signed at London on", "Date:",
Italian "Data …", "Firmato in data", "Letto, confermato e sottoscritto. Milano, …"), recitals
naming an earlier agreement "sottoscritto in data …", and dates damaged by OCR in scans (issue
15)."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest

import gen_contract_signing as gen
from pipeline.config import config_dir
from pipeline.extract import contract
from pipeline.extract.layout import Layout
from pipeline.extract.date_phrases import spelled
from pipeline.extract.ocr_dates import repair
from pipeline.extract.vocabulary import load_vocabulary

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary(config_dir() / "fields.toml")


def _agreement_date(doc, vocab, language):
    fields = contract.extract(Layout([doc.page()]), vocab, language=language, today=TODAY)
    return fields["agreement_date"].value if "agreement_date" in fields else None


@pytest.mark.parametrize("scanned", [False, True], ids=["printed", "ocr-damaged"])
@pytest.mark.parametrize("seed", range(2 * len(gen.SIGNING_EN)))
def test_english_agreement_date(seed, scanned, vocab):
    doc = gen.signing_en(seed, scanned=scanned)
    assert _agreement_date(doc, vocab, "en") == doc.fields["agreement_date"], gen.SIGNING_EN[seed % len(gen.SIGNING_EN)]


@pytest.mark.parametrize("scanned", [False, True], ids=["printed", "ocr-damaged"])
@pytest.mark.parametrize("seed", range(2 * len(gen.SIGNING_IT)))
def test_italian_agreement_date(seed, scanned, vocab):
    doc = gen.signing_it(seed, scanned=scanned)
    assert _agreement_date(doc, vocab, "it") == doc.fields["agreement_date"], gen.SIGNING_IT[seed % len(gen.SIGNING_IT)]


@pytest.mark.parametrize(("read", "printed"), [
    ("March l5, 2019", "March 15, 2019"), ("January 3Oth, 2011", "January 30th, 2011"),
    ("I June 2011", "1 June 2011"), ("this Ist day of November, 2015", "this 1st day of November, 2015"),
    ("2O October 2O11", "20 October 2011"), ("24-1l-2019", "24-11-2019"), ("3l.10.2025", "31.10.2025"),
    ("March 15, 20 19.", "March 15, 2019 ."), ("15/03/20 19", "15/03/2019 "),
    ("al 30 gennato 2025", "al 30 gennaio 2025"), ("Marcb 15, 2019", "March 15, 2019"),
    ("il 12 rnarzo 2024", "il 12 marzo  2024"), ("the 1st day of Novcmber, 2015", "the 1st day of November, 2015"),
    ("3 0ttobre 2020", "3 ottobre 2020"), ("6/I/2011", "6/1/2011"),
    ("the 5th day of June in the year 20 18", "the 5th day of June in the year 2018 "),
    ("19th day of Aprtl in the year 2013", "19th day of April in the year 2013"),
    ("the 1st of Novcmber 2015", "the 1st of November 2015"),
])
def test_ocr_confusions_in_dates_are_repaired_in_place(read, printed):
    assert repair(read) == printed
    assert len(repair(read)) == len(read)


@pytest.mark.parametrize("text", ["I agree to the terms", "Fund I 2 LP", "Omega S.r.l. 12 soci", "I May terminate",
                                  "Section 20 19 of the Code", "Il Sig. Ottavio",
                                  "12 Marco 2024",  # one letter from both "marzo" and "march": no guess
                                  "15 units 2019", "Sig. Marco Rossi 1971"])
def test_words_beside_figures_are_left_alone(text):
    assert repair(text) == text


def _words(name: str) -> tuple[str, ...]:
    # as the scorer compares names: case and punctuation aside ("Data LLC." is "Data LLC")
    return tuple(re.sub(r"[^\w ]", "", name.casefold()).split())


# Openings whose parties are not read yet (found by these generated kinds, left for later): a
# "Parties: A and B." line under an "Agreement Date:" line, and an amendment naming the amended
# agreement's parties before its own date; the signature block's two names are then read as one.
_PARTIES_NOT_READ = {15, 17}


@pytest.mark.parametrize(("language", "seed"), [
    pytest.param("en", s, marks=pytest.mark.xfail(strict=True, reason="parties of this opening not read yet"))
    if s in _PARTIES_NOT_READ else ("en", s) for s in range(len(gen.SIGNING_EN))]
    + [("it", s) for s in range(len(gen.SIGNING_IT))])
def test_parties_end_where_the_opening_sentence_does(language, seed, vocab):
    """"… by and between Corwin Pharma Ltd and Driftwood Data LLC." followed by "1. Appointment":
    the legal form's full stop ends the sentence; "Oggi, …, tra A e B si conviene quanto segue":
    the formula is no part of B's name."""
    doc = (gen.signing_en if language == "en" else gen.signing_it)(seed)
    fields = contract.extract(Layout([doc.page()]), vocab, language=language, today=TODAY)
    assert sorted(map(_words, fields["parties"].value)) == sorted(map(_words, doc.fields["parties"]))


@pytest.mark.parametrize(("written", "date"), [
    ("the first day of July, 2010", "2010-07-01"), ("the twenty-first day of March, 2011", "2011-03-21"),
    ("this 2d day of January, 2011", "2011-01-02"), ("the 23d day of May, 2012", "2012-05-23"),
    ("the 2nd of January 2011", "2011-01-02"), ("this 3rd day of January, A.D. 2011", "2011-01-03"),
    ("on this 2nd day of January in the year 2011", "2011-01-02"),
])
def test_formally_spelled_dates_are_read(written, date):
    assert [d.isoformat() for d, _, _ in contract.find_dates(written, month_first=True)] == [date]
    assert len(spelled(written)) == len(written)


@pytest.mark.parametrize("text", ["the first of the parties", "a second day of training in May 2011",
                                  "the third day of notice"])
def test_ordinals_that_are_no_date_stay_words(text):
    assert spelled(text) == text


@pytest.mark.parametrize("seed", range(24))
def test_parties_table_read_with_misread_labels(seed, vocab):
    """A parties table whose label ("Denominazione:") or role ("Licenziatario") OCR misread by a
    letter or two still names both parties."""
    import gen_contracts_it

    doc = gen_contracts_it.contract(seed)
    damaged = gen.damaged_labels(doc, random.Random(seed))
    fields = contract.extract(Layout([damaged.page()]), vocab, language="it", today=TODAY)
    assert sorted(map(_words, fields["parties"].value)) == sorted(map(_words, doc.fields["parties"]))


@pytest.mark.parametrize("odd, letter", [("İ", "i"), ("ı", "i"), ("ſ", "s"), ("\u212a", "k")])
def test_a_phrase_skipped_as_absent_is_one_the_case_blind_pattern_cannot_find(odd, letter):
    # The quick string test before each phrase's search must agree with re.I, which reads these
    # letters as ASCII ones: a text printing them must not lose a phrase the pattern finds.
    from pipeline.extract.contract import _REGEX_FOLDS
    from pipeline.extract.parties import phrase_pattern

    for phrase in ["dated as of", "this agreement is made", "sottoscritto in data", "keep in effect until"]:
        text = f"Signed by both parties {phrase.replace(letter, odd)} March 1, 2020."
        assert re.search(phrase_pattern(phrase), text, re.I)
        assert " ".join(phrase.split()).lower() in text.translate(_REGEX_FOLDS).lower()
