"""Positioned words to labelled values: find a printed label, read the value beside or below it.

Labels are matched on a compact form (folded, punctuation and spaces removed) so that OCR's
``P. IVA``, ``P.IVA`` and ``PIVA`` are the same label, and a label glued to its value
(``N.123``, ``Totale:12,00``) still splits where the label ends.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..records import Box, Page, Word
from ..textnorm import compact


@dataclass(frozen=True, slots=True)
class Span:
    """Some words of one page, with the text they make and where they sit."""

    page: Page
    words: tuple[Word, ...]
    text: str

    @property
    def box(self) -> Box:
        return box_of(self.page, self.words)

    @property
    def confidence(self) -> float:
        if not self.words:
            return 0.0
        return min(w.conf for w in self.words) / 100.0


@dataclass(frozen=True, slots=True)
class LabelHit:
    label: str
    page: Page
    line: tuple[Word, ...]  # the whole printed line the label sits on
    start: int  # index in ``line`` of the label's first word
    end: int  # index of the label's last word
    rest: str  # what follows the label inside its last word ("123" in "N.123")

    @property
    def words(self) -> tuple[Word, ...]:
        return self.line[self.start : self.end + 1]

    def right(self) -> Span:
        """What is printed to the right of the label on the same row.

        The row is found by position, not by the OCR's line numbers: Tesseract often reads a
        receipt's amounts column as a block of its own, away from the labels beside them.
        """
        label_end = self.line[self.end]
        after = tuple(w for w in same_row(self.page, self.words) if w.x0 >= label_end.x1 - 1 and w is not label_end
                      and w not in self.words)
        text = " ".join(([self.rest] if self.rest else []) + [w.text for w in after])
        return Span(self.page, ((label_end,) if self.rest else ()) + after, text.strip(" :.-#"))

    def below(self, max_lines: int = 2) -> list[Span]:
        """Lines just under the label that overlap it horizontally, nearest first."""
        label_box = self.words
        x0 = min(w.x0 for w in label_box)
        x1 = max(w.x1 for w in label_box)
        y1 = max(w.y1 for w in label_box)
        height = max(w.y1 - w.y0 for w in label_box) or 1.0
        out: list[Span] = []
        for line in self.page.lines():
            top = min(w.y0 for w in line)
            if top <= y1 - height * 0.3 or top > y1 + height * 3.5 * max_lines:
                continue
            near = tuple(w for w in line if w.x1 >= x0 - height and w.x0 <= x1 + 6 * height)
            if near:
                out.append(Span(self.page, near, " ".join(w.text for w in near)))
            if len(out) >= max_lines:
                break
        return out


def page_slope(page: Page) -> float:
    """The page's skew as dy/dx, from the words the OCR put on one line (0 for a text layer)."""
    if page.method != "ocr":
        return 0.0
    slopes = []
    for line in page.lines():
        if len(line) < 2:
            continue
        first, last = line[0], line[-1]
        dx = (last.x0 + last.x1 - first.x0 - first.x1) / 2
        if dx > 4 * (first.y1 - first.y0):
            slopes.append(((last.y0 + last.y1) - (first.y0 + first.y1)) / 2 / dx)
    if not slopes:
        return 0.0
    slopes.sort()
    return slopes[len(slopes) // 2]


def same_row(page: Page, anchor: tuple[Word, ...]) -> list[Word]:
    """Words on the printed row of ``anchor`` across the whole page, left to right, allowing
    for the page's skew."""
    slope = page_slope(page)
    ax = (anchor[0].x0 + anchor[-1].x1) / 2
    ay = sum((w.y0 + w.y1) / 2 for w in anchor) / len(anchor)
    height = max(w.y1 - w.y0 for w in anchor) or 1.0
    row = [w for w in page.words
           if abs((w.y0 + w.y1) / 2 - (ay + slope * ((w.x0 + w.x1) / 2 - ax))) <= 0.5 * height]
    return sorted(row, key=lambda w: w.x0)


def box_of(page: Page, words: tuple[Word, ...] | list[Word]) -> Box:
    """The words' bounding box as fractions of the page, for highlighting in any preview size."""
    if not words or not page.width or not page.height:
        return (0.0, 0.0, 0.0, 0.0)
    return (
        round(min(w.x0 for w in words) / page.width, 4),
        round(min(w.y0 for w in words) / page.height, 4),
        round(max(w.x1 for w in words) / page.width, 4),
        round(max(w.y1 for w in words) / page.height, 4),
    )


def find_labels(pages: list[Page], labels: list[str]) -> list[LabelHit]:
    """Every occurrence of any of ``labels``, in label order (earlier labels are preferred),
    then in reading order."""
    wanted = [(label, compact(label)) for label in labels if compact(label)]
    hits: list[LabelHit] = []
    for label, key in wanted:
        for page in pages:
            for line in page.lines():
                hits.extend(_match_line(label, key, page, tuple(line)))
    return hits


def _match_line(label: str, key: str, page: Page, line: tuple[Word, ...]) -> list[LabelHit]:
    parts = [compact(w.text) for w in line]
    out = []
    for start in range(len(line)):
        if not parts[start] or not key.startswith(parts[start][: len(key)]):
            continue
        acc = ""
        for end in range(start, len(line)):
            acc += parts[end]
            if len(acc) >= len(key):
                if not acc.startswith(key):
                    break
                rest = _rest_after(line[end].text, len(key) - (len(acc) - len(parts[end])))
                if rest is None:
                    break
                out.append(LabelHit(label, page, line, start, end, rest))
                break
            if not key.startswith(acc):
                break
    return out


def _rest_after(text: str, consumed: int) -> str | None:
    """Text of a word after its first ``consumed`` compact characters; None if the label ends
    inside a run of letters (``data`` must not match ``datazione``)."""
    seen = 0
    for index, ch in enumerate(text):
        if compact(ch):
            if seen == consumed:
                rest = text[index:]
                return None if ch.isalpha() and text[index - 1 : index].isalpha() else rest.lstrip(":.#-/ ")
            seen += 1
    return ""


def all_spans(pages: list[Page]) -> list[Span]:
    """Every printed line as a span, in reading order."""
    return [Span(p, tuple(line), " ".join(w.text for w in line)) for p in pages for line in p.lines()]
