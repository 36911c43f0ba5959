"""What a text's lines look like, as evidence of its kind: the layout, not the words.

A till slip is printed on a roll 32–48 characters wide, most of its lines end in a price, and it
prints the time of the sale; an invoice is an A4 page whose descriptions and addresses run long
and which carries a date, not a time. Words alone confuse the two where a till slip is legally a
"tax invoice" (Malaysia, Singapore, Australia) and prints "TAX INVOICE" and "Invoice No" on
every slip. The shapes are named here and weighed in ``config/classify.toml`` (``[shape.*]``),
like the words.
"""

from __future__ import annotations

import bisect
import re
import statistics
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .records import Page

# A price at the end of a line, with its tax code or currency after it ("13.00 SR", "4,50 A",
# "RM5.00"); OCR sometimes splits the decimals ("5. 00").
_PRICE_AT_END = re.compile(r"\d[.,]\s?\d\d(?:\s*[A-Za-z€$£%*]{1,3})?\s*$")
# 13:34, 13:34:14, 4:29 PM; not a ratio or a reference such as 1:100.000 (no digit or colon around).
_TIME_OF_DAY = re.compile(r"(?<![\d:])(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?![\d:])")

# A till roll: at least this many lines, almost none long, and a good share ending in a price.
TILL_MIN_LINES = 6
TILL_LONG_LINE = 60  # characters: wider than any till roll, shorter than most A4 text lines
TILL_MAX_LONG_SHARE = 0.05
TILL_MIN_PRICED_SHARE = 0.2
# Shapes are read on the first pages, as the model reads the beginning of a document.
PAGES = 3
# A seller's tax number label (Italian, German, English, Malaysian, French, Dutch), as a till prints
# it under the shop's name: the label only, since a faint reading often keeps the label and loses
# the digits ("VAT No Ghee Bere", "USt-IdN DE1…").
_TAX_ID_LABEL = re.compile(r"(?i)(?<![A-Za-z])(?:p\.?\s?iva|partita\s+iva|ust[\s.-]*id|steuer[\s.-]*nr|st\.?[\s-]*nr"
                           r"|vat\s*(?:no|reg|number|id)|gst\s*(?:reg|id|no)|sst\s*(?:reg|id|no)|n[°o]?\s*tva|btw[\s-]*nr)")
# The head of a till roll: the shop's block (name, legal name, tax number, address) in the first
# lines, each as narrow as the roll.
HEAD_LINES = 8
HEAD_WIDTH = 48

# Change handed back over the counter: a line that opens with the change label and ends in its
# amount ("Change $0.00", "CHANGE DUE : 3.30", "Resto 0,50", "Rückgeld 1,20 EUR"); OCR may garble
# the currency before the figure ("[MO.00" for RM0.00). Not a balance or an amount due: those
# close invoices too. Nor a "change fee" or a changed clause: a word between label and amount
# other than "due" or "amount" is not allowed.
# Every run of blanks is matched by one term only, so that a line of thousands of blanks costs
# linear time (no two adjacent terms can both take the same blanks).
_CHANGE_GIVEN = re.compile(r"(?im)^[ \t]*(?:[^\w\s][ \t]*){0,3}"
                           r"(?:change(?:[ \t]+(?:due|amt|amount))?|resto|r[uü]ckgeld|wechselgeld|kembali(?:an)?"
                           r"|monnaie[ \t]+rendue|rendu|wisselgeld)\b[ \t]*(?:\(\w{1,3}\)[ \t]*)?(?:[:=][ \t]*)?"
                           r"[^\d\s]{0,4}?\d*[.,][ \t]?\d\d(?:[ \t]*[A-Za-z€$£]{1,3})?[ \t]*(?:[^\w\s]{1,3}[ \t]*)?$")
# A card number masked but for its last four digits, as a payment terminal prints it on the slip
# ("************1234", "XXXX XXXX XXXX 1234"); an online order's "Visa ending in 1234" or
# "****1234" is shorter.
_MASKED_CARD = re.compile(r"(?<![*Xx])(?:[*Xx][\s-]?){8,}\d{4}(?!\d)")

SHAPES = ("till_roll", "time_of_day", "till_head", "paid_at_counter")

# Where the text's characters say "narrow" but the page does not. A sparse A4 invoice (one column:
# the seller's block, "Rechnung Nr. … vom …", four item lines, the sums, the IBAN) has no line of
# 60 characters either, and reads as a till roll by its text alone; on the page its item lines run
# from the left margin to the amounts at the right one. A line's width is measured in character
# cells (its span over the page's median character width), which a till roll cannot exceed however
# it was photographed or scanned: 48 columns, 64 in a small font.
WIDE_CELLS = 72
# OCR's words below this confidence are left out: the noise read around a photographed slip
# (table edge, background) lies far from the print and would widen its lines.
WIDE_MIN_CONFIDENCE = 70
_ROLL_SHAPES = frozenset({"till_roll", "till_head"})


def shapes(text: str, pages: Sequence[Page] | None = None) -> frozenset[str]:
    """The shapes (of ``SHAPES``) the text has. ``pages``, those the text was read from: where
    they print lines wider than any till roll (``wide_page``) the roll's shapes are ruled out,
    whatever the characters say."""
    head = "\n".join(text.split("\f")[:PAGES])
    lines = [line.strip() for line in head.splitlines() if line.strip()]
    found = set()
    if len(lines) >= TILL_MIN_LINES:
        long_share = sum(len(line) >= TILL_LONG_LINE for line in lines) / len(lines)
        priced_share = sum(bool(_PRICE_AT_END.search(line)) for line in lines) / len(lines)
        if long_share <= TILL_MAX_LONG_SHARE and priced_share >= TILL_MIN_PRICED_SHARE:
            found.add("till_roll")
    if _TIME_OF_DAY.search(head):
        found.add("time_of_day")
    if _till_head(lines):
        found.add("till_head")
    if found & _ROLL_SHAPES and pages and wide_page(pages):  # measured only where it can decide
        found -= _ROLL_SHAPES
    if _paid_at_counter(head):
        found.add("paid_at_counter")
    return frozenset(found)


def wide_page(pages: Sequence[Page]) -> bool:
    """Whether a page's print runs wider than a till roll could (``WIDE_CELLS``): the span of its
    words, the outermost twentieth on each side left out, over its median character width. A
    span, not the lines: OCR numbers the columns of an invoice's table as lines of their own, and
    on a page scanned a degree askew a label and its amount at the right margin are not level."""
    for page in pages[:PAGES]:
        words = [w for w in page.words
                 if w.conf >= WIDE_MIN_CONFIDENCE and len(w.text) >= 2 and any(c.isalnum() for c in w.text)]
        if len(words) < 5:
            continue
        cell = statistics.median((w.x1 - w.x0) / len(w.text) for w in words)
        outer = len(words) // 20
        left = sorted(w.x0 for w in words)[outer]
        right = sorted(w.x1 for w in words)[-1 - outer]
        if cell > 0 and (right - left) / cell >= WIDE_CELLS:
            return True
    return False


def _paid_at_counter(text: str) -> bool:
    """Whether the sale was settled as the document printed: change handed back, or a payment
    terminal's masked card number. A shop's cash bill or simplified tax invoice prints "INVOICE"
    and an invoice number, even a customer's name, but the customer pays at the counter; an
    invoice paid in cash says so ("paid by cash", "pagamento: contanti") without counting change."""
    return bool(_CHANGE_GIVEN.search(text) or _MASKED_CARD.search(text))


def _till_head(lines: list[str]) -> bool:
    """Whether the text opens as a till roll does: a tax number label among the first narrow lines,
    and, below them, almost no line as long as an A4 page prints. This is what survives of a slip
    photographed under uneven light, whose body OCR reads as noise or not at all: no till word, no
    price, only the shop's block. A letter or form printing its sender's VAT number runs its body
    across the page."""
    top = lines[:HEAD_LINES]
    if len(top) < 4 or any(len(line) > HEAD_WIDTH for line in top[:4]):
        return False
    if not any(_TAX_ID_LABEL.search(line) for line in top):
        return False
    return sum(len(line) >= TILL_LONG_LINE for line in lines) / len(lines) <= TILL_MAX_LONG_SHARE


def layout_tokens(text: str) -> list[str]:
    """The layout as a few tokens for the learned model (``classify_model.features``): how many
    lines, how many of them long, how many end in a price, whether a time is printed. Bucketed,
    so that the model learns "a short text of priced lines", not one document's line count."""
    head = "\n".join(text.split("\f")[:PAGES])
    lines = [line.strip() for line in head.splitlines() if line.strip()]
    n = len(lines) or 1
    long_share = sum(len(line) >= TILL_LONG_LINE for line in lines) / n
    priced_share = sum(bool(_PRICE_AT_END.search(line)) for line in lines) / n
    tokens = [f"#lines{bisect.bisect_right((15, 30, 60, 120, 240), len(lines))}",
              f"#long{bisect.bisect_right((0.001, 0.05, 0.15, 0.35), long_share)}",
              f"#priced{bisect.bisect_right((0.001, 0.1, 0.2, 0.35), priced_share)}"]
    if _TIME_OF_DAY.search(head):
        tokens.append("#time")
    if _till_head(lines):
        tokens.append("#tillhead")
    return tokens
