"""The taxable base and the VAT of an invoice that prints them only per VAT rate.

An Italian "Riepilogo IVA" (and its equivalents elsewhere) prints one line or one table row per
rate — "Imponibile 22% 1.000,00 / Imponibile 10% 500,00" or a column "Imponibile" under which
each rate has its row — and often no total net at all. The document's net is then the sum of
those figures. The sums are offered to ``totals.choose`` as extra candidates: arithmetic (net +
VAT [+ adjustments] = total) decides whether they are the document's, so a sum of figures that
were not per-rate lines is never taken on its own.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from .labelled import Candidate, Reading, read_amount
from .layout import Layout

# A VAT summary rarely has more rows than this; reading further would run into other tables.
MAX_ROWS = 8


def per_rate_sums(layout: Layout, cands: list[Candidate]) -> list[Candidate]:
    return _repeated_labels(cands) + _columns(layout, cands)


def _repeated_labels(cands: list[Candidate]) -> list[Candidate]:
    """A label printed on several lines, once per rate: the sum of one value per line."""
    by_label: dict[str, dict[tuple[int, float], Candidate]] = {}
    for c in cands:
        if c.hit is not None and isinstance(c.reading.value, Decimal):
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
    return any(sum(ch.isalpha() for ch in w.text) >= 3 for w in layout.row_words(span.page, span.words))


def _summed(group: list[Candidate]) -> Candidate:
    total = sum((c.reading.value for c in group), Decimal("0"))
    return replace(group[0], reading=Reading(total, " + ".join(c.reading.raw for c in group)))
