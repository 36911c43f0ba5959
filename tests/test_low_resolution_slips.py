"""A slip scanned at a low resolution, its print a few pixels high (tests/gen_slips.py at 0.62 of
its size: 8 px letters), is read at twice its size (pipeline/text/photo.py): at its own size the
reading is noise, whichever way up, and orientation detection has nothing to go on. Real
Tesseract on generated slips."""

from __future__ import annotations

import datetime as dt

import pytest
from PIL import Image

from gen_slips import render, slip
from pipeline.config import config_dir, load_settings
from pipeline.extract import receipt
from pipeline.extract.layout import Layout
from pipeline.extract.vocabulary import load_vocabulary
from pipeline.text import engine, iter_pages

pytestmark = pytest.mark.ocr

VOCAB = load_vocabulary(config_dir() / "fields.toml")
TODAY = dt.date(2025, 6, 1)
SLIPS = [(kind, seed) for kind in ("my", "it", "de") for seed in range(2)]


@pytest.fixture(scope="module")
def low_resolution(tmp_path_factory):
    """(slip, its image file, the pages read) per kind and seed."""
    root = tmp_path_factory.mktemp("lowres")
    settings = load_settings()
    out = []
    for kind, seed in SLIPS:
        s = slip(seed, kind)
        path = render(s, root / f"{kind}-{seed}.jpg", seed, scale=0.62)
        out.append((s, path, list(iter_pages(path, settings.ocr, max_pages=1))))
    return out


def test_a_slip_scanned_at_a_low_resolution_is_read_at_twice_its_size(low_resolution):
    for s, path, pages in low_resolution:
        width = Image.open(path).width
        assert pages[0].width == 2 * width, path.name
        assert pages[0].mean_confidence >= 60, (path.name, pages[0].text)  # words, not noise


def test_its_total_and_date_are_read(low_resolution):
    right = {"total_amount": 0, "date": 0}
    for s, _, pages in low_resolution:
        fields = receipt.extract(Layout(pages), VOCAB, language=None, today=TODAY)
        for name in right:
            right[name] += name in fields and fields[name].value == s.fields[name]
    # At their own size: 1 total of 6 right (the dates: 6).
    assert right["total_amount"] >= 4 and right["date"] == len(SLIPS), right


def test_a_legible_slip_is_not_read_again_larger(tmp_path, monkeypatch):
    s = slip(0, "it")
    path = render(s, tmp_path / "legible.jpg", 0)  # print 26 px high
    calls = []
    data = engine.image_to_data

    def counted(image, *a, **k):
        calls.append(image.size)
        return data(image, *a, **k)

    monkeypatch.setattr(engine, "image_to_data", counted)
    page = next(iter(iter_pages(path, load_settings().ocr, max_pages=1)))
    width, height = Image.open(path).size
    assert page.width == width and page.mean_confidence >= 60
    assert calls[0] == (width, height)
    assert (2 * width, 2 * height) not in calls  # no whole reading at twice the size
