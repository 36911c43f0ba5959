"""Contract fields: the parties and the agreement date, from the opening of the document."""

from __future__ import annotations

import datetime as dt
import re

from ..records import ExtractedField, Page
from .dates import find_dates
from .labelled import extract_labelled
from .vocabulary import Vocabulary

# How far into the document the opening clause may sit.
_OPENING_CHARS = 4000
# A party ends where its defined alias, address or the next party begins.
_PARTY_END = re.compile(r"\s*(?:\(|,\s*(?:a|an|una?|with|having|con sede|located|organized|incorporated)\b|;|$)", re.I)


def extract(pages: list[Page], vocab: Vocabulary, *, language: str | None, today: dt.date) -> dict[str, ExtractedField]:
    fields = extract_labelled(pages, vocab.specs("contract"), month_first=language == "en", today=today)
    opening = " ".join(" ".join(p.text.split()) for p in pages[:2])[:_OPENING_CHARS]
    parties = _parties(opening, vocab.rules("contract", "parties"))
    if parties:
        fields["parties"] = ExtractedField(value=parties, raw="; ".join(parties), confidence=0.6, page=1)
    if "agreement_date" not in fields:
        found = find_dates(opening, month_first=language == "en")
        if found:
            value, raw, _ = found[0]
            fields["agreement_date"] = ExtractedField(value=value.isoformat(), raw=raw, confidence=0.4, page=1)
    return fields


def _parties(text: str, rules: dict) -> list[str]:
    intros = rules.get("intro", ["between"])
    joiners = rules.get("joiners", ["and"])
    intros = sorted(intros, key=len, reverse=True)  # "tra le parti" before "tra"
    intro_re = re.compile(r"\b(?:" + "|".join(map(re.escape, intros)) + r")\b[:\s]+", re.I)
    join_re = re.compile(r"\s+(?:" + "|".join(map(re.escape, joiners)) + r")\s+", re.I)
    match = intro_re.search(text)
    if not match:
        return []
    tail = text[match.end() : match.end() + 800]
    parties: list[str] = []
    for chunk in join_re.split(tail, maxsplit=3)[:2]:
        end = _PARTY_END.search(chunk)
        name = chunk[: end.start()] if end else chunk
        name = name.strip(" ,;:\"“”'")  # not '.': "S.r.l." ends with one
        if 2 <= len(name) <= 120 and any(ch.isalpha() for ch in name):
            parties.append(name)
    return parties if len(parties) >= 2 else []
