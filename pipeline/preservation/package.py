"""Preservation packages (pacchetto di versamento) a conservator accepts, and their verification.

A package is a folder (or the same folder as a ZIP when its name ends in ``.zip``):

    IPdV.xml                          the index, in the UNI 11386:2020 (SInCRO) structure
    IPdV.xml.tsr                      RFC 3161 timestamp of the index (where a TSA is configured)
    IPdV.xml.p7s                      detached CAdES-BES signature of the index (where configured)
    LEGGIMI.txt                       how to check it, in Italian and English
    documents/<id>/originale.<ext>    each original, byte for byte
    documents/<id>/copia.<ext>        its archive copy (PDF/A of a scan, rendering of an e-invoice)
    documents/<id>/metadati.xml       the AgID minimum metadata of the document (``agid.py``)

The index lists every file with its SHA-256, one FileGroup per document, and validates against
``sincro.xsd`` before it is timestamped. ``verify_package`` re-checks the schema, every hash,
the timestamp and the signature, and names each file or seal that differs.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import shutil
import tempfile
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import xmlschema

from .. import __version__
from ..audit import Actor, AuditLog
from ..config import PreservationSettings, RetentionSettings
from ..errors import ArchivioError, NotFoundError
from ..export import original_name
from ..records import Record
from ..store import Archive, sha256_file
from . import agid
from .cms import SignatureError, load_certs, load_signature, sign_detached, verify_signed_data
from .retention import state_of
from .tsa import TimestampError, check_timestamp, request_timestamp

SINCRO_NS = "http://www.uni.com/U3011/sincro-v2/"
SCHEMA = Path(__file__).with_name("sincro.xsd")
INDEX, TIMESTAMP, SIGNATURE, README = "IPdV.xml", "IPdV.xml.tsr", "IPdV.xml.p7s", "LEGGIMI.txt"
PACKAGED = "packaged"
_SEALS = {INDEX, TIMESTAMP, SIGNATURE, README}

LEGGIMI = """Pacchetto di versamento Archivio / Archivio preservation package

IT  IPdV.xml e' l'indice del pacchetto nella struttura UNI 11386:2020 (SInCRO): elenca ogni file
    con la sua impronta SHA-256 (in base64). IPdV.xml.tsr e' la marca temporale RFC 3161
    dell'indice; IPdV.xml.p7s, se presente, la sua firma CAdES. Ogni documento e' in
    documents/<id>/: l'originale, la copia d'archivio se esiste, e metadati.xml con i metadati
    minimi AgID (Linee guida 2021, Allegato 5). Per verificare:  archivio package verify PACCHETTO
    oppure:  openssl ts -verify -data IPdV.xml -in IPdV.xml.tsr -CAfile ca-della-TSA.pem

EN  IPdV.xml is the package index in the UNI 11386:2020 (SInCRO) structure: every file with its
    SHA-256 (base64). IPdV.xml.tsr is the RFC 3161 timestamp of the index; IPdV.xml.p7s, when
    present, its CAdES signature. Each document is in documents/<id>/: the original, its archive
    copy where there is one, and metadati.xml with the AgID minimum metadata. To check it:
    archivio package verify PACKAGE   (or openssl ts -verify as above)
"""


class PackageError(ArchivioError):
    stage = "preservation"


@dataclass
class PackageSummary:
    id: str = ""
    documents: int = 0
    files: int = 0
    bytes: int = 0
    index_sha256: str = ""
    timestamp: str | None = None  # the TSA's time, ISO
    signed: bool = False
    audit_entry: int = 0


def _b64(digest_hex: str) -> str:
    return base64.b64encode(bytes.fromhex(digest_hex)).decode()


def _q(name: str) -> str:
    return f"{{{SINCRO_NS}}}{name}"


def _s(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, _q(name), {_q(k): v for k, v in attrs.items()})
    if text is not None:
        node.text = text
    return node


class Packager:
    def __init__(self, archive: Archive, audit: AuditLog, retention: RetentionSettings,
                 settings: PreservationSettings):
        self.archive = archive
        self.audit = audit
        self.retention = retention
        self.settings = settings

    def build(self, ids: list[str], output: Path, *, by: Actor, query: dict[str, str],
              on_document: Callable[[Record], None] | None = None) -> PackageSummary:
        """Write the package of ``ids`` to ``output`` (a folder, or a ZIP if it ends in .zip)."""
        if not ids:
            raise PackageError("no documents to package")
        output = Path(output)
        if output.exists():
            raise PackageError(f"{output} exists already: choose a new name", path=str(output))
        summary = PackageSummary(id=f"PdV-{dt.datetime.now(dt.timezone.utc):%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}")
        as_zip = output.suffix.lower() == ".zip"
        work = Path(tempfile.mkdtemp(prefix=".package-", dir=output.parent if output.parent.exists() else None))
        try:
            groups = [self._document(doc_id, work, summary, on_document) for doc_id in ids]
            index = self._index(summary, groups, by, query)
            (work / INDEX).write_bytes(index)
            problems = validate_index(index)
            if problems:
                raise PackageError("the package index does not validate against the SInCRO schema: " + problems[0])
            summary.index_sha256 = hashlib.sha256(index).hexdigest()
            if self.settings.tsa_url:
                reply = request_timestamp(index, self.settings.tsa_url, timeout=self.settings.tsa_timeout,
                                          username=self.settings.tsa_username,
                                          password=self.settings.tsa_password.get_secret_value()
                                          if self.settings.tsa_password else "")
                (work / TIMESTAMP).write_bytes(reply)
                summary.timestamp = check_timestamp(reply, index).gen_time.isoformat()
            if self.settings.sign_cert and self.settings.sign_key:
                password = self.settings.sign_key_password
                (work / SIGNATURE).write_bytes(sign_detached(index, self.settings.sign_cert, self.settings.sign_key,
                                                             password.get_secret_value() if password else None))
                summary.signed = True
            (work / README).write_text(LEGGIMI, encoding="utf-8")
            if as_zip:
                _zip(work, output)
            else:
                work.rename(output)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        entry = self.audit.append(PACKAGED, actor=by, documents=ids, details={
            "package": summary.id, "documents": summary.documents, "index_sha256": summary.index_sha256,
            "timestamp": summary.timestamp, "signed": summary.signed, "query": query})
        summary.audit_entry = entry.seq
        return summary

    def _document(self, doc_id: str, work: Path, summary: PackageSummary,
                  on_document: Callable[[Record], None] | None) -> tuple[Record, list[tuple[str, str, str, str]]]:
        record = self.archive.get_record(doc_id)
        folder = f"documents/{record.id}"
        (work / folder).mkdir(parents=True)
        original = f"{folder}/originale{Path(original_name(record)).suffix}"
        self.archive.get_original(record.sha256, work / original)  # checked against its SHA-256 on the way
        files = [("original", original, record.media_type, record.sha256)]
        if record.archive_copy is not None:
            copy = record.archive_copy
            ext = {"application/pdf": ".pdf", "text/html": ".html"}.get(copy.media_type, "")
            name = f"{folder}/copia{ext}"
            try:
                self.archive.store.get_file(copy.key, work / name, sha256=copy.sha256)
            except NotFoundError:
                raise PackageError(f"the archive copy of document {record.id[:12]} is missing from the store",
                                   path=copy.key) from None
            files.append(("copy", name, copy.media_type, copy.sha256))
        state = state_of(self.archive, self.retention, record)
        meta = agid.metadata_xml(record, self.settings, self.retention, files={r: p for r, p, _, _ in files},
                                 retain_until=state.until)
        meta_name = f"{folder}/metadati.xml"
        (work / meta_name).write_bytes(meta)
        files.append(("metadata", meta_name, "application/xml", hashlib.sha256(meta).hexdigest()))
        summary.documents += 1
        summary.files += len(files)
        summary.bytes += sum((work / p).stat().st_size for _, p, _, _ in files)
        if on_document:
            on_document(record)
        return record, files

    def _index(self, summary: PackageSummary, groups: list, by: Actor, query: dict[str, str]) -> bytes:
        ET.register_namespace("sincro", SINCRO_NS)
        root = ET.Element(_q("IdC"), {_q("url"): SINCRO_NS, _q("version"): "2.0"})
        me = _s(root, "SelfDescription")
        _s(me, "ID", summary.id, scheme="local")
        app = _s(me, "CreatingApplication")
        _s(app, "Name", "Archivio")
        _s(app, "Version", __version__)
        _s(app, "Producer", self.settings.producer_name or "Archivio")
        info = _s(me, "MoreInfo", XMLScheme=agid.NS)
        embedded = _s(info, "EmbeddedMetadata")
        described = ET.SubElement(embedded, f"{{{agid.NS}}}Pacchetto")
        for key, value in {"creato_da": str(by), "documenti": str(summary.documents), **query}.items():
            ET.SubElement(described, f"{{{agid.NS}}}Criterio", {"nome": key}).text = value
        vdc = _s(root, "VdC")
        _s(vdc, "ID", summary.id, scheme="local")
        for record, files in groups:
            group = _s(root, "FileGroup")
            _s(group, "Label", f"{agid.TYPES.get(record.doc_class, 'Altro')} {record.id}")
            for role, path, media_type, digest in files:
                node = _s(group, "File", format=media_type, encoding="binary",
                          extension=Path(path).suffix.lstrip(".") or "bin")
                _s(node, "ID", f"{record.id}-{role}", scheme="local")
                _s(node, "Path", path)
                _s(node, "Hash", _b64(digest), function="SHA-256")
        process = _s(root, "Process")
        agent = _s(process, "Agent", type="organization" if self.settings.producer_name else "software",
                   role="Producer")
        _s(_s(agent, "AgentName"), "FormalName", self.settings.producer_name or "Archivio")
        if self.settings.producer_vat:
            _s(agent, "Agent_ID", self.settings.producer_vat, scheme="PartitaIVA")
        if self.settings.producer_cf:
            _s(agent, "Agent_ID", self.settings.producer_cf, scheme="CodiceFiscale")
        if self.settings.manager:
            manager = _s(process, "Agent", type="person", role="PreservationManager")
            _s(_s(manager, "AgentName"), "FormalName", self.settings.manager)
        _s(_s(process, "TimeReference"), "TimeInfo", dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
        _s(process, "LawAndRegulations", "AgID, Linee guida sulla formazione, gestione e conservazione dei documenti "
                                         "informatici (2021); DM 17 giugno 2014; art. 2220 c.c.")
        ET.indent(root)
        return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _zip(folder: Path, output: Path) -> None:
    tmp = output.with_name(f".{output.name}.part")
    try:
        with zipfile.ZipFile(tmp, "w", allowZip64=True) as zf:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                name = path.relative_to(folder).as_posix()
                compress = zipfile.ZIP_STORED if name.startswith("documents/") and "metadati" not in name \
                    else zipfile.ZIP_DEFLATED
                zf.write(path, name, compress_type=compress)
        tmp.replace(output)
    finally:
        tmp.unlink(missing_ok=True)


# -- checking ---------------------------------------------------------------------------------
_schema: xmlschema.XMLSchema | None = None


def validate_index(index: bytes) -> list[str]:
    """Why the index does not validate against ``sincro.xsd`` (empty: it does)."""
    global _schema
    if _schema is None:
        _schema = xmlschema.XMLSchema(str(SCHEMA))
    try:
        return [f"{e.path}: {e.reason}" for e in _schema.iter_errors(index.decode("utf-8"))]
    except (ET.ParseError, xmlschema.XMLSchemaException, UnicodeDecodeError) as exc:
        return [f"the index is not readable XML: {exc}"]


@dataclass
class PackageReport:
    documents: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)
    timestamp: str | None = None
    tsa: str | None = None
    signer: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_package(path: Path, *, tsa_ca: Path | None = None, signer_ca: Path | None = None) -> PackageReport:
    """Check a package as a conservator would; every difference is named in ``problems``."""
    path = Path(path)
    if not path.exists():
        raise PackageError(f"no package at {path}", path=str(path))
    if path.is_dir():
        return _verify_folder(path, tsa_ca, signer_ca)
    with tempfile.TemporaryDirectory(prefix="archivio-verify-") as tmp:
        try:
            with zipfile.ZipFile(path) as zf:
                for member in zf.infolist():
                    target = (Path(tmp) / member.filename).resolve()
                    if not str(target).startswith(str(Path(tmp).resolve())):
                        raise PackageError(f"the ZIP names a file outside itself: {member.filename}", path=str(path))
                zf.extractall(tmp)
        except zipfile.BadZipFile as exc:
            raise PackageError(f"neither a package folder nor a readable ZIP ({exc})", path=str(path)) from None
        return _verify_folder(Path(tmp), tsa_ca, signer_ca)


def _verify_folder(folder: Path, tsa_ca: Path | None, signer_ca: Path | None) -> PackageReport:
    report = PackageReport()
    index_path = folder / INDEX
    if not index_path.is_file():
        report.problems.append(f"{INDEX}: missing — this is not a preservation package")
        return report
    index = index_path.read_bytes()
    report.problems += [f"{INDEX}: does not validate against the SInCRO schema: {p}" for p in validate_index(index)]
    try:
        root = ET.fromstring(index)
    except ET.ParseError:
        return report
    listed: set[str] = set()
    for group in root.iter(_q("FileGroup")):
        report.documents += 1
        for node in group.iter(_q("File")):
            rel = (node.findtext(_q("Path")) or "").strip()
            hash_node = node.find(_q("Hash"))
            listed.add(rel)
            report.files += 1
            target = (folder / rel).resolve()
            if not rel or not str(target).startswith(str(folder.resolve())):
                report.problems.append(f"{rel or '(no path)'}: the index names a file outside the package")
                continue
            if not target.is_file():
                report.problems.append(f"{rel}: missing (listed in the index)")
                continue
            try:
                expected = base64.b64decode(hash_node.text or "").hex() if hash_node is not None else ""
            except ValueError:
                expected = ""
            actual = sha256_file(target)
            if actual != expected:
                report.problems.append(f"{rel}: altered — its SHA-256 is {actual}, the index records {expected or 'none'}")
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if rel not in listed and rel not in _SEALS:
            report.problems.append(f"{rel}: not in the index (added to the package)")
    _check_timestamp(folder, index, tsa_ca, report)
    _check_signature(folder, index, signer_ca, report)
    return report


def _check_timestamp(folder: Path, index: bytes, tsa_ca: Path | None, report: PackageReport) -> None:
    tsr = folder / TIMESTAMP
    if not tsr.is_file():
        report.notes.append("the index carries no timestamp")
        return
    try:
        stamp = check_timestamp(tsr.read_bytes(), index, trusted=load_certs(tsa_ca) if tsa_ca else None)
    except (TimestampError, SignatureError) as exc:
        report.problems.append(f"{TIMESTAMP}: {exc.reason}")
        return
    report.timestamp, report.tsa = stamp.gen_time.isoformat(), stamp.tsa
    if tsa_ca is None:
        report.notes.append("the timestamp's TSA certificate was not checked against a CA (give --tsa-ca)")


def _check_signature(folder: Path, index: bytes, signer_ca: Path | None, report: PackageReport) -> None:
    p7s = folder / SIGNATURE
    if not p7s.is_file():
        return
    try:
        cert = verify_signed_data(load_signature(p7s.read_bytes()), index,
                                  load_certs(signer_ca) if signer_ca else None)
    except SignatureError as exc:
        report.problems.append(f"{SIGNATURE}: {exc.reason}")
        return
    report.signer = cert.subject.rfc4514_string()
