"""Dust and toner specks on a scanned slip, told from print and taken off before the second look.

A slip scanned on a dirty glass or printed over a speckled background carries dark dots of a
pixel or two all over the paper. Read at the scan's own size Tesseract mostly skips them; the
second look enlarges the lines it re-reads, the specks grow into marks the size of a stop or a
comma, and the strip reads "5 CASAS — eae se SI 8" where the first reading had "CASH 510,00"
(generated speckled scans: 4 totals of 10 right, 4 sent to review). Print is strokes: nearly
every ink pixel of a letter touches another; a speck stands alone. So the share of ink pixels
with no ink beside them says whether the page is speckled (generated speckled scans: 0.09-0.14;
crisp, faded, dot-matrix, small and bold print, scanned or photographed: under 0.035), and a 3x3
median takes single specks off while keeping strokes two pixels wide or more.
"""

from __future__ import annotations

from PIL import Image, ImageFilter

# Isolated ink pixels (no ink among the four neighbours) over all ink pixels above which the
# page is speckled.
_SPECKLED = 0.06
# Pages smaller than this (pixels a side) are not judged: too little ink to count.
_MIN_SIDE = 32


def isolated_ink(image: Image.Image) -> float:
    """The share of ``image``'s ink pixels (darker than Otsu's threshold) with no ink above,
    below, left or right of them."""
    import numpy as np

    a = np.asarray(image)
    ink = a <= _otsu(a)
    total = int(ink.sum())
    if not total:
        return 0.0
    p = np.pad(ink, 1)
    alone = ink & ~(p[:-2, 1:-1] | p[2:, 1:-1] | p[1:-1, :-2] | p[1:-1, 2:])
    return float(alone.sum()) / total


def speckled(image: Image.Image) -> bool:
    return image.mode == "L" and min(image.size) >= _MIN_SIDE and isolated_ink(image) > _SPECKLED


def despeckled(image: Image.Image) -> Image.Image:
    return image.filter(ImageFilter.MedianFilter(3))


def _otsu(a) -> int:
    """Otsu's threshold of a grey array: the level that best parts its histogram in two."""
    import numpy as np

    hist = np.bincount(a.ravel(), minlength=256).astype(np.float64)
    below = np.cumsum(hist)
    above = below[-1] - below
    weighted = np.cumsum(hist * np.arange(256))
    mean_below = weighted / np.maximum(below, 1)
    mean_above = (weighted[-1] - weighted) / np.maximum(above, 1)
    return int(np.argmax(below * above * (mean_below - mean_above) ** 2))
