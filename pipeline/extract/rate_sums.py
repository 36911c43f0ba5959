"""The taxable base and the VAT of an invoice that prints them only per VAT rate.

An Italian "Riepilogo IVA" (and its equivalents elsewhere) prints one line or one table row per
rate — "Imponibile 22% 1.000,00 / Imponibile 10% 500,00" or a column "Imponibile" under which
each rate has its row — and often no total net at all. The document's net is then the sum of
those figures. The sums are offered to ``totals.choose`` as extra candidates: arithmetic (net +
VAT [+ adjustments] = total) decides whether they are the document's, so a sum of figures that
were not per-rate lines is never taken on its own.

A rate that carries no VAT is printed with its nature instead of a rate ("N4", "Esente art. 10",
"Non imponibile art. 8", "Exempt", "steuerfrei"): its base is part of the net all the same, so
such a row neither ends a column nor is left out of a summary printed as lines.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from ..textnorm import fold
from .labelled import Candidate, Reading, read_amount
from .layout import Layout

# A VAT summary rarely has more rows than this; reading further would run into other tables.
MAX_ROWS = 8

# What a VAT summary prints for a base without VAT: the FatturaPA nature code or its words, in
# the languages the vocabulary reads (on folded text).
_NATURE = re.compile(
    r"(?<![a-z0-9])n[1-7](?:\.\d{1,2})?(?![a-z0-9])|esent[ei]|esenzion|non imponibil|non soggett|esclus[eoi]\b|"
    r"fuori campo|inversione contabile|reverse[ -]?charge|regime del margine|scissione dei pagamenti|"
    r"exempt|zero[ -]rated|outside the scope|steuerfrei|steuerbefreit|nicht steuerbar|exoner|autoliquidation|"
    r"vrijgesteld|btw verlegd")
_RATE = re.compile(r"(?<![\d.,])\d{1,2}(?:[.,]\d{1,2})?\s?%")


def per_rate_sums(layout: Layout, cands: list[Candidate]) -> list[Candidate]:
    return _repeated_labels(cands) + _with_nature_lines(layout, cands) + _columns(layout, cands)


def _repeated_labels(cands: list[Candidate]) -> list[Candidate]:
    """A label printed on several lines, once per rate: the sum of one value per line."""
    by_label: dict[str, dict[tuple[int, float], Candidate]] = {}
    for c in cands:
        if c.hit is not None and isinstance(c.reading.value, Decimal) and not _nature_line(c.hit.line):
            # "Outside the scope of VAT 300.00" holds the word VAT but prints a base without any.
            by_label.setdefault(c.label, {}).setdefault((c.order[0], round(c.order[1])), c)
    out = []
    for lines in by_label.values():
        if len(lines) >= 2:
            out.append(_summed(sorted(lines.values(), key=lambda c: c.order)))
    return out


def _columns(layout: Layout, cands: list[Candidate]) -> list[Candidate]:
    """A column heading with one figure per rate under it: the figures down to the first row
    that holds none or that is labelled in words ("Totale documento" under the column is the
    total, not one more rate)."""
    out = []
    for c in cands:
        if c.beside or c.hit is None:
            continue
        readings = []
        for span in layout.below(c.hit, max_lines=MAX_ROWS, reach=1.5):
            reading = read_amount(span.text)
            if reading is None or _labelled_row(layout, span):
                break
            readings.append(reading)
        if len(readings) >= 2:
            total = sum((r.value for r in readings), Decimal("0"))
            out.append(replace(c, reading=Reading(total, " + ".join(r.raw for r in readings))))
    return out


def _labelled_row(layout: Layout, span) -> bool:
    """A row named in words ("Totale documento"): the column's per-rate rows end there. A
    nature's words ("0% N4 Esente art. 10") name a rate without VAT, not the end."""
    row = layout.row_words(span.page, span.words)
    if not any(sum(ch.isalpha() for ch in w.text) >= 3 for w in row):
        return False
    return not _NATURE.search(fold(" ".join(w.text for w in row)))


def _with_nature_lines(layout: Layout, cands: list[Candidate]) -> list[Candidate]:
    """A summary printed as lines, "Imponibile 22% 1.000,00" beside "Esente art. 10 300,00": the
    bases of the rate lines plus those of the nature lines in the same block of lines (the block
    runs on while each line prints a rate or a nature). Only bases: a nature has no VAT."""
    by_label: dict[str, list[Candidate]] = {}
    for c in cands:
        if c.field == "net_amount" and c.hit is not None and c.beside and isinstance(c.reading.value, Decimal) and _on_rate_line(c):
            by_label.setdefault(c.label, []).append(c)
    out = []
    for group in by_label.values():
        group = sorted({(c.hit.page.number, c.hit.line_index): c for c in group}.values(), key=lambda c: c.order)
        page = group[0].hit.page
        if any(c.hit.page is not page for c in group):
            continue
        lines = layout.lines[page.number]
        own = {c.hit.line_index for c in group}
        first, last = min(own), max(own)
        while first > 0 and _summary_line(lines[first - 1]) and last - first < 2 * MAX_ROWS:
            first -= 1
        while last + 1 < len(lines) and _summary_line(lines[last + 1]) and last - first < 2 * MAX_ROWS:
            last += 1
        natures = []
        for index in range(first, last + 1):
            if index in own or not _nature_line(lines[index]):
                continue
            reading = read_amount(lines[index][-1].text)
            if reading is not None:
                natures.append(reading)
        if natures:
            total = sum((c.reading.value for c in group), Decimal("0")) + sum((r.value for r in natures), Decimal("0"))
            raw = " + ".join([c.reading.raw for c in group] + [r.raw for r in natures])
            out.append(replace(group[0], reading=Reading(total, raw)))
    return out


def _nature_line(line) -> bool:
    return bool(_NATURE.search(fold(" ".join(w.text for w in line))))


def _on_rate_line(c: Candidate) -> bool:
    """The label names a rate on its line ("Imponibile 22%", "Net amount 20%")."""
    return bool(_RATE.search(" ".join(w.text for w in c.hit.line)))


def _summary_line(line) -> bool:
    """A line of a VAT summary: it prints a rate or a nature, and ends with an amount."""
    text = " ".join(w.text for w in line)
    if read_amount(line[-1].text) is None:
        return False
    return bool(_RATE.search(text)) or _nature_line(line)


def _summed(group: list[Candidate]) -> Candidate:
    total = sum((c.reading.value for c in group), Decimal("0"))
    return replace(group[0], reading=Reading(total, " + ".join(c.reading.raw for c in group)))
