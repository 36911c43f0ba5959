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


def invoice_pages(path: Path, seed: int, pages: int = 1) -> tuple[Path, str]:
    """An Italian invoice of ``pages`` pages, each with the seller's letterhead, the number and
    "Pagina k di N" at the foot, as invoicing programs print them. Returns the PDF and the number."""
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
        c.setFont("Helvetica", 10)
        c.drawString(90 * mm, 15 * mm, f"Pagina {k} di {pages}")
        c.showPage()
    c.save()
    return path, number


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
