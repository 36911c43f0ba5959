"""The ends of a barcode's bars cleared off the printed line they run into.

German discounters' tills print the till, receipt number, date and time on the line right under
the slip's barcode, and the bars often end inside that line's first pixels: the line's reading
takes the bars' ends for glyphs ("3182 /48433/01] ce 15:59" for "3182 748433/01 02.03.20 15:59")
and the date is lost. Cutting the line's top off loses the digits' tops with the bars. So a
barcode is told by a row in or just above the band asked for: many narrow bars and gaps side by
side, their ink running straight up taller than a line of print; the band is moved onto the line
under the bars, and only the bars' columns are cleared, down to where the bars commonly end. A
digit a bar runs into keeps everything below that row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from .specks import otsu

# A barcode prints at least this many bars side by side...
_MIN_BARS = 20
# ... none wider, and no gap between two wider, than this share of a text line's height (a
# letter's stroke run is short too, but a line of text has gaps between words as wide as a letter).
_MAX_RUN = 0.6
# Rows above the line looked at for the bars, in text heights: the bars run up unbroken at
# least _BAR_HEIGHT text heights from the row they are found on (a line of text's strokes are
# shorter), in this share of the barcode's ink columns (edge columns of a bar are broken grey).
_REACH = 2.0
_BAR_HEIGHT = 1.5
_TALL_SHARE = 0.6
# A bar's column is ink over this share of those rows (a bar's soft edge, JPEG noise).
_FILLED = 0.85
# Bars ending this far (in text heights) from the bars' median end are not fitted to their common end.
_END_SPREAD = 0.25
_PAPER = 255
# A column this dark over the whole band is no print but the scanner's lid around the slip.
_DARK = 0.95
# Columns of a bar's soft edge cleared with it, each side.
_EDGE = 1
# The line under the bars is read from this far above their common end to this far below it,
# in text heights (the bars run into the digits' tops).
_LIFT = 0.3
_BELOW = 1.15


def line_under_bars(image: Image.Image, band: tuple[float, float], text_height: float) -> tuple[float, float]:
    """``band`` (top, bottom rows) moved onto the line printed under a barcode that ends in it
    or just above it: from a little above the bars' common end to a line's height below it. The
    first reading's box of that line, when it read one at all, takes in the bars or stops where
    they end, below the tops of the digits they run into. Other bands come back as they are."""
    found = _barcode(image, round(band[0]), round(band[1]), text_height)
    if found is None:
        return band
    high, low = sorted((found.end_at(found.x0), found.end_at(found.x1)))
    return max(0.0, high - _LIFT * text_height), min(float(image.height), low + _BELOW * text_height)


def bar_ends_cleared(image: Image.Image, top: int, bottom: int, text_height: float) -> Image.Image:
    """Rows ``top``..``bottom`` of the greyscale ``image``, with the ends of a barcode's bars
    in them or just above them cleared to the paper's grey; the crop as it is without one."""
    crop = image.crop((0, top, image.width, bottom))
    found = _barcode(image, top, bottom, text_height)
    if found is None:
        return crop
    out = np.array(crop)
    for x in range(found.x0, min(found.x1, out.shape[1])):
        # Over the bars, above their common end, what is not ink is paper: the bars' grey edges
        # and the JPEG's ringing around them would read as specks on the digits' tops.
        above = out[:max(0, found.end_at(x) - top), x]
        above[above >= found.threshold] = found.paper
    for x, end in zip(found.columns, found.ends):
        stop = min(end, found.end_at(x)) - top
        if stop > 0:
            # A bar's edges are grey, lighter than ink yet dark enough for Tesseract's own
            # threshold: its neighbouring columns go with it.
            out[:stop, max(0, x - _EDGE):x + _EDGE + 1] = found.paper
    # A flatbed scan's dark lid around the slip, as paper: Tesseract reads a line better alone
    # on paper than beside a dark area, whose edge it may take for a picture's.
    dark = (out < found.threshold).mean(axis=0) >= _DARK
    out[:, dark] = found.paper
    return Image.fromarray(out)


@dataclass(frozen=True, slots=True)
class _Bars:
    columns: list[int]  # the bars' ink columns (page pixels)
    ends: list[int]  # the row under each one's end
    end: int  # the row under the bars' common end at x0 (a bar touching a digit runs on below it)
    paper: int  # the paper's grey around them
    threshold: int  # ink is darker
    x0: int  # the barcode's first column and the column after its last
    x1: int
    slope: float  # the bars' common end leans with the photo's tilt: row = end + slope * (x - x0)

    def end_at(self, x: int) -> int:
        return round(self.end + self.slope * (x - self.x0))


def _barcode(image: Image.Image, top: int, bottom: int, text_height: float) -> _Bars | None:
    if image.mode != "L" or bottom <= top or text_height <= 0:
        return None
    start = max(0, top - max(2, round(_REACH * text_height)))
    grey = np.asarray(image.crop((0, start, image.width, bottom)))
    threshold = otsu(grey) + 1  # ink is darker
    ink = grey < threshold
    found = _bars_row(ink, top - start, text_height)
    if found is None:
        return None
    row, x0, x1 = found
    columns = np.nonzero(ink[row, x0:x1])[0] + x0
    # Each bar's own end, going down from the row the bars were found on.
    below = ink[row:, columns]
    ends = np.where(below.all(axis=0), below.shape[0], np.argmin(below, axis=0)) + row + start
    # Painted with the paper's own grey: white stripes on grey paper would read as print again.
    paper = int(np.median(grey[~ink])) if (~ink).any() else _PAPER
    # Where the bars commonly end, as a line (a photo is tilted): fitted to the ends near their
    # median (a bar touching a digit runs on; one broken by a speck ends short).
    near = np.abs(ends - np.median(ends)) <= max(2.0, _END_SPREAD * text_height)
    slope, offset = np.polyfit(columns[near], ends[near], 1) if near.sum() >= 2 and np.ptp(columns[near]) else (0.0, float(np.median(ends)))
    left = max(0, int(x0) - _EDGE)
    # Half a pixel lower: a bar's last row is grey.
    common = round(offset + slope * left + 0.5)
    return _Bars([int(x) for x in columns], [int(e) for e in ends], common, paper,
                 threshold, left, int(x1) + _EDGE, float(slope))


def _bars_row(ink: np.ndarray, top: int, text_height: float) -> tuple[int, int, int] | None:
    """The lowest row above the band's last half line crossing a barcode, with
    the barcode's first and last column; None when no row does. A row through a line of text
    alternates between narrow ink and paper too: a barcode's bars also run straight up, taller
    than a line of print."""
    widest = max(2, round(_MAX_RUN * text_height))
    tall = round(_BAR_HEIGHT * text_height)
    # Down to half a line above the band's foot: a band of the lines the first reading skipped
    # may hold the whole barcode and the line under it.
    last = max(top + 1, ink.shape[0] - 1 - round(text_height / 2))
    for row in range(last, tall - 1, -1):
        span = _barcode_span(ink[row], widest)
        if span is None:
            continue
        x0, x1 = span
        columns = np.nonzero(ink[row, x0:x1])[0] + x0
        filled = ink[row - tall:row + 1, columns].mean(axis=0) >= _FILLED
        if filled.mean() >= _TALL_SHARE:
            # Lower down, the digits the bars run into interrupt the row: the bars' whole width
            # is read half a line higher.
            higher = row - round(text_height / 2)
            wide = _barcode_span(ink[higher], widest) if higher >= 0 else None
            if wide is not None and wide[0] <= x1 and wide[1] >= x0:
                return higher, min(x0, wide[0]), max(x1, wide[1])
            return row, x0, x1
    return None


def _barcode_span(line: np.ndarray, widest: int) -> tuple[int, int] | None:
    """The longest stretch of ``line`` alternating between narrow ink and narrow paper runs,
    as (first column, end column), when it holds ``_MIN_BARS`` bars or more."""
    change = np.flatnonzero(np.diff(line.astype(np.int8))) + 1
    edges = np.concatenate(([0], change, [line.size]))
    best: tuple[int, int, int] | None = None  # bars, start, end
    bars, start = 0, None
    for a, b in zip(edges[:-1], edges[1:]):
        narrow = b - a <= widest
        if narrow and (start is not None or line[a]):
            if start is None:
                start, bars = a, 0
            bars += int(line[a])
            end = b
            if bars >= _MIN_BARS and (best is None or bars > best[0]):
                best = (bars, start, end if line[a] else a)
        else:
            start = None
    return None if best is None else (best[1], best[2])

