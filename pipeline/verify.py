"""Fixity checks: re-hash stored originals and compare them with their records.

A document's id is the SHA-256 of its original's bytes, recorded when it was taken in. Reading
the stored bytes again and hashing them proves the original is the one that arrived — or names
the one that is not. ``open_original`` is also how export streams originals: it never trusts
the store's own checksum, callers hash what they read.
"""

from __future__ import annotations

import contextlib
import hashlib
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import ArchivioError, NotFoundError
from .store import Archive
from .store.archive import original_key

CHUNK = 1 << 20


@dataclass(frozen=True)
class Fixity:
    id: str
    filename: str
    ok: bool
    expected: str
    actual: str | None = None
    size: int | None = None
    problem: str | None = None


@contextlib.contextmanager
def open_original(archive: Archive, sha256: str) -> Iterator[BinaryIO]:
    """The stored original's bytes as a file, without any check (the caller hashes them)."""
    with open_stored(archive, original_key(sha256), sha256) as fh:
        yield fh


@contextlib.contextmanager
def open_stored(archive: Archive, key: str, name: str) -> Iterator[BinaryIO]:
    """Any stored object's bytes as a file (an original, an archive copy), unchecked."""
    local = getattr(archive.store, "local_path", None)
    if local is not None:
        with local(key).open("rb") as fh:
            yield fh
        return
    with tempfile.TemporaryDirectory(prefix="archivio-") as tmp:
        dest = Path(tmp) / name
        archive.store.get_file(key, dest, check=False)  # the caller's own hash judges the bytes
        with dest.open("rb") as fh:
            yield fh


def verify_document(archive: Archive, doc_id: str) -> Fixity:
    try:
        record = archive.get_record(doc_id)
    except ArchivioError as exc:
        return Fixity(doc_id, "", False, doc_id, problem=f"record unreadable: {exc}")
    expected = record.sha256
    if record.id != record.sha256 and not _cut_from(record):
        return Fixity(doc_id, record.source.filename, False, expected,
                      problem=f"the record's id {record.id[:12]} differs from its SHA-256 {record.sha256[:12]}")
    digest, size = hashlib.sha256(), 0
    try:
        with open_original(archive, expected) as fh:
            for chunk in iter(lambda: fh.read(CHUNK), b""):
                digest.update(chunk)
                size += len(chunk)
    except NotFoundError:
        return Fixity(doc_id, record.source.filename, False, expected, problem="the original is missing from the store")
    actual = digest.hexdigest()
    if actual != expected:
        return Fixity(doc_id, record.source.filename, False, expected, actual, size,
                      problem=f"the stored original was altered: its SHA-256 is now {actual[:16]}…")
    if size != record.size:
        return Fixity(doc_id, record.source.filename, False, expected, actual, size,
                      problem=f"the stored original has {size} bytes, the record says {record.size}")
    return Fixity(doc_id, record.source.filename, True, expected, actual, size)


def _cut_from(record) -> bool:
    """A part cut from the same original (invoice N of an e-invoice file) is named ``<sha256>-N``."""
    return record.parent is not None and record.id.startswith(record.sha256 + "-") and \
        record.parent.relation in ("einvoice-body", "stack-part")


def verify_documents(archive: Archive, ids: Iterable[str],
                     progress: Callable[[Fixity], None] | None = None) -> list[Fixity]:
    results = []
    for doc_id in ids:
        result = verify_document(archive, doc_id)
        results.append(result)
        if progress:
            progress(result)
    return results
