"""Reading text: the PDF text layer where it is real, Tesseract elsewhere, page by page."""

import io

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from docgen import english_receipt, italian_invoice, render, scan_image, scan_pdf
from pipeline.errors import CorruptDocumentError, EncryptedDocumentError, TooManyPagesError
from pipeline.text import iter_pages, read_document
from pipeline.text.pdf import assign_lines
from pipeline.records import Word

pytestmark = pytest.mark.ocr


def _text(result):
    return " ".join(result.text.split()).lower()


def test_born_digital_pdf_is_read_from_its_text_layer_with_positions(settings, tmp_path):
    doc = italian_invoice(tmp_path / "f.pdf", seed=11)
    result = read_document(doc.path, settings.ocr, max_pages=10)
    page = result.pages[0]
    assert page.method == "text"
    assert doc.fields["vendor_vat"] in result.text
    word = next(w for w in page.words if w.text == "FATTURA")
    assert 0 < word.x0 < word.x1 < page.width and 0 < word.y0 < word.y1 < page.height


def test_scanned_pdf_is_ocred_with_word_boxes_and_confidences(settings, tmp_path):
    doc = italian_invoice(tmp_path / "f.pdf", seed=12)
    scan = scan_pdf(doc.path, tmp_path / "f.scan.pdf", seed=1)
    result = read_document(scan, settings.ocr, max_pages=10)
    page = result.pages[0]
    assert page.method == "ocr"
    assert "imponibile" in _text(result)
    assert doc.fields["vendor_vat"] in result.text.replace(" ", "")
    assert all(0 <= w.conf <= 100 for w in page.words)
    assert page.mean_confidence > 60


def test_mixed_pdf_is_decided_page_by_page(settings, tmp_path):
    """A typed cover page followed by a scanned page: text layer for one, OCR for the other."""
    receipt = english_receipt(tmp_path / "r.pdf", seed=13)
    scanned = render(receipt.path, dpi=200)[0]
    path = tmp_path / "mixed.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 14)
    c.drawString(72, 760, "Nota spese allegata: scontrino del fornitore, pagina seguente.")
    c.showPage()
    buf = io.BytesIO()
    scanned.save(buf, "PNG")
    from reportlab.lib.utils import ImageReader

    c.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 100, 200, width=300, height=500)
    c.showPage()
    c.save()
    result = read_document(path, settings.ocr, max_pages=10)
    assert [p.method for p in result.pages] == ["text", "ocr"]
    assert "scontrino" in result.pages[0].text.lower()
    assert "total" in result.pages[1].text.lower()


def test_multi_page_tiff_gives_one_page_per_frame(settings, tmp_path):
    from docgen import contract

    doc = contract(tmp_path / "c.pdf", seed=14)
    tiff = scan_image(doc.path, tmp_path / "c.tif", seed=2)
    result = read_document(tiff, settings.ocr, max_pages=10)
    assert len(result.pages) == 2 and all(p.method == "ocr" for p in result.pages)
    assert "contratto" in _text(result) and "foro" in _text(result)


def test_exif_orientation_is_applied_before_ocr(settings, tmp_path):
    doc = english_receipt(tmp_path / "r.pdf", seed=15)
    photo = scan_image(doc.path, tmp_path / "r.jpg", seed=3, exif_rotate=True)
    with Image.open(photo) as im:
        assert im.width > im.height  # stored sideways; only the EXIF tag says how to turn it
    result = read_document(photo, settings.ocr, max_pages=10)
    assert result.pages[0].rotation == 0  # EXIF alone made it upright
    assert doc.fields["total_amount"] in result.text


def test_upside_down_scan_is_turned_by_orientation_detection(settings, tmp_path):
    doc = italian_invoice(tmp_path / "f.pdf", seed=16)
    scan = scan_pdf(doc.path, tmp_path / "upside.pdf", seed=4, upside_down=True)
    result = read_document(scan, settings.ocr, max_pages=10)
    assert result.pages[0].rotation == 180
    assert "fattura" in _text(result)


def test_pages_are_produced_one_at_a_time(settings, tmp_path):
    from docgen import contract

    doc = contract(tmp_path / "c.pdf", seed=17)
    pages = iter_pages(doc.path, settings.ocr, max_pages=10)
    first = next(pages)
    assert first.number == 1  # the second page has not been read yet
    assert next(pages).number == 2


def test_page_limit_is_enforced_before_reading(settings, tmp_path):
    from docgen import contract

    doc = contract(tmp_path / "c.pdf", seed=18)
    with pytest.raises(TooManyPagesError, match="2 pages, more than the limit of 1"):
        read_document(doc.path, settings.ocr, max_pages=1)


def test_truncated_pdf_is_reported_as_corrupt(settings, tmp_path):
    doc = italian_invoice(tmp_path / "f.pdf", seed=19)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(doc.path.read_bytes()[:400])
    with pytest.raises(CorruptDocumentError, match="cannot be opened"):
        read_document(broken, settings.ocr, max_pages=10)


def test_password_protected_pdf_is_reported_as_encrypted(settings, tmp_path):
    path = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(path), encrypt="segreto")
    c.drawString(72, 720, "Riservato")
    c.save()
    with pytest.raises(EncryptedDocumentError, match="password"):
        read_document(path, settings.ocr, max_pages=10)


def test_words_are_grouped_into_lines_by_their_vertical_middle():
    words = [Word("Totale", 10, 100, 50, 110), Word("12,00", 200, 101, 240, 111),
             Word("IVA", 10, 130, 30, 140)]
    lines = {w.text: w.line for w in assign_lines(words)}
    assert lines["Totale"] == lines["12,00"] != lines["IVA"]
