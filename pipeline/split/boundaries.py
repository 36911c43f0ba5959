"""Where the documents of a scanned stack begin and end, each decision with its reason.

Separator sheets (found before OCR) always end a document and are dropped. With
``split.by_content`` the pages read are also looked at: a page that says "Pagina 1 di N" /
"Page 1 of N" again, a header with another invoice number or another seller's VAT number, an
upper-case document title of its own, a page of another class (surely so), or a blank sheet
between documents starts a new document.
Documents of one kind in a row, where nothing of the above tells them apart, are told apart by
what their pages print (``cues``): the same title again when the document before did not repeat
it on its own pages (not a running header); a page that ends a document (totals, payment terms,
a receipt's closing lines, a signature block) followed by one that opens a document (a title, a
letterhead); or a change of paper (a receipt after an A4 invoice).
A page that says "page k of N" with k > 1 continues the one before, whatever else it shows, and
a header with the same document number as the document so far is never a boundary by those
softer signs.
Duplex scanning gives every sheet a back: a lone blank page in an even position of a stack
scanned that way (most even pages blank) is a back, dropped, and no boundary.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from ..config import SplitSettings
from ..records import Page
from .cues import ending, letterhead, paper_change

_PAGE_OF = re.compile(r"\b(?:pagina|pag|page|seite|p)\.?\s*(\d{1,3})\s*(?:di|of|von|/)\s*(\d{1,3})\b", re.I)
# A document's title as printed at the top of its first page: an upper-case line naming a kind
# of document. A running header repeats the same title on every page, so only a different
# title than the document's own starts a new one.
_TITLE_WORDS = re.compile(r"\b(AGREEMENT|CONTRACT|CONTRATTO|ACCORDO|CONVENZIONE|VERTRAG|VEREINBARUNG|INVOICE|"
                          r"FATTURA|RECHNUNG|RECEIPT|RICEVUTA|QUITTUNG|LEASE|LOCAZIONE|PREVENTIVO|QUOTATION)\b")
_REFERS = re.compile(r"\b(THIS|THE|QUESTO|PRESENTE|DIESE[RSN]?)\b")
_TITLE_ZONE = 0.25
_HEADER = 0.5  # the part of the page (from the top) where a letterhead and a document number sit


@dataclass(frozen=True)
class Signs:
    """What a page says about the document it belongs to: the number and seller VAT ids in its
    header (``None`` / empty when it does not say), and its class with the classifier's scores."""

    number: str | None = None
    sellers: frozenset[str] = frozenset()
    doc_class: str | None = None
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def confidence(self) -> float:
        return self.scores.get(self.doc_class, 0.0) if self.doc_class else 0.0


class Identity(Protocol):
    def __call__(self, page: Page) -> Signs: ...


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


_LEGIBLE_MIN = 2


def is_blank(page: Page) -> bool:
    """Fewer than two words a person could read: scanner noise and show-through on a blank
    back read as a few short unsure marks, a real page has dozens of words."""
    legible = sum(1 for w in page.words if w.conf >= 60 and sum(ch.isalnum() for ch in w.text) >= 3)
    return legible < _LEGIBLE_MIN


def title(page: Page) -> str | None:
    """The document title printed near the top of the page (upper case, naming a kind of
    document), normalised; None when the page has none."""
    limit = _TITLE_ZONE * page.height
    for line in page.lines():
        if not line or min(w.y0 for w in line) > limit:
            continue
        text = " ".join(w.text for w in line)
        if len(line) > 14 or _REFERS.search(text):
            continue  # a clause in capitals ("… UNDER THIS AGREEMENT …"), not a title
        letters = [ch for ch in text if ch.isalpha()]
        if len(letters) >= 6 and sum(ch.isupper() for ch in letters) >= 0.9 * len(letters) and _TITLE_WORDS.search(text):
            return re.sub(r"[^A-Z]", "", text.upper())
    return None


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
    pages, every lone blank page sits in an even position (a simplex stack with blank pages
    between documents puts them anywhere), and most even pages are blank: one-sided paper
    through a duplex scanner gives a blank back to nearly every sheet. One blank among printed
    backs (page 2 of A, blank, B1, B2) is more likely a blank page put between two documents."""
    if settings.duplex != "auto":
        return settings.duplex == "true"
    if len(pages) % 2:
        return False
    blanks = [p.number for p in pages if p.number not in separators and is_blank(p)]
    lone = [run[0] for run in _runs(blanks) if len(run) == 1]
    evens = [p.number for p in pages if p.number % 2 == 0 and p.number not in separators]
    return bool(lone) and all(n % 2 == 0 for n in lone) and 2 * len(lone) > len(evens)


def _content_starts(pages: list[Page], dropped: dict[int, str], starts: dict[int, str], blank_starts: dict[int, str],
                    settings: SplitSettings, identity: Identity | None, decisions: list[str]) -> None:
    current: Signs | None = None  # what the document being built said about itself so far
    heading: str | None = None  # the title its first page printed
    running = True  # every page after its first repeated that title (a running header)
    before: Page | None = None  # the page before, in the document being built
    sure = settings.min_class_confidence
    previous_k: int | None = None
    for page in pages:
        n = page.number
        if n in dropped:
            continue
        first = current is None or n in starts or n in blank_starts
        said = page_of(page)
        signs = identity(page) if identity else Signs()
        page_title = title(page)
        why = None
        if not first:
            same_number = bool(signs.number and current.number and _norm(signs.number) == _norm(current.number))
            if said and said[0] == 1:
                why = f"the page says page 1 of {said[1]} again"
            elif said and said[0] > 1 and previous_k is not None and said[0] == previous_k + 1:
                why = None  # "page k of N" continuing: never a boundary
            elif signs.number and current.number and not same_number:
                why = f"new document number {signs.number} (was {current.number})"
            elif signs.sellers and current.sellers and signs.sellers.isdisjoint(current.sellers):
                why = (f"new seller VAT number {', '.join(sorted(signs.sellers))} "
                       f"(was {', '.join(sorted(current.sellers))})")
            elif page_title and page_title != heading and not said:
                why = "the page opens with a document title of its own"
            elif (not said and signs.doc_class and current.doc_class and signs.doc_class != current.doc_class
                  and current.confidence >= sure and signs.scores.get(current.doc_class, 1.0) <= 1 - sure):
                # The document so far surely of one class, this page surely not of it.
                why = f"the page reads as a {signs.doc_class}, the document so far as a {current.doc_class}"
            elif not said and not same_number:
                why = _same_kind_start(before, page, page_title, heading, running)
        if why:
            starts[n] = why
            first = True
        if first:
            current = signs
            heading = page_title
            running = True
        else:
            current = Signs(current.number or signs.number, current.sellers or signs.sellers,
                            current.doc_class if current.confidence >= signs.confidence else signs.doc_class,
                            current.scores if current.confidence >= signs.confidence else signs.scores)
            running = running and page_title == heading
        before = page
        previous_k = said[0] if said else None


def _same_kind_start(before: Page, page: Page, page_title: str | None, heading: str | None,
                     running: bool) -> str | None:
    """Why ``page`` starts a document of the same kind as the one before (same title, no number
    of its own to compare), or None. Only asked when nothing on the page says it continues
    ("page k of N", the same document number)."""
    if page_title and page_title == heading and not running:
        return "the page opens with the document's title again, which the document before did not repeat on its pages"
    end = ending(before)
    # The document's own title again on its second page may be a running header: after a
    # page that ends with a total or payment terms (a clause may), only a letterhead then says
    # a document opens; after a signature block or a receipt's or letter's closing, the title does.
    final = end in ("signature block", "closing lines of a receipt", "closing of a letter")
    opens = ("a document title" if page_title and (page_title != heading or final)
             else letterhead(page, before))
    if end and opens:
        return f"page {before.number} ends a document ({end}) and this page opens one ({opens})"
    if change := paper_change(before, page):
        return f"the paper changes ({change})"
    return None


def _norm(value: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", value.upper())


def header_identity(extract: Callable[[Page], dict], classify: Callable[[str], dict[str, float]]) -> Identity:
    """An ``Identity`` from Archivio's own extraction (invoice number, seller VAT) run on the
    page's header, and its classifier's scores for the page's text."""

    def identify(page: Page) -> Signs:
        limit = _HEADER * page.height
        header = Page(number=page.number, width=page.width, height=page.height, method=page.method,
                      words=[w for w in page.words if w.y1 <= limit])
        fields = extract(header) if header.words else {}
        number, vat = fields.get("number"), fields.get("vendor_vat")
        scores = classify(page.text) if page.words else {}
        return Signs(number if isinstance(number, str) and number else None,
                     frozenset([vat]) if isinstance(vat, str) and vat else frozenset(),
                     max(scores, key=scores.get) if scores else None, scores)

    return identify
