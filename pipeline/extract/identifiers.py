"""Identifiers cut from a line by their grammar, not by "the rest of the token run".

A VAT id is its country prefix plus the exact number of characters that country prints
(``IT`` + 11 digits, ``DE`` + 9, ``NL`` + 9 digits ``B`` 2 digits …); an IBAN is as long as its
country's registry entry says; a Codice Fiscale is 16 characters in a fixed letter/digit
pattern. So ``IT01234567897 SRL``, ``DE123456789 - Tel.`` or ``…457, Via Roma`` give the id
and nothing after it.

OCR confusions are undone position by position, where the grammar says which of a letter or a
digit belongs there (the country prefix included: ``1T`` is ``IT``), and a repaired reading is
only offered when its check digits then pass (the caller validates): a repair can never make a
number valid by more than the check's own odds.

Every pattern here is linear: fixed repetitions, no nested quantifiers over whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from stdnum import numdb

# What OCR reads for what: a digit where a letter belongs and the other way round.
_AS_LETTER = str.maketrans({"1": "I", "|": "I", "0": "O", "5": "S", "8": "B", "2": "Z", "6": "G", "4": "A",
                            "7": "T"})
_AS_DIGIT = str.maketrans({"O": "0", "Q": "0", "D": "0", "U": "0", "I": "1", "L": "1", "T": "1", "|": "1",
                           "S": "5", "B": "8", "Z": "2", "G": "6", "A": "4"})

# Per VAT prefix, the characters after it: d a digit, a a letter, x either. A prefix with two
# shapes lists both, shortest first (a GB branch suffix is three more digits).
_VAT_SHAPES: dict[str, tuple[str, ...]] = {
    "AT": ("adddddddd",), "BE": ("dddddddddd",), "BG": ("ddddddddd", "dddddddddd"),
    "CY": ("dddddddda",), "CZ": ("dddddddd", "ddddddddd", "dddddddddd"), "DE": ("ddddddddd",),
    "DK": ("dddddddd",), "EE": ("ddddddddd",), "EL": ("ddddddddd",), "ES": ("xdddddddx",),
    "FI": ("dddddddd",), "FR": ("xxddddddddd",), "HR": ("ddddddddddd",), "HU": ("dddddddd",),
    "IE": ("dxdddddax", "dxddddda"), "IT": ("ddddddddddd",), "LT": ("ddddddddd", "dddddddddddd"),
    "LU": ("dddddddd",), "LV": ("ddddddddddd",), "MT": ("dddddddd",), "NL": ("dddddddddadd",),
    "PL": ("dddddddddd",), "PT": ("ddddddddd",), "RO": tuple("d" * n for n in range(2, 11)),
    "SE": ("dddddddddddd",), "SI": ("dddddddd",), "SK": ("dddddddddd",),
    "GB": ("ddddddddd", "dddddddddddd"), "XI": ("ddddddddd", "dddddddddddd"), "CHE": ("ddddddddd",),
    "NO": ("ddddddddd",),
}
# Words a Swiss or Norwegian VAT id carries after its digits.
_VAT_SUFFIXES = ("MWST", "TVA", "IVA", "TPV", "MVA")

# Where an identifier may start: not inside a longer word or number.
_START = re.compile(r"(?<![A-Z0-9])[A-Z0-9|]")
_SEPARATOR = " .-/"


def _shape_fits(text: str, shape: str) -> str | None:
    """``text`` read as ``shape`` with the confusions undone, or None when it cannot be."""
    out = []
    for ch, kind in zip(text, shape):
        if kind == "d":
            ch = ch.translate(_AS_DIGIT)
            if not ch.isdigit():
                return None
        elif kind == "a":
            ch = ch.translate(_AS_LETTER)
            if not ch.isalpha():
                return None
        elif not ch.isalnum():
            return None
        out.append(ch)
    return "".join(out)


def _body(text: str, start: int, limit: int) -> tuple[str, int]:
    """Up to ``limit`` identifier characters from ``start``: separators inside a group are
    skipped, and the run stops at a word of letters printed after a space (``SRL``, ``Tel``,
    ``GmbH``), at other punctuation and at the end of the line."""
    chars: list[str] = []
    i = start
    while i < len(text) and len(chars) < limit:
        ch = text[i]
        if ch.isalnum() or ch == "|":
            chars.append(ch)
            i += 1
            continue
        if ch not in _SEPARATOR:
            break
        # A separator: go on only into a group that holds a digit or is a single character.
        j = i
        while j < len(text) and text[j] in _SEPARATOR and j - i < 3:
            j += 1
        k = j
        while k < len(text) and text[k].isalnum():
            k += 1
        group = text[j:k]
        if not group or (ch == " " and not any(c.isdigit() for c in group) and len(group) > 1):
            break
        i = j
    return "".join(chars), i


def vat_readings(text: str) -> Iterator[tuple[str, str]]:
    """Every (reading, raw) a line offers as a prefixed VAT id, by each country's shape: the
    reading as printed first, then confusion-repaired ones. The caller keeps the first whose
    check passes."""
    upper = text.upper()
    for match in _START.finditer(upper):
        pos = match.start()
        for width in (3, 2):
            head = upper[pos : pos + width]
            prefixes = [p for p in _prefixes(text, pos, width) if p in _VAT_SHAPES]
            if not prefixes or not any(c.isalpha() for c in head):
                continue
            for prefix in prefixes:
                yield from _vat_at(text, upper, pos, width, prefix)
            break


def _vat_at(text: str, upper: str, pos: int, width: int, prefix: str) -> Iterator[tuple[str, str]]:
    after = pos + width
    starts = [after]
    # A prefix printed twice ("GBGB…", "IT IT…") is read once. Digits that OCR could have made of
    # the prefix's letters are more likely the number's own ("GB 688…", "IT 17…"): read as
    # printed first, then without them.
    gap = after + 1 if upper[after : after + 1] in (" ", ".") else after
    again = upper[gap : gap + width]
    if again.translate(_AS_LETTER) == prefix:
        starts.insert(0 if any(c.isalpha() for c in again) else 1, gap + width)
    for start in starts:
        while start < len(upper) and upper[start] in _SEPARATOR:
            start += 1
        shapes = _VAT_SHAPES[prefix]
        body, _ = _body(upper, start, max(len(s) for s in shapes))
        for shape in shapes:
            if len(body) < len(shape):
                continue
            fitted = _shape_fits(body[: len(shape)], shape)
            if fitted is None:
                continue
            raw = text[pos:_raw_end(upper, start, len(shape))].strip()
            yield prefix + fitted + _suffix(upper, start, len(shape)), raw


def _suffix(upper: str, body_start: int, length: int) -> str:
    end = _raw_end(upper, body_start, length)
    rest = upper[end:].lstrip(" .-")
    for word in _VAT_SUFFIXES:
        if rest.startswith(word) and not rest[len(word) : len(word) + 1].isalnum():
            return word
    return ""


def _raw_end(upper: str, start: int, length: int) -> int:
    """The offset just after the ``length``-th identifier character from ``start``."""
    seen = 0
    i = start
    while i < len(upper) and seen < length:
        if upper[i].isalnum() or upper[i] == "|":
            seen += 1
        i += 1
    return i


def _prefixes(text: str, pos: int, width: int) -> list[str]:
    """The country prefix a line's characters may stand for: as read with digits taken for
    letters, and with a lower-case ``l`` also taken for the ``I`` it usually is (``lT`` → ``IT``)."""
    head = text[pos : pos + width].upper().translate(_AS_LETTER)
    out = [head]
    if "l" in text[pos : pos + width]:
        out.append("".join("I" if ch == "l" else up for ch, up in zip(text[pos : pos + width], head)))
    return out


# -- IBAN --------------------------------------------------------------------------------------
@lru_cache(maxsize=128)
def iban_shape(country: str) -> str | None:
    """The IBAN of ``country`` as a shape string (prefix and check digits included), from the
    IBAN registry python-stdnum carries; None for a country without IBANs."""
    info = numdb.get("iban").info(country + "00")
    props = info[0][1] if info else {}
    bban = props.get("bban")
    if not bban:
        return None
    shape = "aadd"
    for count, kind in re.findall(r"(\d+)!([nac])", bban):
        shape += {"n": "d", "a": "a", "c": "x"}[kind] * int(count)
    return shape


def iban_readings(text: str) -> Iterator[tuple[str, str]]:
    """Every (reading, raw) a line offers as an IBAN, cut at its country's length."""
    upper = text.upper()
    for match in _START.finditer(upper):
        pos = match.start()
        if not any(c.isalpha() for c in upper[pos : pos + 2]):
            continue
        for head in _prefixes(text, pos, 2):
            yield from _iban_at(text, upper, pos, head)


def _iban_at(text: str, upper: str, pos: int, head: str) -> Iterator[tuple[str, str]]:
    shape = iban_shape(head) if head.isalpha() else None
    if shape is None:
        return
    chars: list[str] = []
    i = pos
    while i < len(upper) and len(chars) < len(shape):
        ch = upper[i]
        if ch.isalnum() or ch == "|":
            chars.append(ch)
        elif ch != " " or upper[i + 1 : i + 2] == " ":
            break  # punctuation, or a wider gap: the next field
        i += 1
    if len(chars) < len(shape):
        return
    fitted = _shape_fits(head + "".join(chars)[2:], shape)
    if fitted is not None:
        yield fitted, text[pos:i].strip()
        repaired = _alphanumeric_repair(fitted, shape)
        if repaired is not None:
            yield repaired, text[pos:i].strip()


# Where an account holds letters and digits alike ("c" in the registry), the shape cannot say
# which of O and 0 was printed: OCR's confusions there, each way.
_EITHER_WAY = {"O": "0", "0": "O", "I": "1", "1": "I", "S": "5", "5": "S", "B": "8", "8": "B", "Z": "2", "2": "Z",
               "G": "6", "6": "G", "Q": "0", "D": "0"}


def _alphanumeric_repair(value: str, shape: str) -> str | None:
    """The one reading that passes the IBAN's checks (mod 97, an Italian CIN) with a single
    confusion undone at a letter-or-digit position; None when the value passes already, or when
    none or several repairs do (two would be a guess)."""
    from .validate import iban as checked

    if checked(value).valid:
        return None
    passing = set()
    for index, (ch, kind) in enumerate(zip(value, shape)):
        other = _EITHER_WAY.get(ch) if kind == "x" else None
        if other is not None:
            candidate = value[:index] + other + value[index + 1 :]
            if checked(candidate).valid:
                passing.add(candidate)
    return passing.pop() if len(passing) == 1 else None


# -- Codice Fiscale ----------------------------------------------------------------------------
# Surname and name letters, year, month letter, day, town code (a letter and three digits), check
# letter; omocodia replaces digits by LMNPQRSTUV. A single space may split the groups.
_D = "[0-9LMNPQRSTUV]"
_CF = re.compile(r"(?<![A-Z0-9])([A-Z]{3} ?[A-Z]{3} ?" + _D + "{2}[A-EHLMPRST]" + _D + "{2} ?[A-Z]" + _D + "{3} ?[A-Z])"
                 r"(?![0-9])")


def tax_code_readings(text: str) -> Iterator[tuple[str, str]]:
    """Every 16-character Codice Fiscale shape in a line, as (reading, raw)."""
    for match in _CF.finditer(text.upper()):
        raw = match.group(1)
        yield raw.replace(" ", ""), text[match.start(1) : match.end(1)]
