"""Generated zero-rated till slips: a country's sales tax set to 0 % while its tills kept the
label ("Total Sales Inclusive GST @0.00%", "TOTAL INCL GST 0%"). The figure after the zero rate
is the amount paid. What makes the slip hard is a figure above it larger than the total: a
discount under the subtotal, or an item line OCR misread a digit higher.

Each slip says its total; nothing here is a real document.
"""

from __future__ import annotations

import random
from decimal import Decimal

from gen_receipts import Row, _words

# The zero-rated total's label as tills print it and OCR reads it (the point read as a space).
LABELS = {
    "inclusive": "Total Sales Inclusive GST @0.00% :",
    "inclusive_glued": "Total Sales Inclusive GST@0.00%",
    "incl_plain": "TOTAL INCL GST 0% :",
    "point_as_space": "Total Sales Inclusive GST @0 00% :",
    "comma": "Totale compreso IVA 0,00%",
}
# Why a figure above the total is larger than it.
ABOVE = ("discount", "misread_item")


def _m(value: Decimal) -> str:
    return f"{value:.2f}"


def zero_rated_slip(seed: int, label: str, above: str, *, payment: str = "none",
                    summary: bool = False) -> tuple[list[Row], str]:
    """The slip's rows and its total."""
    rng = random.Random(seed)
    items = [Decimal(rng.randint(150, 4000)) / 100 for _ in range(rng.randint(1, 4))]
    gross = sum(items, Decimal("0"))
    rows = ["KEDAI RUNCIT SETIA SDN BHD", "(654321-K)", "LOT 12, JALAN MAWAR", "47000 SUNGAI BULOH",
            "GST ID : 000765432109", "TAX INVOICE", "Date : 05/08/2018 11:42"]
    shown = list(items)
    discount = Decimal("0")
    if above == "discount":
        discount = (gross * Decimal(rng.choice([5, 10, 20])) / 100).quantize(Decimal("0.01"))
    else:
        # The last item's figure read a digit higher: "12.45" read "72.45" or "18.45".
        last = shown[-1]
        shown[-1] = last + Decimal(rng.choice([10, 20, 50]))
    total = gross - discount
    rows += [f"ITEM-{i + 1} 1 x {_m(p)} {_m(p)} SR" for i, p in enumerate(shown)]
    rows += [f"Sub Total {_m(gross)}"]
    if discount:
        rows += [f"Discount -{_m(discount)}"]
    rows += [f"{LABELS[label]} {_m(total)}"]
    if payment == "card":
        rows += [f"VISA {_m(total)}"]
    if summary:
        rows += ["GST Summary Amount(RM) Tax(RM)", f"SR @ 0% {_m(total)} 0.00"]
    rows += ["THANK YOU"]
    return [_words(row) for row in rows], _m(total)
