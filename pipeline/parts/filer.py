"""File what an analysis yields: the one filing step of the local dispatcher and the Celery worker.

Both modes call ``file_analysis`` with the same analysis and so file the same things, in the same
order, so that a crash anywhere is repaired by running the job again:

  original to its permanent key (retention: the longest any document in it needs)
  → archive copies (PDF/A: the document's and each stack part's) under that retention
  → stack part records
  → what the file's structure yields (``parts.filing``: e-invoice rendering, bodies 2…n,
    Allegati and mail attachments handed on, SdI links)
  → version 1 of the record, created exclusively (two deliveries of one document read at the
    same time file one record: the later adopts the first's)
  → the current record: its presence means "filed".

Every step is idempotent by SHA-256: copies filed before are kept as they are (they may be
locked), records are rewritten identically, an extracted file already taken is not taken again.
Indexing and auditing are the caller's (``index_documents``, ``documents_of``): they are retried
apart when the index is away.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..config import Settings
from ..faults import crash_point
from ..journal import Job
from ..records import Record
from ..store import Archive, Retention, filing_retention
from ..store.archive import record_version_key
from ..store.exclusive import create_exclusive
from . import Derived
from .filing import Handoff, body_ids, file_parts
from .origin import apply_origin


@dataclass
class Filed:
    record: Record
    # Other records this filing changed (SdI messages linked), indexed with it.
    changed: list[Record] = field(default_factory=list)


def file_analysis(archive: Archive, settings: Settings, job: Job, analysis, handoff: Handoff) -> Filed:
    """File the document ``job`` as ``analysis`` read it, and everything it yields. The temporary
    archive copies are removed once filed; on an error the caller calls ``derived.discard()``."""
    from ..process import build_part_record, build_record

    derived: Derived = analysis.derived or Derived()
    record = build_record(job, analysis)
    parts = [build_part_record(job, part) for part in derived.parts]
    record.parts = [part.id for part in parts]
    # A stack is kept as long as the longest-kept document in it.
    retention = _longest([filing_retention(settings.retention, r) for r in (record, *parts)])
    archive.file_original(job.sha256, {"sha256": job.sha256, "class": record.doc_class, "filename": job.filename,
                                       "ingested-at": record.ingested_at.isoformat()}, retention=retention)
    crash_point("dispatch.after_original")
    apply_origin(archive.store, record)
    _file_copies(archive, job, record, parts, derived, retention)
    for part in parts:  # before the stack's record: its presence means "filed"
        archive.save_record(part)
    changed = file_parts(archive, handoff, record, derived, retention)
    if not create_exclusive(archive.store, record_version_key(record.id, 1), record.to_json().encode(),
                            content_type="application/json"):
        # Another delivery of the same document (or a filing cut short) got there first: one
        # record, the first reading.
        record = Record.from_json(archive.store.get_bytes(record_version_key(record.id, 1)))
    archive.save_record(record, version_stored=True)
    crash_point("dispatch.after_record")
    derived.discard()
    return Filed(record, [r for r in changed if r.id not in body_ids(record)])


def documents_of(archive: Archive, record: Record) -> list[Record]:
    """A filed record and the documents cut from the same original (stack parts, invoices 2…n):
    indexed and audited together."""
    return [record, *(archive.get_record(b) for b in body_ids(record))]


def _file_copies(archive: Archive, job: Job, record: Record, parts: list[Record], derived: Derived,
                 retention: Retention | None) -> None:
    """Archive copies beside the original, under the original's retention."""
    from ..process import copy_entry

    for target, copy in ((record, derived.copy), *zip(parts, (p.copy for p in derived.parts))):
        if copy is None:
            continue
        info = archive.file_copy(target.id, Path(copy.path), sha256=copy.sha256, retention=retention,
                                 metadata={"sha256": copy.sha256, "original": job.sha256, "format": copy.format,
                                           "filename": job.filename, "class": record.doc_class,
                                           "ingested-at": record.ingested_at.isoformat()})
        target.archive_copy = copy_entry(copy, info)


def _longest(retentions: list[Retention | None]) -> Retention | None:
    kept = [r for r in retentions if r is not None]
    return max(kept, key=lambda r: r.until) if kept else None
