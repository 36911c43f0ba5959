"""Faded and unevenly lit slips (tests/gen_faded.py) made legible before Tesseract reads them
(pipeline/text/cleanup.py), and crisp prints left exactly as they were."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from PIL import Image

from gen_faded import LOOKS, render_faded
from gen_slips import render, slip
from pipeline.text.cleanup import clean, measure

TODAY = dt.date(2025, 6, 1)


def grey(path) -> Image.Image:
    with Image.open(path) as image:
        return image.convert("L")


@pytest.mark.parametrize("seed", range(3))
def test_a_crisp_photo_is_not_touched(tmp_path, seed):
    # (``rough=True`` prints grey ink, faded on purpose: that one is cleaned.)
    image = grey(render(slip(seed, "my"), tmp_path / f"{seed}.jpg", seed))
    assert not measure(image).needs_cleaning, measure(image)
    assert clean(image) is image


@pytest.mark.parametrize("look", LOOKS)
@pytest.mark.parametrize("seed", range(3))
def test_a_faded_or_shadowed_photo_is_cleaned(tmp_path, look, seed):
    image = grey(render_faded(slip(seed, "my"), tmp_path / f"{look}-{seed}.jpg", seed, look))
    assert measure(image).needs_cleaning
    out = np.asarray(clean(image), dtype=np.float32)
    # The paper white from end to end, the ink near black.
    paper = np.percentile(out, 90, axis=1)
    assert paper.min() >= 235, paper.min()
    assert np.percentile(out, 0.5) <= 40


def test_a_dark_ink_slip_under_a_shadow_is_cleaned_too(tmp_path):
    image = grey(render_faded(slip(4, "de"), tmp_path / "s.jpg", 4, "shadow", ink=30))
    look = measure(image)
    assert look.uneven > 40 and look.needs_cleaning


def test_images_that_are_not_grey_are_returned_as_they_are():
    image = Image.new("1", (200, 200), 1)
    assert clean(image) is image


# One slip of each look whose total, date or merchant the reading lost before the clean-up.
FADED = [("my", 0, "shadow"), ("my", 1, "shadow"), ("my", 3, "faded")]


@pytest.mark.ocr
@pytest.mark.slow
@pytest.mark.parametrize("second_look", [False, True])
def test_faded_slips_read_through_the_pipeline(tmp_path, monkeypatch, second_look):
    from pipeline.config import load_settings
    from pipeline.evaluate.score import compare
    from pipeline.process import analyse_pages, read_pages

    monkeypatch.setenv("ARCHIVIO_OCR_PHOTO_SECOND_LOOK", str(second_look).lower())
    monkeypatch.setenv("ARCHIVIO_OCR_PHOTO_CLEANUP", "true")
    settings = load_settings()
    for kind, seed, look in FADED:
        s = slip(seed, kind)
        photo = render_faded(s, tmp_path / f"{kind}-{seed}-{look}.jpg", seed, look)
        media_type, pages = read_pages(photo, settings)
        analysis = analyse_pages(media_type, pages, settings, today=TODAY)
        for name in ("total_amount", "date", "merchant_name"):
            got = analysis.fields.get(name)
            assert compare(name, s.fields[name], got.value if got else None).fuzzy_tp == 1, \
                (kind, seed, look, name, s.fields[name], got, analysis.text)


def test_a_crisp_slip_on_a_dark_table_is_not_flattened(tmp_path):
    # The table's step to the paper is no shadow: flattening would turn it into texture.
    slip_photo = grey(render(slip(2, "de"), tmp_path / "s.jpg", 2))
    table = Image.new("L", (slip_photo.width * 2, slip_photo.height + 200), 45)
    table.paste(slip_photo, (slip_photo.width // 2, 100))
    look = measure(table)
    assert look.uneven > 40 and not look.needs_cleaning, look
    assert clean(table) is table


class _Cleaned(Exception):
    pass


@pytest.mark.parametrize("on", [False, True])
def test_the_setting_decides_whether_photos_are_measured_at_all(tmp_path, monkeypatch, on):
    from pipeline.config import load_settings
    from pipeline.text import image as image_reader
    from pipeline.text import iter_pages

    def cleaned(_image):
        raise _Cleaned

    monkeypatch.setattr(image_reader, "clean", cleaned)
    monkeypatch.setenv("ARCHIVIO_OCR_PHOTO_CLEANUP", str(on).lower())
    photo = tmp_path / "blank.png"
    Image.new("L", (60, 40), 255).save(photo)
    settings = load_settings()
    if on:
        with pytest.raises(_Cleaned):
            list(iter_pages(photo, settings.ocr, max_pages=1))
    else:
        assert [p.number for p in iter_pages(photo, settings.ocr, max_pages=1)] == [1]
