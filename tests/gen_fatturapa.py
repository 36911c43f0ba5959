"""FatturaPA files and CAdES signatures made by the tests themselves.

``fattura`` writes an ordinary FatturaPA 1.2 (one or more bodies, optional Allegati) or a
simplified one from plain values; ``sign`` wraps bytes in a CAdES-style attached signature
(``cryptography``'s PKCS#7 builder: content type, signing time and message digest as signed
attributes) with a throwaway certificate whose subject carries a codice fiscale, as Italian
qualified certificates do.
"""

from __future__ import annotations

import base64
import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

NS = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"
NS_SIMPLIFIED = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.0"
NS_MESSAGES = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/messaggi/v1.0"


@dataclass
class Body:
    number: str = "FT-2024/0042"
    date: str = "2024-03-15"
    document_type: str = "TD01"
    currency: str = "EUR"
    lines: list[tuple[str, str, str]] = field(default_factory=lambda: [("Consulenza", "22.00", "1000.00")])
    total: str | None = None  # ImportoTotaleDocumento; None: net + VAT
    due_date: str | None = "2024-04-30"
    iban: str | None = "IT60X0542811101000000123456"
    causale: str | None = None
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    withholding: str | None = None  # DatiRitenuta/ImportoRitenuta


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def _party(parent: ET.Element, tag: str, name: str, vat: tuple[str, str] | None, cf: str | None) -> None:
    party = _sub(parent, tag)
    data = _sub(party, "DatiAnagrafici")
    if vat:
        ids = _sub(data, "IdFiscaleIVA")
        _sub(ids, "IdPaese", vat[0])
        _sub(ids, "IdCodice", vat[1])
    if cf:
        _sub(data, "CodiceFiscale", cf)
    _sub(_sub(data, "Anagrafica"), "Denominazione", name)
    if tag == "CedentePrestatore":
        _sub(data, "RegimeFiscale", "RF01")
    sede = _sub(party, "Sede")
    for k, v in (("Indirizzo", "Via Roma 1"), ("CAP", "20100"), ("Comune", "Milano"), ("Nazione", "IT")):
        _sub(sede, k, v)


def _money(value: float) -> str:
    return f"{value:.2f}"


def fattura(bodies: list[Body] | None = None, *, vendor=("Fornitore Esempio S.r.l.", ("IT", "06363391001"), None),
            customer=("Cliente Prova S.p.A.", ("IT", "07973780013"), "07973780013"), declaration: bool = True,
            bom: bool = False) -> bytes:
    bodies = bodies or [Body()]
    root = ET.Element(f"{{{NS}}}FatturaElettronica", {"versione": "FPR12"})
    header = _sub(root, "FatturaElettronicaHeader")
    trasmissione = _sub(header, "DatiTrasmissione")
    ids = _sub(trasmissione, "IdTrasmittente")
    _sub(ids, "IdPaese", "IT")
    _sub(ids, "IdCodice", vendor[1][1] if vendor[1] else "06363391001")
    _sub(trasmissione, "ProgressivoInvio", "abc12")
    _sub(trasmissione, "FormatoTrasmissione", "FPR12")
    _sub(trasmissione, "CodiceDestinatario", "0000000")
    _party(header, "CedentePrestatore", *vendor)
    _party(header, "CessionarioCommittente", *customer)
    for body in bodies:
        element = _sub(root, "FatturaElettronicaBody")
        doc = _sub(_sub(element, "DatiGenerali"), "DatiGeneraliDocumento")
        _sub(doc, "TipoDocumento", body.document_type)
        _sub(doc, "Divisa", body.currency)
        _sub(doc, "Data", body.date)
        _sub(doc, "Numero", body.number)
        if body.withholding:
            ritenuta = _sub(doc, "DatiRitenuta")
            _sub(ritenuta, "TipoRitenuta", "RT01")
            _sub(ritenuta, "ImportoRitenuta", body.withholding)
        net_by_rate: dict[str, float] = {}
        for _, rate, amount in body.lines:
            net_by_rate[rate] = net_by_rate.get(rate, 0.0) + float(amount)
        net = sum(net_by_rate.values())
        vat = sum(round(v * float(r) / 100, 2) for r, v in net_by_rate.items())
        _sub(doc, "ImportoTotaleDocumento", body.total or _money(net + vat))
        if body.causale:
            _sub(doc, "Causale", body.causale)
        goods = _sub(element, "DatiBeniServizi")
        for n, (description, rate, amount) in enumerate(body.lines, 1):
            line = _sub(goods, "DettaglioLinee")
            _sub(line, "NumeroLinea", str(n))
            _sub(line, "Descrizione", description)
            _sub(line, "PrezzoUnitario", amount)
            _sub(line, "PrezzoTotale", amount)
            _sub(line, "AliquotaIVA", rate)
        for rate, value in net_by_rate.items():
            summary = _sub(goods, "DatiRiepilogo")
            _sub(summary, "AliquotaIVA", rate)
            _sub(summary, "ImponibileImporto", _money(value))
            _sub(summary, "Imposta", _money(round(value * float(rate) / 100, 2)))
        if body.due_date or body.iban:
            payment = _sub(element, "DatiPagamento")
            _sub(payment, "CondizioniPagamento", "TP02")
            detail = _sub(payment, "DettaglioPagamento")
            _sub(detail, "ModalitaPagamento", "MP05")
            if body.due_date:
                _sub(detail, "DataScadenzaPagamento", body.due_date)
            _sub(detail, "ImportoPagamento", body.total or _money(net + vat))
            if body.iban:
                _sub(detail, "IBAN", body.iban)
        for name, data in body.attachments:
            allegato = _sub(element, "Allegati")
            _sub(allegato, "NomeAttachment", name)
            _sub(allegato, "Attachment", base64.b64encode(data).decode())
    ET.register_namespace("p", NS)
    data = ET.tostring(root, encoding="utf-8", xml_declaration=declaration)
    return (b"\xef\xbb\xbf" + data) if bom else data


def semplificata(*, number="S-7", date="2024-05-02", amount="122.00", rate="22.00") -> bytes:
    root = ET.Element(f"{{{NS_SIMPLIFIED}}}FatturaElettronicaSemplificata", {"versione": "FSM10"})
    header = _sub(root, "FatturaElettronicaHeader")
    vendor = _sub(header, "CedentePrestatore")
    ids = _sub(vendor, "IdFiscaleIVA")
    _sub(ids, "IdPaese", "IT")
    _sub(ids, "IdCodice", "06363391001")
    _sub(vendor, "Denominazione", "Bar Centrale di Rossi")
    customer = _sub(header, "CessionarioCommittente")
    _sub(_sub(customer, "IdentificativiFiscali"), "CodiceFiscale", "RSSMRA80A01H501U")
    body = _sub(root, "FatturaElettronicaBody")
    doc = _sub(_sub(body, "DatiGenerali"), "DatiGeneraliDocumento")
    for k, v in (("TipoDocumento", "TD07"), ("Divisa", "EUR"), ("Data", date), ("Numero", number)):
        _sub(doc, k, v)
    goods = _sub(body, "DatiBeniServizi")
    _sub(goods, "Descrizione", "Pranzo di lavoro")
    _sub(goods, "Importo", amount)
    _sub(_sub(goods, "DatiIVA"), "Aliquota", rate)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def sdi_message(kind: str, *, file_name: str | None, sdi_id: str = "123456789") -> bytes:
    root = ET.Element(f"{{{NS_MESSAGES}}}{kind}", {"versione": "1.0"})
    _sub(root, "IdentificativoSdI", sdi_id)
    if file_name:
        _sub(root, "NomeFile", file_name)
    _sub(root, "DataOraRicezione", "2024-03-15T10:00:00.000+01:00")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


# -- signing ---------------------------------------------------------------------------------------
@dataclass
class Signer:
    cert: x509.Certificate
    key: object
    ca: x509.Certificate


def make_signer(*, cf: str = "RSSMRA80A01H501U", name: str = "MARIO ROSSI", expired: bool = False,
                curve: bool = False) -> Signer:
    now = dt.datetime.now(dt.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Certificatore di Prova CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=3650))
          .not_valid_after(now + dt.timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1()) if curve else rsa.generate_private_key(65537, 2048)
    start, end = (now - dt.timedelta(days=800), now - dt.timedelta(days=30)) if expired else \
        (now - dt.timedelta(days=30), now + dt.timedelta(days=700))
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name),
                         x509.NameAttribute(NameOID.SERIAL_NUMBER, f"TINIT-{cf}"),
                         x509.NameAttribute(NameOID.COUNTRY_NAME, "IT")])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start).not_valid_after(end)
            .sign(ca_key, hashes.SHA256()))
    return Signer(cert, key, ca)


def sign(data: bytes, signer: Signer, *, encoding: str = "der") -> bytes:
    """An attached CMS signature over ``data`` (DER, or base64 as some senders deliver it)."""
    der = (pkcs7.PKCS7SignatureBuilder().set_data(data).add_signer(signer.cert, signer.key, hashes.SHA256())
           .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary]))
    if encoding == "base64":
        return base64.encodebytes(der)
    return der


def tamper(envelope: bytes, original: bytes, old: bytes, new: bytes) -> bytes:
    """The envelope with ``old`` replaced by ``new`` (same length) inside the signed content."""
    assert len(old) == len(new) and old in original
    return envelope.replace(original, original.replace(old, new, 1), 1)
