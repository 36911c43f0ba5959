"""Is a page image blank? Answered before OCR, so a blank page (a scanned back side, a separator
sheet) costs a histogram instead of a Tesseract reading.

Deliberately cautious: a page counts as blank only when almost no pixel is clearly darker than
its paper. Ink is measured against the page's own paper (its median grey), so faint, blurred
print on a rough scan still counts; scanner noise and a few specks of dust stay within
``_INK_CONTRAST`` of the paper or far fewer than ``_MAX_INK_SHARE``, and a handful of printed
characters already exceed it.

A photo of nothing (``no_paper``) is the other page with no writing: texture everywhere, no paper
anywhere. It is told before OCR for what it costs, not what it holds: Tesseract spends close to a
minute a reading on one.
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


# Grey levels two neighbouring pixels differ by, at the median, above which a part of the image
# is a texture (sensor noise, a carpet) rather than paper: paper and print differ by a few levels
# between neighbours except along the strokes' edges; noise of the darkest phone photos by under ten.
_TEXTURE = 20
_GRID = 8  # the image judged in this many parts a side
_PROBE_PIXELS = 1_500_000


def no_paper(image: Image.Image) -> bool:
    """Is ``image`` a texture with no paper anywhere in it (a photo of nothing: sensor noise in the
    dark, a pocket's lining)? Then it holds no writing, and OCR would only spend minutes on it:
    Tesseract, reading one block of text, tries every speck as a letter (a 2-megapixel photo of
    noise: 47 s a reading, where a page of print takes one). A page whose every part is textured
    is rare; one part with paper (a slip on a granite counter) is enough to read it."""
    import numpy as np

    grey = image if image.mode == "L" else image.convert("L")
    if min(grey.size) < 4 * _GRID:
        return False
    probe = grey
    if grey.width * grey.height > _PROBE_PIXELS:  # a band across the middle first: cheap, and enough for most
        rows = max(4 * _GRID, _PROBE_PIXELS // grey.width)
        top = (grey.height - rows) // 2
        probe = grey.crop((0, top, grey.width, top + rows))
    if _neighbour_difference(np.asarray(probe)) <= _TEXTURE:
        return False
    a = np.asarray(grey)
    h, w = a.shape[0] // _GRID, a.shape[1] // _GRID
    return all(_neighbour_difference(a[y * h:(y + 1) * h, x * w:(x + 1) * w]) > _TEXTURE
               for y in range(_GRID) for x in range(_GRID))


def _neighbour_difference(a) -> float:
    """Median grey difference between horizontal neighbours, on every fourth row (a texture is
    the same on all of them, and the page is judged four times as fast)."""
    import numpy as np

    return float(np.median(np.abs(np.diff(a[::4].astype(np.int16), axis=1))))
