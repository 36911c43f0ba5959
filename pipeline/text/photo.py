"""Photos of slips: one reading at the photo's own size, then, only where it is needed, a
second look at a few lines, enlarged.

Reading a whole receipt photo enlarged to Tesseract's preferred text height, in three modes,
cost ten plain readings. Most of that bought nothing: the figures that decide a receipt sit on
a handful of lines. So the page is read once; a judge (receipt knowledge, from the extraction
stage) names the lines whose figures the reading leaves uncorroborated; those lines are cropped,
enlarged to the measured text height, stacked into one strip and read in a single Tesseract
call per binarisation (two). Each strip reading, with the first reading's words elsewhere,
hangs off ``page.alternate`` for extraction to vote with; the first reading stays the page.
Where those readings tie on the date, the strip is read once more, larger (``page.date_look``).
Faded print is the exception to "enlarged": its strips are cleaned and read at their own size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import NamedTuple

from PIL import Image

from ..records import Page, Word
from .barcode import bar_ends_cleared, line_under_bars
from .cleanup import clean, measure
from .ocr import OcrOptions, _median_height, _recognise, ocr_page, prepare, straightened
from .specks import despeckled, speckled

# Bands (top, bottom) in the first reading's pixels worth a second look.
Judge = Callable[[Page], list[tuple[float, float]]]

_UPSCALE_MAX = 3.0
# Below this enlargement the second look reads the lines as they are, with local thresholding.
_MIN_FACTOR = 1.25
# The tie-breaking look at a date's lines reads them this much larger than the strips.
_TIE_SCALE = 1.5
# Tesseract's page segmentation mode for a single line of text.
_ONE_LINE = 7
_GAP = 0.6  # white space between stacked bands, in text heights
# An image no larger than this (pixels, longest side) whose reading found no slip is read again
# at twice its size: a scan at a low resolution (phone photos are two to three times larger).
_SMALL_IMAGE = 1600
# A reading whose words average less confidence than this read print as noise.
_POOR_MEAN = 50
# Fewer confident words than this: the reading found no slip on the photo.
_FEW_WORDS = 10


def read_photo(image: Image.Image, number: int, options: OcrOptions, *, judge: Judge | None,
               tiebreak: Judge | None = None) -> Page:
    """The photo's page of words; with ``judge``, and the lines it names read again, its further
    readings hang off ``alternate``. ``tiebreak`` names the date's lines where those readings
    tie on it: read once more, larger still, as ``date_look``."""
    image = prepare(image)
    if options.deskew:
        # Straightened once, before any reading: the second look cuts its strips from the same
        # pixels the first reading's lines were found in.
        image = straightened(image)
        options = replace(options, deskew=False)
    # A speckled scan is read without its lone specks (only those: the strokes of small print
    # are left as they are): on generated small speckled scans the first reading otherwise
    # misread the figures the second look then had to outvote (totals 6 of 10 right, 9 without).
    spotted = speckled(image)
    plain = despeckled(image, 0) if spotted else image
    # One reading; orientation detection only when that reading does not look upright.
    first = ocr_page(plain, number, replace(options, text_height=0, read_first=True))
    if (first.mean_confidence or 0) < _POOR_MEAN and max(image.size) <= _SMALL_IMAGE:
        # Print a few pixels high (a slip scanned at a low resolution) reads as noise whichever
        # way up, and orientation detection has nothing to go on: the way up with more confident
        # noise won. The study half's Malaysian scans scaled to 65 % (print 8 px high): 8 of 57
        # read upside down and filed as "other"; at twice the size the upright reading is surely
        # the legible one (mean word confidence 74-77 against 37 upside down). So the photo is
        # read at twice its size, and everything after it in that size's pixels.
        bigger = image.resize((image.width * 2, image.height * 2), Image.LANCZOS)
        plain_bigger = despeckled(bigger, 0) if spotted else bigger
        other = ocr_page(plain_bigger, number, replace(options, text_height=0, read_first=True))
        if _legibility(other) > _legibility(first):
            first, image, plain = other, bigger, plain_bigger
    if _legibility(first) < _FEW_WORDS and options.threshold != "adaptive":
        # Almost nothing read: a dark table or border around the slip pulls the page-wide
        # threshold between background and paper, and the print vanishes with the paper.
        # Otsu per tile sees paper and ink in each tile.
        other = ocr_page(plain, number, replace(options, text_height=0, read_first=True, threshold="adaptive"))
        if _legibility(other) > _legibility(first):
            first, options = other, replace(options, threshold="adaptive")
    if judge is None or not options.text_height or first.method != "ocr" or not first.words:
        return first
    bands = judge(first)
    if not bands and spotted:
        # A reading of a page its specks were taken from does not corroborate itself: a small
        # speckled scan's date read surely as "28/11/24" for 25/11/24 would have been filed as
        # sure. Every line is read again (speckled pages are few; their strips are cheap now).
        bands = _every_line(first)
    if not bands:
        return first
    height = _median_height(first.words) or options.text_height / 2
    factor = min(options.text_height / height, _UPSCALE_MAX)
    upright = image
    if first.rotation:
        upright = upright.rotate(-first.rotation, expand=True)
    # Two binarisations of the same strip: where they and the first reading disagree on a
    # figure, extraction's vote has three readings to weigh, as with whole extra readings.
    looks = [options, replace(options, threshold="sauvola")] if factor >= _MIN_FACTOR else \
        [replace(options, threshold="sauvola"), replace(options, threshold="adaptive")]
    if spotted:
        # Specks enlarged with the lines grow into stops and commas the strips read as print
        # (generated speckled scans: 4 totals of 10 right, 4 sent to review); taken off before
        # the faded measure too, so that they do not pass for the darkest ink of faded print.
        upright = despeckled(upright, height)
    faded = _faded(upright)
    if faded:
        # Faded print (thin grey strokes on noisy paper): enlarged, its speckles grow with its
        # strokes and the strips read worse than the first reading did (generated thin Courier
        # slips: 18 right totals sent to review of 60, against 10 for whole readings). Flattened
        # and stretched to black (cleanup.py) and read at the photo's own size, its lines come
        # out surer than the first reading's; on that white paper Sauvola's local threshold
        # misreads fewer digits than Otsu's (the same 60 slips: 58 dates right against 56).
        upright = clean(upright)
        factor = 1.0
        looks = [replace(options, threshold="sauvola"), options]
    lines = _under_bars_apart(upright, bands, height)
    readings = []
    for look in looks:
        words = _looked(upright, number, look, lines, max(factor, 1.0), height)
        if words:
            readings.append(_patched(first, lines.read, words))
    # The whole-page reading stays the page (its text is the document's): enlarging print that
    # was legible already sometimes misreads it ("7.40" as "1.40"), so a figure of the second
    # look wins only where extraction's vote finds it better supported. Faded print is the
    # other way round: its cleaned lines are the surer reading, and lead the vote (which the
    # first reading wins on a tie: on faded print its misread dates, "14.02.2018" at 0.16 for
    # the strip's "14.01.2018" at 0.89).
    chain = readings + [first] if faded and readings else [first] + readings
    for reading, following in zip(chain, chain[1:]):
        reading.alternate = following
    tied = tiebreak(chain[0]) if tiebreak is not None and readings else []
    if tied:
        # The readings tie on the date: "05.10.16" in the first, "08.10.16" in a strip, none in
        # the other. The strip is read once more, larger: its digits come out differently enough
        # to side with one of them. (The date's line alone, a strip of one line, read worse than
        # with the strip's other lines.) Extraction files the date it sides with, for review.
        again = _under_bars_apart(upright, _merged(bands + tied), height)
        words = _looked(upright, number, looks[0], again, max(factor, 1.0) * _TIE_SCALE, height)
        if words:
            chain[0].date_look = _patched(first, again.read, words)
    return chain[0]


class _Lines(NamedTuple):
    stacked: list[tuple[float, float]]  # read together, in one strip
    under_bars: list[tuple[float, float]]  # read one by one
    read: list[tuple[float, float]]  # all of them, as read


def _under_bars_apart(image: Image.Image, bands: list[tuple[float, float]], height: float) -> _Lines:
    """The bands to read, the lines under a barcode apart. Such a line: the first reading's box
    of it, if any, takes in the bars or starts below the tops of the digits they run into. It is
    read on its own, as one line: stacked with the other lines, its cleared bars beside a
    scanner's dark lid, Tesseract's page layout took it for a picture and read nothing of it (a
    German discounter's date). Worked out once for every look at the same bands."""
    moved = [line_under_bars(image, band, height) for band in bands]
    under = _merged([new for new, old in zip(moved, bands) if new != old])
    stacked = _without(_merged([new for new, old in zip(moved, bands) if new == old]), under, height / 2)
    return _Lines(stacked, under, _merged(moved))


def _looked(image: Image.Image, number: int, options: OcrOptions, lines: _Lines, factor: float,
            height: float) -> list[Word]:
    """``second_look`` of ``lines``: the stacked ones in one strip, each under a barcode alone."""
    words = second_look(image, number, options, lines.stacked, factor, height) if lines.stacked else []
    for band in lines.under_bars:
        words += second_look(image, number, replace(options, psm=_ONE_LINE), [band], factor, height)
    return words


def second_look(image: Image.Image, number: int, options: OcrOptions, bands: list[tuple[float, float]],
                factor: float, text_height: float) -> list[Word]:
    """The words of ``bands`` read again ``factor`` times larger, all bands in one Tesseract
    call, in the page's own coordinates."""
    # Cut at the lines' own boxes and pad with the paper's grey: a margin of the photo itself
    # would show slices of the neighbouring lines, which Tesseract reads into the line ("Total" →
    # "otal"); and a pure white pad beside a photo's grey, noisy paper is a brighter mode than
    # the paper itself, which Otsu may part from the paper instead of the ink (faint thin print:
    # the whole strip read as speckles, 5-6 s of Tesseract for noise).
    pad = round(0.5 * text_height)
    gap = round(_GAP * text_height * factor) + 4
    paper = _paper_grey(image, bands)
    crops: list[tuple[float, Image.Image]] = []
    for top, bottom in bands:
        y0 = max(0, round(top) - 1)
        y1 = min(image.height, round(bottom) + 1)
        if y1 <= y0:
            continue
        crop = Image.new("L", (image.width, y1 - y0 + 2 * pad), paper)
        # A line under a barcode: the bars' ends are no part of it.
        crop.paste(bar_ends_cleared(image, y0, y1, text_height), (0, pad))
        y0 -= pad
        if factor != 1.0:
            crop = crop.resize((round(crop.width * factor), round(crop.height * factor)), Image.LANCZOS)
        crops.append((y0, crop))
    if not crops:
        return []
    strip = Image.new("L", (max(c.width for _, c in crops), sum(c.height for _, c in crops) + gap * (len(crops) + 1)),
                      paper)
    placed: list[tuple[int, int, float]] = []  # strip top, strip bottom, page top
    y = gap
    for y0, crop in crops:
        strip.paste(crop, (0, y))
        placed.append((y, y + crop.height, y0))
        y += crop.height + gap
    out: list[Word] = []
    for w in _recognise(strip, number, replace(options, upscale_below=0)):
        middle = (w.y0 + w.y1) / 2
        for top, bottom, page_top in placed:
            if top - gap / 2 <= middle < bottom + gap / 2:
                shift = page_top - top / factor
                word = Word(w.text, w.x0 / factor, w.y0 / factor + shift, w.x1 / factor, w.y1 / factor + shift,
                            w.conf, w.line)
                # The margin shows parts of the neighbouring lines: those stay the first reading's.
                if _inside(word, bands):
                    out.append(word)
                break
    return out


def _faded(image: Image.Image) -> bool:
    return image.mode == "L" and min(image.size) >= 32 and measure(image).faded


def _paper_grey(image: Image.Image, bands: list[tuple[float, float]]) -> int:
    """The grey of the paper around the lines to read: the median of the bands' pixels (print
    covers a small part of a line's box)."""
    counts = [0] * 256
    for top, bottom in bands:
        y0, y1 = max(0, round(top) - 1), min(image.height, round(bottom) + 1)
        if y1 > y0:
            counts = [a + b for a, b in zip(counts, image.crop((0, y0, image.width, y1)).histogram()[:256])]
    half, seen = sum(counts) / 2, 0
    for grey, n in enumerate(counts):
        seen += n
        if seen >= half and seen:
            return grey
    return 255


def _every_line(page: Page) -> list[tuple[float, float]]:
    """Every line of ``page`` as a band (top, bottom), lines that overlap merged."""
    boxes: dict[int, tuple[float, float]] = {}
    for w in page.words:
        top, bottom = boxes.get(w.line, (w.y0, w.y1))
        boxes[w.line] = (min(top, w.y0), max(bottom, w.y1))
    return _merged(list(boxes.values()))


def _without(bands: list[tuple[float, float]], taken: list[tuple[float, float]],
             shortest: float) -> list[tuple[float, float]]:
    """What of ``bands`` lies outside every band of ``taken`` (each read once only), leaving out
    pieces shorter than ``shortest``."""
    out = []
    for top, bottom in bands:
        pieces = [(top, bottom)]
        for t0, t1 in taken:
            pieces = [piece for p0, p1 in pieces for piece in ((p0, min(p1, t0)), (max(p0, t1), p1))]
        out += [(p0, p1) for p0, p1 in pieces if p1 - p0 >= shortest]
    return out


def _merged(bands: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """``bands`` in order, those that overlap as one."""
    merged: list[tuple[float, float]] = []
    for top, bottom in sorted(bands):
        if merged and top <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], bottom))
        else:
            merged.append((top, bottom))
    return merged


def _inside(w: Word, bands: list[tuple[float, float]]) -> bool:
    middle = (w.y0 + w.y1) / 2
    return any(top <= middle <= bottom for top, bottom in bands)


def _patched(first: Page, bands: list[tuple[float, float]], words: list[Word]) -> Page:
    """The first reading with the words of the re-read bands replaced by the second look's."""
    base = max((w.line for w in first.words), default=0) + 1
    kept = [w for w in first.words if not _inside(w, bands)]
    new = [replace(w, line=base + w.line) for w in words]
    return Page(number=first.number, width=first.width, height=first.height, words=kept + new, method="ocr",
                rotation=first.rotation, warnings=list(first.warnings))


def _legibility(page: Page) -> int:
    """Confident words of three characters or more: how much of a slip a reading found."""
    return sum(1 for w in page.words if w.conf >= 60 and len(w.text) >= 3)
