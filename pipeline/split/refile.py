"""An archivist moves a boundary between two documents of a stack: the pages change hands, both
documents are read again from the stack's pages (classified, fields extracted), re-filed as new
record versions with their own archive copy, and the move is audited.

Only the two documents on either side of the boundary change; the stack (the original) never
does. Pages dropped at the split (separator sheets, blank backs) stay dropped.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..audit import Actor, AuditLog
from ..config import Settings
from ..records import HistoryEntry, Record, utcnow
from ..review import ReviewError, Reviewer
from ..store import Archive, retention_for
from ..store.archive import original_key

BOUNDARY_MOVED = "boundary-moved"


class BoundaryError(ReviewError):
    """A boundary that cannot be moved as asked (not a stack part, a document left empty)."""


def part_pages(record: Record) -> list[int]:
    """The stack pages a part holds (``Record.stack_pages``, shared with the page view)."""
    return record.stack_pages()


class Refiler:
    def __init__(self, settings: Settings, archive: Archive, reviewer: Reviewer, audit: AuditLog):
        self.settings = settings
        self.archive = archive
        self.reviewer = reviewer
        self.audit = audit

    def move_boundary(self, part_id: str, first: int, *, version: int, by: Actor) -> list[Record]:
        """Make stack page ``first`` the first page of the part ``part_id`` (the part before it
        gives or takes the pages in between). ``version`` is the part's version the archivist saw."""
        from ..process import analyse_pages, read_pages

        part = self.reviewer._current(part_id, version)
        if part.parent is None or part.parent.relation != "stack-part":
            raise BoundaryError("this document is not part of a scanned stack", path=part_id)
        if (part.parent.index or 0) < 2:
            raise BoundaryError("the first document of a stack starts with the stack: move the next boundary",
                                path=part_id)
        stack = self.archive.get_record(part.parent.id)
        before = self.archive.get_record(stack.parts[part.parent.index - 2])
        kept = sorted(set(part_pages(before)) | set(part_pages(part)))
        pages_before, pages_after = [p for p in kept if p < first], [p for p in kept if p >= first]
        if not pages_before or not pages_after:
            raise BoundaryError(f"page {first} would leave a document without pages (pages {kept[0]}-{kept[-1]} "
                                "are shared by the two documents)", path=part_id)
        if pages_before == part_pages(before):
            return [before, part]  # nothing moves

        with self.archive.original_file(stack.sha256) as path:
            skip = frozenset(range(1, stack.pages + 1)) - frozenset(kept)
            media_type, pages = read_pages(path, self.settings, skip=skip)
        by_number = {p.number: p for p in pages}
        info = self.archive.store.info(original_key(stack.sha256))
        updated = []
        for record, numbers in ((before, pages_before), (part, pages_after)):
            analysis = analyse_pages(media_type, [by_number[n] for n in numbers], self.settings)
            changes = {"pages": numbers, "was": part_pages(record), "class": analysis.classification.doc_class}
            new = record.model_copy(deep=True, update={
                "doc_class": analysis.classification.doc_class,
                "class_confidence": analysis.classification.confidence,
                "class_scores": analysis.classification.scores, "language": analysis.language,
                "pages": len(numbers), "pages_ocr": analysis.pages_ocr, "ocr_confidence": analysis.ocr_confidence,
                "text": analysis.text, "fields": analysis.fields, "needs_review": bool(analysis.problems),
                "review_reasons": analysis.problems, "warnings": analysis.warnings,
                "parent": record.parent.model_copy(update={"pages": (numbers[0], numbers[-1])}),
                "updated_at": utcnow(), "version": record.version + 1,
                "history": [*record.history, HistoryEntry(at=utcnow(), by=str(by), action=BOUNDARY_MOVED,
                                                          changes=changes)],
            })
            new.archive_copy = self._copy(stack, new, numbers, info.retention)
            self.reviewer.save_version(new)
            updated.append(new)
        self.audit.append(BOUNDARY_MOVED, actor=by, documents=[stack.id, before.id, part.id],
                          details={"stack": stack.id, "first": first,
                                   "parts": {r.id: part_pages(r) for r in updated}})
        return updated

    def _copy(self, stack: Record, part: Record, numbers: list[int], retention):
        """The part's new archive copy, cut from the stack's. Filed under a key of its own per
        version: the previous copy may be under retention and is never overwritten."""
        if stack.archive_copy is None:
            return None
        from ..copies.make import discard, slice_copy
        from ..process import copy_entry
        from .. import copies

        with tempfile.TemporaryDirectory(prefix="archivio-refile-") as tmp:
            local = Path(tmp) / "stack.pdf"
            self.archive.get_copy(stack.id, local, sha256=stack.archive_copy.sha256)
            source = copies.make.CopyFile(str(local), stack.archive_copy.sha256, stack.archive_copy.size,
                                          stack.archive_copy.format, stack.archive_copy.created_at or utcnow(), 0.0)
            made = slice_copy(source, numbers, self.settings, title=f"{stack.source.filename} ({part.parent.index})")
            try:
                keep = retention or retention_for(self.settings.retention, part.doc_class, utcnow())
                info = self.archive.file_copy(f"{part.id}.v{part.version}", Path(made.path), sha256=made.sha256,
                                              retention=keep, metadata={"sha256": made.sha256, "original": stack.sha256,
                                                                        "format": made.format})
                return copy_entry(made, info)
            finally:
                discard(made)
