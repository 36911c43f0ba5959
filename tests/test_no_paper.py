"""A photo of nothing (pipeline/text/blank.py ``no_paper``): sensor noise, a pocket's lining, a
textured surface with no paper anywhere. Tesseract, reading one block of text, takes every speck
for a letter and spends close to a minute a reading on a 2-megapixel photo of noise (a watcher's
batch spent 208 s on one such photo before saying it held no text). Such an image is now known
for one before any reading: no word is asked of Tesseract, and the document is filed with the
"no text" warning it got before.

Generated on both sides: noise of several kinds is told; every look the slip generators draw
(photos, rough photos, the scan looks, faded photos, halftone screens), a grainy photo, and a slip
photographed on a textured counter are not (and go on to be read as before).
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from PIL import Image

from gen_faded import LOOKS as FADED_LOOKS
from gen_faded import render_faded
from gen_halftoned_slips import render_halftoned
from gen_scanned_slips import LOOKS, render_scanned
from gen_slips import render as render_photo
from gen_slips import slip
from pipeline.config import load_settings
from pipeline.text import engine, read_document
from pipeline.text.blank import no_paper
from pipeline.text.ocr import prepare


def _noise(kind: str, seed: int, size=(1600, 1200)) -> Image.Image:
    rng = np.random.default_rng(seed)
    w, h = size
    if kind == "gaussian":  # a photo taken in the dark at the sensor's highest gain
        a = rng.normal(rng.integers(60, 190), rng.integers(30, 70), (h, w))
    elif kind == "salt":  # salt and pepper over grey
        a = np.where(rng.random((h, w)) < 0.5, rng.integers(0, 60, (h, w)), rng.integers(190, 255, (h, w)))
    elif kind == "colour":  # a colour sensor's noise
        a = rng.normal(120, 50, (h, w, 3))
    else:  # "fabric": a coarse weave of dark and light threads, with noise
        yy, xx = np.mgrid[0:h, 0:w]
        a = 128 + 60 * np.sin(xx * 1.3) * np.sin(yy * 1.7) + rng.normal(0, 30, (h, w))
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def _saved(image: Image.Image, path, fmt: str):
    image.convert("RGB" if fmt == "jpeg" else image.mode).save(path, fmt.upper(), **({"quality": 85} if fmt == "jpeg" else {}))
    return path


@pytest.mark.parametrize("kind", ["gaussian", "salt", "colour", "fabric"])
@pytest.mark.parametrize("seed", range(3))
def test_a_photo_of_nothing_is_told(kind, seed, tmp_path):
    path = _saved(_noise(kind, seed), tmp_path / "nothing.jpg", "jpeg")
    assert no_paper(prepare(Image.open(path)))


@pytest.mark.parametrize("fmt", ["jpeg", "png"])
def test_a_photo_of_nothing_is_read_as_no_text_without_asking_tesseract(tmp_path, monkeypatch, fmt):
    def never(*_args, **_kwargs):
        raise AssertionError("Tesseract was asked to read a photo of nothing")

    monkeypatch.setattr(engine, "image_to_data", never)
    monkeypatch.setattr(engine, "image_to_osd", never)
    path = _saved(_noise("gaussian", 7), tmp_path / f"nothing.{fmt}", fmt)
    result = read_document(path, load_settings().ocr, max_pages=10)
    assert [p.words for p in result.pages] == [[]]


@pytest.mark.parametrize("seed", range(3))
def test_no_slip_the_generators_draw_is_taken_for_nothing(seed, tmp_path):
    s = slip(seed, ["my", "it", "de"][seed])
    drawn = [render_photo(s, tmp_path / "photo.jpg", seed), render_photo(s, tmp_path / "rough.jpg", seed, rough=True)]
    drawn += [render_scanned(s, tmp_path / f"{look}.jpg", seed, look) for look in LOOKS]
    drawn += [render_faded(s, tmp_path / f"faded-{look}.jpg", seed, look) for look in FADED_LOOKS]
    drawn += [render_halftoned(s, tmp_path / "screen.png", seed)]
    for path in drawn:
        assert not no_paper(prepare(Image.open(path))), path.name


def test_a_grainy_photo_and_a_slip_on_a_textured_counter_are_not_taken_for_nothing(tmp_path):
    s = slip(2, "it")
    photo = Image.open(render_photo(s, tmp_path / "photo.jpg", 2)).convert("L")
    rng = np.random.default_rng(2)
    grainy = np.clip(np.asarray(photo, dtype=np.float64) + rng.normal(0, 10, (photo.height, photo.width)), 0, 255)
    assert not no_paper(Image.fromarray(grainy.astype(np.uint8)))
    # The slip laid on granite: the counter is all texture, the slip's paper is not.
    counter = _noise("gaussian", 3, size=(photo.width * 3, photo.height + 200))
    x = random.Random(2).randint(0, counter.width - photo.width)
    counter.paste(photo, (x, 100))
    path = _saved(counter, tmp_path / "on-granite.jpg", "jpeg")
    assert not no_paper(prepare(Image.open(path)))
