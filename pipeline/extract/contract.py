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
from .labelled import Reading, make_field
from .layout import Layout, Span
from .vocabulary import Vocabulary

# How far into the document the opening clause may sit, and how far a party list may run.
_OPENING_CHARS = 5000
_PARTY_CHARS = 900
_MAX_PARTIES = 6


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

    for name in ("agreement_date", "effective_date", "expiration_date"):
        found = _phrase_date(doc, rules["dates"].get(name, []), month_first=month_first)
        if found is not None:
            fields[name] = found
    if "agreement_date" not in fields:
        opening = doc.text[:_OPENING_CHARS]
        dates = find_dates(opening, month_first=month_first)
        if dates:
            value, raw, pos = dates[0]
            fields["agreement_date"] = _field(value, raw, doc.span_at(pos), 0.35)
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
    intros = sorted(rules.get("intro", ["between"]), key=len, reverse=True)  # "by and between" before "between"
    joiners = rules.get("joiners", ["and"])
    intro_re = re.compile(r"\b(?:" + "|".join(_phrase(i) for i in intros) + r")\b[:\s]+", re.I)
    opening = doc.text[:_OPENING_CHARS]
    for match in intro_re.finditer(opening):
        tail = opening[match.end() : match.end() + _PARTY_CHARS]
        names = _split_parties(tail, joiners, rules)
        if len(names) >= 2:
            return names, doc.span_at(match.end())
    return None


def _phrase(text: str) -> str:
    return r"\s+".join(map(re.escape, text.split()))


_ALIAS = re.compile(r"\((?:[^()]|\([^()]*\))*\)")  # ("Company"), (the “Seller”), (hereinafter ...)
_ABBREVIATIONS = {"inc", "ltd", "co", "corp", "no", "nos", "st", "mr", "ms", "mrs", "dr", "jr", "sr", "n.v", "b.v",
                  "s.a", "l.p", "l.l.c", "u.s", "s.p.a", "s.r.l", "p.c", "n.a", "plc", "llc", "bhd", "pte", "pty"}


def _sentence_end(text: str) -> int | None:
    """Where the first sentence of ``text`` ends (a full stop that is not an abbreviation's)."""
    for match in re.finditer(r"\.\s+(?=[A-Z(\"“])", text):
        before = text[: match.start()].split()
        last = before[-1].lower().strip(",(") if before else ""
        if last in _ABBREVIATIONS or len(last) <= 1 or re.fullmatch(r"(?:[a-z]\.)+[a-z]", last):
            continue
        return match.start()
    return None


def _split_parties(tail: str, joiners: list[str], rules: dict) -> list[str]:
    stops = rules.get("stop", ["whereas", "recitals", "witnesseth", "background"])
    stop_re = re.compile(r"\b(?:" + "|".join(map(re.escape, stops)) + r")\b", re.I)
    end = stop_re.search(tail)
    if end:
        tail = tail[: end.start()]
    sentence = _sentence_end(tail)
    if sentence is not None:
        tail = tail[:sentence]
    # Aliases and descriptions in brackets go; they may hold "and" themselves.
    flat = _ALIAS.sub(" | ", tail)
    join_re = re.compile(r"(?:,|;)?\s+(?:" + "|".join(map(re.escape, joiners)) + r")\s+|;\s*", re.I)
    chunks = join_re.split(flat)
    names: list[str] = []
    cut_re = re.compile(r"\s*(?:\||,\s*(?:an?|the|with|having|whose|located|organized|incorporated|existing|"
                        r"acting|residing|domiciled|its|each|both|on behalf)\b|,\s*(?:\d|c/o)|\s+(?:an?|each)\s+"
                        r"(?:[A-Z][a-z]+\s+)?(?:corporation|company|limited|partnership|individual|resident|"
                        r"banking|national|state|general|wholly)\b|\s+(?:located|organized|incorporated|having|with "
                        r"(?:its|offices|a place))\b|\s+(?:hereinafter|herein|referred|collectively)\b)", re.I)
    for chunk in chunks:
        chunk = chunk.strip()
        if not chunk:
            continue
        cut = cut_re.search(chunk)
        name = chunk[: cut.start()] if cut else chunk
        name = _clean_party(name)
        if name and name not in names:
            names.append(name)
        if len(names) >= _MAX_PARTIES:
            break
    return [n for n in names if _plausible_party(n)]


def _clean_party(name: str) -> str:
    name = name.strip(" ,;:\"“”'’|")
    name = re.sub(r"^(?:the\s+parties?\s*:?|each of|between|and)\s+", "", name, flags=re.I)
    name = re.sub(r"\s*,$", "", name)
    return " ".join(name.split())


def _plausible_party(name: str) -> bool:
    words = name.split()
    if not 1 <= len(words) <= 12 or len(name) > 110:
        return False
    if not any(ch.isupper() for ch in name):
        return False  # "the undersigned", "its affiliates"
    return not re.match(r"(?i)(?:this|that|such|said|the following|each|all|any)\b", name)


# -- dates -------------------------------------------------------------------------------------
def _phrase_date(doc: _Text, phrases: list[str], *, month_first: bool) -> ExtractedField | None:
    """The first date within a few words after (or just before, for a defined term) a phrase."""
    text = doc.text
    for rank, phrase in enumerate(phrases):
        defined = phrase.startswith("=")  # '="Effective Date"': the date stands before the term
        body = phrase.lstrip("=")
        for match in re.finditer(_phrase(body), text, re.I):
            if defined:
                window = text[max(0, match.start() - 80) : match.start()]
                dates = find_dates(window, month_first=month_first)
                if dates:
                    value, raw, pos = dates[-1]
                    return _field(value, raw, doc.span_at(match.start()), 0.8 - 0.02 * rank)
                continue
            window = text[match.end() : match.end() + 60]
            dates = find_dates(window, month_first=month_first)
            if dates:
                value, raw, pos = dates[0]
                if pos <= 25:
                    return _field(value, raw, doc.span_at(match.end() + pos), 0.8 - 0.02 * rank)
    return None


# -- governing law -----------------------------------------------------------------------------
def _governing_law(doc: _Text, rules: dict) -> ExtractedField | None:
    patterns = rules.get("patterns", [])
    for pattern in patterns:
        for match in re.finditer(pattern, doc.text, re.I):
            value = _clean_jurisdiction(match.group("where"))
            if value:
                return _field(value, match.group(0), doc.span_at(match.start()), 0.75)
    return None


_JURISDICTION_END = re.compile(
    r"\s*(?:[,.;:(]|\s(?:without|applicable|and\s+(?:the|any|all|shall|will|each|you|venue|jurisdiction)|"
    r"as\s+(?:applied|such|in)|excluding|exclusive|regardless|in\s+effect|that|which|except|notwithstanding|"
    r"(?:shall|will)\b|for\s|to\s|in\s+(?:all|every|any)|governing|apply|irrespective|other\s+than|"
    r"including|with\s+respect)\b)", re.I)


def _clean_jurisdiction(raw: str) -> str:
    raw = " ".join(raw.split())
    end = _JURISDICTION_END.search(raw)
    if end:
        raw = raw[: end.start()]
    raw = re.sub(r"^(?:the\s+)?(?:(?:state|commonwealth|province|republic|kingdom)\s+of\s+)?(?:the\s+)?", "", raw, flags=re.I)
    raw = raw.strip(" \"'“”")
    words = raw.split()
    if not 1 <= len(words) <= 6 or not raw[:1].isupper():
        return ""
    return raw


# -- renewal -----------------------------------------------------------------------------------
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirty": 30, "sixty": 60, "ninety": 90}


def _renewal(doc: _Text, rules: dict) -> ExtractedField | None:
    for pattern in rules.get("patterns", []):
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
