"""Photos and scans of till slips whose print has faded: the damage ``gen_slips.render`` does not
do, and the kind of slip whose fields are lost in the reading rather than in the rules.

Thermal paper fades to a grey print a little darker than the paper; a phone photo of it is lit
unevenly (a shadow across the roll, a lamp at one side), and a scan of it is small. Each look
is one KIND of damage, drawn per seed:

- ``faded``: grey, thin print (a Courier face) on white, as a faded roll scanned;
- ``shadow``: the faded print photographed under uneven light: the paper goes from white to a
  grey darker than the ink on the lit side;
- ``small``: the faded print, small (text a few pixels high), as a low-resolution scan.

``render_faded`` writes the photo; the slip itself (its lines and labelled fields) is
``gen_slips.slip``'s.
"""

from __future__ import annotations

import random
from pathlib import Path

from gen_slips import WIDTH, Slip

COURIER = "/usr/share/fonts/opentype/urw-base35/NimbusMonoPS-Regular.otf"
LOOKS = ("faded", "shadow", "small")


def render_faded(slip_: Slip, dest: Path, seed: int, look: str = "faded", *, ink: int | None = None) -> Path:
    """A photo of ``slip_`` with its print faded (``look`` in ``LOOKS``). ``ink``: the print's
    grey level (paper is about 248); drawn per seed when not given."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    if look not in LOOKS:
        raise ValueError(f"unknown look {look!r}; known: {LOOKS}")
    rng = random.Random(seed)
    scale = 1.25 if look == "small" else 2.0
    size = int(13 * scale)
    face = ImageFont.truetype(COURIER, size)
    step = int(size * 1.45)
    paper = 248
    ink = ink if ink is not None else rng.randint(165, 185)
    width = int(max(WIDTH, *(len(line) for line in slip_.lines)) * size * 0.62 + 40 * scale)
    image = Image.new("L", (width, int(step * len(slip_.lines) + 60 * scale)), paper)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(slip_.lines):
        draw.text((20 * scale, 30 * scale + i * step), line, fill=ink, font=face)
    image = image.rotate(rng.uniform(-1.0, 1.0), resample=Image.BICUBIC, expand=True, fillcolor=paper)
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 0.6)))
    pixels = np.asarray(image, dtype=np.float32)
    if look == "shadow":
        # Light falling off across the roll and down it: the far corner's paper ends darker
        # than the ink where the light is good, so no one threshold can part ink from paper.
        h, w = pixels.shape
        ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
        angle = rng.uniform(0.0, 6.28)
        ramp = (np.cos(angle) * xs / w + np.sin(angle) * ys / h)
        ramp = (ramp - ramp.min()) / max(float(ramp.max() - ramp.min()), 1e-6)
        pixels = pixels * (1.0 - rng.uniform(0.40, 0.50) * ramp)
    noise = np.frombuffer(rng.randbytes(pixels.size), dtype=np.uint8).reshape(pixels.shape)
    pixels = pixels + (noise.astype(np.float32) - 127.5) * 0.06
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L")
    image.save(dest, "JPEG", quality=80, dpi=(200, 200))
    return dest
