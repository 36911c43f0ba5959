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
from ..textnorm import compact, fold
from . import contract_terms
from .contract_dates import deed_dates
from .contract_refs import refers_elsewhere
from .date_phrases import spelled
from .dates import find_dates as _find_dates
from .labelled import Reading, make_field
from .layout import Layout, Span
from .ocr_dates import repair
from .parties import contract_parties, phrase_pattern
from .party_tables import described_parties, signature_parties, table_parties
from .vocabulary import Vocabulary

# How far into the document the opening clause may sit, and how far a party list may run.
_OPENING_CHARS = 5000
# Words between a start phrase and a date that make the date an end: "effective until …".
_UNTIL = re.compile(r"(?i)\b(?:until|through|fino|sino)\b")
# How far recitals may run when nothing ends them.
_RECITALS_CHARS = 2500


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


def find_dates(text: str, *, month_first: bool = False):
    # A scanned contract's dates as printed ("March l5, 20 19"), dates spelled out ("the first day
    # of July, 2010"); both rewrites keep positions.
    return _find_dates(spelled(repair(text)), month_first=month_first)


def extract(layout: Layout, vocab: Vocabulary, *, language: str | None, today: dt.date) -> dict[str, ExtractedField]:
    rules = {name: vocab.rules("contract", name) for name in ("parties", "dates", "governing_law")}
    month_first = language in rules["dates"].get("month_first_languages", ["en"])
    # Whether a date may be told apart as another document's ("the Supply Agreement dated …").
    others = language in rules["dates"].get("reference_languages", ["en"])
    doc = _Text(layout)
    fields: dict[str, ExtractedField] = {}
    recitals = _recitals(doc.text, rules["dates"])

    parties = _parties(doc, layout, rules["parties"])
    if parties:
        names, span = parties
        fields["parties"] = ExtractedField(value=names, raw="; ".join(names), confidence=0.6,
                                           page=span.page.number if span else 1, box=span.box if span else None)

    dates = rules["dates"]
    found = {
        "agreement_date": _phrase_date(doc, dates.get("agreement_date", []), month_first=month_first, earliest=True,
                                       limit=_OPENING_CHARS, others=others, skip=recitals),
        "effective_date": _phrase_date(doc, dates.get("effective_date", []), month_first=month_first, others=others,
                                       skip=recitals, until=_UNTIL),
        "expiration_date": _phrase_date(doc, dates.get("expiration_date", []), month_first=month_first,
                                        skip=recitals),
    }
    fields.update({name: f for name, f in found.items() if f is not None})
    deed = deed_dates(doc.text[:_OPENING_CHARS])
    if deed:  # a notarial opening dates the deed in words: that is when it was made
        value, raw, pos = deed[0]
        fields["agreement_date"] = _field(value, raw, doc.span_at(pos), 0.75)
    if "agreement_date" not in fields:
        signed = _signed_on(doc, dates, month_first=month_first, skip=recitals)
        if signed is not None:
            fields["agreement_date"] = signed
    if "agreement_date" not in fields:
        # Undated in its opening: the date the signatures carry ("Date: 3/4/11"), else the
        # opening's first date that is no birth, law or other document's.
        # "Accepted and agreed as of the date first written above": the opening's date is the
        # agreement's, a "Date:" by a signature only when the countersignature came later.
        above = re.search(dates.get("date_above", r"(?!x)x"), doc.text, re.I)
        signed = None if above else _signature_date(doc, dates, month_first=month_first)
        first = _first_contract_date(doc.text[:_OPENING_CHARS], dates, month_first=month_first, others=others,
                                     skip=recitals)
        if signed is not None:
            fields["agreement_date"] = signed
        elif first:
            value, raw, pos = first
            fields["agreement_date"] = _field(value, raw, doc.span_at(pos), 0.35)
    _term(doc, fields, dates, month_first=month_first)
    if "effective_date" not in fields and "agreement_date" in fields:
        # A contract without its own effective date takes effect when it is made.
        fields["effective_date"] = fields["agreement_date"].model_copy(
            update={"confidence": round(fields["agreement_date"].confidence * 0.7, 3)})
    _expiration(doc, fields, anniversary=language in dates.get("anniversary_languages", []))

    law = _governing_law(doc, rules["governing_law"])
    if law is not None:
        fields["governing_law"] = law
    terms = contract_terms.durations(doc.text)
    initial = terms[0] if terms else None
    if initial is None and "effective_date" in fields and "expiration_date" in fields:
        # "per uguale periodo" after a term given as its two dates
        initial = contract_terms.term_between(dt.date.fromisoformat(fields["effective_date"].value),
                                              dt.date.fromisoformat(fields["expiration_date"].value))
    renewal = contract_terms.renewal(doc.text, initial)
    if renewal is not None:
        value, raw, position = renewal
        fields["renewal_term"] = _field(value, raw, doc.span_at(position), 0.55)
    return fields


def _field(value, raw: str, span: Span | None, confidence: float) -> ExtractedField:
    return make_field(Reading(value, raw), span, confidence)


# -- parties -----------------------------------------------------------------------------------
def _parties(doc: _Text, layout: Layout, rules: dict) -> tuple[list[str], Span | None] | None:
    # A parties table names them explicitly; prose is read when there is no table.
    tabled = table_parties(layout, rules)
    names = tabled if len(tabled) >= 2 else contract_parties(doc.text, rules)
    # OCR reads the joiner "E" on a line of its own as "È" (the verb), which then heads a name.
    names = [re.sub(r"^È\s+(?=[A-Z])", "", n) for n in names]
    if len(names) < 2:
        names += [n for n in tabled if n not in names]
    if len(names) < 2:
        # A table whose label column OCR lost: the signature block, then the described lines.
        for more in (signature_parties(layout, rules), described_parties(layout, rules)):
            names += [n for n in more if not any(compact(n) == compact(m) for m in names)]
            if len(names) >= 2:
                break
    # OCR reads the l of a legal form as I or 1 ("S.r.I.").
    names = [re.sub(r"\b([Ss])\.([Rr])\.[I1]\.", r"\1.\2.l.", n) for n in names]
    if not names:
        return None
    first = doc.text.find(names[0])
    return names, doc.span_at(first) if first >= 0 else None


# -- dates -------------------------------------------------------------------------------------
def _recitals(text: str, rules: dict) -> list[tuple[int, int]]:
    """Where the recitals run ("Premesso che … Tutto ciò premesso", "WHEREAS … NOW, THEREFORE"):
    the dates there are of earlier contracts, orders and registrations, not this contract's."""
    start_re, end_re = rules.get("recitals"), rules.get("recitals_end")
    if not start_re or not end_re:
        return []
    spans: list[tuple[int, int]] = []
    for match in re.finditer(start_re, text, re.I):
        if spans and match.start() < spans[-1][1]:
            continue
        end = re.compile(end_re, re.I).search(text, match.end(), match.end() + _RECITALS_CHARS)
        spans.append((match.start(), end.start() if end else match.end() + _RECITALS_CHARS))
    return spans


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


# A case-blind regex matches these as the ASCII letters, lower() does not ("İ" even grows a combining
# dot): folded first, the string test below never skips a phrase the pattern would find.
_REGEX_FOLDS = str.maketrans({"İ": "i", "ı": "i", "ſ": "s", "\u212a": "k"})


def _phrase_date(doc: _Text, phrases: list[str], *, month_first: bool, earliest: bool = False,
                 limit: int | None = None, others: bool = False,
                 skip: list[tuple[int, int]] = (), until: re.Pattern | None = None) -> ExtractedField | None:
    """A date within a few words after a phrase (or just before it, for a defined term).

    With ``earliest`` the hit that comes first in the text wins (the preamble's date comes before
    the dates of agreements it mentions); otherwise the first phrase in vocabulary order that
    has a hit. With ``others``, a date the sentence gives to another document ("the Purchase
    Agreement dated …") is passed over, and so is any phrase inside the ``skip`` spans (recitals),
    and a date ``until`` says is where something ends ("shall be effective until December 31").
    """
    text = doc.text if limit is None else doc.text[:limit]
    lowered = text.translate(_REGEX_FOLDS).lower()
    hits: list[tuple[int, int, object, str]] = []  # position, rank, value, raw
    for rank, phrase in enumerate(phrases):
        defined = phrase.startswith("=")  # '=(the "Effective Date")': the date stands before the term
        body = phrase.lstrip("=")
        if " ".join(body.split()).lower() not in lowered:
            continue  # the text is whitespace-collapsed: a phrase absent as a string cannot match
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
            if dates and dates[0][2] <= 25 and not (others and refers_elsewhere(text, match.end())) \
                    and not _inside(match.start(), skip) and not (until and until.search(window[: dates[0][2]])):
                value, raw, pos = dates[0]
                hits.append((match.end() + pos, rank, value, raw))
                break
        if hits and not earliest:
            break
    if not hits:
        return None
    position, rank, value, raw = min(hits, key=lambda h: (h[0], h[1])) if earliest else hits[0]
    return _field(value, raw, doc.span_at(position), 0.8 - 0.02 * min(rank, 10))


_SIGNING_FORMULA = re.compile(r"(?i)(?:letto|fatto|redatto)\b[\w ,]{0,40}?\bsottoscritto[.,;:]?\s+")


def _signed_on(doc: _Text, rules: dict, *, month_first: bool,
               skip: list[tuple[int, int]] = ()) -> ExtractedField | None:
    """The signature date where it is printed with its place or its own label, anywhere in the
    text: "Luogo e data: Pavia, 16-06-2025", "Milano, lì 24-05-2024", "Data di stipula: …"; a
    label cell wrapped over two lines ("Data di 19 gennaio 2025 sottoscrizione"); or a letter's
    "Brescia, 30/11/2022" on a line of its own. Never in the recitals (``skip``): "Premesso che le
    Parti hanno sottoscritto in data …" dates an earlier agreement."""
    folded = fold(doc.text)
    # Each phrase is a case-blind scan of the whole text, which the regex engine cannot start from a
    # literal (a contract's 34 phrases: ~9 ms a long contract). A phrase absent from the text with
    # its spaces made single cannot match, and a plain substring test says so in microseconds.
    spaced = " ".join(folded.split())
    hits: list[tuple[int, object, str]] = []
    for phrase in rules.get("signed_on", []):
        if fold(" ".join(phrase.split())) not in spaced:
            continue
        for match in re.finditer(r"\b" + phrase_pattern(phrase) + r"\b", folded, re.I):
            window = doc.text[match.end() : match.end() + 60]
            found = find_dates(window, month_first=month_first)
            if found and found[0][2] <= 30 and not re.search(r"(?i)nascit|birth", window[: found[0][2]]) \
                    and not _inside(match.start(), skip):
                value, raw, pos = found[0]
                hits.append((match.end() + pos, value, raw))
                break
    for match in re.finditer(rules.get("signed_clause", r"(?!x)x"), folded, re.I):
        found = find_dates(doc.text[match.end() : match.end() + 40], month_first=month_first)
        if found and found[0][2] <= 10 and not _inside(match.start(), skip):
            hits.append((match.end() + found[0][2], found[0][0], found[0][1]))
            break
    for match in re.finditer(r"\bdata\s+di\s+(?=.{6,25}?\s+(?:sottoscrizione|stipula|firma)\b)", folded, re.I):
        found = find_dates(doc.text[match.end() : match.end() + 25], month_first=month_first)
        if found and found[0][2] == 0:
            hits.append((match.end(), found[0][0], found[0][1]))
    if not hits:
        for index, span in enumerate(doc.spans):
            line = " ".join(span.text.split())
            # "Letto, confermato e sottoscritto. Milano, 26 settembre 2023" on one line
            formula = _SIGNING_FORMULA.match(line)
            offset = formula.end() if formula else 0
            line = line[offset:]
            if re.fullmatch(r"[A-Z][\w'’. ]{1,30},\s*(?:l[iì]\s*,?\s*)?\S.{4,22}", line):
                found = find_dates(line, month_first=month_first)
                if found and found[0][2] > 0 and len(line) - found[0][2] - len(found[0][1]) <= 1:
                    value, raw, pos = found[0]
                    hits.append((doc.starts[index] + offset + pos, value, raw))
                    break
    if not hits:
        return None
    position, value, raw = hits[0] if len(hits) == 1 else min(hits, key=lambda h: h[0])
    return _field(value, raw, doc.span_at(position), 0.6)


def _first_contract_date(text: str, rules: dict, *, month_first: bool, others: bool = False,
                         skip: list[tuple[int, int]] = ()):
    """The first date of the opening that is not a birth, a law, a decree, in the recitals or
    (with ``others``) another document's."""
    distractor = re.compile(rules.get("distractors", r"(?!x)x"))
    for value, raw, pos in find_dates(text, month_first=month_first):
        if not distractor.search(text[max(0, pos - 40) : pos]) and not (others and refers_elsewhere(text, pos)) \
                and not _inside(pos, skip):
            return value, raw, pos
    return None


def _term(doc: _Text, fields: dict[str, ExtractedField], rules: dict, *, month_first: bool) -> None:
    """Effective and end dates from a range ("dal 01/01/2023 al 31/12/2023") and an effective
    date that is the signature's ("dalla data di sottoscrizione")."""
    ranges = contract_terms.date_ranges(doc.text, lambda t: find_dates(t, month_first=month_first))
    if ranges:
        start, end, raw, position = ranges[0]
        span = doc.span_at(position)
        fields.setdefault("effective_date", _field(start, raw, span, 0.7))
        fields.setdefault("expiration_date", _field(end, raw, span, 0.7))
    pattern = rules.get("from_signature")
    if "effective_date" not in fields and "agreement_date" in fields and pattern:
        match = re.search(pattern, doc.text, re.I)
        if match:
            fields["effective_date"] = fields["agreement_date"].model_copy(update={"raw": match.group(0)})


def _expiration(doc: _Text, fields: dict[str, ExtractedField], *, anniversary: bool) -> None:
    """The end of a term stated as an anniversary ("on the second anniversary of the Effective
    Date") or as a duration from the effective date; the clause is kept raw."""
    effective = fields.get("effective_date")
    if "expiration_date" in fields:
        return
    found = contract_terms.anniversary(doc.text)
    if found is not None:
        years, of_effective, raw, position = found
        base = effective if of_effective else fields.get("agreement_date") or effective
        if base is not None:
            end = contract_terms.add_term(dt.date.fromisoformat(base.value), years, "year", anniversary=True)
            fields["expiration_date"] = _field(end, raw, doc.span_at(position),
                                               round(0.8 * (base.confidence or 0.5), 3))
            return
    if effective is None:
        return
    terms = contract_terms.durations(doc.text)
    if not terms:
        return
    term = terms[0]
    end = contract_terms.add_term(dt.date.fromisoformat(effective.value), term.count, term.unit,
                                  anniversary=anniversary)
    fields["expiration_date"] = _field(end, term.raw, doc.span_at(term.position),
                                       round(0.8 * (effective.confidence or 0.5), 3))


def _signature_date(doc: _Text, rules: dict, *, month_first: bool) -> ExtractedField | None:
    """A date printed by the signatures ("Date: 8/11/08") when the text gives none."""
    tail_start = max(0, len(doc.text) - 2500)
    for match in re.finditer(rules.get("signature_date", r"\b(?:date|dated)\s*:"), doc.text[tail_start:], re.I):
        dates = find_dates(doc.text[tail_start + match.end() : tail_start + match.end() + 50], month_first=month_first)
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
    adjectives = {k.lower(): v for k, v in rules.get("adjectives", {}).items()}
    if raw.lower() in adjectives:
        return adjectives[raw.lower()]
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
