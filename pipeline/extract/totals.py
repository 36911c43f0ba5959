"""The totals block: net, VAT and total that belong together.

Each of the three usually has several candidates (a subtotal and a grand total, the VAT rate
table and the VAT total, the amount paid and the change). Arithmetic decides between them: a
net and a VAT that add up to a total are almost certainly the document's. When the VAT summary
prints one line per rate (labels listed as ``sum_labels``), the document's net and VAT are the
sums of those lines.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import product

from .labelled import Candidate, Reading

CENT = Decimal("0.01")
# Only the best few candidates of each are combined.
_TOP = 6


@dataclass(frozen=True)
class Totals:
    net: Candidate | None
    vat: Candidate | None
    total: Candidate | None
    consistent: bool  # net + VAT (+ the adjustments) = total within a cent
    adjustment: Decimal = Decimal("0")  # stamp duty, withholding tax … that make the total differ


def best_total(totals: list[Candidate]) -> Candidate | None:
    """The grand total: the largest amount among the most specific total labels found.

    A specific label ("Totale documento", "Grand total", "Bruttosumme") beats a generic one
    ("Totale", "Total"); among equals the largest wins, since subtotals are smaller.
    """
    if not totals:
        return None
    return max(totals, key=lambda c: (c.reading.value, -c.rank))


def with_sums(cands: list[Candidate], sum_labels: tuple[str, ...]) -> list[Candidate]:
    """The candidates, those of a per-rate label (printed once per VAT rate) replaced by their sum."""
    by_label: dict[str, list[Candidate]] = defaultdict(list)
    out = []
    for c in cands:
        if c.label in sum_labels:
            by_label[c.label].append(c)
        else:
            out.append(c)
    for group in by_label.values():
        first = min(group, key=lambda c: c.order)
        total = sum((c.reading.value for c in group), Decimal("0"))
        raw = " + ".join(c.reading.raw for c in sorted(group, key=lambda c: c.order))
        out.append(replace(first, reading=Reading(total, raw)))
    return out


def adjustment_sums(adjustments: list[Candidate]) -> list[Decimal]:
    """What the printed adjustments (stamp duty added, withholding tax or a discount taken off,
    a pension-fund contribution added) may make the total differ from net + VAT by: each
    counted added, subtracted or not at all, since documents print them either way round."""
    values = list(dict.fromkeys(c.reading.value for c in adjustments if c.reading.value))[:3]
    sums = {Decimal("0")}
    for value in values:
        sums |= {s + value for s in sums} | {s - value for s in sums}
    return sorted(sums - {Decimal("0")}, key=abs)


def choose(nets: list[Candidate], vats: list[Candidate], totals: list[Candidate], *,
           sum_labels: tuple[str, ...] = (), adjustments: list[Candidate] | None = None,
           per_rate: tuple[list[Candidate], list[Candidate]] = ([], [])) -> Totals:
    """The net, VAT and total to report, preferring a set that adds up, with the document's
    adjustments when it does not add up without them. ``per_rate`` holds sums of figures
    printed once per VAT rate (rate_sums.py): tried after the printed figures, never first."""
    total = best_total(totals)
    net_options = _with_extra(_ranked(with_sums(nets, sum_labels))[:_TOP], per_rate[0])
    vat_options = _with_extra(_ranked(with_sums(vats, sum_labels))[:_TOP], per_rate[1])
    if total is not None:
        target = total.reading.value
        for n, v in product(net_options, vat_options):
            if abs(n.reading.value + v.reading.value - target) <= CENT:
                return Totals(n, v, total, True)
        for extra in adjustment_sums(adjustments or []):
            for n, v in product(net_options, vat_options):
                if abs(n.reading.value + v.reading.value + extra - target) <= CENT and n.reading.value > 0:
                    return Totals(n, v, total, True, extra)
        # A grand total that nothing adds up to may be a misread; another labelled total may fit.
        for t in sorted(totals, key=lambda c: (c.rank, -c.reading.value)):
            for n, v in product(net_options, vat_options):
                if abs(n.reading.value + v.reading.value - t.reading.value) <= CENT and n.reading.value > 0:
                    if t.reading.value >= target * Decimal("0.5"):
                        return Totals(n, v, t, True)
    net = net_options[0] if net_options else None
    vat = vat_options[0] if vat_options else None
    return Totals(net, vat, total, False)


def _with_extra(options: list[Candidate], extra: list[Candidate]) -> list[Candidate]:
    seen = {c.reading.value for c in options}
    return options + [c for c in _ranked(extra) if c.reading.value not in seen][:_TOP]


def _ranked(cands: list[Candidate]) -> list[Candidate]:
    """Best label first, then values read beside the label, then reading order; one per value."""
    seen: set[Decimal] = set()
    out = []
    for c in sorted(cands, key=lambda c: (c.rank, not c.beside, c.order)):
        if c.reading.value in seen:
            continue
        seen.add(c.reading.value)
        out.append(c)
    return out
