"""The words of a PDF page's text layer, read with PDFium.

pdfplumber (pdfminer) builds a Python object per character and page layout: about 15 pages a
second here. PDFium already holds each character's code and box once the page is loaded, so the
characters are taken from it and grouped into words the way pdfplumber's ``extract_words``
does with its defaults (lines clustered by top within 3 pt, characters ordered left to right,
a new word at white space, at a gap wider than 3 pt or where the text runs backwards), with
pdfminer's character boxes (width from the advance, height = font size above the descent),
so extraction sees the same words in the same places.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from math import atan2, tau
from operator import attrgetter

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from ..records import Word

# pdfplumber's extract_words defaults.
_X_TOLERANCE = 3.0
_Y_TOLERANCE = 3.0
_TURN = tau  # PDFium gives a character's angle within [0, 2π)
# PDFium reports a hyphen that ends a line as U+0002; pdfminer keeps the printed hyphen.
_SUBSTITUTES = {0x02: "-"}


@dataclass(slots=True)
class _Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    upright: bool


@dataclass(slots=True)
class LayerPage:
    """A page's words (top-left origin, points) and how much of its text layer is real."""
    words: list[Word]
    width: float
    height: float
    real_chars: int  # printable characters with a Unicode mapping


def read_layer(page: pdfium.PdfPage) -> LayerPage:
    left, bottom, right, top = page.get_mediabox()
    textpage = page.get_textpage()
    try:
        chars, real = _chars(textpage.raw, left, top)
    finally:
        textpage.close()
    return LayerPage(words=_words(chars), width=right - left, height=top - bottom, real_chars=real)


def _chars(textpage, left: float, top: float) -> tuple[list[_Char], int]:
    # PDFium is called several times per character: the functions are looked up once here, and
    # each is called only when the character still needs it.
    get_unicode, is_generated = raw.FPDFText_GetUnicode, raw.FPDFText_IsGenerated
    map_error, get_box = raw.FPDFText_HasUnicodeMapError, raw.FPDFText_GetLooseCharBox
    get_matrix, get_size = raw.FPDFText_GetMatrix, raw.FPDFText_GetFontSize
    substitutes = _SUBSTITUTES
    count = raw.FPDFText_CountChars(textpage)
    box = raw.FS_RECTF()
    box_ref = ctypes.byref(box)
    matrix = raw.FS_MATRIX()
    matrix_ref = ctypes.byref(matrix)
    chars: list[_Char] = []
    append = chars.append
    real = 0
    for i in range(count):
        code = get_unicode(textpage, i)
        generated = is_generated(textpage, i)
        if generated and code != 0x20:
            # Line breaks PDFium inferred. Its spaces are kept: it also marks the document's own
            # spaces as generated, and pdfplumber ends a word at those.
            continue
        if not code or map_error(textpage, i):
            continue  # a glyph with no Unicode: pdfminer's "(cid:N)", never text
        text = substitutes.get(code) or chr(code)
        if not text.isspace():
            real += 1
        if not get_box(textpage, i, box_ref):
            continue
        if generated:  # a space
            # A generated space has no box of its own: it ends the character it follows, where
            # pdfminer puts the document's space.
            if chars:
                last = chars[-1]
                append(_Char(text, last.x1, last.top, last.x1, last.bottom, last.upright))
            continue
        get_matrix(textpage, i, matrix_ref)
        # FPDFText_GetCharAngle's own arithmetic on the same matrix, without a call of its own.
        angle = atan2(matrix.c, matrix.a)
        if abs(angle + _TURN if angle < 0 else angle) < 0.01:  # upright
            # pdfminer's box: from the descent (the loose box's bottom) up by the font size
            # as drawn, the nominal size scaled by the text matrix.
            size = get_size(textpage, i) * abs(matrix.d)
            append(_Char(text, box.left - left, top - (box.bottom + size), box.right - left, top - box.bottom, True))
        else:
            append(_Char(text, box.left - left, top - box.top, box.right - left, top - box.bottom, False))
    return chars, real


def _words(chars: list[_Char]) -> list[Word]:
    words: list[Word] = []
    start = 0
    # Runs of upright and rotated characters are grouped apart, as pdfplumber does.
    for i in range(1, len(chars) + 1):
        if i == len(chars) or chars[i].upright != chars[start].upright:
            run = chars[start:i]
            words.extend(_run_words(run, run[0].upright))
            start = i
    return words


def _clusters(chars: list[_Char], key, tolerance: float) -> list[list[_Char]]:
    """pdfplumber's cluster_objects: values sorted, a new cluster where the step exceeds tolerance."""
    ids: dict[float, int] = {}
    last, cluster = None, -1
    for value in sorted({key(c) for c in chars}):
        if last is None or value > last + tolerance:
            cluster += 1
        ids[value] = cluster
        last = value
    groups: dict[int, list[_Char]] = {}
    for char in chars:  # in their order within each cluster, as a stable sort by cluster leaves them
        groups.setdefault(ids[key(char)], []).append(char)
    return [groups[k] for k in sorted(groups)]


def _run_words(chars: list[_Char], upright: bool) -> list[Word]:
    """Lines clustered across the writing direction, characters ordered along it; a new word at
    white space, where the text runs backwards, leaves a gap or steps across. Vertical text (a
    side note, a stamp) is read top to bottom in columns."""
    if upright:
        start, end, across = attrgetter("x0"), attrgetter("x1"), attrgetter("top")
        along_tolerance, across_tolerance, order = _X_TOLERANCE, _Y_TOLERANCE, attrgetter("x0")
    else:
        start, end, across = attrgetter("top"), attrgetter("bottom"), attrgetter("x0")
        along_tolerance, across_tolerance, order = _Y_TOLERANCE, _X_TOLERANCE, attrgetter("top", "bottom")
    out: list[Word] = []
    for line in _clusters(chars, across, across_tolerance):
        line.sort(key=order)
        current: list[_Char] = []
        for char in line:
            if char.text.isspace():
                _flush(current, out)
                current = []
            elif current and (start(char) < start(current[-1]) or start(char) > end(current[-1]) + along_tolerance
                              or abs(across(char) - across(current[-1])) > across_tolerance):
                _flush(current, out)
                current = [char]
            else:
                current.append(char)
        _flush(current, out)
    return out


def _flush(chars: list[_Char], out: list[Word]) -> None:
    if chars:
        out.append(Word("".join(c.text for c in chars), min(c.x0 for c in chars), min(c.top for c in chars),
                        max(c.x1 for c in chars), max(c.bottom for c in chars)))
