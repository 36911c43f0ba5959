"""FatturaPA 1.2.x (ordinary ``FatturaElettronica`` and simplified ``FatturaElettronicaSemplificata``)
read into plain values, exactly as the XML states them, and SdI messages recognised.

The XML is the ground truth: nothing here guesses. Net and VAT are the sums of the
``DatiRiepilogo`` lines (one per VAT rate), the total is ``ImportoTotaleDocumento`` where the
seller wrote it. One file may hold several invoices (several ``FatturaElettronicaBody`` under
one header): each body is read on its own, with the header's parties.
"""

from __future__ import annotations

import base64
import binascii
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .xmlsafe import text, texts

ORDINARY = "FatturaElettronica"
SIMPLIFIED = "FatturaElettronicaSemplificata"

# SdI messages (Specifiche tecniche SdI, allegato B): root element -> code and Italian name.
SDI_MESSAGES = {
    "RicevutaConsegna": ("RC", "ricevuta di consegna"),
    "NotificaScarto": ("NS", "notifica di scarto"),
    "NotificaMancataConsegna": ("MC", "notifica di mancata consegna"),
    "NotificaEsito": ("NE", "notifica esito"),
    "NotificaEsitoCommittente": ("EC", "notifica di esito committente"),
    "ScartoEsitoCommittente": ("SE", "scarto esito committente"),
    "NotificaDecorrenzaTermini": ("DT", "notifica di decorrenza termini"),
    "AttestazioneTrasmissioneFattura": ("AT", "attestazione di avvenuta trasmissione con impossibilità di recapito"),
    "MetadatiInvioFile": ("MT", "file dei metadati"),
}

DOCUMENT_TYPES = {
    "TD01": "fattura", "TD02": "acconto/anticipo su fattura", "TD03": "acconto/anticipo su parcella",
    "TD04": "nota di credito", "TD05": "nota di debito", "TD06": "parcella",
    "TD07": "fattura semplificata", "TD08": "nota di credito semplificata", "TD09": "nota di debito semplificata",
    "TD16": "integrazione fattura reverse charge interno", "TD17": "autofattura per acquisto servizi dall'estero",
    "TD18": "integrazione per acquisto di beni intracomunitari", "TD19": "autofattura per acquisto di beni ex art.17 c.2",
    "TD20": "autofattura per regolarizzazione", "TD21": "autofattura per splafonamento",
    "TD22": "estrazione beni da deposito IVA", "TD23": "estrazione beni da deposito IVA con versamento IVA",
    "TD24": "fattura differita (art. 21 c.4 lett. a)", "TD25": "fattura differita (art. 21 c.4 terzo periodo lett. b)",
    "TD26": "cessione di beni ammortizzabili e passaggi interni", "TD27": "autoconsumo o cessioni gratuite senza rivalsa",
    "TD28": "acquisti da San Marino con IVA",
}


@dataclass
class Party:
    name: str | None = None
    vat: str | None = None  # IdPaese + IdCodice, the country written once
    cf: str | None = None
    address: str | None = None


@dataclass
class VatLine:
    rate: str
    taxable: Decimal
    tax: Decimal
    nature: str | None = None  # Natura: why no VAT (N1 … N7)


@dataclass
class Attachment:
    name: str
    data: bytes
    format: str | None = None
    description: str | None = None
    compression: str | None = None


@dataclass
class Line:
    description: str
    quantity: str | None
    unit_price: str | None
    total: str | None
    rate: str | None


@dataclass
class Invoice:
    """One ``FatturaElettronicaBody`` with its header's parties."""

    index: int  # 1-based position in the file
    kind: str  # ORDINARY or SIMPLIFIED
    version: str | None
    document_type: str | None
    number: str | None
    date: str | None
    currency: str | None
    total: Decimal | None
    vendor: Party
    customer: Party
    vat_lines: list[VatLine] = field(default_factory=list)
    causale: str | None = None
    due_dates: list[str] = field(default_factory=list)
    ibans: list[str] = field(default_factory=list)
    payment_amounts: list[str] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    # What legitimately separates the total from net + VAT (withholding tax, stamp duty, pension fund).
    adjustments: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def net(self) -> Decimal | None:
        return sum((v.taxable for v in self.vat_lines), Decimal(0)) if self.vat_lines else None

    @property
    def vat(self) -> Decimal | None:
        return sum((v.tax for v in self.vat_lines), Decimal(0)) if self.vat_lines else None


@dataclass
class SdiMessage:
    code: str  # RC, NS, …
    name: str  # Italian name
    sdi_id: str | None
    file_name: str | None  # the invoice file it concerns
    received_at: str | None
    outcome: str | None
    errors: list[str] = field(default_factory=list)


def kind_of(root: ET.Element) -> str | None:
    """ORDINARY, SIMPLIFIED, "sdi" for an SdI message, or None for any other XML."""
    if root.tag in (ORDINARY, SIMPLIFIED):
        return root.tag
    if root.tag in SDI_MESSAGES:
        return "sdi"
    return None


# -- invoices -------------------------------------------------------------------------------------
def read_invoices(root: ET.Element) -> list[Invoice]:
    header = root.find("FatturaElettronicaHeader")
    bodies = root.findall("FatturaElettronicaBody")
    version = root.get("versione")
    if root.tag == SIMPLIFIED:
        vendor, customer = _simplified_vendor(header), _simplified_customer(header)
        return [_simplified_body(b, i, version, vendor, customer) for i, b in enumerate(bodies, 1)]
    vendor = _party(header.find("CedentePrestatore") if header is not None else None)
    customer = _party(header.find("CessionarioCommittente") if header is not None else None)
    return [_ordinary_body(b, i, version, vendor, customer) for i, b in enumerate(bodies, 1)]


def _party(element: ET.Element | None) -> Party:
    if element is None:
        return Party()
    data = element.find("DatiAnagrafici")
    name = text(data, "Anagrafica/Denominazione") or _person(data, "Anagrafica/")
    return Party(name=name, vat=_vat(data, "IdFiscaleIVA"), cf=text(data, "CodiceFiscale"),
                 address=_address(element.find("Sede")))


def _person(element: ET.Element | None, prefix: str) -> str | None:
    parts = [text(element, prefix + "Titolo"), text(element, prefix + "Nome"), text(element, prefix + "Cognome")]
    joined = " ".join(p for p in parts if p)
    return joined or None


def _vat(element: ET.Element | None, path: str) -> str | None:
    country, code = text(element, path + "/IdPaese"), text(element, path + "/IdCodice")
    if not code:
        return None
    country = (country or "").upper()
    # Some producers repeat the country inside IdCodice (``BE`` + ``BE0477472701``): write it once.
    return code if code.upper().startswith(country) else country + code


def _address(sede: ET.Element | None) -> str | None:
    if sede is None:
        return None
    street = " ".join(p for p in (text(sede, "Indirizzo"), text(sede, "NumeroCivico")) if p)
    town = " ".join(p for p in (text(sede, "CAP"), text(sede, "Comune"),
                                f"({text(sede, 'Provincia')})" if text(sede, "Provincia") else None) if p)
    parts = [p for p in (street, town, text(sede, "Nazione")) if p]
    return ", ".join(parts) or None


def _decimal(value: str | None, problems: list[str], what: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        problems.append(f"{what}: {value!r} is not an amount")
        return None


def _general(body: ET.Element, invoice: Invoice) -> None:
    doc = body.find("DatiGenerali/DatiGeneraliDocumento")
    invoice.document_type = text(doc, "TipoDocumento")
    invoice.number = text(doc, "Numero")
    invoice.date = text(doc, "Data")
    invoice.currency = text(doc, "Divisa")
    causale = texts(doc, "Causale")
    invoice.causale = " ".join(causale) or None
    if doc is not None:
        if doc.find("DatiRitenuta") is not None:
            invoice.adjustments.append("ritenuta")
        if doc.find("DatiBollo") is not None:
            invoice.adjustments.append("bollo")
        if doc.find("DatiCassaPrevidenziale") is not None:
            invoice.adjustments.append("cassa previdenziale")
        if doc.find("ScontoMaggiorazione") is not None:
            invoice.adjustments.append("sconto/maggiorazione")
        if text(doc, "Arrotondamento"):
            invoice.adjustments.append("arrotondamento")


def _attachments(body: ET.Element, invoice: Invoice) -> None:
    for n, element in enumerate(body.findall("Allegati"), 1):
        name = text(element, "NomeAttachment") or f"allegato-{n}"
        raw = "".join((element.findtext("Attachment") or "").split())
        try:
            data = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            invoice.problems.append(f"attachment {name}: its base64 content is damaged")
            continue
        if not data:
            continue
        invoice.attachments.append(Attachment(name=name, data=data, format=text(element, "FormatoAttachment"),
                                              description=text(element, "DescrizioneAttachment"),
                                              compression=text(element, "AlgoritmoCompressione")))


def _ordinary_body(body: ET.Element, index: int, version: str | None, vendor: Party, customer: Party) -> Invoice:
    invoice = Invoice(index=index, kind=ORDINARY, version=version, document_type=None, number=None, date=None,
                      currency=None, total=None, vendor=vendor, customer=customer)
    _general(body, invoice)
    doc = body.find("DatiGenerali/DatiGeneraliDocumento")
    invoice.total = _decimal(text(doc, "ImportoTotaleDocumento"), invoice.problems, "ImportoTotaleDocumento")
    for summary in body.findall("DatiBeniServizi/DatiRiepilogo"):
        taxable = _decimal(text(summary, "ImponibileImporto"), invoice.problems, "ImponibileImporto")
        tax = _decimal(text(summary, "Imposta"), invoice.problems, "Imposta")
        invoice.vat_lines.append(VatLine(rate=text(summary, "AliquotaIVA") or "", taxable=taxable or Decimal(0),
                                         tax=tax or Decimal(0), nature=text(summary, "Natura")))
    for line in body.findall("DatiBeniServizi/DettaglioLinee"):
        invoice.lines.append(Line(description=text(line, "Descrizione") or "", quantity=text(line, "Quantita"),
                                  unit_price=text(line, "PrezzoUnitario"), total=text(line, "PrezzoTotale"),
                                  rate=text(line, "AliquotaIVA")))
    for detail in body.findall("DatiPagamento/DettaglioPagamento"):
        due = text(detail, "DataScadenzaPagamento")
        if due:
            invoice.due_dates.append(due)
        iban = text(detail, "IBAN")
        if iban:
            invoice.ibans.append(iban)
        amount = text(detail, "ImportoPagamento")
        if amount:
            invoice.payment_amounts.append(amount)
    _attachments(body, invoice)
    return invoice


def _simplified_vendor(header: ET.Element | None) -> Party:
    element = header.find("CedentePrestatore") if header is not None else None
    if element is None:
        return Party()
    return Party(name=text(element, "Denominazione") or _person(element, ""), vat=_vat(element, "IdFiscaleIVA"),
                 cf=text(element, "CodiceFiscale"), address=_address(element.find("Sede")))


def _simplified_customer(header: ET.Element | None) -> Party:
    element = header.find("CessionarioCommittente") if header is not None else None
    if element is None:
        return Party()
    ids = element.find("IdentificativiFiscali")
    other = element.find("AltriDatiIdentificativi")
    return Party(name=text(other, "Denominazione") or _person(other, ""), vat=_vat(ids, "IdFiscaleIVA"),
                 cf=text(ids, "CodiceFiscale"), address=_address(other.find("Sede") if other is not None else None))


def _simplified_body(body: ET.Element, index: int, version: str | None, vendor: Party, customer: Party) -> Invoice:
    invoice = Invoice(index=index, kind=SIMPLIFIED, version=version, document_type=None, number=None, date=None,
                      currency=None, total=None, vendor=vendor, customer=customer)
    _general(body, invoice)
    # A simplified invoice states each line's amount VAT included, and the VAT (or the rate) beside it.
    total, by_rate = Decimal(0), {}
    for line in body.findall("DatiBeniServizi"):
        amount = _decimal(text(line, "Importo"), invoice.problems, "Importo") or Decimal(0)
        tax = _decimal(text(line, "DatiIVA/Imposta"), invoice.problems, "Imposta")
        rate = text(line, "DatiIVA/Aliquota")
        if tax is None and rate is not None:
            # Only the rate given: the VAT inside a VAT-included amount.
            r = _decimal(rate, invoice.problems, "Aliquota") or Decimal(0)
            tax = (amount * r / (100 + r)).quantize(Decimal("0.01"))
        tax = tax or Decimal(0)
        total += amount
        key = (rate or "", text(line, "Natura"))
        taxable, vat = by_rate.get(key, (Decimal(0), Decimal(0)))
        by_rate[key] = (taxable + amount - tax, vat + tax)
        invoice.lines.append(Line(description=text(line, "Descrizione") or "", quantity=None, unit_price=None,
                                  total=text(line, "Importo"), rate=rate))
    invoice.vat_lines = [VatLine(rate=r, taxable=t, tax=v, nature=n) for (r, n), (t, v) in by_rate.items()]
    invoice.total = total if body.findall("DatiBeniServizi") else None
    _attachments(body, invoice)
    return invoice


# -- SdI messages -----------------------------------------------------------------------------------
def read_sdi_message(root: ET.Element) -> SdiMessage:
    code, name = SDI_MESSAGES[root.tag]
    errors = [" ".join(p for p in (text(e, "Codice"), text(e, "Descrizione")) if p)
              for e in root.findall("ListaErrori/Errore")]
    return SdiMessage(code=code, name=name, sdi_id=text(root, "IdentificativoSdI"),
                      file_name=text(root, "NomeFile"),
                      received_at=text(root, "DataOraRicezione") or text(root, "DataOraConsegna"),
                      outcome=text(root, "Esito") or text(root, "EsitoCommittente/Esito"), errors=errors)
