"""Intake: take one complete file from the inbox into the archive's care.

Order matters and is the whole point of this module:
  1. refuse what cannot be a document (empty, unsupported, too large) → quarantine;
  2. hash the bytes; an exact copy of a document already taken → ``duplicates/`` with a note;
  3. copy the bytes into the store (``incoming/<sha256>``) and commit a job to the journal;
  4. only then let the file leave the inbox (moved to ``processed/`` or deleted).
A crash between any two steps is repaired by running intake again on the same file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .config import Settings
from .errors import ArchivioError, DocumentTooLargeError, IntakeError, IntegrityError
from .faults import crash_point
from .folders import display_name, move_file, unique_destination, write_note
from .journal import QUARANTINED, Job, Journal
from .quarantine import Quarantine
from .store import Archive, sha256_file
from .text.sniff import sniff

log = logging.getLogger(__name__)

Outcome = Literal["queued", "duplicate", "rejected", "changing", "gone", "unavailable"]
Handoff = Literal["move", "delete", "keep"]


@dataclass(frozen=True)
class IntakeResult:
    outcome: Outcome
    path: Path
    message: str
    job: Job | None = None
    moved_to: Path | None = None


class Intake:
    def __init__(self, settings: Settings, archive: Archive, journal: Journal, quarantine: Quarantine):
        self.settings = settings
        self.archive = archive
        self.journal = journal
        self.quarantine = quarantine

    def take(self, path: Path, *, root: Path | None = None, handoff: Handoff | None = None) -> IntakeResult:
        """Take ``path`` (found under ``root``, the inbox) and report what became of it."""
        handoff = handoff or self.settings.watch.after_intake
        relative = _relative(path, root)
        folder = display_name(str(Path(relative).parent)) if Path(relative).parent != Path(".") else ""
        filename = display_name(Path(relative).name)
        try:
            stat = path.lstat()
        except FileNotFoundError:
            return IntakeResult("gone", path, "the file disappeared before it was taken")

        try:
            if path.is_symlink():
                raise IntakeError("the file is a symbolic link; links are never followed (copy the file itself)",
                                  path=str(path))
            if stat.st_size > self.settings.workers.max_file_mb * 1024 * 1024:
                raise DocumentTooLargeError(
                    f"the file is {stat.st_size / 1048576:.0f} MB, more than the limit of "
                    f"{self.settings.workers.max_file_mb} MB (workers.max_file_mb)", path=str(path), stage="intake")
            media_type = sniff(path)
        except FileNotFoundError:
            return IntakeResult("gone", path, "the file disappeared before it was taken")
        except ArchivioError as error:
            return self._reject(path, relative, error, handoff)

        sha = sha256_file(path)
        existing = self.journal.by_sha(sha)
        if existing is not None and existing.state != QUARANTINED:
            if existing.source == path and not existing.handed_off:
                # Our own earlier intake of this very file, cut short before the hand-off.
                return self._hand_off(existing, path, relative, handoff)
            return self._duplicate(path, relative, sha, existing, handoff)
        if existing is None and self.archive.has_record(sha):
            return self._duplicate(path, relative, sha, None, handoff)

        metadata = {"filename": filename, "folder": folder, "media-type": media_type}
        try:
            self.archive.put_incoming(path, sha, metadata)
        except IntegrityError:
            return IntakeResult("changing", path, "the file changed while it was being copied; it will be taken later")
        crash_point("intake.after_store")
        job = self.journal.enqueue(sha256=sha, source=path, filename=filename, folder=folder,
                                   size=stat.st_size, mtime=stat.st_mtime)
        crash_point("intake.after_journal")
        return self._hand_off(job, path, relative, handoff)

    # -- outcomes -------------------------------------------------------------------------
    def _hand_off(self, job: Job, path: Path, relative: str, handoff: Handoff) -> IntakeResult:
        moved_to = None
        if handoff == "move":
            moved_to = move_file(path, unique_destination(self.settings.paths.processed, relative))
        elif handoff == "delete":
            path.unlink(missing_ok=True)
        crash_point("intake.after_move")
        self.journal.handed_off(job.id, moved_to)
        return IntakeResult("queued", path, f"queued as job {job.id}", job=job, moved_to=moved_to)

    def _duplicate(self, path: Path, relative: str, sha: str, existing: Job | None, handoff: Handoff) -> IntakeResult:
        original = existing.source_path if existing else "(archived before this journal)"
        message = f"exact duplicate of document {sha[:12]} (first received as {Path(original).name})"
        moved_to = None
        if handoff != "keep":
            # The note first: a crash in between leaves a note and the file still in the inbox.
            moved_to = unique_destination(self.settings.paths.duplicates, relative)
            write_note(moved_to.with_name(moved_to.name + ".duplicate.json"), {
                "file": display_name(relative),
                "duplicate_of": sha,
                "original_name": existing.filename if existing else None,
                "original_path": original,
                "original_received_at": existing.received_at.isoformat() if existing else None,
                "original_state": existing.state if existing else "filed",
            })
            crash_point("intake.duplicate_noted")
            move_file(path, moved_to)
        self.journal.add_duplicate(sha, path, moved_to, existing.id if existing else None)
        log.info("duplicate %s: %s", display_name(relative), message)
        return IntakeResult("duplicate", path, message, job=existing, moved_to=moved_to)

    def _reject(self, path: Path, relative: str, error: ArchivioError, handoff: Handoff) -> IntakeResult:
        error.stage = error.stage or "intake"
        if handoff == "keep":
            # Files given on the command line stay where they are; a note goes to quarantine.
            note = unique_destination(self.settings.paths.quarantine, relative + ".error.json")
            write_note(note, {"file": display_name(relative), "original_path": display_name(str(path)),
                              "stage": error.stage, "reason": error.reason, "error_type": type(error).__name__})
            moved = None
        else:
            moved = self.quarantine.put(error, relative=relative, source=path)
        self.journal.add_reject(path, moved, error.stage, error.reason)
        return IntakeResult("rejected", path, error.reason, moved_to=moved)


def _relative(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.name

