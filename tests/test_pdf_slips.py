"""Till slips scanned to PDF (issue 15: the files an office really receives): a scanning app or a
scanner cropping to the paper files a slip as a PDF page of the slip's own size. Read as a
document's page (psm 3) its right-aligned figures came out as a column of their own, away from
their labels, and half the totals were lost (generated: 6 of 12 faded scans, 5 of 12 photos);
read as an image file of a slip is read, as many as from the image itself. Generated slips
(tests/gen_slips.py, tests/gen_scanned_slips.py); real Tesseract."""

from __future__ import annotations

import datetime as dt

import pypdfium2 as pdfium
import pytest
from PIL import Image

from gen_scanned_slips import render_scanned
from gen_slips import render, slip
from pipeline.text.pdf import till_roll_wide


def _pdf(image_path, dpi: float = 200.0):
    pdf = image_path.with_suffix(".pdf")
    Image.open(image_path).save(pdf, resolution=dpi)
    return pdf


def _analysis(path):
    from pipeline.config import load_settings
    from pipeline.process import analyse_pages, read_pages

    settings = load_settings()
    media_type, pages = read_pages(path, settings)
    return analyse_pages(media_type, pages, settings, today=dt.date(2026, 1, 1)), settings


@pytest.mark.ocr
@pytest.mark.parametrize("look", ["faded", "photo"])
def test_a_slip_scanned_to_pdf_is_read_as_a_slip(tmp_path, look):
    for kind in ("my", "it", "de"):
        for seed in (400, 401):
            s = slip(seed, kind)
            name = tmp_path / f"{look}-{kind}-{seed}.jpg"
            image = render(s, name, seed) if look == "photo" else render_scanned(s, name, seed, look)
            analysis, settings = _analysis(_pdf(image))
            assert analysis.classification.doc_class == "receipt", (kind, seed)
            for field in ("total_amount", "date"):
                got = analysis.fields.get(field)
                assert got is not None and got.value == s.fields[field], (kind, seed, field, got, analysis.text)


def _page(tmp_path, width_mm: float, height_mm: float, rotate: int = 0):
    path = tmp_path / f"p{width_mm}x{height_mm}-{rotate}.pdf"
    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(width_mm / 25.4 * 72, height_mm / 25.4 * 72)
    if rotate:
        page.set_rotation(rotate)
    pdf.save(path)
    return pdfium.PdfDocument(path), 0


def test_only_paper_as_narrow_as_a_till_roll_is_read_as_a_slip(tmp_path):
    assert till_roll_wide(*_page(tmp_path, 80, 240))
    assert till_roll_wide(*_page(tmp_path, 105, 148))  # a roll and its scanner's margins
    assert not till_roll_wide(*_page(tmp_path, 210, 297))  # A4: a document's page
    assert not till_roll_wide(*_page(tmp_path, 148, 210))  # A5
    # /Rotate turns the paper as it is shown (and rendered for reading).
    assert not till_roll_wide(*_page(tmp_path, 80, 240, rotate=90))  # shown 240 mm wide
    assert till_roll_wide(*_page(tmp_path, 240, 80, rotate=90))  # shown 80 mm wide


@pytest.mark.ocr
def test_a_scanned_a4_page_is_still_read_as_a_documents_page(tmp_path, monkeypatch):
    # The slip reader is for slips only: an A4 scan goes the document's way (psm 3, boxed fields).
    import pipeline.text.photo as photo

    called = []
    real = photo.read_photo
    monkeypatch.setattr(photo, "read_photo", lambda *a, **k: called.append(1) or real(*a, **k))
    s = slip(402, "it")
    image = render_scanned(s, tmp_path / "a4.jpg", 402, "faded")
    page = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi
    page.paste(Image.open(image), (200, 200))
    page.save(tmp_path / "a4.png")
    analysis, _ = _analysis(_pdf(tmp_path / "a4.png"))
    assert called == []
    narrow, _ = _analysis(_pdf(image))
    assert called  # ... and the same slip on its own paper is read as a slip
