"""What a page's own printing says about where it sits in a document, by kind of document:
whether it ENDS one (an invoice's totals or payment block, a receipt's closing lines, a
signature block) or OPENS one (a letterhead: the issuer's tax id, phone or address, or the kind
of document named in its first lines), and the paper it is printed on.

None of these alone is a boundary: a multi-page invoice repeats its letterhead on every page,
and a contract's clause may say "firma". ``boundaries`` starts a document only where a page
that ends one is followed by a page that opens one, or where the paper itself changes.
"""

from __future__ import annotations

import re

from ..records import Page, Word

# The last lines of a document, by kind. Subtotals carried to the next page ("a riportare",
# "carried forward", "Übertrag") are a page's end, not the document's: they never count.
_ENDS = {
    "totals": re.compile(
        r"\b(totale\s+(documento|fattura|complessivo|da\s+pagare|a\s+pagare|euro|eur)|importo\s+totale|"
        r"netto\s+a\s+pagare|grand\s+total|total\s+(due|amount|payable|eur|incl)|amount\s+(due|payable)|"
        r"balance\s+due|gesamtbetrag|rechnungsbetrag|zahlbetrag|gesamtsumme|endbetrag|zu\s+zahlen|"
        r"summe|totaal|te\s+betalen|montant\s+total|total\s+ttc|net\s+[àa]\s+payer|totale|total)\b", re.I),
    "payment terms": re.compile(
        r"\b(iban|bic|swift|modalit[aà]\s+(di\s+)?pagamento|condizioni\s+di\s+pagamento|scadenza\s+pagamento|"
        r"payment\s+(terms|due|method)|bankverbindung|zahlungsbedingungen|zahlbar\s+(bis|innerhalb)|"
        r"bank\s+(name|details|account)|account\s+(no|number)|conto\s+corrente|kontonummer)\b", re.I),
    "closing lines of a receipt": re.compile(
        r"\b(grazie|arrivederci|thank\s+you|thanks|vielen\s+dank|danke|auf\s+wiedersehen|r[üu]ckgeld|resto|"
        r"gegeben|kartenzahlung|girocard|ec[\s-]?cash|kundenbeleg|tse[\s-]?(signatur|transaktion|seriennummer)?|"
        r"bon[\s-]?nr|beleg[\s-]?nr|beleg\s+aufbewahren|zahlung\s+erfolgt|transazione\s+(eseguita|approvata)|"
        r"copia\s+(cliente|esercente)|customer\s+copy|cardholder\s+copy|approved)\b", re.I),
    "signature block": re.compile(
        r"^\W*(firma|firme|signature|signed|unterschrift|per\s+accettazione|in\s+witness\s+whereof|in\s+fede|"
        r"il\s+legale\s+rappresentante|letto,?\s+(confermato|approvato)\b.*\bsottoscritto|luogo\s+e\s+data|"
        r"ort,?\s+datum|place\s+and\s+date)\b|\bauthori[sz]ed\s+signator(y|ies)\b|\bper\s+accettazione\b", re.I),
    "closing of a letter": re.compile(
        r"\b(cordiali\s+saluti|distinti\s+saluti|mit\s+freundlichen\s+gr[üu](ß|ss)en|yours\s+(sincerely|faithfully)|"
        r"(kind|best)\s+regards)\b", re.I),
}
_CARRIED = re.compile(r"\b(riportar\w*|riporto|carried\s+forward|brought\s+forward|[üu]bertrag|subtotal\w*|"
                      r"zwischensumme|totale\s+pagina|page\s+total|seitensumme)\b", re.I)
# The closing block lies in the last lines of a page (footers and fine print below it); a last
# page may be short, its signature block then half of it.
_END_SHARE, _END_LINES = 0.4, 10
_AMOUNT = re.compile(r"\d[.,]\d{2}(?!\d)")

# A letterhead: who issues the document, printed in its first lines.
_LETTERHEAD = {
    "tax id": re.compile(r"\b(p\.?\s?iva|partita\s+iva|c\.?\s?f\.?|codice\s+fiscale|vat\s*(no|number|reg|id)|"
                         r"ust[\s.-]*id[\s.-]*nr|st[\s.-]*nr|steuer[\s-]?nr|steuernummer|uid)\b", re.I),
    "phone": re.compile(r"\b(tel|telefon|telefono|phone|fax)\b\.?\s*:?\s*[+\d(]", re.I),
    "address": re.compile(r"\b\d{5}\s+[A-ZÄÖÜ][A-Za-zÄÖÜäöüßàèéìòù'-]{2,}"),
    "web or mail address": re.compile(r"\bwww\.\w|\w@\w+\.\w|https?://", re.I),
    # The kind of document named in its first lines ("Handelsrechnung Nr. …", "PAYMENT RECEIPT").
    "the kind of document": re.compile(
        r"\b(\w*rechnung|fattura|invoices?|factuur|facture|factura|bill\s+of|receipt|ricevuta|quittung|scontrino|kassenbon|"
        r"documento\s+commerciale|nota\s+di\s+credito|gutschrift|credit\s+note|contratto|agreement|vertrag)\b", re.I),
}
_HEAD_LINES = 6
_KIND_WORDS = 8

_PAPER_TOLERANCE = 0.05  # scanners crop a few millimetres either way; A4 and Letter differ by 6 %


def _legible(line: list[Word]) -> bool:
    return any(w.conf >= 60 and sum(ch.isalnum() for ch in w.text) >= 2 for w in line)


def _lines(page: Page) -> list[str]:
    return [" ".join(w.text for w in line) for line in page.lines() if _legible(line)]


def ending(page: Page) -> str | None:
    """What closes a document in the last third of the page's lines (totals, payment terms, a
    receipt's closing lines, a signature block), named; None when nothing does."""
    lines = _lines(page)
    tail = lines[-max(_END_LINES, round(len(lines) * _END_SHARE)):]
    for what, pattern in _ENDS.items():
        for line in tail:
            # A total is a label with its amount: "the total duration of …" in a clause is not.
            if pattern.search(line) and not _CARRIED.search(line) and (what != "totals" or _AMOUNT.search(line)):
                return what
    return None


def letterhead(page: Page, before: Page | None = None) -> str | None:
    """What in the page's first lines names its issuer (a tax id, a phone, a postal address) or
    the kind of document; None when the page begins with running text. The kind of document
    printed as the page ``before`` printed it too is a running header ("Master Services
    Agreement" atop every page), not a new document's heading."""
    running = {_plain(line) for line in _lines(before)[:_HEAD_LINES]} if before is not None else set()
    for line in _lines(page)[:_HEAD_LINES]:
        for what, pattern in _LETTERHEAD.items():
            if not pattern.search(line):
                continue
            # A kind of document named in running text ("… under this Agreement …") is no heading.
            if what == "the kind of document" and (len(line.split()) > _KIND_WORDS or _plain(line) in running):
                continue
            return what
    return None


def _plain(line: str) -> str:
    return re.sub(r"[^a-z]", "", line.lower())


def paper(page: Page) -> tuple[float, float] | None:
    """The page's short and long side (units of its reading: points or pixels), None when
    unknown."""
    if page.width <= 0 or page.height <= 0:
        return None
    return min(page.width, page.height), max(page.width, page.height)


def paper_change(before: Page, page: Page) -> str | None:
    """How the paper differs from the page before's, when it does by more than a scanner's crop
    (a receipt after an A4 invoice, Letter after A4). Only scanned pages (OCR) are compared: a
    scanner gives each sheet its size, while a born-digital PDF may well put an A3 plan inside
    an A4 contract."""
    a, b = paper(before), paper(page)
    if a is None or b is None or before.method != "ocr" or page.method != "ocr":
        return None
    if all(abs(x - y) <= _PAPER_TOLERANCE * max(x, y) for x, y in zip(a, b)):
        return None
    ratio = lambda size: f"{size[0] / size[1]:.2f}"  # noqa: E731 - short side over long side
    return f"{round(a[0])}x{round(a[1])} (aspect {ratio(a)}) to {round(b[0])}x{round(b[1])} (aspect {ratio(b)})"
