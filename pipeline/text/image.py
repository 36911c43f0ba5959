"""Scanned images (TIFF with any number of frames, JPEG, PNG): every frame OCRed, one at a time."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from ..errors import CorruptDocumentError, DocumentTooLargeError, OcrError, TooManyPagesError
from ..records import Page
from .blank import no_paper
from .cleanup import clean
from .halftone import unscreened
from .ocr import OcrOptions, ocr_page, prepare, straightened
from .photo import Judge, read_photo
from .taken import image_taken

log = logging.getLogger(__name__)


def read_image(path: Path, options: OcrOptions, *, max_pages: int, max_pixels: int,
               alternates: tuple[OcrOptions, ...] = (), skip: frozenset[int] = frozenset(),
               judge: Judge | None = None, tiebreak: Judge | None = None, cleanup: bool = False,
               dated: bool = True) -> Iterator[Page]:
    """Each frame's page of words; with ``dated``, each carries the day the image says it was
    made (``Page.taken``)."""
    # Pillow's own bomb guard is a global; we check the size ourselves per frame so the limit
    # comes from our settings and the error names the file.
    Image.MAX_IMAGE_PIXELS = None
    try:
        image = Image.open(path)
    except UnidentifiedImageError:
        raise CorruptDocumentError("the image cannot be decoded (damaged or truncated)", path=str(path)) from None
    except OSError as exc:
        raise CorruptDocumentError(f"the image cannot be opened: {exc}", path=str(path)) from None
    with image:
        taken = image_taken(image) if dated else None
        frames = getattr(image, "n_frames", 1)
        if frames > max_pages:
            raise TooManyPagesError(
                f"the image has {frames} frames, more than the limit of {max_pages} (workers.max_pages)",
                path=str(path),
            )
        for index in range(frames):
            if index + 1 in skip:
                yield Page(number=index + 1, width=0, height=0, method="empty")
                continue
            try:
                image.seek(index)
                width, height = image.size
                if width * height > max_pixels:
                    raise DocumentTooLargeError(
                        f"page {index + 1} is {width} x {height} pixels, more than the limit of "
                        f"{max_pixels:,} (ocr.max_image_pixels)",
                        path=str(path),
                    )
                image.load()
                frame = image.copy()
            except DocumentTooLargeError:
                raise
            except (OSError, ValueError, SyntaxError, EOFError) as exc:
                if frames == 1:
                    raise CorruptDocumentError(f"the image cannot be decoded: {exc}", path=str(path)) from None
                # A broken frame in a multi-page TIFF: keep the others, say which one failed.
                yield Page(number=index + 1, width=0, height=0, method="empty",
                           warnings=[f"page {index + 1} could not be decoded: {exc}"])
                continue
            try:
                # A halftone scan's dots made strokes again before any reading sees the page.
                frame = unscreened(prepare(frame))
                if no_paper(frame):
                    # A photo of nothing: no writing to find, and minutes of Tesseract to find none.
                    yield Page(number=index + 1, width=frame.width, height=frame.height, method="ocr", taken=taken)
                    continue
                if cleanup:
                    # Faded or unevenly lit print made legible once, for every reading of the frame.
                    frame = clean(frame)
                read = options
                if options.deskew:
                    # Straightened once, for every reading of the frame.
                    frame, read = straightened(frame), replace(options, deskew=False)
                if judge is not None:
                    # A second look at the lines that matter replaces whole extra readings.
                    page = read_photo(frame, index + 1, read, judge=judge, tiebreak=tiebreak)
                else:
                    page = ocr_page(frame, index + 1, read, alternates=alternates)
                page.taken = taken
                yield page
            except OcrError as exc:
                yield Page(number=index + 1, width=frame.width, height=frame.height, method="empty",
                           warnings=[f"page {index + 1} could not be read: {exc.reason}"])
            finally:
                frame.close()
