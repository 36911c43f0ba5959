"""The PDFium word reader asks PDFium for less per character (the page's text in one call,
generated-ness only for white space, a text object's matrix and size once) and must read the
same characters as asking each character for everything, on every kind of text layer."""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest

from gen_text_layer import drawn_layers, raw_layers
from pipeline.text import pdfwords


def _asked_per_character(textpage, left: float, top: float) -> tuple[list[tuple], int]:
    """Every property asked of every character through pypdfium2's declared bindings."""
    box, matrix = raw.FS_RECTF(), raw.FS_MATRIX()
    chars, real = [], 0
    for i in range(raw.FPDFText_CountChars(textpage)):
        code = raw.FPDFText_GetUnicode(textpage, i)
        generated = raw.FPDFText_IsGenerated(textpage, i)
        if (generated and code != 0x20) or not code or raw.FPDFText_HasUnicodeMapError(textpage, i):
            continue
        text = "-" if code == 0x02 else chr(code)
        real += not text.isspace()
        if not raw.FPDFText_GetLooseCharBox(textpage, i, ctypes.byref(box)):
            continue
        if generated:
            if chars:
                last = chars[-1]
                chars.append((text, last[3], last[2], last[3], last[4], last[5]))
            continue
        raw.FPDFText_GetMatrix(textpage, i, ctypes.byref(matrix))
        if raw.FPDFText_GetCharAngle(textpage, i) < 0.01:  # upright
            size = raw.FPDFText_GetFontSize(textpage, i) * abs(matrix.d)
            chars.append((text, box.left - left, top - (box.bottom + size), box.right - left, top - box.bottom, True))
        else:
            chars.append((text, box.left - left, top - box.top, box.right - left, top - box.bottom, False))
    return chars, real


@pytest.fixture(scope="module")
def layers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("layers")
    return [drawn_layers(folder / "drawn.pdf"), raw_layers(folder / "raw.pdf")]


def _pages(paths):
    for path in paths:
        pdf = pdfium.PdfDocument(str(path))
        try:
            for i in range(len(pdf)):
                page = pdf[i]
                textpage = page.get_textpage()
                try:
                    yield page, textpage
                finally:
                    textpage.close()
                    page.close()
        finally:
            pdf.close()


def test_the_characters_are_those_asked_one_by_one(layers):
    pages = 0
    for page, textpage in _pages(layers):
        left, _, _, top = page.get_mediabox()
        want = _asked_per_character(textpage.raw, left, top)
        assert pdfwords._chars(textpage.raw, left, top) == want
        layer = pdfwords.read_layer(page)
        assert (layer.boxes, layer.real_chars) == (pdfwords._words(want[0]), want[1])
        pages += 1
    assert pages == 7


def test_the_layers_take_every_path(layers):
    """The pages exercise what the reader relies on: PDFium's text short of a character (control
    character, halves of a character beyond the BMP), U+FFFE for glyphs without Unicode,
    generated spaces and line breaks, upright and turned text, an empty page."""
    short = holes = generated = turned = empty = 0
    for page, textpage in _pages(layers):
        count = raw.FPDFText_CountChars(textpage.raw)
        if not count:
            empty += 1
            continue
        buffer = (ctypes.c_ushort * (count + 1))()
        raw.FPDFText_GetText(textpage.raw, 0, count, buffer)
        text = bytes(buffer)[: 2 * count].decode("utf-16-le", "surrogatepass").rstrip("\0")
        short += len(text) != count
        holes += "\ufffe" in text
        generated += sum(raw.FPDFText_IsGenerated(textpage.raw, i) == 1 for i in range(count))
        left, _, _, top = page.get_mediabox()
        turned += sum(not c[5] for c in pdfwords._chars(textpage.raw, left, top)[0])
    assert short >= 2 and holes >= 1 and generated > 10 and turned > 20 and empty >= 2


def test_generated_characters_are_only_spaces_and_line_breaks(layers):
    for _, textpage in _pages(layers):
        for i in range(raw.FPDFText_CountChars(textpage.raw)):
            if raw.FPDFText_IsGenerated(textpage.raw, i):
                assert chr(raw.FPDFText_GetUnicode(textpage.raw, i)) in pdfwords._GENERATABLE


def test_a_page_in_one_piece_asks_only_its_line_end_hyphens_their_code(tmp_path, monkeypatch):
    """PDFium's page text holds U+FFFE where a line ends in a hyphen, U+0002 for the character."""
    asked = []
    real = pdfwords._get_unicode
    monkeypatch.setattr(pdfwords, "_get_unicode", lambda handle, i: asked.append(real(handle, i)) or asked[-1])
    pdf = pdfium.PdfDocument(str(drawn_layers(tmp_path / "drawn.pdf")))
    try:
        layer = pdfwords.read_layer(pdf[0])
    finally:
        pdf.close()
    assert len(layer.words) > 50 and asked == [0x02, 0x02]
