"""Which documents get an archive copy: decided in every worker, for documents that mostly need
none (born-digital PDFs), so it lives apart from the libraries that build one (pikepdf, img2pdf)."""

from __future__ import annotations

from ..records import Page
from ..text.sniff import PDF


def wants_copy(media_type: str, pages: list[Page], *, born_digital: bool) -> bool:
    """Scans always; a PDF only when some page had to be OCRed, or when born-digital PDFs are
    converted too (``copies.born_digital``)."""
    if media_type != PDF:
        return bool(pages)
    return born_digital or any(p.method == "ocr" for p in pages)
