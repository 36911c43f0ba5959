"""Invoice layouts and vendors unlike the dev corpus's, in Italian, English, German and French,
printed as born-digital PDFs (and, by ``write_corpus``, scanned) with known labels.

Each ``kind`` is one way real invoices differ from the few layouts the corpus shows:

- ``right_header``: the seller's block on the left, number/date block in a right column, with
  order, customer, delivery-note and page numbers printed around the invoice number;
- ``boxed_header``: number and date in a boxed table header, labels on one row and values on
  the next, beside customer code, order and page cells;
- ``one_liner``: "Fattura n. 12/2024 del 03/04/2024" on one line, a protocol/"Rif." number above;
- ``footer_vat``: the seller's VAT id only in the footer, the customer's printed in its block;
- ``cf_piva``: both parties printed "C.F./P.IVA …" (which is the seller's?);
- ``professional``: a professional's fee note with pension fund (cassa), withholding tax and
  stamp duty besides VAT;
- ``discount``: a totals table with a discount row between the goods total and the taxable base;
- ``split_payment``: VAT split payment to a public body (the amount to pay is the net);
- ``reverse_charge``: an EU seller, VAT 0 by reverse charge, customer's VAT printed;
- ``multi_rate``: a VAT summary table with two or three rates and no printed total net;
- ``two_page``: items running onto a second page, a subtotal carried forward at the foot of
  page 1 and again at the head of page 2, the number repeated with "page 2/2".

Every document also draws at random: thousands separators of its language (1.234,56 / 1,234.56 /
1 234,56), the currency sign before or after, an IBAN printed in groups of four, as one run, or
broken across two lines. Identifiers carry valid check digits (tests/gen_identifiers.py).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from gen_identifiers import iban as make_iban
from gen_identifiers import vat_id

LANGUAGES = ("it", "en", "de", "fr")
KINDS = ("right_header", "boxed_header", "one_liner", "footer_vat", "cf_piva", "professional", "discount",
         "split_payment", "reverse_charge", "multi_rate", "two_page")
PAGE = 842.0  # an A4 page's height in points: a text at y = PAGE + 50 is on page 2

CENT = Decimal("0.01")

VENDORS = {
    "it": ["Bottega Rossi S.r.l.", "Officine Brenta S.p.A.", "Ferramenta Lucchesi S.n.c.", "Caseificio Valmora Soc. Coop.",
           "Tipografia Arcobaleno S.r.l.s."],
    "en": ["Harbour & Finch Ltd", "Kestrel Digital LLP", "Ashgrove Joinery Ltd", "Pemberton Supplies plc"],
    "de": ["Kornhaus GmbH", "Brunnwerk AG", "Elektro Vogt e.K.", "Talmühle GmbH & Co. KG"],
    "fr": ["Ateliers Morvan SARL", "Boulangerie Lefèvre SAS", "Menuiserie Caron SARL", "Vignobles Roche SA"],
}
PROFESSIONALS = {"it": ["Studio Tecnico Ing. Marco Galli", "Avv. Giulia Ferraris", "Dott.ssa Elena Conti"],
                 "en": ["Dr Alan Whitcombe", "Mara Lindqvist, Architect"],
                 "de": ["Dipl.-Ing. Jonas Reuter", "Steuerberaterin Anna Wolff"],
                 "fr": ["Cabinet Marchand", "Maître Claire Dubois"]}
CUSTOMERS = {
    "it": ["Edilnord S.r.l.", "Pasticceria Gorini S.n.c.", "Alberghi Riuniti S.p.A."],
    "en": ["Northgate Foods Ltd", "Blue Fern Studios Ltd"],
    "de": ["Seeblick Hotel GmbH", "Bäckerei Haas KG"],
    "fr": ["Hôtel des Tilleuls SARL", "Garage Benoit SAS"],
}
PUBLIC_BODIES = ["Comune di Montalto Pavese", "Azienda Sanitaria Locale TO5", "Istituto Comprensivo Lame"]
STREETS = {"it": ["Via dei Mille 14, 20121 Milano", "Corso Vercelli 8, 10152 Torino", "Viale Europa 3, 40133 Bologna"],
           "en": ["14 Wharf Road, Bristol BS1 4RN", "Unit 3, Mill Lane, Leeds LS9 8AB"],
           "de": ["Bahnhofstraße 12, 80335 München", "Am Markt 4, 50667 Köln"],
           "fr": ["12 rue des Tanneurs, 69002 Lyon", "3 avenue Foch, 75116 Paris"]}
COUNTRY = {"it": "IT", "en": "GB", "de": "DE", "fr": "FR"}
ITEMS = {"it": ["Consulenza tecnica", "Fornitura materiale elettrico", "Manutenzione impianto", "Stampa cataloghi",
                "Trasporto merce", "Noleggio attrezzatura"],
         "en": ["Consulting services", "Oak flooring panels", "Delivery and installation", "Printing of leaflets",
                "Software licence (annual)"],
         "de": ["Wartung Heizungsanlage", "Elektromaterial", "Montagearbeiten", "Beratungsleistung", "Frachtkosten"],
         "fr": ["Prestation de conseil", "Fourniture de bois", "Main d'oeuvre", "Livraison", "Impression brochures"]}

# Labels per language.
L = {
    "it": dict(title="FATTURA", number=["Fattura n.", "Numero fattura", "N. documento", "Numero documento"],
               date=["Data", "Data documento", "Data emissione"], order="Ordine n.", customer_no="Cod. cliente",
               ddt="DDT n.", page="Pagina", ref="Rif. vs. ordine", protocol="Protocollo n.",
               vat="P.IVA", vat_long="Partita IVA", cf="C.F.", to="Spett.le", bill_to="Destinatario",
               goods="Totale merce", discount="Sconto", net="Imponibile", net_total="Totale imponibile",
               vat_amount="IVA", vat_total="Totale IVA", total="Totale documento", pay="Netto a pagare",
               iban="IBAN", rate="Aliquota", base="Imponibile", tax="Imposta", desc="Descrizione", qty="Q.tà",
               price="Prezzo", amount="Importo", due="Scadenza", bank="Banca", one_of="di", dated="del",
               summary="Riepilogo IVA"),
    "en": dict(title="INVOICE", number=["Invoice no.", "Invoice number", "Invoice #"],
               date=["Date", "Invoice date", "Date of issue"], order="Order no.", customer_no="Customer no.",
               ddt="Delivery note", page="Page", ref="Your ref.", protocol="Reference no.",
               vat="VAT no.", vat_long="VAT registration number", cf="Company no.", to="Bill to", bill_to="Invoice to",
               goods="Subtotal", discount="Discount", net="Net amount", net_total="Total net",
               vat_amount="VAT", vat_total="Total VAT", total="Total due", pay="Amount payable",
               iban="IBAN", rate="VAT rate", base="Net", tax="VAT", desc="Description", qty="Qty",
               price="Unit price", amount="Amount", due="Due date", bank="Bank", one_of="of", dated="dated",
               summary="VAT summary"),
    "de": dict(title="RECHNUNG", number=["Rechnungsnummer", "Rechnung Nr.", "Rechnungs-Nr."],
               date=["Datum", "Rechnungsdatum"], order="Auftrag Nr.", customer_no="Kunden-Nr.",
               ddt="Lieferschein Nr.", page="Seite", ref="Ihr Zeichen", protocol="Vorgang Nr.",
               vat="USt-IdNr.", vat_long="Umsatzsteuer-Identifikationsnummer", cf="Steuernummer", to="An",
               bill_to="Rechnungsempfänger", goods="Warenwert", discount="Rabatt", net="Nettobetrag",
               net_total="Summe netto", vat_amount="MwSt.", vat_total="Summe MwSt.", total="Gesamtbetrag",
               pay="Zahlbetrag", iban="IBAN", rate="Steuersatz", base="Netto", tax="Steuer", desc="Bezeichnung",
               qty="Menge", price="Einzelpreis", amount="Betrag", due="Fällig am", bank="Bank", one_of="von",
               dated="vom", summary="Steuerübersicht"),
    "fr": dict(title="FACTURE", number=["Facture n°", "Numéro de facture", "N° de facture"],
               date=["Date", "Date de facture", "Date d'émission"], order="Commande n°", customer_no="Code client",
               ddt="Bon de livraison", page="Page", ref="Votre réf.", protocol="Dossier n°",
               vat="N° TVA", vat_long="TVA intracommunautaire", cf="SIRET", to="Client", bill_to="Facturé à",
               goods="Total marchandises", discount="Remise", net="Total HT", net_total="Montant HT",
               vat_amount="TVA", vat_total="Total TVA", total="Total TTC", pay="Net à payer",
               iban="IBAN", rate="Taux", base="Base HT", tax="TVA", desc="Désignation", qty="Qté",
               price="Prix unitaire", amount="Montant", due="Échéance", bank="Banque", one_of="sur", dated="du",
               summary="Récapitulatif TVA"),
}
RATES = {"it": [22, 10, 4], "en": [20, 5], "de": [19, 7], "fr": [20, 10, 5.5]}
MONTHS = {"en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                 "November", "December"],
          "it": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
                 "ottobre", "novembre", "dicembre"]}


@dataclass
class Doc:
    """One invoice: what to draw (text at x, y in points from the top-left of an A4 page; boxes)
    and what its labels say."""

    kind: str
    language: str
    seed: int
    texts: list[tuple[float, float, str, float, bool]] = field(default_factory=list)  # x, y, text, size, bold
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)
    expected: dict[str, str] = field(default_factory=dict)
    features: list[str] = field(default_factory=list)

    def put(self, x: float, y: float, text: str, size: float = 9, bold: bool = False) -> None:
        self.texts.append((x, y, text, size, bold))

    @property
    def name(self) -> str:
        return f"{self.kind}-{self.language}-{self.seed:03d}"


# -- values as printed --------------------------------------------------------------------------
def money(value: Decimal, style: str) -> str:
    """``value`` with the thousands and decimal separators of ``style``."""
    sign = "-" if value < 0 else ""
    whole, cents = f"{abs(value):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    sep, dec = {"it": (".", ","), "de": (".", ","), "en": (",", "."), "fr": (" ", ","), "ch": ("'", "."),
                "plain_comma": ("", ","), "plain_dot": ("", ".")}[style]
    return sign + sep.join(groups) + dec + cents


class Printer:
    """How one document prints amounts: separators and where the currency goes."""

    def __init__(self, rng: random.Random, language: str, currency: str):
        self.style = {"it": rng.choice(["it", "it", "plain_comma"]), "de": rng.choice(["de", "de", "plain_comma"]),
                      "en": rng.choice(["en", "en", "plain_dot"]), "fr": rng.choice(["fr", "fr", "plain_comma"])}[language]
        self.currency = currency
        symbol = {"EUR": "€", "GBP": "£"}[currency]
        self.mark = rng.choice([symbol, currency])
        self.where = rng.choice(["before", "after", "none"]) if language != "en" else rng.choice(["before", "none"])
        self.feature = f"sep={self.style},cur={self.where}"

    def __call__(self, value: Decimal, *, bare: bool = False) -> str:
        text = money(value, self.style)
        if bare or self.where == "none":
            return text
        return f"{self.mark} {text}" if self.where == "before" else f"{text} {self.mark}"


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _number(rng: random.Random) -> str:
    year = rng.randint(2022, 2025)
    n = rng.randint(1, 2999)
    return rng.choice([f"{n}/{year}", f"FT{year}-{n:04d}", f"{year}/{n:05d}", f"A{n}", f"{n}-{year % 100}",
                       f"INV-{year}-{n:04d}", f"{rng.randint(100000, 999999)}", f"{n}/PA"])


def _date(rng: random.Random) -> dt.date:
    return dt.date(rng.randint(2022, 2025), rng.randint(1, 12), rng.randint(1, 28))


def _printed_date(d: dt.date, language: str, rng: random.Random) -> str:
    if language == "de":
        return rng.choice([f"{d.day:02d}.{d.month:02d}.{d.year}", f"{d.day}.{d.month}.{d.year}"])
    if language == "en" and rng.random() < 0.4:
        return f"{d.day} {MONTHS['en'][d.month - 1]} {d.year}"
    if language == "it" and rng.random() < 0.2:
        return f"{d.day} {MONTHS['it'][d.month - 1]} {d.year}"
    return rng.choice([f"{d.day:02d}/{d.month:02d}/{d.year}", f"{d.day:02d}-{d.month:02d}-{d.year}",
                       f"{d.day:02d}.{d.month:02d}.{d.year}"])


def _fr_vat(rng: random.Random) -> str:
    siren = f"{rng.randint(100000000, 999999999)}"
    # SIREN's own Luhn digit is not part of the VAT key's check; the key is.
    from stdnum import luhn

    siren = siren[:8] + luhn.calc_check_digit(siren[:8])
    key = (12 + 3 * (int(siren) % 97)) % 97
    return f"FR{key:02d}{siren}"


def _vat(rng: random.Random, country: str) -> str:
    return _fr_vat(rng) if country == "FR" else vat_id(rng, country)


def _vat_printed(value: str, rng: random.Random, *, prefix_optional: bool) -> tuple[str, str]:
    """The VAT id as printed and as labelled (labels keep what is printed, without spaces)."""
    country, body = value[:2], value[2:]
    if prefix_optional and country == "IT" and rng.random() < 0.5:
        return body, body
    if rng.random() < 0.3:
        return f"{country} {body}", value
    return value, value


def _iban_lines(value: str, rng: random.Random) -> tuple[list[str], str]:
    """The IBAN as printed: grouped by four, as one run, or grouped and broken over two lines."""
    how = rng.choice(["groups", "run", "broken"])
    groups = [value[i : i + 4] for i in range(0, len(value), 4)]
    if how == "run":
        return [value], how
    if how == "groups":
        return [" ".join(groups)], how
    cut = rng.randint(3, len(groups) - 2)
    return [" ".join(groups[:cut]), " ".join(groups[cut:])], how


@dataclass
class Lines:
    items: list[tuple[str, Decimal, Decimal, int | float]]  # description, qty, unit price, VAT rate

    def nets_by_rate(self) -> dict[int | float, Decimal]:
        out: dict[int | float, Decimal] = {}
        for _, qty, price, rate in self.items:
            out[rate] = out.get(rate, Decimal(0)) + _q(qty * price)
        return out


def _lines(rng: random.Random, language: str, rates: list[int | float], *, big: bool) -> Lines:
    out = []
    for _ in range(rng.randint(2, 4)):
        price = Decimal(rng.randint(1500 if big else 500, 180000 if big else 40000)) / 100
        out.append((rng.choice(ITEMS[language]), Decimal(rng.randint(1, 12)), price, rng.choice(rates)))
    for rate in rates:  # every rate used at least once
        if not any(r == rate for *_, r in out):
            out.append((rng.choice(ITEMS[language]), Decimal(1), Decimal(rng.randint(2000, 90000)) / 100, rate))
    return Lines(out)


def _rate_text(rate: int | float, language: str) -> str:
    text = f"{rate}"
    if isinstance(rate, float):
        text = f"{rate:.1f}".replace(".", "," if language != "en" else ".")
    return f"{text}%"


# -- building blocks ----------------------------------------------------------------------------
def _seller_block(doc: Doc, x: float, y: float, name: str, address: str, vat_line: str | None, *,
                  extra: list[str] = ()) -> float:
    doc.put(x, y, name, 12, True)
    y += 15
    doc.put(x, y, address)
    y += 11
    for line in extra:
        doc.put(x, y, line)
        y += 11
    if vat_line:
        doc.put(x, y, vat_line)
        y += 11
    return y


def _customer_block(doc: Doc, x: float, y: float, heading: str, name: str, address: str,
                    vat_line: str | None) -> float:
    doc.put(x, y, heading, 8)
    y += 11
    doc.put(x, y, name, 10, True)
    y += 12
    doc.put(x, y, address)
    y += 11
    if vat_line:
        doc.put(x, y, vat_line)
        y += 11
    return y


def _items_table(doc: Doc, y: float, lines: Lines, p: Printer, lab: dict, *, with_rate: bool = True) -> float:
    cols = [(40, lab["desc"]), (300, lab["qty"]), (350, lab["price"]), (440, lab["amount"])]
    if with_rate:
        cols.append((510, "%" if doc.language != "it" else "IVA"))
    doc.boxes.append((36, y - 10, 523, 14))
    for x, text in cols:
        doc.put(x, y, text, 8, True)
    y += 16
    for desc, qty, price, rate in lines.items:
        doc.put(40, y, desc)
        doc.put(300, y, f"{qty}")
        doc.put(350, y, p(price, bare=True))
        doc.put(440, y, p(_q(qty * price), bare=True))
        if with_rate:
            doc.put(510, y, _rate_text(rate, doc.language))
        y += 12
    return y + 10


def _totals_rows(doc: Doc, y: float, rows: list[tuple[str, str]], *, x_label: float = 330, x_value: float = 480,
                 boxed: bool = False) -> float:
    for label, value in rows:
        if boxed:
            doc.boxes.append((x_label - 4, y - 10, 230, 14))
        doc.put(x_label, y, label)
        doc.put(x_value, y, value)
        y += 14
    return y


def _iban_block(doc: Doc, y: float, rng: random.Random, country: str, lab: dict, *, x: float = 40) -> float:
    value = make_iban(rng, country if country in ("IT", "DE", "GB", "FR") else "IT")
    printed, how = _iban_lines(value, rng)
    doc.expected["iban"] = value
    doc.features.append(f"iban={how}")
    doc.put(x, y, f"{lab['bank']}: Banca Popolare del Lago" if doc.language == "it" else f"{lab['bank']}: Lakeside Bank")
    y += 11
    doc.put(x, y, f"{lab['iban']}: {printed[0]}")
    y += 11
    for rest in printed[1:]:
        doc.put(x, y, rest)
        y += 11
    return y


def _standard_totals(doc: Doc, y: float, lines: Lines, p: Printer, lab: dict, rng: random.Random) -> float:
    """One-rate or multi-rate totals as label/value rows: net, VAT, total."""
    nets = lines.nets_by_rate()
    net = sum(nets.values(), Decimal(0))
    vat = sum((_q(n * Decimal(str(r)) / 100) for r, n in nets.items()), Decimal(0))
    total = net + vat
    rows = [(lab["net_total"], p(net))]
    if len(nets) == 1:
        rate = next(iter(nets))
        rows.append((f"{lab['vat_amount']} {_rate_text(rate, doc.language)}", p(vat)))
    else:
        rows.append((lab["vat_total"], p(vat)))
    rows.append((lab["total"], p(total)))
    doc.expected.update(net_amount=f"{net:.2f}", vat_amount=f"{vat:.2f}", total_amount=f"{total:.2f}")
    return _totals_rows(doc, y, rows)


def _start(kind: str, language: str, seed: int) -> tuple[Doc, random.Random, dict, Printer]:
    rng = random.Random(f"{kind}-{language}-{seed}")
    doc = Doc(kind, language, seed)
    p = Printer(rng, language, "GBP" if language == "en" else "EUR")
    doc.features.append(p.feature)
    return doc, rng, L[language], p


def _meta(doc: Doc, rng: random.Random) -> tuple[str, str]:
    number = _number(rng)
    date = _date(rng)
    doc.expected["number"] = number
    doc.expected["date"] = date.isoformat()
    return number, _printed_date(date, doc.language, rng)


def _other_numbers(rng: random.Random, lab: dict) -> list[tuple[str, str]]:
    """The numbers an invoice prints around its own: order, customer, delivery note, page."""
    pool = [(lab["order"], f"{rng.choice(['OC', 'PO', '']) }{rng.randint(1000, 99999)}"),
            (lab["customer_no"], f"{rng.randint(100, 99999)}"),
            (lab["ddt"], f"{rng.randint(1, 999)}/{rng.randint(2022, 2025)}"),
            (lab["page"], f"1/{rng.choice([1, 2])}"),
            (lab["ref"], f"{rng.choice(['Mail', 'Tel.', 'Off.'])} {rng.randint(10, 999)}")]
    rng.shuffle(pool)
    return pool[: rng.randint(2, 5)]


def _head(doc: Doc, rng: random.Random, lab: dict, *, sellers: list[str] | None = None) -> str:
    """The common head: the seller's block with its VAT id on the left, the buyer's on the
    right; returns the seller's country."""
    country = COUNTRY[doc.language]
    vendor = _vat(rng, country)
    printed, labelled = _vat_printed(vendor, rng, prefix_optional=True)
    doc.expected["vendor_vat"] = labelled
    _seller_block(doc, 40, 50, rng.choice(sellers or VENDORS[doc.language]), rng.choice(STREETS[doc.language]),
                  f"{lab['vat']} {printed}")
    _customer_block(doc, 330, 100, lab["to"], rng.choice(CUSTOMERS[doc.language]), rng.choice(STREETS[doc.language]), None)
    return country


def _title_number_date(doc: Doc, rng: random.Random, lab: dict, title: str, sep: str = "") -> None:
    number, date = _meta(doc, rng)
    doc.put(40, 170, title, 14, True)
    doc.put(40, 188, f"{rng.choice(lab['number'])}{sep} {number}")
    doc.put(40, 200, f"{rng.choice(lab['date'])}{sep} {date}")


def _body(doc: Doc, rng: random.Random, lab: dict, p: Printer, country: str, y: float) -> float:
    """One-rate items, the totals as label/value rows and the bank details; where it ends."""
    lines = _lines(rng, doc.language, RATES[doc.language][:1], big=rng.random() < 0.5)
    y = _items_table(doc, y, lines, p, lab, with_rate=False)
    y = _standard_totals(doc, y, lines, p, lab, rng)
    return _iban_block(doc, y + 20, rng, country, lab)


# -- the kinds ----------------------------------------------------------------------------------
def right_header(language: str, seed: int) -> Doc:
    doc, rng, lab, p = _start("right_header", language, seed)
    country = COUNTRY[language]
    vendor = _vat(rng, country)
    printed, labelled = _vat_printed(vendor, rng, prefix_optional=True)
    doc.expected["vendor_vat"] = labelled
    _seller_block(doc, 40, 50, rng.choice(VENDORS[language]), rng.choice(STREETS[language]), f"{lab['vat']} {printed}",
                  extra=[f"Tel. +39 02 {rng.randint(1000000, 9999999)}"] if language == "it" else [])
    number, date = _meta(doc, rng)
    rows = _other_numbers(rng, lab)
    rows.insert(rng.randint(0, len(rows)), (rng.choice(lab["number"]), number))
    rows.insert(rng.randint(0, len(rows)), (rng.choice(lab["date"]), date))
    doc.put(330, 50, lab["title"], 14, True)
    y = 72
    for label, value in rows:
        doc.put(330, y, label)
        doc.put(440, y, value)
        y += 12
    _customer_block(doc, 330, max(y + 10, 150), lab["to"], rng.choice(CUSTOMERS[language]), rng.choice(STREETS[language]),
                    None)
    _body(doc, rng, lab, p, country, 260)
    return doc


def boxed_header(language: str, seed: int) -> Doc:
    """Number and date in a table header: labels on one row, values on the next."""
    doc, rng, lab, p = _start("boxed_header", language, seed)
    country = COUNTRY[language]
    vendor = _vat(rng, country)
    printed, labelled = _vat_printed(vendor, rng, prefix_optional=True)
    doc.expected["vendor_vat"] = labelled
    _seller_block(doc, 40, 50, rng.choice(VENDORS[language]), rng.choice(STREETS[language]), f"{lab['vat_long']}: {printed}")
    _customer_block(doc, 330, 110, lab["bill_to"], rng.choice(CUSTOMERS[language]), rng.choice(STREETS[language]), None)
    doc.put(40, 170, lab["title"], 14, True)
    number, date = _meta(doc, rng)
    cells = _other_numbers(rng, lab)[:3]
    cells.insert(rng.randint(0, 1), (rng.choice(lab["number"]), number))
    cells.insert(rng.randint(0, 2), (rng.choice(lab["date"]), date))
    width = 519 / len(cells)
    for i, (label, value) in enumerate(cells):
        x = 40 + i * width
        doc.boxes.append((x - 4, 182, width, 14))
        doc.boxes.append((x - 4, 196, width, 16))
        doc.put(x, 192, label, 8, True)
        doc.put(x, 207, value)
    _body(doc, rng, lab, p, country, 245)
    return doc


def one_liner(language: str, seed: int) -> Doc:
    """"Fattura n. 12/2024 del 03/04/2024": the number and the date on one line, other numbers above."""
    doc, rng, lab, p = _start("one_liner", language, seed)
    country = _head(doc, rng, lab)
    number, date = _meta(doc, rng)
    y = 170
    for label, value in _other_numbers(rng, lab)[:2]:
        doc.put(40, y, f"{label} {value}", 8)
        y += 11
    head = {"it": ["Fattura n.", "FATTURA N.", "Fattura nr."], "en": ["Invoice No.", "INVOICE No."],
            "de": ["Rechnung Nr.", "RECHNUNG Nr."], "fr": ["Facture n°", "FACTURE N°"]}[language]
    doc.put(40, y + 8, f"{rng.choice(head)} {number} {lab['dated']} {date}", 12, True)
    _body(doc, rng, lab, p, country, y + 40)
    return doc


def footer_vat(language: str, seed: int) -> Doc:
    """The seller prints its VAT id only in the footer; the customer's is printed in its block."""
    doc, rng, lab, p = _start("footer_vat", language, seed)
    country = COUNTRY[language]
    vendor, customer = _vat(rng, country), _vat(rng, country)
    printed, labelled = _vat_printed(vendor, rng, prefix_optional=True)
    cust_printed, _ = _vat_printed(customer, rng, prefix_optional=True)
    doc.expected["vendor_vat"] = labelled
    name = rng.choice(VENDORS[language])
    street = rng.choice(STREETS[language])
    doc.put(40, 50, name, 16, True)
    doc.put(40, 66, street, 8)
    _customer_block(doc, 330, 100, lab["to"], rng.choice(CUSTOMERS[language]), rng.choice(STREETS[language]),
                    f"{lab['vat']} {cust_printed}")
    number, date = _meta(doc, rng)
    doc.put(40, 130, f"{lab['title']}", 14, True)
    doc.put(40, 148, f"{rng.choice(lab['number'])} {number}")
    doc.put(40, 160, f"{rng.choice(lab['date'])} {date}")
    y = _body(doc, rng, lab, p, country, 200)
    reg = {"it": f"Cap. Soc. € 10.000,00 i.v. - REA MI-{rng.randint(100000, 999999)}",
           "en": f"Registered in England No. {rng.randint(1000000, 9999999)}",
           "de": f"Amtsgericht München HRB {rng.randint(10000, 99999)}",
           "fr": f"RCS Lyon B {rng.randint(100, 999)} {rng.randint(100, 999)} {rng.randint(100, 999)}"}[language]
    doc.put(40, 790, f"{name} - {street}", 7)
    footer = rng.choice([f"{lab['vat']} {printed} - {reg}", f"{reg} - {lab['vat']} {printed}", f"{printed} · {reg}"])
    doc.put(40, 800, footer, 7)
    return doc


def cf_piva(language: str, seed: int) -> Doc:
    """Both parties printed "C.F./P.IVA …": the seller's is in the seller's block (Italian layouts;
    the other languages print "VAT/Tax no." the same way)."""
    doc, rng, lab, p = _start("cf_piva", language, seed)
    country = COUNTRY[language]
    vendor, customer = _vat(rng, country), _vat(rng, country)
    label = {"it": rng.choice(["C.F./P.IVA", "C.F. e P.IVA", "Cod. Fisc./P. IVA", "P.IVA/C.F."]),
             "en": "VAT/Company no.", "de": "St.-Nr./USt-IdNr.", "fr": "SIRET/TVA"}[language]
    printed, labelled = _vat_printed(vendor, rng, prefix_optional=True)
    cust_printed, _ = _vat_printed(customer, rng, prefix_optional=True)
    doc.expected["vendor_vat"] = labelled
    layout = rng.choice(["customer_first", "vendor_first"])
    doc.features.append(f"order={layout}")
    vy, cy = (150, 60) if layout == "customer_first" else (50, 120)
    if layout == "customer_first":  # window envelope: the addressee printed high up on the left
        _customer_block(doc, 40, cy, lab["to"], rng.choice(CUSTOMERS[language]), rng.choice(STREETS[language]),
                        f"{label} {cust_printed}")
        _seller_block(doc, 330, vy - 90, rng.choice(VENDORS[language]), rng.choice(STREETS[language]), f"{label} {printed}")
    else:
        _seller_block(doc, 40, vy, rng.choice(VENDORS[language]), rng.choice(STREETS[language]), f"{label} {printed}")
        _customer_block(doc, 330, cy, lab["to"], rng.choice(CUSTOMERS[language]), rng.choice(STREETS[language]),
                        f"{label} {cust_printed}")
    number, date = _meta(doc, rng)
    doc.put(40, 210, f"{lab['title']} {rng.choice(lab['number']).split()[-1]} {number}", 12, True)
    doc.put(40, 224, f"{rng.choice(lab['date'])}: {date}")
    _body(doc, rng, lab, p, country, 260)
    return doc


def professional(language: str, seed: int) -> Doc:
    """A professional's fee note: pension fund on the fee, VAT on fee + fund, withholding tax on
    the fee, stamp duty; the taxable base is fee + fund, the total the document's total."""
    doc, rng, lab, p = _start("professional", language, seed)
    country = _head(doc, rng, lab, sellers=PROFESSIONALS[language])
    number, date = _meta(doc, rng)
    title = {"it": rng.choice(["FATTURA", "PARCELLA", "FATTURA"]), "en": "INVOICE", "de": "HONORARRECHNUNG",
             "fr": "NOTE D'HONORAIRES"}[language]
    doc.put(40, 170, title, 14, True)
    doc.put(40, 188, f"{rng.choice(lab['number'])} {number}")
    doc.put(40, 200, f"{rng.choice(lab['date'])} {date}")
    fee = Decimal(rng.randint(30000, 480000)) / 100
    rate = RATES[language][0]
    cassa_rate = rng.choice([4, 2])
    cassa = _q(fee * cassa_rate / 100)
    base = fee + cassa
    vat = _q(base * rate / 100)
    ritenuta = _q(fee * 20 / 100)
    bollo = Decimal("2.00") if rng.random() < 0.6 else Decimal(0)
    total = base + vat + bollo
    words = {"it": ("Onorario", f"Contributo cassa previdenziale {cassa_rate}%", f"Ritenuta d'acconto 20% su {p(fee, bare=True)}",
                    "Imposta di bollo", "Totale imponibile", f"IVA {rate}%"),
             "en": ("Professional fee", f"Pension fund contribution {cassa_rate}%", "Withholding tax 20%", "Stamp duty",
                    "Total net", f"VAT {rate}%"),
             "de": ("Honorar", f"Versorgungswerk {cassa_rate}%", "Einbehalt Quellensteuer 20%", "Stempelgebühr",
                    "Summe netto", f"MwSt. {rate}%"),
             "fr": ("Honoraires", f"Contribution caisse de retraite {cassa_rate}%", "Retenue à la source 20%",
                    "Timbre fiscal", "Total HT", f"TVA {rate}%")}[language]
    fee_w, cassa_w, rit_w, bollo_w, base_w, vat_w = words
    rows = [(fee_w, p(fee)), (cassa_w, p(cassa)), (base_w, p(base)), (vat_w, p(vat))]
    if bollo:
        rows.append((bollo_w, p(bollo)))
    rows.append((lab["total"], p(total)))
    rows.append((rit_w, p(-ritenuta)))
    rows.append((lab["pay"], p(total - ritenuta)))
    doc.features.append("bollo" if bollo else "no_bollo")
    doc.put(40, 240, {"it": "Prestazione professionale: progettazione e direzione lavori", "en": "Professional services: design review",
                      "de": "Leistung: Planung und Bauleitung", "fr": "Prestation : étude et suivi de chantier"}[language])
    y = _totals_rows(doc, 270, rows, x_label=40, x_value=400)
    doc.expected.update(net_amount=f"{base:.2f}", vat_amount=f"{vat:.2f}", total_amount=f"{total:.2f}")
    _iban_block(doc, y + 20, rng, country, lab)
    return doc


def discount(language: str, seed: int) -> Doc:
    """A totals table whose goods total is cut by a discount row before the taxable base."""
    doc, rng, lab, p = _start("discount", language, seed)
    country = _head(doc, rng, lab)
    _title_number_date(doc, rng, lab, lab["title"], ":")
    lines = _lines(rng, language, RATES[language][:1], big=True)
    y = _items_table(doc, 240, lines, p, lab, with_rate=False)
    goods = sum(lines.nets_by_rate().values(), Decimal(0))
    pct = rng.choice([5, 10, 15])
    cut = _q(goods * pct / 100)
    net = goods - cut
    rate = RATES[language][0]
    vat = _q(net * rate / 100)
    total = net + vat
    rows = [(lab["goods"], p(goods)), (f"{lab['discount']} {pct}%", p(-cut)), (lab["net"], p(net)),
            (f"{lab['vat_amount']} {_rate_text(rate, language)}", p(vat)), (lab["total"], p(total))]
    y = _totals_rows(doc, y, rows, boxed=rng.random() < 0.5)
    doc.expected.update(net_amount=f"{net:.2f}", vat_amount=f"{vat:.2f}", total_amount=f"{total:.2f}")
    _iban_block(doc, y + 20, rng, country, lab)
    return doc


def split_payment(language: str, seed: int) -> Doc:
    """VAT split payment (Italian public bodies): the VAT is printed but paid by the buyer to the
    treasury, so the amount to pay is the net. Other languages: the same layout with the
    "VAT not collected" line of a public buyer."""
    doc, rng, lab, p = _start("split_payment", language, seed)
    country = COUNTRY[language]
    vendor = _vat(rng, country)
    printed, labelled = _vat_printed(vendor, rng, prefix_optional=True)
    doc.expected["vendor_vat"] = labelled
    _seller_block(doc, 40, 50, rng.choice(VENDORS[language]), rng.choice(STREETS[language]), f"{lab['vat_long']} {printed}")
    buyer = rng.choice(PUBLIC_BODIES) if language == "it" else rng.choice(CUSTOMERS[language])
    _customer_block(doc, 330, 100, lab["to"], buyer, rng.choice(STREETS[language]),
                    f"{lab['cf']} {rng.randint(80000000000, 99999999999)}" if language == "it" else None)
    _title_number_date(doc, rng, lab, lab["title"])
    doc.put(40, 212, {"it": f"CIG Z{rng.randint(10, 99)}3A{rng.randint(1000, 9999)}F  CUP J{rng.randint(10, 99)}B{rng.randint(10000, 99999)}",
                      "en": f"Purchase order {rng.randint(10000, 99999)}", "de": f"Bestellung {rng.randint(10000, 99999)}",
                      "fr": f"Bon de commande {rng.randint(10000, 99999)}"}[language], 8)
    lines = _lines(rng, language, RATES[language][:1], big=True)
    y = _items_table(doc, 240, lines, p, lab, with_rate=False)
    net = sum(lines.nets_by_rate().values(), Decimal(0))
    rate = RATES[language][0]
    vat = _q(net * rate / 100)
    total = net + vat
    note = {"it": "Scissione dei pagamenti - art. 17-ter DPR 633/72", "en": "VAT to be paid by the buyer to the tax authority",
            "de": "Umsatzsteuer wird vom Empfänger abgeführt", "fr": "TVA acquittée par le client"}[language]
    rows = [(lab["net_total"], p(net)), (f"{lab['vat_amount']} {_rate_text(rate, language)}", p(vat)),
            (lab["total"], p(total)),
            ({"it": "IVA in scissione", "en": "VAT withheld", "de": "Einbehaltene USt", "fr": "TVA retenue"}[language], p(-vat)),
            (lab["pay"], p(net))]
    y = _totals_rows(doc, y, rows)
    doc.put(40, y + 6, note, 8)
    doc.expected.update(net_amount=f"{net:.2f}", vat_amount=f"{vat:.2f}", total_amount=f"{total:.2f}")
    _iban_block(doc, y + 30, rng, country, lab)
    return doc


def reverse_charge(language: str, seed: int) -> Doc:
    """An EU seller invoicing a business in another country: no VAT, both VAT ids printed, the
    customer's first when the address window is on the left."""
    doc, rng, lab, p = _start("reverse_charge", language, seed)
    country = COUNTRY[language] if language != "en" else "IE"
    seller_country = {"it": "IT", "en": "NL", "de": "DE", "fr": "FR"}[language]
    buyer_country = rng.choice([c for c in ("IT", "DE", "AT", "BE", "NL") if c != seller_country])
    vendor, customer = _vat(rng, seller_country), _vat(rng, buyer_country)
    doc.expected["vendor_vat"] = vendor
    if rng.random() < 0.5:
        _customer_block(doc, 40, 60, lab["bill_to"], rng.choice(CUSTOMERS[rng.choice(LANGUAGES)]), "Europa",
                        f"{lab['vat']} {customer}")
        _seller_block(doc, 330, 50, rng.choice(VENDORS[language]), rng.choice(STREETS[language]), f"{lab['vat']} {vendor}")
        doc.features.append("order=customer_first")
    else:
        _seller_block(doc, 40, 50, rng.choice(VENDORS[language]), rng.choice(STREETS[language]), f"{lab['vat']} {vendor}")
        _customer_block(doc, 330, 100, lab["bill_to"], rng.choice(CUSTOMERS[rng.choice(LANGUAGES)]), "Europa",
                        f"{lab['vat']} {customer}")
        doc.features.append("order=vendor_first")
    _title_number_date(doc, rng, lab, lab["title"])
    lines = _lines(rng, language, [0], big=True)
    y = _items_table(doc, 240, lines, p, lab, with_rate=False)
    net = sum(lines.nets_by_rate().values(), Decimal(0))
    note = {"it": "Operazione non imponibile - inversione contabile art. 7-ter DPR 633/72",
            "en": "Reverse charge: VAT to be accounted for by the recipient (Art. 196 Directive 2006/112/EC)",
            "de": "Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge)",
            "fr": "Autoliquidation - TVA due par le preneur, art. 283-2 du CGI"}[language]
    rows = [(lab["net_total"], p(net)), (f"{lab['vat_amount']} 0%", p(Decimal(0))), (lab["total"], p(net))]
    y = _totals_rows(doc, y, rows)
    doc.put(40, y + 6, note, 8)
    doc.expected.update(net_amount=f"{net:.2f}", vat_amount="0.00", total_amount=f"{net:.2f}")
    _iban_block(doc, y + 30, rng, "IT" if seller_country == "IT" else "DE", lab)
    return doc


def multi_rate(language: str, seed: int) -> Doc:
    """A VAT summary table with two or three rates; no total net printed, only the total."""
    doc, rng, lab, p = _start("multi_rate", language, seed)
    country = _head(doc, rng, lab)
    _title_number_date(doc, rng, lab, lab["title"])
    rates = RATES[language][: rng.randint(2, len(RATES[language]))]
    lines = _lines(rng, language, rates, big=rng.random() < 0.5)
    y = _items_table(doc, 240, lines, p, lab)
    doc.put(40, y, lab["summary"], 10, True)
    y += 14
    for x, text in ((40, lab["rate"]), (160, lab["base"]), (280, lab["tax"])):
        doc.put(x, y, text, 8, True)
    y += 13
    net = vat = Decimal(0)
    for rate, base in sorted(lines.nets_by_rate().items(), reverse=True):
        tax = _q(base * Decimal(str(rate)) / 100)
        doc.put(40, y, _rate_text(rate, language))
        doc.put(160, y, p(base, bare=True))
        doc.put(280, y, p(tax, bare=True))
        net, vat = net + base, vat + tax
        y += 12
    total = net + vat
    y = _totals_rows(doc, y + 10, [(lab["total"], p(total))])
    doc.expected.update(net_amount=f"{net:.2f}", vat_amount=f"{vat:.2f}", total_amount=f"{total:.2f}")
    _iban_block(doc, y + 20, rng, country, lab)
    return doc


def two_page(language: str, seed: int) -> Doc:
    """Items running onto a second page: page 1 ends with the running subtotal carried forward,
    page 2 repeats the seller and the number with "page 2/2" before the rest and the totals."""
    doc, rng, lab, p = _start("two_page", language, seed)
    country = _head(doc, rng, lab)
    _title_number_date(doc, rng, lab, lab["title"])
    lines = Lines([(rng.choice(ITEMS[language]), Decimal(rng.randint(1, 9)), Decimal(rng.randint(500, 30000)) / 100,
                    RATES[language][0]) for _ in range(rng.randint(44, 52))])
    first, rest = Lines(lines.items[:38]), Lines(lines.items[38:])
    y = _items_table(doc, 240, first, p, lab, with_rate=False)
    carried = sum(first.nets_by_rate().values(), Decimal(0))
    forward = {"it": "Riporto", "en": "Carried forward", "de": "Übertrag", "fr": "Report"}[language]
    _totals_rows(doc, y, [(forward, p(carried))])
    number = doc.expected["number"]
    doc.put(40, PAGE + 50, rng.choice(VENDORS[language]), 10, True)
    doc.put(330, PAGE + 50, f"{lab['title']} {number} - {lab['page']} 2/2", 9)
    y = _totals_rows(doc, PAGE + 90, [(forward, p(carried))])
    y = _items_table(doc, y + 10, rest, p, lab, with_rate=False)
    y = _standard_totals(doc, y, lines, p, lab, rng)
    _iban_block(doc, y + 20, rng, country, lab)
    return doc


BUILDERS = {name: globals()[name] for name in KINDS}


def build(kind: str, language: str, seed: int) -> Doc:
    return BUILDERS[kind](language, seed)


# -- printing -----------------------------------------------------------------------------------
def write_pdf(doc: Doc, path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    height = A4[1]
    c = canvas.Canvas(str(path), pagesize=A4)
    pages = 1 + int(max(y for _, y, *_ in doc.texts) // PAGE)
    for page in range(pages):  # y runs on from page to page: PAGE points each
        c.setLineWidth(0.5)
        for x, y, w, h in doc.boxes:
            if int(y // PAGE) == page:
                c.rect(x, height - y % PAGE - h, w, h)
        for x, y, text, size, bold in doc.texts:
            if int(y // PAGE) == page:
                c.setFont("Helvetica-Bold" if bold else "Helvetica", size)
                c.drawString(x, height - y % PAGE, text)
        c.showPage()
    c.save()
    return path


def ocr_page(doc: Doc, *, slope: float = 0.02, dpi: int = 200, replace: dict[str, str] | None = None):
    """The document as Tesseract reads a tilted scan of it, without running Tesseract: pixel
    coordinates, the page turned by ``slope`` (dy/dx), and each printed cell a line of its own
    (OCR splits a row at wide gaps, and the tilt puts the right-hand cells of a row lower).
    ``replace`` misreads a cell's text ("27,11" → "2ISI")."""
    from pipeline.records import Page, Word

    scale = dpi / 72
    words, line = [], 0
    for x, y, text, size, _ in sorted(doc.texts, key=lambda t: (t[1], t[0])):
        text = (replace or {}).get(text, text)
        cx = x
        for part in text.split():
            width = 0.55 * size * len(part)
            px0, px1 = cx * scale, (cx + width) * scale
            top = (y - size) * scale + slope * px0
            words.append(Word(part, px0, top, px1, top + size * 1.1 * scale, 88.0, line))
            cx += width + 0.28 * size
        line += 1
    return Page(number=1, width=595 * scale, height=842 * scale, words=words, method="ocr")


def write_corpus(folder: Path, seeds: range, *, scan_seeds: range = range(0), kinds=KINDS,
                 languages=LANGUAGES) -> list[dict]:
    """Every kind × language × seed as a born-digital PDF, the ``scan_seeds`` ones also as a
    scanned PDF (rendered, tilted, noised; read by Tesseract), and a labels.jsonl for
    ``archivio eval`` with each document's kind and features."""
    from docgen import scan_pdf

    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for kind in kinds:
        for language in languages:
            for seed in seeds:
                doc = build(kind, language, seed)
                pdf = write_pdf(doc, folder / f"{doc.name}.pdf")
                variants = [(pdf, False)]
                if seed in scan_seeds:
                    variants.append((scan_pdf(pdf, folder / f"{doc.name}.scan.pdf", seed, dpi=200), True))
                for path, scanned in variants:
                    rows.append({"file": path.name, "doc_id": doc.name, "class": "invoice", "language": language,
                                 "scanned": scanned, "variant": "scan" if scanned else "born-digital",
                                 "group": f"gen:{kind}", "kind": kind, "features": doc.features,
                                 "fields": doc.expected})
    with (folder / "labels.jsonl").open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return rows


__all__ = ["KINDS", "LANGUAGES", "Doc", "build", "ocr_page", "write_pdf", "write_corpus", "money"]
