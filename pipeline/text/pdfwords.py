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
from operator import itemgetter

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from ..records import Word

# pdfplumber's extract_words defaults.
_X_TOLERANCE = 3.0
_Y_TOLERANCE = 3.0
_TURN = tau  # PDFium gives a character's angle within [0, 2π)
# PDFium reports a hyphen that ends a line as U+0002; pdfminer keeps the printed hyphen.
_SUBSTITUTES = {"\x02": "-"}


@dataclass(slots=True)
class LayerPage:
    """A page's words (top-left origin, points) and how much of its text layer is real."""
    boxes: list[tuple]  # (text, x0, top, x1, bottom) per word: made Words once, with their line
    width: float
    height: float
    real_chars: int  # printable characters with a Unicode mapping

    @property
    def words(self) -> list[Word]:
        return [Word(*box) for box in self.boxes]


def read_layer(page: pdfium.PdfPage) -> LayerPage:
    left, bottom, right, top = page.get_mediabox()
    textpage = page.get_textpage()
    try:
        chars, real = _chars(textpage.raw, left, top)
    finally:
        textpage.close()
    return LayerPage(boxes=_words(chars), width=right - left, height=top - bottom, real_chars=real)


def _bare(func, restype):
    """``func`` without its declared argument types. ctypes then passes ints and pointers as they
    are instead of checking each against the declared pointer type, most of a call's cost
    (0.2 µs against 0.5 µs here); this module calls PDFium several times per character. Callers
    pass only ints, ``c_void_p`` handles and ``byref`` structures, which need no conversion."""
    bare = type(func)(ctypes.cast(func, ctypes.c_void_p).value)
    bare.restype = restype
    return bare


_get_text = _bare(raw.FPDFText_GetText, ctypes.c_int)
_get_unicode = _bare(raw.FPDFText_GetUnicode, ctypes.c_uint)
_is_generated = _bare(raw.FPDFText_IsGenerated, ctypes.c_int)
_map_error = _bare(raw.FPDFText_HasUnicodeMapError, ctypes.c_int)
_get_box = _bare(raw.FPDFText_GetLooseCharBox, ctypes.c_int)
_get_object = _bare(raw.FPDFText_GetTextObject, ctypes.c_void_p)
_get_matrix = _bare(raw.FPDFText_GetMatrix, ctypes.c_int)
_get_size = _bare(raw.FPDFText_GetFontSize, ctypes.c_double)
_NO_UNICODE = "\ufffe"  # what PDFium's page text holds for a glyph it has no Unicode for
# The only characters PDFium ever generates (CPDF_TextPage: spaces between words, CR LF between lines).
_GENERATABLE = " \r\n"


def _text(handle: ctypes.c_void_p, count: int) -> str:
    """The page's characters, one per index, as FPDFText_GetUnicode gives them: in one call.

    PDFium's page text holds one code unit per character, except that it leaves out control
    characters and characters beyond the BMP: the text is then shorter than the page's count of
    characters and no longer lines up, so each character is asked for. Where the text holds
    U+FFFE the character's own code is asked for (a glyph without Unicode, or a line-end hyphen)."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = _get_text(handle, 0, count, buffer) if count else 0
    text = bytes(buffer)[: 2 * count].decode("utf-16-le", "surrogatepass") if written == count + 1 else ""
    if len(text) != count:
        return "".join(chr(_get_unicode(handle, i)) for i in range(count))
    if _NO_UNICODE in text:
        text = "".join(chr(_get_unicode(handle, i)) if c == _NO_UNICODE else c for i, c in enumerate(text))
    return text


def _chars(textpage, left: float, top: float) -> tuple[list[tuple], int]:
    """The page's characters as (text, x0, top, x1, bottom, upright), and how many are real."""
    handle = ctypes.c_void_p(ctypes.cast(textpage, ctypes.c_void_p).value)
    get_box, map_error, get_object, is_generated = _get_box, _map_error, _get_object, _is_generated
    generatable, substitutes = _GENERATABLE, _SUBSTITUTES
    box = raw.FS_RECTF()
    box_ref = ctypes.byref(box)
    matrix = raw.FS_MATRIX()
    matrix_ref = ctypes.byref(matrix)
    chars: list[tuple] = []
    append = chars.append
    real = 0
    last_object = upright = height = None
    for i, char in enumerate(_text(handle, raw.FPDFText_CountChars(textpage))):
        if char in generatable and is_generated(handle, i):
            # Line breaks PDFium inferred are dropped. Its spaces are kept: it also marks the
            # document's own spaces as generated, and pdfplumber ends a word at those. Such a
            # space has no box of its own: it ends the character it follows, where pdfminer puts
            # the document's space.
            if char == " " and get_box(handle, i, box_ref) and chars:
                last = chars[-1]
                append((char, last[3], last[2], last[3], last[4], last[5]))
            continue
        if char == "\0" or map_error(handle, i):
            continue  # a glyph with no Unicode: pdfminer's "(cid:N)", never text
        if char < " ":
            char = substitutes.get(char, char)
        if not char.isspace():
            real += 1
        if not get_box(handle, i, box_ref):
            continue
        # A character's matrix and font size are its text object's: asked once per object.
        text_object = get_object(handle, i)
        if text_object is None or text_object != last_object:
            last_object = text_object
            _get_matrix(handle, i, matrix_ref)
            # FPDFText_GetCharAngle's own arithmetic on the same matrix, without a call of its own.
            angle = atan2(matrix.c, matrix.a)
            upright = abs(angle + _TURN if angle < 0 else angle) < 0.01
            # pdfminer's box: from the descent (the loose box's bottom) up by the font size
            # as drawn, the nominal size scaled by the text matrix.
            height = _get_size(handle, i) * abs(matrix.d) if upright else None
        bottom = box.bottom
        if upright:
            append((char, box.left - left, top - (bottom + height), box.right - left, top - bottom, True))
        else:
            append((char, box.left - left, top - box.top, box.right - left, top - bottom, False))
    return chars, real


def _words(chars: list[tuple]) -> list[tuple]:
    words: list[tuple] = []
    start = 0
    # Runs of upright and rotated characters are grouped apart, as pdfplumber does.
    for i in range(1, len(chars) + 1):
        if i == len(chars) or chars[i][5] != chars[start][5]:
            run = chars[start:i]
            words.extend(_run_words(run, run[0][5]))
            start = i
    return words


def _clusters(chars: list[tuple], key, tolerance: float) -> list[list[tuple]]:
    """pdfplumber's cluster_objects: values sorted, a new cluster where the step exceeds tolerance."""
    ids: dict[float, int] = {}
    last, cluster = None, -1
    for value in sorted(set(map(key, chars))):
        if last is None or value > last + tolerance:
            cluster += 1
        ids[value] = cluster
        last = value
    # Every cluster has a character, so a list per cluster in order is the result: no dictionary
    # of groups to fill and sort, nor an empty list made per character (0.01 s of CPU a batch).
    groups: list[list[tuple]] = [[] for _ in range(cluster + 1)]
    # In their order within each cluster, as a stable sort by cluster leaves them.
    for char, value in zip(chars, map(key, chars)):
        groups[ids[value]].append(char)
    return groups


def _run_words(chars: list[tuple], upright: bool) -> list[tuple]:
    """Lines clustered across the writing direction, characters ordered along it; a new word at
    white space, where the text runs backwards, leaves a gap or steps across. Vertical text (a
    side note, a stamp) is read top to bottom in columns."""
    if upright:  # positions in a character: along the line from START to END, ACROSS it
        start, end, across = 1, 3, 2
        along_tolerance, across_tolerance, order = _X_TOLERANCE, _Y_TOLERANCE, itemgetter(1)
    else:
        start, end, across = 2, 4, 1
        along_tolerance, across_tolerance, order = _Y_TOLERANCE, _X_TOLERANCE, itemgetter(2, 4)
    out: list[tuple] = []
    for line in _clusters(chars, itemgetter(across), across_tolerance):
        line.sort(key=order)
        current: list[tuple] = []
        last = None  # current[-1], held apart: it is read three times a character
        for char in line:
            if char[0].isspace():
                if current:
                    _flush(current, out)
                    current = []
            elif current and (char[start] < last[start] or char[start] > last[end] + along_tolerance
                              or abs(char[across] - last[across]) > across_tolerance):
                _flush(current, out)
                current = [char]
                last = char
            else:
                current.append(char)
                last = char
        _flush(current, out)
    return out


def _flush(chars: list[tuple], out: list[tuple]) -> None:
    if chars:
        if len(chars) == 1:
            out.append(chars[0][:5])
            return
        texts, x0s, tops, x1s, bottoms, _ = zip(*chars)
        out.append(("".join(texts), min(x0s), min(tops), max(x1s), max(bottoms)))
