"""One page image in, one ``Page`` of positioned words out, through Tesseract.

A pure function of the image and the OCR settings, so the worker pool can run it anywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from PIL import Image, ImageOps

from ..records import Page, Word
from . import engine

# OSD's confidence drops quickly on downscaled pages; 300 dpi A4 (3508 px) is read as is.
_OSD_MAX_SIDE = 3600
# Below SURE, OSD's verdict is checked by reading the page both ways; below MIN it is ignored.
_OSD_SURE = 5.0
_OSD_MIN = 1.0
# An upright reading this poor is worth one more try upside down (OSD misses some pages).
_POOR_READING = 50.0
# A reading counts as upright with this many confident words of three letters or more and this
# mean confidence (upside-down and sideways readings of generated scans: 37-45; upright 90+).
_UPRIGHT_MIN_WORDS = 10
_UPRIGHT_WORD_CONF = 60.0
_UPRIGHT_MEAN_CONF = 70.0


# Tesseract's binarisation methods (thresholding_method): Otsu over the page, Otsu per tile, Sauvola.
_THRESHOLD = {"otsu": 0, "adaptive": 1, "sauvola": 2}
# Deskew: angles tried (degrees) and the smallest tilt worth a rotation.
_DESKEW_RANGE = 3.0
_DESKEW_STEP = 0.25
_DESKEW_MIN = 0.3
# A slip (photo_deskew) is straightened from this tilt on, unless a share of its pixels larger
# than _DESKEW_DARK_MAX is dark (a table around it).
_DESKEW_PHOTO_MIN = 1.0
_DESKEW_PHOTO_RANGE = 5.0  # a slip laid crooked on the glass, its own print tilted on the roll
_DESKEW_DARK_MAX = 0.3
_INK_BELOW = 140  # grey levels counted as ink on the stretched probe
_UPSCALE_MAX = 3.0


@dataclass(frozen=True, slots=True)
class OcrOptions:
    languages: str = "ita+eng"
    psm: int = 3
    fix_orientation: bool = True
    timeout: float = 0  # seconds per Tesseract call; 0 = no limit
    dictionaries: bool = True
    upscale_below: int = 0  # enlarge images narrower than this (pixels); 0 = never
    threshold: str = "otsu"
    deskew: bool = False
    text_height: int = 0  # read again enlarged when words are smaller than this (pixels); 0 = never
    read_first: bool = False  # read upright before asking OSD, which runs only if the reading looks turned
    engine: str = "api"  # Tesseract kept loaded in the process ("api") or run per reading ("cli"): engine.py

    @property
    def threshold_method(self) -> int:
        return _THRESHOLD[self.threshold]

    def tesseract_config(self) -> str:
        config = f"--psm {self.psm}"
        if not self.dictionaries:
            # Codes, prices and names are not dictionary words: without the word lists
            # Tesseract reads what is printed instead of the nearest word it knows.
            config += " -c load_system_dawg=0 -c load_freq_dawg=0"
        if self.threshold != "otsu":
            config += f" -c thresholding_method={self.threshold_method}"
        return config


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
    # None: too few characters (blank or photo pages), nothing to turn.
    return engine.image_to_osd(probe, options) or (0, 0.0)


_JUNK = re.compile(r"^[\W_]{1,2}$")


def upscale(image: Image.Image, min_width: int) -> Image.Image:
    """Small photos carry text a few pixels high; Tesseract reads best at 20-30 px per line."""
    if not min_width or image.width >= min_width:
        return image
    factor = min(min_width / image.width, _UPSCALE_MAX)
    return image.resize((round(image.width * factor), round(image.height * factor)), Image.LANCZOS)


def straightened(image: Image.Image) -> Image.Image:
    """A photo or scan of a slip turned by a degree or more, turned back once before any reading.
    Tesseract follows a small tilt itself; from about a degree, a narrow slip's lines drift into
    each other and its figures part from their labels (the study half's slips tilted 2.5 degrees:
    dates 0.96 -> 0.86, totals 0.97 -> 0.84; straightened, 0.92 and 0.90). Not trusted, and left
    as it is: an angle at the end of the range tried (no clear optimum), or a photo that is mostly
    dark (a slip on a dark table: the table's edges, not the lines, decide the profile)."""
    probe = _skew_probe(image)
    dark = sum(probe.histogram()[:_INK_BELOW]) / max(1, probe.width * probe.height)
    if dark > _DESKEW_DARK_MAX:
        return image
    angle = _sharpest_turn(probe, _DESKEW_PHOTO_RANGE)
    if not _DESKEW_PHOTO_MIN <= abs(angle) < _DESKEW_PHOTO_RANGE:
        return image
    grey = image.convert("L") if image.mode != "L" else image
    paper = max(range(256), key=grey.histogram().__getitem__)  # the commonest grey: the paper's
    # Turned at twice the size and brought back: turned as it is, a thin thermal stroke is
    # resampled across two pixels and fades (a study slip tilted 2.25 degrees read 100.90 as
    # 100.60); bilinear blurs more still (the tilted study copy's totals 0.90 -> 0.83).
    big = grey.resize((grey.width * 2, grey.height * 2), Image.LANCZOS)
    turned = big.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=paper)
    return turned.resize((turned.width // 2, turned.height // 2), Image.LANCZOS)


def skew_angle(image: Image.Image, limit: float = _DESKEW_RANGE) -> float:
    """Degrees the page is turned (counter-clockwise positive), found as the rotation whose
    row profile is sharpest: text lines make dark rows and white gaps when level."""
    return _sharpest_turn(_skew_probe(image), limit)


def _skew_probe(image: Image.Image) -> Image.Image:
    """The page small and grey, its contrast stretched: what the skew is measured on."""
    probe = image.copy()
    probe.thumbnail((800, 800))
    return ImageOps.autocontrast(probe.convert("L"))


def _sharpest_turn(probe: Image.Image, limit: float) -> float:
    probe = probe.point(lambda v: 255 if v < _INK_BELOW else 0)  # ink white on black, for rotation fill
    best, best_score = 0.0, -1.0
    steps = int(limit / _DESKEW_STEP)
    for i in range(-steps, steps + 1):
        angle = i * _DESKEW_STEP
        rotated = probe.rotate(angle, resample=Image.NEAREST, fillcolor=0)
        rows = rotated.resize((1, rotated.height), Image.BOX).tobytes()
        mean = sum(rows) / len(rows)
        score = sum((r - mean) ** 2 for r in rows)
        if score > best_score:
            best, best_score = angle, score
    return best


def _recognise(image: Image.Image, number: int, options: OcrOptions) -> list[Word]:
    data = engine.image_to_data(image, options, number)
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
    return words


def _median_height(words: list[Word]) -> float | None:
    """Median height of confidently read words of three or more characters (capital height
    plus descenders, roughly), or None when too few to tell."""
    heights = sorted(w.y1 - w.y0 for w in words if w.conf >= 60 and len(w.text) >= 3)
    if len(heights) < 5:
        return None
    return heights[len(heights) // 2]


def ocr_page(image: Image.Image, number: int, options: OcrOptions, *,
             alternates: tuple[OcrOptions, ...] = ()) -> Page:
    """OCR one page image; the image is fixed for EXIF orientation and rotation first. Each of
    ``alternates`` reads the same image again with other options; the readings hang off
    ``page.alternate`` in a chain, for extraction to consult."""
    page = _ocr_page(image, number, options)
    last = page
    for alternate in alternates:
        last.alternate = _ocr_page(image, number, replace(alternate, fix_orientation=False), rotation=page.rotation)
        last = last.alternate
    return page


def alternate_options(base: OcrOptions, specs: list[str]) -> tuple[OcrOptions, ...]:
    """Options for further readings, each written "psm=4" or "psm=6 threshold=sauvola" over ``base``."""
    out = []
    for spec in specs:  # checked when the settings were read (config.READING_OPTIONS)
        changes: dict[str, object] = {}
        for item in spec.split():
            key, _, value = item.partition("=")
            if key in ("psm", "upscale_below", "text_height"):
                changes[key] = int(value)
            elif key in ("dictionaries", "deskew"):
                changes[key] = value.lower() == "true"
            else:
                changes[key] = value
        out.append(replace(base, **changes))
    return tuple(out)


def _ocr_page(image: Image.Image, number: int, options: OcrOptions, *, rotation: int | None = None) -> Page:
    """One reading of the page, upright: EXIF orientation first, then Tesseract's OSD (unless
    ``rotation`` is already known).

    OSD is unreliable on pages with little text, so an unsure verdict is checked by reading
    the page both ways and keeping the reading with more confident words.
    """
    image = prepare(image)
    if rotation is not None or not options.fix_orientation:
        return _read(image, number, options, rotation or 0)
    upright = _read(image, number, options, 0) if options.read_first else None
    if upright is not None and reads_upright(upright):
        return upright
    rotate, confidence = detect_rotation(image, options)
    if rotate and confidence >= _OSD_SURE:
        return _read(image, number, options, rotate)
    upright = upright or _read(image, number, options, 0)
    if rotate and confidence >= _OSD_MIN:
        return max(upright, _read(image, number, options, rotate), key=_legibility)
    if len(upright.words) >= 5 and (upright.mean_confidence or 0) < _POOR_READING:
        return max(upright, _read(image, number, options, 180), key=_legibility)
    return upright


def reads_upright(page: Page) -> bool:
    """Does this reading come from an upright page? Upside down or sideways, Tesseract reads
    with low confidence, except a page turned a quarter, whose lines it reads as vertical text
    with confident words taller than wide."""
    good = [w for w in page.words if w.conf >= _UPRIGHT_WORD_CONF and len(w.text) >= 3]
    if len(good) < _UPRIGHT_MIN_WORDS or (page.mean_confidence or 0) < _UPRIGHT_MEAN_CONF:
        return False
    wide = sum(1 for w in good if w.x1 - w.x0 > w.y1 - w.y0)
    return wide >= 0.8 * len(good)


def _legibility(page: Page) -> float:
    """How much real text a reading found: confident words of three letters or more."""
    return sum(w.conf for w in page.words if len(w.text) >= 3 and w.conf >= 50)


def _read(image: Image.Image, number: int, options: OcrOptions, rotation: int) -> Page:
    if rotation:
        # PIL rotates counter-clockwise; OSD's figure is clockwise.
        image = image.rotate(-rotation, expand=True)
    if options.deskew:
        angle = skew_angle(image)
        if abs(angle) >= _DESKEW_MIN:
            image = image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)
    image = upscale(image, options.upscale_below)
    words = _recognise(image, number, options)
    if options.text_height:
        # Small print (a receipt photographed whole) is read far better enlarged: measure the
        # text height on this first reading and read again at the height Tesseract prefers.
        height = _median_height(words)
        if height and height < 0.75 * options.text_height:
            factor = min(options.text_height / height, _UPSCALE_MAX)
            image = image.resize((round(image.width * factor), round(image.height * factor)), Image.LANCZOS)
            words = _recognise(image, number, options)
    width, height = image.size
    return Page(number=number, width=width, height=height, words=words, method="ocr", rotation=rotation)
