"""Export: a period, class or query of documents as one ZIP bundle an auditor can check alone.

Bundle layout:

    README.txt                         how to check the bundle (Italian and English)
    documents/<id>/<readable>.<ext>    each original, byte for byte, named for people
                                       (2025-09-03_Fattura_417-B_Officine-Meccaniche-Brenta.pdf)
    documents/<id>/record.json         its record: class, fields, text, review history
    documents/<id>/archive-copy.pdf    a scan's searchable PDF/A-2b copy, where one is kept
    documents/<id>/copy.html           an e-invoice's readable rendering, where one is kept
    summary.csv, summary.xlsx          one row per document: number, date, supplier, VAT id, net,
                                       VAT, total, class, id, SHA-256 (for a spreadsheet)
    audit.jsonl                        every audit entry about these documents, one JSON per line
    manifest.json                      what was asked, by whom, when; every file with its SHA-256
    SHA256SUMS                         the same hashes for `sha256sum -c SHA256SUMS`

The ZIP is written as a stream (data descriptors, no seeking), so the HTTP API sends it while
it is being made and memory stays flat however many documents it holds. Originals are stored
uncompressed (PDF and JPEG are compressed already), records deflated. Every original is hashed
as it is read; one whose bytes no longer match its id is still included and named under
``problems`` in the manifest. The export is audited twice: an ``exported`` entry before the
first byte (who, what, which documents) and an ``export-sealed`` entry at the end carrying the
manifest's SHA-256, which ties the bundle to the tamper-evident log.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import hashlib
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from . import __version__
from .audit import EXPORTED, Actor, AuditLog, canonical
from .errors import ArchivioError
from .index import SearchIndex, SearchQuery
from .naming import counterparty, file_name
from .records import Record
from .store import Archive
from .verify import CHUNK, open_original, open_stored

FORMAT = "archivio-export/1"
EXPORT_SEALED = "export-sealed"
_EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png", "image/tiff": ".tif",
               "application/xml": ".xml", "application/pkcs7-mime": ".p7m", "message/rfc822": ".eml"}

README = """Archivio export bundle / Pacchetto di esportazione Archivio

EN  Each document is in documents/<id>/: the original, byte for byte, and its record; a scan
    also has archive-copy.pdf, its searchable PDF/A-2b copy, an e-invoice copy.html, its readable
    rendering (the original stays the evidence).
    Check the bundle:  sha256sum -c SHA256SUMS
    The id of a document is the SHA-256 of its original. manifest.json says what was
    exported, by whom and when; audit.jsonl holds the audit entries about these documents
    (each entry's "hash" is the SHA-256 of its JSON without the "hash" field, keys sorted).

IT  Ogni documento e' in documents/<id>/: l'originale, identico byte per byte, e la sua scheda;
    una scansione ha anche archive-copy.pdf, la sua copia PDF/A-2b ricercabile, una fattura
    elettronica copy.html, la sua copia leggibile (fa fede l'originale).
    Per verificare il pacchetto:  sha256sum -c SHA256SUMS
    L'id di un documento e' lo SHA-256 del suo originale. manifest.json dice cosa e' stato
    esportato, da chi e quando; audit.jsonl contiene le voci del registro di audit che
    riguardano questi documenti.
"""


@dataclass
class ExportSummary:
    documents: int = 0
    bytes: int = 0
    problems: list[str] = dataclasses.field(default_factory=list)
    manifest_sha256: str = ""
    export_entry: int = 0


def select(index: SearchIndex, query: SearchQuery, *, limit: int | None = None) -> list[str]:
    """The ids of every document the query matches, oldest document date first."""
    ids: list[str] = []
    cursor = None
    while True:
        page = index.search(dataclasses.replace(query, size=500, cursor=cursor, facets=False, sort="date"))
        ids.extend(h.id for h in page.hits)
        if limit is not None and len(ids) >= limit:
            return ids[:limit]
        cursor = page.next_cursor
        if not cursor or not page.hits:
            return ids


def describe(query: SearchQuery) -> dict[str, Any]:
    """The query as plain JSON, for the manifest and the audit entry."""
    out = {}
    for f in dataclasses.fields(query):
        if f.name in ("size", "cursor", "facets", "sort"):
            continue
        value = getattr(query, f.name)
        if value not in (None, ""):
            out[f.name] = str(value) if not isinstance(value, bool) else value
    return out


class _Sink:
    """A write-only, non-seekable file: zipfile writes into it, the generator hands bytes on."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._pos = 0

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        self._pos += len(data)
        return len(data)

    def tell(self) -> int:
        return self._pos

    def flush(self) -> None:
        pass

    def drain(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


class _HashingZip:
    """A ZIP being streamed, remembering the SHA-256 and size of every member."""

    def __init__(self) -> None:
        self.sink = _Sink()
        self.zip = zipfile.ZipFile(self.sink, "w", allowZip64=True)
        self.files: dict[str, str] = {}
        self.sizes: dict[str, int] = {}

    def add_bytes(self, name: str, data: bytes, *, compress: bool = True) -> Iterator[bytes]:
        info = zipfile.ZipInfo(name, date_time=dt.datetime.now().timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        self.zip.writestr(info, data)
        self.files[name] = hashlib.sha256(data).hexdigest()
        self.sizes[name] = len(data)
        yield self.sink.drain()

    def add_stream(self, name: str, chunks: Iterator[bytes]) -> Iterator[bytes]:
        info = zipfile.ZipInfo(name, date_time=dt.datetime.now().timetuple()[:6])
        info.compress_type = zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        digest, size = hashlib.sha256(), 0
        with self.zip.open(info, "w", force_zip64=True) as dest:
            for chunk in chunks:
                dest.write(chunk)
                digest.update(chunk)
                size += len(chunk)
                yield self.sink.drain()
        self.files[name] = digest.hexdigest()
        self.sizes[name] = size
        yield self.sink.drain()

    def close(self) -> bytes:
        self.zip.close()
        return self.sink.drain()


def original_name(record: Record) -> str:
    ext = _EXTENSIONS.get(record.media_type)
    if ext is None:
        suffix = record.source.filename.rsplit(".", 1)
        ext = "." + suffix[1].lower() if len(suffix) == 2 and suffix[1].isalnum() else ""
    return f"documents/{record.id}/{file_name(record, ext)}"


SUMMARY, SUMMARY_XLSX = "summary.csv", "summary.xlsx"
SUMMARY_COLUMNS = ("number", "date", "supplier", "vat_id", "net", "vat", "total", "currency", "class", "file", "id",
                   "sha256")


def summary_row(record: Record, original: str, sha256: str) -> list[str]:
    f = record.field_value
    date = f("date") or f("agreement_date")
    return [f("number") or "", date or "", counterparty(record) or "", f("vendor_vat") or "", f("net_amount") or "",
            f("vat_amount") or "", f("total_amount") or "", f("currency") or "", record.doc_class, original,
            record.id, sha256]


def summary_csv(rows: list[list[str]]) -> bytes:
    """The bundle's documents as a spreadsheet table (';' and a BOM, as Excel in Italy expects)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(SUMMARY_COLUMNS)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def summary_xlsx(rows: list[list[str]]) -> bytes:
    """The same table as a workbook: amounts as numbers and dates as dates, so they sum and sort."""
    from openpyxl import Workbook  # imported only when an export is made

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Archivio")
    sheet.append(list(SUMMARY_COLUMNS))
    for row in rows:
        cells: list[Any] = list(row)
        for i in (4, 5, 6):  # net, VAT, total
            cells[i] = _number(cells[i])
        cells[1] = _day(cells[1])
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _number(text: str) -> Any:
    try:
        return float(text) if text else None
    except ValueError:
        return text


def _day(text: str) -> Any:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return text


class Exporter:
    def __init__(self, archive: Archive, audit: AuditLog):
        self.archive = archive
        self.audit = audit

    def bundle(self, ids: list[str], *, by: Actor, query: dict[str, Any],
               on_document: Callable[[Record], None] | None = None,
               summary: ExportSummary | None = None) -> Iterator[bytes]:
        """The bundle's bytes, piece by piece. The ``exported`` entry is written before the first piece."""
        summary = summary if summary is not None else ExportSummary()
        started = dt.datetime.now(dt.timezone.utc)
        entry = self.audit.append(EXPORTED, actor=by, documents=ids,
                                  details={"query": query, "documents": len(ids), "format": FORMAT})
        summary.export_entry = entry.seq
        return self._stream(ids, by, query, started, entry.seq, on_document, summary)

    def _add_copy(self, out: _HashingZip, record: Record, summary: ExportSummary) -> Iterator[bytes]:
        """The searchable PDF/A copy beside the original, when the document has one; returns what
        the manifest says about it."""
        copy = record.archive_copy
        if copy is None:
            return {}
        # A scan's PDF/A, or an e-invoice's readable rendering.
        ext = ".html" if copy.format == "HTML" else ".pdf"
        name = f"documents/{record.id}/{'copy' if ext == '.html' else 'archive-copy'}{ext}"
        try:
            with open_stored(self.archive, copy.key, record.id + ext) as fh:
                yield from out.add_stream(name, iter(lambda: fh.read(CHUNK), b""))
        except ArchivioError as exc:
            summary.problems.append(f"{record.id}: archive copy missing ({exc})")
            return {}
        intact = out.files[name] == copy.sha256
        if not intact:
            summary.problems.append(f"{record.id}: the stored archive copy no longer matches its SHA-256 "
                                    f"(now {out.files[name]})")
        return {"archive_copy": name, "archive_copy_format": copy.format, "archive_copy_sha256": out.files[name],
                "archive_copy_intact": intact}

    def _stream(self, ids: list[str], by: Actor, query: dict[str, Any], started: dt.datetime, export_seq: int,
                on_document: Callable[[Record], None] | None, summary: ExportSummary) -> Iterator[bytes]:
        out = _HashingZip()
        yield from out.add_bytes("README.txt", README.encode())
        documents: list[dict[str, Any]] = []
        rows: list[list[str]] = []
        for doc_id in ids:
            try:
                record = self.archive.get_record(doc_id)
            except ArchivioError as exc:
                summary.problems.append(f"{doc_id}: record unreadable ({exc})")
                continue
            name = original_name(record)
            try:
                with open_original(self.archive, record.sha256) as fh:
                    yield from out.add_stream(name, iter(lambda: fh.read(CHUNK), b""))
            except ArchivioError as exc:
                summary.problems.append(f"{doc_id}: original missing ({exc})")
                continue
            intact = out.files[name] == record.sha256
            if not intact:
                summary.problems.append(f"{doc_id}: the stored original no longer matches its SHA-256 "
                                        f"(now {out.files[name]})")
            copy = yield from self._add_copy(out, record, summary)
            record_name = f"documents/{record.id}/record.json"
            yield from out.add_bytes(record_name, record.to_json().encode())
            documents.append({
                "id": record.id, "filename": record.source.filename, "folder": record.source.folder,
                "class": record.doc_class, "date": record.field_value("date") or record.field_value("agreement_date"),
                "original": name, "sha256": out.files[name], "size": out.sizes[name], "intact": intact,
                "record": record_name, "record_version": record.version, "needs_review": record.needs_review,
                **copy,
            })
            rows.append(summary_row(record, name, out.files[name]))
            summary.documents += 1
            summary.bytes += out.sizes[name]
            if on_document:
                on_document(record)

        entries: dict[int, bytes] = {}
        for doc in documents:
            for audit_entry in self.audit.for_document(doc["id"]):
                if audit_entry.seq not in entries:
                    entries[audit_entry.seq] = canonical(audit_entry.model_dump())
        head_seq, head_hash = self.audit.head()
        yield from out.add_bytes("audit.jsonl", b"".join(entries[k] + b"\n" for k in sorted(entries)))

        yield from out.add_bytes(SUMMARY, summary_csv(rows))
        yield from out.add_bytes(SUMMARY_XLSX, summary_xlsx(rows), compress=False)

        manifest = {
            "format": FORMAT,
            "created_at": started.isoformat(timespec="seconds"),
            "finished_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "created_by": str(by),
            "archivio_version": __version__,
            "query": query,
            "documents": documents,
            "audit": {"file": "audit.jsonl", "entries": len(entries), "export_entry": export_seq,
                      "chain_head": {"seq": head_seq, "hash": head_hash}},
            "files": dict(sorted(out.files.items())),
            "problems": summary.problems,
        }
        manifest_bytes = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
        yield from out.add_bytes("manifest.json", manifest_bytes)
        sums = "".join(f"{digest}  {name}\n" for name, digest in sorted(out.files.items()))
        yield from out.add_bytes("SHA256SUMS", sums.encode())
        yield out.close()
        summary.manifest_sha256 = out.files["manifest.json"]
        self.audit.append(EXPORT_SEALED, actor=by, details={
            "export_entry": export_seq, "manifest_sha256": summary.manifest_sha256,
            "documents": summary.documents, "problems": len(summary.problems)})

