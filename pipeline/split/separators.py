"""Separator sheets: pages that only say "a new document starts after me", found before OCR.

A separator carries a barcode (Code 128 or QR) with one of the configured values, or is a Kodak
PATCH T sheet (bars narrow-wide-narrow-wide, 2 mm and 5 mm, 2 mm gaps). Pages are looked at
downscaled (``split.barcode_dpi``): barcodes on a separator sheet are large, and a small
image keeps the look a fraction of OCR's cost. zxing-cpp reads the barcodes (what paperless-ngx
uses); zxing-cpp has no patch codes, so the bars are measured here.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium
import zxingcpp
from PIL import Image, ImageOps

from ..config import SplitSettings
from ..text.sniff import PDF

log = logging.getLogger(__name__)

# paperless-ngx's convention: a barcode reading "PATCHT" stands for a printed PATCH T sheet.
PATCH_T_VALUE = "PATCHT"
_FORMATS = [zxingcpp.BarcodeFormat.Code128, zxingcpp.BarcodeFormat.QRCode]


@dataclass
class Survey:
    """What a quick look at the small pages found, before OCR."""

    separators: dict[int, str] = field(default_factory=dict)  # page → why it is a separator sheet
    blank: set[int] = field(default_factory=set)  # pages with (next to) no ink: not worth OCR


def survey_pages(path: Path, media_type: str, settings: SplitSettings, *, max_pages: int,
                 max_pixels: int = 200_000_000) -> Survey:
    """Separator sheets (``split.separators``) and, for ``split.by_content``, blank pages. Pages
    too large to look at (``max_pixels`` at full size) are left to reading, which refuses them."""
    survey = Survey()
    if not settings.separators and not settings.by_content:
        return survey
    values = _separator_values(settings)
    for number, image in _small_pages(path, media_type, settings.barcode_dpi, max_pages, max_pixels):
        try:
            _judge(survey, number, image, settings, values)
        finally:
            image.close()
    return survey


def _separator_values(settings: SplitSettings) -> set[str]:
    values = {v.strip() for v in settings.separator_values if v.strip()}
    if settings.patch_t:
        values.add(PATCH_T_VALUE)
    return values


def _judge(survey: Survey, number: int, image: Image.Image, settings: SplitSettings, values: set[str]) -> bool:
    """Note the small page in ``survey`` if it is a separator sheet or (``by_content``) blank;
    True when it is either, and so not to be read."""
    reason = separator_reason(image, values, patch_t=settings.patch_t) if settings.separators else None
    if reason:
        survey.separators[number] = reason
        return True
    if settings.by_content and looks_blank(image):
        survey.blank.add(number)
        return True
    return False


class PageLook:
    """The survey of a scanned PDF made on the pages reading renders anyway, one at a time as
    they come, instead of on a rendering of its own: each scanned page of a document of two
    pages or more is shrunk to ``split.barcode_dpi`` (a box filter over whole pixels: the
    reading's resolution is a multiple of it, see ``folds``) and judged as ``survey_pages``
    judges its pages. A second rendering of a scan decodes its page images a second time, about
    as much CPU as the look itself. Called by ``text.pdf.read_pdf`` for pages without a text
    layer; True: the page is a separator sheet or blank, not to be read."""

    def __init__(self, settings: SplitSettings, dpi: int):
        self.settings, self.values = settings, _separator_values(settings)
        self.factor = dpi // settings.barcode_dpi
        self.survey = Survey()

    @staticmethod
    def folds(settings: SplitSettings, dpi: int) -> bool:
        """Whether pages read at ``dpi`` can be looked at this way (else ``survey_pages`` renders them)."""
        return (settings.separators or settings.by_content) and dpi % settings.barcode_dpi == 0

    def __call__(self, number: int, image: Image.Image) -> bool:
        grey = image if image.mode == "L" else image.convert("L")
        small = grey.reduce(self.factor) if self.factor > 1 else grey.copy()
        small.info["dpi"] = (self.settings.barcode_dpi, self.settings.barcode_dpi)
        try:
            return _judge(self.survey, number, small, self.settings, self.values)
        finally:
            small.close()


def find_separators(path: Path, media_type: str, settings: SplitSettings, *, max_pages: int) -> dict[int, str]:
    """Page number (1-based) → why it is a separator, for every separator page of the document."""
    return survey_pages(path, media_type, settings.model_copy(update={"by_content": False}),
                        max_pages=max_pages).separators


# Ink darker than this on less than this share of the page: blank (a back, an empty sheet).
# One short printed line at 100 dpi is several times the share; grey paper, noise and
# show-through stay lighter than the threshold.
_INK = 140
_BLANK_SHARE = 0.0001


def looks_blank(image: Image.Image) -> bool:
    grey = image if image.mode == "L" else image.convert("L")
    histogram = grey.histogram()
    return sum(histogram[:_INK]) < _BLANK_SHARE * grey.width * grey.height


def separator_reason(image: Image.Image, values: set[str], *, patch_t: bool, dpi: float | None = None) -> str | None:
    """Why ``image`` is a separator sheet, or None."""
    grey = image if image.mode == "L" else image.convert("L")
    try:
        codes = zxingcpp.read_barcodes(grey, formats=_FORMATS)
    except Exception as exc:  # noqa: BLE001 - a reader failure must not fail the document
        log.debug("barcode reading failed: %s", exc)
        codes = []
    for code in codes:
        if code.text.strip() in values:
            kind = "QR code" if code.format == zxingcpp.BarcodeFormat.QRCode else "Code 128 barcode"
            return f"separator sheet ({kind} {code.text.strip()!r})"
    if patch_t and has_patch_t(grey, dpi or grey.info.get("dpi", (0, 0))[0] or _guess_dpi(grey)):
        return "separator sheet (PATCH T)"
    return None


def _guess_dpi(image: Image.Image) -> float:
    # A page with no resolution recorded: assume A4 (210 mm wide) across the image's narrow side.
    return min(image.size) / (210 / 25.4)


def has_patch_t(image: Image.Image, dpi: float) -> bool:
    """True when the page carries PATCH T bars: narrow, wide, narrow, wide (either reading
    direction, either orientation), at least 19 mm long."""
    bw = ImageOps.autocontrast(image).point(lambda v: 0 if v < 128 else 255)
    return _bars_found(bw, dpi) or _bars_found(bw.transpose(Image.Transpose.ROTATE_90), dpi)


def _bars_found(bw: Image.Image, dpi: float) -> bool:
    mm = dpi / 25.4
    pattern = _patch_pattern(round(2.03 * mm, 1), round(5.08 * mm, 1))
    step = max(1, round(mm))  # one scan line per millimetre
    width, height = bw.size
    data = bw.tobytes()
    rows = len(range(0, height, step))
    needed = max(1, math.ceil(19 * mm / step))  # consecutive scan lines crossing the bars

    def crosses(row: int) -> bool:
        y = row * step
        return pattern.search(data, y * width, (y + 1) * width) is not None

    def run_through(row: int) -> bool:  # does the run of crossing lines through ``row`` reach ``needed``?
        length, below, above = 1, row - 1, row + 1
        while length < needed and below >= 0 and crosses(below):
            length, below = length + 1, below - 1
        while length < needed and above < rows and crosses(above):
            length, above = length + 1, above + 1
        return length >= needed

    # Any ``needed`` consecutive lines include one whose number is a multiple of ``needed`` (less
    # one): only those are searched first, a run is followed only through one that crosses.
    # Same answer as searching every line, at a fraction of the cost on a page of text.
    return any(crosses(row) and run_through(row) for row in range(needed - 1, rows, needed))


@lru_cache(maxsize=8)
def _patch_pattern(narrow: float, wide: float) -> re.Pattern[bytes]:
    """Bars and gaps of PATCH T along a black (0) / white (255) scan line: narrow, wide, narrow,
    wide bars (or the reverse: the sheet fed the other way round) with narrow gaps, and a quiet
    zone of two narrow widths after (and white before). Widths within 35 % (narrow) and 25 % (wide)."""

    def span(size: float, slack: float) -> tuple[int, int]:
        tolerance = max(slack * size, 1.5)
        return max(1, int(size - tolerance + 0.999)), int(size + tolerance)

    n, w = span(narrow, 0.35), span(wide, 0.25)
    quiet = max(2, int(2 * narrow))
    dark = {"N": rb"\x00{%d,%d}" % n, "W": rb"\x00{%d,%d}" % w}
    gap = rb"[^\x00]{%d,%d}" % n
    bars = [gap.join(dark[b] for b in order) for order in ("NWNW", "WNWN")]
    # The quiet zones are checked after the first bar's start is found: a look-behind tried at
    # every white pixel would cost the scan its speed.
    return re.compile(rb"(?<![\x00])(?:%s)(?![\x00])(?:[^\x00]{%d}|$)" % (b"|".join(bars), quiet))


def _has_text_layer(page: pdfium.PdfPage) -> bool:
    """Born digital, for the look: neither a separator sheet nor a blank scan (``text.pdf`` asks
    the same before handing a page to ``PageLook``)."""
    try:
        textpage = page.get_textpage()
        try:
            return textpage.count_chars() >= 20
        finally:
            textpage.close()
    except pdfium.PdfiumError:
        return False


def _small_pages(path: Path, media_type: str, dpi: int, max_pages: int,
                 max_pixels: int = 200_000_000) -> Iterator[tuple[int, Image.Image]]:
    """Each page as a small grey image (dpi recorded in ``info``); pages past ``max_pages`` are
    not looked at (reading refuses such a document anyway). A one-page document is no stack:
    nothing to look at."""
    if media_type == PDF:
        try:
            pdf = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError:
            return  # reading reports what is wrong with the file
        try:
            if len(pdf) < 2:
                return
            for index in range(min(len(pdf), max_pages)):
                page = pdf[index]
                try:
                    if _has_text_layer(page):
                        continue  # born digital: neither a separator sheet nor a blank scan
                    width, height = page.get_size()
                    if width * height * (dpi / 72) ** 2 > max_pixels:
                        continue  # a page meant to exhaust memory: reading says what is wrong
                    image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
                except pdfium.PdfiumError:
                    continue
                finally:
                    page.close()
                image.info["dpi"] = (dpi, dpi)
                yield index + 1, image
        finally:
            pdf.close()
        return
    Image.MAX_IMAGE_PIXELS = None  # reading checks the size against our own limit
    try:
        source = Image.open(path)
    except OSError:
        return
    with source:
        if getattr(source, "n_frames", 1) < 2:
            return
        for index in range(min(getattr(source, "n_frames", 1), max_pages)):
            try:
                source.seek(index)
                if source.width * source.height > max_pixels:
                    continue  # decoding it would exhaust memory: reading refuses it by name
                frame = source.convert("L")
            except (OSError, ValueError, EOFError):
                continue
            own = source.info.get("dpi", (0, 0))[0] or _guess_dpi(frame)
            scale = min(1.0, dpi / own)
            small = frame.resize((max(1, round(frame.width * scale)), max(1, round(frame.height * scale))),
                                 Image.BILINEAR) if scale < 1 else frame
            small.info["dpi"] = (own * scale, own * scale)
            yield index + 1, small
