"""Archive copies: the searchable PDF/A-2b kept beside each scanned original (never replacing it).

``make_copy`` runs in the worker, right after reading, on the pages just read; the filing step
(``parts.filer``, the local dispatcher's and the Celery worker's) stores the result under
``archive-copies/`` with the original's retention and legal hold.
"""

from __future__ import annotations

from .wanted import wants_copy

__all__ = ["CopyError", "build_copy", "wants_copy", "PDFA_FORMAT"]


def __getattr__(name: str):
    # pikepdf and img2pdf are imported once a copy is made, not by every worker that only asks
    # whether a document wants one (born-digital PDFs do not).
    if name in ("CopyError", "build_copy"):
        from . import build

        return getattr(build, name)
    if name == "PDFA_FORMAT":
        from .pdfa import PDFA_FORMAT

        return PDFA_FORMAT
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
