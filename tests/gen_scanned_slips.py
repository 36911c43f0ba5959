"""Till slips laid on a flat-bed scanner: the damage of the scan rather than of a phone photo.

``gen_slips.render`` and ``gen_faded`` photograph a slip (tilt, blur, noise, a shadow). A slip
scanned flat is level and evenly lit, but what the till printed and what the scanner kept is
poor in other ways, and those are the ways Tesseract turns a line into noise. Each look is one
KIND of damage (the slip's content, and so its labelled fields, are ``gen_slips.slip``'s):

- ``dotmatrix``: every glyph printed as dots with gaps between them (a dot-matrix or a worn
  thermal head), light grey;
- ``faded``: light-grey thermal print, thin strokes;
- ``lowres``: scanned at low resolution: capitals 8-10 pixels high;
- ``speckle``: dust and toner specks over a background that darkens unevenly across the glass;
- ``double``: the total's line printed double height (tills print the amount to pay so);
- ``bold``: a bold, condensed till face whose letters run into each other;
- ``dashed``: worn thermal print: a thin face whose strokes the head printed broken. A thermal
  head prints the slip one row of dots at a time; where a worn head or fading paper drops dots,
  horizontal streaks of missing dots a pixel or two tall, randomly spaced along the row, cut
  every vertical stroke they cross into short dashes, and single dots drop out at random. The
  dots left are a light grey (``dashed_print`` draws it, knobs per call).

Every look is saved as a greyscale JPEG of quality 30-60, as scanned receipts are filed.
Looks combine: "faded+lowres" is faded print scanned at a low resolution. ``render_scanned``
writes the image; ``total_line`` says which of the slip's lines holds the total.
"""

from __future__ import annotations

import random
from pathlib import Path

from gen_slips import WIDTH, Slip

MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
MONO_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
MONO_PLAIN_BOLD = "/usr/share/fonts/opentype/urw-base35/NimbusMonoPS-Bold.otf"
NARROW_BOLD = "/usr/share/fonts/opentype/urw-base35/NimbusSansNarrow-Bold.otf"
THIN = "/usr/share/fonts/truetype/dejavu/DejaVuSans-ExtraLight.ttf"
LOOKS = ("dotmatrix", "faded", "lowres", "speckle", "double", "bold", "dashed")

# Words a total's line starts with in gen_slips' blocks (the last such line before the payment).
_TOTAL_WORDS = ("TOTAL", "NETT TOTAL", "GRAND TOTAL", "ROUNDED TOTAL", "TOTALE", "SUMME", "Zu zahlen")


def total_line(slip_: Slip) -> int:
    """The index of the line printing the amount to pay."""
    figure = slip_.fields["total_amount"]
    figures = {figure, figure.replace(".", ",")}
    best = -1
    for i, line in enumerate(slip_.lines):
        words = line.split()
        if words and words[-1] in figures and any(line.startswith(w) for w in _TOTAL_WORDS):
            best = i
    if best < 0:
        raise ValueError("the slip prints no total line")
    return best


def _glyphs(text: str, face):
    """``text`` drawn 1-bit at a small size: the cells a dot-matrix head fires."""
    from PIL import Image, ImageDraw

    width = face.getbbox(text)[2] if text.strip() else 1
    image = Image.new("L", (width + 2, face.getbbox("Hgjy|")[3] + 2), 0)
    ImageDraw.Draw(image).text((1, 1), text, fill=255, font=face)
    return image.point(lambda v: 255 if v >= 110 else 0)


def _dot_line(text: str, pitch: float, dot: float, ink: int, paper: int, cells: int):
    """A line of dot-matrix print: each fired cell a round dot of diameter ``dot`` on a grid of
    ``pitch`` pixels, gaps of paper between the dots."""
    from PIL import Image, ImageDraw, ImageFont

    # A plain zero: DejaVu's dotted zero fired on a coarse grid prints an 8, which no reading
    # could tell from one.
    face = ImageFont.truetype(MONO_PLAIN_BOLD, cells)
    grid = _glyphs(text, face)
    out = Image.new("L", (round(grid.width * pitch), round(grid.height * pitch)), paper)
    draw = ImageDraw.Draw(out)
    r = dot / 2
    pixels = grid.load()
    for y in range(grid.height):
        for x in range(grid.width):
            if pixels[x, y]:
                cx, cy = x * pitch + pitch / 2, y * pitch + pitch / 2
                draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=ink)
    return out


def dashed_print(coverage, rng: random.Random, *, streaks: float | None = None, dropout: float | None = None,
                 fire: int = 60):
    """Where a worn thermal head fired, from ``coverage`` (a grey array, 255 where the glyphs
    cover a pixel fully): a boolean array of the dots printed. A dot fires where the glyph
    covers at least ``fire``/255 of it; then, along the head's rows, streaks of missing dots a
    pixel or two tall take out runs of 3-30 dots, one starting at a dot with probability
    ``streaks`` (drawn in 0.004-0.008 when not given: some 7-15 % of the dots), and any dot left
    drops out with probability ``dropout`` (0.03-0.10)."""
    import numpy as np

    streaks = streaks if streaks is not None else rng.uniform(0.003, 0.006)
    dropout = dropout if dropout is not None else rng.uniform(0.03, 0.10)
    fired = np.asarray(coverage) >= fire
    h, w = fired.shape
    gen = np.random.default_rng(rng.getrandbits(32))
    missing = np.zeros((h, w), dtype=bool)
    starts = gen.random((h, w)) < streaks  # a streak starts here, runs on along the row
    ys, xs = np.nonzero(starts)
    for y, x in zip(ys, xs):
        tall = 1 if gen.random() < 0.6 else 2
        missing[y:y + tall, x:x + int(gen.integers(3, 31))] = True
    return fired & ~missing & (gen.random((h, w)) >= dropout)


def render_scanned(slip_: Slip, dest: Path, seed: int, look: str = "dotmatrix", *, quality: int | None = None) -> Path:
    """A flat-bed scan of ``slip_`` with the damage ``look`` (one of ``LOOKS``), saved as a grey
    JPEG of ``quality`` (drawn in 30-60 per seed when not given)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    kinds = look.split("+")
    if not kinds or any(k not in LOOKS for k in kinds):
        raise ValueError(f"unknown look {look!r}; known: {LOOKS} (joined with '+' to combine)")
    rng = random.Random(seed * 7 + sum(LOOKS.index(k) for k in kinds))
    quality = quality if quality is not None else rng.randint(30, 60)
    paper = rng.randint(240, 250)
    ink = rng.randint(150, 180) if "faded" in kinds else rng.randint(90, 140) if "dotmatrix" in kinds else \
        rng.randint(30, 70)
    dashed = "dashed" in kinds
    if dashed:
        # The glyphs are drawn as coverage on black and printed through the worn head below.
        ink, paper, printed_ink, printed_paper = 255, 0, rng.randint(70, 130), paper
    size = rng.randint(20, 23) if "bold" in kinds else rng.randint(18, 21)
    font = NARROW_BOLD if "bold" in kinds else THIN if dashed else MONO
    face = ImageFont.truetype(font, size)
    step = int(size * 1.45)
    double = total_line(slip_) if "double" in kinds else -1
    rows = len(slip_.lines) + (1 if double >= 0 else 0)
    chars = max(WIDTH, *(len(line) for line in slip_.lines))
    # A condensed face is narrower than the monospaced roll: its lines are spaced to the roll's
    # width by padding with spaces, as tills do (the figures stay right-aligned).
    advance = size * 0.62 if font == MONO else size * 0.45
    margin = int(size * 1.5)
    image = Image.new("L", (int(chars * size * 0.62) + 2 * margin, step * rows + 2 * margin), paper)
    draw = ImageDraw.Draw(image)
    pitch = rng.uniform(2.0, 2.6)  # a dot-matrix head's dot spacing, in pixels
    cells = max(10, round(1.2 * size / pitch))
    y = margin
    for i, line in enumerate(slip_.lines):
        if "dotmatrix" in kinds:
            strip = _dot_line(line, pitch, pitch * rng.uniform(0.55, 0.7), ink, paper, cells)
            strip = strip.resize((round(strip.width * size * 0.62 / (cells * 0.6 * pitch)), strip.height))
            image.paste(strip, (margin, y))
        elif i == double:
            # Double height: the line drawn, then stretched to two lines' height.
            one = Image.new("L", (image.width, step), paper)
            ImageDraw.Draw(one).text((margin, 0), line, fill=ink, font=ImageFont.truetype(MONO_BOLD, size))
            image.paste(one.resize((one.width, 2 * step), Image.BICUBIC), (0, y))
            y += step
        elif font == THIN:
            # A thin proportional face printed in the till's monospaced cells.
            for col, char in enumerate(line):
                if char != " ":
                    left = (size * 0.62 - face.getlength(char)) / 2
                    draw.text((margin + col * size * 0.62 + left, y), char, fill=ink, font=face)
        elif font != MONO:
            # The condensed face, each word at its monospaced column.
            col = 0
            for word in line.split(" "):
                if word:
                    draw.text((margin + col * size * 0.62, y), word, fill=ink, font=face)
                col += len(word) + 1
        else:
            draw.text((margin, y), line, fill=ink, font=face)
        y += step
    if dashed:
        dots = dashed_print(np.asarray(image), rng)
        shade = np.where(dots, printed_ink + np.frombuffer(rng.randbytes(dots.size), dtype=np.uint8)
                         .reshape(dots.shape) % 40, printed_paper)
        image = Image.fromarray(shade.astype(np.uint8), "L")
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.6)))
    if "lowres" in kinds:
        # Scanned at a lower resolution: capitals 8-10 pixels high.
        shrink = rng.uniform(8.0, 10.0) / (0.73 * size)
        image = image.resize((round(image.width * shrink), round(image.height * shrink)), Image.BILINEAR)
    pixels = np.asarray(image, dtype=np.float32)
    h, w = pixels.shape
    noise = np.frombuffer(rng.randbytes(h * w), dtype=np.uint8).reshape(h, w).astype(np.float32)
    pixels = pixels + (noise - 127.5) * 0.04
    if "speckle" in kinds:
        ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
        angle = rng.uniform(0.0, 6.28)
        ramp = np.cos(angle) * xs / w + np.sin(angle) * ys / h
        ramp = (ramp - ramp.min()) / max(float(ramp.max() - ramp.min()), 1e-6)
        pixels = pixels - rng.uniform(25, 45) * ramp
        specks = np.frombuffer(rng.randbytes(h * w), dtype=np.uint8).reshape(h, w)
        pixels[specks < 4] = rng.randint(60, 120)  # ~1.5 % of pixels: dust and toner
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L")
    image.save(dest, "JPEG", quality=quality, dpi=(200, 200))
    return dest
