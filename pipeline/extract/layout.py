"""Positioned words to labelled values: find a printed label, read the value beside or below it.

Labels are matched on a compact form (folded, punctuation and spaces removed) so that OCR's
``P. IVA``, ``P.IVA`` and ``PIVA`` are the same label, and a label glued to its value
(``N.123``, ``Totale:12,00``) still splits where the label ends.

"Beside" is decided by position, not by the reader's line numbers: OCR often puts a label and
its amount in different blocks when a dotted leader or a wide gap separates them, and a PDF
table puts them in different text runs. A word is on the label's row when its vertical middle
falls inside the label's band.
"""

from __future__ import annotations

import datetime as dt
import re
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

    @property
    def top(self) -> float:
        return min(w.y0 for w in self.words) if self.words else 0.0


@dataclass(frozen=True, slots=True)
class LabelHit:
    label: str
    key: str  # the label's compact form
    page: Page
    line_index: int  # index of the line in the layout's lines of that page
    line: tuple[Word, ...]  # the whole printed line the label sits on
    start: int  # index in ``line`` of the label's first word
    end: int  # index of the label's last word
    rest: str  # what follows the label inside its last word ("123" in "N.123")
    fuzzy: bool = False  # matched with one OCR error ("Tota1", "Chane")

    @property
    def words(self) -> tuple[Word, ...]:
        return self.line[self.start : self.end + 1]

    @property
    def order(self) -> tuple[int, float, float]:
        first = self.line[self.start]
        return (self.page.number, first.y0, first.x0)

    @property
    def at_line_start(self) -> bool:
        return self.start == 0

    @property
    def before(self) -> str:
        """The text on the label's line before it."""
        return " ".join(w.text for w in self.line[: self.start])


class Layout:
    """The pages of one document with their lines worked out once."""

    def __init__(self, pages: list[Page]):
        self.pages = pages
        self.lines: dict[int, list[tuple[Word, ...]]] = {p.number: [tuple(l) for l in p.lines()] for p in pages}
        self._compact: dict[int, list[list[str]]] = {
            n: [[compact(w.text) for w in line] for line in lines] for n, lines in self.lines.items()
        }
        # Each line's words run together: a label can match exactly only where it is a substring.
        self._joined: dict[int, list[str]] = {n: ["".join(parts) for parts in lines] for n, lines in self._compact.items()}
        # The page's lines in one string (a compact key has letters and digits only, so none spans a
        # line break): most labels are on no line of a page, and one substring test says so.
        self._page_joined: dict[int, str] = {n: "\n".join(lines) for n, lines in self._joined.items()}
        self.slope: dict[int, float] = {n: _skew(lines) for n, lines in self.lines.items()}
        self._spans: list[Span] | None = None

    @property
    def made(self) -> dt.date | None:
        """The earliest day the document's photos or scans say they were made (``Page.taken``):
        nothing they print happened after it."""
        days = [dt.date.fromisoformat(p.taken) for p in self.pages if getattr(p, "taken", None)]
        return min(days) if days else None

    # -- labels -------------------------------------------------------------------------------
    def find(self, labels: list[str] | tuple[str, ...], *, cells: bool = False) -> list[LabelHit]:
        """Every occurrence of any of ``labels``, in label order, then in reading order. ``cells``:
        the page is a form whose wide gaps part cells, which no label runs across (an invoice's
        boxed header "Data | Fattura n."; a till slip spaces one label's words as widely)."""
        hits: list[LabelHit] = []
        for label in labels:
            key = compact(label)
            if not key:
                continue
            for page in self.pages:
                loose = page.method == "ocr"  # OCR lines are also matched with one letter wrong
                if not loose and key not in self._page_joined[page.number]:
                    continue
                joined = self._joined[page.number]
                for index, line in enumerate(self.lines[page.number]):
                    if loose or key in joined[index]:
                        hits.extend(_match_line(label, key, page, index, line, self._compact[page.number][index],
                                                cells))
        return hits

    # -- neighbourhoods -----------------------------------------------------------------------
    def right(self, hit: LabelHit) -> Span:
        """What follows the label on its row: the rest of its word, then the words to its right."""
        last = hit.line[hit.end]
        row = [w for w in self.row_words(hit.page, hit.words) if w.x0 >= last.x1 - 1 and w is not last]
        # The label's own line first (its order is the reader's), then other runs on the row.
        own = list(hit.line[hit.end + 1 :])
        others = [w for w in row if w not in own]
        after = sorted(own + others, key=lambda w: w.x0)
        text = " ".join(([hit.rest] if hit.rest else []) + [w.text for w in after])
        return Span(hit.page, ((last,) if hit.rest else ()) + tuple(after), _strip_leader(text))

    def row_words(self, page: Page, anchor: tuple[Word, ...]) -> list[Word]:
        """Every word of ``page`` whose vertical middle lies within the anchor words' band, the
        band following the page's skew (a scan turned by a degree drifts 17 px per 1000)."""
        y0 = min(w.y0 for w in anchor)
        y1 = max(w.y1 for w in anchor)
        x = anchor[-1].x1
        slack = (y1 - y0) * 0.35
        slope = self.slope.get(page.number, 0.0)
        out = []
        for line in self.lines[page.number]:
            for w in line:
                mid = (w.y0 + w.y1) / 2 - slope * ((w.x0 + w.x1) / 2 - x)
                if y0 - slack <= mid <= y1 + slack:
                    out.append(w)
        return out

    def below(self, hit: LabelHit, max_lines: int = 2, *, reach: float = 6.0, whole: str = "") -> list[Span]:
        """Lines just under the label that overlap it horizontally, nearest first. ``whole``: a
        phrase the reach cuts is taken whole ("26 December 2022" under a title, not "26") with
        "phrase", or only through the parts of a number ("INV - 2024 - 2990") with "number"."""
        label_words = hit.words
        x0 = min(w.x0 for w in label_words)
        x1 = max(w.x1 for w in label_words)
        y1 = max(w.y1 for w in label_words)
        height = max(w.y1 - w.y0 for w in label_words) or 1.0
        out: list[Span] = []
        for line in self.lines[hit.page.number]:
            top = min(w.y0 for w in line)
            if top <= y1 - height * 0.3 or top > y1 + height * 3.5 * max_lines:
                continue
            near = tuple(w for w in line if w.x1 >= x0 - height and w.x0 <= x1 + reach * height)
            if near and whole:
                near = _whole_run(line, near, numbers_only=whole == "number")
            if near:
                out.append(Span(hit.page, near, " ".join(w.text for w in near)))
            if len(out) >= max_lines:
                break
        return out

    def spans(self) -> list[Span]:
        """Every printed line as a span, in reading order (a new list of the same spans each time:
        a document's extraction asks for them a few dozen times)."""
        if self._spans is None:
            self._spans = [Span(p, line, " ".join(w.text for w in line)) for p in self.pages
                           for line in self.lines[p.number]]
        return list(self._spans)

    def line_span(self, hit: LabelHit) -> Span:
        return Span(hit.page, hit.line, " ".join(w.text for w in hit.line))

    def following(self, hit: LabelHit, count: int) -> list[Span]:
        """The next ``count`` lines after the label's line, in reading order (across pages)."""
        out: list[Span] = []
        seen = False
        for page in self.pages:
            if page.number < hit.page.number:
                continue
            for index, line in enumerate(self.lines[page.number]):
                if page.number == hit.page.number and index <= hit.line_index:
                    continue
                seen = True
                out.append(Span(page, line, " ".join(w.text for w in line)))
                if len(out) >= count:
                    return out
        return out if seen else []


_NUMBER_PART = re.compile(r"[-/]|[A-Za-z0-9/.\-]*\d[A-Za-z0-9/.\-]*|[A-Z]{1,4}")


def _whole_run(line: tuple[Word, ...], near: tuple[Word, ...], *, numbers_only: bool = False) -> tuple[Word, ...]:
    """``near`` and the words that continue its last word's phrase on the line (a gap under
    one word height; table cells are further apart); with ``numbers_only``, only separators and
    words holding a digit or a short code in capitals continue it."""
    index = line.index(near[-1])
    out = list(near)
    for w in line[index + 1 :]:
        if w.x0 - out[-1].x1 > max(out[-1].y1 - out[-1].y0, 1.0):
            break
        if numbers_only and not _NUMBER_PART.fullmatch(w.text):
            break
        out.append(w)
    return tuple(out)


def _skew(lines: list[tuple[Word, ...]]) -> float:
    """The page's skew as a slope (dy/dx), the median over lines long enough to tell; 0 for a
    text layer, which is straight."""
    slopes = []
    for line in lines:
        if len(line) < 4 or any(w.conf >= 100 for w in line[:1]):
            continue
        first, last = line[0], line[-1]
        dx = (last.x0 + last.x1) / 2 - (first.x0 + first.x1) / 2
        if dx < 200:
            continue
        dy = (last.y0 + last.y1) / 2 - (first.y0 + first.y1) / 2
        slopes.append(dy / dx)
    if len(slopes) < 3:
        return 0.0
    slopes.sort()
    slope = slopes[len(slopes) // 2]
    return slope if abs(slope) < 0.1 else 0.0


def _strip_leader(text: str) -> str:
    """Drop what separates a label from its value (": ", dotted leaders, "#"), keeping a minus sign."""
    text = text.strip()
    while text and text[0] in ":.-#=_" and not (text[0] == "-" and text[1:2].isdigit()):
        text = text[1:].lstrip()
    return text.rstrip(" :.-#")


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


def value_words(words: tuple[Word, ...], raw: str) -> tuple[Word, ...]:
    """The shortest run of ``words`` that spells ``raw``: a value read from a row also holding
    other text (a label, the customer's column) is outlined alone. All of them when the raw text
    cannot be found in the words (it was joined or repaired)."""
    key = compact(raw)
    if not key or len(words) < 2:
        return words
    best: tuple[int, int] | None = None
    for start in range(len(words)):
        spelled = ""
        for end in range(start, len(words)):
            spelled += compact(words[end].text)
            if key in spelled:
                if best is None or end - start < best[1] - best[0]:
                    best = (start, end)
                break
            if len(spelled) > len(key) + 64:
                break
    return words[best[0] : best[1] + 1] if best else words


def find_labels(pages: list[Page], labels: list[str]) -> list[LabelHit]:
    return Layout(pages).find(labels)


# OCR misreads a letter of a label now and then ("Tota1", "Chane"): a one-letter slip is forgiven
# on scanned pages for single-word labels long enough not to be confused with another word.
_FUZZY_MIN = 5


def _one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by exactly one substituted, missing or extra letter."""
    if a == b or abs(len(a) - len(b)) > 1 or a[:1] != b[:1]:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = sorted((a, b), key=len)
    for i in range(len(long)):
        if long[:i] + long[i + 1 :] == short:
            return True
    return False


def _match_line(label: str, key: str, page: Page, index: int, line: tuple[Word, ...],
                parts: list[str], cells: bool = False) -> list[LabelHit]:
    out = _exact_hits(label, key, page, index, line, parts, cells)
    if page.method == "ocr" and len(key) >= _FUZZY_MIN and " " not in label.strip():
        taken = {i for h in out for i in range(h.start, h.end + 1)}
        for start in range(len(line)):
            if start in taken or not parts[start]:
                continue
            for end in (start, start + 1):
                if end >= len(line) or end in taken:
                    break
                acc = "".join(parts[start : end + 1])
                if acc != key and _one_edit(acc, key):
                    out.append(LabelHit(label, key, page, index, line, start, end, "", fuzzy=True))
                    break
    return out


def _exact_hits(label: str, key: str, page: Page, index: int, line: tuple[Word, ...],
                parts: list[str], cells: bool = False) -> list[LabelHit]:
    out = []
    for start in range(len(line)):
        if not parts[start] or not key.startswith(parts[start][: len(key)]):
            continue
        acc = ""
        for end in range(start, len(line)):
            if cells and end > start and _cell_gap(line[end - 1], line[end]):
                break  # a label does not run across a table's cells ("Data | Fattura n.")
            acc += parts[end]
            if len(acc) >= len(key):
                if not acc.startswith(key):
                    break
                rest = _rest_after(line[end].text, len(key) - (len(acc) - len(parts[end])))
                if rest is None:
                    break
                out.append(LabelHit(label, key, page, index, line, start, end, rest))
                break
            if not key.startswith(acc):
                break
    return out


# A gap between two words wider than this many word heights parts a table's cells (a space
# between words of one label is about a third of a height; a tab stop in a text line is wider).
_CELL_GAP = 2.0


def _cell_gap(before: Word, after: Word) -> bool:
    height = max(before.y1 - before.y0, after.y1 - after.y0, 1.0)
    return after.x0 - before.x1 > _CELL_GAP * height


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
