"""Document-level operations on any ``ObjectStore``: the archive's key layout lives here only.

Key layout (the same in the local folder and in an S3 bucket, under an optional prefix):

    incoming/<sha256>                         the original as taken from the inbox, until filed
    originals/<sha[:2]>/<sha256>              the filed original, content-addressed, never rewritten;
                                              retention (Object Lock) per class, legal hold
    records/<sha[:2]>/<sha256>.json           the current record (class, fields, text, history)
    record-versions/<sha[:2]>/<sha256>/<n>.json  every version of the record, n = 000001, 000002…
    text/<sha[:2]>/<sha256>.txt               the document's text, for reindexing and export
    archive-copies/<id[:2]>/<id>.pdf          the searchable PDF/A copy of a scan (id: the sha256, or
                                              <sha256>-<n> for the n-th document of a stack); same
                                              retention and legal hold as the original
    copies/<sha[:2]>/<sha256>.html            the human-readable rendering of an e-invoice; same
                                              retention and legal hold as the original

Every object carries its SHA-256 in its metadata; originals also carry ``class``, ``filename``
(the name it arrived with) and ``ingested-at``. The document id is the original's SHA-256.

The store is the source of truth: the search index is derived from ``records/`` and can always
be rebuilt from it.
"""

from __future__ import annotations

import contextlib
import hashlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import IntegrityError, NotFoundError
from ..records import ArchiveCopy, Record, utcnow
from .base import ObjectInfo, ObjectStore, Retention, durable_batch


def incoming_key(sha256: str) -> str:
    return f"incoming/{sha256}"


def original_key(sha256: str) -> str:
    return f"originals/{sha256[:2]}/{sha256}"


def record_key(doc_id: str) -> str:
    return f"records/{doc_id[:2]}/{doc_id}.json"


def record_version_key(doc_id: str, version: int) -> str:
    return f"record-versions/{doc_id[:2]}/{doc_id}/{version:06d}.json"


def text_key(doc_id: str) -> str:
    return f"text/{doc_id[:2]}/{doc_id}.txt"


def copy_key(doc_id: str) -> str:
    return f"archive-copies/{doc_id[:2]}/{doc_id}.pdf"


def rendering_key(sha256: str, ext: str = "html") -> str:
    return f"copies/{sha256[:2]}/{sha256}.{ext}"


class Archive:
    def __init__(self, store: ObjectStore):
        self.store = store

    # -- originals ------------------------------------------------------------------------
    def put_incoming(self, path: Path, sha256: str, metadata: dict[str, str]) -> None:
        with durable_batch(self.store):  # the bytes and their sidecar, durable before intake goes on
            self.store.put_file(incoming_key(sha256), path, sha256=sha256, metadata=metadata)

    def has_incoming(self, sha256: str) -> bool:
        return self.store.exists(incoming_key(sha256))

    def drop_incoming(self, sha256: str) -> None:
        self.store.delete(incoming_key(sha256))

    def file_original(self, sha256: str, metadata: dict[str, str], retention: Retention | None) -> None:
        """Move the original from ``incoming/`` to its permanent, content-addressed key."""
        dest = original_key(sha256)
        with durable_batch(self.store):  # the filed copy is durable before the incoming one goes
            # An original without its metadata was cut short between its bytes and its sidecar (a
            # crash): copying again keeps the bytes and writes the sidecar, retention included.
            if not self.store.exists(dest) or not self.store.info(dest).metadata:
                self.store.copy(incoming_key(sha256), dest, metadata=metadata, retention=retention)
            self.store.delete(incoming_key(sha256))

    @contextlib.contextmanager
    def original_file(self, sha256: str) -> Iterator[Path]:
        """A local path holding the verified original, filed or still incoming."""
        key = original_key(sha256) if self.store.exists(original_key(sha256)) else incoming_key(sha256)
        local = getattr(self.store, "local_path", None)
        if local is not None:
            yield local(key)
            return
        with tempfile.TemporaryDirectory(prefix="archivio-") as tmp:
            dest = Path(tmp) / sha256
            self.store.get_file(key, dest, sha256=sha256)
            yield dest

    def get_original(self, sha256: str, dest: Path) -> None:
        """Write the original to ``dest`` after checking its SHA-256 (``IntegrityError`` names the document)."""
        try:
            self.store.get_file(original_key(sha256), dest, sha256=sha256)
        except IntegrityError as exc:
            raise IntegrityError(f"the original of document {sha256[:12]} is damaged or was altered ({exc.reason})",
                                 path=original_key(sha256)) from None

    def original_info(self, sha256: str) -> ObjectInfo:
        """Size, metadata, retention and legal hold of the filed original."""
        return self.store.info(original_key(sha256))

    def set_legal_hold(self, sha256: str, on: bool) -> None:
        """Hold (or release) the original and every archive copy made from it."""
        self.store.set_legal_hold(original_key(sha256), on)
        for key in self.copy_keys(sha256):
            self.store.set_legal_hold(key, on)

    def set_retention(self, sha256: str, retention: Retention) -> None:
        """Extend the retention of the filed original and its archive copies (never shortened:
        ``RetentionLockedError``)."""
        self.store.set_retention(original_key(sha256), retention)
        for key in self.copy_keys(sha256):
            self.store.set_retention(key, retention)

    # -- archive copies -------------------------------------------------------------------
    def file_copy(self, doc_id: str, path: Path, *, sha256: str, metadata: dict[str, str],
                  retention: Retention | None) -> ObjectInfo:
        """Store an archive copy beside the original, with the original's retention. A copy filed
        before (a job run again after a crash) is kept: it may already be locked."""
        key = copy_key(doc_id)
        if not self.store.exists(key):
            with durable_batch(self.store):
                self.store.put_file(key, path, sha256=sha256, metadata=metadata, retention=retention)
        return self.store.info(key)

    def file_rendering(self, sha256: str, data: bytes, *, media_type: str, format: str,
                       retention: Retention | None, metadata: dict[str, str] | None = None) -> ArchiveCopy:
        """Store an e-invoice's human-readable rendering beside its original, with the original's
        retention; kept as first filed when filed again (it may already be locked)."""
        key = rendering_key(sha256)
        sha = hashlib.sha256(data).hexdigest()
        if not self.store.exists(key):
            with tempfile.TemporaryDirectory(prefix="archivio-") as tmp:
                path = Path(tmp) / "rendering"
                path.write_bytes(data)
                with durable_batch(self.store):
                    self.store.put_file(key, path, sha256=sha, retention=retention,
                                        metadata={**(metadata or {}), "sha256": sha, "original": sha256,
                                                  "format": format})
        info = self.store.info(key)
        return ArchiveCopy(key=key, sha256=info.sha256 or sha, size=info.size, media_type=media_type.split(";")[0],
                           format=format, created_at=utcnow())

    def has_copy(self, doc_id: str) -> bool:
        return self.store.exists(copy_key(doc_id))

    def get_copy(self, doc_id: str, dest: Path, *, sha256: str) -> None:
        """Write the archive copy to ``dest`` after checking its SHA-256 against the record's."""
        try:
            self.store.get_file(copy_key(doc_id), dest, sha256=sha256)
        except IntegrityError as exc:
            raise IntegrityError(f"the archive copy of document {doc_id[:12]} is damaged or was altered "
                                 f"({exc.reason})", path=copy_key(doc_id)) from None

    def copy_keys(self, sha256: str) -> list[str]:
        """The copies made from the original ``sha256``: its archive copies (its own, its stack
        parts', those re-cut after a boundary move) and its e-invoice rendering."""
        return [*(k for k in self.store.iter_keys(f"archive-copies/{sha256[:2]}/{sha256}") if k.endswith(".pdf")),
                *self.store.iter_keys(f"copies/{sha256[:2]}/{sha256}.")]

    def original_url(self, sha256: str, *, expires_seconds: int, filename: str | None = None) -> str:
        """A download link to the original for someone without store credentials (an auditor);
        only where ``store.makes_download_links``."""
        return self.store.download_url(original_key(sha256), expires_seconds=expires_seconds, filename=filename)

    def has_original(self, sha256: str) -> bool:
        return self.store.exists(original_key(sha256))

    # -- records --------------------------------------------------------------------------
    def save_record(self, record: Record, *, version_stored: bool = False) -> bool:
        """Write a record version, then make it current, unless the current record is newer
        (a late write from a redelivered task or a slow worker): then False, nothing replaced.
        ``version_stored``: the version object is there already (created exclusively by the filing).

        The version check reads before it writes: two writers of different versions in the same
        instant are ordered by the index (external versions), and the store keeps every version."""
        data = record.to_json().encode()
        meta = {"sha256": record.sha256, "class": record.doc_class}
        # All durable when this returns (the caller then tells the journal), with one fsync per folder.
        with durable_batch(self.store):
            if not version_stored:
                self.store.put_bytes(record_version_key(record.id, record.version), data,
                                     content_type="application/json")
            current = self.current_version(record.id)
            if current is not None and current > record.version:
                return False
            self.store.put_bytes(record_key(record.id), data, metadata=meta, content_type="application/json")
            self.store.put_bytes(text_key(record.id), record.text.encode(), content_type="text/plain; charset=utf-8")
        return True

    def current_version(self, doc_id: str) -> int | None:
        try:
            return Record.from_json(self.store.get_bytes(record_key(doc_id))).version
        except NotFoundError:
            return None

    def get_record(self, doc_id: str) -> Record:
        try:
            return Record.from_json(self.store.get_bytes(record_key(doc_id)))
        except NotFoundError:
            raise NotFoundError(f"no document {doc_id} in the archive", path=doc_id) from None

    def has_record(self, doc_id: str) -> bool:
        return self.store.exists(record_key(doc_id))

    def record_versions(self, doc_id: str) -> list[Record]:
        prefix = f"record-versions/{doc_id[:2]}/{doc_id}/"
        return [Record.from_json(self.store.get_bytes(k)) for k in sorted(self.store.iter_keys(prefix))]

    def record_ids(self) -> Iterator[str]:
        for key in self.store.iter_keys("records/"):
            if key.endswith(".json"):
                yield key.rsplit("/", 1)[1][: -len(".json")]

    def iter_records(self) -> Iterator[Record]:
        for doc_id in self.record_ids():
            yield self.get_record(doc_id)

    def resolve(self, id_or_prefix: str) -> str:
        """The full document id for an id or a unique prefix of at least 6 characters."""
        wanted = id_or_prefix.strip().lower()
        if (len(wanted) >= 64 or "-" in wanted) and self.has_record(wanted):
            return wanted
        if len(wanted) < 6:
            raise NotFoundError(f"document id {id_or_prefix!r} is too short: give at least 6 characters")
        matches = [k.rsplit("/", 1)[1][:-5] for k in self.store.iter_keys(f"records/{wanted[:2]}/{wanted}")]
        if not matches:
            raise NotFoundError(f"no document {id_or_prefix} in the archive", path=id_or_prefix)
        documents = {m.split("-")[0] for m in matches}
        if len(matches) > 1 and len(documents) == 1 and next(iter(documents)) in matches:
            return next(iter(documents))  # an e-invoice file and its further invoices: the file itself
        if len(matches) > 1:
            # A stack and its parts share the prefix: the prefix names the stack.
            stacks = {m for m in matches if "-" not in m}
            if len(stacks) == 1 and all(m.split("-")[0] in stacks for m in matches):
                return stacks.pop()
            raise NotFoundError(f"{id_or_prefix} matches {len(matches)} documents; give more characters")
        return matches[0]
