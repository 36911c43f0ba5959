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
from .folders import move_file, unique_destination, write_note

log = logging.getLogger(__name__)


class Quarantine:
    def __init__(self, root: Path):
        self.root = Path(root)

    def put(self, error: ArchivioError, *, relative: str, source: Path | None = None,
            restore: Callable[[Path], None] | None = None, sha256: str | None = None) -> Path:
        """Move ``source`` (or, when it is gone, the copy ``restore`` writes) into quarantine.

        The note is written first: a crash in between leaves a note whose file is still in
        its old place, never a file without its reason.
        """
        dest = unique_destination(self.root, relative)
        note = dest.with_name(dest.name + ".error.json")
        write_note(note, {
            "file": relative,
            "original_path": str(source) if source else None,
            "stage": error.stage,
            "reason": error.reason,
            "error_type": type(error).__name__,
            "sha256": sha256,
        })
        if source is not None and (source.exists() or source.is_symlink()):
            moved = move_file(source, self.root, str(dest.relative_to(self.root)))
        elif restore is not None:
            dest.parent.mkdir(parents=True, exist_ok=True)
            restore(dest)
            moved = dest
        else:
            moved = dest
        log.warning("quarantined %s: %s (stage %s)", relative, error.reason, error.stage)
        return moved
