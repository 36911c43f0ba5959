"""Strict validators: identifiers by their check digits, dates by existence, sums by arithmetic.

Each returns ``(normalised_value, error)``; ``error`` is None when the value is valid. A value
that fails is still reported (an archivist fixes it in review), never as valid.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from stdnum import iban as _iban
from stdnum.eu import vat as _eu_vat
from stdnum.exceptions import ValidationError
from stdnum.it import codicefiscale as _cf
from stdnum.it import iva as _iva

Result = tuple[str, str | None]

_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]


def clean_id(raw: str) -> str:
    return re.sub(r"[\s.\-/]", "", raw).upper()


def partita_iva(raw: str) -> Result:
    """Italian VAT number: 11 digits with a Luhn-like check digit (``IT`` prefix allowed)."""
    value = clean_id(raw)
    digits = value[2:] if value.startswith("IT") else value
    try:
        _iva.validate(digits)
    except ValidationError as exc:
        return value, f"Partita IVA {value} is not valid: {exc}"
    return ("IT" + digits) if value.startswith("IT") else digits, None


def vat_id(raw: str) -> Result:
    """An EU VAT id with its country prefix, or a bare Italian Partita IVA."""
    value = clean_id(raw)
    if value.isdigit() and len(value) == 11:
        return partita_iva(value)
    try:
        _eu_vat.validate(value)
    except ValidationError as exc:
        return value, f"VAT id {value} is not valid: {exc}"
    return value, None


def codice_fiscale(raw: str) -> Result:
    """Italian tax code: 16 characters (omocodia letters included) or an 11-digit company code."""
    value = clean_id(raw)
    if value.isdigit() and len(value) == 11:
        return partita_iva(value)
    try:
        _cf.validate(value)
    except ValidationError as exc:
        return value, f"Codice Fiscale {value} is not valid: {exc}"
    return value, None


def iban(raw: str) -> Result:
    """IBAN mod-97 and country format; for Italian IBANs also the CIN control letter."""
    value = clean_id(raw)
    try:
        _iban.validate(value)
    except ValidationError as exc:
        return value, f"IBAN {value} is not valid: {exc}"
    if value.startswith(("IT", "SM")) and len(value) == 27:
        cin, bban = value[4], value[5:]
        expected = italian_cin(bban)
        if cin != expected:
            return value, f"IBAN {value} is not valid: the CIN letter is {cin}, the bank details give {expected}"
    return value, None


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


def due_not_before_issue(issued: dt.date, due: dt.date) -> str | None:
    if due < issued:
        return f"due date {due.isoformat()} is before the issue date {issued.isoformat()}"
    return None


def amounts_add_up(net: Decimal, vat: Decimal, total: Decimal, *, tolerance: Decimal = Decimal("0.01")) -> str | None:
    if abs(net + vat - total) > tolerance:
        return f"net {net} + VAT {vat} = {net + vat}, not the total {total}"
    return None
