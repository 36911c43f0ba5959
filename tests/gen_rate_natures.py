"""Generated invoice layouts whose VAT summary has rows without VAT: an exempt, non-taxable or
out-of-scope base printed with its nature ("N4", "Esente art. 10 DPR 633/72", "Non imponibile
art. 8", "Exempt", "steuerfrei") beside the taxed rates, and no total net printed. The document's
net is the sum of every row's base, the nature rows included; its VAT the sum of the taxed rows.

Two layouts: a table ("Aliquota | Natura | Imponibile | Imposta", one row per rate or nature)
and lines ("Imponibile 22% … / Esente art. 10 … "). Natures, labels, amounts, the number of
rows and where the nature rows fall are drawn from pools by a seed. ``rows`` is what
``test_extract_reading.page`` turns into a page.
"""

from __future__ import annotations

import random
from decimal import Decimal

from gen_invoices_multi import Layout, _date, _en, _it, _number, labelled, words

NATURES = {
    "it": ["N4 Esente art. 10 DPR 633/72", "Esente art. 10", "N4", "N3.1 Non imponibile art. 8",
           "Non imponibile art. 8 c.1 lett. a", "N2.2 Non soggette", "N1 Escluse ex art. 15",
           "Fuori campo IVA art. 2", "N6.3 Inversione contabile", "Operazioni esenti art. 10 n. 18"],
    "en": ["Exempt", "Zero-rated", "Outside the scope of VAT", "Exempt (Article 132)", "Reverse charge"],
    "de": ["steuerfrei § 4 Nr. 14 UStG", "Steuerfrei", "nicht steuerbar", "Reverse-Charge § 13b UStG"],
}
# language: (title, number label, date label, rate heading, nature heading, net label, VAT label,
#            total label, amount format, taxed rates)
WORDS = {
    "it": ("FATTURA", "Fattura n.", "Data", "Aliquota", "Natura", "Imponibile", "Imposta", "Totale documento",
           _it, ["22", "10", "5", "4"]),
    "en": ("INVOICE", "Invoice no.", "Date", "Rate", "Nature", "Net amount", "VAT", "Total amount due",
           _en, ["20", "5"]),
    "de": ("RECHNUNG", "Rechnungsnummer", "Datum", "Satz", "Art", "Nettobetrag", "USt", "Gesamtbetrag",
           _it, ["19", "7"]),
}


def summary_with_natures(seed: int, language: str, *, table: bool) -> Layout:
    rng = random.Random(seed)
    title, number_label, date_label, rate_head, nature_head, net_label, vat_label, total_label, fmt, rates = \
        WORDS[language]
    taxed = rng.sample(rates, k=rng.randint(1, min(2, len(rates))))
    natures = rng.sample(NATURES[language], k=rng.randint(1, 2))
    rows_data = [(f"{r}%", "", r) for r in taxed] + [("0%", n, "0") for n in natures]
    rng.shuffle(rows_data)
    bases = [Decimal(rng.randint(1000, 400000)) / 100 for _ in rows_data]
    vats = [(b * Decimal(r) / 100).quantize(Decimal("0.01")) for b, (_, _, r) in zip(bases, rows_data)]
    total = sum(bases, Decimal(0)) + sum(vats, Decimal(0))
    rows = [words(title), labelled(number_label, _number(rng, "FT")), labelled(date_label, _date(rng, language))]
    rows.append(words(rng.choice(["Consulenza", "Services", "Leistungen"])) + [(fmt(bases[0]), 600)])
    if table:
        rows.append(words(rate_head) + words(nature_head, 140) + words(net_label, 560) + words(vat_label, 760))
        for (rate, nature, _), base, vat in zip(rows_data, bases, vats):
            row = [(rate, 40)] + (words(nature, 140) if nature else [])
            rows.append(row + [(fmt(base), 560), (fmt(vat), 760)])
    else:
        for (rate, nature, _), base, vat in zip(rows_data, bases, vats):
            if nature:
                rows.append(words(nature) + [(fmt(base), 560)])
            else:
                rows.append(words(f"{net_label} {rate}") + [(fmt(base), 560)])
                rows.append(words(f"{vat_label} {rate}") + [(fmt(vat), 560)])
    rows.append(words(total_label) + [(fmt(total), 560)])
    return Layout(language, rows, {"net_amount": f"{sum(bases, Decimal(0)):.2f}",
                                   "vat_amount": f"{sum(vats, Decimal(0)):.2f}", "total_amount": f"{total:.2f}"})
