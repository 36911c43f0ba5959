"""What people type into a search box, read the way they mean it.

A clerk types ``1451,80``, ``€ 1.451,80``, ``IT00743110157``, ``03/09/2025``, ``settembre 2025``,
``scontrino febbraio`` or ``fattura 2025``. ``parse`` splits such a query into terms; each term
must match (or, when no document matches every term, as many as possible), and a term that is an
amount, a date, a month, a year or a VAT id matches the document's typed fields through *keys*
as well as its text. Both backends index the same keys (``document_keys``) and read queries with
this one parser, so they cannot disagree about what ``1.451,80`` means.

The ``parse_*`` functions read one filter value (``--min-total 1451,80``, ``--from 3/9/2025``,
``?to=settembre 2025``) and raise ``QueryValueError`` with one line when they cannot.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from ..errors import ArchivioError
from ..textnorm import fold, words

TermKind = Literal["words", "amount", "date", "month", "year", "vat"]

# Italian and English month names and the abbreviations people type.
MONTHS = {
    "gennaio": 1, "febbraio": 2, "marzo": 3, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7,
    "agosto": 8, "settembre": 9, "ottobre": 10, "novembre": 11, "dicembre": 12,
    "gen": 1, "feb": 2, "mar": 3, "apr": 4, "mag": 5, "giu": 6, "lug": 7, "ago": 8, "set": 9,
    "sett": 9, "ott": 10, "nov": 11, "dic": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "dec": 12,
}
# Short forms that are also everyday words are months only beside a year ("mar 2025", "set 2024").
_AMBIGUOUS_ALONE = {"mar", "set", "sett", "may", "dec", "gen", "mag"}
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
YEARS = range(1950, 2100)

# Prefixes of the index keys; chosen so no printed word or compacted identifier looks like one.
KEY_AMOUNT, KEY_DAY, KEY_MONTH, KEY_MONTH_ANY_YEAR, KEY_YEAR = "kamt", "kday", "kmonth", "kmon", "kyear"
KEY_TAG = "ktag"

_CURRENCY = r"(?:€|eur|euro)"
_NUMBER = r"[-−]?(?:\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?|\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+[.,]\d{1,2}|\d+)"
_AMOUNT_TEXT = re.compile(rf"^\s*(?:{_CURRENCY}\s*)?(?P<num>{_NUMBER})\s*(?:{_CURRENCY})?\s*$", re.I)
# In a query an amount needs its cents or a currency sign: "14,00", "1.451,80", "€ 30"; a bare
# "1451" stays a word (it may be an invoice number).
_QUERY_AMOUNT = re.compile(
    rf"(?<![\w.,/-])(?:(?P<cur>{_CURRENCY})\s*(?P<n1>{_NUMBER})|(?P<n2>[-−]?(?:\d{{1,3}}(?:\.\d{{3}})+,\d{{2}}"
    rf"|\d{{1,3}}(?:,\d{{3}})+\.\d{{2}}|\d+[.,]\d{{2}}))(?:\s*{_CURRENCY})?)(?![\w.,/-])", re.I)
_NUMERIC_DAY = re.compile(r"(?<![\w./-])(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})(?![\w./-])")
_ISO_DAY = re.compile(r"(?<![\w./-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w./-])")
_NAMED_DAY = re.compile(rf"(?<![\w])(\d{{1,2}})\s*(?:°|º)?\s+({_MONTH_NAMES})\.?\s+(\d{{4}})(?![\w])", re.I)
_NAMED_MONTH = re.compile(rf"(?<![\w])({_MONTH_NAMES})\.?\s+(\d{{4}})(?![\w])", re.I)
_NUMERIC_MONTH = re.compile(r"(?<![\w./-])(\d{1,2})[/.-](\d{4})(?![\w./-])|(?<![\w./-])(\d{4})-(\d{1,2})(?![\w./-])")
_VAT = re.compile(r"(?<![\w])(?:(?P<cc>[A-Za-z]{2})\s?)?(?P<num>\d{11})(?![\w])")


class QueryValueError(ArchivioError, ValueError):
    """A filter value that is not what it should be; the message is one line for the user."""

    stage = "search"


@dataclass(frozen=True)
class Term:
    """One thing the document must match: its text forms (as phrases) or one of its keys."""

    kind: TermKind
    typed: str  # as the user wrote it
    phrases: tuple[str, ...]  # text forms, each matched as a phrase of folded words
    keys: tuple[str, ...] = ()  # index keys (document_keys) that match it as a value
    # The same forms as printed (1.451,80 · 03/09/2025), for an index whose analyser keeps
    # "1.451,80" as one token (Elasticsearch's standard tokenizer does).
    printed: tuple[str, ...] = ()


# -- reading a whole query ----------------------------------------------------------------------
def parse(text: str) -> list[Term]:
    """The terms of a query, in the order typed. Values are recognised before plain words."""
    terms: list[tuple[int, Term]] = []
    taken = [False] * len(text)

    def claim(match: re.Match, term: Term | None) -> None:
        if term is None or any(taken[match.start():match.end()]):
            return
        for i in range(match.start(), match.end()):
            taken[i] = True
        terms.append((match.start(), term))

    for match in _NAMED_DAY.finditer(text):
        claim(match, _day_term(match.group(0), _safe_date(int(match.group(3)), MONTHS[fold(match.group(2))], int(match.group(1)))))
    for match in _ISO_DAY.finditer(text):
        claim(match, _day_term(match.group(0), _safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))))
    for match in _NUMERIC_DAY.finditer(text):
        claim(match, _day_term(match.group(0), _safe_date(_year(match.group(3)), int(match.group(2)), int(match.group(1)))))
    for match in _NAMED_MONTH.finditer(text):
        claim(match, _month_term(match.group(0), int(match.group(2)), MONTHS[fold(match.group(1))]))
    for match in _NUMERIC_MONTH.finditer(text):
        month, year = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
        claim(match, _month_term(match.group(0), int(year), int(month)))
    for match in _VAT.finditer(text):
        claim(match, _vat_term(match))
    for match in _QUERY_AMOUNT.finditer(text):
        claim(match, _amount_term(match.group(0), match.group("n1") or match.group("n2")))
    for match in re.finditer(r"\S+", text):
        if any(taken[match.start():match.end()]):
            continue
        chunk = match.group(0)
        if words(chunk):
            terms.append((match.start(), _word_term(chunk)))
    return [term for _, term in sorted(terms, key=lambda item: item[0])]


def _phrase(text: str) -> str:
    return " ".join(words(text))


def _word_term(chunk: str) -> Term:
    folded = _phrase(chunk)
    if folded.isdigit() and int(folded) in YEARS and len(folded) == 4:
        return Term("year", chunk, (folded,), (f"{KEY_YEAR}{folded}",), (chunk,))
    if folded in MONTHS and folded not in _AMBIGUOUS_ALONE:
        return Term("month", chunk, (folded,), (f"{KEY_MONTH_ANY_YEAR}{MONTHS[folded]:02d}",), (chunk,))
    return Term("words", chunk, (folded,))


def _day_term(typed: str, day: dt.date | None) -> Term | None:
    if day is None:
        return None
    printed = {typed, f"{day:%d/%m/%Y}", f"{day.day}/{day.month}/{day.year}", f"{day:%d.%m.%Y}", day.isoformat()}
    return Term("date", typed, tuple(sorted({_phrase(p) for p in printed})), (f"{KEY_DAY}{day:%Y%m%d}",),
                tuple(sorted(printed)))


def _month_term(typed: str, year: int, month: int) -> Term | None:
    if not (1 <= month <= 12 and year in YEARS):
        return None
    return Term("month", typed, (_phrase(typed),), (f"{KEY_MONTH}{year}{month:02d}",), (typed,))


def _vat_term(match: re.Match) -> Term | None:
    country = (match.group("cc") or "").upper()
    if country and country != "IT":
        return None  # another country's id: the plain identifier search handles it
    number = match.group("num")
    return Term("vat", match.group(0), (number.lower(), f"it{number}", f"it {number}"), (),
                (number, f"IT{number}", f"IT {number}"))


def _amount_term(typed: str, number: str) -> Term | None:
    try:
        value = parse_amount(number)
    except QueryValueError:
        return None
    printed = {typed.strip(), number, *printed_amounts(value)}
    return Term("amount", typed, tuple(sorted({_phrase(p) for p in printed} - {""})), (amount_key(value),),
                tuple(sorted(printed)))


def printed_amounts(value: Decimal) -> list[str]:
    """The ways an amount is printed on paper: 1.451,80 · 1451,80 · 1,451.80 · 1451.80."""
    plain = f"{abs(value):.2f}"
    grouped = f"{abs(value):,.2f}"
    return sorted({plain, plain.replace(".", ","), grouped,
                   grouped.replace(",", "\x00").replace(".", ",").replace("\x00", ".")})


# -- the keys a document is indexed with ---------------------------------------------------------
def amount_key(value: Decimal) -> str:
    cents = int((value * 100).quantize(Decimal("1")))
    return f"{KEY_AMOUNT}{'m' if cents < 0 else ''}{abs(cents)}"


def date_keys(day: dt.date) -> list[str]:
    return [f"{KEY_DAY}{day:%Y%m%d}", f"{KEY_MONTH}{day:%Y%m}", f"{KEY_MONTH_ANY_YEAR}{day:%m}", f"{KEY_YEAR}{day:%Y}"]


def document_keys(doc: dict[str, Any]) -> list[str]:
    """Keys for the document's date, its total, net and VAT amounts and its tags (``index_document``)."""
    keys: list[str] = [tag_key(t) for t in doc.get("tags") or () if words(t)]
    if doc.get("date"):
        keys += date_keys(dt.date.fromisoformat(doc["date"]))
    for amount in doc.get("amounts") or ():
        key = amount_key(amount)
        if key not in keys:
            keys.append(key)
    return keys


def tag_key(tag: str) -> str:
    return KEY_TAG + "".join(words(tag))


def correspondent_key(vat: str) -> str:
    """One key per counterparty whichever way its VAT id was printed: 'IT00743110157' and
    '00743110157' are the same Italian company."""
    forms = vat_forms(vat)
    if not forms:
        return ""
    return forms[0][2:] if re.fullmatch(r"IT\d{11}", forms[0]) else forms[0]


def vat_forms(value: str) -> list[str]:
    """A VAT id with and without its country prefix: 'IT00743110157' and '00743110157'."""
    compact = re.sub(r"[\s.\-]", "", value).upper()
    if not compact:
        return []
    forms = [compact]
    if re.fullmatch(r"[A-Z]{2}\w+", compact):
        forms.append(compact[2:])
    elif compact.isdigit():
        forms.append("IT" + compact)
    return forms


# -- one filter value ---------------------------------------------------------------------------
def parse_amount(text: str | Decimal | float | None) -> Decimal | None:
    """An amount typed the Italian or English way: 1451,80 · 1451.80 · 1.451,80 · € 1.451,80."""
    if text is None or isinstance(text, Decimal | float | int):
        return None if text is None else Decimal(str(text)).quantize(Decimal("0.01"))
    raw = str(text).strip()
    if not raw:
        return None
    match = _AMOUNT_TEXT.match(raw)
    if not match:
        raise QueryValueError(f"{raw!r} is not an amount: write it as 1451,80, 1.451,80 or 1451.80")
    num = match.group("num").replace("−", "-")
    last = max(num.rfind("."), num.rfind(","))
    if last >= 0 and len(num) - last - 1 in (1, 2):
        digits = re.sub(r"[.,]", "", num[:last]) + "." + num[last + 1:]
    else:
        digits = re.sub(r"[.,]", "", num)  # 1.451 is one thousand four hundred fifty-one
    try:
        value = Decimal(digits).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise QueryValueError(f"{raw!r} is not an amount: write it as 1451,80, 1.451,80 or 1451.80") from None
    if abs(value) >= Decimal("1e12"):
        raise QueryValueError(f"{raw!r} is too large for an amount")
    return value


def parse_period(text: str | dt.date | None) -> tuple[dt.date, dt.date] | None:
    """The days a typed date stands for: one day, a month ("settembre 2025", "09/2025") or a year.

    Numeric dates are day first (03/09/2025 is the 3rd of September), ISO 2025-09-03 too.
    """
    if text is None or isinstance(text, dt.date):
        return None if text is None else (text, text)
    raw = " ".join(str(text).split())
    if not raw:
        return None
    for pattern, read in ((_ISO_DAY, lambda m: _safe_date(int(m[1]), int(m[2]), int(m[3]))),
                          (_NUMERIC_DAY, lambda m: _safe_date(_year(m[3]), int(m[2]), int(m[1]))),
                          (_NAMED_DAY, lambda m: _safe_date(int(m[3]), MONTHS[fold(m[2])], int(m[1])))):
        match = pattern.fullmatch(raw)
        if match:
            day = read(match)
            if day is None:
                raise QueryValueError(f"{raw!r} is not a date that exists")
            return day, day
    month = _NAMED_MONTH.fullmatch(raw)
    numeric = _NUMERIC_MONTH.fullmatch(raw)
    if month or numeric:
        if month:
            year, number = int(month[2]), MONTHS[fold(month[1])]
        else:
            year, number = (int(numeric[2]), int(numeric[1])) if numeric[1] else (int(numeric[3]), int(numeric[4]))
        if not 1 <= number <= 12 or year not in YEARS:
            raise QueryValueError(f"{raw!r} is not a month that exists")
        return dt.date(year, number, 1), dt.date(year, number, calendar.monthrange(year, number)[1])
    if raw.isdigit() and len(raw) == 4 and int(raw) in YEARS:
        return dt.date(int(raw), 1, 1), dt.date(int(raw), 12, 31)
    raise QueryValueError(f"{raw!r} is not a date: write it as 03/09/2025, 3 settembre 2025, settembre 2025 or 2025")


def parse_date_from(text: str | dt.date | None) -> dt.date | None:
    period = parse_period(text)
    return period[0] if period else None


def parse_date_to(text: str | dt.date | None) -> dt.date | None:
    period = parse_period(text)
    return period[1] if period else None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _year(raw: str) -> int:
    year = int(raw)
    return year + (2000 if year < 70 else 1900) if len(raw) == 2 else year
