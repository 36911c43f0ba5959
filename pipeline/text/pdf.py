"""PDF pages, one at a time: the text layer where it is real, OCR of a 300-dpi rendering elsewhere.

PDFium gives the words of a born-digital page with their boxes (pdfwords, the same words as
pdfplumber's ``extract_words`` at a fifth of the cost) and renders a page that carries no usable
text. pdfminer, without pdfplumber's layout machinery, looks at the catalog for scripts and
attached files; pdfplumber is only imported to say why PDFium refused a file. A mixed PDF (a
typed cover letter with scanned pages behind it) is decided page by page. Only one rendered page
is in memory at a time.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium

from ..errors import CorruptDocumentError, EncryptedDocumentError, ReadError, TooManyPagesError
from ..records import Page, Word
from .blank import is_blank
from .ocr import OcrOptions, ocr_page
from .pdfwords import read_layer

log = logging.getLogger(__name__)



def page_count(path: Path) -> int:
    with _open_pdfium(path) as pdf:
        return len(pdf)


@contextmanager
def _open_pdfium(path: Path) -> Iterator[pdfium.PdfDocument]:
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise _diagnose(path, str(exc)) from None
    try:
        yield pdf
    finally:
        pdf.close()


def _diagnose(path: Path, renderer_message: str) -> ReadError:
    """Why PDFium refused a file, in words. PDFium's own error code is process-wide and can be
    left over from an earlier document, so the cause is established with pdfminer instead."""
    import pdfplumber  # only on this failure path: its import alone costs a quarter of a second

    try:
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
    except Exception as exc:  # pdfminer raises many unrelated types for damaged files
        if "password" in repr(exc).lower() or "encrypt" in repr(exc).lower():
            return EncryptedDocumentError(
                "the PDF is encrypted with a password; save an unprotected copy and drop it again", path=str(path))
        return CorruptDocumentError(f"the PDF cannot be opened: it is damaged or truncated ({renderer_message})",
                                    path=str(path))
    if pages == 0:
        return CorruptDocumentError("the PDF has no pages", path=str(path))
    return CorruptDocumentError(f"the PDF cannot be opened: {renderer_message}", path=str(path))


def read_pdf(path: Path, options: OcrOptions, *, dpi: int, min_text_chars: int, max_pages: int,
             pages: range | None = None, skip: frozenset[int] = frozenset()) -> Iterator[Page]:
    """Yield the document's pages in order (only the 0-based ``pages``, for a part of a long scan
    read by one of several workers); pages numbered in ``skip`` come back empty, unread."""
    with _open_pdfium(path) as rendering:
        count = len(rendering)
        if count == 0:
            raise CorruptDocumentError("the PDF has no pages", path=str(path))
        if count > max_pages:
            raise TooManyPagesError(
                f"the PDF has {count} pages, more than the limit of {max_pages} (workers.max_pages)",
                path=str(path),
            )
        notes = _active_content(path)
        selected = range(count)[pages.start:pages.stop] if pages is not None else range(count)
        for index in selected:
            number = index + 1
            if number in skip:
                yield Page(number=number, width=0, height=0, method="empty")
                continue
            try:
                page = _text_layer_page(rendering, index, number, min_text_chars)
                if page is None:
                    page = _ocr_pdf_page(rendering, index, number, options, dpi, path)
            except ReadError as exc:
                # One damaged or stuck page must not cost the others: it is kept as a
                # blank page with the reason, and the document is flagged.
                page = Page(number=number, width=0, height=0, method="empty",
                            warnings=[f"page {number} could not be read: {exc.reason}"])
            if index == 0 and notes:
                page.warnings.extend(notes)
            yield page


def _active_content(path: Path) -> list[str]:
    """Warnings for what a PDF carries besides its pages: scripts and attached files.

    Archivio never runs or opens them; the archivist should still know they are there (an
    e-invoice's attached XML is normal, a script in a scan is not).
    """
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    notes: list[str] = []
    try:
        with path.open("rb") as stream:  # objects are resolved lazily: the file stays open
            catalog = _resolve(PDFDocument(PDFParser(stream)).catalog)
            names = _resolve(catalog.get("Names")) or {}
            if "JavaScript" in names or _has_javascript(catalog.get("OpenAction")) or "AA" in catalog:
                notes.append("the PDF contains JavaScript or automatic actions (never run by Archivio)")
            embedded = _resolve(names.get("EmbeddedFiles")) if names else None
            if embedded:
                files = _name_tree_keys(embedded)
                notes.append(f"the PDF carries {len(files) or 'some'} embedded file(s)"
                             + (f": {', '.join(files[:5])}" if files else "") + " (kept in the original, not extracted)")
    except Exception as exc:  # a damaged catalog: nothing to report, reading goes on
        log.debug("catalog not inspected: %s", exc)
    return notes


def _resolve(obj):
    from pdfminer.pdftypes import resolve1

    return resolve1(obj)


def _has_javascript(action) -> bool:
    action = _resolve(action)
    if isinstance(action, dict):
        kind = _resolve(action.get("S"))
        return getattr(kind, "name", kind) == "JavaScript" or "JS" in action
    return False


def _name_tree_keys(tree, depth: int = 0) -> list[str]:
    tree = _resolve(tree)
    if not isinstance(tree, dict) or depth > 8:
        return []
    out: list[str] = []
    names = _resolve(tree.get("Names")) or []
    for key in names[0::2]:
        key = _resolve(key)
        out.append(key.decode("latin-1", "replace") if isinstance(key, bytes) else str(key))
    for kid in _resolve(tree.get("Kids")) or []:
        out.extend(_name_tree_keys(kid, depth + 1))
    return out


def _text_layer_page(pdf: pdfium.PdfDocument, index: int, number: int, min_chars: int) -> Page | None:
    """The page's words if its text layer is real, else None (the page must be OCRed)."""
    try:
        pdf_page = pdf[index]
        try:
            layer = read_layer(pdf_page)
        finally:
            pdf_page.close()
    except pdfium.PdfiumError as exc:  # a damaged content stream: OCR the rendering instead
        log.debug("page %d: text layer failed (%s)", number, exc)
        return None
    if layer.real_chars < max(min_chars, 1):
        return None
    return Page(number=number, width=layer.width, height=layer.height, words=assign_lines(layer.words), method="text")


def assign_lines(words: list[Word]) -> list[Word]:
    """Number words by printed line: words whose vertical middles fall within half a line height."""
    if not words:
        return words
    ordered = sorted(words, key=lambda w: ((w.y0 + w.y1) / 2, w.x0))
    out: list[Word] = []
    line = 0
    anchor = ordered[0]
    for word in ordered:
        mid = (word.y0 + word.y1) / 2
        anchor_mid = (anchor.y0 + anchor.y1) / 2
        tolerance = max(1.0, 0.5 * min(word.y1 - word.y0, anchor.y1 - anchor.y0))
        if abs(mid - anchor_mid) > tolerance:
            line += 1
            anchor = word
        out.append(Word(word.text, word.x0, word.y0, word.x1, word.y1, word.conf, line))
    return out


def _ocr_pdf_page(pdf: pdfium.PdfDocument, index: int, number: int, options: OcrOptions, dpi: int, path: Path) -> Page:
    try:
        pdf_page = pdf[index]
        try:
            bitmap = pdf_page.render(scale=dpi / 72, grayscale=True)
            image = bitmap.to_pil()
        finally:
            pdf_page.close()
    except pdfium.PdfiumError as exc:
        raise ReadError(f"page {number} cannot be rendered: {exc}", path=str(path)) from None
    try:
        if is_blank(image):
            return Page(number=number, width=image.width, height=image.height, method="ocr")
        # Scanned pages arrive upright far more often than not: read first, and ask OSD only
        # when the reading says otherwise.
        return ocr_page(image, number, replace(options, read_first=True))
    finally:
        image.close()
