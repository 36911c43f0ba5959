"""Faded and unevenly lit slips made legible before Tesseract sees them; clean prints untouched.

Thermal print fades to a grey not far from the paper's, and a phone lights a slip unevenly.
Tesseract finds lines and words on a binarised page: under a shadow the paper at one end is
darker than the ink at the other, so Otsu's one threshold loses whole lines, and faint strokes
break up. The paper's own brightness is estimated (a grey closing far wider than a stroke, on a
reduced copy: cheap), the page divided by it, so the paper is white everywhere, and the ink
stretched to black. Only a page whose paper is uneven or whose ink is faint is changed: a crisp
print is returned as it is, at the cost of the measurement alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageFilter

# The measurement and the background are taken on a copy about this wide (a slip's paper
# varies slowly; text strokes are a few pixels there).
_PROBE_SIDE = 250
# The closing's window on that copy: wider than any stroke of text on a slip photographed whole.
_WINDOW = 9
# Paper brightness varying by more than this (grey levels, 5th-95th percentile) is a shadow...
_UNEVEN = 40.0
# ... when it varies smoothly: a step steeper than this (grey levels per pixel of the reduced
# copy, 99th percentile) is the slip's edge on a table or a board, which flattening would turn
# into a page of texture (shadows of the generated slips: under 1.5; a slip on a table: 10+).
_EDGE = 5.0
# Ink whose darkest strokes stay this light against their paper (0 black, 255 paper) is faded.
# Fresh thermal or laser print, photographed or scanned: under 115; faded rolls: 150 and more.
_FAINT = 125.0
# The darkest strokes: this percentile of the flattened page (text covers a few per cent of it).
_INK_PERCENTILE = 0.5
# Ink this light is a faded roll's (150 and more), not a grey but fresh print photographed roughly
# (generated rough slips: 114-143; thin Courier rough and gen_faded's looks: 157-208).
_FADED = 150.0


@dataclass(frozen=True, slots=True)
class Look:
    """What the measurement found: how much the paper's brightness varies and how light the
    darkest ink is once the paper is flattened."""

    uneven: float
    ink: float
    edges: float = 0.0

    @property
    def needs_cleaning(self) -> bool:
        return self.ink > _FAINT or (self.uneven > _UNEVEN and self.edges < _EDGE)

    @property
    def faded(self) -> bool:
        return self.ink > _FADED


def _reduction(image: Image.Image) -> int:
    return max(1, min(image.size) // _PROBE_SIDE)


def _paper(image: Image.Image, reduce: int) -> Image.Image:
    """The paper's brightness on a copy ``reduce`` times smaller: text closed over by the
    brightest surroundings, then smoothed."""
    import numpy as np

    small = np.asarray(image.reduce(reduce) if reduce > 1 else image)
    # A grey closing, separable and vectorised (Pillow's rank filters sort every window).
    closed = _slide(_slide(_slide(_slide(small, np.max, 0), np.max, 1), np.min, 0), np.min, 1)
    return Image.fromarray(closed, "L").filter(ImageFilter.GaussianBlur(_WINDOW / 2))


def _slide(a, pick, axis: int):
    import numpy as np

    half = _WINDOW // 2
    padded = np.pad(a, [(half, half) if i == axis else (0, 0) for i in range(2)], mode="edge")
    return pick(np.lib.stride_tricks.sliding_window_view(padded, _WINDOW, axis=axis), axis=-1)


def _flat(image, paper, reduce: int):
    """Every ``reduce``-th pixel as it is (an average would lighten thin strokes) over the
    paper's brightness there, 255 = paper."""
    import numpy as np

    paper = np.asarray(paper, dtype=np.float32)
    page = np.asarray(image, dtype=np.float32)[: paper.shape[0] * reduce: reduce, : paper.shape[1] * reduce: reduce]
    return page / np.maximum(paper[: page.shape[0], : page.shape[1]], 1.0) * 255.0, paper


def measure(image: Image.Image) -> Look:
    return _measured(image)[0]


def _measured(image: Image.Image) -> tuple[Look, Image.Image]:
    """The look of ``image`` and its paper's brightness on the reduced copy."""
    import numpy as np

    reduce = _reduction(image)
    small_paper = _paper(image, reduce)
    flat, paper = _flat(image, small_paper, reduce)
    low, high = np.percentile(paper, [5, 95])
    rise, run = np.gradient(paper)
    look = Look(uneven=float(high - low), ink=float(np.percentile(np.minimum(flat, 255.0), _INK_PERCENTILE)),
                edges=float(np.percentile(np.hypot(rise, run), 99)))
    return look, small_paper


def clean(image: Image.Image) -> Image.Image:
    """``image`` (grey) with its paper made white and its ink stretched to black, if it is
    faded or unevenly lit; otherwise ``image`` itself."""
    import numpy as np

    if image.mode != "L" or min(image.size) < 2 * _WINDOW:
        return image
    look, small_paper = _measured(image)
    if not look.needs_cleaning:
        return image
    full = np.asarray(small_paper.resize(image.size, Image.BILINEAR), dtype=np.float32)
    flat = np.asarray(image, dtype=np.float32) / np.maximum(full, 1.0) * 255.0
    # The flattened ink's range stretched to the full one: faint strokes come out dark.
    span = max(250.0 - look.ink, 1.0)
    out = np.clip((flat - look.ink) * (255.0 / span), 0, 255).astype(np.uint8)
    return Image.fromarray(out, "L")
