"""Generated identifiers and the lines they are printed on: valid VAT ids of several countries,
IBANs and Codici Fiscali (check digits computed, never copied from a document), printed with
what commonly follows them on a line and with OCR's usual confusions."""

from __future__ import annotations

import random
import string

from stdnum import iban as std_iban
from stdnum.it import codicefiscale

from pipeline.extract import validate

# Digits after the prefix, per country: the last two are searched so that the check passes.
VAT_BODY = {"IT": 11, "DE": 9, "BE": 10, "GB": 9, "AT": 8, "NL": 9, "DK": 8, "PT": 9}
IBAN_BBAN = {"IT": "1a5n5n12c", "DE": "18n", "GB": "4a14n", "FR": "5n5n11c2n", "CH": "5n12c", "NL": "4a10n"}

# What a line prints after an identifier.
FOLLOWERS = [" SRL", " S.r.l.", " GMBH", " GmbH & Co. KG", " - Tel. 02 1234567", " Tel: +39 06 123456", ", Via Roma 1",
             "; REA MI-123456", " – Cap. Soc. € 10.000,00", " SPA", " Ltd", " B.V.", ". ", " Fax 0612345", " Sede legale"]
# Letters OCR reads for digits and back, as seen on scanned invoices.
DIGIT_AS_LETTER = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z"}
PREFIX_MISREADS = {"IT": ["1T", "lT", "|T"], "DE": ["DE"], "BE": ["8E"], "GB": ["6B"]}


def vat_id(rng: random.Random, country: str, starts: str = "") -> str:
    """A VAT id of ``country`` that passes its check (AT's body starts with U), its digits
    beginning with ``starts`` when given."""
    while True:
        length = VAT_BODY[country]
        head = "".join(rng.choice(string.digits) for _ in range(length - 2))
        head = str(rng.randint(1, 9)) + head[1:]
        head = starts + head[len(starts):]
        if country == "NL":
            head = head[:7]
        for tail in range(100):
            body = head + f"{tail:02d}"
            value = country + ("U" + body if country == "AT" else body + "B01" if country == "NL" else body)
            if validate.vat_id(value).valid:
                return value


def iban(rng: random.Random, country: str) -> str:
    bban = ""
    for count, kind in _parts(IBAN_BBAN[country]):
        pool = string.digits if kind == "n" else string.ascii_uppercase if kind == "a" else string.ascii_uppercase + string.digits
        bban += "".join(rng.choice(pool) for _ in range(count))
    if country == "IT":
        bban = validate.italian_cin(bban[1:]) + bban[1:]
    if country == "FR":
        bban = bban[:21] + _rib_key(bban[:21])
    return country + std_iban.calc_check_digits(country + "00" + bban) + bban


def _rib_key(bban21: str) -> str:
    """A French account's RIB key (bank, branch, account; letters by their place in A-I, J-R,
    S-Z), written here from the published formula rather than taken from the product."""
    digits = "".join(ch if ch.isdigit() else str("ABCDEFGHIJKLMNOPQRSTUVWXYZ".index(ch) % 9 + 1
                                                 + (1 if ch >= "S" else 0)) for ch in bban21)
    return f"{97 - (89 * int(digits[:5]) + 15 * int(digits[5:10]) + 3 * int(digits[10:])) % 97:02d}"


def _parts(spec: str):
    import re

    return [(int(n), k) for n, k in re.findall(r"(\d+)([anc])", spec)]


def codice_fiscale(rng: random.Random) -> str:
    letters = "".join(rng.choice("BCDFGHLMNPRSTVZ") for _ in range(6))
    body = (letters + f"{rng.randint(40, 99):02d}" + rng.choice("ABCDEHLMPRST") + f"{rng.randint(1, 28):02d}"
            + rng.choice("ABCDEFGHL") + f"{rng.randint(100, 999)}")
    return body + codicefiscale.calc_check_digit(body)


def grouped(value: str, rng: random.Random) -> str:
    """The identifier as printed in groups of four (IBAN style) or with a space after the prefix."""
    if rng.random() < 0.5:
        return value[:2] + " " + value[2:]
    return " ".join(value[i : i + 4] for i in range(0, len(value), 4))


def misread(value: str, rng: random.Random, *, prefix: bool) -> str:
    """The identifier with one digit of its body (and maybe its prefix) read as a letter."""
    body_positions = [i for i, ch in enumerate(value) if i >= 2 and ch in DIGIT_AS_LETTER]
    out = list(value)
    if body_positions:
        i = rng.choice(body_positions)
        out[i] = DIGIT_AS_LETTER[out[i]]
    text = "".join(out)
    if prefix and value[:2] in PREFIX_MISREADS:
        text = rng.choice(PREFIX_MISREADS[value[:2]]) + text[2:]
    return text
