"""Which of several document numbers is the document's own: the one in its header block.

A credit note quotes the invoice it cancels, an invoice the order or the earlier invoice it
settles, a remittance slip repeats a number under another label. The label alone cannot tell
("Fattura n." is a more specific label than "Nota di credito n." but names the quoted
document on a credit note); where it sits can. The document's own number is printed beside
its title and its issue date, so among candidates of equally specific labels, the one whose
label lies within ``reach`` word heights of the issue date's label or of a title line wins;
the label's rank only orders what is left.
"""

from __future__ import annotations

from ..textnorm import compact
from .labelled import Candidate
from .layout import Layout, LabelHit

Anchor = tuple[int, float, float]  # page, y, word height


def anchors(layout: Layout, date: Candidate | None, titles: list[str], sections=None) -> list[Anchor]:
    """Where the header block is: the issue date's label and the title line (the first title
    word heading a short line of its own, "FATTURA", "CREDIT NOTE", "Rechnung Nr. 12"; a later
    one is more likely a quoted document's). A party's heading ("Invoice to", "Fattura a") is
    no title (``sections`` knows them)."""
    out: list[Anchor] = []
    if date is not None and date.hit is not None:
        out.append(_anchor(date.hit))
    heads = [h for h in (layout.find(titles) if titles else []) if h.at_line_start and len(h.line) <= h.end + 4
             and not (sections is not None and sections.in_heading(h.page.number, h.line_index, h.words[0].x0))]
    if heads:
        out.append(_anchor(min(heads, key=lambda h: h.order)))
    return out


def _anchor(hit: LabelHit) -> Anchor:
    word = hit.words[0]
    return (hit.page.number, word.y0, max(word.y1 - word.y0, 1.0))


def near(c: Candidate, where: list[Anchor], reach: float) -> bool:
    page, y = c.order[0], c.order[1]
    return any(page == p and abs(y - ay) <= reach * height for p, ay, height in where)


def header_first(cands: list[Candidate], where: list[Anchor], *, generic: tuple[str, ...],
                 reach: float) -> list[Candidate]:
    """The candidates to pick from: those of specific labels or patterns when there are any (a
    bare title word such as "Invoice" only when nothing else was found), and of those, the ones
    in the header block when the candidates disagree and some are there."""
    # Whole-line patterns (no label hit) keep their place after every label. A label is matched
    # by its compact form, so "Invoice #" is the bare word "Invoice" and as generic as it.
    bare = {compact(g) for g in generic}
    specific = [c for c in cands if compact(c.label) not in bare]
    pool = specific if any(c.hit is not None for c in specific) else cands
    if len({str(c.reading.value) for c in pool}) < 2:
        return pool
    # A bare title word ("INVOICE") whose "value" lies far across its row is reading the other
    # column (the buyer's street number beside the title): not while a nearer reading exists.
    pool = [c for c in pool if compact(c.label) not in bare or not _far(c)] or pool
    # A value read under a label with another of the field's labels between them is that label's:
    # the title "INVOICE" over a boxed header reads, two lines down, the cell under "Delivery note"
    # beside the cell "Invoice #" that holds the number.
    pool = [c for c in pool if not _under_another(c, pool)] or pool
    header = [c for c in pool if near(c, where, reach)]
    return header or pool


# Word heights between a label and a value beside it beyond which the value is another block's.
_FAR = 8.0


def _under_another(c: Candidate, pool: list[Candidate]) -> bool:
    if c.hit is None or c.beside or not c.span.words:
        return False
    page, top, bottom = c.hit.page.number, max(w.y1 for w in c.hit.words), min(w.y0 for w in c.span.words)
    return any(d.hit is not None and d is not c and d.hit.page.number == page
               and top <= min(w.y0 for w in d.hit.words) and max(w.y1 for w in d.hit.words) <= bottom
               for d in pool)


def _far(c: Candidate) -> bool:
    if c.hit is None or not c.beside or not c.span.words:
        return False
    last = c.hit.words[-1]
    return c.span.words[0].x0 - last.x1 > _FAR * max(last.y1 - last.y0, 1.0)
