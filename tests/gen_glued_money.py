"""Generated Malaysian till slips that print their money glued to the currency ("TOTAL RM5.00",
"CASH RM10.00", "CHANGE RM0.40"), as OCR reads a till font: the figure's leading digits taken for
the letters they look like ("RMS.00", "RMO.40", "RMl2.50", "RMB.90"), the decimal point read as a
colon ("RMS:00") or followed by a space ("RMS. 00"). Each slip says its total; nothing here is a
real document."""

from __future__ import annotations

import random
from decimal import Decimal

from gen_receipts import Row, _words

# Digit -> the letter OCR reads for it in a till font.
LOOK_ALIKE = {"5": "S", "0": "O", "1": "l", "8": "B"}
# How the point after the misread digits is read.
POINTS = {"plain": ".", "colon": ":", "spaced": ". "}


def _m(value: Decimal) -> str:
    return f"{value:.2f}"


def _misread(figure: str, point: str) -> str:
    """The figure's whole part with every look-alike digit read as its letter, then the point."""
    whole, cents = figure.split(".")
    return "".join(LOOK_ALIKE.get(d, d) for d in whole) + POINTS[point] + cents


def glued_slip(seed: int, *, point: str = "plain", misread: tuple[str, ...] = ("total", "cash", "change"),
               payment: str = "cash") -> tuple[list[Row], str]:
    """The slip's rows and its total. Only figures whose whole part holds a look-alike digit are
    misread: the total is drawn so that it does (5.xx, 10.xx, 18.xx, 0.xx change)."""
    rng = random.Random(seed)
    whole = rng.choice([5, 8, 10, 15, 18, 50, 51, 105])
    total = Decimal(whole) + Decimal(rng.randint(0, 19) * 5) / 100
    items = [total]
    if total > 6:
        first = (total / 2).quantize(Decimal("0.05"))
        items = [first, total - first]
    given = Decimal((int(total) // 10 + 1) * 10)
    rows = ["RESTORAN SELERA KITA", "NO 3, JALAN BESAR", "81200 JOHOR BAHRU", "Date : 14/05/2018 13:05"]
    rows += [f"MAKANAN {i + 1} RM{_m(p)}" for i, p in enumerate(items)]

    def money(line: str, value: Decimal) -> str:
        figure = _m(value)
        return f"RM{_misread(figure, point) if line in misread else figure}"

    rows += [f"TOTAL {money('total', total)}"]
    if payment == "cash":
        rows += [f"CASH {money('cash', given)}", f"CHANGE {money('change', given - total)}"]
    rows += ["TERIMA KASIH"]
    return [_words(row) for row in rows], _m(total)


def dollar_slip(seed: int, *, misread: str = "5", payment: str = "cash") -> tuple[list[Row], str]:
    """A till that prints "$" before its figures, its net total's sign read as ``misread`` (5, S
    or 8): "Total Amount: $8.20" over "Nett Total: 58.20". The slip's rows and its total."""
    rng = random.Random(seed)
    items = [Decimal(rng.randint(150, 2400)) / 100 for _ in range(rng.randint(1, 3))]
    total = sum(items, Decimal("0"))
    rows = ["KEDAI KOPI MESRA", "Invoice # : OR1803120217", "Date : 12/03/2018 13:05"]
    rows += [f"ITEM {i + 1} 1 ${_m(p)}" for i, p in enumerate(items)]
    rows += [f"Total Amount: ${_m(total)}", f"Nett Total: {misread}{_m(total)}"]
    if payment == "cash":
        given = Decimal((int(total) // 10 + 1) * 10)
        rows += [f"CASH ${_m(given)}", f"Change ${_m(given - total)}"]
    rows += ["THANK YOU"]
    return [_words(row) for row in rows], _m(total)
