"""An XML or .p7m file in, the pipeline's ``Analysis`` out — fields from the XML, not from OCR.

- FatturaPA: every field as the XML states it, checked by the same validators as a scan's;
  body 1 is the record of the file, bodies 2…n and the ``Allegati`` become documents of their
  own at filing; an Italian HTML copy is made.
- SdI message (receipt, notification): class ``other``, with the invoice file it concerns.
- Any other XML: class ``other``, archived with its text.
- .p7m: opened, its signatures checked, and its content read as whatever it is (FatturaPA,
  PDF, image…); a broken signature puts the document up for review, it never loses it.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from ..config import Settings
from ..errors import ReadError, UnsupportedFileError
from ..extract import CHECKED, REQUIRED, validate
from ..parts import BodyPart, Derived, ExtractedFile
from ..records import Classification, ExtractedField
from . import fatturapa, render
from .detect import P7M, looks_like_xml
from .p7m import SignatureCheck, load_trust_list, open_envelope
from .xmlsafe import all_text, parse


def analyse_einvoice(path: Path, media_type: str, settings: Settings, *, today: dt.date | None = None):
    from ..process import Analysis  # the pipeline's own result type (process imports us)

    started = time.monotonic()
    data = path.read_bytes()
    signatures: list[SignatureCheck] = []
    if media_type == P7M:
        envelope = open_envelope(data, trust=_trust(settings), path=path.name)
        signatures, data = envelope.signatures, envelope.content
        if not looks_like_xml(data[:1024]):
            return _analyse_wrapped(data, path, settings, signatures, today, started)
    parts = _analyse_xml(data, path.name, today or dt.date.today(), signatures)
    return Analysis(seconds=round(time.monotonic() - started, 3), media_type=media_type, **parts)


def _trust(settings: Settings):
    path = settings.einvoice.trust_list
    return load_trust_list(path) if path else None


# -- signatures ----------------------------------------------------------------------------------
def signature_fields(checks: list[SignatureCheck]) -> tuple[dict[str, ExtractedField], list[str], list[str]]:
    """Fields shown with the document, review reasons and warnings for its signatures."""
    if not checks:
        return {}, [], []
    fields: dict[str, ExtractedField] = {}
    problems: list[str] = []
    warnings: list[str] = []
    bad = [c for c in checks if c.status != "valid"]
    status = "invalid" if bad else "valid"
    reason = "; ".join(c.reason for c in bad if c.reason) or None
    fields["signature"] = ExtractedField(value=status, raw=f"{len(checks)} signature(s)", confidence=1.0,
                                         valid=not bad, error=reason)
    if bad:
        problems.append(f"signature: {reason}")
    first = checks[0]
    for name, value in (("signer", first.signer), ("signer_cf", first.signer_cf),
                        ("signing_time", first.signing_time.isoformat() if first.signing_time else None),
                        ("signer_cert_valid_from", first.valid_from.date().isoformat() if first.valid_from else None),
                        ("signer_cert_valid_to", first.valid_to.date().isoformat() if first.valid_to else None)):
        if value:
            fields[name] = ExtractedField(value=value, raw=value, confidence=1.0)
    if first.signer_cf:
        check = validate.codice_fiscale(first.signer_cf)
        fields["signer_cf"] = fields["signer_cf"].model_copy(update={"valid": check.valid, "error": check.error})
    if first.trusted is not None:
        fields["signer_trusted"] = ExtractedField(value="yes" if first.trusted else "no", confidence=1.0,
                                                  valid=first.trusted)
    for check in checks:
        warnings.extend(f"signature: {w}" for w in check.warnings)
    warnings.append("signature: revocation of the signer's certificate was not checked (no network)")
    return fields, problems, warnings


def _analyse_wrapped(content: bytes, path: Path, settings: Settings, signatures, today, started):
    """A .p7m around a PDF or an image: unwrapped and read like any scan, the signature kept."""
    from ..process import analyse_pages, read_pages

    sig_fields, sig_problems, sig_warnings = signature_fields(signatures)
    with tempfile.TemporaryDirectory(prefix="archivio-p7m-") as tmp:
        inner = Path(tmp) / (path.name.removesuffix(".p7m") or "content")
        inner.write_bytes(content)
        try:
            media_type, pages = read_pages(inner, settings)
        except UnsupportedFileError as exc:
            raise UnsupportedFileError(f"the .p7m's signature was read, but the file it signs is not one "
                                       f"Archivio reads: {exc.reason}", path=path.name) from None
    analysis = analyse_pages(media_type, pages, settings, today=today, started=started)
    analysis.media_type = P7M
    analysis.fields = {**analysis.fields, **sig_fields}
    analysis.problems = sig_problems + analysis.problems
    analysis.warnings = analysis.warnings + sig_warnings + [f"signed content read as {media_type}"]
    return analysis


# -- XML -----------------------------------------------------------------------------------------
def _analyse_xml(data: bytes, filename: str, today: dt.date, signatures: list[SignatureCheck]) -> dict:
    root = parse(data, path=filename)
    kind = fatturapa.kind_of(root)
    sig_fields, sig_problems, sig_warnings = signature_fields(signatures)
    if kind in (fatturapa.ORDINARY, fatturapa.SIMPLIFIED):
        invoices = fatturapa.read_invoices(root)
        if not invoices:
            raise ReadError("the FatturaPA file holds no invoice (no FatturaElettronicaBody)", path=filename)
        first, *others = invoices
        fields, problems, warnings = invoice_fields(first, today)
        bodies = []
        for invoice in others:
            f, p, w = invoice_fields(invoice, today)
            bodies.append(BodyPart(index=invoice.index, doc_class="invoice", fields={**f, **sig_fields},
                                   text=render.invoice_text(invoice, signatures=signatures),
                                   problems=sig_problems + p, warnings=w + sig_warnings))
        files = [ExtractedFile(name=a.name, data=a.data, description=a.description)
                 for invoice in invoices for a in invoice.attachments]
        html = render.document_html(invoices, filename=filename, signatures=signatures)
        if others:
            warnings.append(f"the file holds {len(invoices)} invoices; invoices 2–{len(invoices)} are filed as "
                            "documents of their own")
        return dict(pages=1, pages_ocr=0, ocr_confidence=None, language="it",
                    text=render.invoice_text(first, signatures=signatures),
                    classification=Classification(doc_class="invoice", confidence=1.0, scores={"invoice": 1.0},
                                                  method="fatturapa"),
                    fields={**fields, **sig_fields}, problems=sig_problems + problems,
                    warnings=warnings + sig_warnings,
                    derived=Derived(bodies=bodies, files=files, rendering=html.encode("utf-8"),
                                    einvoice_name=True))
    if kind == "sdi":
        message = fatturapa.read_sdi_message(root)
        fields = {name: ExtractedField(value=value, raw=value, confidence=1.0)
                  for name, value in (("sdi_message", message.code), ("sdi_id", message.sdi_id),
                                      ("sdi_file_name", message.file_name), ("date", _date_part(message.received_at)),
                                      ("sdi_outcome", message.outcome)) if value}
        return dict(pages=1, pages_ocr=0, ocr_confidence=None, language="it", text=render.message_text(message),
                    classification=Classification(doc_class="other", confidence=1.0, scores={"other": 1.0},
                                                  method="sdi"),
                    fields={**fields, **sig_fields}, problems=sig_problems, warnings=sig_warnings,
                    derived=Derived(concerns_file=message.file_name, concerns_sdi_id=message.sdi_id))
    return dict(pages=1, pages_ocr=0, ocr_confidence=None, language=None, text="\n".join(all_text(root)),
                classification=Classification(doc_class="other", confidence=1.0, scores={"other": 1.0}, method="xml"),
                fields=sig_fields, problems=sig_problems,
                warnings=[f"an XML file that is not a FatturaPA e-invoice (root element <{root.tag}>): archived as text"]
                + sig_warnings)


def _date_part(value: str | None) -> str | None:
    return value[:10] if value and len(value) >= 10 else None


def _field(value: str | None, *, valid: bool | None = None, error: str | None = None, raw: str | None = None):
    return ExtractedField(value=value, raw=raw if raw is not None else (value or ""), confidence=1.0, valid=valid,
                          error=error)


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.quantize(Decimal('0.01'))}"


def invoice_fields(invoice: fatturapa.Invoice, today: dt.date) -> tuple[dict[str, ExtractedField], list[str], list[str]]:
    """The record's fields for one invoice, validated as extraction validates a scan's."""
    fields: dict[str, ExtractedField] = {}
    warnings: list[str] = list(invoice.problems)
    if invoice.number:
        fields["number"] = _field(invoice.number)
    if invoice.date:
        fields["date"] = _date_field(invoice.date, lambda d: validate.issue_date(d, today=today))
    if invoice.due_dates:
        issued = fields.get("date")
        fields["due_date"] = _date_field(invoice.due_dates[0], lambda d: validate.due_not_before_issue(
            dt.date.fromisoformat(issued.value), d) if issued is not None and issued.valid is not False else None)
    if invoice.document_type:
        fields["document_type"] = _field(invoice.document_type)
    for role, party in (("vendor", invoice.vendor), ("customer", invoice.customer)):
        if party.name:
            fields[f"{role}_name"] = _field(party.name)
        if party.vat:
            check = validate.vat_id(party.vat)
            fields[f"{role}_vat"] = _field(check.value, valid=check.valid, error=check.error, raw=party.vat)
        if party.cf:
            check = validate.codice_fiscale(party.cf)
            fields[f"{role}_cf"] = _field(check.value, valid=check.valid, error=check.error, raw=party.cf)
    if invoice.currency:
        fields["currency"] = _field(invoice.currency.upper())
    net, vat, total = invoice.net, invoice.vat, invoice.total
    if net is not None:
        fields["net_amount"] = _field(_amount(net))
        fields["vat_amount"] = _field(_amount(vat))
    if total is not None:
        fields["total_amount"] = _field(_amount(total))
        if net is not None:
            error = validate.amounts_add_up(net, vat, total)
            if error and invoice.adjustments:
                # Withholding tax, stamp duty, a pension fund: the XML explains the difference.
                warnings.append(f"total_amount: {error} ({', '.join(invoice.adjustments)} in the invoice)")
                error = None
            fields["total_amount"] = fields["total_amount"].model_copy(update={"valid": error is None, "error": error})
    elif net is not None:
        fields["total_amount"] = ExtractedField(value=_amount(net + vat), raw="imponibile + imposta",
                                                confidence=0.9)
        warnings.append("total_amount: ImportoTotaleDocumento is not in the XML; net + VAT used")
    if invoice.ibans:
        check = validate.iban(invoice.ibans[0])
        fields["iban"] = _field(check.value, valid=check.valid, error=check.error, raw=invoice.ibans[0])
    if invoice.causale:
        fields["causale"] = _field(invoice.causale)
    if invoice.vat_lines:
        fields["vat_breakdown"] = ExtractedField(
            value=[f"{v.rate}%{' ' + v.nature if v.nature else ''}: {_amount(v.taxable)} + {_amount(v.tax)}"
                   for v in invoice.vat_lines], confidence=1.0)
    problems = [f"{name}: {f.error}" for name, f in fields.items() if f.valid is False and f.error]
    problems += [f"{name}: {f.value} could not be checked" for name, f in fields.items()
                 if f.valid is None and name in CHECKED]
    problems += [f"{name}: not in the XML" for name in REQUIRED["invoice"] if name not in fields]
    return fields, problems, warnings


def _date_field(value: str, check) -> ExtractedField:
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return _field(value, valid=False, error=f"{value!r} is not a date")
    error = check(day)
    return _field(day.isoformat(), valid=error is None, error=error, raw=value)


__all__ = ["analyse_einvoice", "invoice_fields", "signature_fields"]
