"""Generated till slips as positioned words (what OCR of a receipt photo gives), in the kinds of
layout users photograph: Italian "documento commerciale", German Kassenbon, Malaysian tax
invoice, British till slip. Each slip says what its fields are, so the receipt rules are tested
on many slips of a kind rather than on one real document.

Knobs, each a kind of difficulty seen on real slips:
- ``logo``: the brand is a graphical logo, so no text line prints it; the name to file is the
  legal name (the first line with a legal form, or the line above the registration number).
- ``legal_at``: where the legal name is printed: "top" (under the logo) or "bottom" (footer).
- ``rounding``: "between" (total, rounding line, rounded total), "unprinted" (total and rounding
  line, the rounded amount not printed), "bare" (the rounded amount under the rounding line
  without a label), or None.
- ``total_label``: "plain", "garbled" (the label lost to OCR, the figure kept) or "none".
- ``total_figure``: "plain", "lost_point" (the total's figure read without its decimal point,
  "1203" for 12.03) or "wild" (a figure no other on the slip can account for, a misread digit
  run) or "misread" (its last digit misread) or "short" (a units digit misread low, 22.25 read
  20.25, so the total is below the lines above it) or "leading" (its first digit misread, 60.31
  read 80.31) or a stroke beside its decimal separator read as a mark of its own: "stray_before"
  ("13/,03"), "stray_after" ("13,/03"), "semicolon" (the comma read ";", "13;03") or "split"
  (a gap read before the separator: the words "13" and ",03"); the label and every other figure
  are printed right.
- ``logo_read``: with a graphical logo, what OCR makes of it: None (nothing), "junk" (a line of
  letters read at a few per cent confidence) or "spaced" (the brand's one word printed
  letter-spaced, read in pairs: "KO RN HA US"; then it is the merchant).
- ``legal_at="none"`` with ``web``: the legal name is not printed at all; the footer prints the
  brand's web address ("www.kornhaus.de"), the only place the slip names it.
- ``tax_line``: the VAT included in the total printed on its own line just above the total, so the
  lines above the total no longer add up to it.
- ``rounding_figure``: "garbled" (the rounding line's adjustment read as junk, "-0,.04" for
  -0.01), with ``rounding="bare"``: only the rounded figure under it says what was paid.
- ``leader``: "junk" (the leader dots between the total's label and its figure read as a word of
  letters at a few per cent confidence, as OCR reads dotted leaders).
- ``cash_label``: "total" (the cash line printed "TOTAL CASH" / "TOTAL TENDERED"), with
  ``total_label="garbled"`` the cash figure is the only one under a total label.
- ``change_figure``: "lost_point" (the change read without its decimal point, "3120"), "unread"
  (the change line lost by OCR altogether) or "garbled" (its label read, its figure not: the
  decimal point read as a colon, "2:75", which no amount reader takes for 2.75).
- ``subtotal``: a "SUB TOTAL (Inc tax)" line over the total, printing the same figure.
- ``date_read``: how OCR read the printed date: "commas" (its dots or slashes read as commas,
  "15,04,24 16:15"), "letter_o" (a zero read as O), "letter_l" (a one read as l; a zero as O
  where the date has no one), "spaced" (a space read after the second separator, "15.04. 2024"),
  "filled_zero" (a 0 whose loop thermal print filled read as 8, where it makes the date impossible:
  "15/84/2024", "15.04.2824"), "slash_seven" / "slash_one" (both separators read as 7 or 1,
  "1570472024"), "slash_lost" (the second separator lost, "15/042024"), "mixed" (the second
  separator read as a comma, "15.04,2024"), "letter_s" / "letter_b" / "letter_z" (a 5, 8 or 2 read
  as S, B or Z; a 2 of the year where the date has no such digit), "short_year_glued" (the
  year printed with two digits and the time glued to it, "15.04.2416:15"), "stroke_bar" /
  "stroke_back" / "stroke_i" (the slashes read as another stroke: "15|04|2024", "15\\04\\2024",
  "15I04I2024"; dates printed with dashes or dots are left alone), "space_second" /
  "space_first" (a faint separator read as a space: "15/04 2024", "15 04/2024"), "space_comma" (the
  first read as a space, the second as a comma, a zero as an O: "15 O4,2024"), "other_separator"
  (the second read as another separator: "15.04/2024", "15/04.2024").
- ``other_date``: a line above the sale's date printing another date: "expiry" (a voucher's or a
  card's validity), "due" (a payment's due date), "printed" (when the slip was printed again),
  "order" (its order's date, days before: "P/O DATE:", "DATA ORDINE", "BESTELLDATUM"), "delivery"
  (its delivery's date, days after: "D/O DATE:", "DATA CONSEGNA", "LIEFERDATUM").
- ``columns``: the items table's column headings printed under the date ("DESCRIZIONE IVA EURO").
- ``printed_again``: how many more lines (0-2) print the sale's date at the foot: with the time
  ("30/03/2018 11:11"), then after the receipt's number ("Cash Bill: 01443008 30/03/2018").
- ``trader``: a sole trader under a logo and a slogan: the name has no legal form, and it is the
  line printed just above the registration (VAT) number.

The address, as the labels take it: its printed lines joined by one space. Its knobs:
- ``street``: "plain", "stopword" (a street or area holding the letters of a word that ends an
  address elsewhere: "INDUSTRIAL", "Hotel", "TELUK"), "bare" (no street word: "Am Anger 3", just
  above the postcode and town).
- ``area``: the address runs over more lines (district, state, country) where the kind prints them.
- ``company_no``: where the company's registration number is printed: "line" (its own line under
  the name), "glued" (in front of the first address line, as OCR merges them), "name" (after the
  name on its line). Only kinds that print one (``company_no`` in their table).
- ``phone``: "label" ("Tel 0…"), "bare" (the number alone) or None, under the address.
- ``after``: what the slip prints under the address: "hours", "bill" (the receipt's number), "title".
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

Row = list[tuple[str, float]]

_KINDS = {
    "it": {
        "columns": "DESCRIZIONE IVA EURO",
        "web": ["FORNARO", "BUONGUSTO"], "tld": "it", "tax": ["DI", "CUI", "IVA", "22%"],
        "brands": ["BAR CENTRALE", "PANIFICIO ROSSI", "FARMACIA SAN MARCO", "TABACCHI LUNA"],
        "legal": ["Rossi Alimentari S.r.l.", "Caffè Aurora S.n.c.", "Distribuzione Nord S.p.A.",
                  "Forno Bianchi S.r.l."],
        "street": ["Via Roma 12", "Corso Italia 45", "Piazza Garibaldi 3", "Viale Europa 101"],
        "town": ["20121 Milano MI", "10121 Torino TO", "40121 Bologna BO"],
        "street_stopword": ["Via dell'Industria 8", "Via Castel Morrone 21", "Viale Telesio 4"],
        "street_bare": ["Largo Augusto 7", "Galleria Mazzini 3"],
        "hours": ["Orario 8:00 - 20:00"], "bill": ["Scontrino n. 0042-0117"], "title": ["DOCUMENTO COMMERCIALE"],
        "phone": "02-5566 7788",
        "registration": "P.IVA 01234567897",
        "traders": ["Panificio di Mario Rossi", "Macelleria Conti Giuseppe", "Tabaccheria Neri Anna"],
        "slogans": ["Il gusto di una volta", "Dal 1962 al vostro servizio"],
        "items": ["CAFFE", "CORNETTO", "ACQUA NAT", "PANINO", "SPREMUTA", "BRIOCHE"],
        "total": ["TOTALE", "COMPLESSIVO"], "rounded": ["TOTALE", "DA", "PAGARE"], "rounding": ["ARROTONDAMENTO"],
        "cash": ["CONTANTI"], "change": ["RESTO"], "card": ["PAGAMENTO", "ELETTRONICO"],
        "date": "{d:%d-%m-%Y} {d:%H:%M}", "decimal": ",",
    },
    "de": {
        "columns": "Artikel Menge EUR",
        "web": ["KORNHAUS", "MARKTKAUF"], "tld": "de", "tax": ["ENTH.", "MWST", "19%"],
        "brands": ["FRISCHEMARKT", "BACKSTUBE KORN", "DROGERIE HELL"],
        "legal": ["Frischemarkt Handels GmbH", "Korn Backwaren GmbH & Co. KG", "Hell Drogerie AG"],
        "street": ["Pohlweg 110", "Warburger Straße 130", "Am Marktplatz 7"],
        "town": ["33100 Paderborn", "44135 Dortmund", "80331 München"],
        "street_stopword": ["Industriestraße 12", "Hotelweg 4", "Gustav-Heinemann-Ring 9"],
        "street_bare": ["Am Anger 3", "Hauptmarkt 5", "Im Gewerbepark 17"],
        "hours": ["Mo.-Sa. 8.00 Uhr - 20.00 Uhr"], "bill": ["Bon-Nr: 4711"], "title": ["KASSENBON"],
        "phone": "0521 123456",
        "registration": "USt-IdNr. DE123456789",
        "traders": ["Backerei Korn Inh. Karl Korn", "Metzgerei Huber e.K.", "Kiosk Yilmaz Inh. A. Yilmaz"],
        "slogans": ["Frisch und lecker", "Ihr Bäcker um die Ecke"],
        "items": ["Milch", "Brot", "Butter", "Bananen", "Joghurt", "Kaffee"],
        "total": ["SUMME", "EUR"], "rounded": ["ZU", "ZAHLEN"], "rounding": ["RUNDUNG"],
        "cash": ["BAR"], "change": ["RUCKGELD"], "card": ["KARTENZAHLUNG"],
        "date": "{d:%d.%m.%Y} {d:%H:%M}", "decimal": ",",
    },
    "my": {
        "columns": "ITEM QTY U/P(RM) AMT (RM)",
        "web": ["MAJUMART", "SEGARMART"], "tld": "com.my", "tax": ["GST", "6%"],
        "brands": ["KEDAI MAJU", "PASARAYA BESTARI", "KEDAI RUNCIT AMAN"],
        "legal": ["MAJU JAYA TRADING SDN BHD", "SRI MELAKA FOOD SDN BHD", "BESTARI RUNCIT SDN. BHD."],
        "street": ["12, JALAN MERANTI 3", "LOT 5, JALAN BESAR", "NO 8, JALAN PERDANA"],
        "town": ["81200 JOHOR BAHRU", "43000 KAJANG", "50000 KUALA LUMPUR"],
        "area": ["TAMAN JOHOR JAYA,", "SEKSYEN 9, BANDAR MAHKOTA CHERAS,", "OFF JALAN PUDU,"],
        "state": ["JOHOR.", "SELANGOR DARUL EHSAN", "MALAYSIA"],
        "street_stopword": ["12, JALAN TAMPOI 7/4, KAWASAN PERINDUSTRIAN TAMPOI,", "LOT 3, JALAN TELUK GADUNG,",
                            "NO 5, JALAN DATARAN 2,"],
        "company_no": ["(562007-D)", "002043319-W", "ROC: 1026984-X", "(0005583085-K)", "CO. REG. NO. 764954"],
        "hours": ["OPEN 10:00 AM - 10:00 PM"], "bill": ["Cash Bill: 01443008"], "title": ["TAX INVOICE"],
        "phone": "07-355 2616",
        "registration": "(562007-D)",
        "traders": ["KEDAI RUNCIT AH SENG", "RESTORAN NASI KANDAR ALI", "KEDAI KOPI HOCK LEE"],
        "slogans": ["Sedap dan Murah", "Since 1985"],
        "items": ["NASI LEMAK", "TEH TARIK", "ROTI CANAI", "MEE GORENG", "KOPI O"],
        "total": ["TOTAL"], "rounded": ["TOTAL", "ROUNDED"], "rounding": ["ROUNDING", "ADJ"],
        "cash": ["CASH"], "change": ["CHANGE"], "card": ["VISA"],
        "date": "DATE: {d:%d/%m/%Y} {d:%H:%M}", "decimal": ".",
    },
    "en": {
        "columns": "DESCRIPTION QTY PRICE",
        "web": ["GROCERLY", "BAKEWELL"], "tld": "co.uk", "tax": ["VAT", "20%"],
        "brands": ["CORNER SHOP", "THE GREEN GROCER", "HIGH ST BAKERY"],
        "legal": ["Corner Retail Ltd", "Green Grocer Trading Limited", "Bakery Partners Ltd"],
        "street": ["14 High Street", "2 Market Road", "77 Station Road"],
        "town": ["Leeds LS1 4AB", "York YO1 7HH", "Bath BA1 1SU"],
        "area": ["Kirkstall", "Old Town", "Castle Industrial Estate"],
        "street_stopword": ["3 Telford Road", "Unit 4, Hotel Street", "9 Dateland Avenue"],
        "hours": ["Open 7:00 - 22:00"], "bill": ["Receipt No: 000123"], "title": ["SALES RECEIPT"],
        "phone": "0113 496 0000",
        "registration": "VAT No GB123456789",
        "traders": ["J. Smith and Sons", "Patel News and Booze", "The Daily Loaf"],
        "slogans": ["Fresh every day", "Family run since 1972"],
        "items": ["MILK 2L", "BREAD", "EGGS 6", "APPLES", "TEA BAGS", "BUTTER"],
        "total": ["TOTAL"], "rounded": ["TOTAL", "TO", "PAY"], "rounding": ["ROUNDING"],
        "cash": ["CASH"], "change": ["CHANGE"], "card": ["CARD"],
        "date": "{d:%d/%m/%Y} {d:%H:%M}", "decimal": ".",
    },
}
KINDS = tuple(_KINDS)


@dataclass
class Slip:
    rows: list[Row]
    fields: dict[str, str] = field(default_factory=dict)
    unsure_rows: set[int] = field(default_factory=set)  # rows OCR read at a few per cent (a logo)


def _money(value: Decimal, decimal: str) -> str:
    text = f"{value:.2f}"
    return text.replace(".", decimal)


def _words(text: str | list[str], x: float = 40) -> Row:
    out: Row = []
    for word in (text.split() if isinstance(text, str) else text):
        out.append((word, x))
        x += 9 * len(word) + 12
    return out


def slip(seed: int, kind: str, *, logo: bool = False, legal_at: str = "top", rounding: str | None = None,
         total_label: str = "plain", payment: str = "cash", trader: bool = False, street: str = "plain",
         area: bool = False, company_no: str | None = None, phone: str | None = "auto",
         after: str | None = None, total_figure: str = "plain", logo_read: str | None = None,
         web: bool = False, tax_line: bool = False, rounding_figure: str = "plain", leader: str | None = None,
         cash_label: str = "plain", change_figure: str = "plain", subtotal: bool = False,
         date_read: str = "plain", columns: bool = False, cash_figure: str = "plain",
         other_date: str | None = None, printed_again: int = 0) -> Slip:
    import datetime as dt

    rng = random.Random(seed)
    k = _KINDS[kind]
    dec = k["decimal"]
    brand, legal = rng.choice(k["brands"]), rng.choice(k["legal"])
    if trader:
        logo, legal_at, legal = True, "top", rng.choice(k["traders"])
    when = dt.datetime(2024, 1, 1, 8) + dt.timedelta(days=rng.randint(0, 300), minutes=rng.randint(0, 600))
    rows: list[Row] = []
    header: list[Row] = []
    # After the name only a bare number ("KEDAI MAJU (562007-D)"); a labelled one has its own line.
    number = rng.choice([n for n in k["company_no"] if company_no != "name" or " " not in n]) if company_no else ""
    # Its own generator, so that slips without these knobs stay what they were for each seed.
    site = random.Random(seed + 7919).choice(k["web"])
    if logo and logo_read == "spaced":
        header.append(_words(" ".join(site[i:i + 2] for i in range(0, len(site), 2))))
    if logo and logo_read == "junk":
        header.append(_words(" ".join("".join(rng.choice("aeilnorstdHLD") for _ in range(rng.randint(3, 8)))
                                      for _ in range(rng.randint(2, 3)))))
    if not logo:
        header.append(_words(brand + (f" {number}" if company_no == "name" and legal_at != "top" else "")))
    if trader:
        header.append(_words(rng.choice(k["slogans"])))
    if legal_at == "top":
        header.append(_words(legal + (f" {number}" if company_no == "name" else "")))
        header.append(_words(k["registration"]))
    if company_no == "line":
        header.append(_words(number))
    address = [rng.choice(k["street" if street == "plain" else f"street_{street}"])]
    if area and "area" in k:
        address.append(rng.choice(k["area"]))
    address.append(rng.choice(k["town"]))
    if area and "state" in k:
        address.append(rng.choice(k["state"]))
    lines = list(address)
    if company_no == "glued":
        lines[0] = f"{number} {lines[0]}"
    header += [_words(line) for line in lines]
    if phone == "auto":
        phone = "label" if legal_at != "top" else None
    if phone == "label":
        header.append(_words("Tel 0" + str(rng.randint(100000000, 999999999))))
    elif phone == "bare":
        header.append(_words(k["phone"]))
    if after:
        header.append(_words(rng.choice(k[after])))
    rows += header
    if other_date:
        # Later than the sale for an expiry or a due date, the next day for a reprint.
        later = when + dt.timedelta(days=OTHER_DATE_DAYS[other_date])
        printed = k["date"].format(d=later).split(" ", 1)[1] if k["date"].startswith("DATE:") else k["date"].format(d=later)
        rows.append(_words(f"{_OTHER_DATES[kind][other_date]} {printed.split()[0]}"))
    rows.append(_words(_misread_date(k["date"].format(d=when), date_read)))
    if columns:
        rows.append(_words(k["columns"]))
    items = [(rng.choice(k["items"]), Decimal(rng.randint(90, 1890)) / 100) for _ in range(rng.randint(2, 6))]
    for name, price in items:
        rows.append(_words(name) + [(_money(price, dec), 500)])
    total = sum((p for _, p in items), Decimal("0"))
    if rounding:
        # Tills round cash payments to the nearest 0.05 (Malaysia, Italy's proposal, Swiss francs).
        rounded = (total / Decimal("0.05")).quantize(Decimal("1"), rounding="ROUND_HALF_UP") * Decimal("0.05")
        if rounded == total:
            total += Decimal("0.02")
            rounded = (total / Decimal("0.05")).quantize(Decimal("1"), rounding="ROUND_HALF_UP") * Decimal("0.05")
        adjustment = rounded - total
    else:
        rounded, adjustment = total, Decimal("0")
    if tax_line:
        rows.append(_words(k["tax"]) + [(_money((total * Decimal("0.18")).quantize(Decimal("0.01")), dec), 500)])
    if subtotal:
        rows.append(_words(["SUB", "TOTAL", "(Inc", "tax)"]) + [(_money(total, dec), 500)])
    label = {"plain": k["total"], "garbled": ["T~T:L"], "none": []}[total_label]
    if leader == "junk":
        label = label + ["acerra"]
    figure = {"plain": _money(total, dec), "lost_point": _money(total, dec).replace(dec, ""),
              "wild": _money(total, dec).replace(dec, "") + "7",
              "misread": _money(total, dec)[:-1] + str((int(_money(total, dec)[-1]) + 3) % 10),
              "short": _money(total - 2, dec),
              "leading": str((int(_money(total, dec)[0]) + 2) % 10 or 1) + _money(total, dec)[1:],
              "stray_before": _money(total, dec).replace(dec, "/" + dec),
              "stray_after": _money(total, dec).replace(dec, dec + "/"),
              "semicolon": _money(total, dec).replace(dec, ";"),
              "split": _money(total, dec).replace(dec, " " + dec)}[total_figure]
    rows.append(_words(label) + list(zip(figure.split(" "), (500, 500 + 9 * len(figure.split(" ")[0]) + 6))))
    if rounding:
        shown = _money(adjustment, dec) if rounding_figure == "plain" else _money(adjustment, dec)[:2] + ",." + "04"
        rows.append(_words(k["rounding"]) + [(shown, 500)])
        if rounding == "between":
            rows.append(_words(k["rounded"]) + [(_money(rounded, dec), 500)])
        elif rounding == "bare":
            rows.append([(_money(rounded, dec), 500)])
    if payment == "cash":
        given = (rounded // 10 + 1) * 10
        cash = _money(given, dec)
        if cash_figure == "misread":  # its first digit read as another ("39.20" for "29.20")
            cash = str((int(cash[0]) + 3) % 10 or 1) + cash[1:]
        rows.append(_words((["TOTAL"] if cash_label == "total" else []) + k["cash"]) + [(cash, 500)])
        back = _money(given - rounded, dec)
        if change_figure != "unread":  # "unread": the change line lost by OCR altogether
            shown = {"lost_point": back.replace(dec, ""), "garbled": back.replace(dec, ":")}.get(change_figure, back)
            rows.append(_words(k["change"]) + [(shown, 500)])
    elif payment == "card":
        rows.append(_words(k["card"]) + [(_money(rounded, dec), 500)])
    # The date printed again at the foot: with the time, then with the receipt's number.
    again = k["date"].format(d=when).removeprefix("DATE: ")
    for line in [again, f"{k['bill'][0]} {again.split()[0]}"][:printed_again]:
        rows.append(_words(line))
    if legal_at == "bottom":
        rows.append(_words(legal))
        rows.append(_words(k["registration"]))
    if web:
        rows.append(_words(f"www.{site.lower()}.{k['tld']}"))
    rows.append(_words("GRAZIE" if kind == "it" else "DANKE" if kind == "de" else "THANK YOU"))
    merchant = (site if legal_at == "none" or logo_read == "spaced" else legal) if logo else brand
    fields = {"total_amount": f"{rounded:.2f}", "date": when.date().isoformat(),
              "merchant_name": merchant, "address": " ".join(address)}
    unsure = {0} if logo and logo_read == "junk" else set()
    if leader == "junk":
        unsure |= {i for i, row in enumerate(rows) if any(text == "acerra" for text, _ in row)}
    return Slip(rows, fields, unsure)


# How each kind's slips name another date than the sale's.
_OTHER_DATES = {
    "it": {"expiry": "BUONO VALIDO FINO AL", "due": "SCADENZA PAGAMENTO", "printed": "STAMPATO IL",
           "order": "DATA ORDINE", "delivery": "DATA CONSEGNA"},
    "de": {"expiry": "GUTSCHEIN GÜLTIG BIS", "due": "FÄLLIG AM", "printed": "KOPIE GEDRUCKT",
           "order": "BESTELLDATUM", "delivery": "LIEFERDATUM"},
    "my": {"expiry": "VOUCHER EXPIRY DATE:", "due": "DUE DATE:", "printed": "PRINTED DATE:",
           "order": "P/O DATE:", "delivery": "D/O DATE:"},
    "en": {"expiry": "POINTS EXPIRE", "due": "PAYMENT DUE", "printed": "REPRINTED",
           "order": "ORDER DATE", "delivery": "DELIVERY DATE"},
}
# How many days after the sale each other date falls (an order's before it).
OTHER_DATE_DAYS = {"expiry": 365, "due": 30, "printed": 1, "order": -3, "delivery": 2}
# A slash and the stroke OCR reads for it.
_STROKES = {"stroke_bar": "|", "stroke_back": "\\", "stroke_i": "I"}
# A digit and the letter OCR reads for it.
_AS_LETTER = {"letter_s": ("5", "S"), "letter_b": ("8", "B"), "letter_z": ("2", "Z")}


def _misread_date(text: str, how: str) -> str:
    """The printed date line as OCR read it (see ``date_read``); the time beside it is kept."""
    import re

    match = re.search(r"\d{1,2}([./-])\d{1,2}\1\d{2,4}", text)
    if how == "plain" or match is None:
        return text
    date = match.group(0)
    if how == "commas":
        date = re.sub(r"[./-]", ",", date)
    elif how == "letter_o" or (how == "letter_l" and "1" not in date):
        date = date.replace("0", "O", 1)
    elif how == "letter_l":
        date = date.replace("1", "l", 1)
    elif how == "spaced":
        cut = max(date.rfind("."), date.rfind("/"), date.rfind("-")) + 1
        date = date[:cut] + " " + date[cut:]
    elif how == "filled_zero":
        day, month, year = re.split(r"[./-]", date)
        seps = re.findall(r"[./-]", date)
        if month.startswith("0"):
            month = "8" + month[1:]  # no month 8x: the month is impossible as read
        else:
            year = year[0] + "8" + year[2:]  # "2824": a year centuries ahead
        date = day + seps[0] + month + seps[1] + year
    elif how in ("slash_seven", "slash_one"):
        date = re.sub(r"[./-]", "7" if how == "slash_seven" else "1", date)
    elif how == "slash_lost":
        cut = max(date.rfind("."), date.rfind("/"), date.rfind("-"))
        date = date[:cut] + date[cut + 1:]
    elif how in ("space_second", "space_first"):
        cut = max(date.rfind("."), date.rfind("/"), date.rfind("-")) if how == "space_second" else \
            min(i for i in (date.find("."), date.find("/"), date.find("-")) if i >= 0)
        date = date[:cut] + " " + date[cut + 1:]
    elif how == "space_comma":
        first = min(i for i in (date.find("."), date.find("/"), date.find("-")) if i >= 0)
        last = max(date.rfind("."), date.rfind("/"), date.rfind("-"))
        date = (date[:first] + " " + date[first + 1:last] + "," + date[last + 1:]).replace("0", "O", 1)
    elif how == "other_separator":
        cut = max(date.rfind("."), date.rfind("/"), date.rfind("-"))
        date = date[:cut] + ("/" if date[cut] != "/" else ".") + date[cut + 1:]
    elif how == "mixed":
        cut = max(date.rfind("."), date.rfind("/"), date.rfind("-"))
        date = date[:cut] + ("," if date[cut] != "," else ".") + date[cut + 1:]
    elif how in _STROKES:
        date = date.replace("/", _STROKES[how])
    elif how == "short_year_glued":
        date = date[:-4] + date[-2:]
        return text[:match.start()] + date + text[match.end():].lstrip(" ")
    elif how in _AS_LETTER:
        digit, letter = _AS_LETTER[how]
        if digit not in date:
            digit, letter = "2", "Z"
        date = date.replace(digit, letter, 1)
    return text[:match.start()] + date + text[match.end():]
