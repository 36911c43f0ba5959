"""What one original yields besides its own reading: the documents of a stack, and the archive
copies (the stack's and each part's). Runs in the worker right after reading, on the pages read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Settings
from .copies.make import CopyFile, discard, make_copy, slice_copy
from .records import Page
from .split import plan_parts

if TYPE_CHECKING:
    from .process import Analysis


@dataclass
class PartAnalysis:
    """One document of a stack: where it lies in the stack and what reading it gave."""

    index: int  # 1-based
    first: int
    last: int
    pages: tuple[int, ...]
    reason: str
    analysis: Analysis
    copy: CopyFile | None = None


@dataclass
class Derived:
    parts: list[PartAnalysis] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    copy: CopyFile | None = None

    def discard(self) -> None:
        """Remove the temporary copies (filed, or the document failed)."""
        discard(self.copy)
        for part in self.parts:
            discard(part.copy)


def derive(path: Path, media_type: str, pages: list[Page], separators: dict[int, str], settings: Settings, *,
           title: str, analyse_pages, today: dt.date | None = None) -> tuple[Derived, list[str]]:
    """Parts and copies of the document just read; and warnings for its record."""
    from . import process

    derived = Derived()
    warnings: list[str] = []
    if len(pages) > 1 and (separators or settings.split.by_content):
        plan = plan_parts(pages, separators, settings)
        derived.decisions = plan.decisions
        if plan.is_stack:
            by_number = {p.number: p for p in pages}
            for part in plan.parts:
                analysis: process.Analysis = analyse_pages(media_type, [by_number[n] for n in part.pages], settings,
                                                           today=today)
                derived.parts.append(PartAnalysis(part.index, part.first, part.last, part.pages, part.reason, analysis))
    copy, problem = make_copy(path, media_type, pages, settings, title=title)
    if problem:
        warnings.append(problem)
    derived.copy = copy
    if copy is not None:
        try:
            for part in derived.parts:
                part.copy = slice_copy(copy, list(part.pages), settings, title=f"{title} ({part.index}/{len(derived.parts)})")
        except Exception as exc:  # noqa: BLE001 - a part without a copy is still filed
            warnings.append(f"archive copies of the stack's documents not made: {exc}")
            for part in derived.parts:
                discard(part.copy)
                part.copy = None
    return derived, warnings
