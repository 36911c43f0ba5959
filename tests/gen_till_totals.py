"""Generated Malaysian tax-invoice slips (the SROIE kind) with the ways such tills print their
totals block: excluding and including GST, a subtotal with the GST and a rounding line, "TOTAL
(RM)", "Total Amount Payable", a total that names the GST it includes ("Total Incl. GST @6%"),
a rounded total, "Nett Total", "GRAND TOTAL RM"; a GST summary table under the payment, whose
"Total" row prints the net and the tax; payment by cash with change, by card, or not printed.

Each slip says its total. The tax figures follow the kind: 6 % GST included in the prices, the
amount to pay rounded to 5 cents.
"""

from __future__ import annotations

import random
from decimal import Decimal

from gen_receipts import Row, _words


def _m(value: Decimal) -> str:
    return f"{value:.2f}"


BLOCKS = {
    "excl_incl": lambda sub, gst, tot, r: [f"Total Sales (Excluding GST) : {_m(sub)}", "Discount : 0.00",
                                           f"Total GST : {_m(gst)}", f"Rounding : {_m(r)}",
                                           f"Total Sales (Inclusive of GST) : {_m(tot)}"],
    "sub_gst_total": lambda sub, gst, tot, r: [f"SUB TOTAL {_m(sub + gst)}", f"GST 6% {_m(gst)}",
                                               f"ROUNDING ADJ {_m(r)}", f"TOTAL {_m(tot)}"],
    "total_rm": lambda sub, gst, tot, r: ["TOTAL QTY: 3", f"TOTAL (RM) {_m(tot)}"],
    "payable": lambda sub, gst, tot, r: [f"Total Amount Payable {_m(tot)}"],
    "incl_rate": lambda sub, gst, tot, r: [f"Total Incl. GST @6% {_m(tot)}"],
    "incl_rate_plain": lambda sub, gst, tot, r: [f"TOTAL INCL GST 6% : {_m(tot)}"],
    "tax_line": lambda sub, gst, tot, r: [f"TOTAL : {_m(tot)}", f"Total incl. GST 6%: {_m(gst)}"],
    "rounded": lambda sub, gst, tot, r: [f"Total {_m(tot - r)}", f"Rounding Adjustment {_m(r)}",
                                         f"Rounded Total (RM) {_m(tot)}"],
    "nett": lambda sub, gst, tot, r: [f"Total Excl GST {_m(sub)}", f"GST @6% {_m(gst)}", f"Nett Total {_m(tot)}"],
    "grand": lambda sub, gst, tot, r: [f"Sub-Total {_m(sub)}", f"Service Tax 6% {_m(gst)}",
                                       f"GRAND TOTAL RM {_m(tot)}"],
}


def till_slip(seed: int, block: str, *, summary: bool = False, payment: str = "cash") -> tuple[list[Row], str]:
    """The slip's rows and its total."""
    rng = random.Random(seed)
    items = [Decimal(rng.randint(100, 3000)) / 100 for _ in range(rng.randint(1, 5))]
    gross = sum(items, Decimal("0"))
    gst = (gross * 6 / 106).quantize(Decimal("0.01"))
    total = (gross / Decimal("0.05")).quantize(Decimal("1"), rounding="ROUND_HALF_UP") * Decimal("0.05")
    rounding = total - gross
    rows = ["SYARIKAT MAJU SDN BHD", "(123456-X)", "NO 8, JALAN PERDANA", "43000 KAJANG",
            "GST REG NO : 000123456789", "TAX INVOICE", "Date : 12/03/2018 14:20"]
    rows += [f"ITEM {i} 1 {_m(p)} {_m(p)} SR" for i, p in enumerate(items)]
    rows += BLOCKS[block](gross - gst, gst, total, rounding)
    if payment == "cash":
        given = (total // 10 + 1) * 10
        rows += [f"CASH {_m(given)}", f"CHANGE {_m(given - total)}"]
    elif payment == "card":
        rows += [f"VISA {_m(total)}"]
    if summary:
        rows += ["GST Summary Amount(RM) Tax(RM)", f"SR @ 6% {_m(gross - gst)} {_m(gst)}",
                 f"Total {_m(gross - gst)} {_m(gst)}"]
    rows += ["THANK YOU"]
    return [_words(row) for row in rows], _m(total)
