"""Distributed mode's hand-off of a file found inside an original (an e-invoice's Allegati, a
mail's attachments): a worker reaches no inbox and no journal, so the file goes where the
watcher would have put it — the store's ``incoming/`` — and its own task goes to the broker.

The same checks as intake (size limit, a kind of file Archivio reads), the origin (parent link,
provenance) stored before the task is sent, and idempotent by SHA-256: a file already filed is
only linked; a task sent twice (the original's filing run again) finds the record and stops.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import ArchivioError
from ..parts import ExtractedFile
from ..parts.filing import safe_name
from ..parts.origin import save_origin
from ..records import Parent, Record
from ..store import Archive
from ..store.archive import incoming_key
from ..text.sniff import sniff_head

log = logging.getLogger(__name__)


class BrokerHandoff:
    def __init__(self, archive: Archive, settings: Settings, send: Callable[[dict[str, Any]], None]):
        self.archive = archive
        self.settings = settings
        self.send = send

    def take(self, record: Record, extracted: ExtractedFile, index: int,
             provenance: dict[str, str]) -> tuple[str | None, str | None]:
        data = extracted.data
        sha = hashlib.sha256(data).hexdigest()
        name = str(safe_name(extracted.name, index))
        folder = "/".join(p for p in (record.source.folder, record.source.filename + ".allegati") if p)
        try:
            if len(data) > self.settings.workers.max_file_mb * 1024 * 1024:
                raise ArchivioError(f"the file is {len(data) / 1048576:.0f} MB, more than the limit of "
                                    f"{self.settings.workers.max_file_mb} MB (workers.max_file_mb)", path=name)
            media_type = sniff_head(data[:1024], Path(name))
        except ArchivioError as exc:
            return None, (f"attachment {extracted.name} was not archived on its own: {exc.reason} "
                          "(it stays inside the original)")
        if self.archive.has_record(sha):
            return sha, None  # filed before (the same file sent twice, or this filing run again): linked
        save_origin(self.archive.store, sha, parent=Parent(id=record.id, relation="attachment", index=index),
                    provenance={**provenance, "extracted_from": record.source.filename,
                                **({"description": extracted.description} if extracted.description else {})})
        if not self.archive.has_incoming(sha) and not self.archive.has_original(sha):
            self.archive.store.put_bytes(incoming_key(sha), data, metadata={"filename": name, "folder": folder,
                                                                          "media-type": media_type})
        # Received with the original it came in: a task sent again is the same message.
        self.send({"sha256": sha, "filename": name, "folder": folder, "size": len(data), "mtime": None,
                   "received_at": record.source.received_at.isoformat(),
                   "source_path": f"{folder}/{name}", "extracted_from": record.id})
        log.info("%s: attachment %s sent to be read on its own", record.source.filename, name)
        return sha, None
