"""OCR options for the kind of document: how they reach Tesseract and what the image steps do."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.records import Word
from pipeline.text.ocr import OcrOptions, _median_height, skew_angle, upscale


def test_tesseract_config_carries_psm_dictionaries_and_binarisation():
    assert OcrOptions(psm=6).tesseract_config() == "--psm 6"
    config = OcrOptions(psm=4, dictionaries=False, threshold="sauvola").tesseract_config()
    assert "--psm 4" in config and "load_system_dawg=0" in config and "thresholding_method=2" in config


def test_small_images_are_enlarged_and_large_ones_left_alone():
    small = Image.new("L", (400, 900), 255)
    assert upscale(small, 1200).size == (1200, 2700)
    assert upscale(small, 0) is small
    assert upscale(Image.new("L", (2000, 3000), 255), 1200).size == (2000, 3000)
    assert upscale(Image.new("L", (100, 100), 255), 1200).size == (300, 300)  # at most 3x


def test_median_height_ignores_unsure_and_short_words():
    words = [Word("TOTAL", 0, 0, 50, 12, 90)] * 5 + [Word("x", 0, 0, 5, 80, 90), Word("noise", 0, 0, 5, 80, 20)]
    assert _median_height(words) == 12
    assert _median_height(words[:3]) is None


def _text_image(angle: float) -> Image.Image:
    image = Image.new("L", (1200, 900), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default()
    for row in range(20):
        draw.text((60, 40 + row * 40), "Totale documento 1.234,56 EUR  " * 3, fill=0, font=font)
    return image.rotate(angle, resample=Image.BICUBIC, fillcolor=255)


@pytest.mark.parametrize("angle", [-2.0, 1.5, 0.0])
def test_skew_angle_finds_the_tilt_of_text_lines(angle):
    assert skew_angle(_text_image(angle)) == pytest.approx(-angle, abs=0.3)


def test_a_misspelt_alternate_reading_is_refused_at_start_up():
    from pipeline.config import load_settings
    from pipeline.errors import ConfigError

    assert load_settings(env={"ARCHIVIO_OCR_PHOTO_ALTERNATES": "psm=4, psm=6 threshold=sauvola"}).ocr.photo_alternates \
        == ["psm=4", "psm=6 threshold=sauvola"]
    with pytest.raises(ConfigError, match="unknown OCR option 'pms'"):
        load_settings(env={"ARCHIVIO_OCR_PHOTO_ALTERNATES": "pms=4"})
