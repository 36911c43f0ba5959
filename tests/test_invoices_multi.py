"""The document's own number among several, and the net of a VAT summary printed per rate
(issue 15), on generated layouts (tests/gen_invoices_multi.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from gen_invoices_multi import credit_note, invoice_quoting_an_earlier_one, per_rate_summary
from pipeline.config import config_dir
from pipeline.extract import invoice
from pipeline.extract.layout import Layout
from pipeline.extract.vocabulary import load_vocabulary

from test_extract_reading import page

LANGUAGES = ("it", "en", "de", "fr")


def _fields(layout):
    vocab = load_vocabulary(config_dir() / "fields.toml")
    return invoice.extract(Layout([page(layout.rows)]), vocab, language=layout.language, today=dt.date(2025, 6, 1))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("seed", range(6))
def test_credit_note_number_is_its_own_not_the_quoted_invoice(seed, language):
    layout = credit_note(seed, language)
    fields = _fields(layout)
    assert fields["number"].value == layout.expected["number"], layout.rows


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("seed", range(3))
def test_invoice_number_in_the_header_beats_the_earlier_invoice_it_quotes(seed, language):
    layout = invoice_quoting_an_earlier_one(seed, language)
    assert _fields(layout)["number"].value == layout.expected["number"]


@pytest.mark.parametrize("table", [False, True], ids=["lines", "table"])
@pytest.mark.parametrize("language", ("it", "en", "de"))
@pytest.mark.parametrize("seed", range(5))
def test_net_and_vat_are_the_sums_of_the_per_rate_figures(seed, language, table):
    layout = per_rate_summary(seed, language, table=table)
    fields = _fields(layout)
    got = {k: fields[k].value for k in ("net_amount", "vat_amount", "total_amount") if k in fields}
    assert got == layout.expected, layout.rows
    assert fields["total_amount"].valid is True


def _printed(layout, path):
    """The layout printed as a born-digital PDF and read back by the real reading stage."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from pipeline.config import load_settings
    from pipeline.process import read_pages

    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 9)
    for r, row in enumerate(layout.rows):
        cells: list[tuple[str, float, float]] = []
        for text, x in row:  # words set one after another (gen_invoices_multi.words) print as one phrase
            if cells and abs(x - (cells[-1][2] + 9 * len(cells[-1][0].split()[-1]) + 9)) < 1:
                cells[-1] = (cells[-1][0] + " " + text, cells[-1][1], x)
            else:
                cells.append((text, x, x))
        for text, x, _ in cells:
            c.drawString(30 + x * 0.42, A4[1] - 60 - 16 * r, text)
    c.save()
    _, pages = read_pages(path, load_settings())
    vocab = load_vocabulary(config_dir() / "fields.toml")
    return invoice.extract(Layout(pages), vocab, language=layout.language, today=dt.date(2025, 6, 1))


@pytest.mark.parametrize("seed", range(2))
def test_printed_credit_note_and_per_rate_summary(seed, tmp_path):
    for language in ("it", "en", "de"):
        note = credit_note(seed, language)
        assert _printed(note, tmp_path / f"nc-{language}.pdf")["number"].value == note.expected["number"]
        for table in (False, True):
            summary = per_rate_summary(seed, language, table=table)
            fields = _printed(summary, tmp_path / f"sum-{language}-{table}.pdf")
            got = {k: fields[k].value for k in ("net_amount", "vat_amount", "total_amount") if k in fields}
            assert got == summary.expected, (language, table)
