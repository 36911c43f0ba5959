"""Boxed fields of a scanned page that Tesseract's reading left out, read again without their rules.

Invoices print their header fields (number, date, customer code, page) in a boxed table: a row
of labels and a row of values, thin rules all round. On a scan, Tesseract's layout analysis often
takes such a grid for a picture and reads nothing inside it (generated boxed invoice headers
scanned at 200 dpi: the number or the date lost on 5 of 16). Taking every rule off the page before
reading brought them back but moved the reading elsewhere (the item table, read as columns,
lost its quantities): the page's reading stays, and only the bands between two rules whose ink
that reading did not cover are cut out, cleared of their rules and read again as lines; their
words replace what the reading had there.

A rule is a run of ink a thirtieth of the page long or more (a line of text never runs unbroken
that far), allowed to step up or down a little (a tilted scan) and thin (a bold stroke or a dark
band is thicker). Pages without such a band come back unchanged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image

from ..errors import OcrError
from ..records import Page, Word
from .ocr import OcrOptions, _recognise

log = logging.getLogger(__name__)

# Ink: darker than this grey (the core of a soft scanned stroke).
_INK = 160
# A rule is at least this fraction of the page's width long...
_MIN_LENGTH = 1 / 30
# ... at most this many pixels thick at 300 dpi, and may step this many pixels up or down.
_MAX_THICKNESS_300DPI = 6
_SLACK_300DPI = 2
# Two rules bound a band of one or two printed lines: at most this far apart at 300 dpi...
_MAX_BAND_300DPI = 160
# ... and at least this far (closer rules are a double rule, or the two edges of one).
_MIN_BAND_300DPI = 24
# A band is read again when at least this share of its ink lies outside the reading's words...
_UNREAD_SHARE = 0.3
# ... and that ink is at least this many pixels (at 300 dpi): a few characters' worth.
_MIN_UNREAD_300DPI = 400
# A word read at least this surely (Tesseract's 0-100) is taken as read.
_SURE = 60
# Grey the cleared rules and the padding are painted with.
_PAPER = 255


@dataclass(frozen=True, slots=True)
class Rule:
    """A horizontal rule as a straight line across the page (a scan is tilted): its row at
    column ``x`` is ``y0 + slope * x``; it runs from ``x0`` to ``x1`` (page pixels)."""

    y0: float
    slope: float
    x0: int
    x1: int

    def y(self, x):
        return self.y0 + self.slope * x


@dataclass(frozen=True, slots=True)
class Band:
    """The paper between two rules, cut out straight: column ``x`` of the band starts at row
    ``top[x - x0]`` of the page and is ``height`` pixels deep."""

    x0: int
    top: np.ndarray
    height: int

    def cut(self, pixels: np.ndarray) -> np.ndarray:
        columns = np.arange(self.x0, self.x0 + self.top.size)
        return pixels[self.top[None, :] + np.arange(self.height)[:, None], columns[None, :]]

    def holds(self, w: Word) -> bool:
        """Is the word's middle inside the band?"""
        middle_x, middle_y = (w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2
        at = round(middle_x) - self.x0
        return 0 <= at < self.top.size and self.top[at] <= middle_y < self.top[at] + self.height

    def to_page(self, w: Word, pad: int) -> Word:
        at = min(max(round((w.x0 + w.x1) / 2) - pad, 0), self.top.size - 1)
        dx, dy = self.x0 - pad, int(self.top[at]) - pad
        return Word(w.text, w.x0 + dx, w.y0 + dy, w.x1 + dx, w.y1 + dy, w.conf, w.line)


def boxed_rereading(image: Image.Image, page: Page, options: OcrOptions, dpi: float = 300) -> Page:
    """``page`` (the reading of ``image``) with the bands between rules that it left unread read
    again; ``page`` itself when there are none."""
    if image.mode != "L" or page.rotation or page.method != "ocr" or min(image.size) < 64:
        return page
    pixels = np.asarray(image)
    scale = dpi / 300
    bands = [band for band in bands_between_rules(pixels, scale) if _unread(pixels, band, page.words, scale)]
    if not bands:
        return page
    words = list(page.words)
    next_line = max((w.line for w in words), default=-1) + 1
    for band in bands:
        # What the band's second reading is sure of fills what the first left out; where both read
        # the same place, a word the first reading was sure of stays (a cell it had read well is
        # not re-read worse), a doubtful one ("Ihr Zeichen Ces" for three cells) gives way.
        try:
            found = [w for w in _read_band(pixels, band, options, scale) if w.conf >= _SURE]
        except OcrError as exc:
            # A band that cannot be read again (a stuck or failed reading) leaves the page's own
            # reading as it was: never the whole page lost for a second look at a box.
            log.info("page %d: a boxed band was not read again: %s", page.number, exc.reason)
            continue
        kept = [w for w in words if not band.holds(w) or w.conf >= _SURE or not any(_overlap(w, f) for f in found)]
        added = [w for w in found if not any(_overlap(w, k) for k in kept if band.holds(k))]
        if not added:
            continue
        lines: dict[int, int] = {}
        added = [replace(w, line=lines.setdefault(w.line, next_line + len(lines))) for w in added]
        next_line += len(lines)
        # The first reading's words that stay in the band join the new line they sit on, so that
        # a row reads as one line ("Ihr" "Zeichen" kept, "Datum Rechnungs-Nr." added beside them).
        rows = {}
        for w in added:
            top, bottom = rows.get(w.line, (w.y0, w.y1))
            rows[w.line] = (min(top, w.y0), max(bottom, w.y1))
        words = [replace(w, line=row) if band.holds(w) and (row := _row_of(w, rows)) is not None else w
                 for w in kept] + added
    return replace(page, words=words)


def _row_of(w: Word, rows: dict[int, tuple[float, float]]) -> int | None:
    """The new line whose height the word shares for the most part, if any."""
    best, share = None, 0.5
    for line, (top, bottom) in rows.items():
        common = min(bottom, w.y1) - max(top, w.y0)
        if common / max(w.y1 - w.y0, 1.0) > share:
            best, share = line, common / max(w.y1 - w.y0, 1.0)
    return best


def _overlap(a: Word, b: Word) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def horizontal_rules(pixels: np.ndarray, scale: float = 1.0) -> list[Rule]:
    """The page's thin long horizontal rules, top to bottom."""
    # Looked for at half the resolution (a quarter of the work; a 300-dpi rule is 2-4 pixels
    # thick): a cell of two by two pixels is ink when any of its pixels is.
    step = 2 if scale >= 0.66 else 1
    if step > 1:
        height, width = (pixels.shape[0] // 2) * 2, (pixels.shape[1] // 2) * 2
        darkest = np.minimum(np.minimum(pixels[:height:2, :width:2], pixels[1:height:2, :width:2]),
                             np.minimum(pixels[:height:2, 1:width:2], pixels[1:height:2, 1:width:2]))
        ink = darkest < _INK
    else:
        ink = pixels < _INK
    at = scale / step
    slack = max(1, round(_SLACK_300DPI * at))
    thick = max(2, round(_MAX_THICKNESS_300DPI * at)) + 2 * slack
    runs = _rules(ink, max(8, round(ink.shape[1] * _MIN_LENGTH)), slack, thick) & ink
    labels = _label_rows(runs)
    rules: list[Rule] = []
    for ys, xs in labels:
        if xs.max() - xs.min() < ink.shape[1] * _MIN_LENGTH:
            continue
        slope, y0 = np.polyfit(xs, ys, 1) if np.ptp(xs) else (0.0, float(ys.mean()))
        rules.append(Rule(float(y0) * step + step / 2, float(slope), int(xs.min()) * step, int(xs.max()) * step + step - 1))
    return sorted(rules, key=lambda r: r.y((r.x0 + r.x1) / 2))


def _label_rows(runs: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """The rule pixels grouped into rules: runs of a row, and of the rows up to two below it, go
    together where their columns meet (a tilted rule steps from row to row, its two edges run
    side by side). Returns (rows, columns) per rule."""
    ys, xs = np.nonzero(runs)  # row by row, columns ascending
    if not ys.size:
        return []
    starts = np.flatnonzero(np.r_[True, (np.diff(ys) != 0) | (np.diff(xs) > 1)])
    ends = np.r_[starts[1:], ys.size]
    rows, firsts, lasts = ys[starts], xs[starts], xs[ends - 1]
    parent = list(range(starts.size))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_row: dict[int, list[int]] = {}
    for i, row in enumerate(rows.tolist()):
        for above in (row - 1, row - 2):
            for j in by_row.get(above, ()):
                if firsts[i] <= lasts[j] + 2 and lasts[i] >= firsts[j] - 2:
                    parent[root(i)] = root(j)
        by_row.setdefault(row, []).append(i)
    groups: dict[int, list[int]] = {}
    for i in range(starts.size):
        groups.setdefault(root(i), []).append(i)
    out = []
    for members in groups.values():
        index = np.concatenate([np.arange(starts[i], ends[i]) for i in members])
        out.append((ys[index], xs[index]))
    return out


def bands_between_rules(pixels: np.ndarray, scale: float = 1.0) -> list[Band]:
    """The paper between two rules one above the other, a line or two apart."""
    rules = horizontal_rules(pixels, scale)
    edge = max(1, round(_SLACK_300DPI * scale)) + max(1, round(_MAX_THICKNESS_300DPI * scale / 2))
    bands = []
    for upper, lower in zip(rules, rules[1:]):
        x0, x1 = max(upper.x0, lower.x0), min(upper.x1, lower.x1)
        shorter = min(upper.x1 - upper.x0, lower.x1 - lower.x0)
        if x1 - x0 < 0.5 * shorter:
            continue
        xs = np.arange(x0, x1 + 1)
        top = np.round(upper.y(xs)).astype(int) + edge
        bottom = np.round(lower.y(xs)).astype(int) - edge
        height = int((bottom - top).min())
        if not _MIN_BAND_300DPI * scale <= height <= _MAX_BAND_300DPI * scale:
            continue
        if top.min() < 0 or top.max() + height > pixels.shape[0]:
            continue
        bands.append(Band(x0, top, height))
    return bands


def _unread(pixels: np.ndarray, band: Band, words: list[Word], scale: float) -> bool:
    ink = _cleared(band.cut(pixels), scale) < _INK
    total = int(ink.sum())
    if not total:
        return False
    covered = np.zeros_like(ink)
    for w in words:
        if not band.holds(w):
            continue
        at = min(max(round((w.x0 + w.x1) / 2) - band.x0, 0), band.top.size - 1)
        top = int(band.top[at])
        covered[max(0, round(w.y0) - top):max(0, round(w.y1) - top),
                max(0, round(w.x0) - band.x0):max(0, round(w.x1) - band.x0)] = True
    outside = int((ink & ~covered).sum())
    return outside >= _MIN_UNREAD_300DPI * scale * scale and outside >= _UNREAD_SHARE * total


def _read_band(pixels: np.ndarray, band: Band, options: OcrOptions, scale: float) -> list[Word]:
    crop = _cleared(band.cut(pixels), scale)
    pad = max(8, round(16 * scale))
    strip = np.full((crop.shape[0] + 2 * pad, crop.shape[1] + 2 * pad), _PAPER, dtype=np.uint8)
    strip[pad:pad + crop.shape[0], pad:pad + crop.shape[1]] = crop
    # The band's cells as lines of text (psm 6: one block of lines), whatever grid they sat in.
    words = _recognise(Image.fromarray(strip, mode="L"), 0, replace(options, psm=6, upscale_below=0, text_height=0))
    return [band.to_page(w, pad) for w in words]


def _cleared(cells: np.ndarray, scale: float) -> np.ndarray:
    """A band's pixels with the thin vertical rules between its cells painted over (columns of
    ink down most of its depth)."""
    cells = cells.copy()
    ink = cells < _INK
    tall = ink.mean(axis=0) >= 0.6
    thick = max(2, round(_MAX_THICKNESS_300DPI * scale)) + 2
    edge = max(1, round(_SLACK_300DPI * scale))
    columns = np.flatnonzero(tall)
    if columns.size:
        for group in np.split(columns, np.flatnonzero(np.diff(columns) > 1) + 1):
            if group.size <= thick:  # never a wide dark block
                cells[:, max(0, group[0] - edge):group[-1] + edge + 1] = _PAPER
    return cells


def _rules(ink: np.ndarray, length: int, slack: int, thick: int) -> np.ndarray:
    """Where the rows hold a rule: a run of at least ``length`` pixels of ink, allowing the
    rule to step ``slack`` pixels up or down, in a band at most ``thick`` pixels deep."""
    band = ink.copy()
    for step in range(1, slack + 1):
        band[step:] |= ink[:-step]
        band[:-step] |= ink[step:]
    runs = _runs(band, length)
    if not runs.any():
        return runs
    # A stack of runs deeper than a rule is a band of ink or a bold stroke, not a rule.
    return runs & ~_runs(runs.T, thick + 1).T


def _runs(mask: np.ndarray, length: int) -> np.ndarray:
    """Pixels that belong to a run of at least ``length`` set pixels along each row."""
    rows, width = mask.shape
    if width < length:
        return np.zeros_like(mask)
    # Prefix sums over each row: a window of ``length`` pixels is all set where its sum is.
    counts = np.zeros((rows, width + 1), dtype=np.uint16 if width < 65535 else np.int64)
    np.cumsum(mask, axis=1, dtype=counts.dtype, out=counts[:, 1:])
    full = np.zeros_like(counts)
    full[:, 1:width - length + 2] = (counts[:, length:] - counts[:, :-length]) == length
    # A pixel is in a run when one of the windows starting at most ``length - 1`` before it is full.
    np.cumsum(full, axis=1, dtype=counts.dtype, out=full)
    covered = np.empty((rows, width), dtype=bool)
    covered[:, :length] = full[:, 1:length + 1] > 0
    covered[:, length:] = (full[:, length + 1:] - full[:, 1:width - length + 1]) > 0
    return covered
