"""A slip scanned or photographed crooked is straightened once before any reading
(pipeline/text/ocr.py ``straightened``, ``ocr.photo_deskew``); a slight tilt, a tilt the profile
cannot tell, and a slip on a dark table are read as they are."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.config import load_settings
from pipeline.text import iter_pages
from pipeline.text.ocr import skew_angle, straightened

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
LINES = ["SUPERMERCATO ROSSI SRL", "Via Roma 12 - 20121 Milano", "P.IVA 01234567890", "",
         "PANE INTEGRALE        2,10", "LATTE FRESCO 1L       1,49", "MELE GOLDEN KG        3,20",
         "CAFFE MACINATO        4,99", "", "TOTALE EURO          11,78", "CONTANTI             20,00",
         "RESTO                 8,22", "", "15/04/2024 16:15  DOC. 0042"]


def _slip(angle: float, *, table: bool = False) -> Image.Image:
    face = ImageFont.truetype(FONT, 22)
    paper = Image.new("L", (520, 40 + 34 * len(LINES)), 248)
    draw = ImageDraw.Draw(paper)
    for i, line in enumerate(LINES):
        draw.text((24, 20 + 34 * i), line, fill=30, font=face)
    if table:  # the slip on a dark table, most of the photo
        photo = Image.new("L", (paper.width * 2, int(paper.height * 1.6)), 40)
        photo.paste(paper, (paper.width // 2, paper.height // 5))
        paper = photo
    return paper.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=40 if table else 248)


@pytest.mark.parametrize("angle", [-4.0, -2.5, 1.5, 3.0])
def test_a_crooked_slip_is_straightened(angle):
    crooked = _slip(angle)
    assert abs(skew_angle(crooked, 5.0) + angle) <= 0.5  # the turn that undoes the tilt
    straight = straightened(crooked)
    assert straight is not crooked and straight.size != crooked.size
    assert abs(skew_angle(straight, 5.0)) <= 0.5


@pytest.mark.parametrize("angle", [0.0, 0.5, -0.75])
def test_a_slight_tilt_is_left_to_tesseract(angle):
    crooked = _slip(angle)
    assert straightened(crooked) is crooked


def test_a_slip_on_a_dark_table_is_read_as_it_is():
    photo = _slip(2.5, table=True)
    assert straightened(photo) is photo


@pytest.mark.ocr
@pytest.mark.parametrize("deskew", [True, False])
def test_photo_deskew_decides_whether_an_image_file_is_straightened(tmp_path, deskew):
    path = tmp_path / "storto.png"
    crooked = _slip(2.5)
    crooked.save(path)
    settings = load_settings(overrides={"ocr.photo_deskew": deskew})
    page = next(iter(iter_pages(path, settings.ocr, max_pages=1)))
    assert (page.width != crooked.width) is deskew
    assert "11,78" in page.text
