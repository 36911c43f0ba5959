"""The human-readable copy of an e-invoice: an Italian HTML page with every field a clerk
looks for, and the same as plain text (the record's searchable text).

The page is self-contained (inline style, no script, no external resource) so that it can be
shown in the web page's preview frame and put in an export as it is. Every value is escaped:
the XML is untrusted input.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from .fatturapa import DOCUMENT_TYPES, Invoice, Party, SdiMessage
from .p7m import SignatureCheck

_STYLE = """body{font-family:sans-serif;font-size:14px;margin:1.5em;color:#222}
h1{font-size:1.3em;margin:0 0 .3em}h2{font-size:1.05em;margin:1.2em 0 .3em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3}.num{text-align:right;white-space:nowrap}.parties{display:flex;gap:2em}
.parties div{flex:1}.ok{color:#155724}.bad{color:#a00;font-weight:bold}.warn{color:#8a6d00}"""


def _money(value: Decimal | str | None, currency: str | None) -> str:
    if value is None:
        return "—"
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
    whole, _, cents = f"{abs(amount):,.2f}".partition(".")
    sign = "-" if amount < 0 else ""
    return f"{sign}{whole.replace(',', '.')},{cents} {currency or ''}".strip()


def _party_html(title: str, party: Party) -> str:
    rows = [("Denominazione", party.name), ("Partita IVA", party.vat), ("Codice fiscale", party.cf),
            ("Sede", party.address)]
    body = "".join(f"<tr><th>{k}</th><td>{escape(v)}</td></tr>" for k, v in rows if v)
    return f"<div><h2>{title}</h2><table>{body}</table></div>"


def signature_lines(checks: list[SignatureCheck]) -> list[tuple[str, str]]:
    """(css class, Italian sentence) per signature."""
    out = []
    for check in checks:
        who = check.signer or "firmatario sconosciuto"
        if check.status == "valid":
            line = f"Firma valida di {who}"
            css = "ok"
        else:
            line = f"Firma NON valida ({check.reason}) — firmatario: {who}"
            css = "bad"
        if check.signer_cf:
            line += f", codice fiscale {check.signer_cf}"
        if check.signing_time:
            line += f", firmata il {check.signing_time.strftime('%d/%m/%Y %H:%M')} UTC"
        if check.valid_from and check.valid_to:
            line += f"; certificato valido dal {check.valid_from:%d/%m/%Y} al {check.valid_to:%d/%m/%Y}"
        if check.trusted is not None:
            line += "; emesso da un certificatore dell'elenco di fiducia" if check.trusted else \
                "; certificatore NON presente nell'elenco di fiducia"
        if check.warnings and css == "ok":
            css = "warn"
        out.append((css, line))
    return out


def document_html(invoices: list[Invoice], *, filename: str, signatures: list[SignatureCheck]) -> str:
    """One page for the whole file: every invoice it holds, one section each."""
    first = invoices[0]
    title = f"{_kind(first).capitalize()} n. {first.number or '—'} del {_date(first.date)}"
    if len(invoices) > 1:
        title = f"{len(invoices)} fatture nel file {filename}"
    parts = [f"<!DOCTYPE html><html lang=\"it\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title>",
             f"<style>{_STYLE}</style></head><body>"]
    for css, line in signature_lines(signatures):
        parts.append(f'<p class="{css}">{escape(line)}</p>')
    if not signatures:
        parts.append("<p>File non firmato digitalmente.</p>")
    for invoice in invoices:
        parts.append(_invoice_section(invoice, filename=filename, count=len(invoices)))
    parts.append("<p><small>Copia leggibile generata da Archivio; l'originale è conservato invariato.</small></p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _kind(invoice: Invoice) -> str:
    return DOCUMENT_TYPES.get(invoice.document_type or "", "documento")


def _invoice_section(invoice: Invoice, *, filename: str, count: int) -> str:
    kind = _kind(invoice)
    title = f"{kind.capitalize()} n. {invoice.number or '—'} del {_date(invoice.date)}"
    cur = invoice.currency
    parts = [f'<section id="fattura-{invoice.index}"><h1>{escape(title)}</h1>',
             f"<p>Tipo documento {escape(invoice.document_type or '—')} ({escape(kind)}) · file {escape(filename)}"
             + (f" · fattura {invoice.index} di {count} nel file" if count > 1 else "")
             + f" · FatturaPA {escape(invoice.version or '')}</p>"]
    parts.append(f'<div class="parties">{_party_html("Cedente / prestatore", invoice.vendor)}'
                 f'{_party_html("Cessionario / committente", invoice.customer)}</div>')
    if invoice.causale:
        parts.append(f"<h2>Causale</h2><p>{escape(invoice.causale)}</p>")
    if invoice.lines:
        rows = "".join(
            f"<tr><td>{escape(line.description)}</td><td class=num>{escape(line.quantity or '')}</td>"
            f"<td class=num>{escape(line.unit_price or '')}</td><td class=num>{escape(line.rate or '')}</td>"
            f"<td class=num>{escape(line.total or '')}</td></tr>" for line in invoice.lines)
        parts.append("<h2>Dettaglio</h2><table><tr><th>Descrizione</th><th>Quantità</th><th>Prezzo unitario</th>"
                     f"<th>IVA %</th><th>Importo</th></tr>{rows}</table>")
    if invoice.vat_lines:
        rows = "".join(
            f"<tr><td class=num>{escape(v.rate)}%</td><td>{escape(v.nature or '')}</td>"
            f"<td class=num>{_money(v.taxable, cur)}</td><td class=num>{_money(v.tax, cur)}</td></tr>"
            for v in invoice.vat_lines)
        parts.append("<h2>Riepilogo IVA</h2><table><tr><th>Aliquota</th><th>Natura</th><th>Imponibile</th>"
                     f"<th>Imposta</th></tr>{rows}</table>")
    totals = [("Imponibile", _money(invoice.net, cur)), ("IVA", _money(invoice.vat, cur)),
              ("Totale documento", _money(invoice.total, cur))]
    parts.append("<h2>Totali</h2><table>" + "".join(f"<tr><th>{k}</th><td class=num>{v}</td></tr>"
                                                    for k, v in totals) + "</table>")
    if invoice.due_dates or invoice.ibans:
        rows = [("Scadenza", ", ".join(_date(d) for d in invoice.due_dates)), ("IBAN", ", ".join(invoice.ibans)),
                ("Importo", ", ".join(invoice.payment_amounts))]
        parts.append("<h2>Pagamento</h2><table>" + "".join(f"<tr><th>{k}</th><td>{escape(v)}</td></tr>"
                                                          for k, v in rows if v) + "</table>")
    if invoice.attachments:
        items = "".join(f"<li>{escape(a.name)}{' — ' + escape(a.description) if a.description else ''}</li>"
                        for a in invoice.attachments)
        parts.append(f"<h2>Allegati</h2><ul>{items}</ul>")
    parts.append("</section>")
    return "\n".join(parts)


def invoice_text(invoice: Invoice, *, signatures: list[SignatureCheck]) -> str:
    """The searchable text: labels in Italian, values as in the XML (P.IVA with and without
    country, so either form finds it)."""
    kind = DOCUMENT_TYPES.get(invoice.document_type or "", "documento")
    lines = [f"{kind.capitalize()} {invoice.document_type or ''} numero {invoice.number or ''} del {invoice.date or ''}"]
    for title, party in (("Cedente/prestatore", invoice.vendor), ("Cessionario/committente", invoice.customer)):
        ids = []
        if party.vat:
            ids.append(f"P.IVA {party.vat} {party.vat[2:] if party.vat[:2].isalpha() and party.vat[2:3].isdigit() else ''}".strip())
        if party.cf:
            ids.append(f"C.F. {party.cf}")
        lines.append(f"{title}: {party.name or ''} {' '.join(ids)} {party.address or ''}".strip())
    if invoice.causale:
        lines.append(f"Causale: {invoice.causale}")
    lines.extend(f"{line.description} {line.total or ''}".strip() for line in invoice.lines)
    for v in invoice.vat_lines:
        lines.append(f"IVA {v.rate}% {v.nature or ''} imponibile {v.taxable} imposta {v.tax}")
    lines.append(f"Imponibile {invoice.net if invoice.net is not None else ''} IVA "
                 f"{invoice.vat if invoice.vat is not None else ''} Totale documento "
                 f"{invoice.total if invoice.total is not None else ''} {invoice.currency or ''}")
    if invoice.due_dates:
        lines.append("Scadenza " + " ".join(invoice.due_dates))
    if invoice.ibans:
        lines.append("IBAN " + " ".join(invoice.ibans))
    lines.extend(f"Allegato {a.name}" for a in invoice.attachments)
    lines.extend(line for _, line in signature_lines(signatures))
    return "\n".join(lines)


def message_text(message: SdiMessage) -> str:
    lines = [f"{message.name.capitalize()} ({message.code}) del Sistema di Interscambio",
             f"IdentificativoSdI {message.sdi_id or ''}", f"File {message.file_name or ''}"]
    if message.received_at:
        lines.append(f"Ricevuto il {message.received_at}")
    if message.outcome:
        lines.append(f"Esito {message.outcome}")
    lines.extend(f"Errore {e}" for e in message.errors)
    return "\n".join(lines)


def _date(iso: str | None) -> str:
    if not iso or len(iso) < 10:
        return iso or "—"
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"
