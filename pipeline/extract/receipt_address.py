"""A till slip's address, as printed across its lines.

The labels take the address the way a person copies it off the slip: every line of the address
block in reading order, joined by one space, with the slip's own punctuation and nothing else
("NO.2, JALAN TEMENGGUNG 19/9, SEKSYEN 9," / "BANDAR MAHKOTA CHERAS," / "43200 CHERAS, SELANGOR"
→ one line). So the block must start and end where the address does:

- it starts at the first line that looks like an address (a street word, a house number at the
  start, a postcode before a town) below the merchant's name. A second name line (the legal name
  under the brand) and the company registration number, alone on its line or glued to the front
  of the first address line ("002043319-W No.2, Jalan …"), are not part of it;
- it ends before what slips print under the address: a phone number with or without its label,
  a tax or registration line, a date or a time, opening hours, the receipt's own number
  ("Cash Bill: 0144…"), a price line, a title ("TAX INVOICE").
"""

from __future__ import annotations

import re

from ..records import ExtractedField
from ..textnorm import compact
from .dates import find_dates
from .labelled import Reading, make_field
from .layout import Span
from .vocabulary import Vocabulary

# Words that end an address: phone, tax and registration labels, document titles. Matched as
# whole words: "INDUSTRIAL", "HOTEL", "TELUK" and "UPDATE" are not "ust", "tel" and "date".
_STOP = (r"\b(?:tel(?:efon|ephone|p)?|fax|phone|h/?p|gst|sst|vat|p\.?\s?iva|c\.?\s?f|date|datum|data|invoice"
         r"|receipt|ricevuta|co(?:mpany)?\.?\s*reg|company\s+no|roc|ust|ust[\s.-]*id(?:nr)?|steuer(?:nr)?"
         r"|st\.?\s?nr|uid)\b|www\.|https?:|@|\bno\s*:|\b(?:outlet|branch|cawangan|filiale)\s*:")
# A phone number printed without its label: "07-355 2616", "+603-91 30 2672", "016-5498845".
_PHONE = re.compile(r"(?<![\w/-])(?:\+\d{1,3}[\s-]?)?\(?0\d{1,3}\)?[\s-]\d{2,4}(?:[\s-]?\d{2,4}){1,2}(?![\w/-])")
# A phone line: the address is printed above it, never below.
_PHONE_LABEL = re.compile(r"(?i)\b(?:tel(?:efon|ephone|p)?|fax|phone|h/?p)\b")
# A time of day or opening hours: "18:25", "9.00 Uhr - 20.00 Uhr".
_TIME = re.compile(r"(?i)\b\d{1,2}[:.]\d{2}\s*(?:uhr|h|am|pm)\b|\b\d{1,2}[:.]\d{2}\s*-\s*\d{1,2}[:.]\d{2}\b|\b\d{1,2}:\d{2}\b")
# A label with its number, the receipt's own data: "Cash Bill: 01443008", "Bill No : 01-36870".
_LABELLED_NUMBER = re.compile(r"^[^\d:]{2,24}:\s*\S*\d")
# A price at the end of a line (maybe followed by the VAT class letter): an item or a total,
# not an address.
PRICED = re.compile(r"\d[.,]\d{2} ?[A-Z]?$")
# The first line of an address: a house number at its start ("12, JALAN", "NO.2,", "19-1.", "B-8,",
# "125A TINGKAT"), a postcode before a town ("43200 CHERAS", "20121 Milano"), a British postcode.
_HOUSE_NUMBER = re.compile(r"(?i)^(?:no\.?\s*|lot\s+)?[a-z]{0,2}-?\d{1,4}[a-z]?(?:[-/&]\s?\d{1,4}[a-z]?)*(?:[,.]\s*|\s+)[a-z]")
_POSTCODE = re.compile(r"(?<![\d.,-])(?:\d{5}\s+[^\W\d_]{2,}|\d{4}\s+[^\W\d_]{3,})|\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b")
POSTCODE = _POSTCODE
# A street and house number, the street word often compounded ("Pohlweg 110", "Warburger
# Straße 130", OCR's "StraBe"/"Strafe").
STREET_LINE = re.compile(r"(?i)^(?:\S+ ){0,3}\S*(?:weg|stra(?:ss|ß|b|f)e|str\.|platz|allee|gasse|damm|ufer|chaussee)"
                         r" \d{1,4}(?: ?[a-z])?$")
# A street line whose last word is its house number ("Am Anger 3", "Hauptmarkt 5a").
_ENDS_IN_NUMBER = re.compile(r"(?i)[a-z]\S*\s+\d{1,4}\s?[a-z]?$")
# Words that introduce a registration number ("ROC:", "BR No.:", "Company Reg. No. :").
_REG_WORDS = {"roc", "br", "co", "reg", "company", "registration", "regno", "no", "id", "business", "coreg"}
# What the page's edges and borders leave around a line: bars, arrows, lone specks.
# (Each run is tried from its first character only: a long run of dashes mid-line stays linear.)
_EDGES = re.compile(r"^[\s|>~<_=—–•·*]+|(?<![\s|>~<_=—–•·*])[\s|>~<_=—–•·*]+$")
_BARS = re.compile(r"(?<!\S)[|¦]+(?!\S)")
_SPECK = re.compile(r"(?<!\s)\s+[a-z]{1,2}$")
# A speck read as a lone small or accented letter at either end of a line ("i NO 4,", "Johor i", "… È").
_EDGE_SPECK = re.compile(r"^(?:[a-z]|[^\x00-\x7f])\s+(?=\S)|(?<=\S)\s+(?:[a-z]|[^\x00-\x7f])$")
_MAX_LINES = 6
_LEAD_IN = 2  # lines between the name and the address that are neither (legal name, slogan, branch)


def receipt_address(spans: list[Span], name_index: int | None, vocab: Vocabulary, *,
                    header_lines: int = 8) -> ExtractedField | None:
    """The address block under the merchant's name; with no name in the header (a graphical
    logo, the legal name in the footer), or nothing address-like under it, the first address
    block of the slip's header."""
    rules = vocab.rules("receipt", "address")
    look = _Look(re.compile(rules.get("stop", _STOP), re.I),
                 {w.casefold() for w in vocab.rules("receipt", "merchant").get("address_words", [])},
                 [compact(s) for s in vocab.rules("receipt", "merchant").get("not_names", [])])
    in_header = name_index is not None and name_index < header_lines
    windows = [spans[name_index + 1 : name_index + 1 + header_lines], spans[:name_index]] if in_header \
        else [spans[: header_lines + _MAX_LINES]]
    for window in windows:
        lines = _block(window, look)
        if lines:
            text = " ".join(t for _, t in lines)
            words = tuple(w for s, _ in lines for w in s.words)
            return make_field(Reading(text, text), Span(lines[0][0].page, words, text), 0.4)
    return None


class _Look:
    """What tells address lines from the rest, from the vocabulary."""

    def __init__(self, stop: re.Pattern, street_words: set[str], not_names: list[str]):
        self.stop, self.street_words, self.not_names = stop, street_words, not_names

    def starts(self, text: str, following: str = "") -> bool:
        """The first line of an address: a street word, a house number at its start, a postcode
        before a town; or a line ending in a house number right above the postcode and town
        ("Am Anger 3" / "80331 München": no street word to go by)."""
        if not text or sum(ch.isalpha() for ch in text) < 2:
            return False
        words = {w.casefold().strip(",.:;()") for w in re.split(r"[\s,]+", text)}
        if words & self.street_words or _HOUSE_NUMBER.search(text) or _POSTCODE.search(text) \
                or STREET_LINE.search(text):
            return True
        return street_above_postcode(text, following)

    def title(self, text: str) -> bool:
        key = compact(text)
        return any(k and (k == key or (len(k) > 4 and key.startswith(k))) for k in self.not_names)

    def end(self, text: str) -> int | None:
        """Where the address ends inside this line (0: the whole line is something else). An
        address line may carry the phone or tax number after it ("… SELANGOR Tel: 03-…"); a line
        with a time or a date ("OPEN 10:00 AM - 10:00 PM") is no address line at all."""
        if _TIME.search(text) or find_dates(text):
            return 0
        ends = [m.start() for pattern in (self.stop, _PHONE) if (m := pattern.search(text))]
        return min(ends) if ends else None


def street_above_postcode(text: str, following: str) -> bool:
    """A line ending in a house number right above the postcode and town is the street, whatever
    its street word or whether OCR kept it ("Am Anger 3", "Pohlwea 110" / "80331 München")."""
    return bool(_ENDS_IN_NUMBER.search(text)) and bool(_POSTCODE.match(following.strip()))


def _block(spans: list[Span], look: _Look) -> list[tuple[Span, str]]:
    lines: list[tuple[Span, str]] = []
    texts = [_clean(span.text) for span in spans]
    lead_in = 0
    for index, (span, text) in enumerate(zip(spans, texts)):
        if not text:
            continue  # a registration number or a border alone on its line
        if not lines:
            if _PHONE_LABEL.search(text) or _PHONE.search(text):
                return []
            text = _after_registration(text)
            if not text:
                continue
            if PRICED.search(text) or look.title(text):
                return []
            following = next((t for t in texts[index + 1 :] if t), "")
            end = look.end(text)
            head = text if end is None else text[:end].rstrip(" ,;:-|(")
            if not look.starts(head, following):
                # A second name line, a tax line, a slogan, the date OCR read out of its place:
                # the address is further down.
                lead_in += 1
                if lead_in > _LEAD_IN:
                    return []
                continue
        else:
            if PRICED.search(text) or _LABELLED_NUMBER.search(text) or look.title(text) \
                    or _after_registration(text) != text:
                return lines  # the registration number under the address ends it too
            end = look.end(text)
            head = text if end is None else text[:end].rstrip(" ,;:-|(")
        # A title with a stop word ("SALES RECEIPT") is no address line; an address line with
        # the phone or tax number after it ("… SELANGOR Tel: 03-…") keeps its address part.
        if sum(ch.isalnum() for ch in head) >= 2 and (end is None or re.search(r"\d", text[end:])):
            lines.append((span, head))
        if end is not None or len(lines) >= _MAX_LINES:
            return lines
    return lines


def _clean(text: str) -> str:
    text = _EDGES.sub("", _BARS.sub(" ", " ".join(text.split())))
    speck = _SPECK.search(text)
    if speck and text[: speck.start()].isupper():
        text = text[: speck.start()]  # "47100 PUCHONG, SELANGOR di": a speck beside a capitals line
    if len(text.split()) > 2:
        text = _EDGE_SPECK.sub("", text)
    return " ".join(text.split())


def is_registration(token: str) -> bool:
    """A company registration number: six digits or more, or five with a check letter or in
    brackets ("(562007-D)", "002043319-W", "JM0517726", "96585/-A", "122703:"); never a bare
    postcode ("43200") or a house number ("122.124.")."""
    core = token.strip("({[<>]}):;.,|")
    match = re.fullmatch(r"(?i)([a-z]{0,3})(\d[\d£]*)(?:\s?[-/]+\s?([a-z]))?", core)
    if not match:
        return False
    digits = sum(ch.isdigit() for ch in match.group(2))
    return digits >= 6 or (digits == 5 and bool(match.group(3) or token[:1] in "({[<"))


def _after_registration(text: str) -> str:
    """A line with the company's registration number in it starts its address after the number:
    "002043319-W No.2, Jalan …", "Roc: 1026984-X No.29M, …", "JIAWEI HOUSE 002693074-K 13, JLN …"."""
    tokens = text.split()
    for index in range(len(tokens) - 1, -1, -1):
        if is_registration(tokens[index]):
            rest = tokens[index + 1 :]
            # What is left of the bracket and the check letter: "P)", "-K)", ")".
            while rest and len(compact(rest[0])) <= 1 and not rest[0].isalnum():
                rest = rest[1:]
            return " ".join(rest)
    if tokens and all(compact(t) in _REG_WORDS or not compact(t) for t in tokens):
        return ""  # "ROC :", its number on the next line
    return text
