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
# Words (capitals and descenders, the first reading's median) shorter than this many pixels are
# small print, whose strokes one or two pixels wide a median over the page would break.
_SMALL_PRINT = 12
# Pixels counted at most to tell a speckled page.
_PROBE_PIXELS = 1_500_000
# Pages smaller than this (pixels a side) are not judged: too little ink to count.
_MIN_SIDE = 32


def _alone(a):
    """Ink pixels (darker than Otsu's threshold) with no ink above, below, left or right of
    them, and the count of all ink pixels."""
    import numpy as np

    ink = a <= otsu(a)
    p = np.pad(ink, 1)
    return ink & ~(p[:-2, 1:-1] | p[2:, 1:-1] | p[1:-1, :-2] | p[1:-1, 2:]), int(ink.sum())


def isolated_ink(image: Image.Image) -> float:
    """The share of ``image``'s ink pixels standing alone, counted on a band across the middle
    of a large page (specks are a texture of the whole page; counting every pixel of a 12
    megapixel photo would cost a tenth of its reading)."""
    import numpy as np

    if image.width * image.height > _PROBE_PIXELS:
        rows = max(_MIN_SIDE, _PROBE_PIXELS // image.width)
        top = (image.height - rows) // 2
        image = image.crop((0, top, image.width, top + rows))
    alone, total = _alone(np.asarray(image))
    return float(alone.sum()) / total if total else 0.0


def speckled(image: Image.Image) -> bool:
    return image.mode == "L" and min(image.size) >= _MIN_SIDE and isolated_ink(image) > _SPECKLED


def despeckled(image: Image.Image, text_height: float) -> Image.Image:
    """``image`` with its specks taken off by a 3x3 median: over the whole page where the print
    is tall enough for its strokes to keep their shape under it; else only at the lone specks
    (and the JPEG halo around them), every other pixel as it was (a median over a whole page of
    small print broke its thin strokes: "187.70" read "187.50"; kept only at the specks, the
    two-pixel specks and halos a JPEG makes of them stay on large print: 4 totals of 10 right
    where the whole median got 9)."""
    import numpy as np

    smooth = image.filter(ImageFilter.MedianFilter(3))
    if text_height >= _SMALL_PRINT:
        return smooth
    a = np.asarray(image)
    alone, _ = _alone(a)
    p = np.pad(alone, 1)
    near = alone.copy()
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            near |= p[dy:dy + alone.shape[0], dx:dx + alone.shape[1]]
    return Image.fromarray(np.where(near, np.asarray(smooth), a).astype(np.uint8), "L")


def otsu(a) -> int:
    """Otsu's threshold of a grey array: the level that best parts its histogram in two (ink is
    at or below it)."""
    import numpy as np

    hist = np.bincount(a.ravel(), minlength=256).astype(np.float64)
    below = np.cumsum(hist)
    above = below[-1] - below
    weighted = np.cumsum(hist * np.arange(256))
    mean_below = weighted / np.maximum(below, 1)
    mean_above = (weighted[-1] - weighted) / np.maximum(above, 1)
    return int(np.argmax(below * above * (mean_below - mean_above) ** 2))
