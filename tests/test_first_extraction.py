"""Classification and the first fields, on generated born-digital documents and their scans."""

from __future__ import annotations

import pytest

from docgen import contract, english_receipt, italian_invoice, scan_image, scan_pdf
from pipeline.process import analyse


def _value(analysis, name):
    field = analysis.fields.get(name)
    return field.value if field else None


@pytest.mark.parametrize("seed", [41, 42, 43])
def test_born_digital_italian_invoice(settings, tmp_path, seed):
    doc = italian_invoice(tmp_path / "f.pdf", seed=seed)
    a = analyse(doc.path, settings)
    assert a.classification.doc_class == "invoice"
    assert a.language == "it"
    for name in ("number", "date", "total_amount", "vendor_vat"):
        assert _value(a, name) == doc.fields[name], name
    vat = a.fields["vendor_vat"]
    assert vat.valid is True and vat.page == 1
    x0, y0, x1, y1 = vat.box
    assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1
    assert not a.problems


@pytest.mark.ocr
def test_scanned_invoice_gives_the_same_fields(settings, tmp_path):
    doc = italian_invoice(tmp_path / "f.pdf", seed=44)
    a = analyse(scan_pdf(doc.path, tmp_path / "f.scan.pdf", seed=5), settings)
    assert a.classification.doc_class == "invoice" and a.pages_ocr == 1
    for name in ("number", "date", "total_amount", "vendor_vat"):
        assert _value(a, name) == doc.fields[name], name


@pytest.mark.ocr
def test_receipt_photo_gives_date_and_total(settings, tmp_path):
    doc = english_receipt(tmp_path / "r.pdf", seed=45)
    a = analyse(scan_image(doc.path, tmp_path / "r.jpg", seed=6), settings)
    assert a.classification.doc_class == "receipt"
    assert _value(a, "date") == doc.fields["date"]
    assert _value(a, "total_amount") == doc.fields["total_amount"]


def test_contract_gives_parties_and_date(settings, tmp_path):
    doc = contract(tmp_path / "c.pdf", seed=46)
    a = analyse(doc.path, settings)
    assert a.classification.doc_class == "contract"
    assert _value(a, "parties") == doc.fields["parties"]
    assert _value(a, "agreement_date") == doc.fields["agreement_date"]


def test_text_without_evidence_is_other_and_flagged(settings, tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "menu.pdf"
    c = canvas.Canvas(str(path))
    c.drawString(72, 720, "Ricetta della nonna: farina, uova, zucchero e un pizzico di sale.")
    c.save()
    a = analyse(path, settings)
    assert a.classification.doc_class == "other"
    assert a.fields == {}


def test_invalid_vat_id_is_reported_invalid_and_flags_review(settings, tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "f.pdf"
    c = canvas.Canvas(str(path))
    for y, line in zip(range(760, 600, -20), ["FATTURA", "Fattura n. 12/A", "Data: 03/02/2024",
                                               "P.IVA 12345678901", "Imponibile 100,00", "IVA 22% 22,00",
                                               "Totale documento 122,00"]):
        c.drawString(72, y, line)
    c.save()
    a = analyse(path, settings)
    vat = a.fields["vendor_vat"]
    assert vat.value == "12345678901" and vat.valid is False and "not valid" in vat.error
    assert any("vendor_vat" in p for p in a.problems)
