"""Retention as the archive lives it: re-applied when a date is corrected, reported when it ends.

``pipeline.store.retention`` computes a document's rule from its fields; this module applies it
to the original in the store (only ever extending it) and lists which documents' retention has
ended, by class and year, with the legal holds that keep some of them anyway.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, field

from ..audit import RETENTION_SET, Actor, AuditLog
from ..config import RetentionSettings
from ..errors import ArchivioError
from ..records import Record
from ..store import Archive
from ..store.retention import RetentionRule, effective_until, retention_of, retention_to_apply, rule_for

log = logging.getLogger(__name__)
UTC = dt.timezone.utc


def reapply_retention(archive: Archive, audit: AuditLog, policy: RetentionSettings, record: Record, *,
                      by: Actor) -> dt.datetime | None:
    """Extend the original's retention to what the record's (corrected) dates call for.

    Returns the new retain-until date, or None when nothing changed: a rule that asks for less
    than the store holds leaves the store as it is (retention is never shortened)."""
    # A part cut from its parent's original shares that original: its rule may only extend it.
    if not archive.store.enforces_retention or not archive.has_original(record.sha256):
        return None
    current = archive.original_info(record.sha256).retention
    wanted = retention_to_apply(retention_of(policy, record), current)
    if wanted is None:
        return None
    archive.set_retention(record.sha256, wanted)
    audit.append(RETENTION_SET, actor=by, documents=[record.id],
                 details={"mode": wanted.mode, "until": wanted.until.isoformat(), "via": "rule",
                          "rule": rule_for(policy, record).describe(),
                          "was": current.until.isoformat() if current else None})
    return wanted.until


@dataclass
class RetentionState:
    """One document as the report and disposal see it."""

    record: Record
    rule: RetentionRule
    until: dt.datetime | None  # the later of the rule and the store's lock; None: kept indefinitely
    store_until: dt.datetime | None
    legal_hold: bool

    @property
    def date(self) -> str | None:
        f = self.record.field_value
        return f("date") or f("agreement_date") or f("expiration_date")

    def due(self, before: dt.datetime) -> bool:
        return self.until is not None and self.until <= before

    def blocked_by(self) -> str | None:
        """Why the document may not be disposed of whatever its dates, or None."""
        if self.legal_hold:
            return "legal hold"
        if self.record.needs_review:
            return "open review"
        return None


def state_of(archive: Archive, policy: RetentionSettings, record: Record) -> RetentionState:
    rule = rule_for(policy, record)
    current, hold = None, False
    try:
        if archive.has_original(record.sha256):
            info = archive.original_info(record.sha256)
            current, hold = info.retention, info.legal_hold
    except ArchivioError as exc:  # unreadable lock state: never report it as due
        log.warning("retention of %s unknown: %s", record.id[:12], exc)
        return RetentionState(record, rule, None, None, False)
    return RetentionState(record, rule, effective_until(rule, current), current.until if current else None, hold)


@dataclass
class RetentionReport:
    due_before: dt.datetime
    documents: int = 0
    due: list[RetentionState] = field(default_factory=list)
    holds: list[RetentionState] = field(default_factory=list)
    kept: int = 0  # not due yet, or kept indefinitely

    def groups(self) -> list[tuple[str, str, int]]:
        """(class, year of the document date, count) of the due documents, sorted."""
        counts = Counter((s.record.doc_class, (s.date or "")[:4] or "—") for s in self.due)
        return sorted((c, y, n) for (c, y), n in counts.items())

    def as_json(self) -> dict:
        return {
            "due_before": self.due_before.isoformat(), "documents": self.documents, "kept": self.kept,
            "groups": [{"class": c, "year": y, "count": n} for c, y, n in self.groups()],
            "due": [_doc(s) for s in self.due], "legal_holds": [_doc(s) for s in self.holds],
        }


def _doc(s: RetentionState) -> dict:
    return {"id": s.record.id, "class": s.record.doc_class, "date": s.date, "filename": s.record.source.filename,
            "retain_until": s.until.isoformat() if s.until else None, "rule": s.rule.describe(),
            "legal_hold": s.legal_hold, "blocked_by": s.blocked_by()}


def retention_report(archive: Archive, policy: RetentionSettings, *, due_before: dt.datetime | None = None) -> RetentionReport:
    """Every document whose retention ends before ``due_before`` (default: now), and every legal hold."""
    report = RetentionReport(due_before or dt.datetime.now(UTC))
    for record in archive.iter_records():
        state = state_of(archive, policy, record)
        report.documents += 1
        if state.legal_hold:
            report.holds.append(state)
        if state.due(report.due_before):
            report.due.append(state)
        else:
            report.kept += 1
    report.due.sort(key=lambda s: (s.record.doc_class, s.date or "", s.record.id))
    return report
