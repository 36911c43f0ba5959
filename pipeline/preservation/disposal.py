"""Disposal (scarto): documents whose retention has ended leave the archive, with four eyes.

1. An admin *proposes* a disposal list: a name, and the documents whose retention has ended,
   each with the rule that makes it eligible. The list is frozen: its SHA-256 goes into the
   audit entry, and approval refuses a list whose items no longer hash to it.
2. A *different* admin approves it (four-eyes: the proposer cannot). Approval re-checks every
   document — a legal hold placed or a review opened since the proposal, or a retention
   extended, stops the whole approval and names the documents; a new list must be proposed.
3. Only then are the originals, archive copies, record versions, records, texts, page previews
   and index entries removed. The original goes first: if the store refuses (S3 Object Lock not
   yet expired, which the server enforces whatever Archivio thinks), nothing else of that
   document is touched. An original several documents share (the bodies of one e-invoice file,
   the parts of a scanned stack) goes only when every one of them is on the list.
4. What remains is the disposal certificate (verbale di scarto): every disposed document's id,
   SHA-256, class, date and rule, who proposed and who approved, written once, under a legal
   hold where the store has them, and sealed into the audit log by its SHA-256. Audit entries
   about disposed documents stay: the log is never rewritten.

Store layout: ``disposal/lists/<id>.json`` (the list and its state), ``disposal/certificates/<id>.json``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import shutil
import uuid
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from ..audit import Actor, AuditLog, canonical
from ..config import RetentionSettings
from ..errors import ArchivioError, ConflictError, NotFoundError, RetentionLockedError, StoreError
from ..index import SearchIndex
from ..records import Record
from ..store import Archive
from ..store.archive import original_key, record_key, text_key
from ..store.exclusive import create_exclusive
from .retention import RetentionState, state_of

log = logging.getLogger(__name__)
UTC = dt.timezone.utc

LIST_PREFIX = "disposal/lists/"
CERTIFICATE_PREFIX = "disposal/certificates/"
DISPOSAL_PROPOSED, DISPOSAL_APPROVED, DISPOSAL_REJECTED = "disposal-proposed", "disposal-approved", "disposal-rejected"
DISPOSED, DISPOSAL_CERTIFIED = "disposed", "disposal-certified"


class DisposalError(ConflictError):
    """A disposal step that cannot be taken as asked (nothing due, a document blocked, wrong state)."""

    stage = "disposal"


class FourEyesError(DisposalError):
    """The approver is the proposer."""


class DisposalItem(BaseModel):
    id: str
    sha256: str
    doc_class: str
    date: str | None
    filename: str
    rule: str
    retain_until: str | None


class DisposalList(BaseModel):
    id: str
    name: str
    status: Literal["proposed", "disposed", "partly-disposed", "rejected"] = "proposed"
    proposed_by: str
    proposed_at: str
    due_before: str
    items: list[DisposalItem]
    items_sha256: str  # frozen: SHA-256 of the items' canonical JSON
    approved_by: str | None = None
    approved_at: str | None = None
    rejected_by: str | None = None
    reason: str = ""
    certificate: str | None = None  # key of the certificate
    certificate_sha256: str | None = None


def items_hash(items: list[DisposalItem]) -> str:
    return hashlib.sha256(canonical({"items": [i.model_dump() for i in items]})).hexdigest()


def list_key(list_id: str) -> str:
    return f"{LIST_PREFIX}{list_id}.json"


def certificate_key(list_id: str) -> str:
    return f"{CERTIFICATE_PREFIX}{list_id}.json"


class Disposer:
    def __init__(self, archive: Archive, index: SearchIndex, audit: AuditLog, policy: RetentionSettings, *,
                 preview_cache: Path | None = None):
        self.archive = archive
        self.index = index
        self.audit = audit
        self.policy = policy
        self.preview_cache = preview_cache

    # -- proposing ------------------------------------------------------------------------
    def propose(self, name: str, *, by: Actor, due_before: dt.datetime | None = None,
                ids: list[str] | None = None) -> DisposalList:
        """Freeze a list of the documents due (or of ``ids``, each of which must be due and free)."""
        name = name.strip()
        if not name:
            raise DisposalError("give the disposal list a name (e.g. \"scarto fatture 2014\")")
        now = dt.datetime.now(UTC)
        cutoff = min(due_before or now, now)  # nothing whose retention has not ended yet, whatever is asked
        if ids:
            records = [self.archive.get_record(self.archive.resolve(i)) for i in dict.fromkeys(ids)]
        else:
            records = list(self.archive.iter_records())
        states = [state_of(self.archive, self.policy, r) for r in records]
        refused: list[str] = []
        free: dict[str, RetentionState] = {}
        for state in states:
            why = self._why_not(state, cutoff)
            if why:
                refused.append(f"{state.record.id[:12]} ({state.record.source.filename}): {why}")
            else:
                free[state.record.id] = state
        # A document made of parts goes only with all of them; drop it (repeatedly) where one stays.
        changed = True
        while changed:
            changed = False
            for doc_id, state in list(free.items()):
                missing = [p for p in state.record.parts if p not in free and self.archive.has_record(p)]
                if missing:
                    del free[doc_id]
                    refused.append(f"{doc_id[:12]} ({state.record.source.filename}): its parts "
                                   f"{', '.join(m[:12] for m in missing)} are not on the list")
                    changed = True
        items = [_item(state) for state in free.values()]
        if ids and refused:
            raise DisposalError("these documents cannot be disposed of: " + "; ".join(refused))
        if not items:
            raise DisposalError(f"no document's retention ended before {cutoff:%Y-%m-%d} and is free of holds "
                                "and open reviews: nothing to propose")
        items.sort(key=lambda i: (i.doc_class, i.date or "", i.id))
        lst = DisposalList(id=f"{now:%Y%m%d}-{uuid.uuid4().hex[:8]}", name=name, proposed_by=by.name,
                           proposed_at=now.isoformat(timespec="seconds"), due_before=cutoff.isoformat(timespec="seconds"),
                           items=items, items_sha256=items_hash(items))
        if not create_exclusive(self.archive.store, list_key(lst.id), _json(lst), content_type="application/json"):
            raise DisposalError(f"a disposal list {lst.id} exists already; propose again")  # pragma: no cover
        self.audit.append(DISPOSAL_PROPOSED, actor=by, documents=[i.id for i in items],
                          details={"list": lst.id, "name": name, "documents": len(items),
                                   "items_sha256": lst.items_sha256, "due_before": lst.due_before,
                                   "left_out": len(refused)})
        return lst

    def _why_not(self, state: RetentionState, cutoff: dt.datetime) -> str | None:
        blocked = state.blocked_by()
        if blocked:
            return blocked
        if state.until is None:
            return f"kept without end ({state.rule.describe()})"
        if not state.due(cutoff):
            return f"retention runs until {state.until:%Y-%m-%d} ({state.rule.describe()})"
        return None

    # -- reading --------------------------------------------------------------------------
    def get(self, list_id: str) -> DisposalList:
        if not list_id or "/" in list_id or ".." in list_id:
            raise NotFoundError(f"no disposal list {list_id!r}")
        try:
            return DisposalList.model_validate_json(self.archive.store.get_bytes(list_key(list_id)))
        except NotFoundError:
            raise NotFoundError(f"no disposal list {list_id}", path=list_id) from None

    def lists(self) -> list[DisposalList]:
        out = []
        for key in self.archive.store.iter_keys(LIST_PREFIX):
            if key.endswith(".json"):
                out.append(self.get(key[len(LIST_PREFIX):-5]))
        return sorted(out, key=lambda lst: lst.proposed_at, reverse=True)

    def certificate(self, list_id: str) -> bytes:
        try:
            return self.archive.store.get_bytes(certificate_key(list_id))
        except NotFoundError:
            raise NotFoundError(f"disposal list {list_id} has no certificate (not approved yet?)", path=list_id) from None

    # -- deciding -------------------------------------------------------------------------
    def reject(self, list_id: str, *, by: Actor, reason: str = "") -> DisposalList:
        lst = self._open(list_id)
        lst = lst.model_copy(update={"status": "rejected", "rejected_by": by.name, "reason": reason})
        self.archive.store.put_bytes(list_key(lst.id), _json(lst), content_type="application/json")
        self.audit.append(DISPOSAL_REJECTED, actor=by, details={"list": lst.id, "reason": reason})
        return lst

    def approve(self, list_id: str, *, by: Actor) -> DisposalList:
        """Four-eyes approval, then the disposal itself and its certificate."""
        lst = self._open(list_id)
        if by.name == lst.proposed_by:
            raise FourEyesError(f"{by.name} proposed disposal list {lst.id}: another admin must approve it (four eyes)")
        if items_hash(lst.items) != lst.items_sha256:
            raise DisposalError(f"disposal list {lst.id} was changed after it was proposed (its items no longer "
                                "match the SHA-256 sealed in the audit log): propose it again")
        now = dt.datetime.now(UTC)
        blocked = []
        records: dict[str, Record] = {}
        for item in lst.items:
            try:
                record = self.archive.get_record(item.id)
            except NotFoundError:
                continue  # already gone (an earlier, interrupted approval): nothing to do for it
            state = state_of(self.archive, self.policy, record)
            why = state.blocked_by() or (None if state.due(now) else
                                         f"retention now runs until {state.until:%Y-%m-%d}" if state.until else
                                         "now kept without end")
            if why:
                blocked.append(f"{item.id[:12]} ({item.filename}): {why}")
            records[item.id] = record
        if blocked:
            raise DisposalError(f"disposal list {lst.id} cannot be approved: " + "; ".join(blocked)
                                + ". Propose a new list without them")
        self.audit.append(DISPOSAL_APPROVED, actor=by, documents=list(records),
                          details={"list": lst.id, "proposed_by": lst.proposed_by, "items_sha256": lst.items_sha256})
        disposed, problems = self._dispose(lst, records, by)
        return self._certify(lst, disposed, problems, by, now)

    def _open(self, list_id: str) -> DisposalList:
        lst = self.get(list_id)
        if lst.status != "proposed":
            raise DisposalError(f"disposal list {lst.id} is {lst.status}, not waiting for approval")
        return lst

    # -- disposing ------------------------------------------------------------------------
    def _dispose(self, lst: DisposalList, records: dict[str, Record], by: Actor) -> tuple[list[DisposalItem], list[str]]:
        disposed: list[DisposalItem] = []
        problems: list[str] = []
        on_list = {i.id for i in lst.items}
        by_sha: dict[str, list[DisposalItem]] = {}
        for item in lst.items:
            by_sha.setdefault(item.sha256, []).append(item)
        for sha, items in by_sha.items():
            sharers = self._sharers(sha) - on_list
            try:
                if not sharers:
                    self.archive.store.delete(original_key(sha))  # first: refused under lock, nothing else goes
            except (RetentionLockedError, StoreError) as exc:
                problems += [f"{i.id}: original not removed, document kept ({exc.reason})" for i in items]
                continue
            for item in items:
                record = records.get(item.id)
                try:
                    if record is not None:
                        self._remove_document(record)
                except ArchivioError as exc:
                    problems.append(f"{item.id}: partly removed ({exc}); approve a new list for it")
                    continue
                disposed.append(item)
                self.audit.append(DISPOSED, actor=by, documents=[item.id],
                                  details={"list": lst.id, "sha256": item.sha256, "original_removed": not sharers})
        return disposed, problems

    def _sharers(self, sha: str) -> set[str]:
        """Every live record that stands on the original ``sha`` (a parent and the parts cut from it)."""
        users = set()
        if self.archive.has_record(sha):
            users.add(sha)
            parent = self.archive.get_record(sha)
            users |= {p for p in parent.parts if p.startswith(sha) and self.archive.has_record(p)}
        return users

    def _remove_document(self, record: Record) -> None:
        store = self.archive.store
        if record.archive_copy is not None:
            store.delete(record.archive_copy.key)
        for key in list(store.iter_keys(f"record-versions/{record.id[:2]}/{record.id}/")):
            store.delete(key)
        store.delete(text_key(record.id))
        store.delete(record_key(record.id))
        if self.preview_cache is not None:
            shutil.rmtree(self.preview_cache / record.id[:2] / record.id, ignore_errors=True)
        try:
            self.index.delete(record.id)
        except ArchivioError as exc:  # the store is the truth: `archivio reindex` drops the stale entry
            log.error("document %s disposed of but still in the index: %s", record.id, exc)

    def _certify(self, lst: DisposalList, disposed: list[DisposalItem], problems: list[str], by: Actor,
                 started: dt.datetime) -> DisposalList:
        certificate = {
            "format": "archivio-verbale-di-scarto/1",
            "title": {"it": "Verbale di scarto", "en": "Disposal certificate"},
            "list": lst.id, "name": lst.name,
            "proposed_by": lst.proposed_by, "proposed_at": lst.proposed_at,
            "approved_by": by.name, "approved_at": started.isoformat(timespec="seconds"),
            "completed_at": dt.datetime.now(UTC).isoformat(timespec="seconds"),
            "items_sha256": lst.items_sha256,
            "disposed": [i.model_dump() for i in disposed],
            "not_disposed": problems,
        }
        data = json.dumps(certificate, indent=2, ensure_ascii=False).encode()
        key = certificate_key(lst.id)
        create_exclusive(self.archive.store, key, data, content_type="application/json")
        if self.archive.store.enforces_retention:
            try:  # kept for good: nothing in Archivio may delete it
                self.archive.store.set_legal_hold(key, True)
            except StoreError as exc:
                log.warning("could not place a legal hold on the disposal certificate %s: %s", key, exc)
        digest = hashlib.sha256(data).hexdigest()
        self.audit.append(DISPOSAL_CERTIFIED, actor=by, documents=[i.id for i in disposed],
                          details={"list": lst.id, "certificate": key, "certificate_sha256": digest,
                                   "disposed": len(disposed), "not_disposed": len(problems)})
        lst = lst.model_copy(update={"status": "disposed" if not problems else "partly-disposed",
                                     "approved_by": by.name, "approved_at": certificate["approved_at"],
                                     "certificate": key, "certificate_sha256": digest})
        self.archive.store.put_bytes(list_key(lst.id), _json(lst), content_type="application/json")
        return lst


def _item(state: RetentionState) -> DisposalItem:
    r = state.record
    return DisposalItem(id=r.id, sha256=r.sha256, doc_class=r.doc_class, date=state.date, filename=r.source.filename,
                        rule=state.rule.describe(), retain_until=state.until.isoformat() if state.until else None)


def _json(lst: DisposalList) -> bytes:
    return lst.model_dump_json(indent=2).encode()
