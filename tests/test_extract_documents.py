"""End to end on generated documents: read → classify → extract → validate, compared with what
the generator printed. Born-digital files take the text layer; scans go through Tesseract."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

import docgen
from pipeline.process import analyse

TODAY = dt.date(2025, 1, 15)

GENERATORS = {
    "italian_invoice": docgen.italian_invoice,
    "german_invoice": docgen.german_invoice,
    "english_invoice": docgen.english_invoice,
    "english_receipt": docgen.english_receipt,
    "italian_receipt": docgen.italian_receipt,
    "italian_contract": docgen.contract,
    "english_contract": docgen.english_contract,
}

TEXT_FIELDS = {"vendor_name", "customer_name", "merchant_name", "governing_law"}


def assert_fields(analysis, doc: docgen.Doc) -> None:
    assert analysis.classification.doc_class == doc.doc_class
    for name, expected in doc.fields.items():
        got = analysis.fields.get(name)
        assert got is not None, f"{name} not found (expected {expected!r})"
        if name == "parties":
            assert sorted(got.value) == sorted(expected)
        elif name in TEXT_FIELDS:
            assert got.value.casefold() == str(expected).casefold(), name
        else:
            assert got.value == expected, name
        assert got.page == 1 or name in ("governing_law",)


@pytest.mark.parametrize("kind", sorted(GENERATORS))
@pytest.mark.parametrize("seed", [1, 2])
def test_born_digital_documents_yield_their_printed_fields(kind, seed, tmp_path, settings):
    doc = GENERATORS[kind](tmp_path / f"{kind}.pdf", seed)
    analysis = analyse(doc.path, settings, today=TODAY)
    assert_fields(analysis, doc)
    assert not [p for p in analysis.problems if "not valid" in p]


def test_extracted_fields_carry_raw_text_box_and_validity(tmp_path, settings):
    doc = docgen.italian_invoice(tmp_path / "fattura.pdf", 7)
    analysis = analyse(doc.path, settings, today=TODAY)
    vat = analysis.fields["vendor_vat"]
    assert vat.valid is True and vat.raw.replace(" ", "") == doc.fields["vendor_vat"]
    x0, y0, x1, y1 = vat.box
    assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 0.2  # printed in the header
    total = analysis.fields["total_amount"]
    assert total.valid is True  # net + VAT = total
    assert analysis.fields["iban"].valid is True
    # Confident enough not to be sent to review. (It was >= 0.9 with the model trained on the whole dev
    # corpus; the shipped model is trained on its study half only, so eval --split measure stays honest,
    # and is less sure of this generated layout: ~0.79.)
    assert analysis.classification.doc_class == "invoice"
    assert analysis.classification.confidence >= settings.classify.min_confidence


def _invoice_with(path: Path, vat: str, iban: str, net: str, vat_amount: str, total: str) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    w, h = A4
    rows = ["Ferramenta Esposito S.r.l.", f"P.IVA {vat}", "FATTURA", "Fattura n. 12/A", "Data: 03/04/2024",
            f"Imponibile € {net}", f"IVA 22% € {vat_amount}", f"Totale documento € {total}", f"IBAN: {iban}"]
    for i, row in enumerate(rows):
        c.drawString(60, h - 60 - 22 * i, row)
    c.showPage()
    c.save()
    return path


def test_invalid_identifiers_are_reported_invalid_and_flag_review(tmp_path, settings):
    rng = random.Random(3)
    good_vat = docgen.valid_partita_iva(rng)
    bad_vat = good_vat[:-1] + str((int(good_vat[-1]) + 1) % 10)
    good_iban = docgen.valid_italian_iban(rng)
    bad_iban = good_iban[:4] + ("A" if good_iban[4] != "A" else "B") + good_iban[5:]  # wrong CIN letter
    path = _invoice_with(tmp_path / "bad.pdf", bad_vat, bad_iban, "100,00", "22,00", "122,00")
    analysis = analyse(path, settings, today=TODAY)
    assert analysis.fields["vendor_vat"].value == bad_vat
    assert analysis.fields["vendor_vat"].valid is False
    assert analysis.fields["iban"].valid is False
    assert any(p.startswith("vendor_vat:") for p in analysis.problems)
    assert any(p.startswith("iban:") for p in analysis.problems)


def test_totals_that_do_not_add_up_flag_review(tmp_path, settings):
    rng = random.Random(4)
    path = _invoice_with(tmp_path / "sum.pdf", docgen.valid_partita_iva(rng), docgen.valid_italian_iban(rng),
                         "100,00", "22,00", "125,00")
    analysis = analyse(path, settings, today=TODAY)
    assert analysis.fields["total_amount"].value == "125.00"
    assert analysis.fields["total_amount"].valid is False
    assert any("not the total" in p for p in analysis.problems)


def test_uncertain_class_flags_review(tmp_path, settings):
    path = tmp_path / "note.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawString(60, 700, "Appunti della riunione di martedì: portare le chiavi del magazzino.")
    c.showPage()
    c.save()
    strict = settings.model_copy(update={"classify": settings.classify.model_copy(update={"min_confidence": 0.99})})
    analysis = analyse(path, strict, today=TODAY)
    assert analysis.problems and analysis.problems[0].startswith("class uncertain")


@pytest.mark.ocr
@pytest.mark.slow
@pytest.mark.parametrize("kind, seed", [("italian_invoice", 11), ("german_invoice", 12), ("italian_receipt", 13)])
def test_scanned_documents_yield_their_printed_fields(kind, seed, tmp_path, settings):
    doc = GENERATORS[kind](tmp_path / f"{kind}.pdf", seed)
    scan = docgen.scan_pdf(doc.path, tmp_path / f"{kind}.scan.pdf", seed)
    analysis = analyse(scan, settings, today=TODAY)
    assert analysis.pages_ocr == 1
    assert analysis.classification.doc_class == doc.doc_class
    for name in ("date", "total_amount", "vendor_vat"):
        assert analysis.fields[name].value == doc.fields[name], name


@pytest.mark.ocr
@pytest.mark.slow
def test_scanned_receipt_photo_yields_date_and_total(tmp_path, settings):
    doc = docgen.english_receipt(tmp_path / "receipt.pdf", 21)
    photo = docgen.scan_image(doc.path, tmp_path / "receipt.jpg", 21)
    analysis = analyse(photo, settings, today=TODAY)
    assert analysis.classification.doc_class == "receipt"
    assert analysis.fields["total_amount"].value == doc.fields["total_amount"]
    assert analysis.fields["date"].value == doc.fields["date"]
    assert Decimal(analysis.fields["total_amount"].value) > 0


@pytest.mark.ocr
@pytest.mark.slow
def test_photo_is_read_twice_and_only_the_first_reading_is_the_text(tmp_path, settings):
    from pipeline.process import read_pages

    doc = docgen.italian_receipt(tmp_path / "scontrino.pdf", 31)
    photo = docgen.scan_image(doc.path, tmp_path / "scontrino.png", 31)
    # Whole extra readings are the configurable alternative to the second look.
    settings = settings.model_copy(update={"ocr": settings.ocr.model_copy(update={"photo_second_look": False})})
    _, pages = read_pages(photo, settings)
    readings, page = 0, pages[0].alternate
    while page is not None:
        assert page.words
        readings, page = readings + 1, page.alternate
    assert readings == len(settings.ocr.photo_alternates) >= 1
    single = settings.model_copy(update={"ocr": settings.ocr.model_copy(update={"photo_alternates": []})})
    _, once = read_pages(photo, single)
    assert once[0].alternate is None
    assert once[0].text == pages[0].text  # the second reading never changes the document's text


def test_a_field_box_outlines_the_value_not_the_rest_of_its_row(tmp_path, settings):
    """The reviewer's preview outlines where a value was read: the number printed beside the
    customer's address block must not drag the customer's words into its box."""
    path = tmp_path / "row.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    w, h = A4
    c.drawString(60, h - 60, "Ferramenta Esposito S.r.l.   P.IVA 01234567897")
    c.drawString(60, h - 120, "FATTURA")
    c.drawString(60, h - 150, "Fattura n. 12/A")
    c.drawString(330, h - 150, "Spett.le Bianchi Costruzioni S.p.A.")
    c.drawString(60, h - 172, "Data: 03/04/2024")
    c.drawString(330, h - 172, "Via Roma 1, 20121 Milano")
    for i, row in enumerate(["Imponibile € 100,00", "IVA 22% € 22,00", "Totale documento € 122,00"]):
        c.drawString(60, h - 260 - 22 * i, row)
    c.showPage()
    c.save()
    analysis = analyse(path, settings, today=TODAY)
    number, date = analysis.fields["number"], analysis.fields["date"]
    assert (number.value, date.value) == ("12/A", "2024-04-03")
    customer_left = 330 / w
    for field in (number, date):
        x0, _, x1, _ = field.box
        assert x0 > 60 / w, "the label is not part of the value's box"
        assert x1 < customer_left, f"{field.raw!r}: box {field.box} reaches the customer's column"
