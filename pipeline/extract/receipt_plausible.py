"""Whether a receipt's total can be what the slip says was bought.

A total many times all the slip's other money figures together is a misread, not a purchase: a
decimal point OCR lost ("1203" for 12.03), a phone number or a barcode read as money. Only
figures printed with cents count as money here: a postcode ("81200") or a phone number is not a
price, and counting it would let any total pass.

A lost decimal point is repaired when the slip itself confirms the repaired figure (printed
again with its cents on a card or cash line, the sum of the lines above the total, or what the
subtotal and the charges, tax, discount and rounding under it come to); the
repaired value still goes to review. Any other implausible total keeps its value, marked
invalid, with its confidence halved: a person looks at it rather than filing a wild value as
if sure.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..records import ExtractedField
from .amounts import find_amounts
from .layout import Layout
from .receipt_totals import running_total

# A total more than this many times every other priced figure of the slip together is a misread.
IMPLAUSIBLE_FACTOR = 10
_WITH_CENTS = re.compile(r"\d[.,]\s?\d\d-?$")
_HAS_POINT = re.compile(r"\d[.,]\s?\d")
# Below the review threshold: a repaired figure is a guess a person should confirm.
_REPAIRED_CONFIDENCE = 0.45


def plausible_total(layout: Layout, total: ExtractedField) -> ExtractedField:
    value = Decimal(str(total.value))
    spans = layout.spans()
    priced: list[tuple[int, Decimal]] = [
        (index, amount) for index, span in enumerate(spans)
        for amount, raw, _ in find_amounts(span.text) if amount > 0 and _WITH_CENTS.search(raw)]
    others = sum((amount for _, amount in priced), Decimal("0"))
    if any(amount == value for _, amount in priced):
        others -= value  # the total's own line
    if others <= 0 or value <= others * IMPLAUSIBLE_FACTOR:
        return total
    if not _HAS_POINT.search(total.raw or ""):
        repaired = (value / 100).quantize(Decimal("0.01"))
        line = max((i for i, s in enumerate(spans) if any(raw == total.raw for _, raw, _ in find_amounts(s.text))),
                   default=len(spans))
        above = sum((amount for index, amount in priced if index < line), Decimal("0"))
        if repaired == above or any(amount == repaired for index, amount in priced if index != line) \
                or _comes_to(spans, line, repaired):
            return total.model_copy(update={
                "value": f"{repaired:.2f}", "valid": None,
                "error": f"total read as {total.raw}: its decimal point restored from the slip's other figures",
                "confidence": round(min(total.confidence or 1.0, _REPAIRED_CONFIDENCE), 3)})
    error = (f"total {value:.2f} is more than {IMPLAUSIBLE_FACTOR} times all the slip's other figures "
             f"together ({others:.2f}, figures printed with cents)")
    return total.model_copy(update={"valid": False, "error": error,
                                    "confidence": round((total.confidence or 0.5) * 0.5, 3)})


def _comes_to(spans: list, line: int, repaired: Decimal) -> bool:
    """The repaired figure is what the subtotal and the service charge, tax, discount or rounding
    printed under it come to (``receipt_totals.running_total``), read on the total's line."""
    figures, at = [], None
    for index, span in enumerate(spans):
        if index == line:
            at = len(figures)
            figures.append(repaired)
            continue
        money = [amount for amount, raw, _ in find_amounts(span.text) if _WITH_CENTS.search(raw)]
        if money:
            figures.append(money[-1])
    return at is not None and running_total(figures) == at
