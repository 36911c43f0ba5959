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
from .folders import display_name, move_into, place_with_note, unique_destination, write_note
from .journal import QUARANTINED, Job, Journal
from .quarantine import Quarantine
from .store import Archive
from .safefs import CannotRemove, FileChanged, Opened, OutsideRoot, Signature, open_beneath, unlink_opened
from .text.sniff import sniff_head

log = logging.getLogger(__name__)

# "refused": reached through a link, left alone; "stuck": taken or set aside but cannot leave the inbox.
Outcome = Literal["queued", "duplicate", "rejected", "changing", "gone", "unavailable", "refused", "stuck"]
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

    def take(self, path: Path, *, root: Path | None = None, handoff: Handoff | None = None,
             expect: Signature | None = None) -> IntakeResult:
        """Take ``path`` (found under ``root``, the inbox) and report what became of it.

        ``expect`` is the device, inode, size and time the watcher saw settle: a file that is
        no longer that one (replaced, or reached through a folder swapped for a link) is not taken.
        """
        handoff = handoff or self.settings.watch.after_intake
        root, relative = _root_and_relative(path, root)
        try:
            opened = open_beneath(root, relative, expect=expect)
        except FileNotFoundError:
            return IntakeResult("gone", path, "the file disappeared before it was taken")
        except FileChanged as exc:
            return IntakeResult("changing", path, exc.reason)
        except OutsideRoot as exc:
            log.warning("not taken %s: %s", display_name(relative), exc.reason)
            return IntakeResult("refused", path, exc.reason)
        with opened:
            try:
                return self._take(opened, path, relative, handoff)
            except FileChanged as exc:
                return IntakeResult("changing", path, exc.reason)
            except CannotRemove as exc:
                log.warning("left in place %s: %s", display_name(relative), exc.reason)
                return IntakeResult("stuck", path, exc.reason)

    def _take(self, opened: Opened, path: Path, relative: str, handoff: Handoff) -> IntakeResult:
        parent = str(Path(relative).parent)
        folder = display_name(parent) if parent != "." else ""
        filename = display_name(Path(relative).name)
        size = opened.stat.st_size
        try:
            if opened.is_link:
                raise IntakeError("the file is a symbolic link; links are never followed (copy the file itself)",
                                  path=str(path))
            if not opened.is_regular:
                raise IntakeError("not a regular file (a pipe, socket or device); only files are taken", path=str(path))
            if size > self.settings.workers.max_file_mb * 1024 * 1024:
                raise DocumentTooLargeError(
                    f"the file is {size / 1048576:.0f} MB, more than the limit of "
                    f"{self.settings.workers.max_file_mb} MB (workers.max_file_mb)", path=str(path), stage="intake")
            media_type = sniff_head(opened.head(), path)
        except ArchivioError as error:
            return self._reject(opened, path, relative, error, handoff)

        sha = opened.sha256()
        existing = self.journal.by_sha(sha)
        if existing is not None and existing.state != QUARANTINED:
            if existing.source == path and not existing.handed_off:
                # Our own earlier intake of this very file, cut short before the hand-off.
                return self._hand_off(existing, opened, path, relative, handoff)
            return self._duplicate(opened, path, relative, sha, existing, handoff)
        if existing is None and self.archive.has_record(sha):
            return self._duplicate(opened, path, relative, sha, None, handoff)

        metadata = {"filename": filename, "folder": folder, "media-type": media_type}
        try:
            # Through the descriptor that was checked: whatever the folders become meanwhile.
            self.archive.put_incoming(opened.proc_path, sha, metadata)
        except IntegrityError:
            return IntakeResult("changing", path, "the file changed while it was being copied; it will be taken later")
        crash_point("intake.after_store")
        job = self.journal.enqueue(sha256=sha, source=path, filename=filename, folder=folder,
                                   size=size, mtime=opened.stat.st_mtime, handed_off=handoff == "keep")
        crash_point("intake.after_journal")
        return self._hand_off(job, opened, path, relative, handoff)

    # -- outcomes -------------------------------------------------------------------------
    def _hand_off(self, job: Job, opened: Opened, path: Path, relative: str, handoff: Handoff) -> IntakeResult:
        moved_to = None
        if handoff == "move":
            moved_to = move_into(opened, self.settings.paths.processed, relative)
        elif handoff == "delete":
            unlink_opened(opened)  # only while it is still the unchanged file that was stored
        crash_point("intake.after_move")
        if not (handoff == "keep" and job.handed_off):  # kept files are handed off when enqueued
            self.journal.handed_off(job.id, moved_to)
        return IntakeResult("queued", path, f"queued as job {job.id}", job=job, moved_to=moved_to)

    def _duplicate(self, opened: Opened, path: Path, relative: str, sha: str, existing: Job | None,
                   handoff: Handoff) -> IntakeResult:
        original = existing.source_path if existing else "(archived before this journal)"
        message = f"exact duplicate of document {sha[:12]} (first received as {Path(original).name})"
        moved_to = None
        if handoff != "keep":
            moved_to = place_with_note(opened, self.settings.paths.duplicates, relative, ".duplicate.json", {
                "file": display_name(relative),
                "duplicate_of": sha,
                "original_name": existing.filename if existing else None,
                "original_path": original,
                "original_received_at": existing.received_at.isoformat() if existing else None,
                "original_state": existing.state if existing else "filed",
            }, before_move=lambda: crash_point("intake.duplicate_noted"))
        self.journal.add_duplicate(sha, path, moved_to, existing.id if existing else None)
        log.info("duplicate %s: %s", display_name(relative), message)
        return IntakeResult("duplicate", path, message, job=existing, moved_to=moved_to)

    def _reject(self, opened: Opened, path: Path, relative: str, error: ArchivioError,
                handoff: Handoff) -> IntakeResult:
        error.stage = error.stage or "intake"
        if handoff == "keep":
            # Files given on the command line stay where they are; a note goes to quarantine.
            note = unique_destination(self.settings.paths.quarantine, relative + ".error.json")
            write_note(self.settings.paths.quarantine, note.relative_to(self.settings.paths.quarantine),
                       {"file": display_name(relative), "original_path": display_name(str(path)),
                        "stage": error.stage, "reason": error.reason, "error_type": type(error).__name__})
            moved = None
        else:
            moved = self.quarantine.put(error, relative=relative, source=opened, original_path=str(path))
        self.journal.add_reject(path, moved, error.stage, error.reason)
        return IntakeResult("rejected", path, error.reason, moved_to=moved)


def _root_and_relative(path: Path, root: Path | None) -> tuple[Path, str]:
    """The folder a file is reached from, and its path below it (what the archive keeps as hint)."""
    if root is not None:
        try:
            return root, path.relative_to(root).as_posix()
        except ValueError:
            pass
    # A file named on the command line: its own folder, as the user named it, is the root.
    return path.parent, path.name
