"""What a rate printed between a receipt total's label and its figure says about the figure.

Tills print the rate of the tax a total includes inside its label ("Total Sales Inclusive GST
@6% 18.80"), and tax lines under a total's label too ("Total incl. GST 6%: 1.42"). Which one a
line is depends on the slip's figures (receipt.py weighs them); one case the rate settles alone:
at a rate of nothing there is no tax to print. Tills of a country that zero-rated its sales tax
(Malaysia's GST at 0 % from June 2018) kept the label and print "Total Sales Inclusive GST
@0.00%" over the amount paid, so a positive figure after a zero rate is never the tax, however
the figures above it compare (a discount, or a misread item line, may print a larger one).
"""

from __future__ import annotations

import re
from decimal import Decimal

# A rate as tills print it and OCR reads it: "6%", "@6 %", "0.00%", "0,00%", "@0 00%" (the point
# read as a space), "10.5%".
RATE = re.compile(r"(?<![\d.,])(\d{1,2})(?:(?:[.,]|\s)(\d{1,2}))?\s?%")


def rates(text: str) -> list[Decimal]:
    """The rates printed in ``text``, in order."""
    return [Decimal(f"{whole}.{cents or '0'}") for whole, cents in RATE.findall(text)]


def zero_rated(label: str) -> bool:
    """The text before a total's figure prints a rate, and every rate it prints is zero."""
    found = rates(label)
    return bool(found) and not any(found)
