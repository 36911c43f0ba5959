"""Money amounts as printed in Italian, English, German and French documents, read as Decimal.

``1.234,56`` (it/de), ``1,234.56`` (en), ``1 234,56`` and ``1'234.56`` (fr/ch), ``14.00`` and
``-12,00`` / ``12,00-`` (credit lines). The decimal separator is the last of '.' or ',' when both
appear; alone, it is decimal when followed by one or two digits and a thousands separator when
followed by exactly three.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Signs and codes as printed, to ISO 4217. "RM" is the Malaysian ringgit, "Rs" the rupee.
CURRENCY_SYMBOLS = {"€": "EUR", "$": "USD", "US$": "USD", "£": "GBP", "¥": "JPY", "₹": "INR", "RS": "INR",
                    "RS.": "INR", "RM": "MYR", "FR.": "CHF", "SFR": "CHF", "FR": "CHF", "EURO": "EUR", "EUROS": "EUR"}
ISO_CODES = {"EUR", "USD", "GBP", "CHF", "JPY", "INR", "MYR", "SGD", "AUD", "CAD", "SEK", "NOK", "DKK", "PLN",
             "CZK", "HUF", "RON", "BGN", "CNY", "HKD", "NZD", "ZAR", "BRL", "MXN", "TRY", "RUB"}
_CURRENCY_TOKEN = re.compile(
    r"US\$|[€$£¥₹]|(?<![A-Za-z])(?:" + "|".join(sorted(ISO_CODES)) + r"|RM|Rs\.?|SFr|Euro?s?)(?![A-Za-z])",
    re.I)

# A number with optional thousands groups and decimals; sign before or after.
AMOUNT_RE = re.compile(
    # Not inside a word or a longer number, but glued to a currency is fine: "RM64.15", "EUR12,00".
    # Nor glued to a section sign: on a till slip OCR's "§" is a 5 ("Net Amt : §3.55" for 53.55,
    # "§2100" for a postcode 52100), in a law's reference a paragraph ("§19 UStG"); never money.
    r"(?:(?<=RM)|(?<=Rs)|(?<=EUR)|(?<=USD)|(?<=GBP)|(?<=CHF)|(?<![\w.,§]))(?P<sign>[-−–])?\s?"
    r"(?P<num>\d{1,3}(?:[.,'’]\d{3})+(?:[.,]\d{1,2})?"
    # Space-grouped thousands only with decimal commas (fr: "1 234,56"): in a table row a space
    # separates columns ("1 278.61" is a quantity and a price).
    r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+,\d{2}"
    # OCR of till fonts often puts a space after the decimal point: "64. 15".
    r"|\d{1,3}[.,] \d{2}(?![\d.,])"
    r"|\d+(?:[.,]\d{1,2})?)"
    r"(?P<trail>-)?(?![\w]|[.,]\d)"
)


def parse_amount(text: str) -> Decimal | None:
    """The first amount in ``text``, two decimals, or None."""
    match = AMOUNT_RE.search(text)
    if not match:
        return None
    return _to_decimal(match.group("num"), negative=bool(match.group("sign") or match.group("trail")))


# OCR reads a zero as the letter O inside figures ("RMO.40", "1O,00"); same length, so positions hold.
_LETTER_O = re.compile(r"(?<=[\d.,])[Oo](?=[\d.,])|(?<=RM)[Oo](?=[.,]\d)|(?<=[$€£])[Oo](?=[.,]\d)|(?<=\d)[Oo]\b")


def find_amounts(text: str) -> list[tuple[Decimal, str, int]]:
    """Every amount in ``text`` with its raw text and position."""
    out = []
    text = _LETTER_O.sub("0", text)
    for match in AMOUNT_RE.finditer(text):
        value = _to_decimal(match.group("num"), negative=bool(match.group("sign") or match.group("trail")))
        if value is not None:
            out.append((value, match.group(0).strip(), match.start()))
    return out


def _to_decimal(num: str, *, negative: bool) -> Decimal | None:
    num = num.replace("\u00a0", " ").replace("\u202f", " ")
    num = re.sub(r"([.,]) (\d{2})$", r"\1\2", num.replace("’", "'"))
    separators = [c for c in num if c in ".,' "]
    if not separators:
        digits = num
    else:
        last = max(num.rfind("."), num.rfind(","))
        tail = num[last + 1 :] if last >= 0 else ""
        kinds = {c for c in separators if c in ".,"}
        if len(kinds) == 2 or (last >= 0 and len(tail) in (1, 2)):
            digits = re.sub(r"[.,' ]", "", num[:last]) + "." + tail
        else:
            digits = re.sub(r"[.,' ]", "", num)  # every separator groups thousands
    try:
        value = Decimal(digits).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None
    return -value if negative else value


def currency_tokens(text: str) -> list[tuple[str, str, int]]:
    """Every currency sign or code in ``text``: (ISO code, raw, position)."""
    out = []
    for match in _CURRENCY_TOKEN.finditer(text):
        raw = match.group(0)
        upper = raw.upper()
        if upper in ISO_CODES:
            if raw != upper:
                continue  # "Eur" in a sentence is a word; codes are printed in capitals
            out.append((upper, raw, match.start()))
        elif upper in CURRENCY_SYMBOLS:
            if raw[0].isalpha() and raw[0].islower():
                continue  # "the euro area", "rs" inside prose: a word, not a printed currency
            out.append((CURRENCY_SYMBOLS[upper], raw, match.start()))
    return out


def currency_code(text: str) -> str | None:
    """ISO 4217 code of the first currency sign or code in ``text``."""
    found = currency_tokens(text)
    return found[0][0] if found else None


currency_in = currency_code
