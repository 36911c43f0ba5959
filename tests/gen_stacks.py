"""Stacks of paper the tests make for themselves: several generated documents scanned as one
image-only PDF, with or without separator sheets (Code 128, QR, PATCH T) and blank backs.

Every stack comes with its truth (which pages each document has, which pages are separators or
backs), so tests and the benchmark score the split against what was printed.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from pathlib import Path

import zxingcpp
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from docgen import CUSTOMERS_IT, VENDORS_IT, degrade, it_amount, render, valid_partita_iva
from pipeline.records import Page, Word

A4_MM = (210, 297)


@dataclass
class Stack:
    path: Path
    documents: list[tuple[int, ...]]  # the pages of each document, in stack numbering (1-based)
    separators: list[int] = field(default_factory=list)
    backs: list[int] = field(default_factory=list)  # blank backs of duplex sheets
    numbers: list[str] = field(default_factory=list)  # each document's number, as printed

    @property
    def starts(self) -> set[int]:
        """The first page of every document but the first: the boundaries a split must find."""
        return {pages[0] for pages in self.documents[1:]}


def invoice_pages(path: Path, seed: int, pages: int = 1, *, footer: bool = True) -> tuple[Path, str]:
    """An Italian invoice of ``pages`` pages, each with the seller's letterhead, the number and
    (``footer``) "Pagina k di N" at the foot, as invoicing programs print them. Returns the PDF
    and the number."""
    rng = random.Random(seed)
    vendor, customer = rng.choice(VENDORS_IT), rng.choice(CUSTOMERS_IT)
    vat = valid_partita_iva(rng)
    number = f"{rng.randint(10, 999)}/{rng.choice(['A', 'B', 'FE'])}"
    c = canvas.Canvas(str(path), pagesize=A4)
    w, h = A4
    total = 0
    for k in range(1, pages + 1):
        c.setFont("Helvetica-Bold", 16)
        c.drawString(20 * mm, h - 25 * mm, vendor)
        c.setFont("Helvetica", 11)
        c.drawString(20 * mm, h - 32 * mm, f"P.IVA {vat}")
        c.setFont("Helvetica-Bold", 14)
        c.drawString(20 * mm, h - 48 * mm, f"FATTURA n. {number}")
        c.setFont("Helvetica", 11)
        c.drawString(120 * mm, h - 48 * mm, f"Spett.le {customer}")
        y = h - 70 * mm
        for _ in range(4):
            amount = rng.randint(1000, 90000) / 100
            total += amount
            c.drawString(20 * mm, y, f"Servizio {rng.randint(1, 99)}")
            c.drawRightString(185 * mm, y, f"€ {it_amount(amount)}")
            y -= 8 * mm
        if k == pages:
            c.setFont("Helvetica-Bold", 12)
            c.drawString(110 * mm, y - 10 * mm, "Totale documento")
            c.drawRightString(185 * mm, y - 10 * mm, f"€ {it_amount(total)}")
        if footer:
            c.setFont("Helvetica", 10)
            c.drawString(90 * mm, 15 * mm, f"Pagina {k} di {pages}")
        c.showPage()
    c.save()
    return path, number


def einvoice_printout(path: Path, seed: int, *, vendor: str | None = None, vat: str | None = None) -> tuple[Path, str]:
    """A FatturaPA e-invoice printed with the SdI style sheet, as offices print what the
    exchange system delivered: every print-out opens with the same title "FATTURA ELETTRONICA",
    the seller's data fill page 1, and the document number, lines, totals and payment come on
    page 2 (nothing in page 1's header tells one print-out from the next). Returns the PDF and
    the number."""
    rng = random.Random(seed)
    vendor = vendor or rng.choice(VENDORS_IT)
    vat = vat or valid_partita_iva(rng)
    customer = rng.choice(CUSTOMERS_IT)
    number = f"{rng.choice(['FPR', 'INV', 'FE'])}/{rng.randint(2019, 2025)}/{rng.randint(1, 9999):04d}"
    when = f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    city = rng.choice(["Milano", "Torino", "Bologna", "Firenze", "Napoli"])
    first = ["Versione FPR12", "Dati relativi alla trasmissione",
             f"Identificativo del trasmittente: IT{rng.choice(['06363391001', '10538570960'])}", f"Progressivo di invio: {rng.randint(1, 99999):05d}",
             "Formato Trasmissione: FPR12", f"Codice identificativo destinatario: {rng.randint(0, 9999999):07d}",
             *(["Destinatario PEC: amministrazione@pec.example.it"] if rng.random() < 0.5 else []),
             "Dati del cedente / prestatore", "Dati anagrafici", f"Identificativo fiscale ai fini IVA: IT{vat}",
             f"Denominazione: {vendor}", "Regime fiscale: RF01 (ordinario)", "Dati della sede",
             f"Indirizzo: Via {rng.choice(['Roma', 'Garibaldi', 'Mazzini'])}, {rng.randint(1, 120)}",
             f"CAP: {rng.randint(10, 98)}100", f"Comune: {city}", "Nazione: IT",
             "Dati del cessionario / committente", "Dati anagrafici", f"Denominazione: {customer}",
             "Dati della sede", f"Indirizzo: Piazza {rng.choice(['Duomo', 'Dante', 'Verdi'])}, {rng.randint(1, 40)}"]
    lines, total = [], 0
    for k in range(1, rng.randint(2, 4)):
        amount = rng.randint(1000, 90000) / 100
        total += amount
        lines += [f"Nr. linea: {k}", f"Descrizione bene/servizio: Servizio {rng.randint(1, 99)}",
                  f"Valore totale: {amount:.2f}", "IVA (%): 22.00"]
    second = ["Dati generali del documento", "Tipologia documento: TD01 (fattura)", "Valuta importi: EUR",
              f"Data documento: {when}", f"Numero documento: {number}",
              f"Importo totale documento: {total * 1.22:.2f}", "Dati relativi alle linee di dettaglio della fornitura",
              *lines, "Dati di riepilogo per aliquota IVA e natura", "Aliquota IVA (%): 22.00",
              f"Totale imponibile/importo: {total:.2f}", f"Totale imposta: {total * 0.22:.2f}",
              "Dati relativi al pagamento", "Condizioni di pagamento: TP02 (pagamento completo)",
              "Modalità: MP05 (bonifico)", f"Importo: {total * 1.22:.2f}",
              "Versione prodotta con foglio di stile SdI www.fatturapa.gov.it"]
    c = canvas.Canvas(str(path), pagesize=A4)
    w, h = A4
    for k, body in enumerate((first, second)):
        y = h - 22 * mm
        if k == 0:
            c.setFont("Helvetica-Bold", 15)
            c.drawCentredString(w / 2, y, "FATTURA ELETTRONICA")
            y -= 12 * mm
        for line in body:
            c.setFont("Helvetica-Bold" if line.startswith("Dati") else "Helvetica", 10)
            c.drawString(20 * mm, y, line)
            y -= 7.5 * mm
        c.showPage()
    c.save()
    return path, number


def on_paper(page: Page, width: float, height: float, *, left: float = 0.3, top: float = 0.05) -> Page:
    """``page`` (a narrow receipt) as a flatbed scanner with a fixed paper size gives it: the
    same words on a ``width`` x ``height`` page, the receipt lying at (``left``, ``top``)."""
    dx, dy = left * width, top * height
    words = [Word(w.text, w.x0 + dx, w.y0 + dy, w.x1 + dx, w.y1 + dy, w.conf, w.line) for w in page.words]
    return Page(number=page.number, width=width, height=height, words=words, method=page.method)


def separator_sheet(kind: str, dpi: int, value: str = "ARCHIVIO-SEP") -> Image.Image:
    """A separator page: a Code 128 or QR code with ``value``, or PATCH T bars."""
    width, height = (round(s / 25.4 * dpi) for s in A4_MM)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    px = dpi / 25.4
    if kind == "patch_t":
        # Narrow, wide, narrow, wide bars (2.03 and 5.08 mm) with 2.03 mm gaps, 60 mm long.
        x = round(80 * px)
        for bar in ("N", "W", "N", "W"):
            size = (5.08 if bar == "W" else 2.03) * px
            draw.rectangle([x, round(40 * px), round(x + size) - 1, round(100 * px)], fill=0)
            x = round(x + size + 2.03 * px)
    else:
        fmt = zxingcpp.BarcodeFormat.QRCode if kind == "qr" else zxingcpp.BarcodeFormat.Code128
        code = zxingcpp.create_barcode(value, fmt)
        scale = max(2, round(0.5 * px)) if kind != "qr" else max(3, round(1.2 * px))
        image = code.to_image(scale=scale)
        view = memoryview(image)
        symbol = Image.frombytes("L", (view.shape[1], view.shape[0]), view.tobytes())
        if kind != "qr":
            symbol = symbol.resize((symbol.width, round(20 * px)))
        page.paste(symbol, (round(40 * px), round(40 * px)))
    draw.text((round(40 * px), round(150 * px)), "SEPARATORE / SEPARATOR", fill=0)
    return page


def blank_page(dpi: int) -> Image.Image:
    width, height = (round(s / 25.4 * dpi) for s in A4_MM)
    return Image.new("L", (width, height), 255)


def build_stack(dest: Path, documents: list[Path], *, seed: int, dpi: int = 150, separator: str | None = None,
                duplex_backs: bool = False, blank_between: bool = False, numbers: list[str] | None = None,
                scans: list[list[Image.Image]] | None = None) -> Stack:
    """Scan ``documents`` (PDFs) into one image-only PDF at ``dpi``: a separator sheet of
    ``separator`` kind ("code128", "qr", "patch_t") between documents, a blank back after every
    page (``duplex_backs``: the stack as a duplex scanner gives single-sided paper), or a blank
    page between documents (``blank_between``). ``scans`` gives ready page images instead."""
    images: list[Image.Image] = []
    stack = Stack(dest, [], numbers=list(numbers or []))
    rng = random.Random(seed)

    def add(image: Image.Image, *, clean: bool = False) -> int:
        images.append(image if clean else degrade(image, rng.randint(0, 10 ** 6), angle=rng.uniform(-0.6, 0.6)))
        if duplex_backs:
            images.append(degrade(blank_page(dpi), rng.randint(0, 10 ** 6), angle=0))
            stack.backs.append(len(images))
        return len(images) - (1 if duplex_backs else 0)

    for i, doc in enumerate(documents):
        if i and separator:
            stack.separators.append(add(separator_sheet(separator, dpi)))
        elif i and blank_between:
            add(blank_page(dpi))
        rendered = scans[i] if scans else render(doc, dpi)
        stack.documents.append(tuple(add(page, clean=scans is not None) for page in rendered))
    write_pdf(images, dest, dpi)
    return stack


def write_pdf(images: list[Image.Image], dest: Path, dpi: int) -> None:
    """An image-only PDF of ``images`` as a scanner writes it: grey JPEG pages."""
    jpegs = []
    for image in images:
        buffer = io.BytesIO()
        image.convert("L").save(buffer, "JPEG", quality=75)
        jpegs.append(Image.open(io.BytesIO(buffer.getvalue())))
    jpegs[0].save(dest, "PDF", resolution=dpi, save_all=True, append_images=jpegs[1:])
