"""Is a page image blank? Answered before OCR, so a blank page (a scanned back side, a separator
sheet) costs a histogram instead of a Tesseract reading.

Deliberately cautious: a page counts as blank only when almost no pixel is as dark as ink.
Grey paper, scanner noise and a few specks of dust stay far lighter than ``_INK`` or far fewer
than ``_MAX_INK_SHARE``; a handful of printed characters already exceed it.
"""

from __future__ import annotations

from PIL import Image

_INK = 100  # grey level (0-255) at or below which a pixel is ink
_MAX_INK_SHARE = 0.0002  # about ten printed characters on an A4 page at 300 dpi


def is_blank(image: Image.Image) -> bool:
    grey = image if image.mode == "L" else image.convert("L")
    histogram = grey.histogram()
    pixels = grey.width * grey.height
    return pixels > 0 and sum(histogram[: _INK + 1]) <= _MAX_INK_SHARE * pixels
