"""Copy an archive from one store to another (the embedded folder into an S3 bucket), verifying
every object's SHA-256 and resumable: an object already at the target with the same SHA-256 is
skipped, so running it again after an interruption carries on where it stopped.

Order: incoming, originals and archive copies first, then the records, so that at every moment a record in the
target has its original there too; then API tokens and the audit trail, whose head comes last so
that an interrupted copy never names entries the target does not have yet. Originals and archive copies keep
their retention and legal hold; an original
filed before retention was configured gets the retention its class has now.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..config import RetentionSettings
from ..errors import ArchivioError, IntegrityError, NotFoundError
from .base import ObjectInfo, ObjectStore, Retention
from .local import sha256_file
from .retention import retention_for

ORDER = ("incoming/", "originals/", "archive-copies/", "text/", "record-versions/", "records/", "tokens/",
         "audit/log/", "audit/documents/", "audit/bulk/", "audit/head.json")


@dataclass
class MigrationReport:
    copied: int = 0
    skipped: int = 0  # already at the target, same SHA-256
    bytes_copied: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


def keys_to_migrate(source: ObjectStore) -> list[str]:
    keys: list[str] = []
    for prefix in ORDER[:-1]:
        keys.extend(source.iter_keys(prefix))
    # Anything else the archive keeps moves too, before the audit head that closes the copy.
    keys.extend(k for k in source.iter_keys("") if not k.startswith(ORDER))
    keys.extend(source.iter_keys(ORDER[-1]))
    return keys


def migrate(source: ObjectStore, target: ObjectStore, keys: list[str], *, policy: RetentionSettings,
            on_object: Callable[[str, str], None] = lambda key, outcome: None) -> MigrationReport:
    """Copy ``keys`` from ``source`` to ``target``; ``on_object(key, "copied"|"skipped"|"failed")``."""
    report = MigrationReport()
    for key in keys:
        try:
            outcome = _migrate_one(source, target, key, policy, report)
        except ArchivioError as exc:
            report.failed.append((key, exc.reason))
            outcome = "failed"
        on_object(key, outcome)
    return report


def _migrate_one(source: ObjectStore, target: ObjectStore, key: str, policy: RetentionSettings,
                 report: MigrationReport) -> str:
    info = source.info(key)
    expected = _expected_sha(key, info)
    with _local_copy(source, key, expected) as path:
        # Records and text written without metadata have no recorded SHA-256: take it now.
        expected = expected or sha256_file(path)
        with contextlib.suppress(NotFoundError):
            if target.info(key).sha256 == expected:
                report.skipped += 1
                return "skipped"
        # Archive copies and e-invoice renderings are kept as long as their originals.
        retention = _retention(info, policy) if key.startswith(("originals/", "archive-copies/", "copies/")) else None
        # put_file hashes what it sends and refuses it unless it matches ``expected``.
        target.put_file(key, path, sha256=expected, metadata=info.metadata, retention=retention)
    if info.legal_hold:
        target.set_legal_hold(key, True)
    report.copied += 1
    report.bytes_copied += info.size
    return "copied"


def _expected_sha(key: str, info: ObjectInfo) -> str | None:
    """An original's SHA-256 is its name; other objects carry it in their metadata (if recorded)."""
    if key.startswith(("originals/", "incoming/")):
        name = key.rsplit("/", 1)[1]
        if info.sha256 and info.sha256 != name:
            raise IntegrityError(f"recorded SHA-256 {info.sha256} differs from the object's name", path=key)
        return name
    return info.sha256


def _retention(info: ObjectInfo, policy: RetentionSettings) -> Retention | None:
    if info.retention is not None:
        return info.retention if info.retention.active() else None
    doc_class = info.metadata.get("class", "other")
    started = info.metadata.get("ingested-at")
    try:
        when = dt.datetime.fromisoformat(started) if started else dt.datetime.now(dt.timezone.utc)
    except ValueError:
        when = dt.datetime.now(dt.timezone.utc)
    retention = retention_for(policy, doc_class, when)
    return retention if retention is not None and retention.active() else None


@contextlib.contextmanager
def _local_copy(source: ObjectStore, key: str, expected: str | None) -> Iterator[Path]:
    local = getattr(source, "local_path", None)
    if local is not None:
        yield local(key)
        return
    with tempfile.TemporaryDirectory(prefix="archivio-migrate-") as tmp:
        path = Path(tmp) / "object"
        source.get_file(key, path, sha256=expected)
        yield path
