"""A mail message (``.eml``) read as a document: its headers and text are the record, its
attachments become documents of their own, linked back to it.

A PEC message is an envelope: the provider's ``daticert.xml`` (sender, recipients, time, the
PEC id), the original message as ``postacert.eml`` and the provider's signature
(``smime.p7s``). The envelope's facts are recorded as every attachment's provenance; the
documents are the attachments of the original message inside.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import tempfile
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

from ..config import Settings
from ..errors import ArchivioError, CorruptDocumentError
from ..parts import Derived, ExtractedFile
from ..records import Classification, ExtractedField
from ..einvoice.xmlsafe import parse, text

_ENVELOPE_PARTS = {"daticert.xml", "postacert.eml", "smime.p7s"}


def read_message(data: bytes) -> EmailMessage:
    return email.message_from_bytes(data, policy=email.policy.default)


def message_id(message: EmailMessage) -> str | None:
    value = str(message.get("Message-ID") or "").strip()
    return value or None


def pec_certificate(message: EmailMessage) -> dict[str, str] | None:
    """The facts of a PEC envelope's ``daticert.xml``, or None for an ordinary message."""
    for part in message.walk():
        if (part.get_filename() or "").lower() == "daticert.xml":
            try:
                root = parse(part.get_payload(decode=True) or b"", path="daticert.xml")
            except ArchivioError:
                return {"pec": "daticert.xml unreadable"}
            facts = {
                "pec_type": root.get("tipo") or "",
                "pec_error": root.get("errore") or "",
                "pec_sender": text(root, "intestazione/mittente") or "",
                "pec_recipients": ", ".join(e.text.strip() for e in root.findall("intestazione/destinatari")
                                            if e.text and e.text.strip()),
                "pec_subject": text(root, "intestazione/oggetto") or "",
                "pec_provider": text(root, "dati/gestore-emittente") or "",
                "pec_date": " ".join(p for p in (text(root, "dati/data/giorno"), text(root, "dati/data/ora"),
                                                 _zone(root)) if p),
                "pec_id": text(root, "dati/identificativo") or "",
                "pec_msgid": text(root, "dati/msgid") or "",
            }
            return {k: v for k, v in facts.items() if v}
    return None


def _zone(root) -> str | None:
    when = root.find("dati/data")
    return when.get("zona") if when is not None else None


def inner_message(message: EmailMessage) -> EmailMessage | None:
    """The original message a PEC envelope carries (``postacert.eml``)."""
    for part in message.walk():
        if (part.get_filename() or "").lower() == "postacert.eml" or part.get_content_type() == "message/rfc822":
            payload = part.get_payload()
            if isinstance(payload, list) and payload:
                return payload[0]
            raw = part.get_payload(decode=True)
            if raw:
                return read_message(raw)
    return None


def attachments(message: EmailMessage, *, pec: bool) -> list[tuple[str, bytes]]:
    """(file name, bytes) of every attachment; a PEC envelope's own parts are not attachments."""
    out = []
    for part in message.walk():
        if part.is_multipart() or part.get_content_type() == "message/rfc822":
            continue
        name = part.get_filename()
        disposition = part.get_content_disposition()
        if not name and disposition != "attachment":
            continue
        if pec and (name or "").lower() in _ENVELOPE_PARTS:
            continue
        data = part.get_payload(decode=True) or b""
        if data:
            out.append((name or f"allegato.{part.get_content_subtype()}", data))
    return out


def body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError):
        content = (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
    if part.get_content_type() == "text/html":
        content = re.sub(r"<[^>]+>", " ", content)
    return content.strip()


@dataclass
class MailContent:
    message: EmailMessage
    original: EmailMessage  # the message itself, or the one a PEC envelope carries
    provenance: dict[str, str]
    files: list[ExtractedFile] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def mail_content(data: bytes, settings: Settings, *, path: str | None = None) -> MailContent:
    """What a message holds: its provenance and the attachments that become documents."""
    from ..text.sniff import SUPPORTED, sniff

    message = read_message(data)
    if not message.keys():
        raise CorruptDocumentError("the mail message has no headers", path=path)
    pec = pec_certificate(message)
    # A PEC envelope carries the sender's own message inside: that is where the documents are.
    original = (inner_message(message) if pec else None) or message
    provenance = {"mail_from": str(message.get("From", "")), "mail_to": str(message.get("To", "")),
                  "mail_subject": str(original.get("Subject", "")), "mail_date": str(message.get("Date", "")),
                  "message_id": message_id(message) or ""}
    provenance.update(pec or {})
    content = MailContent(message, original, {k: v for k, v in provenance.items() if v})

    limit = settings.mail.max_attachment_mb * 1024 * 1024
    with tempfile.TemporaryDirectory(prefix="archivio-mail-") as tmp:
        for n, (name, data_) in enumerate(attachments(original, pec=pec is not None), 1):
            if len(data_) > limit:
                content.warnings.append(
                    f"attachment {name} ({len(data_) / 1048576:.0f} MB) is larger than mail.max_attachment_mb "
                    f"({settings.mail.max_attachment_mb} MB): kept inside the message, not filed on its own")
                continue
            probe = Path(tmp) / f"{n}"
            probe.write_bytes(data_[:4096])
            try:
                kind = sniff(probe)
            except ArchivioError as exc:
                content.warnings.append(f"attachment {name} is not a document Archivio reads ({exc.reason}); "
                                        "kept inside the message")
                continue
            if kind in SUPPORTED:
                content.files.append(ExtractedFile(name=name, data=data_))
    if not content.files and not content.warnings:
        content.warnings.append("the message has no attachment")
    return content


def analyse_mail(path: Path, settings: Settings, *, today: dt.date | None = None):
    from ..process import Analysis  # the pipeline's own result type (process imports us)

    started = time.monotonic()
    content = mail_content(path.read_bytes(), settings, path=path.name)
    message, original, provenance = content.message, content.original, content.provenance
    files, warnings = content.files, content.warnings

    fields = {}
    for name, key in (("mail_from", "mail_from"), ("mail_subject", "mail_subject"), ("message_id", "message_id"),
                      ("pec_sender", "pec_sender"), ("pec_id", "pec_id")):
        if provenance.get(key):
            fields[name] = ExtractedField(value=provenance[key], raw=provenance[key], confidence=1.0)
    sent = _date(message.get("Date"))
    if sent:
        fields["date"] = ExtractedField(value=sent, raw=str(message.get("Date")), confidence=1.0)
    lines = [f"{k}: {v}" for k, v in provenance.items()]
    lines += [f"Allegato {f.name}" for f in files]
    return Analysis(media_type="message/rfc822", pages=1, pages_ocr=0, ocr_confidence=None,
                    text="\n".join(lines + ["", body_text(original)]),
                    language=None, classification=Classification(doc_class="other", confidence=1.0,
                                                                 scores={"other": 1.0}, method="mail"),
                    fields=fields, problems=[], warnings=warnings, seconds=round(time.monotonic() - started, 3),
                    derived=Derived(files=files, provenance=provenance))


def _date(value) -> str | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(str(value)).date().isoformat()
    except (TypeError, ValueError):
        return None
