"""Identifiers cut by their grammar: generated ids printed before a legal form, a phone label or
punctuation, with OCR confusions in the body and the prefix, a doubled prefix; and the patterns
stay linear on an adversarial line."""

from __future__ import annotations

import random
import time

import pytest

import gen_identifiers as gen
from pipeline.extract import identifiers, validate
from pipeline.extract.labelled import read_iban, read_tax_code, read_vat

SEEDS = range(12)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("country", sorted(gen.VAT_BODY))
def test_vat_id_stops_at_what_the_line_prints_after_it(seed, country):
    rng = random.Random(f"{seed}{country}")
    value = gen.vat_id(rng, country)
    for follower in rng.sample(gen.FOLLOWERS, 4):
        reading = read_vat(f"P.IVA {value}{follower}")
        assert reading is not None and reading.valid, (value, follower, reading)
        assert reading.value == value


@pytest.mark.parametrize("seed", SEEDS)
def test_vat_id_misread_by_ocr_is_repaired_only_when_the_check_passes(seed):
    rng = random.Random(seed)
    for country in ("IT", "DE", "BE"):
        value = gen.vat_id(rng, country)
        text = gen.misread(value, rng, prefix=True)
        reading = read_vat(f"VAT {text}{rng.choice(gen.FOLLOWERS)}")
        assert reading is not None and reading.valid and reading.value == value, (value, text, reading)
        # The same misreading of a number whose check fails is never reported valid.
        wrong = value[:-1] + str((int(value[-1]) + 1) % 10)
        bad = read_vat(f"VAT {gen.misread(wrong, random.Random(seed), prefix=True)} SRL")
        assert bad is None or not bad.valid or bad.value != wrong


def test_doubled_prefix_is_read_once_and_spacing_does_not_matter():
    rng = random.Random(7)
    for country in ("GB", "BE", "IT"):
        value = gen.vat_id(rng, country)
        assert read_vat(country + value + " Ltd").value == value
        assert read_vat(f"{country} {value} - Tel. 0123").value == value
        assert read_vat(gen.grouped(value, rng) + ", Via Roma 1").value == value


# Digits OCR could have made of the prefix's letters ("68" for "GB", "17" for "IT"): the number's own.
LOOK_LIKE_PREFIX = {"GB": "68", "IT": "17"}


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("country", sorted(LOOK_LIKE_PREFIX))
def test_digits_that_look_like_the_prefix_again_are_the_numbers_own(seed, country):
    rng = random.Random(f"{seed}{country}")
    value = gen.vat_id(rng, country, starts=LOOK_LIKE_PREFIX[country])
    for text in (value, f"{value} Page 1/1", f"{country} {value[2:]} - Tel. 0123", gen.grouped(value, rng)):
        reading = read_vat(text)
        assert reading is not None and reading.valid and reading.value == value, (text, reading)
    # Printed twice, the prefix is still read once.
    assert read_vat(country + value + " Ltd").value == value


def test_a_vat_id_whose_check_fails_is_cut_by_grammar_and_reported_invalid():
    value = gen.vat_id(random.Random(3), "DE")
    wrong = value[:-1] + str((int(value[-1]) + 1) % 10)
    reading = read_vat(f"USt-IdNr. {wrong} GmbH")
    assert reading.value == wrong and reading.valid is False  # not "…GMBH"


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("country", sorted(gen.IBAN_BBAN))
def test_iban_is_cut_at_its_country_length(seed, country):
    rng = random.Random(f"{seed}{country}")
    value = gen.iban(rng, country)
    for follower in (" BIC BCITITMM", " - SWIFT DEUTDEFF", ", Banca Intesa", " Sort code 12-34-56", ""):
        reading = read_iban("IBAN: " + gen.grouped(value, rng) + follower)
        assert reading is not None and reading.valid and reading.value == value, (value, follower, reading)


@pytest.mark.parametrize("seed", SEEDS)
def test_italian_iban_with_prefix_misread_is_repaired(seed):
    rng = random.Random(seed)
    value = gen.iban(rng, "IT")
    text = rng.choice(["lT", "1T"]) + value[2:]
    reading = read_iban("IBAN " + gen.grouped(text, rng) + " BIC")
    assert reading is not None and reading.valid and reading.value == value


@pytest.mark.parametrize("seed", SEEDS)
def test_codice_fiscale_is_cut_at_sixteen_characters(seed):
    rng = random.Random(seed)
    code = gen.codice_fiscale(rng)
    assert validate.codice_fiscale(code).valid
    for follower in (" SRL", "SRL", " - Tel. 02", ", nato a Roma", " P.IVA 01234567890"):
        reading = read_tax_code("C.F. " + code + follower)
        assert reading is not None and reading.valid and reading.value == code, (code, follower, reading)


def test_identifier_patterns_are_linear_on_an_adversarial_line():
    lines = ["IT " * 1700, "1" * 5000, "A1 " * 1700, "IT0" + " 0" * 2500, "RSSMRA " * 700, "l" + "T 1" * 1700,
             "IT" + " " * 5000 + "1", "IT60" + " -" * 2500, "GBGB" * 1250]
    started = time.monotonic()
    for line in lines:
        list(identifiers.vat_readings(line))
        list(identifiers.iban_readings(line))
        list(identifiers.tax_code_readings(line))
    assert time.monotonic() - started < 2.0


# -- which number ------------------------------------------------------------------------------
def _invoice_number(rows):
    import datetime as dt

    from test_extract_reading import page

    from pipeline.config import config_dir
    from pipeline.extract import invoice
    from pipeline.extract.layout import Layout
    from pipeline.extract.vocabulary import load_vocabulary

    vocab = load_vocabulary(config_dir() / "fields.toml")
    fields = invoice.extract(Layout([page(rows)]), vocab, language="en", today=dt.date(2025, 1, 15))
    return fields["number"].value if "number" in fields else None


@pytest.mark.parametrize("seed", range(8))
def test_invoice_number_is_not_an_order_customer_or_delivery_number(seed):
    rng = random.Random(seed)
    number = f"{rng.choice(['INV', 'FT', 'RE', '2024/'])}{rng.randint(100, 99999)}"
    others = [
        rng.choice([["Order", "number:"], ["Numero", "ordine:"], ["Bestellnummer:"], ["N°", "de", "commande"]]),
        rng.choice([["Customer", "no:"], ["Codice", "cliente:"], ["Kundennummer:"], ["Code", "client"]]),
        rng.choice([["Delivery", "note:"], ["DDT", "n."], ["Lieferschein", "Nr."], ["Your", "reference:"]]),
    ]
    label = rng.choice([["Invoice", "number:"], ["Fattura", "n."], ["Rechnungsnummer:"], ["Facture", "n°"]])
    rows = [[("INVOICE", 40)], [(rng.choice(["Page", "Pagina"]), 40), ("1", 120)]]
    lines = [(o, str(rng.randint(10000, 999999))) for o in others] + [(label, number)]
    rng.shuffle(lines)
    for words, value in lines:
        row, x = [], 40
        for w in words:
            row.append((w, x))
            x += 9 * len(w) + 9
        rows.append(row + [(value, 400)])
    assert _invoice_number(rows) == number


def test_a_lone_digit_beside_the_generic_label_loses_to_a_document_number():
    rows = [[("Fattura", 40), ("1", 120), ("di", 140), ("2", 170)],
            [("Documento", 40), ("n.", 140), ("FT-2024-118", 400)]]
    assert _invoice_number(rows) == "FT-2024-118"
