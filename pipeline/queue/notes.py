"""Notes about documents handled on other machines, kept in the store.

A worker cannot reach the office's quarantine or duplicates folders, so what it would have
written there goes into the store, under ``notes/``, where `archivio status`, the API and the
watcher (which does reach the folders) find it:

    notes/quarantine/<sha256>.json                 why a document could not be filed
    notes/duplicates/<sha256>-<received>.json      an exact copy of a document already taken
    notes/linked/<sha256>.json                     records a filing changed, until they are indexed
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import ArchivioError, NotFoundError
from ..records import utcnow
from ..store import Archive

QUARANTINE, DUPLICATES, LINKED = "notes/quarantine/", "notes/duplicates/", "notes/linked/"


def quarantine_key(sha256: str) -> str:
    return f"{QUARANTINE}{sha256}.json"


def put_quarantine(archive: Archive, message: dict[str, Any], error: ArchivioError) -> None:
    note = {"sha256": message["sha256"], "file": _relative(message), "received_at": message["received_at"],
            "stage": error.stage, "reason": error.reason, "error_type": type(error).__name__,
            "at": utcnow().isoformat()}
    archive.store.put_bytes(quarantine_key(message["sha256"]), _json(note), content_type="application/json")


def get_quarantine(archive: Archive, sha256: str) -> dict[str, Any] | None:
    try:
        return json.loads(archive.store.get_bytes(quarantine_key(sha256)))
    except NotFoundError:
        return None


def put_duplicate(archive: Archive, sha256: str, file: str, original: str | None) -> None:
    at = utcnow()
    note = {"sha256": sha256, "file": file, "duplicate_of": sha256, "original_name": original, "at": at.isoformat()}
    archive.store.put_bytes(f"{DUPLICATES}{sha256}-{at:%Y%m%dT%H%M%S%f}.json", _json(note),
                            content_type="application/json")


def put_linked(archive: Archive, sha256: str, record_ids: list[str]) -> None:
    """Remember which other records the filing of ``sha256`` changed (SdI messages linked to an
    invoice) until the index has them: a delivery retried after an index failure finds the
    document already filed and must index those too, not only the document."""
    archive.store.put_bytes(f"{LINKED}{sha256}.json", _json({"sha256": sha256, "ids": record_ids}),
                            content_type="application/json")


def get_linked(archive: Archive, sha256: str) -> list[str]:
    try:
        return list(json.loads(archive.store.get_bytes(f"{LINKED}{sha256}.json"))["ids"])
    except (NotFoundError, ValueError, KeyError):
        return []


def clear_linked(archive: Archive, sha256: str) -> None:
    archive.store.delete(f"{LINKED}{sha256}.json")


def listing(archive: Archive, prefix: str, limit: int = 50) -> list[dict[str, Any]]:
    """The newest ``limit`` notes under ``prefix`` (one of QUARANTINE, DUPLICATES)."""
    notes = []
    for key in archive.store.iter_keys(prefix):
        try:
            notes.append(json.loads(archive.store.get_bytes(key)))
        except (NotFoundError, ValueError):
            continue
    return sorted(notes, key=lambda n: n.get("at", ""), reverse=True)[:limit]


def count(archive: Archive, prefix: str) -> int:
    return sum(1 for _ in archive.store.iter_keys(prefix))


def _relative(message: dict[str, Any]) -> str:
    return f"{message['folder']}/{message['filename']}" if message.get("folder") else message["filename"]


def _json(note: dict[str, Any]) -> bytes:
    return json.dumps(note, ensure_ascii=False, indent=1).encode()
