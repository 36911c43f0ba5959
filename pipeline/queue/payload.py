"""What travels through the broker: JSON only (no pickle from a shared broker), small.

A task carries the job's description, never the file: workers fetch the original from the store
by its SHA-256. A part of a long scan comes back as its pages of positioned words.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from ..journal import RUNNING, Job
from ..records import Page, Word


def job_message(job: Job) -> dict[str, Any]:
    return {"sha256": job.sha256, "filename": job.filename, "folder": job.folder, "size": job.size,
            "mtime": job.mtime, "received_at": job.received_at.isoformat(), "source_path": job.source_path}


def job_from_message(message: dict[str, Any]) -> Job:
    return Job(id=0, sha256=message["sha256"], source_path=message["source_path"],
               source=Path(message["source_path"]), filename=message["filename"], folder=message["folder"],
               size=int(message["size"]), mtime=message["mtime"],
               received_at=dt.datetime.fromisoformat(message["received_at"]), state=RUNNING, handed_off=True,
               attempts=1)


def pages_to_json(pages: list[Page]) -> list[dict[str, Any]]:
    return [dataclasses.asdict(page) for page in pages]


def pages_from_json(data: list[dict[str, Any]]) -> list[Page]:
    return [_page(item) for item in data]


# What a page of another version may carry that this one does not know (a field added since, like
# ``taken``): left out, so that workers of two versions side by side still assemble a long scan.
_PAGE_FIELDS = {f.name for f in dataclasses.fields(Page)}


def _page(item: dict[str, Any]) -> Page:
    alternate, date_look = item.get("alternate"), item.get("date_look")
    item = {key: value for key, value in item.items() if key in _PAGE_FIELDS}
    return Page(**{**item, "words": [Word(**w) for w in item["words"]],
                   "alternate": _page(alternate) if alternate else None,
                   "date_look": _page(date_look) if date_look else None})
