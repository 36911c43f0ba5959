"""Sales paid at the counter that title themselves as invoices, the invoices paid in cash that
they must not be confused with, and slips of which only a few words survive the reading.

Three sides, each drawn per seed from pools (names and numbers are invented):

- ``counter``: receipts. Where the law calls a shop's sale document a (simplified) tax invoice,
  or the shop's pad says "CASH BILL" / "CASH SALES" / "INVOICE", the slip or the half-page bill
  (A5 / letter width, as hardware shops, restaurants and pharmacies print) carries an
  "Invoice No" / "Bill No", a cashier or salesperson, items with quantity × price, a GST/SST
  summary, the total, cash tendered and change or a card line, "thank you", "goods sold are not
  returnable" — and NO buyer: no bill-to name or address, no buyer tax number, no due date or
  payment terms. ``width``: "till" (a 42-character roll) or "half" (a 78-character half page).
- ``billed``: invoices that are paid in cash or by card too, but name their buyer (a bill-to
  block, the buyer's VAT / GST number or Codice Fiscale), state payment terms or a due date:
  British and Malaysian B2B tax invoices, an Italian "fattura" paid "contanti", a German
  "Rechnung" paid "Barzahlung"; full page ("a4") or half page ("half", en/my only).
- ``faint``: a counter slip whose print faded: the shop's head and the title survive, the body
  is read as a few letters of noise (``faint_text``), or rendered nearly invisible
  (``render_faint``) for the real OCR to lose.

``pdf`` writes the lines as a born-digital PDF on a page of the document's width; a scan is
``docgen.scan_pdf`` of it, a photographed slip ``gen_slips.render``.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

SIDES = ("counter", "billed", "faint")
COUNTER_TITLES = ["TAX INVOICE", "SIMPLIFIED TAX INVOICE", "CASH BILL", "CASH SALES", "INVOICE", "CASH INVOICE",
                  "CASH SALES INVOICE"]
BILLED_LANGUAGES = ("en", "my", "it", "de")
WIDTHS = {"till": 42, "half": 78, "a4": 92}

_SHOPS = {
    "hardware": (["KEDAI BESI SERI MAJU", "HUAT LEE HARDWARE", "KORNHAUS TOOLS", "TAMAN JAYA HARDWARE"],
                 ["PVC PIPE 1/2\"", "CABLE TIE 8\"", "SCREW 2\" (100PCS)", "CEMENT 50KG", "PAINT BRUSH 2\"",
                  "SANDPAPER #120", "WALL PLUG 6MM", "PADLOCK 40MM"]),
    "restaurant": (["RESTORAN SELERA KAMPUNG", "GREEN CHILLI KITCHEN", "KOPITIAM BATU 9", "BOTTEGA ROSSI CAFE"],
                   ["NASI LEMAK AYAM", "TEH TARIK", "ROTI CANAI", "MEE GORENG", "KOPI O AIS", "CHICKEN CHOP",
                    "FRIED RICE", "ICED LEMON TEA"]),
    "pharmacy": (["FARMASI SIHAT", "CARE PLUS PHARMACY", "KLINIK & FARMASI BAKTI", "WELLWAY CHEMIST"],
                 ["PARACETAMOL 500MG", "VITAMIN C 1000MG", "COUGH SYRUP 120ML", "PLASTER 20S", "HAND SANITISER",
                  "FACE MASK 50S", "ANTISEPTIC 100ML", "THERMOMETER"]),
}
_FORMS = ["SDN BHD", "SDN. BHD.", "ENTERPRISE", "TRADING", "PTE LTD", "PTY LTD"]
_STREETS = ["NO 8, JALAN PERDANA 3/2,", "LOT 5, JALAN BESAR,", "12, JALAN MERANTI 3,", "G-15, JALAN USJ 10/1D,",
            "21 KING STREET,", "4 HARBOUR ROAD,"]
_TOWNS = ["81200 JOHOR BAHRU, JOHOR.", "43000 KAJANG, SELANGOR.", "50000 KUALA LUMPUR", "47600 SUBANG JAYA,",
          "SINGAPORE 058293", "PERTH WA 6000"]
_TAX_IDS = ["GST REG NO: 000{n9}", "GST ID: 000{n9}", "SST REG NO : B16-{n4}-{n8}", "ABN {n2} {n3} {n3} {n3}",
            "GST REG NO: M2-{n7}-{n1}"]
_DOC_NOS = ["Invoice No : CS{n8}", "INV NO: {n6}", "Bill No : {n6}", "Receipt No: {n6}", "Doc No : CS00{n6}",
            "Invoice # {n5}"]
_STAFF = ["Cashier : ALI", "Salesperson : TAN", "Cashier: NUR", "Served by : MEI LING", "Operator : 0012"]
_FOOTERS = [["THANK YOU. PLEASE COME AGAIN."], ["GOODS SOLD ARE NOT RETURNABLE.", "THANK YOU"],
            ["Goods sold are not returnable & refundable.", "Thank you for your support."],
            ["THANK YOU & HAVE A NICE DAY"]]


@dataclass
class Sale:
    side: str  # one of SIDES
    doc_class: str  # what it is: receipt or invoice
    lines: list[str]
    width: str  # key of WIDTHS: the page it is printed on
    traits: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _fill(template: str, rng: random.Random) -> str:
    digits = {f"n{n}": "".join(str(rng.randint(0, 9)) for _ in range(n)) for n in range(1, 13)}
    return template.format(**digits)


def _money(value: Decimal, decimal: str = ".") -> str:
    return f"{value:,.2f}".replace(",", " ").replace(".", decimal).replace(" ", "." if decimal == "," else ",")


def _row(left: str, figure: str, width: int) -> str:
    return left + " " * max(1, width - len(left) - len(figure)) + figure


def _centre(text: str, width: int) -> str:
    return text.center(width).rstrip()


def _when(rng: random.Random) -> dt.datetime:
    return dt.datetime(2016 + rng.randint(0, 8), 1, 1, 8) + dt.timedelta(days=rng.randint(0, 360),
                                                                       minutes=rng.randint(0, 700))


def _items(rng: random.Random, pool: list[str], n: int) -> list[tuple[str, int, Decimal]]:
    return [(rng.choice(pool), rng.randint(1, 5), Decimal(rng.randint(80, 4900)) / 100) for _ in range(n)]


def counter_sale(seed: int, width: str = "till", **force: str) -> Sale:
    """A receipt that calls itself an invoice (see the module's docstring). ``force`` fixes a
    drawn trait: "title", "shop", "payment" (cash / card), "time" (yes / no), "detail": "full"
    (cashier, quantity count, GST summary, the till's footers) or "sparse" (the bare slip: no
    cashier, no summary, a short footer or none: the fewest receipt words such a slip prints)."""
    rng = random.Random(seed * 7 + (1 if width == "half" else 0))
    w = WIDTHS[width]
    traits = {"width": width}

    def draw(trait: str, options: list[str]) -> str:
        traits[trait] = force.get(trait, rng.choice(options))
        return traits[trait]

    shop = draw("shop", sorted(_SHOPS))
    names, pool = _SHOPS[shop]
    title = draw("title", COUNTER_TITLES)
    full = draw("detail", ["full", "sparse"]) == "full"
    lines = [f"{rng.choice(names)} {rng.choice(_FORMS)}"]
    if rng.random() < 0.5:
        lines.append(_fill("(CO. NO. {n6}-X)", rng))
    street, town = rng.choice(_STREETS), rng.choice(_TOWNS)
    phone, tax_id = _fill("TEL: 03-{n4} {n4}", rng), _fill(rng.choice(_TAX_IDS), rng)
    if width == "half":
        lines += [f"{street} {town}", f"{phone}   {tax_id}"]
        lines = [_centre(line, w) for line in lines] + ["", _centre(title, w), ""]
    else:
        lines += [street, town, phone, tax_id, "", _centre(title, w)]
    when = _when(rng)
    show_time = draw("time", ["yes", "no"]) == "yes"
    date = f"Date : {when:%d/%m/%Y}" + (f" {when:%H:%M}" if show_time and width == "till" else "")
    docno, staff = _fill(rng.choice(_DOC_NOS), rng), rng.choice(_STAFF) if full else ""
    if width == "half":
        lines += [_row(docno, date, w), _row(staff, f"Time : {when:%H:%M:%S}" if show_time else "", w).rstrip()]
        if shop == "restaurant":
            lines.append(f"Table : {rng.randint(1, 30)}      Pax : {rng.randint(1, 6)}")
        lines += ["-" * w, "No  Description                       Qty     U/Price    Disc      Amount  Tax", "-" * w]
    else:
        lines += [docno, date] + ([staff] if staff else [])
        if shop == "restaurant":
            lines.append(f"Table: {rng.randint(1, 30)}  Pax: {rng.randint(1, 6)}")
        lines.append("-" * w)
    gross = Decimal("0")
    for i, (name, qty, price) in enumerate(_items(rng, pool, rng.randint(2, 7)), 1):
        amount = qty * price
        gross += amount
        if width == "half":
            lines.append(f"{i:<4}{name:<32}{qty:>4}{_money(price):>12}{'0.00':>8}{_money(amount):>12}  SR")
        else:
            lines += [name, _row(f"  {qty} x {_money(price)}", f"{_money(amount)} SR", w)]
    lines.append("-" * w)
    tax = (gross * 6 / 106).quantize(Decimal("0.01"))
    total = (gross / Decimal("0.05")).quantize(Decimal("1"), rounding="ROUND_HALF_UP") * Decimal("0.05")
    at = w - 30 if width == "half" else 0
    col = 30 if width == "half" else w

    def summary(label: str, value: Decimal) -> str:
        return " " * at + _row(label, _money(value), col)

    if full:
        lines += [summary("Total Qty", Decimal(0)).replace("0.00", str(rng.randint(2, 12)))] if rng.random() < 0.4 else []
        lines += [summary("Total Excl. GST", gross - tax), summary("GST @ 6%", tax), summary("Rounding", total - gross),
                  summary("Total Incl. GST", total)]
    else:
        lines += [summary("Total Amount:", total), summary("GST @6%:", tax), summary("Net Total:", total)]
    payment = draw("payment", ["cash", "cash", "card"])
    if not full:
        lines.append("Payment Mode" + " " * (col - 18) + "Amount")
    if payment == "cash":
        given = (total // 10 + 1) * 10 if full else total
        lines += [summary(rng.choice(["Cash", "Cash Tendered", "CASH"]), given), summary("Change", given - total)]
    else:
        lines += [summary(rng.choice(["VISA", "MASTERCARD", "Credit Card"]), total),
                  _fill("Card No : ************{n4}", rng)]
    if full and rng.random() < 0.6:
        lines += ["GST Summary        Amount(RM)      Tax(RM)", f"SR @ 6%            {_money(gross - tax):>10}   {_money(tax):>10}"]
    footers = rng.choice(_FOOTERS) if full else rng.choice([[], ["(Price Inclusive Of GST)"], ["Like us on Facebook!"]])
    lines += [_centre(f, w) if width == "half" else f for f in footers]
    return Sale("counter", "receipt", lines, width, traits)


# -- invoices paid in cash, with a buyer -----------------------------------------------------------
_BUYERS = {"en": ["Harbour Lane Builders Ltd", "Kornhaus Trading Ltd", "Mill Road Dental Practice"],
           "my": ["BINA JAYA CONSTRUCTION SDN BHD", "SYARIKAT MEGAH ELEKTRIK", "KORNHAUS (M) SDN BHD"],
           "it": ["Bottega Rossi S.r.l.", "Studio Tecnico Verdi", "Mario Bianchi"],
           "de": ["Kornhaus Bau GmbH", "Praxis Dr. Weber", "Schreinerei Lindner e.K."]}
_SELLERS = {"en": ["City Hardware Supplies Ltd", "Green Leaf Catering Ltd"],
            "my": ["HUAT LEE HARDWARE SDN BHD", "FARMASI SIHAT SDN BHD"],
            "it": ["Ferramenta Esposito S.r.l.", "Farmacia San Marco S.n.c."],
            "de": ["Baustoffe Schulte GmbH", "Getränke Wolf e.K."]}


def billed_invoice(seed: int, language: str = "en", width: str = "a4") -> Sale:
    """An invoice paid in cash or by card that names its buyer (see the module's docstring)."""
    rng = random.Random(seed * 11 + BILLED_LANGUAGES.index(language))
    w = WIDTHS[width]
    when = _when(rng)
    seller, buyer = rng.choice(_SELLERS[language]), rng.choice(_BUYERS[language])
    pool = _SHOPS[rng.choice(sorted(_SHOPS))][1]
    items = _items(rng, pool, rng.randint(2, 6))
    gross = sum((q * p for _, q, p in items), Decimal("0"))
    dec = "," if language in ("it", "de") else "."
    m = lambda v: _money(v, dec)  # noqa: E731
    rate = {"en": 20, "my": 6, "it": 22, "de": 19}[language]
    tax = (gross * rate / 100).quantize(Decimal("0.01"))
    due = when + dt.timedelta(days=rng.choice([0, 7, 14, 30]))
    pay_how = rng.choice(["cash", "card"])
    if language == "it":
        lines = [seller, _fill("Via Roma {n2} - 20121 Milano (MI)", rng), _fill("P.IVA {n11}", rng), "",
                 _fill("FATTURA N. {n3}/", rng) + f"{when:%Y} del {when:%d/%m/%Y}", "",
                 "Cessionario / committente:", buyer, _fill("Corso Italia {n2} - 10121 Torino (TO)", rng),
                 rng.choice([_fill("P.IVA {n11}", rng), "Codice Fiscale BNCMRA80A01L219X"]), "",
                 "Descrizione                          Q.ta    Prezzo     Importo   IVA"]
        lines += [f"{n[:34]:<36}{q:>5}{m(p):>10}{m(q * p):>12}   {rate}%" for n, q, p in items]
        lines += ["", _row("Imponibile", m(gross), 60), _row(f"IVA {rate}%", m(tax), 60),
                  _row("Totale documento EUR", m(gross + tax), 60), "",
                  "Pagamento: " + ("contanti" if pay_how == "cash" else "carta di credito") + ", pagato alla consegna",
                  f"Scadenza: {due:%d/%m/%Y}"]
    elif language == "de":
        lines = [seller, _fill("Hauptstr. {n2}, 33100 Paderborn", rng), _fill("USt-IdNr.: DE{n9}", rng), "",
                 "An:", buyer, _fill("Am Marktplatz {n1}, 44135 Dortmund", rng), "",
                 "RECHNUNG", _fill("Rechnungsnummer: RE-{n5}", rng), f"Rechnungsdatum: {when:%d.%m.%Y}",
                 _fill("Kundennummer: {n5}", rng), "",
                 "Pos  Bezeichnung                        Menge   Einzelpreis      Gesamt"]
        lines += [f"{i:<5}{n[:34]:<35}{q:>5}{m(p):>14}{m(q * p):>12}" for i, (n, q, p) in enumerate(items, 1)]
        lines += ["", _row("Nettobetrag", m(gross), 66), _row(f"USt. {rate} %", m(tax), 66),
                  _row("Rechnungsbetrag EUR", m(gross + tax), 66), "",
                  "Zahlungsart: " + ("Barzahlung - Betrag bar erhalten" if pay_how == "cash" else "Kartenzahlung (EC-Karte)"),
                  f"Leistungsdatum: {when:%d.%m.%Y}"]
    else:
        tax_label = "VAT" if language == "en" else "GST"
        buyer_tax = _fill("VAT No: GB{n9}", rng) if language == "en" else _fill("Customer GST No: 000{n9}", rng)
        seller_tax = _fill("VAT Reg No: GB{n9}", rng) if language == "en" else _fill("GST REG NO: 000{n9}", rng)
        lines = [seller, _fill("{n2} Station Road, Leeds LS1 4AB", rng) if language == "en"
                 else _fill("NO {n2}, JALAN BESAR, 43000 KAJANG, SELANGOR", rng), seller_tax, "",
                 "TAX INVOICE" if language == "my" or rng.random() < 0.5 else "INVOICE", "",
                 rng.choice(["Bill To:", "Invoice To:", "Customer:", "Sold To:"]), buyer,
                 _fill("{n2} Mill Road, York YO1 7HH", rng) if language == "en"
                 else _fill("LOT {n2}, JALAN MERANTI 3, 47600 SUBANG JAYA", rng)]
        if rng.random() < 0.7:
            lines.append(buyer_tax)
        lines += ["", _row(_fill("Invoice No: {n6}", rng), f"Invoice Date: {when:%d/%m/%Y}", w),
                  _row(rng.choice(["Terms: C.O.D.", "Payment Terms: Cash on delivery", "Terms: Due on receipt", "Payable on receipt",
                                   "Payment terms: 14 days"]), f"Due Date: {due:%d/%m/%Y}", w)]
        if language == "my" and rng.random() < 0.5:
            lines.append(rng.choice(_STAFF))
        head = "Description                          Qty    Unit Price      Amount"
        lines += ["", head if w > 80 else "Description            Qty   Amount"]
        for n, q, p in items:
            lines.append(f"{n[:34]:<35}{q:>5}{m(p):>14}{m(q * p):>12}" if w > 80 else _row(f"{n[:20]:<21}{q:>4}", m(q * p), w))
        lines += ["", _row("Subtotal", m(gross), min(w, 70)), _row(f"{tax_label} {rate}%", m(tax), min(w, 70)),
                  _row("Total", m(gross + tax), min(w, 70)),
                  _row("Paid by " + ("cash" if pay_how == "cash" else "card"), m(gross + tax), min(w, 70)),
                  _row("Amount due", m(Decimal(0)), min(w, 70)), "", "Thank you for your business."]
    return Sale("billed", "invoice", lines, width, {"language": language, "payment": pay_how})


# -- faint slips ---------------------------------------------------------------------------------
def faint_text(seed: int, *, keep: int = 0) -> Sale:
    """What a reading of a faded counter slip returns when only its head and title survive: the
    slip's first lines down to its title (``keep`` more), then a few lines of letter noise."""
    sale = counter_sale(seed, rng_width(seed))
    rng = random.Random(seed)
    title_at = next(i for i, line in enumerate(sale.lines) if line.strip() in COUNTER_TITLES)
    lines = [line.strip() for line in sale.lines[: title_at + 1 + keep] if line.strip()]
    for _ in range(rng.randint(0, 8)):
        lines.append(" ".join("".join(rng.choice("aeilmnorstuvx,.'-") for _ in range(rng.randint(1, 4)))
                              for _ in range(rng.randint(1, 5))))
    return Sale("faint", "receipt", lines, sale.width, {**sale.traits, "keep": str(keep)})


def rng_width(seed: int) -> str:
    return "half" if seed % 3 == 2 else "till"


def head_length(sale: Sale) -> int:
    """The lines down to the title: what a faint slip keeps dark (``render_faint``)."""
    return next(i for i, line in enumerate(sale.lines) if line.strip() in COUNTER_TITLES) + 1


# -- printing ------------------------------------------------------------------------------------
def pdf(sale: Sale, path: Path) -> Path:
    """The lines as a born-digital PDF in Courier on a page as wide as the document."""
    from reportlab.lib.pagesizes import A4, A5
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    w = WIDTHS[sale.width]
    size = {"till": 8.0, "half": 7.0, "a4": 8.5}[sale.width]
    page_w = {"till": 80 * mm, "half": A5[1], "a4": A4[0]}[sale.width]
    page_h = max(A5[0] if sale.width == "half" else 0, (len(sale.lines) * size * 1.3) + 30 * mm) \
        if sale.width != "a4" else A4[1]
    c = canvas.Canvas(str(path), pagesize=(page_w, page_h))
    c.setFont("Courier", size)
    x = (page_w - w * size * 0.6) / 2
    y = page_h - 15 * mm
    for line in sale.lines:
        c.drawString(x, y, line)
        y -= size * 1.3
    c.showPage()
    c.save()
    return path


def render_faint(sale: Sale, dest: Path, seed: int, *, body_ink: int | None = None, dark: str = "head") -> Path:
    """A photo of a faded counter slip: the head (down to the title) printed darker, as a roll
    keeps its top best, the body nearly as light as the paper (``body_ink``, drawn per seed when
    not given; the paper is 248), under a shadow. ``dark="title"``: only the shop's name and the
    title kept their ink (printed bold or double height, they fade last)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    rng = random.Random(seed)
    body_ink = body_ink if body_ink is not None else rng.randint(234, 242)
    face = ImageFont.truetype("/usr/share/fonts/opentype/urw-base35/NimbusMonoPS-Regular.otf", 26)
    step, paper = 37, 248
    head = head_length(sale)
    width = int(max(len(line) for line in sale.lines) * 26 * 0.62 + 80)
    image = Image.new("L", (width, step * len(sale.lines) + 120), paper)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(sale.lines):
        kept = i < head if dark == "head" else i in (0, head - 1)
        draw.text((40, 60 + i * step), line, fill=rng.randint(120, 160) if kept else body_ink, font=face)
    image = image.rotate(rng.uniform(-1.0, 1.0), resample=Image.BICUBIC, expand=True, fillcolor=paper)
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 0.7)))
    pixels = np.asarray(image, dtype=np.float32)
    h, w = pixels.shape
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0.0, 6.28)
    ramp = np.cos(angle) * xs / w + np.sin(angle) * ys / h
    ramp = (ramp - ramp.min()) / max(float(ramp.max() - ramp.min()), 1e-6)
    pixels = pixels * (1.0 - rng.uniform(0.2, 0.35) * ramp)
    noise = np.frombuffer(rng.randbytes(pixels.size), dtype=np.uint8).reshape(pixels.shape)
    pixels = pixels + (noise.astype(np.float32) - 127.5) * 0.06
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L").save(dest, "JPEG", quality=80, dpi=(200, 200))
    return dest
