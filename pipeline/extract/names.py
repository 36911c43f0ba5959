"""Names of companies and people where no label says "Name:": under a party's heading, or
recognised by a legal form ("S.r.l.", "GmbH", "Inc.")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..textnorm import compact
from .labelled import Reading
from .layout import Layout, Span
from .sections import Sections

# Lines under a heading that are not the name: "Dati anagrafici", "Nummer: 12", addresses.
_NOT_A_NAME = re.compile(r":|^\W*\d|@|www\.|https?:", re.I)


def name_after_heading(layout: Layout, sections: Sections, role: str,
                       skip: tuple[str, ...] = ()) -> tuple[Reading, Span] | None:
    skip_keys = {compact(s) for s in skip}
    for heading in sections.headings:
        if heading.role != role:
            continue
        page = next(p for p in layout.pages if p.number == heading.page)
        if heading.after:
            text = " ".join(w.text for w in heading.after).strip(" :;,-")
            if _looks_like_name(text):
                return Reading(text, text), Span(page, heading.after, text)
        lines = layout.lines[heading.page]
        for line in lines[heading.line_index + 1 : heading.line_index + 4]:
            words = tuple(w for w in line if heading.x0 - 5 <= w.x0 < heading.x1)
            if not words:
                continue
            text = " ".join(w.text for w in words).strip(" ,;")
            if (heading.page, lines.index(line)) in sections.heading_lines():
                break
            if _NOT_A_NAME.search(text) or compact(text) in skip_keys:
                continue
            if _looks_like_name(text):
                return Reading(text, text), Span(page, words, text)
            break
    return None


def _looks_like_name(text: str) -> bool:
    letters = sum(ch.isalpha() for ch in text)
    return 2 <= len(text) <= 80 and letters >= 0.6 * len(text.replace(" ", ""))


def company_names(layout: Layout, suffixes: list[str]) -> Iterator[tuple[Reading, Span]]:
    """Names ending in a legal form, in reading order: "Rossi Forniture B.V.", "Kaufhaus Berg GmbH & Co. KG"."""
    if not suffixes:
        return
    keys = frozenset(compact(s) for s in suffixes if compact(s))
    if not keys:
        return
    longest = max(map(len, keys))
    for span in layout.spans():
        words = span.words
        parts = [compact(w.text) for w in words]
        for end in range(len(words)):
            matched = _suffix_ending_at(parts, end, keys, longest)
            if matched is None:
                continue
            start = _name_start(words, matched)
            if start is None:
                continue
            chosen = words[start : end + 1]
            text = " ".join(w.text for w in chosen).strip(" ,;:")
            if _looks_like_name(text) and len(chosen) >= 2:
                yield Reading(text, text), Span(span.page, tuple(chosen), text)
            break


def _suffix_ending_at(parts: list[str], end: int, keys: frozenset[str], longest: int) -> int | None:
    """Index of the first word of a legal form that ends at word ``end``, if one does (``longest``:
    the longest key's length, asked once per document rather than once per word)."""
    acc = ""
    for start in range(end, max(-1, end - 4), -1):
        acc = parts[start] + acc
        if acc in keys:
            return start
        if len(acc) > longest:
            return None
    return None


def _name_start(words, suffix_start: int) -> int | None:
    """Where the name before a legal form begins: after a colon or a lower-case word (the end of
    a sentence such as "sold by"), at most six words back."""
    start = suffix_start
    while start > 0 and suffix_start - start < 6:
        prev = words[start - 1].text
        if prev.endswith(":") or not any(ch.isalpha() for ch in prev) or (prev[:1].islower() and prev.isalpha()):
            break
        start -= 1
    if start == suffix_start:
        return None
    return start
