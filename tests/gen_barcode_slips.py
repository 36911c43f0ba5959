"""Generated Kassenbons whose date is printed only on the line under the slip's barcode, with
the bars running into that line's digits, as German discounters' tills print them (till number,
receipt number, date, time: "3182 748433/01 02.03.20 15:59").

``slip(seed)`` is ``gen_slips.slip(seed, "de")`` with its own date line taken out and the
barcode's line added after the totals; ``render(slip, dest, seed, overlap=…)`` photographs it as
``gen_slips.render`` does, drawing the barcode (random bar widths, two to three lines tall) so
that its bars end ``overlap`` pixels below the tops of the digits under it (0: they just touch).
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

from gen_slips import DATE_FORMS, Slip
from gen_slips import slip as base_slip

# The line the barcode is drawn on (stands for the bars, printed as nothing).
BARS = "\x00BARCODE"


def slip(seed: int) -> Slip:
    rng = random.Random(seed)
    s = base_slip(seed, "de", time="after")
    day = s.fields["date"]
    import datetime as dt

    when = dt.date.fromisoformat(day)
    printed = {form(when) for form in DATE_FORMS.values()}
    lines = [line for line in s.lines if not any(p in line for p in printed)]
    assert len(lines) == len(s.lines) - 1, "the slip prints its date on one line"
    hour, minute = rng.randint(7, 21), rng.randint(0, 59)
    under = f"{rng.randint(1000, 9999)}  {rng.randint(100000, 999999)}/{rng.randint(1, 9):02d}" \
            f"      {when:%d.%m.%y}   {hour:02d}:{minute:02d}"
    footer = lines.pop()
    lines += ["", BARS, under, footer]
    return replace(s, lines=lines, traits={**s.traits, "date": "under_barcode"})


def render(slip_: Slip, dest: Path, seed: int, *, overlap: int = 4, scale: float = 2, tilt: float = 0.6,
           font: str = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf") -> Path:
    return render_bars(slip_, dest, seed, overlap=overlap, scale=scale, tilt=tilt, font=font)[0]


def render_bars(slip_: Slip, dest: Path, seed: int, *, overlap: int = 4, scale: float = 2, tilt: float = 0.6,
                font: str = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf") -> tuple[Path, tuple[int, int]]:
    """``render``, and the rows the bars were drawn from and to (before the photo's tilt)."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    rng = random.Random(seed)
    size = int(13 * scale)
    face = ImageFont.truetype(font, size)
    step = int(size * 1.45)
    width = int(max(42, *(len(line) for line in slip_.lines)) * size * 0.62 + 40 * scale)
    image = Image.new("L", (width, int(step * (len(slip_.lines) + 2) + 60 * scale)), 250)
    draw = ImageDraw.Draw(image)
    y = 30 * scale
    bars_at = None
    drawn = (0, 0)
    for line in slip_.lines:
        if line == BARS:
            bars_at = y
            y += step * rng.uniform(2.0, 3.0)
            continue
        if bars_at is not None:
            # The bars end ``overlap`` pixels below the tops of this line's digits.
            top = draw.textbbox((20 * scale, y), "0123456789", font=face)[1]
            drawn = (round(bars_at), round(top) + overlap)
            _bars(draw, rng, round(60 * scale), round(width - 60 * scale), *drawn, scale)
            bars_at = None
        draw.text((20 * scale, y), line, fill=25, font=face)
        y += step
    image = image.rotate(rng.uniform(-tilt, tilt), resample=Image.BICUBIC, expand=True, fillcolor=235)
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.7)))
    noise = Image.frombytes("L", image.size, rng.randbytes(image.size[0] * image.size[1]))
    image = Image.blend(image, noise, rng.uniform(0.04, 0.08))
    image.save(dest, "JPEG", quality=85, dpi=(200, 200))
    return dest, drawn


def _bars(draw, rng: random.Random, x0: int, x1: int, top: int, bottom: int, scale: float) -> None:
    """A barcode's bars, one to four modules wide with gaps of one to four, from ``x0`` to ``x1``."""
    module = max(2, round(1.2 * scale))
    x = x0
    while x < x1 - 4 * module:
        wide = rng.randint(1, 4) * module
        draw.rectangle((x, top, x + wide - 1, bottom), fill=25)
        x += wide + rng.randint(1, 4) * module
