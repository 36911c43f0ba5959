"""PDF pages whose text layers take every path of the PDFium word reader (pipeline/text/pdfwords.py):
rotated and vertical text, ligatures, several fonts and sizes, text inside a form XObject, an
empty page, a line-end hyphen, glyphs without Unicode, a control character and a character
beyond the BMP (the last two make PDFium's page text shorter than its characters)."""

from __future__ import annotations

from pathlib import Path

import pikepdf
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def drawn_layers(path: Path) -> Path:
    """Pages drawn with reportlab: what an office's software writes."""
    c = canvas.Canvas(str(path), pagesize=A4)
    for font, size, x, y, text in (("Helvetica", 11, 72, 780, "Fattura n. 2024/117 del 12/03/2024"),
                                   ("Times-Bold", 14, 72, 760, "Totale documento"),
                                   ("Courier", 9, 300, 760, "1.234,56 EUR"),
                                   ("Helvetica-Oblique", 7, 72, 745, "twenty-"),  # hyphens ending lines
                                   ("Helvetica-Oblique", 7, 72, 737, "five days, pay-"),
                                   ("Helvetica-Oblique", 7, 72, 729, "ment due")):
        c.setFont(font, size)
        c.drawString(x, y, text)
    if DEJAVU.exists():
        pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU)))
        c.setFont("DejaVu", 12)
        c.drawString(72, 700, "ﬁnanziamento ﬂusso affine città perché €")
    # A note up the margin, a stamp at an angle, a line upside down.
    for x, y, angle, font, size, text in ((40, 400, 90, "Helvetica", 8, "Copia conforme all'originale"),
                                          (350, 500, 30, "Helvetica-Bold", 16, "PAGATO 15/04/2024"),
                                          (500, 300, 180, "Helvetica-Bold", 16, "upside down")):
        c.saveState()
        c.translate(x, y)
        c.rotate(angle)
        c.setFont(font, size)
        c.drawString(0, 0, text)
        c.restoreState()
    c.beginForm("letterhead")  # the same drawing placed twice, at two scales
    c.setFont("Helvetica", 10)
    c.drawString(0, 0, "Rossi S.r.l. - P.IVA 01234567890")
    c.endForm()
    c.saveState()
    c.translate(72, 650)
    c.doForm("letterhead")
    c.restoreState()
    c.saveState()
    c.translate(72, 620)
    c.scale(1.5, 1.5)
    c.doForm("letterhead")
    c.restoreState()
    text = c.beginText(72, 590)
    text.setFont("Helvetica", 10)
    text.setCharSpace(2)
    text.textLine("spaced out letters")
    text.setHorizScale(70)
    text.setCharSpace(0)
    text.textLine("narrow text, and  two  spaces")
    c.drawText(text)
    c.showPage()  # an empty page
    c.showPage()
    c.setPageSize((300, 200))
    c.setFont("Times-Roman", 11)
    c.drawString(20, 150, "Second size of page")
    c.save()
    return path


def raw_layers(path: Path) -> Path:
    """Pages written by hand: fonts whose glyphs have no Unicode, a control character and a
    character beyond the BMP through a ToUnicode map, the cases PDFium's page text does not
    hold one to one."""
    pdf = pikepdf.new()
    helvetica = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                     BaseFont=pikepdf.Name.Helvetica))
    # Glyph names no Unicode table knows: PDFium keeps the codes, flagged as mapping errors.
    unnamed = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica,
        Encoding=pikepdf.Dictionary(Type=pikepdf.Name.Encoding, BaseEncoding=pikepdf.Name.WinAnsiEncoding,
                                    Differences=pikepdf.Array([65, pikepdf.Name("/g17"), pikepdf.Name("/g18")]))))
    cmap = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Custom def /CMapType 2 def
1 begincodespacerange <00> <FF> endcodespacerange
3 beginbfchar
<41> <D835DC00>
<42> <0042>
<43> <0003>
endbfchar
endcmap CMapName currentdict /CMap defineresource pop end end"""
    mapped = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                  BaseFont=pikepdf.Name.Helvetica,
                                                  ToUnicode=pdf.make_stream(cmap)))
    pages = [
        # glyphs without Unicode between plain words (the text keeps them as U+FFFE)
        b"BT /F1 12 Tf 72 700 Td (Totale AB euro) Tj ET BT /F2 12 Tf 72 680 Td (AAB CD AB) Tj ET",
        # a mathematical capital beyond the BMP (PDFium holds it as two UTF-16 halves)
        b"BT /F1 12 Tf 72 700 Td (Importo 99,00) Tj ET BT /F3 12 Tf 72 680 Td (ABBA BA) Tj ET",
        # U+0003, which the page text leaves out
        b"BT /F1 12 Tf 72 700 Td (Importo 99,00) Tj ET BT /F3 12 Tf 72 680 Td (BCB CB) Tj ET",
        b"",  # nothing drawn
    ]
    for content in pages:
        page = pdf.add_blank_page(page_size=(595, 842))
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=helvetica, F2=unnamed, F3=mapped))
        page.Contents = pdf.make_stream(content)
    pdf.save(path)
    return path
