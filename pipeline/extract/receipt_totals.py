"""How a receipt's total is told from what a till prints around it, as OCR reads it.

receipt.py weighs a slip's figures; these rules each settle one kind of line on their own:

- A rate inside a total's label: tills print the rate of the tax a total includes ("Total Sales
  Inclusive GST @6% 18.80") and tax lines under a total's label ("Total incl. GST 6%: 1.42").
  At a rate of nothing there is no tax to print: tills of a country that zero-rated its sales tax
  (Malaysia's GST at 0 % from June 2018) kept the label and print "Total Sales Inclusive GST
  @0.00%" over the amount paid, whatever larger figure (a discount, a misread item) is above it.
- Lines that are the net: a label that says the tax is left out, read by OCR past the
  vocabulary's ignore list ("Total Salas (Excluding GST)"), and a tax summary's "Total" row that
  prints the net beside its tax.
- Money glued to its currency whose leading digits OCR read as letters ("TOTAL RMS:00"); credits
  printed in brackets, with the minus before the currency or after the figure ("(0.02)",
  "-RM0.02", "0.02-").
- A tax table's sum row ("Gesamt <net> <tax> <gross>"): the gross is the total, not the net.
- Where the total labels are lost: the figure the subtotal and the charges, tax, discount and
  rounding under it come to.
- What was paid: a card line charges exactly the total; cash minus change names the total even
  where OCR read its decimal point as a colon ("29:75").
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from ..records import Word
from .amounts import find_amounts
from .labelled import Candidate, Reading
from .layout import Layout

# A rate as tills print it and OCR reads it: "6%", "@6 %", "0.00%", "0,00%", "@0 00%" (the point
# read as a space), "10.5%".
RATE = re.compile(r"(?<![\d.,])(\d{1,2})(?:(?:[.,]|\s)(\d{1,2}))?\s?%")


def rates(text: str) -> list[Decimal]:
    """The rates printed in ``text``, in order."""
    return [Decimal(f"{whole}.{cents or '0'}") for whole, cents in RATE.findall(text)]


def zero_rated(label: str) -> bool:
    """The text before a total's figure prints a rate, and every rate it prints is zero."""
    found = rates(label)
    return bool(found) and not any(found)


# A total's label that says the tax is left out names the net, not the amount paid: "Total Sales
# (Excluding GST)", "Total Excl. of GST", "Totale imponibile", "Summe ohne MwSt", "Total HT". Such
# labels are in the vocabulary's ignore list, but OCR misreads them by a letter ("Total Salas
# (Excluding GST)", "Total Exol. of GST", "Exci.", "Exel.", "Exduding") and the plain "total" left
# over then labels the net. The "ex…" word is matched as OCR reads it: "ex", a c/o/e/d/k, then an
# l or i ("excl", "exol", "exci", "exel", "exkl"), or "exdu" ("cl" read as "d").
_EXCLUDING = re.compile(r"\bex(?:[cdeok][li1|]|du)|\b(?:before|sebelum|senza|ohne|imponibile|ht|hors)\b",
                        re.IGNORECASE)
_INCLUDING = re.compile(r"\bin(?:cl|kl|clusive)|\bcompres|\btermasuk\b", re.IGNORECASE)


def names_the_net(label: str) -> bool:
    """The text before a total's figure says the tax is excluded (and nothing says included)."""
    return bool(_EXCLUDING.search(label)) and not _INCLUDING.search(label)


def without_net_totals(layout: Layout, found: dict[str, list]) -> dict[str, list]:
    """The labelled candidates without the totals that are the net: a line whose label names the
    net (``names_the_net``), or a tax summary's "Total" row, which prints the net and its tax side
    by side ("Total 95.17 5.71": the tax is a rate the slip prints of the figure read; at a zero
    rate the net is what was paid and the row stays). A figure read under its label (not beside it)
    is kept: its line is the label's, not the figure's."""
    totals = found.get("total_amount")
    if not totals:
        return found
    printed = {rate for span in layout.spans() for rate in rates(span.text) if rate}
    kept = [_gross_of_its_row(c) for c in totals
            if not (c.beside and (names_the_net(c.span.text.split(c.reading.raw)[0]) or _net_beside_its_tax(c, printed)))]
    return found if kept == totals else {**found, "total_amount": kept}


def _gross_of_its_row(c):
    """A tax table's sum row read under a total's label takes the row's first figure, the net:
    "Gesamt 94,26 6,60 100,86" (net, tax, gross, as German and British tills print the table).
    Where the figures after it on its line add up with it to the last one, the last is the
    gross, what was paid: the candidate reads that instead."""
    after = [(value, raw) for value, raw, _ in find_amounts(c.span.text.rpartition(c.reading.raw)[2])]
    if not c.beside or len(after) < 2 or not _WITH_CENTS.search(c.reading.raw) \
            or not all(_WITH_CENTS.search(raw) for _, raw in after):
        return c
    gross, raw = after[-1]
    if c.reading.value <= 0 or c.reading.value + sum(v for v, _ in after[:-1]) != gross:
        return c
    return replace(c, reading=replace(c.reading, value=gross, raw=raw))


# Money as tills print it: with its cents (a credit "-" after them).
_WITH_CENTS = re.compile(r"\d[.,]\s?\d\d-?$")


def _net_beside_its_tax(c, printed: set[Decimal]) -> bool:
    """The candidate's figure is followed on its line by one figure, its tax at a rate the slip
    prints (to the cent either way: tills round the tax per line)."""
    after = [(value, raw) for value, raw, _ in find_amounts(c.span.text.rpartition(c.reading.raw)[2])]
    if len(after) != 1 or not _WITH_CENTS.search(c.reading.raw) or not _WITH_CENTS.search(after[0][1]):
        return False
    net, tax = c.reading.value, after[0][0]
    return 0 < tax < net and any(abs(net * rate / 100 - tax) <= _CENT for rate in printed)


_CENT = Decimal("0.011")


# A figure glued to its currency ("RM5.00", "$8.20") whose first digits OCR read as letters, the
# glyphs of a till's font that look alike: "RMS.00" / "RMS:00" (5), "RMO.40" (0), "RMl2.50" (1),
# "RMB.90" (8). Read as they are, such tokens lose the figure ("RMS. 30" reads as 30, "RMO. 40"
# as 40); money is printed with cents, so only a run followed by a decimal point (or a colon read
# for one) counts, with its cents or the cents as the next word ("RMS. 00").
_GLUED = re.compile(r"^(RM|\$)([0-9OoSIl|BZ]{1,4})[.,:](\d{2})?$")
_LOOK_ALIKE = str.maketrans({"O": "0", "o": "0", "S": "5", "I": "1", "l": "1", "|": "1", "B": "8", "Z": "2"})


def _glued_figure(text: str) -> str | None:
    """The token with its figure's letters read as the digits they look like, or None."""
    m = _GLUED.match(text)
    if m is None or m.group(2).isdigit():
        return None
    separator = "," if "," in text[len(m.group(1)) + len(m.group(2)):][:1] else "."
    return f"{m.group(1)}{m.group(2).translate(_LOOK_ALIKE)}{separator}{m.group(3) or ''}"


# A stroke of worn or dotted print beside a figure's decimal separator read as a mark of its own
# ("13/,03", "13,/03"), or the comma read as a semicolon ("13;03"): the amount reader took the
# figure for its whole part alone ("13"). Never a slash or a colon alone: "13/03" is a date,
# "13:03" a time.
_STRAY = re.compile(r"^(\d{1,6})(?:[/|\\'`]([.,])|([.,])[/|\\'`]|;)(\d\d)$")
# The figure's cents read as a word of their own after a gap OCR put before the separator ("13" ",03").
_WHOLE, _CENTS = re.compile(r"^\d{1,6}$"), re.compile(r"^[.,]\d\d$")
# The OCR confidence at most of a figure read through a stray mark.
_MARKED = 40.0


def _stray_mark_figure(text: str) -> str | None:
    m = _STRAY.match(text)
    if m is None:
        return None
    return f"{m.group(1)}{m.group(2) or m.group(3) or ','}{m.group(4)}"


def _cents_apart(page, word) -> Word | None:
    """The word right after ``word`` on its line when it is the figure's cents with their
    separator, no further from it than a character is wide."""
    after = [w for w in page.words if w.line == word.line and w.x0 > word.x0]
    if not _WHOLE.match(word.text) or not after:
        return None
    cents = min(after, key=lambda w: w.x0)
    wide = (word.x1 - word.x0) / len(word.text)
    return cents if _CENTS.match(cents.text) and cents.x0 - word.x1 <= wide else None


def money_as_printed(layout: Layout) -> Layout:
    """The reading with currency-glued figures, credits and figures broken at their separator read
    as printed (``_GLUED``, ``_sign_read_as_digit``, ``_credit``, ``_STRAY``, ``_cents_apart``);
    the same layout when there is none. The pages are copies: the record's text keeps what OCR
    read."""
    changed = False
    pages = []
    for page in layout.pages:
        signed = [(w, m.group(1)) for w in page.words if (m := _DOLLAR.match(w.text))]
        words, joined = [], set()
        for word in page.words:
            if id(word) in joined:
                continue
            fixed = _glued_figure(word.text) or _sign_read_as_digit(word, signed) or _credit(word.text) \
                or _stray_mark_figure(word.text)
            cents = _cents_apart(page, word) if fixed is None else None
            if cents is not None:
                joined.add(id(cents))
                words = [w for w in words if w is not cents]
                words.append(replace(word, text=word.text + cents.text, x1=cents.x1, conf=min(word.conf, cents.conf)))
                changed = True
            elif fixed is not None and (fixed[-1].isdigit() or _cents_follow(page, word)):
                # The mark may have been a digit that lost strokes ("137,03" read "13/,03"): a
                # figure read through one is not read surely, whatever OCR's confidence in it.
                doubt = fixed == _stray_mark_figure(word.text)
                words.append(replace(word, text=fixed, conf=min(word.conf, _MARKED) if doubt else word.conf))
                changed = True
            else:
                words.append(word)
        pages.append(replace(page, words=words, alternate=None))
    return Layout(pages) if changed else layout


# A credit (a discount, a rounding down, a returned deposit) as tills print it besides "-0.02":
# in brackets, "(0.02)", "(RM0.02)", or its minus before the currency, "-RM0.02", "-£2.50". The
# amount reader takes both for positive figures, and a rounding or discount read so puts every
# total the slip's figures come to out by twice the credit.
# A minus after the figure ("0.02-") the amount reader takes, but not the label reader, which
# reads a label's figure without what follows it: written before the figure, it is read either way.
_CREDIT = re.compile(r"^(?:\((RM|\$|£|€|EUR)?(\d{1,6}[.,]\d\d)\)|-(RM|\$|£|€|EUR)(\d{1,6}[.,]\d\d)"
                     r"|(RM|\$|£|€|EUR)?(\d{1,6}[.,]\d\d)-)$")


def _credit(text: str) -> str | None:
    m = _CREDIT.match(text)
    if m is None:
        return None
    at = next(i for i in (2, 4, 6) if m.group(i))
    return f"{m.group(at - 1) or ''}-{m.group(at)}"


# A till that prints "$" before its figures: OCR reads the sign as a 5, an S or an 8 now and then
# ("Nett Total: 58.20" under "Total Amount: $8.20"). Read so only where the till printed the sign
# at least twice, the same figure is printed with its sign elsewhere, and the figure as read is not
# what the signed figures above it add up to ("$8.20" and "$50.00" over a total of 58.20).
_DOLLAR = re.compile(r"^\$(\d{1,4}[.,]\d\d)$")
_SIGN_AS_DIGIT = re.compile(r"^[5S8](\d{1,4}[.,]\d\d)$")


def _sign_read_as_digit(word, signed: list) -> str | None:
    m = _SIGN_AS_DIGIT.match(word.text)
    if m is None or len(signed) < 2 or not any(figure == m.group(1) for _, figure in signed):
        return None
    above = sum((_figure(figure) for w, figure in signed if w.y1 <= word.y0), Decimal("0"))
    as_read = _figure(word.text.replace("S", "5"))
    return None if as_read == above else f"${m.group(1)}"


def _figure(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def _cents_follow(page, word) -> bool:
    """The word after ``word`` on its line is the two digits of the cents ("RMS. 00")."""
    after = [w for w in page.words if w.line == word.line and w.x0 > word.x0]
    return bool(after) and re.fullmatch(r"\d{2}", min(after, key=lambda w: w.x0).text) is not None


# The tendered labels (config/fields.toml [receipt.tendered]) that name a card: a card is charged
# exactly what is paid, with no change, so its line states the total a second time.
CARD_LABELS = frozenset({
    "pagamento elettronico", "bancomat", "carta di credito", "visa", "mastercard", "master card", "card",
    "credit card", "debit card", "carte bancaire", "ec cash", "elec cash", "electronic cash", "girocard",
    "kartenzahlung", "kreditkarte", "ec karte"})


def charged_to_card(value: Decimal, found_in: list[dict[str, list]]) -> bool:
    """Some reading of the slip read a card line charging ``value`` (read with its cents, no rate
    before it): the payment confirms that total, whichever reading read the total's own line."""
    return any(c.label in CARD_LABELS and c.reading.value == value and _WITH_CENTS.search(c.reading.raw)
               and "%" not in c.span.text.partition(c.reading.raw)[0]
               for found in found_in for c in found.get("tendered", []))


def paid_with_a_colon(text: str, paid: Decimal) -> str | None:
    """``paid`` printed in ``text`` with its decimal point read as a colon ("TOTAL PAYABLE: 29:75",
    small print) or lost ("AMOUNT DUE RM5995": a point lost between figures glued to their
    currency, which no amount reader takes for 59.95), or None. Only the figure cash minus change
    already says, and never part of a time of three parts ("12:49:00")."""
    whole, cents = f"{paid:.2f}".split(".")
    m = re.search(rf"(?<![\d:.,]){whole}:{cents}(?![\d:])", text) \
        or re.search(rf"(?<![\d.,:]){whole}{cents}(?![\d.,:])", text)
    return m.group(0) if m else None


def running_total(figures: list[Decimal]) -> int | None:
    """Where a slip whose total labels OCR lost prints its total: ``figures`` are the last money
    figure of each line, in order. The first figure that is the sum of two or more lines above
    it is the subtotal; a till then prints what it adds or takes off (service charge, sales tax
    on top, a discount, the rounding adjustment) and the total they come to: the first later
    figure that is the subtotal plus the adjustments between ("SUB TOTAL 92.48 / SVC CHG 10% 9.25
    / GST 6% 6.10 / ROUNDING 0.02 / 107.85"). The index of that figure, else of the subtotal (the
    total where nothing is added), else None. An adjustment is smaller than the subtotal: a cash
    line ends the search."""
    for end in range(2, len(figures)):
        sub = figures[end]
        if sub <= 0 or sub != sum(figures[:end]):
            continue
        running = sub
        for index in range(end + 1, min(end + 7, len(figures))):
            figure = figures[index]
            if index > end + 1 and figure == running:
                return index
            if abs(figure) >= sub:
                break
            running += figure
        return end
    return None


def _money_lines(layout: Layout, raw: str) -> tuple[list[Decimal], int | None]:
    """Each line's last figure printed with cents, in order, and the index among them of the
    first line that prints ``raw`` (None if none does)."""
    figures: list[Decimal] = []
    at = None
    for span in layout.spans():
        found = find_amounts(span.text) if span.words else []
        money = [value for value, r, _ in found if _WITH_CENTS.search(r)]
        if at is None and any(r == raw for _, r, _ in found) and money:
            at = len(figures)
        if money:
            figures.append(money[-1])
    return figures, at


def lines_add_up_to(layout: Layout) -> Decimal | None:
    """The total the slip's money lines add up to (``running_total``; or the sum of the lines
    above a line of included tax, printed just over it), or None when they add up to nothing."""
    figures, _ = _money_lines(layout, "")
    at = running_total(figures)
    if at is not None:
        return figures[at]
    # A line of the tax the total includes printed between the items and their total ("di cui
    # IVA 22% 2,16"): the total is the sum of the lines above that one.
    for end in range(3, len(figures)):
        if 0 < figures[end - 1] < figures[end] == sum(figures[:end - 1]):
            return figures[end]
    return None


def chain_total(layout: Layout, total_raw: str, value: Decimal) -> Decimal | None:
    """What the lines above the total's line say it is: the subtotal (a figure that is the sum of
    two or more item lines above it) plus every figure printed between it and the total's line
    (service charge, tax on top, discounts, rounding), each smaller than the subtotal; without a
    subtotal, the sum of the lines above where none prints ``value`` (the total as read). None
    where the total's line is not found."""
    # The first line printing it: a total is repeated below (a payment line, "Nett Total"), not above.
    lines, at = _money_lines(layout, total_raw)
    if at is None:
        return None
    figures = lines[:at]
    for end in range(2, len(figures)):
        sub = figures[end]
        if sub <= 0 or sub != sum(figures[:end]):
            continue
        running = sub
        for f in figures[end + 1:]:
            if abs(f) >= sub:
                # A total above the total's line ("TOTAL 149.71 / BALANCE DUE 149.91"): what the
                # subtotal and the lines under it came to there, or nothing to go by.
                return f if f == running else None
            running += f
        return running
    # No subtotal: the item lines (and deposits, discounts) straight above the total add up to it,
    # unless one of them prints the total as read (a subtotal whose items did not add up).
    if len(figures) >= 2 and value not in figures:
        return sum(figures, Decimal("0"))
    return None


def table_grosses(layout: Layout) -> set[Decimal]:
    """The gross of each tax table row that prints the net, the tax and the gross side by side
    ("B 7% 117,93 8,25 126,18", "A 20% 10.00 2.00 12.00"), or the net and its tax at the rate it
    prints ("SR @ 6% 68.30 4.10"): a statement of the total where the table has one rate."""
    out = set()
    for span in layout.spans():
        money = [value for value, raw, _ in find_amounts(span.text) if _WITH_CENTS.search(raw)]
        if len(money) >= 3 and 0 < money[-2] < money[-3] and money[-3] + money[-2] == money[-1]:
            out.add(money[-1])
        elif len(money) >= 2 and 0 < money[-1] < money[-2] and any(
                abs(money[-2] * rate / 100 - money[-1]) <= _CENT for rate in rates(span.text) if rate):
            out.add(money[-2] + money[-1])  # "SR @ 6% 68.30 4.10": the net and its tax at the printed rate
    return out


def one_digit_apart(a: Decimal, b: Decimal, raw: str | None = None) -> bool:
    """The two figures differ in one digit, as a misread digit makes them ("19.16" and "19.46");
    ``raw``: ``a`` as read, whose digits count as printed ("03.25" is "83.25" with its 8 misread)."""
    x = re.sub(r"\D", "", raw) if raw and re.search(r"\d[.,]\d\d", raw) else f"{a:.2f}".replace(".", "")
    y = f"{b:.2f}".replace(".", "").lstrip("-")
    return len(x) == len(y) and sum(p != q for p, q in zip(x, y)) == 1


_FIVE_CENTS = Decimal("0.05")


def says(figure: Decimal, value: Decimal) -> bool:
    """``figure`` states the total ``value``: the same, or what a till that rounds cash to 5 cents
    rounds it to (the items' sum and the tax table say 54.41, the slip's total 54.40)."""
    if figure == value:
        return True
    rounded = (figure / _FIVE_CENTS).quantize(Decimal("1"), rounding="ROUND_HALF_UP") * _FIVE_CENTS
    return value % _FIVE_CENTS == 0 and rounded == value


def restated(value: Decimal, statements: list[set[Decimal]]) -> Decimal | None:
    """The total two of the slip's other statements of it agree on, where none says ``value``:
    ``statements`` are what each independent source says (cash minus change, the card or
    exact-cash line, the subtotal and the lines under it, the tax table's gross). A figure misread
    on the total's line is likelier than two other printed lines misread to the same figure."""
    if any(says(figure, value) for said in statements for figure in said):
        return None
    counts: dict[Decimal, int] = {}
    for said in statements:
        for figure in said:
            counts[figure] = counts.get(figure, 0) + 1
    agreed = [figure for figure, n in counts.items() if n >= 2 and figure > 0]
    return agreed[0] if len(agreed) == 1 else None


# A line of nothing but a money figure, with its currency perhaps: "58,13", "RM 72.40", "$12.30".
_LONE_FIGURE = re.compile(r"^(?:RM|EUR|€|\$|£)?\s?(-?\d{1,6}[.,]\d\d)$")


def figures_under_labels(layout: Layout, found: dict[str, list], hits: list) -> dict[str, list]:
    """The total read from the line right under its label where the label stands alone on its
    line and the till printed the figure there, at the roll's right edge ("TOTALE EURO" /
    "58,13"): the label reader looks under the label's own columns, and finds nothing there or a
    figure of a line further down (a tax table's net). ``hits``: the total's (rank, label hit)s."""
    totals = list(found.get("total_amount", []))
    changed = False
    for rank, hit in hits:
        if find_amounts(layout.right(hit).text):
            continue  # a figure beside the label: the label reader read it
        under = layout.following(hit, 1)
        m = _LONE_FIGURE.match(under[0].text.strip()) if under else None
        if m is None:
            continue
        value = Decimal(m.group(1).replace(",", "."))
        kept = [c for c in totals if c.hit is not hit]
        totals = kept + [Candidate("total_amount", rank, hit.order, Reading(value, m.group(1)), under[0], False,
                                   hit.label, hit)]
        changed = True
    return {**found, "total_amount": totals} if changed else found
