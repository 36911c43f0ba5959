"""Is a page image blank? Answered before OCR, so a blank page (a scanned back side, a separator
sheet) costs a histogram instead of a Tesseract reading.

Deliberately cautious: a page counts as blank only when almost no pixel is clearly darker than
its paper. Ink is measured against the page's own paper (its median grey), so faint, blurred
print on a rough scan still counts; scanner noise and a few specks of dust stay within
``_INK_CONTRAST`` of the paper or far fewer than ``_MAX_INK_SHARE``, and a handful of printed
characters already exceed it.
"""

from __future__ import annotations

from PIL import Image

_INK_CONTRAST = 60  # grey levels below the paper at which a pixel is ink
_MAX_INK_SHARE = 0.0002  # about ten printed characters on an A4 page at 300 dpi


def is_blank(image: Image.Image) -> bool:
    grey = image if image.mode == "L" else image.convert("L")
    histogram = grey.histogram()
    pixels = grey.width * grey.height
    if not pixels:
        return True
    seen, paper = 0, 255
    for level, count in enumerate(histogram):
        seen += count
        if seen * 2 >= pixels:
            paper = level
            break
    ink = sum(histogram[: max(paper - _INK_CONTRAST, 0) + 1])
    return ink <= _MAX_INK_SHARE * pixels
