"""Filing what an original yields besides its own record (see ``parts``).

Called by ``parts.filer.file_analysis`` (the local dispatcher's and the Celery worker's one
filing step) after the original is at its permanent key and before the original's record is
saved, so a crash anywhere in here is repaired by running the job again: every step is a no-op
the second time (copies kept as first filed, body records rewritten identically, an extracted
file already taken is not taken again).

- the human-readable rendering goes to ``copies/<sha[:2]>/<sha256>.<ext>`` (``Record.archive_copy``)
  under the original's retention;
- bodies 2…n become records ``<sha256>-<n>`` of the same original (``Parent`` einvoice-body);
- extracted files go through a ``Handoff``: locally intake, like a file dropped in the inbox
  (same checks, same journal hand-off); in distributed mode the store and the broker. Their
  origin is stored first so that their records link back;
- an e-invoice is entered under its SdI file name, and an SdI message is linked to the invoice
  it names (by file name, or by the IdentificativoSdI an earlier message of the same invoice
  gave); a message filed first waits under that name and is linked, as a new version of its
  record, when the invoice is filed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import tempfile
from pathlib import Path
from typing import Protocol

from ..errors import NotFoundError
from ..faults import crash_point
from ..folders import safe_relative
from ..records import HistoryEntry, Parent, Record, utcnow
from ..store import Archive, Retention
from . import Derived, ExtractedFile
from .origin import save_origin

log = logging.getLogger(__name__)


def body_id(sha256: str, index: int) -> str:
    return f"{sha256}-{index}"


def body_ids(record: Record) -> list[str]:
    """The records cut from the same original as ``record`` (indexed and listed with it)."""
    return [p for p in record.parts if p.startswith(record.id + "-")]


class Handoff(Protocol):
    """Where a file found inside an original goes to become a document of its own: the local
    journal (``IntakeHandoff``), or the store and the broker (``pipeline.queue.handoff``)."""

    def take(self, record: Record, extracted: ExtractedFile, index: int,
             provenance: dict[str, str]) -> tuple[str | None, str | None]:
        """Its SHA-256 (None if refused) and, when refused, why in a sentence."""


class IntakeHandoff:
    def __init__(self, archive: Archive, intake):
        self.archive = archive
        self.intake = intake

    def take(self, record: Record, extracted: ExtractedFile, index: int,
             provenance: dict[str, str]) -> tuple[str | None, str | None]:
        return take_extracted(self.archive, self.intake, parent_id=record.id, parent_name=record.source.filename,
                              parent_folder=record.source.folder, extracted=extracted, index=index,
                              provenance=provenance)


def file_parts(archive: Archive, handoff: Handoff, record: Record, derived: Derived,
               retention: Retention | None = None) -> list[Record]:
    """Store the rendering, the body records and the extracted files; return the other records
    that changed with this filing and must be indexed with it (bodies, SdI messages now linked)."""
    if derived.rendering is not None:
        # Class and filing time as on the original: what a store migration computes retention from.
        record.archive_copy = archive.file_rendering(
            record.sha256, derived.rendering, media_type=derived.rendering_media_type,
            format=derived.rendering_format, retention=retention,
            metadata={"class": record.doc_class, "ingested-at": record.ingested_at.isoformat()})
    bodies = []
    for body in derived.bodies:
        part = record.model_copy(deep=True, update={
            "id": body_id(record.sha256, body.index), "doc_class": body.doc_class, "fields": body.fields,
            "text": body.text, "needs_review": bool(body.problems), "review_reasons": body.problems,
            "warnings": body.warnings, "parts": [],
            "parent": Parent(id=record.id, relation="einvoice-body", index=body.index)})
        archive.save_record(part)
        bodies.append(part)
    parts = [b.id for b in bodies]
    for n, extracted in enumerate(derived.files, 1):
        sha = _take_extracted(handoff, record, extracted, n, derived.provenance)
        if sha:
            parts.append(sha)
    record.parts = list(dict.fromkeys(record.parts + parts))
    crash_point("parts.after_files")
    linked: list[Record] = []
    if derived.einvoice_name:
        _name_entry(archive, record.source.filename, record.id)
        linked = _link_waiting_messages(archive, record)
    if (derived.concerns_file or derived.concerns_sdi_id) and record.parent is None:
        _link_to_invoice(archive, record, derived)
    return bodies + linked


def _link_to_invoice(archive: Archive, record: Record, derived: Derived) -> None:
    """By the invoice's file name; else by the IdentificativoSdI an earlier message tied to it."""
    invoice = _find(archive, _name_key(derived.concerns_file)) if derived.concerns_file else None
    if invoice is None and derived.concerns_sdi_id:
        invoice = _find(archive, _sdi_key(derived.concerns_sdi_id))
    if invoice is None:
        # The SdI sends an invoice and its metadata file together: whichever is filed first waits.
        if derived.concerns_file:
            _wait_for(archive, _name_key(derived.concerns_file), record.id)
        record.warnings.append(f"the invoice file {derived.concerns_file or derived.concerns_sdi_id} it concerns is "
                               "not in the archive yet; the link is made when it is filed")
        return
    record.parent = Parent(id=invoice, relation="sdi-notification")
    if derived.concerns_sdi_id:
        archive.store.put_bytes(_sdi_key(derived.concerns_sdi_id), json.dumps({"id": invoice}).encode(),
                                content_type="application/json")


def _take_extracted(handoff: Handoff, record: Record, extracted: ExtractedFile, n: int,
                    provenance: dict[str, str]) -> str | None:
    if hashlib.sha256(extracted.data).hexdigest() == record.sha256:
        return None
    sha, refused = handoff.take(record, extracted, n, provenance)
    if refused:
        record.warnings.append(refused)
    return sha


def take_extracted(archive: Archive, intake, *, parent_id: str, parent_name: str, parent_folder: str,
                   extracted, index: int, provenance: dict[str, str]) -> tuple[str | None, str | None]:
    """Hand one extracted file to intake, its origin (parent link, provenance) stored first.
    Returns its SHA-256 (None if refused) and, when refused, why in a sentence."""
    sha = hashlib.sha256(extracted.data).hexdigest()
    existing = intake.journal.by_sha(sha)
    if existing is not None and existing.state != "quarantined":
        return sha, None  # taken before (a repeated filing, or the same file sent twice): linked, not taken again
    name = safe_name(extracted.name, index)
    save_origin(archive.store, sha, parent=Parent(id=parent_id, relation="attachment", index=index),
                provenance={**provenance, "extracted_from": parent_name,
                            **({"description": extracted.description} if extracted.description else {})})
    with tempfile.TemporaryDirectory(prefix="archivio-part-") as tmp:
        folder = Path(tmp) / (parent_folder or "") / (parent_name + ".allegati")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        path.write_bytes(extracted.data)
        result = intake.take(path, root=Path(tmp), handoff="keep")
    if result.outcome == "rejected":
        return None, (f"attachment {extracted.name} was not archived on its own: {result.message} "
                      "(it stays inside the original)")
    return sha, None


def safe_name(name: str, n: int) -> str:
    cleaned = re.sub(r"[\x00-\x1f/\\]", "_", name).strip(" .") or f"allegato-{n}"
    try:
        return safe_relative(cleaned)
    except ValueError:
        return f"allegato-{n}"


# -- SdI file names ------------------------------------------------------------------------------
def _name_key(filename: str) -> str:
    """``IT01234567890_abc12.xml.p7m`` and ``it01234567890_ABC12.xml`` are the same SdI file."""
    stem = Path(filename).name.lower()
    for suffix in (".p7m", ".xml"):
        stem = stem.removesuffix(suffix)
    return "einvoice-names/" + hashlib.sha256(stem.encode()).hexdigest()[:32] + ".json"


def _name_entry(archive: Archive, filename: str, doc_id: str) -> None:
    archive.store.put_bytes(_name_key(filename), json.dumps({"id": doc_id, "filename": filename}).encode(),
                            content_type="application/json")


def _waiting_key(name_key: str) -> str:
    return name_key.replace("einvoice-names/", "einvoice-waiting/", 1)


def _wait_for(archive: Archive, name_key: str, message_id: str) -> None:
    key = _waiting_key(name_key)
    try:
        waiting = json.loads(archive.store.get_bytes(key))["ids"]
    except (NotFoundError, ValueError, KeyError):
        waiting = []
    if message_id not in waiting:
        archive.store.put_bytes(key, json.dumps({"ids": [*waiting, message_id]}).encode(),
                                content_type="application/json")


def _link_waiting_messages(archive: Archive, invoice: Record) -> list[Record]:
    """SdI messages filed before this invoice: linked now, each as a new version of its record."""
    key = _waiting_key(_name_key(invoice.source.filename))
    try:
        waiting = json.loads(archive.store.get_bytes(key))["ids"]
    except (NotFoundError, ValueError, KeyError):
        return []
    linked = []
    for message_id in waiting:
        try:
            message = archive.get_record(message_id)
        except NotFoundError:
            continue  # its filing was cut short; it links itself when filed again
        if message.parent is not None:
            continue  # linked before a crash cut this short
        now = utcnow()
        message = message.model_copy(update={
            "parent": Parent(id=invoice.id, relation="sdi-notification"), "version": message.version + 1,
            "updated_at": now, "warnings": [w for w in message.warnings if "not in the archive yet" not in w],
            "history": [*message.history, HistoryEntry(at=now, by="pipeline", action="linked",
                                                       changes={"parent": invoice.id})]})
        archive.save_record(message)
        linked.append(message)
    archive.store.delete(key)
    return linked


def _sdi_key(sdi_id: str) -> str:
    return "einvoice-sdi/" + hashlib.sha256(sdi_id.strip().encode()).hexdigest()[:32] + ".json"


def _find(archive: Archive, key: str) -> str | None:
    try:
        return json.loads(archive.store.get_bytes(key))["id"]
    except (NotFoundError, ValueError, KeyError):
        return None
