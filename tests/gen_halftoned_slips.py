"""Till slips scanned in an office scanner's black-and-white "halftone" (dithered) mode, or faxed.

A scanner set to 1-bit output with halftoning renders every shade of grey as a pattern of single
black dots on white (error diffusion, Floyd-Steinberg): print darker than mid grey stays mostly
solid, but the light grey of faded thermal print or of a dot-matrix ribbon becomes a loose field
of lone dots where no stroke touches the next. Such a page is what a back office files when the
scanner's default is "B/W, halftone" (and what a fax machine sends).

``render_halftoned(slip, dest, seed, look)`` scans ``slip`` as ``gen_scanned_slips.render_scanned``
does with its damage ``look``, maps the paper to white (a scanner's white point), resamples it to
the resolution drawn for the seed and dithers it; saved as a 1-bit PNG or a Group 4 TIFF (a
fax's compression), or a JPEG of the dithered page (a bilevel scan filed as JPEG again).
"""

from __future__ import annotations

import random
from pathlib import Path

from gen_scanned_slips import render_scanned
from gen_slips import Slip

FORMATS = ("png", "tiff", "jpeg")


def render_halftoned(slip_: Slip, dest: Path, seed: int, look: str = "faded", *, fmt: str | None = None) -> Path:
    """A dithered 1-bit scan of ``slip_`` (``dest``'s suffix is replaced by the format's)."""
    from PIL import Image

    rng = random.Random(seed * 13 + 5)
    fmt = fmt or rng.choice(FORMATS)
    grey = Image.open(render_scanned(slip_, dest.with_suffix(".grey.jpg"), seed, look)).convert("L")
    white = rng.randint(225, 238)  # the scanner's white point: the paper's grey and lighter is white
    grey = grey.point(lambda v: min(255, round(v * 255 / white)))
    scale = rng.uniform(1.0, 1.7)  # 200 to 300 dpi against the grey scan's
    grey = grey.resize((round(grey.width * scale), round(grey.height * scale)), Image.BICUBIC)
    bilevel = grey.convert("1")  # Pillow dithers by Floyd-Steinberg error diffusion
    if fmt == "png":
        out = dest.with_suffix(".png")
        bilevel.save(out)
    elif fmt == "tiff":
        out = dest.with_suffix(".tif")
        bilevel.save(out, compression="group4")
    else:
        out = dest.with_suffix(".jpg")
        bilevel.convert("L").save(out, quality=rng.randint(50, 85))
    dest.with_suffix(".grey.jpg").unlink()
    return out
