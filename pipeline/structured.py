"""Documents whose content is data, not pages: e-invoices (XML, .p7m) and mail messages.

Their fields are read from the structure itself, never by OCR; ``process.analyse`` hands them
here by media type.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .config import Settings
from .einvoice.detect import EML, P7M, XML

STRUCTURED = (XML, P7M, EML)


def analyse_structured(path: Path, media_type: str, settings: Settings, *, today: dt.date | None = None):
    if media_type == EML:
        from .mail.message import analyse_mail

        return analyse_mail(path, settings, today=today)
    from .einvoice.analyse import analyse_einvoice

    return analyse_einvoice(path, media_type, settings, today=today)
