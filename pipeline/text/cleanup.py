"""Faded and unevenly lit slips made legible before Tesseract sees them; clean prints untouched.

Thermal print fades to a grey not far from the paper's, and a phone lights a slip unevenly.
Tesseract finds lines and words on a binarised page: under a shadow the paper at one end is
darker than the ink at the other, so Otsu's one threshold loses whole lines, and Sauvola's local
one is tuned for black ink. The paper's own brightness is estimated (a grey closing, far wider
than a stroke, taken on a reduced copy: cheap), the page divided by it, so the paper is white
everywhere, and the ink stretched to black. Only a page whose paper is uneven or whose ink is
faint is changed: a crisp print is returned as it is, at the cost of the measurement alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageFilter

# The measurement and the background are taken on a copy this many times smaller.
_REDUCE = 4
# The closing's window on the reduced copy (x4 on the page): wider than any stroke of text.
_WINDOW = 9
# Paper brightness varying by more than this (grey levels, 5th-95th percentile) is a shadow.
_UNEVEN = 40.0
# Ink whose darkest strokes stay this light against their paper (0 black, 255 paper) is faded.
_FAINT = 110.0
# The darkest strokes: this quantile of the flattened page (text covers a few per cent of a slip).
_INK_QUANTILE = 0.5


@dataclass(frozen=True, slots=True)
class Look:
    """What the measurement found: the paper's spread and how dark the ink is, flattened."""

    uneven: float
    ink: float

    @property
    def needs_cleaning(self) -> bool:
        return self.uneven > _UNEVEN or self.ink > _FAINT


def _background(image: Image.Image) -> Image.Image:
    small = image.reduce(_REDUCE) if min(image.size) >= 8 * _REDUCE else image
    paper = small.filter(ImageFilter.MaxFilter(_WINDOW)).filter(ImageFilter.MinFilter(_WINDOW))
    return paper.filter(ImageFilter.GaussianBlur(_WINDOW / 2))


def measure(image: Image.Image) -> Look:
    import numpy as np

    grey = image if image.mode == "L" else image.convert("L")
    paper = np.asarray(_background(grey), dtype=np.float32)
    # Every REDUCE-th pixel as it is (an average would lighten thin strokes), over the paper
    # brightness around it.
    page = np.asarray(grey, dtype=np.float32)[: paper.shape[0] * _REDUCE: _REDUCE, : paper.shape[1] * _REDUCE: _REDUCE]
    paper = paper[: page.shape[0], : page.shape[1]]
    flat = np.clip(page / np.maximum(paper, 1.0) * 255.0, 0, 255)
    low, high = np.percentile(paper, [5, 95])
    return Look(uneven=float(high - low), ink=float(np.percentile(flat, _INK_QUANTILE)))


def clean(image: Image.Image, look: Look | None = None) -> Image.Image:
    """``image`` (grey) with its paper made white and its ink black, if it needs it."""
    import numpy as np

    if image.mode != "L":
        return image
    look = look or measure(image)
    if not look.needs_cleaning:
        return image
    paper = _background(image).resize(image.size, Image.BILINEAR)
    page = np.asarray(image, dtype=np.float32)
    flat = page / np.maximum(np.asarray(paper, dtype=np.float32), 1.0) * 255.0
    ink = float(np.percentile(flat[:: _REDUCE, :: _REDUCE], _INK_QUANTILE))
    # Stretch the flattened ink's range to the full one: faint strokes come out dark.
    span = max(250.0 - ink, 1.0)
    out = np.clip((flat - ink) * (255.0 / span), 0, 255).astype(np.uint8)
    return Image.fromarray(out, "L")
