"""Reconciliation of the journal, the store and the index (`archivio check`).

The store is the source of truth. The index is derived from it, so every difference on the
index side is repaired from the store. Differences on the store side are reported: they are
never "repaired" by deleting anything.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import ArchivioError, StoreUnavailableError
from .index import SearchIndex
from .journal import FILED, QUARANTINED, QUEUED, RUNNING, STORED, Journal
from .store import Archive

log = logging.getLogger(__name__)


@dataclass
class CheckReport:
    records: int = 0
    indexed: int = 0
    jobs: dict[str, int] = field(default_factory=dict)
    not_indexed: list[str] = field(default_factory=list)  # record in the store, not in the index
    stale_in_index: list[str] = field(default_factory=list)  # index holds an older record version
    orphans_in_index: list[str] = field(default_factory=list)  # in the index, no record in the store
    filed_without_record: list[str] = field(default_factory=list)  # journal says filed, store disagrees
    lost_jobs: list[str] = field(default_factory=list)  # queued, but its stored copy is gone
    records_without_job: list[str] = field(default_factory=list)  # e.g. a journal restored from backup
    leftover_incoming: list[str] = field(default_factory=list)  # staged copies already filed
    damaged: list[tuple[str, str]] = field(default_factory=list)  # (document, why): unreadable records
    repaired: int = 0

    @property
    def index_differences(self) -> int:
        return len(self.not_indexed) + len(self.stale_in_index) + len(self.orphans_in_index)

    @property
    def serious(self) -> list[str]:
        """Problems a person must look at (nothing here is fixed automatically)."""
        out = [f"journal says {i[:12]} is filed but the store has no record" for i in self.filed_without_record]
        out += [f"job {i[:12]} is waiting but its stored copy is missing" for i in self.lost_jobs]
        out += [f"record {i[:12]} cannot be read: {why}" for i, why in self.damaged]
        return out


def check(archive: Archive, index: SearchIndex, journal: Journal, *, repair: bool,
          progress: Callable[[int], None] | None = None) -> CheckReport:
    report = CheckReport(jobs=journal.counts())
    record_versions: dict[str, int] = {}
    for doc_id in archive.record_ids():
        try:
            record_versions[doc_id] = archive.get_record(doc_id).version
        except StoreUnavailableError:
            raise  # an outage is no damage: nothing can be checked now
        except (ArchivioError, ValueError) as exc:
            # One damaged object is reported; the rest of the archive is still checked.
            report.damaged.append((doc_id, getattr(exc, "reason", str(exc))))
            continue
        finally:
            if progress:
                progress(1)
    damaged = {doc_id for doc_id, _ in report.damaged}
    report.records = len(record_versions) + len(damaged)
    indexed = dict(index.ids())
    report.indexed = len(indexed)

    for doc_id, version in record_versions.items():
        if doc_id not in indexed:
            report.not_indexed.append(doc_id)
        elif indexed[doc_id] != version:
            report.stale_in_index.append(doc_id)
    # A damaged record is still the store's: its index entry is no orphan to remove.
    report.orphans_in_index = [doc_id for doc_id in indexed if doc_id not in record_versions and doc_id not in damaged]

    jobs = {job.sha256: job for job in journal.in_state(QUEUED, RUNNING, STORED, FILED, QUARANTINED)}
    for sha, job in jobs.items():
        if job.state in (STORED, FILED) and sha not in record_versions and sha not in damaged:
            report.filed_without_record.append(sha)
        if job.state in (QUEUED, RUNNING) and sha not in record_versions and not archive.has_incoming(sha) \
                and not archive.has_original(sha):
            report.lost_jobs.append(sha)
    # The documents cut from one original (<sha256>-<n>: a stack's documents, invoices 2…n of an
    # e-invoice file) came with that original's job.
    report.records_without_job = [doc_id for doc_id in record_versions if doc_id.split("-")[0] not in jobs]
    for key in archive.store.iter_keys("incoming/"):
        sha = key.rsplit("/", 1)[1]
        if sha in record_versions and archive.has_original(sha):
            report.leftover_incoming.append(sha)

    if repair:
        report.repaired = _repair(archive, index, journal, report, jobs)
    return report


def _repair(archive: Archive, index: SearchIndex, journal: Journal, report: CheckReport, jobs: dict) -> int:
    repaired = 0
    to_index = report.not_indexed + report.stale_in_index
    if to_index:
        result = index.upsert(archive.get_record(doc_id) for doc_id in to_index)
        repaired += result.indexed
        for doc_id, reason in result.failed:
            log.error("could not index %s: %s", doc_id[:12], reason)
    for doc_id in report.orphans_in_index:
        index.delete(doc_id)
        repaired += 1
    for doc_id in to_index:
        job = jobs.get(doc_id)
        if job is not None and job.state == STORED:
            journal.mark(job.id, FILED)
    for sha in report.leftover_incoming:
        archive.drop_incoming(sha)
        repaired += 1
    return repaired
