"""Where the documents of a scanned stack begin and end, each decision with its reason.

Separator sheets (found before OCR) always end a document and are dropped. With
``split.by_content`` the pages read are also looked at: a page that says "Pagina 1 di N" /
"Page 1 of N" again, a header with another invoice number or another seller's VAT number, a
page of another class (surely so), or a blank sheet between documents starts a new document.
A page that says "page k of N" with k > 1 continues the one before, whatever else it shows.
Duplex scanning gives every sheet a back: a lone blank page in an even position of a stack
scanned that way is a back, dropped, and no boundary.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from ..config import SplitSettings
from ..records import Page

_PAGE_OF = re.compile(r"\b(?:pagina|pag|page|seite|p)\.?\s*(\d{1,3})\s*(?:di|of|von|/)\s*(\d{1,3})\b", re.I)
_HEADER = 0.35  # the part of the page (from the top) where a letterhead and a document number sit


class Identity(Protocol):
    """What names the document a page belongs to: its number and its seller's VAT ids, as
    read from the page's header (``None`` / empty when the page does not say)."""

    def __call__(self, page: Page) -> tuple[str | None, frozenset[str], str | None, float]: ...


@dataclass(frozen=True)
class PartPlan:
    index: int  # 1-based
    first: int  # first and last page of the stack (1-based, inclusive; dropped pages may lie inside)
    last: int
    pages: tuple[int, ...]  # the pages that belong to the document
    reason: str  # why a document starts here


@dataclass
class SplitPlan:
    parts: list[PartPlan]
    dropped: dict[int, str] = field(default_factory=dict)  # separator sheets, blank backs
    decisions: list[str] = field(default_factory=list)  # every boundary and drop, for the record

    @property
    def is_stack(self) -> bool:
        return len(self.parts) > 1


def is_blank(page: Page) -> bool:
    """No word a person could read (scanner noise reads as a few short unsure marks)."""
    return not any(w.conf >= 60 and sum(ch.isalnum() for ch in w.text) >= 3 for w in page.words)


def page_of(page: Page) -> tuple[int, int] | None:
    """(k, n) when the page prints "page k of n" (any of the usual wordings), else None."""
    for match in _PAGE_OF.finditer(page.text):
        k, n = int(match.group(1)), int(match.group(2))
        if 1 <= k <= n <= 500:
            return k, n
    return None


def plan_stack(pages: list[Page], separators: dict[int, str], settings: SplitSettings,
               identity: Identity | None = None) -> SplitPlan:
    """The documents in ``pages``; ``identity`` reads a page's header (number, seller VAT ids,
    class and its confidence) for ``split.by_content``."""
    numbers = [p.number for p in pages]
    dropped: dict[int, str] = dict(separators)
    decisions = [f"page {n}: {why}, dropped" for n, why in sorted(separators.items())]
    starts: dict[int, str] = {}
    blank_starts: dict[int, str] = {}

    if settings.by_content or separators:
        duplex = _is_duplex(pages, settings, separators)
        blanks = [p.number for p in pages if p.number not in dropped and is_blank(p)]
        for run in _runs(blanks):
            if duplex and len(run) == 1 and run[0] % 2 == 0:
                dropped[run[0]] = "blank back of a duplex sheet"
                decisions.append(f"page {run[0]}: blank back of a duplex sheet, dropped (no boundary)")
            elif settings.by_content:
                for n in run:
                    dropped[n] = "blank page between documents"
                after = run[-1] + 1
                if after in numbers:
                    blank_starts[after] = f"after a blank {'sheet' if len(run) > 1 else 'page'} (page {run[0]}" + (
                        f"-{run[-1]})" if len(run) > 1 else ")")
                decisions.append(f"page {'-'.join(map(str, (run[0], run[-1]) if len(run) > 1 else run))}: "
                                 "blank between documents, dropped")

    # Separator sheets: the page after one starts a document.
    for n in separators:
        if n + 1 in numbers:
            starts[n + 1] = "after a separator sheet"

    if settings.by_content:
        _content_starts(pages, dropped, starts, blank_starts, settings, identity, decisions)
    for n, why in blank_starts.items():
        starts.setdefault(n, why)

    parts: list[PartPlan] = []
    current: list[int] = []
    reason = "first page of the stack"
    for n in numbers:
        if n in starts and current:
            parts.append(_part(len(parts) + 1, current, reason))
            current = []
        if n in starts:
            reason = starts[n]
        if n in dropped:
            continue
        current.append(n)
    if current:
        parts.append(_part(len(parts) + 1, current, reason))
    if not parts:
        parts = [PartPlan(1, numbers[0] if numbers else 1, numbers[-1] if numbers else 1,
                          tuple(n for n in numbers), "nothing but separators and blank pages")]
    for part in parts[1:]:
        decisions.append(f"page {part.pages[0]}: new document ({part.reason})")
    return SplitPlan(parts=parts, dropped=dropped, decisions=decisions)


def _part(index: int, pages: list[int], reason: str) -> PartPlan:
    return PartPlan(index=index, first=pages[0], last=pages[-1], pages=tuple(pages), reason=reason)


def _runs(numbers: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for n in numbers:
        if runs and runs[-1][-1] == n - 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return runs


def _is_duplex(pages: list[Page], settings: SplitSettings, separators: dict[int, str]) -> bool:
    """Whether blank even pages are the backs of sheets. "auto": the stack has an even number of
    pages and every lone blank page sits in an even position (a simplex stack with blank pages
    between documents puts them anywhere)."""
    if settings.duplex != "auto":
        return settings.duplex == "true"
    if len(pages) % 2:
        return False
    blanks = [p.number for p in pages if p.number not in separators and is_blank(p)]
    lone = [run[0] for run in _runs(blanks) if len(run) == 1]
    return bool(lone) and all(n % 2 == 0 for n in lone)


def _content_starts(pages: list[Page], dropped: dict[int, str], starts: dict[int, str], blank_starts: dict[int, str],
                    settings: SplitSettings, identity: Identity | None, decisions: list[str]) -> None:
    number: str | None = None
    sellers: frozenset[str] = frozenset()
    doc_class: str | None = None
    class_sure = False
    previous_k: int | None = None
    for page in pages:
        n = page.number
        if n in dropped:
            continue
        first = n in starts or n in blank_starts or number is None and doc_class is None
        said = page_of(page)
        page_number, page_sellers, page_class, confidence = identity(page) if identity else (None, frozenset(), None, 0.0)
        sure = confidence >= settings.min_class_confidence
        why = None
        if not first:
            if said and said[0] == 1:
                why = f"the page says page 1 of {said[1]} again"
            elif said and said[0] > 1 and previous_k is not None and said[0] == previous_k + 1:
                why = None  # "page k of N" continuing: never a boundary
            elif page_number and number and _norm(page_number) != _norm(number):
                why = f"new document number {page_number} (was {number})"
            elif page_sellers and sellers and page_sellers.isdisjoint(sellers):
                why = f"new seller VAT number {', '.join(sorted(page_sellers))} (was {', '.join(sorted(sellers))})"
            elif page_class and doc_class and page_class != doc_class and sure and class_sure and not said:
                why = f"the page reads as a {page_class}, the document so far as a {doc_class}"
        if why:
            starts[n] = why
            first = True
        if first:
            number, sellers, doc_class, class_sure = page_number, page_sellers, page_class, sure
        else:
            number = number or page_number
            sellers = sellers or page_sellers
            if not class_sure and sure:
                doc_class, class_sure = page_class, True
        previous_k = said[0] if said else None


def _norm(value: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", value.upper())


def header_identity(extract: Callable[[Page], dict], classify: Callable[[str], tuple[str, float]]) -> Identity:
    """An ``Identity`` from Archivio's own extraction (invoice number, seller VAT) run on the
    page's header, and its classifier run on the page's text."""

    def identify(page: Page) -> tuple[str | None, frozenset[str], str | None, float]:
        limit = _HEADER * page.height
        header = Page(number=page.number, width=page.width, height=page.height, method=page.method,
                      words=[w for w in page.words if w.y1 <= limit])
        fields = extract(header) if header.words else {}
        number = fields.get("number")
        vat = fields.get("vendor_vat")
        page_class, confidence = classify(page.text) if page.words else (None, 0.0)
        return (number if isinstance(number, str) and number else None,
                frozenset([vat]) if isinstance(vat, str) and vat else frozenset(), page_class, confidence)

    return identify
