"""Review: people correct what the machine read, and confirm documents flagged for review.

Every change makes a new record version (``record.version + 1``) and keeps the old values in
the record's history. Concurrency is optimistic: the reviewer sends the version they looked
at; if the archive holds another one, the change is refused (``ConflictError``, HTTP 409) and
they reload. The new version is claimed with a create-only write of its
``record-versions/…/<n>.json`` object, so two reviewers racing on the same version cannot both
win, even on two API servers. Each change is then re-indexed and written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .audit import CORRECTED, REVIEWED, Actor, AuditLog
from .config import RetentionSettings
from .doubt import low_confidence_reasons
from .errors import ArchivioError, ConflictError, IndexUnavailableError
from .extract import FIELDS, KINDS, REQUIRED, validate
from .extract.amounts import parse_amount
from .extract.dates import find_dates
from .index import SearchIndex, SearchQuery, SearchResults
from .records import DOC_CLASSES, ExtractedField, HistoryEntry, Record, utcnow
from .store import Archive
from .store.archive import record_key, record_version_key
from .store.exclusive import create_exclusive

log = logging.getLogger(__name__)

PAYMENT_WORDS = {"contanti": "cash", "carta": "card"}


class ReviewError(ArchivioError):
    """A correction that cannot be applied as given (unknown field, unreadable value)."""

    stage = "review"


class Correction(BaseModel):
    """What a reviewer changes. An empty value removes the field (it is not on the document)."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid")

    version: int = Field(ge=1, description="The record version the reviewer looked at.")
    doc_class: str | None = Field(None, alias="class", description="New class, if it was wrong.")
    fields: dict[str, str | list[str] | None] = Field(default_factory=dict,
                                                      description="Field name → corrected value.")
    note: str = Field("", max_length=2000, description="Why, in the reviewer's words.")


def field_kinds(doc_class: str) -> dict[str, str]:
    """The fields a document of this class can carry, with how their values are written."""
    return {name: KINDS.get(name, "text") for name in FIELDS.get(doc_class, ())}


def normalise(name: str, kind: str, value: str | list[str]) -> tuple[str | list[str], bool | None, str | None]:
    """A typed, validated value from what the reviewer typed: (value, valid, error)."""
    if kind == "list":
        items = value if isinstance(value, list) else str(value).split(";")
        items = [i.strip() for i in items if i and i.strip()]
        return items, None, None
    if isinstance(value, list):
        raise ReviewError(f"{name}: expected one value, not a list")
    text = value.strip()
    if kind == "amount":
        amount = parse_amount(text)
        if amount is None:
            raise ReviewError(f"{name}: {text!r} is not an amount (write it as 1234.56 or 1.234,56)")
        return f"{amount:.2f}", None, None
    if kind == "date":
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            found = find_dates(text)
            if not found or found[0][1].strip() != text:
                raise ReviewError(f"{name}: {text!r} is not a date that exists (write it as 2024-03-31 or 31/03/2024)") from None
            day = found[0][0]
        error = validate.issue_date(day) if name in ("date", "agreement_date") else None
        return day.isoformat(), error is None, error
    checks = {"vat": validate.vat_id, "iban": validate.iban, "taxcode": validate.codice_fiscale}
    if kind in checks:
        check = checks[kind](text)
        return check.value, check.valid, check.error
    if kind == "currency":
        if len(text) != 3 or not text.isalpha():
            raise ReviewError(f"{name}: {text!r} is not a currency code (EUR, USD, GBP…)")
        return text.upper(), None, None
    if len(text) > 500:
        raise ReviewError(f"{name}: the value is longer than 500 characters")
    if name == "payment_method":
        # the page shows the method in the reader's language; the record keeps one word for it
        return PAYMENT_WORDS.get(text.casefold(), text), None, None
    return text, None, None


class Reviewer:
    """Applies corrections and confirmations to records in the archive."""

    def __init__(self, archive: Archive, index: SearchIndex, audit: AuditLog,
                 retention: RetentionSettings | None = None, *, min_key_confidence: float = 0.5):
        self.archive = archive
        self.index = index
        self.audit = audit
        self.retention = retention  # given: a corrected date or class re-applies the retention rule
        self.min_key_confidence = min_key_confidence

    def correct(self, doc_id: str, correction: Correction, *, by: Actor) -> Record:
        record = self._current(doc_id, correction.version)
        changes: dict[str, Any] = {}
        doc_class = record.doc_class
        if correction.doc_class and correction.doc_class != record.doc_class:
            if correction.doc_class not in DOC_CLASSES:
                raise ReviewError(f"unknown class {correction.doc_class!r}: choose one of {', '.join(DOC_CLASSES)}")
            doc_class = correction.doc_class
            changes["class"] = {"old": record.doc_class, "new": doc_class}

        kinds = field_kinds(doc_class)
        fields = dict(record.fields)
        for name, value in correction.fields.items():
            if name not in kinds and name not in record.fields:
                raise ReviewError(f"{name} is not a field of a {doc_class}; known fields: {', '.join(sorted(kinds))}")
            old = record.fields.get(name)
            if value is None or value == "" or value == []:
                if old is not None:
                    del fields[name]
                    changes[name] = {"old": old.value, "new": None}
                continue
            new_value, valid, error = normalise(name, kinds.get(name, "text"), value)
            if old is not None and old.value == new_value:
                # The same value typed again (03/09/2025 for 2025-09-03) is not a change; where the
                # machine was unsure, it is a person confirming it.
                if old.confidence < 1.0:
                    fields[name] = old.model_copy(update={"confidence": 1.0})
                    changes[name] = {"confirmed": new_value, "old_confidence": old.confidence}
                continue
            fields[name] = ExtractedField(
                value=new_value, raw=value if isinstance(value, str) else "; ".join(value), confidence=1.0,
                page=old.page if old else None, box=old.box if old else None, valid=valid, error=error,
            )
            changes[name] = {"old": old.value if old else None, "new": new_value,
                             "old_confidence": old.confidence if old else None}
        if not changes:
            return record

        reasons = self._reasons(record, doc_class, fields, class_changed="class" in changes)
        # Corrections that resolve every reason take the document out of the queue; ones that
        # leave a reason (or make one: a VAT id typed wrong) keep it, or put it, there.
        needs_review = bool(reasons)
        if needs_review != record.needs_review:
            changes["needs_review"] = {"old": record.needs_review, "new": needs_review}
        updated = record.model_copy(update={
            "doc_class": doc_class,
            "fields": fields,
            "needs_review": needs_review,
            "review_reasons": reasons,
            "version": record.version + 1,
            "updated_at": utcnow(),
            "history": [*record.history, HistoryEntry(at=utcnow(), by=str(by), action=CORRECTED,
                                                      changes={**changes, **({"note": correction.note} if correction.note else {})})],
        })
        self._save(updated)
        self.audit.append(CORRECTED, actor=by, documents=[doc_id],
                          details={"version": updated.version, "changes": changes, "note": correction.note})
        if self.retention is not None and any(k == "class" or KINDS.get(k) == "date" for k in changes):
            from .preservation.retention import reapply_retention

            reapply_retention(self.archive, self.audit, self.retention, updated, by=by)
        return updated

    def retag(self, doc_id: str, *, add: list[str], remove: list[str], by: Actor) -> Record:
        """Add and remove tags on the current version (tags are labels, not readings: no version check)."""
        record = self.archive.get_record(doc_id)
        gone = {t.casefold() for t in remove}
        tags = [t for t in record.tags if t.casefold() not in gone]
        for tag in (" ".join(t.split())[:60] for t in add):
            if tag and tag.casefold() not in {t.casefold() for t in tags}:
                tags.append(tag)
        if tags == record.tags:
            return record
        changes = {"tags": {"old": record.tags, "new": tags}}
        updated = record.model_copy(update={
            "tags": tags, "version": record.version + 1, "updated_at": utcnow(),
            "history": [*record.history, HistoryEntry(at=utcnow(), by=str(by), action=CORRECTED, changes=changes)],
        })
        self._save(updated)
        self.audit.append(CORRECTED, actor=by, documents=[doc_id], details={"version": updated.version, "changes": changes})
        return updated

    def mark_reviewed(self, doc_id: str, version: int, *, by: Actor, note: str = "") -> Record:
        """Confirm the document as it stands now: the review flag and its reasons go to history."""
        record = self._current(doc_id, version)
        if not record.needs_review:
            return record
        changes = {"needs_review": {"old": True, "new": False}, "review_reasons": {"old": record.review_reasons, "new": []}}
        if note:
            changes["note"] = note
        updated = record.model_copy(update={
            "needs_review": False,
            "review_reasons": [],
            "version": record.version + 1,
            "updated_at": utcnow(),
            "history": [*record.history, HistoryEntry(at=utcnow(), by=str(by), action=REVIEWED, changes=changes)],
        })
        self._save(updated)
        self.audit.append(REVIEWED, actor=by, documents=[doc_id],
                          details={"version": updated.version, "reasons": record.review_reasons, "note": note})
        return updated

    # -- helpers --------------------------------------------------------------------------
    def _current(self, doc_id: str, version: int) -> Record:
        record = self.archive.get_record(doc_id)
        if record.version != version:
            last = record.history[-1] if record.history else None
            who = f" by {last.by} at {last.at:%Y-%m-%d %H:%M}" if last else ""
            raise ConflictError(f"the document was changed{who} since you opened it: you edited version {version}, "
                                f"the archive holds version {record.version}; reload it and apply your change again",
                                path=doc_id)
        return record

    def save_version(self, record: Record) -> None:
        """Save a new version made elsewhere (a stack's boundary moved), with the same claim."""
        self._save(record)

    def _save(self, record: Record) -> None:
        """Claim the new version number, then make it the current record and re-index it."""
        data = record.to_json().encode()
        store = self.archive.store
        if not create_exclusive(store, record_version_key(record.id, record.version), data,
                                content_type="application/json"):
            self._roll_forward(record.id, record.version)
            raise ConflictError(f"someone else saved version {record.version} of this document a moment ago; "
                                "reload it and apply your change again", path=record.id)
        store.put_bytes(record_key(record.id), data, metadata={"sha256": record.sha256, "class": record.doc_class},
                        content_type="application/json")
        try:
            report = self.index.upsert([record])
            if report.failed:
                log.error("document %s saved but not re-indexed: %s", record.id, report.failed[0][1])
        except (IndexUnavailableError, ArchivioError) as exc:
            # The store is the source of truth; `archivio reindex` brings the index back in line.
            log.error("document %s saved but not re-indexed: %s", record.id, exc)

    def _roll_forward(self, doc_id: str, version: int) -> None:
        """A writer that claimed a version but died before updating the current record left it behind."""
        try:
            claimed = Record.from_json(self.archive.store.get_bytes(record_version_key(doc_id, version)))
            if self.archive.get_record(doc_id).version < claimed.version:
                self.archive.store.put_bytes(record_key(doc_id), claimed.to_json().encode(),
                                             metadata={"sha256": claimed.sha256, "class": claimed.doc_class},
                                             content_type="application/json")
                self.index.upsert([claimed])
        except ArchivioError as exc:  # the conflict stands either way
            log.warning("could not roll %s forward to version %d: %s", doc_id, version, exc)

    def _reasons(self, record: Record, doc_class: str, fields: dict[str, ExtractedField], *,
                 class_changed: bool) -> list[str]:
        """Reasons still standing: the non-field ones as they were, field ones from the fields now."""
        known = set(field_kinds(record.doc_class)) | set(record.fields) | set(fields)
        kept = [r for r in record.review_reasons
                if r.split(":", 1)[0] not in known and not (class_changed and r.startswith("class uncertain"))]
        kept += [f"{name}: {f.error}" for name, f in fields.items() if f.valid is False and f.error]
        kept += [f"{name}: not found" for name in REQUIRED.get(doc_class, ()) if name not in fields]
        kept += low_confidence_reasons(doc_class, fields, self.min_key_confidence)
        return kept


def review_queue(index: SearchIndex, *, size: int = 20, cursor: str | None = None, offset: int = 0) -> SearchResults:
    """Documents flagged ``needs_review``, oldest document date first: what waits longest first.
    ``offset`` for page N of the web page, ``cursor`` (the previous page's) for deep paging."""
    return index.search(SearchQuery(needs_review=True, sort="date", size=size, cursor=cursor, offset=offset,
                                    facets=False))
