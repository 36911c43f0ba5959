"""``log.format = "json"``: one JSON object per line, with the document id on every line logged
while a document is handled (a ``document`` context set by the dispatcher and the workers)."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import json
import logging
from collections.abc import Iterator

_document: contextvars.ContextVar[str | None] = contextvars.ContextVar("archivio_document", default=None)


@contextlib.contextmanager
def document(doc_id: str | None) -> Iterator[None]:
    token = _document.set(doc_id)
    try:
        yield
    finally:
        _document.reset(token)


class DocumentFilter(logging.Filter):
    """Puts the current document id on every record, for either format."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.document = getattr(record, "document", None) or _document.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
            "document": getattr(record, "document", None) or _document.get(),
            "message": record.getMessage(),
        }
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)
