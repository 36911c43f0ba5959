"""Contract fields: the parties, the dates (agreement, effective, expiration), the renewal term
and the governing law.

Contracts say these things in sentences, not beside labels: "This Agreement is made as of May
1, 2019 by and between ACME Inc., a Delaware corporation (the "Company"), and John Smith",
"... shall be governed by the laws of the State of New York". The phrases that introduce each
value are in ``config/fields.toml`` per language; the grammar around them is here.
"""

from __future__ import annotations

import datetime as dt
import re

from ..records import ExtractedField
from .dates import find_dates
from .parties import contract_parties, phrase_pattern
from .labelled import Reading, make_field
from .layout import Layout, Span
from .vocabulary import Vocabulary

# How far into the document the opening clause may sit, and how far a party list may run.
_OPENING_CHARS = 5000


class _Text:
    """The document as one string, with a map from character offsets back to lines."""

    def __init__(self, layout: Layout):
        parts: list[str] = []
        self.starts: list[int] = []
        self.spans: list[Span] = layout.spans()
        offset = 0
        for span in self.spans:
            text = " ".join(span.text.split())
            self.starts.append(offset)
            parts.append(text)
            offset += len(text) + 1
        self.text = " ".join(parts)

    def span_at(self, offset: int) -> Span | None:
        import bisect

        index = bisect.bisect_right(self.starts, offset) - 1
        return self.spans[index] if 0 <= index < len(self.spans) else None


def extract(layout: Layout, vocab: Vocabulary, *, language: str | None, today: dt.date) -> dict[str, ExtractedField]:
    rules = {name: vocab.rules("contract", name) for name in ("parties", "dates", "governing_law", "renewal_term")}
    month_first = language in rules["dates"].get("month_first_languages", ["en"])
    doc = _Text(layout)
    fields: dict[str, ExtractedField] = {}

    parties = _parties(doc, rules["parties"])
    if parties:
        names, span = parties
        fields["parties"] = ExtractedField(value=names, raw="; ".join(names), confidence=0.6,
                                           page=span.page.number if span else 1, box=span.box if span else None)

    dates = rules["dates"]
    found = {
        "agreement_date": _phrase_date(doc, dates.get("agreement_date", []), month_first=month_first, earliest=True,
                                       limit=_OPENING_CHARS),
        "effective_date": _phrase_date(doc, dates.get("effective_date", []), month_first=month_first),
        "expiration_date": _phrase_date(doc, dates.get("expiration_date", []), month_first=month_first),
    }
    fields.update({name: f for name, f in found.items() if f is not None})
    if "agreement_date" not in fields:
        opening = doc.text[:_OPENING_CHARS]
        first = find_dates(opening, month_first=month_first)
        if first:
            value, raw, pos = first[0]
            fields["agreement_date"] = _field(value, raw, doc.span_at(pos), 0.35)
        else:
            signed = _signature_date(doc, dates, month_first=month_first)
            if signed is not None:
                fields["agreement_date"] = signed
    if "effective_date" not in fields and "agreement_date" in fields:
        # A contract without its own effective date takes effect when it is made.
        fields["effective_date"] = fields["agreement_date"].model_copy(
            update={"confidence": round(fields["agreement_date"].confidence * 0.7, 3)})

    law = _governing_law(doc, rules["governing_law"])
    if law is not None:
        fields["governing_law"] = law
    renewal = _renewal(doc, rules["renewal_term"])
    if renewal is not None:
        fields["renewal_term"] = renewal
    return fields


def _field(value, raw: str, span: Span | None, confidence: float) -> ExtractedField:
    return make_field(Reading(value, raw), span, confidence)


# -- parties -----------------------------------------------------------------------------------
def _parties(doc: _Text, rules: dict) -> tuple[list[str], Span | None] | None:
    names = contract_parties(doc.text, rules)
    if not names:
        return None
    first = doc.text.find(names[0])
    return names, doc.span_at(first) if first >= 0 else None


# -- dates -------------------------------------------------------------------------------------
def _phrase_date(doc: _Text, phrases: list[str], *, month_first: bool, earliest: bool = False,
                 limit: int | None = None) -> ExtractedField | None:
    """A date within a few words after a phrase (or just before it, for a defined term).

    With ``earliest`` the hit that comes first in the text wins (the preamble's date comes before
    the dates of agreements it mentions); otherwise the first phrase in vocabulary order that
    has a hit.
    """
    text = doc.text if limit is None else doc.text[:limit]
    hits: list[tuple[int, int, object, str]] = []  # position, rank, value, raw
    for rank, phrase in enumerate(phrases):
        defined = phrase.startswith("=")  # '=(the "Effective Date")': the date stands before the term
        body = phrase.lstrip("=")
        for match in re.finditer(phrase_pattern(body), text, re.I):
            if defined:
                window = text[max(0, match.start() - 80) : match.start()]
                dates = find_dates(window, month_first=month_first)
                if dates:
                    value, raw, pos = dates[-1]
                    hits.append((match.start() - 80 + pos, rank, value, raw))
                    break
                continue
            window = text[match.end() : match.end() + 60]
            dates = find_dates(window, month_first=month_first)
            if dates and dates[0][2] <= 25:
                value, raw, pos = dates[0]
                hits.append((match.end() + pos, rank, value, raw))
                break
        if hits and not earliest:
            break
    if not hits:
        return None
    position, rank, value, raw = min(hits, key=lambda h: (h[0], h[1])) if earliest else hits[0]
    return _field(value, raw, doc.span_at(position), 0.8 - 0.02 * min(rank, 10))


def _signature_date(doc: _Text, rules: dict, *, month_first: bool) -> ExtractedField | None:
    """A date printed by the signatures ("Date: 8/11/08") when the text gives none."""
    tail_start = max(0, len(doc.text) - 2500)
    for match in re.finditer(rules.get("signature_date", r"\b(?:date|dated)\s*:"), doc.text[tail_start:], re.I):
        dates = find_dates(doc.text[tail_start + match.end() : tail_start + match.end() + 30], month_first=month_first)
        if dates:
            value, raw, pos = dates[0]
            return _field(value, raw, doc.span_at(tail_start + match.end() + pos), 0.4)
    return None


# -- governing law -----------------------------------------------------------------------------
def _governing_law(doc: _Text, rules: dict) -> ExtractedField | None:
    """The jurisdiction whose laws govern: of every "laws of X" the one whose sentence speaks of
    governing or construing, not of where a party is incorporated."""
    for pattern in rules.get("expressions", []):  # explicit phrasings first
        for match in re.finditer(pattern, doc.text, re.I):
            value = _clean_jurisdiction(match.group("where"), rules)
            if value:
                return _field(value, match.group(0), doc.span_at(match.start()), 0.75)
    mention = rules.get("mention")
    if not mention:
        return None
    cues = {c.lower(): float(w) for c, w in rules.get("cues", {}).items()}
    against = [c.lower() for c in rules.get("against", [])]
    best: tuple[float, int, str, str] | None = None
    for match in re.finditer(mention, doc.text):
        value = _clean_jurisdiction(match.group("where"), rules)
        if not value:
            continue
        before = doc.text[max(0, match.start() - 160) : match.start()].lower()
        after = doc.text[match.start("where") : match.start("where") + len(value) + 40].lower()
        sentence = re.split(r"(?<=[a-z)])\.\s", before)[-1]
        near = before[-70:]
        score = sum(cues[c] for c in cues if c in sentence) + sum(cues[c] / 2 for c in cues if c in near)
        score += sum(cues[c] for c in cues if c in after)
        score -= sum(4.0 for c in against if c in near)
        if best is None or score >= best[0]:  # a tie goes to the later clause: the law clause sits at the end
            best = (score, match.start(), value, match.group(0))
    if best is None or best[0] <= 0:
        return None
    score, start, value, raw = best
    return _field(value, raw, doc.span_at(start), min(0.9, 0.4 + 0.1 * score))


_JURISDICTION_END = re.compile(
    r"(?<!\s)\s*+(?:[,.;:(]|(?<=\s)(?:without|applicable|and\s+(?!(?-i:[A-Z][a-z]+)\s*(?:[,.;:()]|$))|as|may|applies|"
    r"excluding|exclusive|regardless|in\s+effect|that|which|except|notwithstanding|"
    r"(?:shall|will)\b|for\s|to\s|in\s+(?:all|every|any)|governing|apply|irrespective|other\s+than|"
    r"including|with\s+respect)\b)", re.I)


def _clean_jurisdiction(raw: str, rules: dict) -> str:
    raw = " ".join(raw.split())
    end = _JURISDICTION_END.search(raw)
    if end:
        raw = raw[: end.start()]
    raw = re.sub(r"^(?:the\s+)?(?:(?:state|commonwealth|province|district)\s+of\s+)?(?:the\s+)?", "", raw, flags=re.I)
    raw = re.sub(r"\s+(?:state|usa|u\.s\.a\.?|united states(?: of america)?)$", "", raw, flags=re.I)  # "New York State"
    raw = raw.strip(" \"'“”")
    raw = rules.get("aliases", {}).get(raw, raw)
    words = raw.split()
    if not 1 <= len(words) <= 6 or not raw[:1].isupper():
        return ""
    return raw


# -- renewal -----------------------------------------------------------------------------------
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirty": 30, "sixty": 60, "ninety": 90}


def _renewal(doc: _Text, rules: dict) -> ExtractedField | None:
    for pattern in rules.get("expressions", []):
        match = re.search(pattern, doc.text, re.I)
        if not match:
            continue
        count = match.group("count")
        number = _NUMBER_WORDS.get(count.lower()) if not count.isdigit() else int(count)
        if number is None:
            continue
        unit = match.group("unit").lower().rstrip("s")
        successive = "successive " if re.search(r"successive|additional|consecutive|further", match.group(0), re.I) else ""
        value = f"{successive}{number} {unit}"
        return _field(value, match.group(0), doc.span_at(match.start()), 0.6)
    return None
