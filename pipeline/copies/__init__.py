"""Archive copies: the searchable PDF/A-2b kept beside each scanned original (never replacing it).

``make_copy`` runs in the worker, right after reading, on the pages just read; the filing step
(``parts.filer``, the local dispatcher's and the Celery worker's) stores the result under
``archive-copies/`` with the original's retention and legal hold.
"""

from __future__ import annotations

from .build import CopyError, build_copy, wants_copy
from .pdfa import PDFA_FORMAT

__all__ = ["CopyError", "build_copy", "wants_copy", "PDFA_FORMAT"]
