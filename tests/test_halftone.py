"""Slips scanned in a scanner's black-and-white halftone mode (issue 15: totals and dates on the
documents an office really files): light print dithered into lone dots read as nothing at all.
Generated slips (tests/gen_halftoned_slips.py); real Tesseract where marked."""

from __future__ import annotations

import datetime as dt

import pytest
from PIL import Image

from gen_halftoned_slips import FORMATS, render_halftoned
from gen_scanned_slips import LOOKS, render_scanned
from gen_slips import render as render_photo
from gen_slips import slip
from pipeline.text.halftone import screened, unscreened
from pipeline.text.ocr import prepare


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("look", ["faded", "dotmatrix"])
def test_dithered_light_print_is_told_a_screen(tmp_path, fmt, look):
    for seed in range(3):
        path = render_halftoned(slip(seed, "my"), tmp_path / f"{look}-{seed}", seed, look, fmt=fmt)
        image = prepare(Image.open(path))
        assert screened(image), (path, image.mode)
        smooth = unscreened(image)
        assert smooth.mode == "L" and smooth.size == image.size
        assert not screened(smooth)  # the dots are strokes again: read once, not smoothed twice


@pytest.mark.parametrize("look", ["photo", "rough", *LOOKS, "speckle+lowres", "faded+lowres"])
def test_print_that_is_not_a_screen_is_read_as_it_is(tmp_path, look):
    # Scans and photos of every damage the generators draw, specks and dots included, are left
    # alone: the same image object goes on to be read.
    for seed in range(2):
        s = slip(seed, "it")
        if look in ("photo", "rough"):
            path = render_photo(s, tmp_path / f"{look}-{seed}.jpg", seed, rough=look == "rough")
        else:
            path = render_scanned(s, tmp_path / f"{look}-{seed}.jpg", seed, look)
        image = prepare(Image.open(path))
        assert not screened(image), (look, seed)
        assert unscreened(image) is image


def test_a_tiny_image_is_not_judged():
    image = Image.new("1", (20, 400), 1)
    assert not screened(image)


def _fields(path):
    from pipeline.config import load_settings
    from pipeline.process import analyse_pages, read_pages

    settings = load_settings()
    media_type, pages = read_pages(path, settings)
    analysis = analyse_pages(media_type, pages, settings, today=dt.date(2026, 1, 1))
    return analysis.classification.doc_class, {k: f.value for k, f in analysis.fields.items()}


def test_a_dithered_slip_is_read(tmp_path):
    # Faded thermal print scanned in halftone mode: before, no word of it was read and the slip
    # was filed as "other" (generated: 0 totals and 0 dates of 12; with the screen smoothed 11
    # totals and 10 dates, bench in the closing note of issue 15).
    right = 0
    for seed, kind in [(201, "my"), (202, "it"), (203, "de")]:
        s = slip(seed, kind)
        doc_class, fields = _fields(render_halftoned(s, tmp_path / f"{kind}-{seed}", seed, "faded", fmt="png"))
        assert doc_class == "receipt", (kind, seed, fields)
        right += fields.get("total_amount") == s.fields["total_amount"]
        right += fields.get("date") == s.fields["date"]
    assert right >= 5


@pytest.mark.parametrize("dpi", [300.0, 200.0, 150.0])
def test_a_dithered_page_in_a_pdf_is_read(tmp_path, dpi):
    # The same page wrapped in a PDF as a 1-bit image (what a scanner's "PDF, black and white"
    # setting files), rendered for reading at 300 dpi whatever it was scanned at. Before: no word
    # read, filed as "other". Its total is still misread at times (generated, 3 seeds x 3 dpi: 6
    # of 9 right), but then sent to review, never filed as sure.
    from pipeline.config import load_settings
    from pipeline.process import analyse_pages, read_pages

    settings = load_settings()
    s = slip(204, "my")
    png = render_halftoned(s, tmp_path / "page", 204, "faded", fmt="png")
    pdf = tmp_path / "page.pdf"
    Image.open(png).save(pdf, resolution=dpi)
    media_type, pages = read_pages(pdf, settings)
    analysis = analyse_pages(media_type, pages, settings, today=dt.date(2026, 1, 1))
    assert analysis.classification.doc_class == "receipt", analysis.text
    assert analysis.fields["date"].value == s.fields["date"]
    total = analysis.fields.get("total_amount")
    assert total is not None
    assert total.value == s.fields["total_amount"] or total.confidence < settings.review.min_key_confidence


def test_a_pdf_scan_that_is_not_a_screen_is_rendered_as_before(tmp_path):
    from pipeline.text.halftone import unscreened_scan

    s = slip(5, "it")
    grey = Image.open(render_scanned(s, tmp_path / "s.jpg", 5, "bold")).convert("L")
    bilevel = grey.point(lambda v: 255 if v > 128 else 0).convert("1")  # a "text" mode scan
    assert unscreened_scan(bilevel, grey) is grey
    # A screen whose rendering is not what the scan shows (drawn inverted) is left as rendered.
    screen = prepare(Image.open(render_halftoned(s, tmp_path / "h", 5, "faded", fmt="png")))
    inverted = screen.convert("L").point(lambda v: 255 - v)
    assert unscreened_scan(screen, inverted) is inverted
    assert unscreened_scan(screen, screen.convert("L")) is not screen
