"""Stacks split into documents: separator sheets found before OCR (no OCR in this module), and
the content rules on pages made of words (numbers, sellers, "Pagina k di N", blank pages)."""

from __future__ import annotations

import pytest

from docgen import degrade, render
from gen_stacks import build_stack, invoice_pages, separator_sheet
from pipeline.config import SplitSettings
from pipeline.records import Page, Word
from pipeline.split import find_separators, looks_blank, plan_stack, separator_reason, survey_pages
from pipeline.split.boundaries import Signs


# -- separator sheets (real zxing-cpp on generated scans) ---------------------------------------
@pytest.mark.parametrize("kind", ["code128", "qr", "patch_t"])
def test_separator_sheets_of_every_kind_are_found_and_only_they(tmp_path, kind):
    a, _ = invoice_pages(tmp_path / "a.pdf", 1, pages=2)
    b, _ = invoice_pages(tmp_path / "b.pdf", 2)
    stack = build_stack(tmp_path / "stack.pdf", [a, b, a], seed=7, dpi=150, separator=kind)
    found = find_separators(stack.path, "application/pdf", SplitSettings(), max_pages=50)
    assert sorted(found) == stack.separators == [3, 5]
    assert all("separator sheet" in why for why in found.values())


def test_a_barcode_with_another_value_is_not_a_separator():
    sheet = degrade(separator_sheet("code128", 100, value="FATTURA-2024-17"), 1, angle=0.3)
    assert separator_reason(sheet, {"ARCHIVIO-SEP"}, patch_t=True, dpi=100) is None
    assert separator_reason(sheet, {"FATTURA-2024-17"}, patch_t=False, dpi=100) is not None


def test_the_separator_value_is_a_setting(tmp_path):
    a, _ = invoice_pages(tmp_path / "a.pdf", 3)
    stack = build_stack(tmp_path / "stack.pdf", [a, a], seed=8, dpi=100, separator="qr")
    assert find_separators(stack.path, "application/pdf", SplitSettings(separator_values=["ALTRO"], patch_t=False),
                           max_pages=50) == {}
    assert find_separators(stack.path, "application/pdf", SplitSettings(separators=False), max_pages=50) == {}


def test_blank_pages_are_seen_before_ocr_but_a_short_page_is_not_blank(tmp_path):
    a, _ = invoice_pages(tmp_path / "a.pdf", 4)
    stack = build_stack(tmp_path / "stack.pdf", [a, a], seed=9, dpi=100, duplex_backs=True)
    survey = survey_pages(stack.path, "application/pdf", SplitSettings(by_content=True), max_pages=50)
    assert sorted(survey.blank) == stack.backs == [2, 4]
    assert not survey.separators
    # A page printing nothing but its number at the foot is not blank.
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(tmp_path / "foot.pdf"), pagesize=A4)
    c.setFont("Helvetica", 10)
    c.drawString(250, 40, "Pagina 2 di 2")
    c.showPage()
    c.save()
    assert not looks_blank(degrade(render(tmp_path / "foot.pdf", 100)[0], 1, angle=0.2))


# -- content rules (pages of words, no OCR) ----------------------------------------------------
def page(number: int, *lines: str) -> Page:
    """A page printing ``lines`` and a line of ordinary text (a page with only a code on it
    would read as blank)."""
    words, y = [], 100.0
    for line_no, line in enumerate((*lines, "testo ordinario della pagina")):
        x = 100.0
        for text in line.split():
            words.append(Word(text, x, y, x + 20 * len(text), y + 40, 95.0, line_no))
            x += 20 * len(text) + 25
        y += 60
    return Page(number=number, width=2480, height=3508, words=words, method="ocr")


def blank(number: int) -> Page:
    return Page(number=number, width=2480, height=3508, words=[Word("~", 5, 5, 9, 9, 20.0)], method="ocr")


def signs_from_text(p: Page) -> Signs:
    """A stand-in for Archivio's extraction: "N. <x>" is the number, "PIVA <x>" the seller."""
    tokens = p.text.split()
    number = next((tokens[i + 1] for i, t in enumerate(tokens[:-1]) if t == "N."), None)
    seller = frozenset(tokens[i + 1] for i, t in enumerate(tokens[:-1]) if t == "PIVA")
    kind = "receipt" if "SCONTRINO" in tokens else "invoice" if "FATTURA" in tokens else None
    scores = {c: 0.94 if c == kind else 0.02 for c in ("invoice", "receipt", "contract", "other")} if kind else {}
    return Signs(number, seller, kind, scores)


BY_CONTENT = SplitSettings(by_content=True)


def starts(plan) -> list[int]:
    return [part.pages[0] for part in plan.parts[1:]]


def test_a_new_number_or_seller_or_page_one_starts_a_document_and_each_decision_says_why():
    pages = [page(1, "FATTURA N. 12/A PIVA 111", "Pagina 1 di 2"), page(2, "FATTURA N. 12/A PIVA 111", "Pagina 2 di 2"),
             page(3, "FATTURA N. 13/A PIVA 111"), page(4, "FATTURA PIVA 222 dettaglio"),
             page(5, "FATTURA riepilogo", "Pagina 1 di 1")]
    plan = plan_stack(pages, {}, BY_CONTENT, signs_from_text)
    assert starts(plan) == [3, 4, 5]
    assert [p.reason for p in plan.parts] == ["first page of the stack", "new document number 13/A (was 12/A)",
                                             "new seller VAT number 222 (was 111)",
                                             "the page says page 1 of 1 again"]
    assert len(plan.decisions) == 3


def test_page_k_of_n_continues_even_when_the_page_looks_different():
    pages = [page(1, "FATTURA N. 7 PIVA 111", "Pagina 1 di 2"), page(2, "SCONTRINO N. 99 dettaglio", "Pagina 2 di 2")]
    assert starts(plan_stack(pages, {}, BY_CONTENT, signs_from_text)) == []


def test_a_page_of_another_class_starts_a_document_only_when_both_are_sure():
    pages = [page(1, "FATTURA N. 7"), page(2, "SCONTRINO totale")]
    assert starts(plan_stack(pages, {}, BY_CONTENT, signs_from_text)) == [2]
    unsure = lambda p: Signs(None, frozenset(), signs_from_text(p).doc_class, {"invoice": 0.5, "receipt": 0.5})  # noqa: E731
    assert starts(plan_stack(pages, {}, BY_CONTENT, unsure)) == []


def test_duplex_blank_backs_are_dropped_and_are_no_boundary():
    pages = [page(1, "FATTURA N. 1", "Pagina 1 di 2"), blank(2), page(3, "FATTURA N. 1", "Pagina 2 di 2"), blank(4),
             page(5, "FATTURA N. 2"), blank(6)]
    plan = plan_stack(pages, {}, BY_CONTENT, signs_from_text)
    assert [part.pages for part in plan.parts] == [(1, 3), (5,)]
    assert plan.dropped == {2: "blank back of a duplex sheet", 4: "blank back of a duplex sheet",
                            6: "blank back of a duplex sheet"}
    assert plan.parts[1].reason == "new document number 2 (was 1)"


def test_a_blank_page_between_documents_is_a_boundary_in_a_simplex_stack():
    pages = [page(1, "lettera uno"), page(2, "lettera uno segue"), blank(3), page(4, "lettera due")]
    plan = plan_stack(pages, {}, BY_CONTENT, signs_from_text)
    assert [part.pages for part in plan.parts] == [(1, 2), (4,)]
    assert plan.parts[1].reason == "after a blank page (page 3)"
    # The same stack declared duplex: page 3 is odd, so a lone blank there is still a boundary,
    # and a blank sheet (two blank pages) always is.
    duplex = SplitSettings(by_content=True, duplex="true")
    pages = [page(1, "lettera uno"), blank(2), blank(3), blank(4), page(5, "lettera due"), blank(6)]
    assert [part.pages for part in plan_stack(pages, {}, duplex, signs_from_text).parts] == [(1,), (5,)]


def test_separators_split_without_by_content_and_are_dropped():
    pages = [page(1, "uno"), Page(number=2, width=0, height=0, method="empty"), page(3, "due"), page(4, "due segue")]
    plan = plan_stack(pages, {2: "separator sheet (QR code 'ARCHIVIO-SEP')"}, SplitSettings())
    assert [(part.first, part.last, part.pages) for part in plan.parts] == [(1, 1, (1,)), (3, 4, (3, 4))]
    assert plan.parts[1].reason == "after a separator sheet"
    assert 2 in plan.dropped


def test_a_title_of_its_own_starts_a_document_but_a_running_header_or_a_clause_in_capitals_does_not():
    pages = [page(1, "SERVICE AGREEMENT", "between Alfa and Beta"), page(2, "SERVICE AGREEMENT", "clause 7 continues"),
             page(3, "THE PARTIES AGREE THAT THIS AGREEMENT BINDS THEM", "clause 9"),
             page(4, "CONFIDENTIALITY AGREEMENT", "between Gamma and Delta")]
    plan = plan_stack(pages, {}, BY_CONTENT)
    assert starts(plan) == [4]
    assert plan.parts[1].reason == "the page opens with a document title of its own"


def test_one_document_is_not_a_stack():
    pages = [page(1, "FATTURA N. 5", "Pagina 1 di 2"), page(2, "FATTURA N. 5", "Pagina 2 di 2")]
    assert not plan_stack(pages, {}, BY_CONTENT, signs_from_text).is_stack


# -- documents of the same kind in a row (generated PDFs read from their text layer, no OCR) ---
@pytest.fixture(scope="module")
def split_settings(tmp_path_factory):
    from support import make_settings

    return make_settings(tmp_path_factory.mktemp("office"), **{"split.by_content": True})


def stacked(settings, documents: list) -> tuple[list[Page], set[int]]:
    """The pages of ``documents`` (PDF paths, or lists of pages already made) as one stack, and
    the truth: the first page of every document but the first."""
    import dataclasses

    from pipeline.process import read_pages

    pages, truth = [], set()
    for i, doc in enumerate(documents):
        read = doc if isinstance(doc, list) else read_pages(doc, settings)[1]
        for k, p in enumerate(read):
            pages.append(dataclasses.replace(p, number=len(pages) + 1))
            if k == 0 and i:
                truth.add(len(pages))
    return pages, truth


def test_einvoice_printouts_of_one_seller_in_a_row_are_split_where_the_next_title_opens(tmp_path, split_settings):
    from gen_stacks import einvoice_printout
    from pipeline.split import plan_parts

    docs = [einvoice_printout(tmp_path / f"fe{i}.pdf", 20 + i, vendor="Idraulica Bianchi S.n.c.",
                              vat="01234567897")[0] for i in range(3)]
    pages, truth = stacked(split_settings, docs)
    plan = plan_parts(pages, {}, split_settings)
    assert set(starts(plan)) == truth == {3, 5}
    # Same title, same seller, no number before page 2: the title that the document before did
    # not repeat on its own pages is what says "new".
    assert all("title again" in part.reason for part in plan.parts[1:])


def test_receipts_in_a_row_on_a_fixed_paper_scanner_are_split_by_closing_lines_and_letterhead(tmp_path, split_settings):
    from docgen import english_receipt, italian_receipt
    from gen_stacks import on_paper
    from pipeline.process import read_pages
    from pipeline.split import plan_parts

    a4 = (595.28, 841.89)
    receipts = []
    for i, make in enumerate((italian_receipt, italian_receipt, english_receipt, italian_receipt)):
        read = read_pages(make(tmp_path / f"r{i}.pdf", 30 + i).path, split_settings)[1]
        receipts.append([on_paper(p, *a4, left=0.1 + 0.1 * i) for p in read])
    pages, truth = stacked(split_settings, receipts)
    plan = plan_parts(pages, {}, split_settings)
    assert set(starts(plan)) == truth
    assert not any("paper" in part.reason for part in plan.parts)


def test_a_receipt_then_an_invoice_are_split_by_the_paper_even_when_nothing_else_tells(tmp_path, split_settings):
    import dataclasses

    from docgen import english_receipt
    from gen_stacks import invoice_pages

    receipt, invoice = english_receipt(tmp_path / "r.pdf", 3).path, invoice_pages(tmp_path / "i.pdf", 4, 2, footer=False)[0]
    pages, truth = stacked(split_settings, [receipt, invoice])
    pages = [dataclasses.replace(p, method="ocr") for p in pages]  # scanned, each sheet at its size
    # No identity at all (no numbers, classes read): the receipt's closing lines and the
    # invoice's letterhead say it ...
    plan = plan_stack(pages, {}, BY_CONTENT)
    assert set(starts(plan)) == truth
    assert plan.parts[1].reason == "page 1 ends a document (totals) and this page opens one (tax id)"
    # ... and without the letterhead (its top cut off), the paper still does.
    pages[1] = dataclasses.replace(pages[1], words=[w for w in pages[1].words if w.y0 > 0.25 * pages[1].height])
    plan = plan_stack(pages, {}, BY_CONTENT)
    assert set(starts(plan)) == truth
    assert plan.parts[1].reason.startswith("the paper changes")
    # A born-digital PDF may mix page sizes within one document: its paper says nothing.
    assert starts(plan_stack([dataclasses.replace(p, method="text") for p in pages], {}, BY_CONTENT)) == []


def test_a_scanners_crop_is_no_change_of_paper():
    a = page(1, "lettera uno")
    b = page(2, "lettera uno segue")
    b.width, b.height = a.width * 1.02, a.height * 0.98
    assert starts(plan_stack([a, b], {}, BY_CONTENT)) == []
    b.width = a.width * 0.7
    assert starts(plan_stack([a, b], {}, BY_CONTENT)) == [2]


def test_a_multi_page_invoice_repeating_its_header_is_not_split(tmp_path, split_settings):
    from gen_stacks import invoice_pages
    from pipeline.split import plan_parts

    docs = [invoice_pages(tmp_path / "a.pdf", 5, 3, footer=False)[0], invoice_pages(tmp_path / "b.pdf", 6, 2, footer=False)[0]]
    pages, truth = stacked(split_settings, docs)
    plan = plan_parts(pages, {}, split_settings)
    assert set(starts(plan)) == truth == {4}


def test_page_k_of_n_continues_even_after_a_total_and_a_letterhead():
    pages = [page(1, "Alfa S.r.l.", "P.IVA 01234567897", "Servizio 1", "Totale documento 100,00", "Pagina 1 di 2"),
             page(2, "Alfa S.r.l.", "P.IVA 01234567897", "Servizio 2", "Totale documento 150,00", "Pagina 2 di 2"),
             page(3, "Beta S.r.l.", "P.IVA 09876543217", "Servizio 3", "Totale documento 50,00")]
    plan = plan_stack(pages, {}, BY_CONTENT)
    assert starts(plan) == [3]
    assert plan.parts[1].reason == "page 2 ends a document (totals) and this page opens one (tax id)"


def test_a_page_ending_a_document_is_no_boundary_when_the_next_one_opens_with_running_text():
    pages = [page(1, "Alfa S.r.l.", "P.IVA 01234567897", "Servizio 1", "Totale documento 100,00"),
             page(2, "Condizioni generali di vendita", "1. Le merci viaggiano a rischio del compratore")]
    assert starts(plan_stack(pages, {}, BY_CONTENT)) == []
    # A kind of document named in running text is no heading either.
    pages[1] = page(2, "the parties to this Agreement shall pay every invoice within thirty days of its date")
    assert starts(plan_stack(pages, {}, BY_CONTENT)) == []
    pages[1] = page(2, "Handelsrechnung Nr. R18-31 vom 03.10.2018")
    assert starts(plan_stack(pages, {}, BY_CONTENT)) == [2]


def test_contracts_of_one_kind_in_a_row_are_split(tmp_path, split_settings):
    from docgen import contract, english_contract
    from pipeline.split import plan_parts

    docs = [contract(tmp_path / "c1.pdf", 1).path, contract(tmp_path / "c2.pdf", 2).path,
            english_contract(tmp_path / "e1.pdf", 3).path, english_contract(tmp_path / "e2.pdf", 4).path]
    pages, truth = stacked(split_settings, docs)
    assert set(starts(plan_parts(pages, {}, split_settings))) == truth


def test_a_lone_blank_among_printed_backs_is_a_page_between_documents_not_a_back():
    # A, blank, B1, B2: even count and the blank on an even page, but page 4 is printed: the
    # stack is not one-sided paper through a duplex scanner.
    pages = [page(1, "lettera uno"), blank(2), page(3, "lettera due"), page(4, "lettera due segue")]
    plan = plan_stack(pages, {}, BY_CONTENT)
    assert [part.pages for part in plan.parts] == [(1,), (3, 4)]
    assert plan.dropped == {2: "blank page between documents"}
    # Most backs blank: a duplex stack, the blank backs dropped without a boundary.
    pages = [page(1, "lettera uno"), blank(2), page(3, "lettera uno segue"), blank(4), page(5, "lettera uno fine"),
             page(6, "lettera uno allegato"), page(7, "lettera uno firma"), blank(8)]
    plan = plan_stack(pages, {}, BY_CONTENT)
    assert [part.pages for part in plan.parts] == [(1, 3, 5, 6, 7)]


def test_a_page_total_carried_forward_is_no_end_of_the_document():
    pages = [page(1, "Alfa S.r.l.", "FATTURA n. 12/A", "Servizio 1", "Servizio 2", "Totale pagina 200,00 a riportare"),
             page(2, "Alfa S.r.l.", "FATTURA n. 12/A", "Servizio 3", "Totale documento 300,00")]
    assert starts(plan_stack(pages, {}, BY_CONTENT)) == []
    # The same header printed again is the same invoice's; a header of its own after a total opens one.
    pages[0] = page(1, "Alfa S.r.l.", "FATTURA n. 12/A", "Servizio 1", "Servizio 2", "Totale documento 200,00")
    assert starts(plan_stack(pages, {}, BY_CONTENT)) == []
    pages[1] = page(2, "Alfa S.r.l.", "Nota di credito n. 13/A", "Servizio 3", "Totale documento 300,00")
    assert starts(plan_stack(pages, {}, BY_CONTENT)) == [2]


def test_a_running_header_after_a_payment_clause_is_no_new_document():
    # A contract's page 1 ends with its fees clause (an amount, payment terms); page 2 repeats
    # the title (upper case, or as a plain running header): the same document continues.
    for header in ("MASTER SERVICES AGREEMENT", "Master Services Agreement"):
        pages = [page(1, header, "between Alfa Inc. and Beta LLC", "3. Fees and payment terms",
                      "Client shall pay the total fee of 12,000.00 within thirty days"),
                 page(2, header, "4. Confidentiality. Each party shall hold the other's information in confidence")]
        assert starts(plan_stack(pages, {}, BY_CONTENT)) == [], header


def test_the_same_title_after_a_signature_block_opens_a_document():
    pages = [page(1, "JOINT FILING AGREEMENT", "the undersigned agree to file jointly", "IN WITNESS WHEREOF",
                  "Signature: Alfa Inc."),
             page(2, "JOINT FILING AGREEMENT", "the undersigned agree to file jointly")]
    plan = plan_stack(pages, {}, BY_CONTENT)
    assert starts(plan) == [2]
    assert plan.parts[1].reason == "page 1 ends a document (signature block) and this page opens one (a document title)"
