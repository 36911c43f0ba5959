"""The audit trail: append-only, hash-chained entries kept in the store beside the documents.

Every state change and every retrieval (filed, viewed, downloaded, corrected, reviewed,
verified, exported, tokens issued…) becomes one entry saying who did what, when, to which
documents. Each entry carries the SHA-256 of the one before it, so changing, inserting or
removing an entry breaks the chain at that point and ``verify`` names it.

Key layout (same in the local folder and an S3 bucket):

    audit/log/<seq:012d>.json                  one entry per object, created once, never rewritten
    audit/head.json                            the newest entry's number and hash: a hint that makes
                                               appends cheap and anchors the tail against truncation
    audit/documents/<id[:2]>/<id>/<seq:012d>   pointer: entry <seq> concerns document <id>
    audit/bulk/<seq:012d>                      marker: entry <seq> concerns many documents (an export,
                                               a full fixity check): one marker instead of thousands
                                               of pointers; such entries are few and read once

Appends from several processes (the watcher filing, the API recording reviews and views)
cannot fork the chain: entry N+1 is written with a create-only write
(``pipeline.store.exclusive``), so exactly one writer gets each number and the loser retries on
top of the winner's entry. An entry's hash covers its canonical JSON (sorted keys, no spaces,
UTF-8) without the ``hash`` field, so anyone can recompute it with a few lines of any language.

A hash chain shows tampering by anyone who did not also rewrite every later entry; against an
attacker who can rewrite the whole tail, keep the audit prefix under S3 Object Lock and note
the head that ``archivio audit verify`` prints (``--anchor SEQ:HASH`` checks it later).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from .errors import ArchivioError, NotFoundError
from .store.base import ObjectStore, durable_batch
from .store.exclusive import create_exclusive

log = logging.getLogger(__name__)

GENESIS = "0" * 64
LOG_PREFIX = "audit/log/"
HEAD_KEY = "audit/head.json"
BULK_PREFIX = "audit/bulk/"
# Above this many documents an entry gets one bulk marker instead of a pointer per document.
BULK_THRESHOLD = 20
_ENTRY_NAME = re.compile(r"^(\d{12})\.json$")

# What happens to documents, and to the archive's keys.
FILED, VIEWED, DOWNLOADED, TEXT_READ, PREVIEWED = "filed", "viewed", "downloaded", "text-read", "previewed"
CORRECTED, REVIEWED, VERIFIED, EXPORTED = "corrected", "reviewed", "verified", "exported"
DOWNLOAD_FAILED = "download-failed"  # the stored bytes did not match the record: the download was cut off
TOKEN_CREATED, TOKEN_REVOKED, RETENTION_SET, LEGAL_HOLD_SET = "token-created", "token-revoked", "retention-set", "legal-hold-set"
SEARCH_SAVED, SEARCH_RENAMED, SEARCH_DELETED = "search-saved", "search-renamed", "search-deleted"  # a person's own


class AuditError(ArchivioError):
    stage = "audit"


def entry_key(seq: int) -> str:
    return f"{LOG_PREFIX}{seq:012d}.json"


def document_prefix(doc_id: str) -> str:
    return f"audit/documents/{doc_id[:2]}/{doc_id}/"


def canonical(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(data: dict[str, Any]) -> str:
    """The hash of an entry: SHA-256 of its canonical JSON without the ``hash`` field."""
    return hashlib.sha256(canonical({k: v for k, v in data.items() if k != "hash"})).hexdigest()


class AuditEntry(BaseModel):
    seq: int
    at: str  # ISO 8601, UTC, microseconds: kept as written so the hash never depends on parsing
    actor: str
    role: str | None = None
    action: str
    documents: list[str] = []
    details: dict[str, Any] = {}
    prev: str
    hash: str

    @classmethod
    def from_bytes(cls, data: bytes) -> AuditEntry:
        return cls.model_validate(json.loads(data))


@dataclass(frozen=True)
class Actor:
    """Who does something: a token's name and role, a CLI user, or the pipeline itself."""

    name: str
    role: str | None = None
    token_id: str | None = None  # recorded in every entry: names alone may look alike

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


PIPELINE = Actor("pipeline")


@dataclass(frozen=True)
class ChainProblem:
    seq: int  # the first bad entry (or the position where the chain breaks)
    kind: Literal["changed", "inserted", "removed", "unreadable", "truncated", "anchor"]
    message: str


@dataclass(frozen=True)
class ChainReport:
    entries: int
    head_seq: int
    head_hash: str
    problem: ChainProblem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


class AuditLog:
    def __init__(self, store: ObjectStore):
        self.store = store
        self._lock = threading.Lock()  # threads of one process queue here; processes race on create
        self._tail: tuple[int, str] | None = None
        # Bulk entries with their documents as a set; entries never change once written, so
        # keeping them is safe (tampering is the chain check's business, which always re-reads).
        self._bulk: dict[int, tuple[AuditEntry, frozenset[str]]] = {}
        self._recent: OrderedDict[int, AuditEntry] = OrderedDict()  # the same reasoning: read once
        self._cache_lock = threading.Lock()

    # -- writing --------------------------------------------------------------------------
    def append(self, action: str, *, actor: Actor, documents: Iterable[str] = (),
               details: dict[str, Any] | None = None) -> AuditEntry:
        """Add one entry at the end of the chain and return it (with its number and hash)."""
        documents = list(dict.fromkeys(documents))
        # The entry, its pointers and the head are durable when this returns: the entry is created
        # at once (create-only), the others published after it, their fsyncs together.
        with durable_batch(self.store):
            with self._lock:
                seq, prev = self._tail or self._read_head()
                for _ in range(10_000):
                    # Others may have appended since we last looked: walk to the real end.
                    while self.store.exists(entry_key(seq + 1)):
                        seq, prev = seq + 1, ""
                    if not prev:
                        prev = self._hash_of(seq)
                    data = {
                        "seq": seq + 1,
                        "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds"),
                        "actor": actor.name,
                        "role": actor.role,
                        "action": action,
                        "documents": documents,
                        "details": {**(details or {}), **({"token_id": actor.token_id} if actor.token_id else {})},
                        "prev": prev,
                    }
                    data["hash"] = entry_hash(data)
                    if create_exclusive(self.store, entry_key(seq + 1), canonical(data), content_type="application/json"):
                        break
                    seq, prev = seq + 1, ""  # lost the race for this number: build on the winner
                else:  # pragma: no cover - only with a store that never lets a create through
                    raise AuditError("could not append to the audit log: every attempt collided")
                entry = AuditEntry.model_validate(data)
                self._tail = (entry.seq, entry.hash)
            if len(documents) > BULK_THRESHOLD:
                self.store.put_bytes(f"{BULK_PREFIX}{entry.seq:012d}", entry.hash.encode())
            else:
                for doc_id in documents:
                    self.store.put_bytes(document_prefix(doc_id) + f"{entry.seq:012d}", entry.hash.encode())
            self._advance_head(entry)
        return entry

    def _advance_head(self, entry: AuditEntry) -> None:
        head_seq, _ = self._read_head(list_if_missing=False)
        if entry.seq > head_seq:
            self.store.put_bytes(HEAD_KEY, json.dumps({"seq": entry.seq, "hash": entry.hash}).encode(),
                                 content_type="application/json")

    def _read_head(self, *, list_if_missing: bool = True) -> tuple[int, str]:
        try:
            head = json.loads(self.store.get_bytes(HEAD_KEY))
            return int(head["seq"]), str(head["hash"])
        except NotFoundError:
            pass
        except (ValueError, KeyError, TypeError):
            log.warning("audit head %s is unreadable; finding the end of the log by listing it", HEAD_KEY)
        if not list_if_missing:
            return 0, GENESIS
        last = 0
        for key in self.store.iter_keys(LOG_PREFIX):
            match = _ENTRY_NAME.match(key[len(LOG_PREFIX):])
            if match:
                last = max(last, int(match.group(1)))
        return last, ""

    def _hash_of(self, seq: int) -> str:
        if seq == 0:
            return GENESIS
        return self.get(seq).hash

    # -- reading --------------------------------------------------------------------------
    def get(self, seq: int) -> AuditEntry:
        cached = self._recent.get(seq)
        if cached is not None:
            return cached
        try:
            entry = AuditEntry.from_bytes(self.store.get_bytes(entry_key(seq)))
        except NotFoundError:
            raise NotFoundError(f"no audit entry {seq}", path=entry_key(seq)) from None
        except ValueError as exc:
            raise AuditError(f"audit entry {seq} is unreadable: {exc}", path=entry_key(seq)) from None
        with self._cache_lock:
            self._recent[seq] = entry
            if len(self._recent) > 2048:
                self._recent.popitem(last=False)
        return entry

    def head(self) -> tuple[int, str]:
        seq, digest = self._read_head()
        return seq, digest or self._hash_of(seq)

    def entries(self, *, after: int = 0, limit: int | None = None, action: str | None = None,
                actor: str | None = None) -> Iterator[AuditEntry]:
        """Entries in chain order, from number ``after + 1``."""
        count = 0
        for key in self.store.iter_keys(LOG_PREFIX):
            match = _ENTRY_NAME.match(key[len(LOG_PREFIX):])
            if not match or int(match.group(1)) <= after:
                continue
            entry = self.get(int(match.group(1)))
            if (action and entry.action != action) or (actor and entry.actor != actor):
                continue
            yield entry
            count += 1
            if limit is not None and count >= limit:
                return

    def for_document(self, doc_id: str) -> list[AuditEntry]:
        """Every entry that concerns ``doc_id``, oldest first."""
        out = []
        for key in self.store.iter_keys(document_prefix(doc_id)):
            name = key.rsplit("/", 1)[1]
            if name.isdigit():
                try:
                    out.append(self.get(int(name)))
                except NotFoundError:
                    continue  # the chain check reports a removed entry; the pointer alone proves nothing
        out += [entry for entry, members in self._bulk_entries() if doc_id in members]
        return sorted(out, key=lambda e: e.seq)

    def latest(self, doc_id: str, action: str) -> AuditEntry | None:
        """The newest entry of ``action`` about ``doc_id`` alone, from its pointers (no bulk markers:
        an entry about one document always has a pointer)."""
        for key in sorted(self.store.iter_keys(document_prefix(doc_id)), reverse=True):
            name = key.rsplit("/", 1)[1]
            if not name.isdigit():
                continue
            try:
                entry = self.get(int(name))
            except NotFoundError:
                continue
            if entry.action == action:
                return entry
        return None

    def _bulk_entries(self) -> list[tuple[AuditEntry, frozenset[str]]]:
        for key in self.store.iter_keys(BULK_PREFIX):
            name = key[len(BULK_PREFIX):]
            if name.isdigit() and int(name) not in self._bulk:
                try:
                    entry = self.get(int(name))
                except NotFoundError:
                    continue
                self._bulk[int(name)] = (entry, frozenset(entry.documents))
        return list(self._bulk.values())

    # -- checking -------------------------------------------------------------------------
    def verify(self, *, anchor: tuple[int, str] | None = None,
               progress: Callable[[int], None] | None = None) -> ChainReport:
        """Walk the chain from the first entry; stop at the first one that is not as written."""
        keys = sorted(self.store.iter_keys(LOG_PREFIX))
        expected, prev, before_prev = 1, GENESIS, None
        hashes: dict[int, str] = {}

        def report(problem: ChainProblem | None) -> ChainReport:
            return ChainReport(len(hashes), expected - 1, prev, problem)

        for key in keys:
            name = key[len(LOG_PREFIX):]
            match = _ENTRY_NAME.match(name)
            if not match:
                return report(ChainProblem(expected, "inserted", f"{key} is not an audit entry written by Archivio "
                                                                 f"(inserted after entry {expected - 1})"))
            seq = int(match.group(1))
            if seq != expected:
                return report(ChainProblem(expected, "removed", f"entry {expected} is missing: it was removed "
                                                                f"(the log goes on at entry {seq})"))
            try:
                data = json.loads(self.store.get_bytes(key))
                stored_hash = data["hash"]
            except (ValueError, KeyError, TypeError, NotFoundError) as exc:
                return report(ChainProblem(seq, "unreadable", f"entry {seq} is unreadable: {exc}"))
            if entry_hash(data) != stored_hash:
                return report(ChainProblem(seq, "changed", f"entry {seq} was changed: its content no longer "
                                                           f"matches its hash {stored_hash[:16]}…"))
            if data.get("prev") != prev:
                if before_prev is not None and data.get("prev") == before_prev:
                    return report(ChainProblem(seq - 1, "inserted", f"entry {seq - 1} was inserted: entry {seq} "
                                                                    f"follows entry {seq - 2} directly"))
                return report(ChainProblem(seq, "removed", f"entry {seq} does not follow entry {seq - 1}: an entry "
                                                           f"between them was removed or entry {seq - 1} replaced"))
            if data.get("seq") != seq:
                return report(ChainProblem(seq, "changed", f"entry {seq} was moved: it says it is entry {data.get('seq')}"))
            hashes[seq] = stored_hash
            before_prev, prev = prev, stored_hash
            expected += 1
            if progress:
                progress(1)

        last = expected - 1
        head_seq, head_hash = self._read_head(list_if_missing=False)
        if head_seq > last:
            return report(ChainProblem(last + 1, "truncated", f"entries {last + 1}–{head_seq} were removed: the head "
                                                              f"records {head_seq} entries, the log ends at {last}"))
        if head_seq and hashes.get(head_seq) != head_hash:
            return report(ChainProblem(head_seq, "changed", f"entry {head_seq} is not the one the head recorded "
                                                            f"(hash {head_hash[:16]}…): the log was rewritten from there"))
        if anchor is not None:
            seq, digest = anchor
            if seq > last:
                return report(ChainProblem(last + 1, "anchor", f"the anchor names entry {seq}, but the log ends at {last}"))
            if hashes.get(seq) != digest:
                return report(ChainProblem(seq, "anchor", f"entry {seq} no longer has the anchored hash "
                                                          f"{digest[:16]}…: the log was rewritten from there"))
        return report(None)
