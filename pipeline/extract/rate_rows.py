"""A VAT summary found by its arithmetic, whatever its column headings say.

A summary row prints a rate, the base taxed at it and the tax: "20% 9,270.06 1,854.01",
"19 % 823,30 156,43", "5,5% 1 200,00 66,00". The tax is the base times the rate, so such a
row proves itself: no heading is needed ("Net", "Netto", "Base HT", "Steuer" are words other
documents use for other things). The sums of the bases and of the taxes over a document's rows
are offered to ``totals.choose`` beside the printed figures, and arithmetic (net + VAT = total)
still decides: rows that are not the whole summary do not add up to the total.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from .amounts import find_amounts
from .labelled import Candidate, Reading
from .layout import Layout, Span

# "22%", "5,5 %", "7.00%": a rate, never part of a longer number.
_RATE = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d{1,2})?)\s?%")
# Half a cent of rounding either way, and a cent of slack for a row rounded from its lines.
_SLACK = Decimal("0.011")


def rate_rows(layout: Layout) -> tuple[list[Candidate], list[Candidate]]:
    """The sums of the bases and of the taxes of the document's self-proving rate rows, as net
    and VAT candidates; empty when no row proves itself. One row per rate: an items table
    that prints each line's VAT proves its rows too, and the summary under it is the later."""
    rows: dict[Decimal, tuple[Decimal, Decimal, Span]] = {}
    # A row whose tax OCR could not read ("5,5% 492,92 2ISI"): its base, the tax it implies. Used
    # only in a second sum, which the total then has to confirm.
    unread: dict[Decimal, tuple[Decimal, Decimal, Span]] = {}
    for span in layout.spans():
        if "%" not in span.text:
            continue  # most lines: no rate, nothing to read
        rates = _RATE.findall(span.text)
        if len(rates) != 1:
            continue
        rate = Decimal(rates[0].replace(",", "."))
        # The row is a band across the page, not the reader's line: on a tilted scan OCR puts
        # the right-hand columns of "20% 7,014.30 1,402.86" on a line of their own.
        text = _row_text(layout, span) if span.page.method == "ocr" else span.text
        amounts = [(value, raw) for value, raw, pos in find_amounts(_RATE.sub(" ", text))
                   if re.search(r"[.,]\d{2}$", raw) and value >= 0]
        found = _base_and_tax(rate, [value for value, _ in amounts])
        if found is not None:
            rows[rate] = (*found, span)
        elif len(amounts) == 1 and rate > 0 and span.page.method == "ocr":
            base = amounts[0][0]
            unread[rate] = (base, (base * rate / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), span)
    if not rows or all(tax == 0 for _, tax, _ in rows.values()):
        return [], []
    nets, vats = _sums(rows)
    extra = {rate: row for rate, row in unread.items() if rate not in rows}
    if extra:
        more_nets, more_vats = _sums({**rows, **extra})
        nets, vats = nets + more_nets, vats + more_vats
    return nets, vats


def _row_text(layout: Layout, span: Span) -> str:
    """The row of the span's first word as a band across the page; where two words of the band
    stand in one column (the row above drifted into it), the one level with the row."""
    anchor = span.words[0]
    middle = (anchor.y0 + anchor.y1) / 2
    kept: list = []
    for w in sorted(layout.row_words(span.page, (anchor,)), key=lambda w: abs((w.y0 + w.y1) / 2 - middle)):
        if not any(w.x0 < k.x1 and k.x0 < w.x1 for k in kept):
            kept.append(w)
    return " ".join(w.text for w in sorted(kept, key=lambda w: w.x0))


def _sums(rows: dict[Decimal, tuple[Decimal, Decimal, Span]]) -> tuple[list[Candidate], list[Candidate]]:
    ordered = sorted(rows.values(), key=lambda r: (r[2].page.number, r[2].top))
    first = ordered[0][2]
    order = (first.page.number, first.top, first.words[0].x0)
    net = sum((base for base, _, _ in ordered), Decimal(0))
    vat = sum((tax for _, tax, _ in ordered), Decimal(0))
    raw_net = " + ".join(f"{base}" for base, _, _ in ordered)
    raw_vat = " + ".join(f"{tax}" for _, tax, _ in ordered)
    return ([Candidate("net_amount", 999, order, Reading(net, raw_net), first, True, "rate rows")],
            [Candidate("vat_amount", 999, order, Reading(vat, raw_vat), first, True, "rate rows")])


def _base_and_tax(rate: Decimal, values: list[Decimal]) -> tuple[Decimal, Decimal] | None:
    """The first pair (base, tax) of the row's amounts, in printed order, with tax = base × rate."""
    for i, base in enumerate(values):
        for tax in values[i + 1 :]:
            if base > 0 and tax < base and abs(base * rate / 100 - tax) <= _SLACK:
                return base, tax
    return None
