"""Generated till slips with the totals blocks and payment sections the other generators lack,
as tills in Malaysia, the UK, the US, Italy and Germany print them, each slip drawing its own mix
of traits (``Slip.traits``) so a sweep over many seeds tells which KINDS the total rules miss.

Traits drawn per slip (``slip(seed, country, **force)`` fixes any of them):
- ``block``: the totals block (``BLOCKS[country]``): Malay labels ("JUMLAH", "TUNAI", "BAKI"), a
  service charge and tax over the net total, a discount under the subtotal, "AMOUNT DUE", the
  total with its figure on the line under its label, the rounding adjustment printed negative,
  bottle deposits charged and returned ("Pfand", "Leergut"), "TOTAL TO PAY", "BALANCE DUE", a tip line,
  "TOT. EURO", "Gesamtsumme"/"Bonsumme", …;
- ``payment``: cash with change, exact cash, card, or none printed;
- ``card_slip``: the card terminal's slip printed under the receipt ("AMOUNT RM12.30",
  "Betrag EUR 12,34"), with its own "TOTAL" and "APPR CODE" lines;
- ``summary``: the tax summary under the payment (the net, the tax and, on some tills, the gross);
- ``qty``: a total count line ("Total Qty: 4", "Posten: 4") above the totals;
- ``sign``: the currency glued to the figures ("RM12.30", "£12.30", "$12.30") or apart;
- ``minus``: how a discount or a rounding down is printed: "-0.02", "0.02-" or "(0.02)".

``damage`` (never drawn, only forced) is what OCR does to the text of the total's line, for the
rule tests: "none", "label_lost" (the label read as junk), "point_lost" ("1230" for 12.30),
"label_misread" (one letter of the label misread: "T0TAL", "JUMIAH"), "digit_misread" (one
digit of the total's figure misread, as OCR does on faded print in every reading).

Totals as the dev corpus's README says: the amount paid, after rounding and discounts; the
service charge and tax are part of it; a tip written on a card slip by hand is not printed.
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

from gen_slips import WIDTH, Slip

COUNTRIES = ("my", "uk", "us", "it", "de")

_HEADS = {
    "my": ["KEDAI RUNCIT SRI JAYA SDN BHD", "(812345-A)", "NO 3, JALAN KENANGA 2,", "43000 KAJANG, SELANGOR",
           "GST ID : 000812345678", "TAX INVOICE", "DATE: 14/05/2018 13:05", "CASHIER: 02"],
    "uk": ["HOLLYBROOK STORES LTD", "12 Market Street", "Bath BA1 1SU", "VAT No: GB 123 4567 89",
           "14/05/2023 13:05", "Till 3  Op 117"],
    "us": ["CORNER MARKET #118", "455 MAIN ST", "SPRINGFIELD, IL 62701", "(217) 555-0134",
           "05/14/2023 1:05 PM", "REG 02 CSHR 07"],
    "it": ["BOTTEGA ROSSI S.R.L.", "VIA ROMA 12", "20121 MILANO (MI)", "P.IVA 01234567890",
           "DOCUMENTO COMMERCIALE", "di vendita o prestazione", "14-05-2023 13:05"],
    "de": ["Kornhaus Backwaren GmbH", "Am Marktplatz 7", "33100 Paderborn", "USt-IdNr.: DE123456789",
           "14.05.2023 13:05", "Bon-Nr: 4711"],
}
_ITEMS = {
    "my": ["NASI LEMAK", "TEH TARIK", "A4 PAPER 70GSM", "CABLE TIE 8\"", "MILO 3IN1", "MINERAL WATER"],
    "uk": ["SEMI SKIMMED MILK", "BROWN BREAD", "BANANAS LOOSE", "CHEDDAR 400G", "TEA BAGS 80"],
    "us": ["COFFEE LG", "BAGEL EVRYTHG", "OJ 12OZ", "PAPER TOWELS", "AA BATTERIES"],
    "it": ["CAFFE", "CORNETTO", "ACQUA NAT 0,5L", "PANINO", "SPREMUTA"],
    "de": ["Milch 3,5%", "Brot", "Butter", "Bananen", "Joghurt"],
}
# The legal name each head prints (the merchant, as the dev corpus's README labels it).
_MERCHANTS = {"my": "KEDAI RUNCIT SRI JAYA SDN BHD", "uk": "HOLLYBROOK STORES LTD", "us": "CORNER MARKET #118",
              "it": "BOTTEGA ROSSI S.R.L.", "de": "Kornhaus Backwaren GmbH"}
_CURRENCY = {"my": "RM", "uk": "£", "us": "$", "it": "EUR", "de": "EUR"}
_DECIMAL = {"my": ".", "uk": ".", "us": ".", "it": ",", "de": ","}

# Totals blocks: (lines, what was paid). Each gets the gross of the items and the helpers in ``_Ctx``.
BLOCKS = {
    "my": ["jumlah", "jumlah_besar", "svc_gst", "discount", "amount_due", "label_above", "rounding_negative",
           "total_incl_rounded", "total_rm_colon", "net_payable"],
    "uk": ["total_to_pay", "balance_due", "multisave", "total_gbp"],
    "us": ["sales_tax", "amount_due_us", "tip_line", "balance_due_us"],
    "it": ["tot_euro", "sconto", "importo_pagato", "totale_label_above"],
    "de": ["gesamtsumme", "pfand", "bonsumme", "zu_zahlen_table"],
}


class _Ctx:
    def __init__(self, country: str, sign: str, minus: str = "lead"):
        self.country, self.sign, self.minus = country, sign, minus
        self.dec = _DECIMAL[country]
        self.cur = _CURRENCY[country]

    def m(self, value: Decimal, *, signed: bool = False) -> str:
        text = f"{abs(value):.2f}".replace(".", self.dec)
        if signed and self.sign == "glued":
            text = f"{self.cur}{text}"
        if value >= 0:
            return text
        return {"lead": f"-{text}", "trail": f"{text}-", "paren": f"({text})"}[self.minus]

    def row(self, left: str, value: Decimal, *, signed: bool = True) -> str:
        figure = self.m(value, signed=signed)
        if self.sign == "apart" and signed and self.cur in "£$":
            figure = f"{self.cur} {figure}"
        gap = max(1, WIDTH - len(left) - len(figure))
        return left + " " * gap + figure


def _q(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _round5(value: Decimal) -> Decimal:
    return (value / Decimal("0.05")).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * Decimal("0.05")


def _block(name: str, c: _Ctx, gross: Decimal, rng: random.Random) -> tuple[list[str], Decimal]:
    """The totals block's lines and the amount paid."""
    r = c.row
    if name == "jumlah":
        total = _round5(gross)
        lines = [r("JUMLAH", gross)] if total == gross else [
            r("JUMLAH", gross), r("PELARASAN", total - gross), r("JUMLAH BAYARAN", total)]
        return lines, total
    if name == "jumlah_besar":
        tax = _q(gross * 6 / 100)
        total = gross + tax
        return [r("JUMLAH KECIL", gross), r("SST 6%", tax), r(f"JUMLAH BESAR ({c.cur})", total)], total
    if name == "svc_gst":
        svc = _q(gross * 10 / 100)
        gst = _q((gross + svc) * 6 / 100)
        exact = gross + svc + gst
        total = _round5(exact)
        lines = [r("Sub Total", gross), r("Svc Chg 10%", svc), r("GST 6%", gst)]
        if total != exact:
            lines.append(r("Rounding", total - exact))
        return lines + [r("Net Total", total)], total
    if name == "discount":
        off = _q(gross * rng.choice([5, 10, 20]) / 100)
        total = _round5(gross - off)
        lines = [r("SUB TOTAL", gross), r("DISCOUNT", -off)]
        if total != gross - off:
            lines.append(r("ROUNDING ADJ", total - (gross - off)))
        return lines + [r("TOTAL", total)], total
    if name == "amount_due":
        total = _round5(gross)
        return [r("TOTAL", gross), r("ROUNDING", total - gross), r(f"AMOUNT DUE ({c.cur})", total)], total
    if name == "label_above":
        total = _round5(gross)
        return ["TOTAL AMOUNT PAYABLE (RM) :", r("", total).strip().rjust(WIDTH)], total
    if name == "rounding_negative":
        total = (gross * 20).to_integral_value(rounding="ROUND_FLOOR") / 20
        return [r("Total Sales Incl GST", gross), r("Rounding Adjustment", total - gross),
                r("Total Payable", total)], total
    if name == "total_incl_rounded":
        gst = _q(gross * 6 / 106)
        total = _round5(gross)
        return [r("Total Amt Excl GST", gross - gst), r("GST Payable", gst), r("Total Amt Incl GST", gross),
                r("Rounding Adj", total - gross), r("Total Amt Rounded", total)], total
    if name == "total_rm_colon":
        total = _round5(gross)
        return [f"TOTAL (RM) : {c.m(total)}", f"ROUNDING : {c.m(Decimal('0.00'))}"] if total == gross else [
            f"TOTAL (RM) : {c.m(gross)}", f"ROUNDING : {c.m(total - gross)}", f"NET TOTAL (RM) : {c.m(total)}"], total
    if name == "net_payable":
        total = _round5(gross)
        return [r("Gross Amount", gross), r("Rounding", total - gross), r("Net Payable", total)], total
    if name == "total_to_pay":
        saved = _q(gross * 10 / 100)
        total = gross - saved
        return [r("SUBTOTAL", gross), r("Savings", -saved), r("TOTAL TO PAY", total),
                r("Total Savings", saved)], total
    if name == "balance_due":
        return [r(f"{rng.randint(2, 7)} BALANCE DUE", gross)], gross
    if name == "multisave":
        saved = _q(gross * 15 / 100)
        return [r("MULTISAVE", -saved), r("TOTAL", gross - saved), "YOU SAVED " + c.m(saved, signed=True)], gross - saved
    if name == "total_gbp":
        vat = _q(gross / 6)
        return [r("TOTAL GBP", gross), r("VAT 20% INCLUDED", vat)], gross
    if name == "sales_tax":
        tax = _q(gross * Decimal("8.25") / 100)
        return [r("SUBTOTAL", gross), r("SALES TAX 8.25%", tax), r("TOTAL", gross + tax)], gross + tax
    if name == "amount_due_us":
        tax = _q(gross * Decimal("6.5") / 100)
        return [r("SUB TOTAL", gross), r("TAX 1 @ 6.5%", tax), r("AMOUNT DUE", gross + tax)], gross + tax
    if name == "tip_line":
        tax = _q(gross * 7 / 100)
        return [r("Subtotal", gross), r("Tax", tax), r("Total", gross + tax), "Tip: ________",
                "Total: ________"], gross + tax
    if name == "balance_due_us":
        tax = _q(gross * 5 / 100)
        return [r("SUBTOTAL", gross), r("TAX", tax), r("TOTAL", gross + tax), r("BALANCE DUE", gross + tax)], gross + tax
    if name == "tot_euro":
        tax = _q(gross * 22 / 122)
        return [r("TOT. EURO", gross), r("di cui IVA", tax)], gross
    if name == "sconto":
        off = _q(gross * 10 / 100)
        tax = _q((gross - off) * 22 / 122)
        return [r("SUBTOTALE", gross), r("SCONTO", -off), r("TOTALE COMPLESSIVO", gross - off),
                r("DI CUI IVA", tax)], gross - off
    if name == "importo_pagato":
        tax = _q(gross * 10 / 110)
        return [r("TOTALE COMPLESSIVO", gross), r("DI CUI IVA", tax), r("IMPORTO PAGATO", gross)], gross
    if name == "totale_label_above":
        return ["TOTALE EURO", r("", gross).strip().rjust(WIDTH)], gross
    if name == "gesamtsumme":
        return [r("Gesamtsumme", gross)], gross
    if name == "pfand":
        deposit = Decimal(rng.choice(["0.25", "0.75", "1.50", "3.10"]))
        returned = Decimal(rng.choice(["0.25", "0.50", "1.25"]))
        total = gross + deposit - returned
        return [r("Pfand", deposit), r("Leergut", -returned), r("SUMME", total)], total
    if name == "bonsumme":
        return [r("Bonsumme", gross)], gross
    if name == "zu_zahlen_table":
        return [r("Zu zahlen", gross)], gross
    raise ValueError(name)


_CARD = {"my": "VISA", "uk": "VISA DEBIT", "us": "VISA", "it": "PAGAMENTO ELETTRONICO", "de": "EC-Karte"}
_CASH = {"my": "CASH", "uk": "CASH", "us": "CASH TEND", "it": "PAGAMENTO CONTANTE", "de": "Gegeben BAR"}
_CHANGE = {"my": "CHANGE", "uk": "CHANGE DUE", "us": "CHANGE DUE", "it": "RESTO", "de": "Rückgeld"}
_MALAY_PAY = ("TUNAI", "BAKI")


def slip(seed: int, country: str, **force: str) -> Slip:
    rng = random.Random(seed * 7 + COUNTRIES.index(country))
    traits: dict[str, str] = {"kind": country}

    def draw(trait: str, options: list[str]) -> str:
        traits[trait] = force.get(trait, rng.choice(options))
        return traits[trait]

    block = draw("block", BLOCKS[country])
    sign = draw("sign", ["apart", "glued", "none"] if country in ("my", "uk", "us") else ["none"])
    # Drawn apart so that adding it left every other trait of a seed as it was.
    traits["minus"] = force.get("minus", random.Random(seed + 7919).choice(["lead", "lead", "trail", "paren"]))
    c = _Ctx(country, sign, traits["minus"])
    lines = list(_HEADS[country])
    qty_at = draw("qty", ["none", "above"])
    gross = Decimal("0")
    count = 0
    for _ in range(rng.randint(2, 6)):
        qty = rng.randint(1, 3)
        price = Decimal(rng.randint(90, 2990)) / 100
        gross += price * qty
        count += qty
        name = rng.choice(_ITEMS[country])
        lines.append(c.row(f"{qty} {name}" if qty > 1 else name, price * qty, signed=False))
    lines.append("-" * WIDTH)
    if qty_at == "above":
        lines.append({"my": f"Total Qty: {count}", "uk": f"{count} ITEMS", "us": f"ITEMS {count}",
                      "it": f"N. PEZZI {count}", "de": f"Posten: {count}"}[country])
    block_lines, total = _block(block, c, gross, rng)
    damage = force.get("damage", "none")
    traits["damage"] = damage
    block_lines = _damaged(block_lines, damage, c, total, rng)
    lines += block_lines
    payment = draw("payment", ["cash", "exact", "card", "none"])
    due = total
    malay = block.startswith("jumlah")
    if payment == "cash":
        given = (due // 10 + 1) * 10
        cash, change = _MALAY_PAY if malay else (_CASH[country], _CHANGE[country])
        lines += [c.row(cash, given), c.row(change, given - due)]
    elif payment == "exact":
        lines.append(c.row(_MALAY_PAY[0] if malay else _CASH[country], due))
    elif payment == "card":
        lines.append(c.row(_CARD[country], due))
    card_slip = draw("card_slip", ["no", "no", "yes"]) == "yes" and payment == "card"
    traits["card_slip"] = "yes" if card_slip else "no"
    summary = draw("summary", ["no", "yes"])
    if summary == "yes":
        lines += _summary(country, c, total, block)
    if card_slip:
        lines += _card_slip(country, c, due)
    lines.append({"my": "TERIMA KASIH", "uk": "THANK YOU FOR SHOPPING", "us": "THANK YOU",
                  "it": "GRAZIE E ARRIVEDERCI", "de": "Vielen Dank"}[country])
    return Slip(lines, {"total_amount": f"{total:.2f}", "merchant_name": _MERCHANTS[country],
                        "date": "2018-05-14" if country == "my" else "2023-05-14"}, traits)


def _summary(country: str, c: _Ctx, total: Decimal, block: str) -> list[str]:
    if country == "my":
        tax = _q(total * 6 / 106)
        return ["GST SUMMARY   AMOUNT(RM)   TAX(RM)", f"SR @ 6%        {c.m(total - tax)}     {c.m(tax)}"]
    if country == "uk":
        vat = _q(total / 6)
        return ["VAT RATE    NET     VAT    TOTAL", f"A 20%  {c.m(total - vat)}  {c.m(vat)}  {c.m(total)}"]
    if country == "us":
        return []
    if country == "it":
        tax = _q(total * 22 / 122)
        return ["ALIQUOTA  IMPONIBILE  IMPOSTA", f"22%  {c.m(total - tax)}  {c.m(tax)}"]
    tax = _q(total * 7 / 107)
    return ["MwSt  Netto  MwSt  Brutto", f"B 7%  {c.m(total - tax)}  {c.m(tax)}  {c.m(total)}",
            f"Gesamt  {c.m(total - tax)}  {c.m(tax)}  {c.m(total)}"]


def _card_slip(country: str, c: _Ctx, amount: Decimal) -> list[str]:
    if country == "de":
        return ["- Kundenbeleg -", "Kartenzahlung", "girocard", f"Betrag EUR {c.m(amount)}", "Terminal-ID 12345678",
                "Zahlung erfolgt"]
    if country == "it":
        return ["RICEVUTA DI PAGAMENTO", "ACQUISTO", f"IMPORTO EUR {c.m(amount)}", "COD. AUT. 123456", "TRANSAZIONE ESEGUITA"]
    return ["**** CUSTOMER COPY ****", "SALE", f"AMOUNT {c.cur}{c.m(amount)}", "APPR CODE: 004512",
            f"TOTAL {c.cur}{c.m(amount)}", "NO SIGNATURE REQUIRED"]


# One letter of a label as OCR misreads it.
_MISREADS = {"O": "0", "L": "I", "T": "I", "A": "4", "S": "5", "E": "F", "U": "V", "o": "0", "l": "1", "a": "e"}


def _damaged(lines: list[str], damage: str, c: _Ctx, total: Decimal, rng: random.Random) -> list[str]:
    if damage == "none":
        return lines
    index = max((i for i, line in enumerate(lines) if c.m(total) in line), default=None)
    if index is None:
        return lines
    line = lines[index]
    figure = c.m(total)
    at = line.rfind(figure)
    label, rest = line[:at].rstrip(), line[at:]
    if damage == "label_lost":
        label = "~- ," if label.strip() else label
    elif damage == "point_lost":
        rest = rest.replace(figure, figure.replace(c.dec, ""))
    elif damage == "digit_misread":
        digits = [i for i, ch in enumerate(figure) if ch.isdigit()]
        i = rng.choice(digits)
        wrong = str((int(figure[i]) + rng.choice([1, 2, 3, 5, 7])) % 10)
        rest = rest.replace(figure, figure[:i] + wrong + figure[i + 1:])
    elif damage == "label_misread":
        spots = [i for i, ch in enumerate(label) if ch in _MISREADS]
        if spots:
            i = rng.choice(spots)
            label = label[:i] + _MISREADS[label[i]] + label[i + 1:]
    else:
        raise ValueError(damage)
    lines = list(lines)
    lines[index] = (label + " " * max(1, len(line) - len(label) - len(rest)) + rest) if label else rest.rjust(WIDTH)
    return lines
