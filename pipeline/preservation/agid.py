"""The AgID minimum metadata of a document (Linee guida 2021, Allegato 5), mapped from its record.

One XML file per document. Element names are those of Allegato 5 for the *documento
informatico*; each is filled from what the record knows, and what it does not know is left
out rather than invented. Fields Allegato 5 has no place for (amounts, IBAN, due date…) follow
in ``AltriDati`` so that nothing the record knows is lost on the way to the conservator.

Mapping, in short:
  IdDoc/ImprontaCrittografica   SHA-256 of the original (its id in the archive), algorithm SHA-256
  ModalitaDiFormazione          "b": acquired (a scan or a received file), never created here
  TipologiaDocumentale          Fattura / Scontrino o ricevuta / Contratto / Altro
  DatiDiRegistrazione           flow E/U (received/issued: the producer's P.IVA decides), no
                                protocol register, date = filing day, number = invoice number
  Soggetti                      vendor/merchant (Mittente), customer (Destinatario), contract
                                parties (Altro), producer (Produttore), each with name, CF, P.IVA
  VersioneDelDocumento          the record version; TracciatureModificheDocumento from its history
  Riservato                     [preservation] confidential
  TempoDiConservazione          years of the retention rule, and the retain-until date
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

from .. import __version__
from ..config import PreservationSettings, RetentionSettings
from ..records import Record
from ..store.retention import rule_for

NS = "urn:archivio:agid:metadati-documento-informatico:2021"
ET.register_namespace("agid", NS)
TYPES = {"invoice": "Fattura", "receipt": "Scontrino o ricevuta", "contract": "Contratto", "other": "Altro"}
# Fields written in their own Allegato 5 elements; the rest go to AltriDati.
_MAPPED = {"number", "date", "vendor_name", "vendor_vat", "vendor_cf", "customer_name", "customer_vat",
           "customer_cf", "merchant_name", "parties", "document_type"}


def _el(parent: ET.Element, name: str, text: Any = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, f"{{{NS}}}{name}", {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        node.text = str(text)
    return node


def subjects(record: Record, producer: PreservationSettings) -> list[dict[str, str]]:
    """Every person or organisation the record names, with role, name, CF and P.IVA where known."""
    f = record.field_value
    out: list[dict[str, str]] = []

    def add(role: str, name: Any, vat: Any = None, cf: Any = None) -> None:
        if not (name or vat or cf):
            return
        entry = {"role": role}
        if name:
            entry["name"] = str(name)
        if vat:
            entry["vat"] = str(vat)
        if cf:
            entry["cf"] = str(cf)
        out.append(entry)

    if record.doc_class == "invoice":
        add("Mittente", f("vendor_name"), f("vendor_vat"), f("vendor_cf"))
        add("Destinatario", f("customer_name"), f("customer_vat"), f("customer_cf"))
    elif record.doc_class == "receipt":
        add("Mittente", f("merchant_name") or f("vendor_name"), f("vendor_vat"), f("vendor_cf"))
    elif record.doc_class == "contract":
        for party in f("parties") or []:
            add("Altro", party)
    add("Produttore", producer.producer_name, producer.producer_vat, producer.producer_cf)
    return out


def flow(record: Record, producer: PreservationSettings) -> str:
    """E (in entrata: received), U (in uscita: issued by the producer), I (interno)."""
    vendor = (record.field_value("vendor_vat") or "").upper().removeprefix("IT")
    mine = producer.producer_vat.upper().removeprefix("IT")
    return "U" if mine and vendor == mine else "E"


def metadata_xml(record: Record, producer: PreservationSettings, policy: RetentionSettings, *,
                 files: dict[str, str], retain_until: dt.datetime | None) -> bytes:
    """The document's metadata file; ``files`` maps role ("original", "copy") to its package path."""
    f = record.field_value
    root = ET.Element(f"{{{NS}}}DocumentoInformatico")
    ident = _el(root, "IdDoc")
    imprint = _el(ident, "ImprontaCrittografica")
    _el(imprint, "Impronta", record.sha256)
    _el(imprint, "Algoritmo", "SHA-256")
    _el(ident, "Identificativo", record.id)
    _el(root, "ModalitaDiFormazione", "b")  # acquisizione: Archivio never forms a document itself
    _el(root, "TipologiaDocumentale", TYPES.get(record.doc_class, "Altro"))
    if f("document_type"):
        _el(root, "TipoDocumento", f("document_type"))
    reg = _el(root, "DatiDiRegistrazione")
    _el(reg, "TipologiaDiFlusso", flow(record, producer))
    _el(reg, "TipoRegistro", "Nessuno")
    _el(reg, "DataRegistrazione", (record.filed_at or record.ingested_at).isoformat())
    number = f("number")
    _el(reg, "NumeroDocumento", number if number else record.id)
    who = _el(root, "Soggetti")
    for s in subjects(record, producer):
        node = _el(who, "Ruolo", tipo=s["role"])
        kind = "PG" if s.get("vat") or (s.get("cf", "")[:1].isdigit()) else "PF" if s.get("cf") else "AS"
        subject = _el(node, "Soggetto", tipo=kind)
        if "name" in s:
            _el(subject, "DenominazioneOrganizzazione" if kind != "PF" else "Nominativo", s["name"])
        if "cf" in s:
            _el(subject, "CodiceFiscale", s["cf"])
        if "vat" in s:
            _el(subject, "PartitaIva", s["vat"])
    key = _el(root, "ChiaveDescrittiva")
    date = f("date") or f("agreement_date")
    counterpart = f("vendor_name") or f("merchant_name") or ", ".join(f("parties") or [])
    subject_line = " ".join(filter(None, [TYPES.get(record.doc_class, "Documento"),
                                          f"n. {number}" if number else None, f"del {date}" if date else None,
                                          f"— {counterpart}" if counterpart else None]))
    _el(key, "Oggetto", subject_line)
    if date:
        _el(root, "DataDocumento", date)
    attachments = list(record.parts)
    if attachments:
        att = _el(root, "Allegati")
        _el(att, "NumeroAllegati", len(attachments))
        for part in attachments:
            _el(_el(att, "IndiceAllegati"), "IdDoc", part)
    if record.parent is not None:
        _el(root, "IdentificativoDocumentoPrimario", record.parent.id, relazione=record.parent.relation)
    _el(root, "Riservato", "true" if producer.confidential else "false")
    fmt = _el(root, "IdentificativoDelFormato")
    _el(fmt, "Formato", record.media_type)
    product = _el(fmt, "ProdottoSoftware")
    _el(product, "NomeProdotto", "Archivio")
    _el(product, "VersioneProdotto", record.pipeline_version or __version__)
    check = _el(root, "Verifica")
    _el(check, "FirmatoDigitalmente", "false")
    _el(check, "SigillatoElettronicamente", "false")
    _el(check, "MarcaturaTemporale", "false")
    _el(check, "ConformitaCopieImmagineSuSupportoInformatico", "false")
    _el(root, "NomeDelDocumento", record.source.filename)
    _el(root, "VersioneDelDocumento", record.version)
    changes = [h for h in record.history if h.action in ("corrected", "reviewed")]
    if changes:
        tracking = _el(root, "TracciatureModificheDocumento")
        for h in changes:
            node = _el(tracking, "Modifica")
            _el(node, "TipoModifica", "rettifica" if h.action == "corrected" else "convalida")
            _el(node, "SoggettoAutoreDellaModifica", h.by)
            _el(node, "DataModifica", h.at.isoformat())
            _el(node, "Campi", ", ".join(sorted(k for k in h.changes if k != "note")))
    rule = rule_for(policy, record)
    keep = _el(root, "TempoDiConservazione", rule.years if rule.years > 0 else 9999)
    keep.set("regola", rule.describe())
    if retain_until is not None:
        _el(root, "ConservazioneFinoAl", retain_until.date().isoformat())
    extra = _el(root, "AltriDati")
    for name in sorted(record.fields):
        if name in _MAPPED:
            continue
        value = record.fields[name].value
        if value in (None, "", []):
            continue
        _el(extra, "Campo", "; ".join(value) if isinstance(value, list) else value, nome=name)
    _el(extra, "Classe", record.doc_class)
    _el(extra, "Lingua", record.language) if record.language else None
    _el(extra, "Pagine", record.pages)
    _el(extra, "DaRivedere", "true" if record.needs_review else "false")
    _el(extra, "AffidabilitaClasse", f"{record.class_confidence:.3f}")
    if record.pages_ocr:
        _el(extra, "PagineOCR", record.pages_ocr)
    if record.ocr_confidence is not None:
        _el(extra, "AffidabilitaOCR", f"{record.ocr_confidence:.1f}")
    for reason in record.review_reasons:
        _el(extra, "MotivoRevisione", reason)
    for warning in record.warnings:
        _el(extra, "Avviso", warning)
    if record.archive_copy is not None:
        _el(extra, "CopiaDiArchivio", record.archive_copy.format or record.archive_copy.media_type,
            impronta=record.archive_copy.sha256)
    _el(extra, "Cartella", record.source.folder) if record.source.folder else None
    _el(extra, "RicevutoIl", record.source.received_at.isoformat())
    file_list = _el(root, "File")
    for role, path in files.items():
        _el(file_list, "Percorso", path, ruolo=role)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
