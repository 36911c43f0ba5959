"""Validators against real-world identifiers: companies' published VAT numbers, the textbook
Codice Fiscale and its omocodia variant, the bank-published example IBAN, and the misprints that
must be refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from stdnum import iban as std_iban

from pipeline.extract import validate

# Partite IVA printed on the invoices of large Italian companies (Pirelli, Telecom Italia,
# Ferrari, Eni's group VAT, Enel).
REAL_PARTITE_IVA = ["00743110157", "00488410010", "00159560366", "00905811006", "02313821007"]


@pytest.mark.parametrize("number", REAL_PARTITE_IVA)
def test_real_partita_iva_is_valid_with_and_without_prefix(number):
    assert validate.partita_iva(number).valid
    assert validate.vat_id("IT" + number) == validate.Check("IT" + number, True)
    assert validate.vat_id(f"{number[:3]} {number[3:7]} {number[7:]}").valid  # printed in groups


@pytest.mark.parametrize("number", ["00743110158", "12345678901", "0074311015", "007431101570"])
def test_partita_iva_with_a_wrong_check_digit_or_length_is_refused(number):
    check = validate.partita_iva(number)
    assert check.valid is False
    assert "Partita IVA" in check.error


def test_codice_fiscale_textbook_example_and_its_omocodia_variant_are_valid():
    assert validate.codice_fiscale("RSSMRA85T10A562S").valid
    # Omocodia: the agency replaces digits by letters (5->R, 6->S, 2->N) and recomputes the check
    # character when two people would otherwise share a code.
    assert validate.codice_fiscale("RSSMRA85T10ARSNO").valid
    assert validate.codice_fiscale("rssmra 85t10 a562s").value == "RSSMRA85T10A562S"


@pytest.mark.parametrize("code", ["RSSMRA85T10A562T", "RSSMRA85T10ARSNX", "RSSMRA85T99A562S", "RSSMRA85"])
def test_codice_fiscale_with_wrong_check_character_or_date_is_refused(code):
    assert validate.codice_fiscale(code).valid is False


def test_company_codice_fiscale_is_its_partita_iva():
    assert validate.codice_fiscale("00743110157").valid
    assert validate.codice_fiscale("00743110158").valid is False


def test_italian_iban_example_is_valid_and_cin_is_checked():
    assert validate.iban("IT60 X054 2811 1010 0000 0123 456") == validate.Check("IT60X0542811101000000123456", True)
    assert validate.italian_cin("0542811101000000123456") == "X"


def test_italian_iban_with_wrong_cin_but_right_check_digits_is_refused():
    # mod-97 alone accepts it once the check digits are recomputed; only the CIN letter catches it.
    bban = "Y0542811101000000123456"
    forged = "IT" + std_iban.calc_check_digits("IT00" + bban) + bban
    assert std_iban.is_valid(forged)
    check = validate.iban(forged)
    assert check.valid is False
    assert "CIN" in check.error


@pytest.mark.parametrize("value", ["IT61X0542811101000000123456", "DE89370400440532013001", "GB29NWBK6016133192681"])
def test_iban_with_a_wrong_check_digit_is_refused(value):
    assert validate.iban(value).valid is False


def test_foreign_iban_examples_are_valid():
    assert validate.iban("DE89 3704 0044 0532 0130 00").valid
    assert validate.iban("GB29 NWBK 6016 1331 9268 19").valid


@pytest.mark.parametrize("vat", ["DE136695976", "FR40303265045", "NL810433941B01", "BE0477472701", "ATU13585627",
                                 "ESA28017895"])
def test_real_eu_vat_ids_are_valid(vat):
    assert validate.vat_id(vat).valid


@pytest.mark.parametrize("vat", ["DE123456789", "FR00303265045", "NL810433942B01", "IT00743110158"])
def test_eu_vat_ids_with_wrong_check_digits_are_refused(vat):
    assert validate.vat_id(vat).valid is False


def test_country_code_printed_twice_is_read_once():
    assert validate.vat_id("BEBE0477472701") == validate.Check("BE0477472701", True)


def test_swiss_uid_with_vat_suffix_is_checked():
    assert validate.vat_id("CHE-114.993.395 IVA").valid
    assert validate.vat_id("CHE-114.993.396 IVA").valid is False


def test_vat_id_of_a_country_without_a_checker_is_not_called_valid():
    check = validate.vat_id("US484762844")
    assert check.valid is None and check.error is None


def test_ocr_confusions_are_repaired_only_when_the_check_then_passes():
    assert validate.vat_id_read("1T00743110157") == validate.Check("IT00743110157", True)
    assert validate.vat_id_read("IT0O743110157").valid  # letter O read for a zero
    # A wrong number stays wrong: no substitution makes it pass.
    assert validate.vat_id_read("1T00743110158").valid is False
    assert validate.iban_read("IT60X054281110100000012345G").valid  # 6 read as G


def test_dates_and_sums():
    today = dt.date(2024, 6, 1)
    assert validate.issue_date(dt.date(2024, 5, 31), today=today) is None
    assert "future" in validate.issue_date(dt.date(2025, 1, 1), today=today)
    assert validate.due_not_before_issue(dt.date(2024, 5, 1), dt.date(2024, 4, 30))
    assert validate.amounts_add_up(Decimal("100.00"), Decimal("22.00"), Decimal("122.01")) is None
    assert validate.amounts_add_up(Decimal("100.00"), Decimal("22.00"), Decimal("122.50"))
