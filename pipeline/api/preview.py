"""Page images for the document view: rendered once from the original, then served from a cache.

Originals never change (they are content-addressed), so a rendered page never goes stale: the
cache is keyed by document id, page and width, and needs no invalidation. PDFs are rendered
with pypdfium2, whose library is not thread-safe, hence one lock around rendering; images
(TIFF pages, JPEG, PNG) with Pillow, turned upright by their EXIF orientation.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageOps

from ..errors import NotFoundError, ReadError
from ..records import Record
from ..store import Archive

_RENDER_LOCK = threading.Lock()
_MAX_SIDE = 16_000  # pixels; a JPEG holds at most 65,535


class Previews:
    def __init__(self, archive: Archive, cache: Path, width: int, max_pixels: int = 8_000_000):
        self.archive = archive
        self.cache = Path(cache)
        self.width = width
        self.max_pixels = max_pixels

    def page(self, record: Record, number: int) -> Path:
        """A JPEG of page ``number`` (1-based), rendered on first request."""
        first, last = record.page_range()
        if number < first or number > last:
            raise NotFoundError(f"document {record.id[:12]} has pages {first}-{last}, not {number}", path=record.id)
        path = self.cache / record.id[:2] / record.id / f"{number}-{self.width}.jpg"
        if path.exists():
            return path
        with _RENDER_LOCK:
            if path.exists():
                return path
            with self.archive.original_file(record.sha256) as original:
                image = self._render(original, record.media_type, number)
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
            os.close(fd)
            try:
                image.save(tmp, "JPEG", quality=82, optimize=True)
                os.replace(tmp, path)
            finally:
                Path(tmp).unlink(missing_ok=True)
        return path

    def _render(self, original: Path, media_type: str, number: int) -> Image.Image:
        try:
            if media_type == "application/pdf":
                doc = pdfium.PdfDocument(str(original))
                try:
                    page = doc[number - 1]
                    image = page.render(scale=self._scale(page.get_width(), page.get_height())).to_pil()
                finally:
                    doc.close()
            else:
                with Image.open(original) as img:
                    img.seek(number - 1)
                    if img.width * img.height > self.max_pixels * 16:
                        # Decoding it whole would take more memory than a page image may: refuse.
                        raise ReadError(f"page {number} has {img.width} x {img.height} pixels, too many to preview "
                                        "(limits.preview_max_pixels)", path=str(original))
                    img.draft("RGB", (self.width, self.width * 4))  # JPEG: decode at a reduced size
                    image = ImageOps.exif_transpose(img.copy()) if number == 1 else img.copy()
                    image.thumbnail((self.width, self.width * 4))
        except (pdfium.PdfiumError, OSError, EOFError, IndexError) as exc:
            raise ReadError(f"cannot render page {number}: {exc}", path=str(original)) from None
        return image.convert("RGB") if image.mode not in ("RGB", "L") else image

    def _scale(self, width_pt: float, height_pt: float) -> float:
        """``api.preview_width`` pixels wide, unless the page is so long (a 1 x 14400 pt MediaBox)
        that this would exceed ``limits.preview_max_pixels`` or a JPEG's largest side."""
        width_pt, height_pt = max(width_pt, 1.0), max(height_pt, 1.0)
        scale = self.width / width_pt
        scale = min(scale, (self.max_pixels / (width_pt * height_pt)) ** 0.5, _MAX_SIDE / height_pt, _MAX_SIDE / width_pt)
        return max(scale, 1e-3)
