"""Generated invoice layouts (rows of positioned words) for two rules of kind:

- several document numbers on one page — a credit note quoting the invoice it cancels, an
  invoice quoting an earlier one — where the document's own number is the one in the header
  block beside the title and the issue date (Italian, English, German, French);
- a VAT summary printed per rate (as lines "Imponibile 22% …" or as a table with a column per
  figure) with no total net, where the net and the VAT are the sums of the per-rate figures.

Each layout is drawn from pools by a seed: labels, number shapes, rates, the place of the quoted
number, extra rows. ``rows`` is what ``test_extract_reading.page`` turns into a page.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

Row = list[tuple[str, float]]

CREDIT_NOTES = {
    # language: (titles, own-number labels, quoted-invoice labels, date labels)
    "it": (["NOTA DI CREDITO"], ["Nota di credito n.", "Numero nota di credito", "Numero documento"],
           ["Fattura n.", "Numero fattura", "Rif. fattura n."], ["Data", "Data documento", "Data emissione"]),
    "en": (["CREDIT NOTE"], ["Credit note no.", "Credit note number"], ["Invoice no.", "Invoice number", "Original invoice no."],
           ["Date", "Issue date", "Date of issue"]),
    "de": (["GUTSCHRIFT"], ["Gutschriftsnummer", "Gutschrift Nr."], ["Rechnungsnummer", "Rechnungs-Nr.", "zu Rechnung Nr."],
           ["Datum", "Belegdatum"]),
    "fr": (["AVOIR"], ["Avoir n°", "Numéro d'avoir"], ["Facture n°", "Numéro de facture"], ["Date", "Date d'émission"]),
}
QUOTED_HEADINGS = {"it": ["Documenti collegati", "Storno relativo a", "Riferimenti"],
                   "en": ["Relating to", "Cancels", "References"], "de": ["Bezug", "Storno zu"],
                   "fr": ["Référence", "Annule"]}
PARTY_ROWS = {"it": ["Spett.le Rossi S.r.l.", "Via Roma 12, Milano"], "en": ["Bill to: Acme Ltd", "12 High Street, Leeds"],
              "de": ["Müller GmbH", "Hauptstraße 5, Köln"], "fr": ["Dupont SARL", "12 rue de la Paix, Lyon"]}


def words(text: str, x: float = 40) -> Row:
    out = []
    for w in text.split():
        out.append((w, x))
        x += 9 * len(w) + 9
    return out


def labelled(label: str, value: str, *, x: float = 40, value_x: float = 400) -> Row:
    return words(label, x) + [(value, value_x)]


def _number(rng: random.Random, prefix: str) -> str:
    shape = rng.choice(["{p}-{y}-{n:03d}", "{n}/{y}", "{p}{n:05d}", "{y}/{p}/{n}"])
    return shape.format(p=prefix, y=rng.randint(2021, 2025), n=rng.randint(1, 9999))


def _date(rng: random.Random, language: str) -> str:
    d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2021, 2024)
    return f"{d:02d}.{m:02d}.{y}" if language == "de" else f"{d:02d}/{m:02d}/{y}"


@dataclass(frozen=True)
class Layout:
    language: str
    rows: list[Row]
    expected: dict[str, str]


def credit_note(seed: int, language: str) -> Layout:
    """A credit note whose header prints its own number and date, and further down the number of
    the invoice it cancels under a label that names an invoice (a more specific label, in the
    vocabulary's order, than the credit note's own)."""
    rng = random.Random(seed)
    titles, own_labels, quoted_labels, date_labels = CREDIT_NOTES[language]
    own = _number(rng, rng.choice(["NC", "CN", "G", "AV"]))
    quoted = _number(rng, rng.choice(["FT", "INV", "R", "F"]))
    header = [labelled(rng.choice(own_labels), own, value_x=300), labelled(rng.choice(date_labels), _date(rng, language),
                                                                         value_x=300)]
    rng.shuffle(header)
    rows = [words("Studio Bianchi & Partners"), words("Viale Mazzini 4"), words(rng.choice(titles))] + header
    rows += [words(line, 600) for line in PARTY_ROWS[language]]
    rows += [words(rng.choice(QUOTED_HEADINGS[language]))]
    rows += [labelled(rng.choice(quoted_labels), quoted, value_x=300) + words(f"{_date(rng, language)}", 520)]
    rows += [words(rng.choice(["Descrizione", "Description", "Beschreibung", "Désignation"])),
             words("Reso merce difettosa", 40) + [("120,00", 600)]]
    return Layout(language, rows, {"number": own})


def invoice_quoting_an_earlier_one(seed: int, language: str) -> Layout:
    """A balance invoice whose own number sits in the header and which quotes the advance
    invoice it settles under the same label further down."""
    rng = random.Random(seed)
    label = {"it": "Fattura n.", "en": "Invoice no.", "de": "Rechnungsnummer", "fr": "Facture n°"}[language]
    quoted_label = {"it": "Numero fattura", "en": "Invoice number", "de": "Rechnungsnummer", "fr": "Numéro de facture"}[
        language]
    own, quoted = _number(rng, "FT"), _number(rng, "AC")
    title = {"it": "FATTURA", "en": "INVOICE", "de": "RECHNUNG", "fr": "FACTURE"}[language]
    date_label = {"it": "Data", "en": "Date", "de": "Datum", "fr": "Date"}[language]
    rows = [words("Officine Verdi"), words(title), labelled(label, own, value_x=300),
            labelled(date_label, _date(rng, language), value_x=300)]
    rows += [words(line, 600) for line in PARTY_ROWS[language]]
    rows += [words(rng.choice(["Acconto già fatturato", "Advance already invoiced", "Anzahlung", "Acompte"]))]
    rows += [labelled(quoted_label, quoted, value_x=300)]
    return Layout(language, rows, {"number": own})


def _it(value: Decimal) -> str:
    s = f"{value:,.2f}"
    return s.replace(",", "X").replace(".", ",").replace("X", ".")


def _en(value: Decimal) -> str:
    return f"{value:,.2f}"


PER_RATE = {
    # language: (net label, VAT label, total label, amount format, rates)
    "it": ("Imponibile", "IVA", "Totale documento", _it, ["22", "10", "4", "5"]),
    "en": ("Net amount", "VAT", "Total amount due", _en, ["20", "5", "0"]),
    "de": ("Nettobetrag", "USt", "Gesamtbetrag", _it, ["19", "7"]),
}


def per_rate_summary(seed: int, language: str, *, table: bool) -> Layout:
    """A VAT summary with one line (or table row) per rate and no total net; the total printed
    is net + VAT over all rates."""
    rng = random.Random(seed)
    net_label, vat_label, total_label, fmt, rates = PER_RATE[language]
    chosen = rng.sample(rates, k=min(len(rates), rng.randint(2, 3)))
    bases = [Decimal(rng.randint(1000, 400000)) / 100 for _ in chosen]
    vats = [(b * Decimal(r) / 100).quantize(Decimal("0.01")) for b, r in zip(bases, chosen)]
    total = sum(bases, Decimal(0)) + sum(vats, Decimal(0))
    rows = [words("FATTURA" if language == "it" else "INVOICE" if language == "en" else "RECHNUNG"),
            labelled({"it": "Fattura n.", "en": "Invoice no.", "de": "Rechnungsnummer"}[language], _number(rng, "FT")),
            labelled({"it": "Data", "en": "Date", "de": "Datum"}[language], _date(rng, language))]
    rows += [words(rng.choice(["Articolo 1", "Item A", "Pos. 1"])) + [(fmt(bases[0]), 600)]]
    if table:
        rows.append(words({"it": "Aliquota", "en": "Rate", "de": "Satz"}[language]) + words(net_label, 300)
                    + words(vat_label, 520))
        for rate, base, vat in zip(chosen, bases, vats):
            rows.append([(f"{rate}%", 40), (fmt(base), 300), (fmt(vat), 520)])
    else:
        lines = []
        for rate, base, vat in zip(chosen, bases, vats):
            lines.append(words(f"{net_label} {rate}%") + [(fmt(base), 400)])
            lines.append(words(f"{vat_label} {rate}%") + [(fmt(vat), 400)])
        rows += lines
    rows.append(words(total_label) + [(fmt(total), 400)])
    return Layout(language, rows, {"net_amount": f"{sum(bases, Decimal(0)):.2f}",
                                   "vat_amount": f"{sum(vats, Decimal(0)):.2f}", "total_amount": f"{total:.2f}"})
