"""The photo second look on faint print (issue 13): its strips must not read a photo's grey,
noisy paper as print, and a faded slip's lines, which enlarged strips read worse than the first
reading did, are re-read cleaned at the photo's own size and lead the vote. Generated slips
(tests/gen_slips.py, tests/gen_faded.py), real Tesseract where marked."""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics

import pytest
from PIL import Image

from gen_faded import COURIER, LOOKS, render_faded
from gen_slips import render, slip
from pipeline.extract.receipt_look import lines_to_reread
from pipeline.text.cleanup import measure
from pipeline.text.ocr import OcrOptions, _median_height, ocr_page, prepare
from pipeline.text.photo import _inside, read_photo, second_look

OPTIONS = OcrOptions(psm=6, text_height=32)
TODAY = dt.date(2025, 6, 1)
# How the bench photographs slips (bench/second_look.py): "faint" is rough in a thin Courier.
LOOK = {"clean": {}, "rough": {"rough": True}, "faint": {"rough": True, "font": COURIER}, "small": {"scale": 1.2}}


def _photo(tmp_path, kind: str, seed: int, look: str):
    return render(slip(seed, kind), tmp_path / f"{kind}-{seed}-{look}.jpg", seed, **LOOK[look])


@pytest.mark.parametrize("kind", ["my", "it", "de"])
def test_faded_print_is_told_from_grey_print_photographed_roughly(tmp_path, kind):
    for seed in (0, 1):
        for look, faded in (("faint", True), ("rough", False), ("clean", False), ("small", False)):
            image = prepare(Image.open(_photo(tmp_path, kind, seed, look)))
            assert measure(image).faded is faded, (kind, seed, look)
        for look in LOOKS:
            image = prepare(Image.open(render_faded(slip(seed, kind), tmp_path / f"f-{look}.jpg", seed, look)))
            assert measure(image).faded, (kind, seed, look)


@pytest.mark.ocr
@pytest.mark.slow
@pytest.mark.parametrize("kind", ["my", "it", "de"])
def test_a_faded_photos_lines_are_read_again_cleaned_and_lead_the_vote(tmp_path, kind):
    """Faded print enlarged reads worse than the first reading did (its speckles grow with its
    strokes); cleaned and read at the photo's own size, the re-read lines come out surer, and
    that reading leads the vote (the first reading, which wins ties, kept its misread dates)."""
    bands = []

    def judge(first):
        bands.extend(lines_to_reread(first, today=TODAY))
        return bands

    image = Image.open(_photo(tmp_path, kind, 1, "faint"))
    page = read_photo(image, 1, OPTIONS, judge=judge)
    first = ocr_page(image, 1, dataclasses.replace(OPTIONS, text_height=0, read_first=True))
    chain = [page]
    while chain[-1].alternate is not None:
        chain.append(chain[-1].alternate)
    assert bands and len(chain) >= 2
    assert [w.text for w in chain[-1].words] == [w.text for w in first.words]  # the first reading votes last

    def sureness(reading):
        return statistics.mean(w.conf for w in reading.words if _inside(w, bands))

    assert sureness(page) >= sureness(first) + 2


@pytest.mark.ocr
@pytest.mark.slow
@pytest.mark.parametrize("kind", ["my", "it"])
def test_a_strip_of_grey_noisy_paper_is_read_as_print_not_as_speckles(tmp_path, kind):
    """A photo's paper is grey and noisy: padded with pure white, the enlarged strip had a
    brighter mode than the paper, Otsu parted paper from pad instead of ink from paper, and
    Tesseract read the whole strip as speckles (hundreds of words at 25 %, 5-6 s)."""
    image = prepare(Image.open(_photo(tmp_path, kind, 0, "faint")))
    first = ocr_page(image, 1, OcrOptions(psm=6, read_first=True))
    bands = lines_to_reread(first, today=TODAY)
    assert bands, "faint print leaves the total or the date uncorroborated"
    height = _median_height(first.words)
    words = second_look(image, 1, OPTIONS, bands, max(1.0, min(OPTIONS.text_height / height, 3.0)), height)
    read_before = [w for w in first.words if _inside(w, bands)]
    assert words and len(words) <= 2 * len(read_before)
    assert statistics.mean(w.conf for w in words) >= 45
