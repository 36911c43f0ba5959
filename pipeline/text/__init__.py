"""Reading text: any supported document in, its pages of positioned words out.

``read_document`` is the one entry point; whether a page comes from a PDF text layer or from
Tesseract is this package's business alone.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator
from pathlib import Path

from ..config import OcrSettings
from ..records import Page, ReadResult
from .sniff import PDF, sniff

# The readers (PDFium, Pillow, Tesseract) are imported by iter_pages: intake only sniffs, and the
# process that files documents never reads one.


def iter_pages(path: Path, ocr: OcrSettings, *, max_pages: int, media_type: str | None = None,
               pages: range | None = None, skip: frozenset[int] = frozenset(), look=None,
               vocabulary: Path | None = None) -> Iterator[Page]:
    """The document's pages, read one at a time. A page that cannot be read comes back blank
    with a warning saying why; the document fails only when it cannot be opened at all. Pages
    numbered in ``skip`` (separator sheets) come back empty without being read; so do a PDF's
    pages ``look`` (``split.PageLook``) judges separators as they are rendered. ``vocabulary``:
    the field labels a photo's second look finds its lines by (the shipped ones when None)."""
    from .ocr import OcrOptions, alternate_options

    media_type = media_type or sniff(path)
    options = OcrOptions(languages=ocr.languages, psm=ocr.psm, fix_orientation=ocr.fix_orientation,
                         timeout=ocr.page_timeout, dictionaries=ocr.dictionaries, upscale_below=ocr.upscale_below,
                         threshold=ocr.threshold, deskew=ocr.deskew, text_height=ocr.text_height,
                         engine=ocr.engine)
    # Image files are mostly photos and scans of slips: their own segmentation mode.
    photo = dataclasses.replace(options, psm=ocr.photo_psm, deskew=ocr.photo_deskew)
    if media_type == PDF:
        from .pdf import read_pdf

        return read_pdf(path, options, dpi=ocr.dpi, min_text_chars=ocr.min_text_chars, max_pages=max_pages,
                        pages=pages, skip=skip, look=look, slip=functools.partial(_slip_page, photo=photo, ocr=ocr,
                                                                                  vocabulary=vocabulary),
                        dated=ocr.image_dates)
    from .image import read_image

    judge, tiebreak = _judges(ocr, vocabulary)
    return read_image(path, photo, max_pages=max_pages, max_pixels=ocr.max_image_pixels,
                      alternates=alternate_options(photo, ocr.photo_alternates), skip=skip,
                      judge=judge, tiebreak=tiebreak, cleanup=ocr.photo_cleanup, dated=ocr.image_dates)


def _judges(ocr: OcrSettings, vocabulary: Path | None):
    """The second look's judges (receipt knowledge): which lines to read again, and, after that,
    which lines to read once more because the readings tie on the date. (None, None) when the
    second look is off. Imported only when a slip is read: an invoice's reading never loads the
    receipt rules."""
    if not ocr.photo_second_look:
        return None, None
    from ..extract.receipt_look import date_lines_tied, lines_to_reread

    if vocabulary is None:
        return lines_to_reread, date_lines_tied
    return (functools.partial(lines_to_reread, vocabulary=vocabulary),
            functools.partial(date_lines_tied, vocabulary=vocabulary))


def _slip_page(image, number: int, _document, *, photo, ocr: OcrSettings, vocabulary: Path | None) -> Page:
    """A PDF's scanned page of a till slip, read as an image file of one is: in the image files'
    segmentation mode (``photo``) rather than the document's, with the second look. (psm 3 took a
    slip's right-aligned figures for a column of their own, away from their labels.)"""
    from .photo import read_photo

    judge, tiebreak = _judges(ocr, vocabulary)
    return read_photo(image, number, photo, judge=judge, tiebreak=tiebreak)


def read_document(path: Path, ocr: OcrSettings, *, max_pages: int) -> ReadResult:
    media_type = sniff(path)
    pages = list(iter_pages(path, ocr, max_pages=max_pages, media_type=media_type))
    return ReadResult(media_type=media_type, pages=pages)


__all__ = ["read_document", "iter_pages", "sniff"]
