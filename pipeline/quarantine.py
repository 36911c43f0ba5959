"""Quarantine: where a file that could not be archived waits, with a note that says why.

Nothing in quarantine is ever deleted by Archivio. The note ``NAME.error.json`` beside each
file gives the stage, the reason in plain words, the error type and the time; dropping the
file into the inbox again retries it.
"""

from __future__ import annotations

import logging
import json
from collections.abc import Callable
from pathlib import Path

from .errors import ArchivioError
from .folders import display_name, place_with_note, write_note
from .safefs import Opened, open_beneath, unlink_opened, walk_beneath

log = logging.getLogger(__name__)


class Quarantine:
    def __init__(self, root: Path):
        self.root = Path(root)

    def put(self, error: ArchivioError, *, relative: str, source: Opened | None = None,
            restore: Callable[[Path], None] | None = None, sha256: str | None = None,
            original_path: str | None = None) -> Path:
        """Move ``source`` (an entry opened under its folder) or, when it is gone, the copy
        ``restore`` writes, into quarantine.

        The note is written first: a crash in between leaves a note whose file is still in
        its old place, never a file without its reason. Quarantining the same content again
        (a retry after such a crash) reuses its place instead of making a second copy.
        """
        existing = self.find(sha256) if sha256 else None
        if existing is not None and source is None:
            return existing
        note = {
            "file": display_name(relative),
            "original_path": display_name(original_path) if original_path else None,
            "stage": error.stage,
            "reason": error.reason,
            "error_type": type(error).__name__,
            "sha256": sha256,
        }
        if existing is not None and source is not None and source.is_regular and source.sha256() == sha256:
            write_note(self.root, f"{existing.relative_to(self.root)}.error.json", note)
            unlink_opened(source)  # the same bytes wait here already: the source only has to go
            moved = existing
        elif source is not None:
            moved = place_with_note(source, self.root, relative, ".error.json", note)
        else:
            moved = place_with_note(None, self.root, relative, ".error.json", note)
            if restore is not None:
                moved.parent.mkdir(parents=True, exist_ok=True)
                restore(moved)
        log.warning("quarantined %s: %s (stage %s)", display_name(relative), error.reason, error.stage)
        return moved

    def find(self, sha256: str) -> Path | None:
        """The quarantined file holding this content, if one is there already. The folder may sit
        inside the inbox: notes are found and read without following a link."""
        if not self.root.exists():
            return None
        for relative in walk_beneath(self.root):
            if not relative.endswith(".error.json"):
                continue
            try:
                with open_beneath(self.root, relative) as note:
                    if not note.is_regular or note.stat.st_size > 1 << 20:
                        continue
                    data = json.loads(note.head(note.stat.st_size))
                if data.get("sha256") == sha256:
                    path = relative[: -len(".error.json")]
                    with open_beneath(self.root, path) as held:
                        if held.is_regular:
                            return self.root / path
            except (OSError, ValueError, ArchivioError):
                continue
        return None
