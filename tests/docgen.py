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
    _print_pages(path, (paragraphs[:6], paragraphs[6:] + ["Letto, approvato e sottoscritto.",
                                                         "Il Fornitore      Il Cliente"]),
                 size=11, width=85, leading=6)
    return Doc(path, "contract", {"parties": [a, b], "agreement_date": date.isoformat()},
               words=["contratto", "recesso", "foro"])


VENDORS_DE = ["Müller Bürobedarf GmbH", "Schneider Haustechnik GmbH & Co. KG", "Becker Druck AG"]
CUSTOMERS_DE = ["Stadtwerke Ulm GmbH", "Praxis Dr. Weber", "Hotel Adler KG"]
ITEMS_DE = ["Kopierpapier A4", "Wartung Heizung", "Druck Flyer", "Toner schwarz", "Beratung"]
VENDORS_EN = ["Northwind Supplies Ltd", "Blue Fern Consulting LLC", "Harbour Print Inc."]
CUSTOMERS_EN = ["Acme Retail Ltd", "Greenfield School", "Riverside Clinic"]
SHOPS_IT = ["Supermercato Sole S.r.l.", "Panificio Aurora S.n.c.", "Farmacia San Marco S.a.s."]
ITEMS_IT_SHOP = ["PANE COMUNE", "LATTE INTERO", "MELE GOLDEN", "CAFFE MACINATO", "ACQUA NATURALE", "PASTA 500G"]
COMPANIES_EN = ["Orion Analytics, Inc.", "Bluewater Logistics LLC", "Keystone Medical Devices, Inc.",
                "Summit Software Corporation"]
STATES = ["New York", "Delaware", "California", "Texas"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]


def valid_german_vat(rng: random.Random) -> str:
    from stdnum.de import vat as de_vat

    while True:
        base = f"{rng.randint(10000000, 99999999)}"
        for digit in "0123456789":
            if de_vat.is_valid("DE" + base + digit):
                return "DE" + base + digit


def valid_german_iban(rng: random.Random) -> str:
    bban = f"{rng.randint(10000000, 99999999)}{rng.randint(0, 10**10 - 1):010d}"
    return "DE" + std_iban.calc_check_digits("DE00" + bban) + bban


def priced_lines(rng: random.Random, items: list[str], *, max_qty: int, cents: tuple[int, int], rate: str
                 ) -> tuple[list[tuple[str, int, Decimal]], Decimal, Decimal, Decimal]:
    """Three invoice lines (item, quantity, unit price) and the net, VAT and total they make."""
    lines = [(rng.choice(items), rng.randint(1, max_qty), Decimal(rng.randint(*cents)) / 100) for _ in range(3)]
    net = sum((q * p for _, q, p in lines), Decimal("0")).quantize(Decimal("0.01"))
    vat = (net * Decimal(rate)).quantize(Decimal("0.01"))
    return lines, net, vat, net + vat


def de_amount(value: Decimal) -> str:
    return it_amount(value)  # German prints amounts as Italian does: 1.234,56


def german_invoice(path: Path, seed: int) -> Doc:
    """A German invoice (Rechnung): seller block with USt-IdNr., Nettobetrag, 19 % MwSt., IBAN."""
    rng = random.Random(seed)
    vendor, customer = rng.choice(VENDORS_DE), rng.choice(CUSTOMERS_DE)
    vat_id, iban = valid_german_vat(rng), valid_german_iban(rng)
    number = f"RE-{rng.randint(2023, 2024)}-{rng.randint(100, 9999)}"
    date = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
    due = date + dt.timedelta(days=14)
    lines, net, vat, total = priced_lines(rng, ITEMS_DE, max_qty=4, cents=(900, 25000), rate="0.19")
    c = canvas.Canvas(str(path), pagesize=A4)
    w, h = A4
    c.setFont("Helvetica-Bold", 14)
    c.drawString(20 * mm, h - 25 * mm, vendor)
    c.setFont("Helvetica", 10)
    c.drawString(20 * mm, h - 31 * mm, f"Hauptstraße {rng.randint(1, 99)}, 10115 Berlin")
    c.drawString(20 * mm, h - 37 * mm, f"USt-IdNr.: {vat_id}")
    c.drawString(20 * mm, h - 52 * mm, "Rechnungsempfänger")
    c.drawString(20 * mm, h - 58 * mm, customer)
    c.setFont("Helvetica-Bold", 16)
    c.drawString(20 * mm, h - 78 * mm, "Rechnung")
    c.setFont("Helvetica", 10)
    c.drawString(120 * mm, h - 78 * mm, f"Rechnungsnummer: {number}")
    c.drawString(120 * mm, h - 84 * mm, f"Rechnungsdatum: {date:%d.%m.%Y}")
    y = h - 100 * mm
    for x, label in ((20, "Pos."), (35, "Bezeichnung"), (120, "Menge"), (140, "Einzelpreis"), (170, "Betrag")):
        c.drawString(x * mm, y, label)
    for i, (desc, qty, price) in enumerate(lines, start=1):
        y -= 7 * mm
        c.drawString(20 * mm, y, str(i))
        c.drawString(35 * mm, y, desc)
        c.drawString(120 * mm, y, str(qty))
        c.drawRightString(160 * mm, y, de_amount(price))
        c.drawRightString(190 * mm, y, de_amount(price * qty))
    y -= 14 * mm
    for label, value in (("Nettobetrag", net), ("zzgl. 19 % MwSt.", vat), ("Gesamtbetrag", total)):
        c.drawString(120 * mm, y, label)
        c.drawRightString(190 * mm, y, f"{de_amount(value)} EUR")
        y -= 7 * mm
    y -= 8 * mm
    c.drawString(20 * mm, y, f"Zahlbar bis {due:%d.%m.%Y} ohne Abzug.")
    c.drawString(20 * mm, y - 6 * mm, f"IBAN: {iban}")
    c.showPage()
    c.save()
    return Doc(path, "invoice", {
        "number": number, "date": date.isoformat(), "due_date": due.isoformat(), "vendor_name": vendor,
        "vendor_vat": vat_id, "customer_name": customer, "net_amount": f"{net:.2f}", "vat_amount": f"{vat:.2f}",
        "total_amount": f"{total:.2f}", "currency": "EUR", "iban": iban,
    }, words=["rechnung", "nettobetrag"])


def english_invoice(path: Path, seed: int) -> Doc:
    """An English invoice: Bill to block, Invoice No./Date, Subtotal, VAT 20 %, Total due in GBP."""
    rng = random.Random(seed)
    vendor, customer = rng.choice(VENDORS_EN), rng.choice(CUSTOMERS_EN)
    number = f"INV-{rng.randint(10000, 99999)}"
    date = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
    due = date + dt.timedelta(days=30)
    lines, net, vat, total = priced_lines(rng, ITEMS_EN, max_qty=9, cents=(200, 9000), rate="0.20")
    c = canvas.Canvas(str(path), pagesize=A4)
    w, h = A4
    c.setFont("Helvetica-Bold", 20)
    c.drawString(20 * mm, h - 25 * mm, "INVOICE")
    c.setFont("Helvetica", 10)
    c.drawString(20 * mm, h - 35 * mm, vendor)
    c.drawString(20 * mm, h - 41 * mm, f"{rng.randint(1, 200)} King Street, Manchester")
    c.drawString(120 * mm, h - 35 * mm, f"Invoice No: {number}")
    c.drawString(120 * mm, h - 41 * mm, f"Invoice Date: {MONTHS_EN[date.month - 1]} {date.day}, {date.year}")
    c.drawString(120 * mm, h - 47 * mm, f"Due Date: {due:%d/%m/%Y}")
    c.drawString(20 * mm, h - 60 * mm, "Bill to:")
    c.drawString(20 * mm, h - 66 * mm, customer)
    y = h - 85 * mm
    for x, label in ((20, "Description"), (120, "Qty"), (140, "Unit price"), (175, "Amount")):
        c.drawString(x * mm, y, label)
    for desc, qty, price in lines:
        y -= 7 * mm
        c.drawString(20 * mm, y, desc)
        c.drawString(120 * mm, y, str(qty))
        c.drawRightString(160 * mm, y, f"{price:,.2f}")
        c.drawRightString(190 * mm, y, f"{price * qty:,.2f}")
    y -= 14 * mm
    for label, value in (("Subtotal", net), ("VAT 20%", vat), ("Total due", total)):
        c.drawString(130 * mm, y, label)
        c.drawRightString(190 * mm, y, f"£{value:,.2f}")
        y -= 7 * mm
    c.showPage()
    c.save()
    return Doc(path, "invoice", {
        "number": number, "date": date.isoformat(), "due_date": due.isoformat(), "vendor_name": vendor,
        "customer_name": customer, "net_amount": f"{net:.2f}", "vat_amount": f"{vat:.2f}",
        "total_amount": f"{total:.2f}", "currency": "GBP",
    }, words=["invoice", "subtotal"])


def italian_receipt(path: Path, seed: int) -> Doc:
    """A "documento commerciale" from an Italian till: shop, P.IVA, items, TOTALE COMPLESSIVO,
    di cui IVA, payment, date and time at the bottom."""
    rng = random.Random(seed)
    shop = rng.choice(SHOPS_IT)
    vat_id = valid_partita_iva(rng)
    when = dt.datetime(2024, 1, 1, 8) + dt.timedelta(days=rng.randint(0, 300), minutes=rng.randint(0, 600))
    items = [(rng.choice(ITEMS_IT_SHOP), Decimal(rng.randint(50, 900)) / 100) for _ in range(rng.randint(3, 6))]
    total = sum((p for _, p in items), Decimal("0"))
    vat = (total - total / Decimal("1.10")).quantize(Decimal("0.01"))
    cash = (total // 5 + 1) * 5
    width, height = 80 * mm, (120 + 7 * len(items)) * mm
    c = canvas.Canvas(str(path), pagesize=(width, height))
    y = height - 12 * mm
    c.setFont("Courier-Bold", 11)
    c.drawCentredString(width / 2, y, shop.upper())
    c.setFont("Courier", 9)
    for line in (f"Via Roma {rng.randint(1, 99)} - {rng.choice(CITIES)}", f"P.IVA {vat_id}", "",
                 "DOCUMENTO COMMERCIALE", "di vendita o prestazione"):
        y -= 5 * mm
        c.drawCentredString(width / 2, y, line)
    y -= 4 * mm
    c.drawString(6 * mm, y, "DESCRIZIONE")
    c.drawRightString(width - 6 * mm, y, "Prezzo(€)")
    for name, price in items:
        y -= 5 * mm
        c.drawString(6 * mm, y, name)
        c.drawRightString(width - 6 * mm, y, it_amount(price))
    y -= 8 * mm
    c.setFont("Courier-Bold", 10)
    c.drawString(6 * mm, y, "TOTALE COMPLESSIVO")
    c.drawRightString(width - 6 * mm, y, it_amount(total))
    c.setFont("Courier", 9)
    for label, value in (("di cui IVA", vat), ("Pagamento contante", cash), ("Resto", cash - total)):
        y -= 5 * mm
        c.drawString(6 * mm, y, label)
        c.drawRightString(width - 6 * mm, y, it_amount(value))
    y -= 10 * mm
    c.drawString(6 * mm, y, f"{when:%d-%m-%Y %H:%M}")
    c.drawRightString(width - 6 * mm, y, f"DOC.N. {rng.randint(1, 999):04d}-{rng.randint(1, 9999):04d}")
    c.showPage()
    c.save()
    return Doc(path, "receipt", {"merchant_name": shop, "date": when.date().isoformat(),
                                 "total_amount": f"{total:.2f}", "vat_amount": f"{vat:.2f}", "vendor_vat": vat_id,
                                 "payment_method": "cash"},
               words=["documento", "commerciale"])


def english_contract(path: Path, seed: int) -> Doc:
    """A US-style services agreement: preamble with both parties and their aliases, effective
    date, term with automatic renewal, governing law, signature blocks."""
    rng = random.Random(seed)
    a, b = rng.sample(COMPANIES_EN, 2)
    state = rng.choice(STATES)
    date = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 1500))
    years = rng.randint(1, 3)
    paragraphs = [
        "MASTER SERVICES AGREEMENT",
        f"This Master Services Agreement (the \"Agreement\") is made and entered into as of "
        f"{MONTHS_EN[date.month - 1]} {date.day}, {date.year} (the \"Effective Date\") by and between {a}, a Delaware "
        f"corporation (\"Provider\"), and {b}, a {state} company (\"Client\").",
        "WHEREAS, Client wishes to obtain certain services from Provider; NOW, THEREFORE, the parties agree as "
        "follows:",
        "1. Services. Provider shall perform the services described in each statement of work.",
        f"2. Term. This Agreement shall continue for {years} year(s) from the Effective Date and shall "
        "automatically renew for successive one (1) year periods unless either party gives notice.",
        "3. Fees. Client shall pay the fees set forth in each statement of work within thirty days.",
        "4. Confidentiality. Each party shall hold the other party's confidential information in confidence.",
        f"5. Governing Law. This Agreement shall be governed by and construed in accordance with the laws of the "
        f"State of {state}, without regard to its conflict of laws principles.",
        "IN WITNESS WHEREOF, the parties have executed this Agreement as of the Effective Date.",
        f"{a.upper()}    By: /s/ Jane Miller    Title: Chief Executive Officer",
        f"{b.upper()}    By: /s/ Robert Chen    Title: President",
    ]
    _print_pages(path, (paragraphs[:5], paragraphs[5:]), size=10.5, width=90, leading=5.5)
    return Doc(path, "contract", {"parties": [a, b], "agreement_date": date.isoformat(),
                                  "effective_date": date.isoformat(), "governing_law": state,
                                  "renewal_term": "successive 1 year"},
               words=["agreement", "whereas"])


def _print_pages(path: Path, pages: tuple[list[str], ...], *, size: float, width: int, leading: float) -> None:
    """Paragraphs set as running text, one list per page; upper-case paragraphs (titles) in bold."""
    c = canvas.Canvas(str(path), pagesize=A4)
    _, h = A4
    for page in pages:
        y = h - 30 * mm
        for text in page:
            c.setFont("Helvetica-Bold" if text.isupper() else "Helvetica", size)
            for line in _wrap(text, width):
                c.drawString(20 * mm, y, line)
                y -= leading * mm
            y -= 4 * mm
        c.showPage()
    c.save()


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
