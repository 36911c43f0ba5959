"""The invisible text layer: the words Archivio read, drawn in render mode 3 (no ink) over the
page image, so that the copy can be searched, selected and copied from.

The font is the one Tesseract's own PDF renderer uses (GlyphLessFont, ``pdf.ttf`` in its
tessdata): one blank glyph for every character, so no glyph of another font stands in for a
letter it does not have. Text is written as UTF-16 code units through Identity-H; every code maps
to the blank glyph and ToUnicode maps it back to the character. Each word is stretched (``Tz``)
to the width of its box and its size is the box's height, so the text sits where the word is
printed.
"""

from __future__ import annotations

import zlib
from functools import lru_cache
from pathlib import Path

import pikepdf

from ..records import Page

FONT_NAME = "GlyphLessFont"
_GLYPH_WIDTH = 500  # per 1000 em: the font's one glyph (its hmtx says so; the /W below must agree)
_FONT_PLACES = [Path("/usr/share/tesseract-ocr/5/tessdata/pdf.ttf"), Path("/usr/share/tesseract-ocr/4.00/tessdata/pdf.ttf"),
                Path("/usr/share/tessdata/pdf.ttf"), Path("/usr/local/share/tessdata/pdf.ttf")]


class FontMissing(RuntimeError):
    pass


@lru_cache(maxsize=1)
def font_program() -> bytes:
    import os

    places = list(_FONT_PLACES)
    if os.environ.get("TESSDATA_PREFIX"):
        places.insert(0, Path(os.environ["TESSDATA_PREFIX"]) / "pdf.ttf")
    for place in places:
        if place.is_file():
            return place.read_bytes()
    raise FontMissing("Tesseract's pdf.ttf (GlyphLessFont) was not found; install tesseract-ocr")


_TO_UNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 beginbfrange
<0000> <FFFF> <0000>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


def add_font(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    """The Type0 font dictionary, added once to ``pdf`` (pages share it)."""
    program = font_program()
    font_file = pikepdf.Stream(pdf, zlib.compress(program))
    font_file.Filter = pikepdf.Name.FlateDecode
    font_file.Length1 = len(program)
    # Every CID (a UTF-16 code unit) shows glyph 1, the font's blank glyph.
    cid_to_gid = pikepdf.Stream(pdf, zlib.compress(b"\x00\x01" * 65536))
    cid_to_gid.Filter = pikepdf.Name.FlateDecode
    descriptor = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/" + FONT_NAME), Flags=5,
        FontBBox=[0, 0, _GLYPH_WIDTH, 1000], ItalicAngle=0, Ascent=1000, Descent=0, CapHeight=1000,
        StemV=80, FontFile2=pdf.make_indirect(font_file)))
    cid_font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2, BaseFont=pikepdf.Name("/" + FONT_NAME),
        CIDSystemInfo=pikepdf.Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"),
                                         Supplement=0),
        FontDescriptor=descriptor, DW=_GLYPH_WIDTH, CIDToGIDMap=pdf.make_indirect(cid_to_gid)))
    to_unicode = pikepdf.Stream(pdf, _TO_UNICODE)
    return pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=pikepdf.Name("/" + FONT_NAME),
        Encoding=pikepdf.Name("/Identity-H"), DescendantFonts=[cid_font],
        ToUnicode=pdf.make_indirect(to_unicode)))


def _matrix(turn: int, width: float, height: float, x0: float, y0: float) -> str:
    """From upright page space (what the reader sees) to the page's own space, for a page shown
    turned ``turn`` degrees clockwise (its /Rotate); ``width`` x ``height`` is the unturned box."""
    return {0: f"1 0 0 1 {x0:.3f} {y0:.3f}",
            90: f"0 1 -1 0 {x0 + width:.3f} {y0:.3f}",
            180: f"-1 0 0 -1 {x0 + width:.3f} {y0 + height:.3f}",
            270: f"0 -1 1 0 {x0:.3f} {y0 + height:.3f}"}[turn % 360]


def text_content(page: Page, *, box: tuple[float, float, float, float], turn: int) -> bytes:
    """The content stream drawing ``page``'s words invisibly on a PDF page whose (unturned) box
    is ``box`` (x0, y0, x1, y1 in points) and which is shown turned ``turn`` degrees.

    The words' boxes are in the pixels of the upright image OCR read, ``page.width`` x
    ``page.height``; they are placed as fractions of the upright page, so the scale (dpi,
    enlargement before reading) does not matter.
    """
    x0, y0, x1, y1 = box
    width, height = x1 - x0, y1 - y0
    upright_w, upright_h = (height, width) if turn % 180 else (width, height)
    if not page.words or not page.width or not page.height:
        return b""
    sx, sy = upright_w / page.width, upright_h / page.height
    out = [f"q {_matrix(turn, width, height, x0, y0)} cm BT 3 Tr".encode()]
    for word in page.words:
        text = word.text.strip()
        if not text:
            continue
        encoded = text.encode("utf-16-be")
        units = len(encoded) // 2
        size = max((word.y1 - word.y0) * sy, 1.0)
        natural = units * _GLYPH_WIDTH / 1000 * size
        stretch = max((word.x1 - word.x0) * sx / natural * 100, 1.0)
        left, baseline = word.x0 * sx, upright_h - word.y1 * sy
        out.append(f"/{FONT_NAME} {size:.2f} Tf {stretch:.2f} Tz 1 0 0 1 {left:.2f} {baseline:.2f} Tm <{encoded.hex()}> Tj"
                   .encode())
    out.append(b"ET Q")
    return b"\n".join(out)


def add_text_layer(pdf: pikepdf.Pdf, pdf_page: pikepdf.Page, page: Page, font: pikepdf.Dictionary, *,
                   turn: int) -> None:
    """Append ``page``'s invisible words to ``pdf_page`` and show the page turned ``turn``
    degrees (the turn OCR found, added to the page's own)."""
    box = [float(v) for v in pdf_page.cropbox]
    content = text_content(page, box=(box[0], box[1], box[2], box[3]), turn=turn)
    if turn % 360:
        pdf_page.obj.Rotate = turn % 360
    if not content:
        return
    resources = pdf_page.obj.get("/Resources")
    if resources is None:
        pdf_page.obj.Resources = resources = pikepdf.Dictionary()
    fonts = resources.get("/Font")
    if fonts is None:
        resources.Font = fonts = pikepdf.Dictionary()
    fonts[pikepdf.Name("/" + FONT_NAME)] = font
    # The page's own drawing is wrapped in q/Q so nothing it leaves set (a matrix) moves the words.
    pdf_page.contents_coalesce()
    pdf_page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
    pdf_page.contents_add(pikepdf.Stream(pdf, b"\nQ\n" + content))
