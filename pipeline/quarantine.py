"""Quarantine: where a file that could not be archived waits, with a note that says why.

Nothing in quarantine is ever deleted by Archivio. The note ``NAME.error.json`` beside each
file gives the stage, the reason in plain words, the error type and the time; dropping the
file into the inbox again retries it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from .errors import ArchivioError
import json

from .folders import display_name, move_file, unique_destination, write_note

log = logging.getLogger(__name__)


class Quarantine:
    def __init__(self, root: Path):
        self.root = Path(root)

    def put(self, error: ArchivioError, *, relative: str, source: Path | None = None,
            restore: Callable[[Path], None] | None = None, sha256: str | None = None) -> Path:
        """Move ``source`` (or, when it is gone, the copy ``restore`` writes) into quarantine.

        The note is written first: a crash in between leaves a note whose file is still in
        its old place, never a file without its reason. Quarantining the same content again
        (a retry after such a crash) reuses its place instead of making a second copy.
        """
        existing = self.find(sha256) if sha256 else None
        if existing is not None and (source is None or not source.exists()):
            return existing
        dest = existing or unique_destination(self.root, relative)
        note = dest.with_name(dest.name + ".error.json")
        write_note(note, {
            "file": display_name(relative),
            "original_path": display_name(str(source)) if source else None,
            "stage": error.stage,
            "reason": error.reason,
            "error_type": type(error).__name__,
            "sha256": sha256,
        })
        if source is not None and (source.exists() or source.is_symlink()):
            moved = move_file(source, dest)
        elif restore is not None:
            dest.parent.mkdir(parents=True, exist_ok=True)
            restore(dest)
            moved = dest
        else:
            moved = dest
        log.warning("quarantined %s: %s (stage %s)", display_name(relative), error.reason, error.stage)
        return moved

    def find(self, sha256: str) -> Path | None:
        """The quarantined file holding this content, if one is there already."""
        if not self.root.exists():
            return None
        for note in self.root.rglob("*.error.json"):
            try:
                if json.loads(note.read_text(encoding="utf-8")).get("sha256") == sha256:
                    path = note.with_name(note.name[: -len(".error.json")])
                    if path.exists():
                        return path
            except (OSError, ValueError):
                continue
        return None
