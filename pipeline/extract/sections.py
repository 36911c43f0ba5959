"""Whose details a part of the page gives: the seller's, the buyer's, or neither.

Invoices print both parties' names and tax ids, often with the same labels ("P.IVA",
"Name:"); what tells them apart is the heading above ("Cedente / prestatore", "Verkäufer",
"Bill to"). A heading rules the lines below it in its column until the next heading. Headings
listed as ``neutral`` (the transmitter of an e-invoice, a fiscal representative, the document's
general data) end a party's section without starting another.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .layout import Layout

# A heading is a short line; longer lines merely mention a party ("... payable to the seller ...").
_MAX_HEADING_WORDS = 10


@dataclass(frozen=True)
class Heading:
    role: str  # "vendor", "customer" or "neutral"
    page: int
    y: float  # top of the heading line
    x0: float
    x1: float  # where its column ends (the next heading on the same row, or the page edge)
    line_index: int
    text: str
    after: tuple = ()  # the words after the heading phrase on its run ("Sold by: ACME Ltd")
    end: float = 0.0  # where its run of words ends on its line


class Sections:
    def __init__(self, layout: Layout, headings: dict[str, tuple[str, ...]]):
        self.layout = layout
        self.headings = _find_headings(layout, headings)

    def role_at(self, page: int, x: float, y: float) -> str | None:
        """The role of the section a point lies in; None before any heading."""
        best: Heading | None = None
        for heading in self.headings:
            if heading.page > page or (heading.page == page and heading.y > y + 1):
                continue
            if heading.page == page and not (heading.x0 - 5 <= x < heading.x1):
                continue
            if best is None or (heading.page, heading.y) > (best.page, best.y):
                best = heading
        return best.role if best else None

    def heading_lines(self) -> set[tuple[int, int]]:
        return {(h.page, h.line_index) for h in self.headings}

    def in_heading(self, page: int, line_index: int, x: float) -> bool:
        """Whether a word starting at ``x`` on that line is part of a heading's own run of words
        (a table header row holding "Cod. cliente" is not a heading in its other cells)."""
        return any(h.page == page and h.line_index == line_index and h.x0 - 1 <= x <= h.end for h in self.headings)

    def __bool__(self) -> bool:
        return any(h.role != "neutral" for h in self.headings)


_PRIORITY = ("neutral", "vendor", "customer")


def _find_headings(layout: Layout, headings: dict[str, tuple[str, ...]]) -> list[Heading]:
    role_of = {}
    for role in reversed(_PRIORITY):  # earlier roles overwrite: neutral wins a shared phrase
        for phrase in headings.get(role, ()):
            role_of[phrase] = role
    best: dict[tuple[int, int, int], tuple[int, Heading]] = {}
    for hit in layout.find(list(role_of)):
        if len(hit.line) > _MAX_HEADING_WORDS or hit.rest[:1].isdigit():
            continue  # "Facture A397" is a number's label and value, not the heading "Facture à"
        run_index, run = _run_of(hit.line, hit.start)
        if hit.line.index(run[0]) + 3 < hit.start:
            continue  # a heading opens its line ("Dati del cedente"); further in, the phrase is prose
        role = role_of[hit.label]
        key = (hit.page.number, hit.line_index, run_index)
        after = tuple(w for w in run if w.x0 > hit.line[hit.end].x1 - 1)
        heading = Heading(role, hit.page.number, min(w.y0 for w in run), run[0].x0, hit.page.width,
                          hit.line_index, " ".join(w.text for w in run), after, run[-1].x1)
        priority = _PRIORITY.index(role)
        if key not in best or priority < best[key][0]:
            best[key] = (priority, heading)
    found = [h for _, h in best.values()]
    # A column ends where the next heading to its right on the same row begins.
    out = []
    for heading in found:
        right = [h.x0 for h in found if h.page == heading.page and abs(h.y - heading.y) < 3 and h.x0 > heading.x0 + 5]
        gutter = _next_column(layout, heading)
        if right or gutter is not None:
            heading = replace(heading, x1=min(right + ([gutter] if gutter is not None else [])))
        out.append(heading)
    return sorted(out, key=lambda h: (h.page, h.y, h.x0))


# A second column starts this far right of a heading (a fraction of the page's width): closer, a
# wide gap is more likely a label's value printed at a tab stop than another block.
_COLUMN_MIN = 0.3
_COLUMN_LINES = 6


def _next_column(layout: Layout, heading: Heading) -> float | None:
    """Where another block of lines begins to the right of a heading's column, if one does: the
    seller's address printed beside the buyer's window, both under no common heading. A block
    is two or more runs of words (a line's first word, or one after a wide gap) left-aligned
    within the heading's first lines, far enough right."""
    page = next(p for p in layout.pages if p.number == heading.page)
    lines = layout.lines[heading.page]
    own = lines[heading.line_index]
    height = max((w.y1 - w.y0) for w in own) or 1.0
    top, bottom = heading.y - height, heading.y + _COLUMN_LINES * 1.5 * height
    least = heading.x0 + _COLUMN_MIN * (page.width or 600)
    starts: list[float] = []
    for line in lines:
        if not top <= line[0].y0 <= bottom:
            continue
        gap = 2.5 * (max((w.y1 - w.y0) for w in line) or 1.0)
        for before, word in zip((None,) + line, line):
            if word.x0 >= least and (before is None or word.x0 - before.x1 > gap):
                starts.append(word.x0)
                break
    starts.sort()
    for a, b in zip(starts, starts[1:]):
        if b - a <= 5:
            return a - 5
    return None


def _run_of(line, index: int):
    """The run of words (separated from others by a wide gap) holding word ``index``."""
    height = max((w.y1 - w.y0) for w in line) or 1.0
    runs, current = [], [0]
    for i in range(1, len(line)):
        if line[i].x0 - line[i - 1].x1 > 2.5 * height:
            runs.append(current)
            current = []
        current.append(i)
    runs.append(current)
    for n, run in enumerate(runs):
        if index in run:
            return n, [line[i] for i in run]
    return 0, list(line)
