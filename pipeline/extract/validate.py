"""Strict validators: identifiers by their check digits, dates by existence, sums by arithmetic.

Identifier validators return a ``Check``: the normalised value, whether it is valid (None when
no check applies, e.g. a tax id of a country python-stdnum does not know) and why not. A value
that fails is still reported (an archivist fixes it in review), never as valid.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from stdnum import get_cc_module
from stdnum import iban as _iban
from stdnum.exceptions import ValidationError
from stdnum.it import codicefiscale as _cf
from stdnum.it import iva as _iva


@dataclass(frozen=True)
class Check:
    value: str
    valid: bool | None  # None: no validator applies
    error: str | None = None


_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]
# VAT prefixes that are not the ISO country code of their stdnum module.
_VAT_PREFIX_COUNTRY = {"EL": "gr", "XI": "gb", "CHE": "ch"}


def clean_id(raw: str) -> str:
    return re.sub(r"[\s.\-/_]", "", raw).upper()


# A Partita IVA run together with the word printed after it ("00743110157 - Tel." read as one).
_GLUED_VAT = re.compile(r"(?P<id>(?:IT)?\d{11})(?P<rest>[A-Z][A-Z0-9]*)")


def partita_iva(raw: str) -> Check:
    """Italian VAT number: 11 digits with a Luhn-like check digit (``IT`` prefix allowed)."""
    value = clean_id(raw)
    digits = value[2:] if value.startswith("IT") else value
    try:
        _iva.validate(digits)
    except ValidationError as exc:
        return Check(value, False, f"Partita IVA {value} is not valid: {exc}")
    return Check(("IT" + digits) if value.startswith("IT") else digits, True)


def vat_id(raw: str) -> Check:
    """A VAT id with its country prefix (checked by that country's rules), or a bare Italian
    Partita IVA. A prefix printed twice (``BEBE0477472701``, a known quirk of printed
    e-invoices) is read once."""
    value = clean_id(raw)
    if value.isdigit():
        if len(value) == 11:
            return partita_iva(value)
        return Check(value, False, f"VAT id {value} has no country prefix and is not an 11-digit Partita IVA")
    if len(value) > 4 and value[:2].isalpha() and value[:2] == value[2:4]:
        once = vat_id(value[2:])
        if once.valid is not False:
            return once
    glued = _GLUED_VAT.fullmatch(value)
    if glued and partita_iva(glued["id"]).valid:
        return Check(value, False, f"{glued['id']} is a valid Partita IVA followed by {glued['rest']!r}, "
                                   "which is not part of it")
    if not value[:2].isalpha():
        return Check(value, False, f"VAT id {value} does not start with a country code")
    module = _vat_module(value)
    if module is None:
        return Check(value, None)  # a country whose tax ids we cannot check
    try:
        module.validate(value)
    except ValidationError as exc:
        return Check(value, False, f"VAT id {value} is not valid: {exc}")
    return Check(value, True)


def _vat_module(value: str):
    prefix = value[:3] if value.startswith("CHE") else value[:2]
    country = _VAT_PREFIX_COUNTRY.get(prefix, prefix.lower())
    if not country.isalpha():
        return None
    module = get_cc_module(country, "vat")
    return module if module is not None and hasattr(module, "validate") else None


# What OCR reads for what: a letter where a digit belongs and the other way round.
_AS_LETTER = str.maketrans({"1": "I", "0": "O", "5": "S", "8": "B", "2": "Z", "6": "G", "4": "A", "7": "T"})
_AS_DIGIT = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "T": "1", "S": "5", "B": "8", "Z": "2",
                           "G": "6", "A": "4"})


def ocr_variants(value: str, *, prefix: int = 2) -> list[str]:
    """Readings of an identifier with OCR's usual confusions undone: letters expected in the
    country prefix, digits in the rest. Only a variant that then passes its check is used, so a
    repair can never make a wrong number valid by chance of more than the check's odds."""
    head, body = value[:prefix], value[prefix:]
    fixed_head = head.translate(_AS_LETTER)
    fixed_body = body.translate(_AS_DIGIT)
    return [v for v in dict.fromkeys([fixed_head + body, head + fixed_body, fixed_head + fixed_body]) if v != value]


def vat_id_read(raw: str) -> Check:
    """``vat_id`` of a value read by OCR: when it fails, the confusion-repaired readings are tried."""
    return _read_repairing(vat_id, raw)


def iban_read(raw: str) -> Check:
    """``iban`` of a value read by OCR, with the same confusion repair."""
    return _read_repairing(iban, raw)


def _read_repairing(validator: Callable[[str], Check], raw: str) -> Check:
    check = validator(raw)
    if check.valid:
        return check
    for variant in ocr_variants(clean_id(raw)):
        repaired = validator(variant)
        if repaired.valid:
            return repaired
    return check


def codice_fiscale(raw: str) -> Check:
    """Italian tax code: 16 characters (omocodia letters included) or an 11-digit company code."""
    value = clean_id(raw)
    if value.isdigit() and len(value) == 11:
        check = partita_iva(value)
        return check if check.valid else Check(value, False, f"Codice Fiscale {value} is not valid: {check.error}")
    try:
        _cf.validate(value)
    except ValidationError as exc:
        return Check(value, False, f"Codice Fiscale {value} is not valid: {exc}")
    return Check(value, True)


def iban(raw: str) -> Check:
    """IBAN mod-97 and country format; for Italian (and San Marino) IBANs also the CIN letter."""
    value = clean_id(raw)
    try:
        _iban.validate(value)
    except ValidationError as exc:
        return Check(value, False, f"IBAN {value} is not valid: {exc}")
    if value.startswith(("IT", "SM")) and len(value) == 27:
        cin, bban = value[4], value[5:]
        expected = italian_cin(bban)
        if cin != expected:
            return Check(value, False, f"IBAN {value} is not valid: the CIN letter is {cin}, the bank details give {expected}")
    if value.startswith(("FR", "MC")) and len(value) == 27:
        key, expected = value[25:], french_rib_key(value[4:25])
        if key != expected:
            return Check(value, False, f"IBAN {value} is not valid: the RIB key is {key}, the bank details give {expected}")
    return Check(value, True)


# The RIB's own letter values: a letter stands for a digit by its place in three runs of the
# alphabet (A-I, J-R, S-Z from 2).
_RIB_LETTERS = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "12345678912345678923456789")


def french_rib_key(bban21: str) -> str:
    """The two-digit RIB key of a French account (bank 5, branch 5, account 11 characters). It
    weighs every position, so OCR's O/0 swaps that leave the IBAN's mod 97 intact still show."""
    digits = bban21.upper().translate(_RIB_LETTERS)
    if not digits.isdigit():
        return ""
    bank, branch, account = int(digits[:5]), int(digits[5:10]), int(digits[10:21])
    return f"{97 - (89 * bank + 15 * branch + 3 * account) % 97:02d}"


def italian_cin(bban22: str) -> str:
    """The CIN control letter of an Italian account (ABI + CAB + account number, 22 chars)."""
    total = 0
    for position, ch in enumerate(bban22.upper(), start=1):
        index = int(ch) if ch.isdigit() else ord(ch) - ord("A")
        total += _ODD[index] if position % 2 else index
    return chr(ord("A") + total % 26)


def issue_date(value: dt.date, *, today: dt.date | None = None) -> str | None:
    today = today or dt.date.today()
    if value > today + dt.timedelta(days=31):
        return f"date {value.isoformat()} is in the future"
    if value.year < 1950:
        return f"date {value.isoformat()} is implausibly old"
    return None


def not_after_made(value: dt.date, made: dt.date | None) -> str | None:
    """A document's date against the day its photo or scan was made (a day's slack for clocks in
    other time zones)."""
    if made is not None and value > made + dt.timedelta(days=1):
        return f"date {value.isoformat()} is after the photo or scan ({made.isoformat()})"
    return None


def due_not_before_issue(issued: dt.date, due: dt.date) -> str | None:
    if due < issued:
        return f"due date {due.isoformat()} is before the issue date {issued.isoformat()}"
    return None


def amounts_add_up(net: Decimal, vat: Decimal, total: Decimal, *, tolerance: Decimal = Decimal("0.01")) -> str | None:
    if abs(net + vat - total) > tolerance:
        return f"net {net} + VAT {vat} = {net + vat}, not the total {total}"
    return None
