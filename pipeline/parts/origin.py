"""Where a document came from when it did not come from the inbox: the original it was
extracted from and how it arrived (mail, PEC envelope). Written to the store before the
document's job is committed, read when its record is built, so the link survives any crash.
"""

from __future__ import annotations

import json

from ..errors import NotFoundError
from ..records import Parent, Record
from ..store.base import ObjectStore


def origin_key(sha256: str) -> str:
    return f"origins/{sha256[:2]}/{sha256}.json"


def save_origin(store: ObjectStore, sha256: str, *, parent: Parent | None, provenance: dict[str, str]) -> None:
    data = {"parent": parent.model_dump() if parent else None, "provenance": provenance}
    store.put_bytes(origin_key(sha256), json.dumps(data, sort_keys=True).encode(), content_type="application/json")


def apply_origin(store: ObjectStore, record: Record) -> None:
    """Give a record being filed its parent link and provenance, if it was extracted from another."""
    try:
        data = json.loads(store.get_bytes(origin_key(record.sha256)))
    except NotFoundError:
        return
    if data.get("parent") and record.parent is None:
        record.parent = Parent.model_validate(data["parent"])
    if data.get("provenance"):
        record.source.via = {**data["provenance"], **record.source.via}
