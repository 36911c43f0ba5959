"""One page image in, one ``Page`` of positioned words out, through Tesseract.

A pure function of the image and the OCR settings, so the worker pool can run it anywhere.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import pytesseract
from PIL import Image, ImageOps

from ..errors import OcrError
from ..records import Page, Word

log = logging.getLogger(__name__)

# OSD's confidence drops quickly on downscaled pages; 300 dpi A4 (3508 px) is read as is.
_OSD_MAX_SIDE = 3600
# Below SURE, OSD's verdict is checked by reading the page both ways; below MIN it is ignored.
_OSD_SURE = 5.0
_OSD_MIN = 1.0
# An upright reading this poor is worth one more try upside down (OSD misses some pages).
_POOR_READING = 50.0


@dataclass(frozen=True, slots=True)
class OcrOptions:
    languages: str = "ita+eng"
    psm: int = 3
    fix_orientation: bool = True
    timeout: float = 0  # seconds per Tesseract call; 0 = no limit


def prepare(image: Image.Image) -> Image.Image:
    """Grey, upright per EXIF, no alpha: the form Tesseract reads best and fastest."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P", "PA"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    if image.mode not in ("L", "1"):
        image = image.convert("L")
    return image


def detect_rotation(image: Image.Image, options: OcrOptions) -> tuple[int, float]:
    """Degrees (0/90/180/270, clockwise) the page must turn to read upright, and OSD's confidence."""
    probe = image
    if max(image.size) > _OSD_MAX_SIDE:
        probe = image.copy()
        probe.thumbnail((_OSD_MAX_SIDE, _OSD_MAX_SIDE))
    try:
        osd = pytesseract.image_to_osd(
            probe,
            config="--psm 0 -c min_characters_to_try=10",
            output_type=pytesseract.Output.DICT,
            timeout=options.timeout,
        )
    except pytesseract.TesseractError as exc:
        # "Too few characters" on blank or photo pages: nothing to turn.
        log.debug("orientation not detected: %s", exc)
        return 0, 0.0
    except RuntimeError as exc:  # pytesseract's timeout
        raise OcrError(f"orientation detection timed out: {exc}") from None
    return int(osd.get("rotate", 0)) % 360, float(osd.get("orientation_conf", 0.0))


_JUNK = re.compile(r"^[\W_]{1,2}$")


def ocr_page(image: Image.Image, number: int, options: OcrOptions) -> Page:
    """OCR one page image, upright: EXIF orientation first, then Tesseract's OSD.

    OSD is unreliable on pages with little text, so an unsure verdict is checked by reading
    the page both ways and keeping the reading with more confident words.
    """
    image = prepare(image)
    if not options.fix_orientation:
        return _read(image, number, options, 0)
    rotate, confidence = detect_rotation(image, options)
    if rotate and confidence >= _OSD_SURE:
        return _read(image, number, options, rotate)
    upright = _read(image, number, options, 0)
    if rotate and confidence >= _OSD_MIN:
        return max(upright, _read(image, number, options, rotate), key=_legibility)
    if len(upright.words) >= 5 and (upright.mean_confidence or 0) < _POOR_READING:
        return max(upright, _read(image, number, options, 180), key=_legibility)
    return upright


def _legibility(page: Page) -> float:
    """How much real text a reading found: confident words of three letters or more."""
    return sum(w.conf for w in page.words if len(w.text) >= 3 and w.conf >= 50)


def _read(image: Image.Image, number: int, options: OcrOptions, rotation: int) -> Page:
    if rotation:
        # PIL rotates counter-clockwise; OSD's figure is clockwise.
        image = image.rotate(-rotation, expand=True)
    try:
        data = pytesseract.image_to_data(
            image,
            lang=options.languages,
            config=f"--psm {options.psm}",
            output_type=pytesseract.Output.DICT,
            timeout=options.timeout,
        )
    except pytesseract.TesseractNotFoundError:
        raise OcrError("Tesseract is not installed or not on PATH") from None
    except pytesseract.TesseractError as exc:
        raise OcrError(f"Tesseract failed on page {number}: {exc.message or exc}") from None
    except RuntimeError as exc:
        raise OcrError(f"Tesseract timed out on page {number}: {exc}") from None

    words: list[Word] = []
    line_ids: dict[tuple[int, int, int], int] = {}
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        if conf < 30 and _JUNK.match(text):
            continue  # specks read as punctuation
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        line = line_ids.setdefault(key, len(line_ids))
        left, top = data["left"][i], data["top"][i]
        words.append(Word(text, left, top, left + data["width"][i], top + data["height"][i], conf, line))
    width, height = image.size
    return Page(number=number, width=width, height=height, words=words, method="ocr", rotation=rotation)
