"""Pages scanned in a scanner's black-and-white halftone mode (or faxed): grey as a field of dots.

An office scanner set to 1-bit output dithers every shade of grey into single black dots on white.
Dark print stays mostly solid, but the light grey of faded thermal print or of a dot-matrix ribbon
turns into loose dots that touch no other: Tesseract, and the speckle filter before it, take them
for dust, and the page reads as nothing at all (generated dithered slips of faded print: no word
read, the slip filed as "other"). A slight blur turns the dots back into the grey strokes they were
screened from, which Tesseract reads like any grey scan.

Told by the share of ink pixels with no ink beside them (``specks.isolated_ink``): print under
0.035, a scanner's dust and specks 0.09-0.14, dithered light print 0.37 and up. The band between
stays the speckle filter's.

A PDF page holding such a scan is judged on the scan as embedded, at its own resolution
(``unscreened_scan``): rendered for reading, with smoothing and at the reading's resolution, its
dots touch and share pixels with their neighbours (a dithered page saved as a 300 dpi PDF,
rendered at 300 dpi: 0.23 of its ink alone; at 150 dpi: none).
"""

from __future__ import annotations

from PIL import Image, ImageFilter

from .specks import isolated_ink

# Share of lone ink pixels above which the page is a halftone screen, not print with specks.
_SCREENED = 0.3
# The blur's radius in pixels: a dithered dot is one pixel; this joins dots a pixel or two apart
# into strokes and leaves the strokes' shapes (1.0 read the generated dithered slips as well as
# 0.7-2.0 did; larger radii start to merge the letters of small print).
_RADIUS = 1.0
_MIN_SIDE = 32
# Mean grey-level difference (64 x 64 thumbnails) above which a page's scan is not what it shows.
_UNLIKE = 24


def screened(image: Image.Image) -> bool:
    """Is ``image`` (a page, any mode) a halftone screen of grey print?"""
    if min(image.size) < _MIN_SIDE:
        return False
    return isolated_ink(image if image.mode == "L" else image.convert("L")) > _SCREENED


def unscreened(image: Image.Image) -> Image.Image:
    """``image`` as grey strokes again when it is a halftone screen; else ``image`` itself."""
    if not screened(image):
        return image
    return image.convert("L").filter(ImageFilter.GaussianBlur(_RADIUS))


def unscreened_scan(scan: Image.Image, rendering: Image.Image) -> Image.Image:
    """A PDF page's ``rendering`` for reading, from its one 1-bit ``scan`` at the scan's own
    resolution when that scan is a halftone screen: its dots joined there, then brought to the
    rendering's size. Else ``rendering`` itself, and also when the scan, brought to that size,
    does not look like the rendering (a page drawn inverted, or not from that scan alone)."""
    import numpy as np

    if not screened(scan):
        return rendering
    strokes = unscreened(scan).resize(rendering.size, Image.BILINEAR)
    small = [np.asarray(im.convert("L").resize((64, 64), Image.BOX), dtype=np.int16) for im in (strokes, rendering)]
    if np.abs(small[0] - small[1]).mean() > _UNLIKE:
        return rendering
    return strokes
