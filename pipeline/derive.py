"""Reading the part of what an original yields that comes from its pages: the documents of a
stack, and the archive copies (the stack's and each part's). Runs in the worker right after
reading, on the pages read; fills the same ``parts.Derived`` an e-invoice fills."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .config import Settings
from .copies.wanted import wants_copy
from .parts import Derived, PartAnalysis
from .records import Page
from .split import plan_parts


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
    if not settings.copies.enabled or not wants_copy(media_type, pages, born_digital=settings.copies.born_digital):
        return derived, warnings  # born-digital: the copies' libraries are not even imported
    from .copies.make import discard, make_copy, slice_copy

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
