"""Generated till slips of the kinds users photograph, with the variety real tills print, as
printed text lines (monospaced, figures right-aligned) and as photographed images.

Unlike ``gen_receipts`` (one knob per difficulty, for rule tests) each seed here draws its own
mix of traits, and ``Slip.traits`` says which were drawn, so a run over many seeds tells which
KINDS of slip the rules miss. Kinds: "my" (Malaysian tax invoice, the SROIE kind, in English
with Malay words), "it" (documento commerciale), "de" (Kassenbon).

Traits drawn per slip:
- ``head``: what stands above the legal name: nothing, a brand or logo line, a branch line.
- ``regno``: the company number: on its own line, after the name, or not printed.
- ``taxid``: the GST/SST (P.IVA, USt-IdNr.) line.
- ``address``: 2 to 4 printed lines.
- ``date``: the date's printed form (see ``DATE_FORMS``), with a label or not, the time before
  or after it.
- ``block``: the totals block (the keys of the table in ``slip``); ``qty``: a "TOTAL QTY" count printed (never an
  amount); ``items``: item lines with a quantity and a unit price.

The labels, as the dev corpus's README says: merchant = the legal name, address = its printed
lines joined by one space, date in ISO form, total = the amount paid (after rounding).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

WIDTH = 42  # characters on a till roll's line

_MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]

# How tills print the date; each form's label and the time's place are drawn separately.
DATE_FORMS = {
    "dd/mm/yyyy": lambda d: f"{d:%d/%m/%Y}",
    "dd-mm-yy": lambda d: f"{d:%d-%m-%y}",
    "dd.mm.yyyy": lambda d: f"{d:%d.%m.%Y}",
    "dd mon yyyy": lambda d: f"{d.day:02d} {_MONTHS[d.month - 1]} {d.year}",
    "yyyy-mm-dd": lambda d: f"{d:%Y-%m-%d}",
    "dd/mm/yy": lambda d: f"{d:%d/%m/%y}",
}

_KINDS = {
    "my": {
        "names": ["MAJU JAYA", "SRI MELAKA FOOD", "BESTARI RUNCIT", "KEDAI PAPAN YEW CHUAN",
                  "GARDENIA BAKERIES (KL)", "HON HWA HARDWARE", "PERNIAGAAN ZHENG HUI",
                  "SANYU STATIONERY SHOP", "OJC MARKETING", "UNIHAIKKA INTERNATIONAL"],
        "forms": ["SDN BHD", "SDN. BHD.", "ENTERPRISE", "TRADING", "SDN.BHD"],
        "heads": ["99 SPEED MART", "TESCO EXTRA", "MR. D.I.Y.", "POPULAR BOOK CO.", "AEON"],
        "branches": ["(JOHOR BAHRU BRANCH)", "CAWANGAN SETIA ALAM", "OUTLET: TAMAN MOLEK"],
        "regno": ["({n6}-{a})", "({n6}-{a})", "CO. NO: {n6}-{a}", "ROC NO: {n6}-{a}", "({n12}-{a})"],
        "taxid": ["GST REG NO: 000{n9}", "GST ID: 000{n9}", "GST ID NO : 000{n9}", "SST ID: W10-{n4}-{n8}",
                  "SST REG NO : B16-{n4}-{n8}"],
        "streets": ["NO 8, JALAN PERDANA 3/2,", "LOT 5, JALAN BESAR,", "12, JALAN MERANTI 3,",
                    "NO. 2 & 4, JALAN BUNGA RAYA,", "G-15, JALAN USJ 10/1D,"],
        "areas": ["TAMAN JOHOR JAYA,", "SEKSYEN 9, BANDAR MAHKOTA CHERAS,", "OFF JALAN PUDU,",
                  "BANDAR BARU BANGI,"],
        "towns": ["81200 JOHOR BAHRU,", "43000 KAJANG,", "50000 KUALA LUMPUR", "47600 SUBANG JAYA,"],
        "states": ["JOHOR.", "SELANGOR DARUL EHSAN.", "MALAYSIA", "W.P. KUALA LUMPUR"],
        "phone": "TEL: 03-{n4} {n4}",
        "titles": ["TAX INVOICE", "SIMPLIFIED TAX INVOICE", "CASH BILL", "RECEIPT", "INVOICE"],
        "docno": ["INV NO: CS{n8}", "RECEIPT #: {n6}", "BILL NO: {n6}", "DOC NO.: CS00{n6}"],
        "cashier": ["CASHIER: ALI", "OPERATOR: 0012 NUR", "SALESPERSON : TAN"],
        "date_labels": ["DATE:", "DATE :", "Date:", "Tarikh:", ""],
        "items": ["NASI LEMAK", "TEH TARIK", "ROTI CANAI", "MINERAL WATER 1.5L", "A4 PAPER 70GSM",
                  "PVC PIPE 1/2\"", "GARDENIA WHITE BREAD", "MILO 3IN1", "CABLE TIE 8\"", "SCREW 2\" (100PCS)"],
        "currency": "RM", "decimal": ".",
        "blocks": ["total", "nett", "grand", "amount", "sales_incl", "sub_gst_round", "round_total"],
        "cash": "CASH", "change": "CHANGE", "card": "VISA CARD",
        "qty": ["TOTAL QTY: {q}", "TOTAL QTY : {q}", "ITEM(S) : {q}", "TOTAL ITEMS: {q}"],
        "footers": ["THANK YOU. PLEASE COME AGAIN.", "GOODS SOLD ARE NOT RETURNABLE", "TERIMA KASIH"],
    },
    "it": {
        "names": ["ROSSI ALIMENTARI", "CAFFE AURORA", "DISTRIBUZIONE NORD", "FORNO BIANCHI", "FERRAMENTA VERDI"],
        "forms": ["S.R.L.", "S.r.l.", "SRL", "S.N.C.", "S.P.A."],
        "heads": ["BAR CENTRALE", "PANIFICIO ROSSI", "FARMACIA SAN MARCO", "CONAD CITY"],
        "branches": ["PUNTO VENDITA 042", "FILIALE DI MONZA"],
        "regno": [],
        "taxid": ["P.IVA {n11}", "P. IVA: {n11}", "Partita IVA {n11}", "C.F. e P.IVA {n11}"],
        "streets": ["VIA ROMA 12", "CORSO ITALIA 45", "PIAZZA GARIBALDI 3", "VIALE EUROPA 101"],
        "areas": ["LOC. SAN ROCCO"],
        "towns": ["20121 MILANO (MI)", "10121 TORINO TO", "40121 BOLOGNA"],
        "states": [],
        "phone": "TEL. 02 {n4}{n4}",
        "titles": ["DOCUMENTO COMMERCIALE", "DOCUMENTO COMMERCIALE di vendita o prestazione"],
        "docno": ["DOCUMENTO N. 0042-{n4}", "SCONTRINO N. {n4}"],
        "cashier": ["CASSA 1 OPERATORE 3"],
        "date_labels": ["", "DATA"],
        "items": ["CAFFE", "CORNETTO", "ACQUA NAT 0,5L", "PANINO", "SPREMUTA", "VITI 4X40 CF.100"],
        "currency": "EUR", "decimal": ",",
        "blocks": ["it_total", "it_total_iva"],
        "cash": "PAGAMENTO CONTANTE", "change": "RESTO", "card": "PAGAMENTO ELETTRONICO",
        "qty": ["N. PEZZI {q}"],
        "footers": ["GRAZIE E ARRIVEDERCI"],
    },
    "de": {
        "names": ["Frischemarkt Handels", "Korn Backwaren", "Hell Drogerie", "Baumarkt Schulte", "Getränke Wolf"],
        "forms": ["GmbH", "GmbH & Co. KG", "GMBH", "e.K.", "AG"],
        "heads": ["FRISCHEMARKT", "BACKSTUBE KORN", "DROGERIE HELL"],
        "branches": ["Filiale 0815", "Markt Nr. 1234"],
        "regno": [],
        "taxid": ["USt-IdNr.: DE{n9}", "St.-Nr. 123/456/{n5}", "UST-ID DE{n9}"],
        "streets": ["Pohlweg 110", "Warburger Straße 130", "Am Marktplatz 7", "Hauptstr. 5"],
        "areas": [],
        "towns": ["33100 Paderborn", "44135 Dortmund", "80331 München"],
        "states": [],
        "phone": "Tel.: 0521 {n6}",
        "titles": ["KASSENBON", "Rechnung"],
        "docno": ["Bon-Nr: {n4}", "Beleg-Nr. {n5}"],
        "cashier": ["Kasse 2 Bed. 11"],
        "date_labels": ["", "Datum:"],
        "items": ["Milch 3,5%", "Brot", "Butter", "Bananen", "Joghurt", "Kaffee"],
        "currency": "EUR", "decimal": ",",
        "blocks": ["de_summe", "de_zu_zahlen"],
        "cash": "Gegeben BAR", "change": "Rückgeld", "card": "EC-Karte",
        "qty": ["Anzahl Artikel: {q}"],
        "footers": ["Vielen Dank für Ihren Einkauf"],
    },
}
KINDS = tuple(_KINDS)


@dataclass
class Slip:
    lines: list[str]
    fields: dict[str, str]
    traits: dict[str, str] = field(default_factory=dict)


def _fill(template: str, rng: random.Random) -> str:
    def digits(n: int) -> str:
        return "".join(str(rng.randint(0, 9)) for _ in range(n))
    return template.format(**{f"n{n}": digits(n) for n in range(4, 13)}, a=rng.choice("ADHKPTUVWX"))


def _row(left: str, figure: str = "") -> str:
    """A line with its figure right-aligned at the roll's edge, as tills print."""
    if not figure:
        return left
    gap = max(1, WIDTH - len(left) - len(figure))
    return left + " " * gap + figure


def _money(value: Decimal, decimal: str) -> str:
    return f"{value:.2f}".replace(".", decimal)


def _round5(value: Decimal) -> Decimal:
    return (value / Decimal("0.05")).quantize(Decimal("1"), rounding="ROUND_HALF_UP") * Decimal("0.05")


def slip(seed: int, kind: str, **force: str) -> Slip:
    """One slip; ``force`` fixes a trait ("block", "date", "head", "regno", "time", …) instead
    of drawing it. ``point``: how OCR read the decimal point of the totals block's last figure
    (the amount to pay): "plain", "lost" ("12975"), "digit" ("130275"), "dash" ("130-75")."""
    rng = random.Random(seed * 31 + KINDS.index(kind))
    k = _KINDS[kind]
    dec = k["decimal"]

    def draw(trait: str, options: list[str]) -> str:
        value = force.get(trait, rng.choice(options) if options else "none")
        traits[trait] = value
        return value

    traits: dict[str, str] = {"kind": kind}
    legal = f"{rng.choice(k['names'])} {draw('form', k['forms'])}"
    lines: list[str] = []
    head = draw("head", ["none", "brand", "branch"])
    if head == "brand":
        lines.append(rng.choice(k["heads"]))
    regno = draw("regno", ["line", "after", "none"] if k["regno"] else [])
    number = _fill(rng.choice(k["regno"]), rng) if regno != "none" else ""
    lines.append(f"{legal} {number}" if regno == "after" else legal)
    if head == "branch":
        lines.append(rng.choice(k["branches"]))
    if regno == "line":
        lines.append(number)
    taxid_first = draw("taxid", ["above_address", "below_address"]) == "above_address"
    taxid = _fill(rng.choice(k["taxid"]), rng)
    if taxid_first:
        lines.append(taxid)
    address = [rng.choice(k["streets"])]
    size = int(draw("address", [str(n) for n in range(2, 2 + 1 + len(k["areas"][:1]) + len(k["states"][:1]))]))
    if size >= 3 and k["areas"]:
        address.append(rng.choice(k["areas"]))
    address.append(rng.choice(k["towns"]))
    if size >= 4 and k["states"]:
        address.append(rng.choice(k["states"]))
    lines += address
    lines.append(_fill(k["phone"], rng))
    if not taxid_first:
        lines.append(taxid)
    lines.append(rng.choice(k["titles"]))
    lines.append(_fill(rng.choice(k["docno"]), rng))

    when = dt.datetime(2017 + rng.randint(0, 7), 1, 1, 8) + dt.timedelta(days=rng.randint(0, 360),
                                                                      minutes=rng.randint(0, 700))
    form = draw("date", list(DATE_FORMS))
    label = draw("date_label", k["date_labels"])
    time_at = draw("time", ["after", "before", "own_line"])
    printed = DATE_FORMS[form](when)
    clock = f"{when:%H:%M:%S}" if rng.random() < 0.5 else f"{when:%I:%M %p}"
    date_text = f"{label} {printed}".strip()
    if time_at == "after":
        lines.append(f"{date_text} {clock}")
    elif time_at == "before":
        lines.append(f"{clock} {date_text}")
    else:
        lines.append(date_text)
        lines.append(f"TIME: {clock}" if kind == "my" else clock)
    lines.append(rng.choice(k["cashier"]))
    lines.append("-" * WIDTH)

    quantities = draw("items", ["plain", "qty_price"]) == "qty_price"
    gross = Decimal("0")
    count = 0
    for _ in range(rng.randint(1, 6)):
        price = Decimal(rng.randint(90, 4590)) / 100
        qty = rng.randint(1, 4) if quantities else 1
        amount = price * qty
        gross += amount
        count += qty
        name = rng.choice(k["items"])
        if quantities:
            lines.append(name)
            lines.append(_row(f"  {qty} x {_money(price, dec)}", _money(amount, dec)))
        else:
            lines.append(_row(name, _money(amount, dec)))
    lines.append("-" * WIDTH)
    block = draw("block", k["blocks"])
    total = _round5(gross) if kind == "my" else gross
    rounding = total - gross
    tax = (gross * 6 / 106).quantize(Decimal("0.01")) if kind == "my" else (gross * 22 / 122).quantize(Decimal("0.01"))
    qty_at = draw("qty", ["above", "below", "none"])
    qty_line = rng.choice(k["qty"]).format(q=count)
    if qty_at == "above":
        lines.append(qty_line)
    cur = k["currency"]
    m = lambda v: _money(v, dec)  # noqa: E731
    lines += {
        "total": [_row("TOTAL", m(total))] if not rounding else [
            _row("TOTAL", m(gross)), _row("ROUNDING ADJ", m(rounding)), _row("TOTAL ROUNDED", m(total))],
        "nett": [_row("SUB TOTAL", m(gross)), _row("ROUNDING ADJ", m(rounding)), _row("NETT TOTAL", m(total))],
        "grand": [_row(f"SUBTOTAL ({cur})", m(gross - tax)), _row("GST 6%", m(tax)),
                  _row("ROUNDING", m(rounding)), _row(f"GRAND TOTAL ({cur})", m(total))],
        "amount": [_row("TOTAL AMOUNT:", m(total))] if not rounding else [
            _row("TOTAL AMOUNT:", m(gross)), _row("ROUNDING ADJ:", m(rounding)), _row("TOTAL PAYABLE:", m(total))],
        "sales_incl": [_row("TOTAL SALES (EXCLUDING GST)", m(gross - tax)), _row("TOTAL GST @6%", m(tax)),
                       _row("ROUNDING ADJ", m(rounding)), _row("TOTAL SALES (INCLUSIVE GST)", m(total))],
        "sub_gst_round": [_row("SUB TOTAL (GST INCL.)", m(gross)), _row("ROUNDING ADJ", m(rounding)),
                          _row(f"TOTAL {cur}", m(total))],
        "round_total": [_row("TOTAL (INCL GST)", m(gross)), _row("ROUNDING", m(rounding)),
                        _row("ROUNDED TOTAL", m(total))],
        "it_total": [_row("TOTALE COMPLESSIVO", m(total)), _row("DI CUI IVA", m(tax))],
        "it_total_iva": [_row("SUBTOTALE", m(total)), _row("TOTALE EURO", m(total)), _row("di cui IVA 22%", m(tax))],
        "de_summe": [_row(f"SUMME {cur}", m(total))],
        "de_zu_zahlen": [_row("Zwischensumme", m(total)), _row(f"Zu zahlen {cur}", m(total))],
    }[block]
    point = force.get("point", "plain")
    if point != "plain":
        # The amount to pay read with its decimal point lost, read as a digit or as a dash.
        figure = m(total)
        lines[-1] = lines[-1][:-len(figure)] + figure.replace(dec, {"lost": "", "digit": "2", "dash": "-"}[point])
    if qty_at == "below":
        lines.append(qty_line)
    payment = draw("payment", ["cash", "cash", "card"])
    if payment == "cash":
        given = (total // 10 + 1) * 10
        lines += [_row(k["cash"], m(given)), _row(k["change"], m(given - total))]
    else:
        lines.append(_row(k["card"], m(total)))
    if kind == "my" and rng.random() < 0.5:
        lines += ["GST SUMMARY     AMOUNT(RM)   TAX(RM)", _row(f"SR @ 6%      {m(gross - tax)}", m(tax))]
    lines.append(rng.choice(k["footers"]))
    fields = {"merchant_name": legal, "address": " ".join(address), "date": when.date().isoformat(),
              "total_amount": f"{total:.2f}"}
    return Slip(lines, fields, traits)


def rows(lines: list[str]) -> list[list[tuple[str, float]]]:
    """The slip as positioned words (``test_extract_reading.page``'s rows): each word at its
    character column, 9 units a character."""
    out = []
    for line in lines:
        row, col = [], 0
        for word in line.split(" "):
            if word:
                row.append((word, 40.0 + 9 * col))
            col += len(word) + 1
        out.append(row)
    return [r for r in out if r]


def render(slip_: Slip, dest: Path, seed: int, *, scale: float = 2, rough: bool = False,
           font: str = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf") -> Path:
    """A photo of the slip: monospaced print on a narrow roll, a small tilt, blur and noise;
    ``rough``: smaller print, more tilt, blur and noise and a coarser JPEG, as a phone photo of a
    faded thermal roll. ``font``: a monospaced font file (a thin Courier prints as many tills do)."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    rng = random.Random(seed)
    scale = 1.6 if rough else scale
    size = int(13 * scale)
    face = ImageFont.truetype(font, size)
    step = int(size * 1.45)
    width = int(max(WIDTH, *(len(line) for line in slip_.lines)) * size * 0.62 + 40 * scale)
    image = Image.new("L", (width, int(step * len(slip_.lines) + 60 * scale)), 250)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(slip_.lines):
        draw.text((20 * scale, 30 * scale + i * step), line, fill=90 if rough else 25, font=face)
    tilt = 2.5 if rough else 1.2
    image = image.rotate(rng.uniform(-tilt, tilt), resample=Image.BICUBIC, expand=True, fillcolor=235)
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.7, 1.1) if rough else rng.uniform(0.3, 0.7)))
    noise = Image.frombytes("L", image.size, rng.randbytes(image.size[0] * image.size[1]))
    image = Image.blend(image, noise, rng.uniform(0.10, 0.14) if rough else rng.uniform(0.04, 0.08))
    image.save(dest, "JPEG", quality=45 if rough else 85, dpi=(200, 200))
    return dest
