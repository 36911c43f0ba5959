"""Documents the tests make for themselves: born-digital PDFs with reportlab, and scans of them
degraded with Pillow (slight rotation, blur, grey paper, noise, JPEG artefacts).

Every generator takes a seed and returns what it printed (``Doc.fields``), so tests assert
against the values actually on the page, not against constants tuned to one file.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageFilter, ImageOps
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from stdnum import iban as std_iban
from stdnum import luhn

from pipeline.extract.validate import italian_cin

VENDORS_IT = ["Cartoleria Rossi S.r.l.", "Idraulica Bianchi S.n.c.", "Tipografia Verdi S.p.A.",
              "Studio Gallo & Associati", "Ferramenta Esposito S.r.l.", "Caffè Romano S.r.l."]
CUSTOMERS_IT = ["Comune di Bergamo", "Farmacia Centrale S.a.s.", "Hotel Miramare S.r.l.", "Rossi Mario"]
CITIES = ["Milano", "Torino", "Bologna", "Firenze", "Napoli", "Città di Castello"]
ITEMS_IT = ["Risma carta A4", "Toner nero", "Manutenzione impianto", "Consulenza fiscale", "Stampa brochure",
            "Cancelleria varia", "Intervento tecnico"]
SHOPS_EN = ["Corner Grocer Ltd", "Green Leaf Cafe", "City Hardware Store", "Blue Harbour Books"]
ITEMS_EN = ["Milk 1L", "Bread loaf", "Coffee beans", "Batteries AA", "Notebook", "Apples 1kg", "Tea box"]


@dataclass
class Doc:
    path: Path
    doc_class: str
    fields: dict[str, object] = field(default_factory=dict)
    words: list[str] = field(default_factory=list)  # distinctive words printed on it


def valid_partita_iva(rng: random.Random) -> str:
    # 7-digit company number, 3-digit provincial office (001-100), Luhn check digit.
    base = f"{rng.randint(1, 9999999):07d}{rng.randint(1, 100):03d}"
    return base + luhn.calc_check_digit(base)


def valid_italian_iban(rng: random.Random) -> str:
    abi = f"{rng.randint(1000, 9999):05d}"
    cab = f"{rng.randint(10000, 99999):05d}"
    account = f"{rng.randint(0, 10**12 - 1):012d}"
    bban = italian_cin(abi + cab + account) + abi + cab + account
    return "IT" + std_iban.calc_check_digits("IT00" + bban) + bban


def it_amount(value: Decimal) -> str:
    """1234.5 -> '1.234,50' as Italian documents print it."""
    whole, cents = f"{value:.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return ".".join(groups) + "," + cents


def italian_invoice(path: Path, seed: int, *, vat_valid: bool = True) -> Doc:
    """An Italian invoice; ``vat_valid=False`` prints a Partita IVA with a wrong check digit."""
    rng = random.Random(seed)
    vendor = rng.choice(VENDORS_IT)
    vat = valid_partita_iva(rng)
    if not vat_valid:
        vat = vat[:-1] + str((int(vat[-1]) + 1) % 10)
    iban = valid_italian_iban(rng)
    number = f"{rng.randint(1, 999)}/{rng.choice(['A', 'FE', '2024'])}"
    date = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 330))
    due = date + dt.timedelta(days=30)
    lines = [(rng.choice(ITEMS_IT), rng.randint(1, 5), Decimal(rng.randint(500, 40000)) / 100) for _ in range(rng.randint(2, 4))]
    net = sum((q * p for _, q, p in lines), Decimal("0")).quantize(Decimal("0.01"))
    vat_amount = (net * Decimal("0.22")).quantize(Decimal("0.01"))
    total = net + vat_amount
    city = rng.choice(CITIES)

    c = canvas.Canvas(str(path), pagesize=A4)
    w, h = A4
    c.setFont("Helvetica-Bold", 15)
    c.drawString(20 * mm, h - 25 * mm, vendor)
    c.setFont("Helvetica", 10)
    c.drawString(20 * mm, h - 31 * mm, f"Via Garibaldi {rng.randint(1, 99)}, {city}")
    c.drawString(20 * mm, h - 37 * mm, f"P.IVA {vat}")
    c.setFont("Helvetica-Bold", 18)
    c.drawString(20 * mm, h - 55 * mm, "FATTURA")
    c.setFont("Helvetica", 11)
    c.drawString(20 * mm, h - 65 * mm, f"Fattura n. {number}")
    c.drawString(20 * mm, h - 72 * mm, f"Data: {date:%d/%m/%Y}")
    c.drawString(110 * mm, h - 65 * mm, "Spett.le")
    c.drawString(110 * mm, h - 72 * mm, rng.choice(CUSTOMERS_IT))
    y = h - 95 * mm
    c.setFont("Helvetica-Bold", 10)
    for x, label in ((20, "Descrizione"), (110, "Q.tà"), (130, "Prezzo"), (160, "Importo")):
        c.drawString(x * mm, y, label)
    c.setFont("Helvetica", 10)
    for desc, qty, price in lines:
        y -= 7 * mm
        c.drawString(20 * mm, y, desc)
        c.drawString(110 * mm, y, str(qty))
        c.drawString(130 * mm, y, it_amount(price))
        c.drawString(160 * mm, y, it_amount(price * qty))
    y -= 15 * mm
    for label, value in (("Imponibile", net), ("IVA 22%", vat_amount), ("Totale documento", total)):
        c.setFont("Helvetica-Bold" if label.startswith("Totale") else "Helvetica", 11)
        c.drawString(110 * mm, y, label)
        c.drawRightString(185 * mm, y, f"€ {it_amount(value)}")
        y -= 7 * mm
    y -= 8 * mm
    c.setFont("Helvetica", 10)
    c.drawString(20 * mm, y, f"Pagamento: bonifico bancario entro il {due:%d/%m/%Y}")
    c.drawString(20 * mm, y - 6 * mm, f"IBAN: {iban}")
    c.showPage()
    c.save()
    return Doc(path, "invoice", {
        "number": number, "date": date.isoformat(), "total_amount": f"{total:.2f}", "vendor_vat": vat,
        "net_amount": f"{net:.2f}", "vat_amount": f"{vat_amount:.2f}", "iban": iban, "vendor_name": vendor,
    }, words=["fattura", "imponibile", vendor.split()[0].lower()])


def english_receipt(path: Path, seed: int) -> Doc:
    """A till receipt: narrow page, monospaced lines, total at the bottom."""
    rng = random.Random(seed)
    shop = rng.choice(SHOPS_EN)
    when = dt.datetime(2024, 1, 1, 8) + dt.timedelta(days=rng.randint(0, 300), minutes=rng.randint(0, 600))
    items = [(rng.choice(ITEMS_EN), Decimal(rng.randint(80, 1500)) / 100) for _ in range(rng.randint(3, 6))]
    total = sum((p for _, p in items), Decimal("0"))
    cash = (total // 10 + 1) * 10
    width, height = 80 * mm, (110 + 8 * len(items)) * mm
    c = canvas.Canvas(str(path), pagesize=(width, height))
    c.setFont("Courier-Bold", 11)
    y = height - 12 * mm
    c.drawCentredString(width / 2, y, shop.upper())
    c.setFont("Courier", 9)
    for line in (f"{rng.randint(1, 200)} High Street, Leeds", f"Tel 0113 {rng.randint(100000, 999999)}",
                 "SALES RECEIPT", f"Date: {when:%d/%m/%Y}  {when:%H:%M}", f"Cashier: {rng.choice(['Amy', 'Bob', 'Raj'])}"):
        y -= 6 * mm
        c.drawCentredString(width / 2, y, line)
    y -= 4 * mm
    for name, price in items:
        y -= 6 * mm
        c.drawString(6 * mm, y, name)
        c.drawRightString(width - 6 * mm, y, f"{price:.2f}")
    y -= 9 * mm
    c.setFont("Courier-Bold", 11)
    c.drawString(6 * mm, y, "TOTAL")
    c.drawRightString(width - 6 * mm, y, f"{total:.2f}")
    c.setFont("Courier", 9)
    y -= 6 * mm
    c.drawString(6 * mm, y, "CASH")
    c.drawRightString(width - 6 * mm, y, f"{cash:.2f}")
    y -= 6 * mm
    c.drawString(6 * mm, y, "CHANGE")
    c.drawRightString(width - 6 * mm, y, f"{cash - total:.2f}")
    y -= 10 * mm
    c.drawCentredString(width / 2, y, "THANK YOU - PLEASE COME AGAIN")
    c.showPage()
    c.save()
    return Doc(path, "receipt", {"date": when.date().isoformat(), "total_amount": f"{total:.2f}", "merchant_name": shop},
               words=["receipt", "cashier", shop.split()[0].lower()])


def contract(path: Path, seed: int) -> Doc:
    """A two-page Italian service contract with the usual clauses."""
    rng = random.Random(seed)
    a, b = rng.sample(VENDORS_IT, 2)
    date = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 600))
    months = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
              "ottobre", "novembre", "dicembre"]
    city = rng.choice(CITIES)
    paragraphs = [
        "CONTRATTO DI FORNITURA DI SERVIZI",
        f"Il presente contratto è stipulato in data {date.day} {months[date.month - 1]} {date.year} tra le parti:",
        f"{a}, con sede in {city}, di seguito denominata il Fornitore, e",
        f"{b}, con sede in Milano, di seguito denominata il Cliente.",
        "Premesso che il Cliente intende affidare al Fornitore la manutenzione dei propri impianti, le parti "
        "convengono quanto segue.",
        "Art. 1 - Oggetto. Il Fornitore si impegna a prestare i servizi descritti nell'allegato A.",
        f"Art. 2 - Durata. Il contratto ha durata di {rng.randint(1, 3)} anni e si rinnova tacitamente.",
        "Art. 3 - Corrispettivo. Il Cliente corrisponde un canone mensile come da offerta.",
        "Art. 4 - Recesso. Ciascuna parte può recedere con preavviso scritto di novanta giorni.",
        f"Art. 5 - Foro competente. Per ogni controversia è competente il foro di {city}.",
    ]
    c = canvas.Canvas(str(path), pagesize=A4)
    w, h = A4
    for page in (paragraphs[:6], paragraphs[6:] + ["Letto, approvato e sottoscritto.", "Il Fornitore      Il Cliente"]):
        y = h - 30 * mm
        for text in page:
            c.setFont("Helvetica-Bold" if text.isupper() else "Helvetica", 11)
            for line in _wrap(text, 85):
                c.drawString(20 * mm, y, line)
                y -= 6 * mm
            y -= 4 * mm
        c.showPage()
    c.save()
    return Doc(path, "contract", {"parties": [a, b], "agreement_date": date.isoformat()},
               words=["contratto", "recesso", "foro"])


def _wrap(text: str, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if len(current) + len(word) + 1 > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return lines + [current] if current else lines


# -- scanning -----------------------------------------------------------------------------------
def render(pdf: Path, dpi: int = 200) -> list[Image.Image]:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(doc))]
    finally:
        doc.close()


def degrade(image: Image.Image, seed: int, *, angle: float | None = None) -> Image.Image:
    """Make a clean rendering look scanned: grey paper, a small tilt, blur, sensor noise."""
    rng = random.Random(seed)
    angle = rng.uniform(-1.5, 1.5) if angle is None else angle
    image = image.convert("L")
    image = image.point(lambda v: int(v * 0.88 + 18))  # grey paper, less than black ink
    image = image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=235)
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 0.8)))
    # Seeded noise: Pillow's effect_noise draws from C's rand(), which would make every run's
    # scan (and so its OCR) a little different.
    noise = Image.frombytes("L", image.size, rng.randbytes(image.size[0] * image.size[1]))
    return Image.blend(image, noise, rng.uniform(0.05, 0.09))


def scan_pdf(pdf: Path, dest: Path, seed: int, *, dpi: int = 200, upside_down: bool = False) -> Path:
    """An image-only PDF of ``pdf``: no text layer, like a scanner's output."""
    pages = [degrade(p, seed + i) for i, p in enumerate(render(pdf, dpi))]
    if upside_down:
        pages = [p.rotate(180) for p in pages]
    jpeg_pages = []
    for page in pages:
        buf = io.BytesIO()
        page.save(buf, "JPEG", quality=70)
        jpeg_pages.append(Image.open(io.BytesIO(buf.getvalue())))
    jpeg_pages[0].save(dest, "PDF", resolution=dpi, save_all=True, append_images=jpeg_pages[1:])
    return dest


def scan_image(pdf: Path, dest: Path, seed: int, *, dpi: int = 200, exif_rotate: bool = False) -> Path:
    """A JPEG/PNG/TIFF scan of ``pdf`` (format from the suffix; a TIFF keeps every page)."""
    pages = [degrade(p, seed + i) for i, p in enumerate(render(pdf, dpi))]
    suffix = dest.suffix.lower()
    if suffix in (".tif", ".tiff"):
        pages[0].save(dest, "TIFF", compression="tiff_lzw", save_all=True, append_images=pages[1:], dpi=(dpi, dpi))
    elif suffix in (".jpg", ".jpeg"):
        page = pages[0]
        if exif_rotate:
            # Stored sideways with an EXIF tag saying how to turn it, as phones do.
            page = page.rotate(90, expand=True)
            exif = Image.Exif()
            exif[0x0112] = 6  # "rotate 90 CW to display"
            page.save(dest, "JPEG", quality=80, dpi=(dpi, dpi), exif=exif)
        else:
            page.save(dest, "JPEG", quality=80, dpi=(dpi, dpi))
    else:
        pages[0].save(dest, "PNG", dpi=(dpi, dpi))
    return dest


def upright(image: Image.Image) -> Image.Image:
    return ImageOps.exif_transpose(image)
