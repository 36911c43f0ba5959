"""A sparse invoice is not a till roll because its lines are short in characters: the page says
how wide they run (``classify_shape.wide_page``).

A one-column A4 invoice — seller's block, "Rechnung Nr. … vom …", a few item lines, the sums, the
IBAN — has no line of 60 characters, so by its text alone it has a till roll's shape and a till's
head (a tax number among the first narrow lines): German and French ones came out receipts
(generated: 26 of 240 born-digital invoices and 10 of 80 scans, all one-line-header and
professional-fee layouts). On the page their print runs from margin to margin, in character cells
far wider than a roll; scanned, OCR splits the rows into cells and tilts them, so it is the span of
the page's words that is measured, not its lines.
"""

from __future__ import annotations

import pytest

from gen_invoice_layouts import build, ocr_page, write_pdf
from pipeline.classify import RuleClassifier, classify_text
from pipeline.classify_shape import WIDE_CELLS, shapes, wide_page
from pipeline.config import load_settings
from pipeline.process import read_pages
from pipeline.records import Page, Word

SPARSE = [(kind, language, seed) for kind in ("one_liner", "professional") for language in ("de", "fr")
          for seed in (20, 21, 22)]


def page_of(rows: list[list[tuple[str, float]]], *, char: float = 5.0, conf: float = 96.0) -> Page:
    """A page whose rows hold words at x positions (in points), each ``char`` wide a letter."""
    words = []
    for n, row in enumerate(rows):
        for text, x in row:
            words.append(Word(text, x, 20.0 * n, x + char * len(text), 20.0 * n + 9, conf=conf, line=n))
    return Page(number=1, width=595, height=842, words=words)


TILL_ROWS = [[("BOTTEGA", 10), ("ROSSI", 50)], [("P.IVA", 10), ("01234567890", 45)],
             *[[("Caffe", 10), ("1,20", 190)] for _ in range(8)], [("TOTALE", 10), ("9,60", 190)]]


def test_a_till_roll_is_not_wide_however_it_is_placed_on_the_page():
    assert not wide_page([page_of(TILL_ROWS)])
    moved = [[(text, x + 300) for text, x in row] for row in TILL_ROWS]  # a slip at the right of a scan bed
    assert not wide_page([page_of(moved)])


def test_item_lines_from_margin_to_margin_are_wide():
    rows = [[("Brunnwerk", 40), ("AG", 95)], *[[("Montagearbeiten", 40), ("9", 330), ("143,08", 400), ("1287,72", 500)]
                                              for _ in range(4)], [("Summe", 40), ("netto", 75), ("12881,39", 500)]]
    assert 500 / 5.0 > WIDE_CELLS  # the item lines span ~100 cells
    assert wide_page([page_of(rows)])


def test_noise_read_beside_a_photographed_slip_does_not_widen_it():
    """Words OCR invents from the table or background around a slip have low confidence."""
    page = page_of(TILL_ROWS)
    noise = [Word("ee", 520.0, 20.0 * n, 530.0, 20.0 * n + 9, conf=31.0, line=n) for n in range(len(TILL_ROWS))]
    page.words.extend(noise)
    assert not wide_page([page])


def test_a_wide_page_rules_out_the_roll_shapes_only():
    text = "\n".join(" ".join(t for t, _ in row) for row in TILL_ROWS) + "\n13:05\nResto 0,40"
    assert {"till_roll", "till_head"} <= shapes(text)
    wide_rows = [[(t, 40 if i == 0 else 500) for i, (t, _) in enumerate(row)] for row in TILL_ROWS]
    found = shapes(text, [page_of(wide_rows)])
    assert not found & {"till_roll", "till_head"}
    assert {"time_of_day", "paid_at_counter"} <= found  # the words say these, not the roll


@pytest.fixture(scope="module")
def sparse_invoices(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sparse")
    settings = load_settings()
    read = []
    for kind, language, seed in SPARSE:
        doc = build(kind, language, seed)
        _, pages = read_pages(write_pdf(doc, folder / f"{doc.name}.pdf"), settings)
        read.append((doc.name, pages))
        read.append((f"{doc.name} scanned askew", [ocr_page(doc, slope=0.017)]))
    return settings, read


def test_sparse_german_and_french_invoices_are_invoices(sparse_invoices):
    settings, read = sparse_invoices
    rules = RuleClassifier.from_file(settings.classify_vocabulary)
    till_like = 0
    wrong = {}
    for name, pages in read:
        text = "\f".join(p.text for p in pages)
        till_like += bool(shapes(text) & {"till_roll", "till_head"})
        got = classify_text(text, settings, pages)
        if got.doc_class != "invoice":
            wrong[name] = (got.doc_class, got.scores)
        assert rules.scores(text, pages)["invoice"] > rules.scores(text, pages)["receipt"], name
    assert till_like >= len(read) // 2, "the generated layouts no longer look like a roll by their text"
    assert not wrong, wrong
