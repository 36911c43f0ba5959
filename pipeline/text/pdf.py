"""PDF pages, one at a time: the text layer where it is real, OCR of a 300-dpi rendering elsewhere.

PDFium gives the words of a born-digital page with their boxes (pdfwords, the same words as
pdfplumber's ``extract_words`` at a fifth of the cost) and renders a page that carries no usable
text. pdfminer, without pdfplumber's layout machinery, looks at the catalog for scripts and
attached files; pdfplumber is only imported to say why PDFium refused a file. A mixed PDF (a
typed cover letter with scanned pages behind it) is decided page by page. Pages are rendered
one at a time; Tesseract reads one page at a time, or one more page on each core the worker
pool lends (``cores``), so at most that many rendered pages are in memory.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import replace
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from PIL import Image

from ..errors import CorruptDocumentError, EncryptedDocumentError, ReadError, TooManyPagesError
from ..records import Page, Word
from .. import cores
from .blank import is_blank, no_paper
from .halftone import unscreened_scan
from .ocr import OcrOptions, ocr_page
from .ruled import boxed_rereading
from .taken import pdf_day
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
             pages: range | None = None, skip: frozenset[int] = frozenset(),
             look: Callable[[int, Image.Image], bool] | None = None,
             slip: PageReader | None = None, dated: bool = True) -> Iterator[Page]:
    """Yield the document's pages in order (only the 0-based ``pages``, for a part of a long scan
    read by one of several workers); pages numbered in ``skip`` come back empty, unread. ``look``
    (``split.PageLook``) sees each scanned page's rendering of a document of two pages or more
    before it is read, and may keep it from being read (a separator sheet: empty, unread).
    ``slip`` reads a scanned page whose paper is a till slip's (``till_roll_wide``) as an image
    file of a slip is read; other scanned pages are read as a document's pages. With ``dated``,
    pages read by OCR carry the day the PDF says it was made (``Page.taken``): a scan's."""
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
        made = scanned_day(rendering) if dated else None
        selected = range(count)[pages.start:pages.stop] if pages is not None else range(count)
        # PDFium is not thread-safe: pages are rendered here, in order; only Tesseract's
        # readings run on the reader's threads.
        with _Readers() as readers:
            for index in selected:
                number = index + 1
                if number in skip:
                    readers.ready(number, Page(number=number, width=0, height=0, method="empty"))
                else:
                    try:
                        page = _text_layer_page(rendering, index, number, min_text_chars)
                        if page is None:
                            image = _render(rendering, index, number, dpi, path)
                            if look is not None and count > 1 and not _has_layer(rendering, index) \
                                    and look(number, image):
                                image.close()
                                readers.ready(number, Page(number=number, width=0, height=0, method="empty"))
                            else:
                                narrow = slip is not None and till_roll_wide(rendering, index)
                                readers.read(number, image, options, slip if narrow else _ocr_pdf_page)
                        else:
                            readers.ready(number, page)
                    except ReadError as exc:
                        readers.ready(number, _unread(number, exc))
                yield from _noted(readers.finished(), notes, made)
            yield from _noted(readers.finished(all_of_them=True), notes, made)


def _noted(pages: Iterator[Page], notes: list[str], made: str | None) -> Iterator[Page]:
    for page in pages:
        if page.number == 1:
            page.warnings.extend(notes)
        if page.method == "ocr":
            # A page with a text layer was made by software, maybe before the date it prints (an
            # invoice prepared ahead); a scanned page was printed before it was scanned.
            page.taken = made
        yield page


def scanned_day(pdf: pdfium.PdfDocument) -> str | None:
    try:
        return pdf_day(pdf.get_metadata_dict().get("CreationDate"))
    except pdfium.PdfiumError:
        return None


def _unread(number: int, exc: ReadError) -> Page:
    # One damaged or stuck page must not cost the others: it is kept as a blank page with the
    # reason, and the document is flagged.
    return Page(number=number, width=0, height=0, method="empty",
                warnings=[f"page {number} could not be read: {exc.reason}"])


# Reads one scanned page: (rendering, page number, the document's OCR options) -> Page.
PageReader = Callable[[Image.Image, int, OcrOptions], Page]
# The widest paper read as a till slip: an 80 mm roll and its scanner's margins, in points.
_SLIP_WIDTH_PT = 110 / 25.4 * 72


class _Readers:
    """Pages in reading order, each either read already or being read by Tesseract on a thread:
    one on the worker's own core, one more on each core borrowed from idle workers."""

    def __init__(self):
        self._queue: deque[tuple[int, Page | Future]] = deque()
        self._own: Future | None = None
        self._pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="ocr")

    def __enter__(self) -> _Readers:
        return self

    def __exit__(self, *exc) -> None:
        for _, item in self._queue:
            if isinstance(item, Future):
                item.cancel()
        self._pool.shutdown(wait=True)

    def ready(self, number: int, page: Page) -> None:
        self._queue.append((number, page))

    def read(self, number: int, image: Image.Image, options: OcrOptions, reader: PageReader) -> None:
        while True:
            if self._own is None or self._own.done():
                self._own = future = self._pool.submit(_ocr_image, reader, image, number, options, False)
                break
            if cores.borrow():
                future = self._pool.submit(_ocr_image, reader, image, number, options, True)
                break
            # Own core busy, nothing to borrow: wait for a reading to end (the own one is among them).
            wait([f for _, f in self._queue if isinstance(f, Future) and not f.done()], return_when=FIRST_COMPLETED)
        self._queue.append((number, future))

    def finished(self, *, all_of_them: bool = False) -> Iterator[Page]:
        """Pages from the head of the queue whose reading is over (all of them: waiting)."""
        while self._queue:
            number, item = self._queue[0]
            if isinstance(item, Future):
                if not (all_of_them or item.done()):
                    return
                try:
                    item = item.result()
                except ReadError as exc:
                    item = _unread(number, exc)
            self._queue.popleft()
            yield item


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
    return Page(number=number, width=layer.width, height=layer.height, words=lined_words(layer.boxes), method="text")


def assign_lines(words: list[Word]) -> list[Word]:
    """Number words by printed line: words whose vertical middles fall within half a line height."""
    return lined_words([(w.text, w.x0, w.y0, w.x1, w.y1, w.conf) for w in words]) if words else words


def lined_words(boxes: list[tuple]) -> list[Word]:
    """``assign_lines`` for words still given as (text, x0, y0, x1, y1[, conf]): each Word is made
    once, with its line number (a page's words were made twice, about 0.02 s of CPU a batch)."""
    if not boxes:
        return []
    ordered = sorted(boxes, key=lambda b: ((b[2] + b[4]) / 2, b[1]))
    out: list[Word] = []
    append = out.append
    line = 0
    # The line's first word: its middle and height, kept rather than recomputed for every word.
    anchor_mid, anchor_height = (ordered[0][2] + ordered[0][4]) / 2, ordered[0][4] - ordered[0][2]
    for box in ordered:
        y0, y1 = box[2], box[4]
        mid, height = (y0 + y1) / 2, y1 - y0
        # max(1.0, 0.5 * min(height, anchor_height)), spelt out: the builtins' calls were a third
        # of this loop's cost (same operands, same choice on a tie).
        half = 0.5 * (anchor_height if anchor_height < height else height)
        if abs(mid - anchor_mid) > (half if half > 1.0 else 1.0):
            line += 1
            anchor_mid, anchor_height = mid, height
        append(Word(*box, line=line))
    return out


def _has_layer(pdf: pdfium.PdfDocument, index: int) -> bool:
    """A page with text the look passes over (``split.separators._has_text_layer``), though
    too little of it was real to be read without OCR."""
    from ..split.separators import _has_text_layer

    try:
        page = pdf[index]
    except pdfium.PdfiumError:
        return True  # not looked at, as the survey passed over a page it could not open
    try:
        return _has_text_layer(page)
    finally:
        page.close()


def _render(pdf: pdfium.PdfDocument, index: int, number: int, dpi: int, path: Path) -> Image.Image:
    try:
        pdf_page = pdf[index]
        try:
            image = pdf_page.render(scale=dpi / 72, grayscale=True).to_pil()
            scan = _one_bilevel_scan(pdf_page)
            if scan is not None:
                image = unscreened_scan(scan, image)
            image.info["dpi"] = (dpi, dpi)
            return image
        finally:
            pdf_page.close()
    except pdfium.PdfiumError as exc:
        raise ReadError(f"page {number} cannot be rendered: {exc}", path=str(path)) from None


def _one_bilevel_scan(page) -> Image.Image | None:
    """The 1-bit image a scanned page is, as embedded: one image object, one bit a pixel, drawn
    upright over the whole page of an unrotated page (what a scanner's "PDF, black and white"
    files). None for any other page."""
    if page.get_rotation():
        return None
    images = list(page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE], max_depth=1))
    if len(images) != 1 or images[0].get_metadata().bits_per_pixel != 1:
        return None
    matrix = images[0].get_matrix()
    left, bottom, right, top = images[0].get_bounds()
    width, height = page.get_size()
    if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0 or (right - left) * (top - bottom) < 0.9 * width * height:
        return None
    try:
        return images[0].get_bitmap(render=False).to_pil()
    except pdfium.PdfiumError:
        return None


def till_roll_wide(pdf: pdfium.PdfDocument, index: int) -> bool:
    """Is the page's paper no wider than a till roll and its scanner's margins? (A slip scanned to
    PDF by a scanning app or a scanner cropping to the paper.)"""
    page = pdf[index]
    try:
        return page.get_width() <= _SLIP_WIDTH_PT  # as shown: PDFium turns the size with /Rotate
    finally:
        page.close()


def _ocr_image(reader: PageReader, image: Image.Image, number: int, options: OcrOptions, borrowed: bool) -> Page:
    try:
        if is_blank(image) or no_paper(image):
            return Page(number=number, width=image.width, height=image.height, method="ocr")
        return reader(image, number, options)
    finally:
        image.close()
        if borrowed:
            cores.give_back()


def _ocr_pdf_page(image: Image.Image, number: int, options: OcrOptions) -> Page:
    # Scanned pages arrive upright far more often than not: read first, and ask OSD only
    # when the reading says otherwise.
    page = ocr_page(image, number, replace(options, read_first=True))
    return boxed_rereading(image, page, options, image.info.get("dpi", (300,))[0])
