"""Forms, brochures, letters, bank and tax forms stay "other" (issue 15): generated documents of
each kind in Italian and English, which also print the words of invoices and receipts (Tel, IBAN,
importo, prices, a "Totale"), must not be filed as invoices or receipts, while invoices,
receipts and contracts that borrow a letter's or a form's words keep their class."""

from __future__ import annotations

import random

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from docgen import contract, english_invoice, english_receipt, german_invoice, italian_invoice, italian_receipt
from gen_other import BUILDERS, other_document
from pipeline.classify import classify_text
from pipeline.config import load_settings
from pipeline.process import read_pages

SEEDS = range(12)


@pytest.fixture(scope="module")
def shipped():
    return load_settings()


@pytest.fixture(scope="module")
def rules_only(shipped):
    return shipped.model_copy(update={"classify": shipped.classify.model_copy(update={"model_weight": 0.0})})


@pytest.mark.parametrize("kind,language", sorted(BUILDERS))
def test_other_documents_stay_other(kind, language, shipped, rules_only):
    wrong = []
    for seed in SEEDS:
        doc = other_document(1000 + seed, kind, language)
        for name, settings in (("rules+model", shipped), ("rules", rules_only)):
            got = classify_text(doc.text, settings)
            if got.doc_class != "other":
                wrong.append((seed, name, got.doc_class, got.confidence))
    assert not wrong, f"{kind}/{language} read as another class: {wrong}"


def _print(path, lines):
    c = canvas.Canvas(str(path), pagesize=A4)
    y = A4[1] - 20 * mm
    for line in lines:
        c.drawString(20 * mm, y, line[:95])
        y -= 6 * mm
    c.save()


def test_other_documents_read_from_pdf_stay_other(tmp_path, shipped):
    """Through the real reading stage (a printed PDF's words and line order, not the generator's
    text)."""
    for n, (kind, language) in enumerate(sorted(BUILDERS)):
        doc = other_document(2000 + n, kind, language)
        pdf = tmp_path / f"{kind}-{language}.pdf"
        _print(pdf, doc.text.splitlines())
        _, pages = read_pages(pdf, shipped)
        got = classify_text("\f".join(p.text for p in pages), shipped)
        assert got.doc_class == "other", (kind, language, got)


LETTER_IT = ["Gentile Cliente,", "con la presente Le trasmettiamo la fattura in oggetto.", "Cordiali saluti"]
LETTER_EN = ["Dear Sir or Madam,", "I am writing to send you our invoice.", "Yours sincerely,"]


@pytest.mark.parametrize("make", [italian_invoice, english_invoice, german_invoice, italian_receipt, english_receipt,
                                  contract], ids=lambda f: f.__name__)
def test_documents_with_a_covering_letter_keep_their_class(make, tmp_path, shipped):
    """The evidence of "other" must not outweigh a document's own vocabulary: an invoice sent
    with a covering note ("Gentile Cliente … Cordiali saluti"), a receipt or a contract signed
    "Firma" keep their class."""
    for seed in range(3):
        doc = make(tmp_path / f"{make.__name__}-{seed}.pdf", seed)
        _, pages = read_pages(doc.path, shipped)
        text = "\f".join(p.text for p in pages)
        note = random.Random(seed).choice([LETTER_IT, LETTER_EN])
        for variant in (text, "\n".join(note) + "\n" + text, text + "\n" + "\n".join(note) + "\nFirma ________"):
            got = classify_text(variant, shipped)
            assert got.doc_class == doc.doc_class, (make.__name__, seed, got)
