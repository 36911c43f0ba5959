"""Photos of receipts are read once, and only the lines that decide the total and the date are
read again, enlarged, in one more Tesseract call (issue 13: a receipt used to cost ten plain
readings). Real Tesseract on generated receipt photos."""

from __future__ import annotations

import datetime as dt

import pytest
from PIL import Image

import docgen
from pipeline.text import engine
from pipeline.text.ocr import OcrOptions
from pipeline.text.photo import read_photo, second_look

pytestmark = pytest.mark.ocr

OPTIONS = OcrOptions(psm=6, text_height=32)


@pytest.fixture(scope="module")
def small_print(tmp_path_factory):
    """A receipt photographed whole: its print a few pixels high (120 dpi)."""
    root = tmp_path_factory.mktemp("photo")
    doc = docgen.italian_receipt(root / "scontrino.pdf", 41)
    return doc, docgen.scan_image(doc.path, root / "scontrino.jpg", 41, dpi=120)


def _counting(monkeypatch):
    calls = {"data": 0, "osd": 0}
    data, osd = engine.image_to_data, engine.image_to_osd

    def counted_data(*a, **k):
        calls["data"] += 1
        return data(*a, **k)

    def counted_osd(*a, **k):
        calls["osd"] += 1
        return osd(*a, **k)

    monkeypatch.setattr(engine, "image_to_data", counted_data)
    monkeypatch.setattr(engine, "image_to_osd", counted_osd)
    return calls


def test_a_corroborated_first_reading_is_the_only_reading(small_print, monkeypatch):
    _, photo = small_print
    calls = _counting(monkeypatch)
    page = read_photo(Image.open(photo), 1, OPTIONS, judge=lambda first: [])
    assert page.words and page.alternate is None
    assert calls == {"data": 1, "osd": 0}  # upright: no orientation detection either


def test_the_second_look_reads_the_chosen_lines_enlarged_in_one_call_per_binarisation(small_print, monkeypatch):
    from pipeline.extract.receipt_look import lines_to_reread

    doc, photo = small_print
    calls = _counting(monkeypatch)
    asked = []

    def judge(first):
        asked.append(first)
        bands = lines_to_reread(first, today=dt.date(2025, 1, 1))
        assert bands, "small print leaves the figures uncorroborated on this photo"
        return bands

    page = read_photo(Image.open(photo), 1, OPTIONS, judge=judge)
    assert calls == {"data": 3, "osd": 0}  # the page once, the strip in two binarisations
    assert page is asked[0]  # the whole-page reading stays the page; the second look votes
    looks = [page.alternate, page.alternate.alternate]
    assert all(look is not None and (look.width, look.height) == (page.width, page.height) for look in looks)
    text = looks[0].text.replace(" ", "")
    assert doc.fields["total_amount"].replace(".", ",") in text


def test_second_look_words_land_on_their_lines_in_page_coordinates(small_print):
    _, photo = small_print
    image = Image.open(photo).convert("L")
    from pipeline.text.ocr import _recognise

    first = _recognise(image, 1, OPTIONS)
    lines: dict[int, list] = {}
    for w in first:
        lines.setdefault(w.line, []).append(w)
    longest = max(lines.values(), key=len)
    band = (min(w.y0 for w in longest), max(w.y1 for w in longest))
    words = second_look(image, 1, OPTIONS, [band], 2.5, band[1] - band[0])
    assert words
    for w in words:
        assert band[0] - 2 <= (w.y0 + w.y1) / 2 <= band[1] + 2
        assert 0 <= w.x0 < w.x1 <= image.width + 1
    # Enlarged or not, the same line says the same thing.
    assert {w.text for w in words} & {w.text for w in longest}


def test_a_slip_on_a_dark_background_is_read_with_local_thresholds():
    """Faint print on grey paper between dark bands (the table under the slip): one threshold
    for the whole photo falls between the table and the paper and the print vanishes with the
    paper. The reading must still find the slip."""
    from PIL import ImageDraw, ImageFont

    lines = ["BAR CENTRALE S.R.L.", "VIA ROMA 12 MILANO", "12-03-2024 10:15", "CAFFE 1,20", "CORNETTO 1,50",
             "TOTALE 2,70", "CONTANTI 5,00", "RESTO 2,30", "GRAZIE"]
    image = Image.new("L", (600, 40 * len(lines) + 200), 200)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=22)
    for i, text in enumerate(lines):
        draw.text((120, 100 + 40 * i), text, fill=160, font=font)
    band = image.height // 8
    draw.rectangle((0, 0, image.width, band), fill=10)
    draw.rectangle((0, image.height - band, image.width, image.height), fill=10)
    page = read_photo(image, 1, OPTIONS, judge=None)
    text = page.text
    assert "TOTALE 2,70" in text and "CENTRALE" in text


def test_the_second_look_finds_its_lines_by_the_configured_vocabulary(small_print, monkeypatch, tmp_path):
    # An office that adds its tills' total labels to its own fields.toml (extract.vocabulary) must
    # have the second look re-read those lines too, not only the shipped labels' lines.
    from pipeline import process
    from pipeline.config import config_dir, load_settings
    from pipeline.extract import receipt_look

    vocabulary = tmp_path / "fields.toml"
    vocabulary.write_bytes((config_dir() / "fields.toml").read_bytes())
    asked = []
    judge = receipt_look.lines_to_reread

    def spy(page, vocabulary=None, **kwargs):
        asked.append(vocabulary)
        return judge(page, vocabulary, **kwargs)

    monkeypatch.setattr(receipt_look, "lines_to_reread", spy)
    _, photo = small_print
    for env, expected in (({}, None), ({"ARCHIVIO_EXTRACT_VOCABULARY": str(vocabulary)}, vocabulary)):
        asked.clear()
        settings = load_settings(env={"ARCHIVIO_OCR_PHOTO_SECOND_LOOK": "true", **env}, cwd=tmp_path)
        _, pages = process.read_pages(photo, settings)
        assert pages and asked == [expected]


def test_where_the_readings_tie_on_the_date_the_strip_is_read_once_more_larger(small_print, monkeypatch):
    """The tie-breaker (``tiebreak``) sees the page with both strip readings; where it names the
    date's lines, the strip is read once more at a larger scale, hung off ``date_look``."""
    from pipeline.extract.receipt_look import lines_to_reread
    from pipeline.text import photo

    _, photo_file = small_print
    calls = _counting(monkeypatch)
    factors = []
    real = photo.second_look

    def recorded(image, number, options, bands, factor, text_height):
        factors.append(factor)
        return real(image, number, options, bands, factor, text_height)

    monkeypatch.setattr(photo, "second_look", recorded)
    judge = lambda first: lines_to_reread(first, today=dt.date(2025, 1, 1))  # noqa: E731
    seen = []

    def tied(page):
        seen.append(page)
        lines = page.lines()
        return [(min(w.y0 for w in lines[0]), max(w.y1 for w in lines[0]))]

    page = read_photo(Image.open(photo_file), 1, OPTIONS, judge=judge, tiebreak=tied)
    assert seen == [page] and page.alternate is not None and page.alternate.alternate is not None
    assert calls["data"] == 4  # the page, the strip in two binarisations, the strip once more
    assert page.date_look is not None and (page.date_look.width, page.date_look.height) == (page.width, page.height)
    assert factors[-1] == pytest.approx(factors[0] * 1.5)
    # No tie: no further reading.
    calls["data"], factors[:] = 0, []
    page = read_photo(Image.open(photo_file), 1, OPTIONS, judge=judge, tiebreak=lambda page: [])
    assert calls["data"] == 3 and page.date_look is None
    # No second look: nothing to tie, the tie-breaker is not asked.
    page = read_photo(Image.open(photo_file), 1, OPTIONS, judge=lambda first: [], tiebreak=tied)
    assert page.date_look is None and len(seen) == 1
