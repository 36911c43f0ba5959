"""Typed errors. Each carries the file and the stage it concerns and reads as one plain line.

The watcher turns any of these into a quarantine note; the CLI prints ``str(error)`` and keeps
the stack trace for the log.
"""

from __future__ import annotations


class ArchivioError(Exception):
    """Base of every error Archivio raises on purpose."""

    stage = "pipeline"

    def __init__(self, reason: str, *, path: str | None = None, stage: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.path = path
        if stage is not None:
            self.stage = stage

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}" if self.path else self.reason


class ConfigError(ArchivioError):
    stage = "config"


# -- reading a document -------------------------------------------------------------------------
class ReadError(ArchivioError):
    """The document's content could not be read."""

    stage = "read"


class EmptyFileError(ReadError):
    stage = "intake"


class UnsupportedFileError(ReadError):
    stage = "intake"


class CorruptDocumentError(ReadError):
    pass


class UnsafeXmlError(ReadError):
    """XML that asks for entity expansion or external resources: refused, never expanded."""


class TruncatedEnvelopeError(CorruptDocumentError):
    """A signed envelope (.p7m) that ends before its structure does."""


class EncryptedDocumentError(ReadError):
    pass


class TooManyPagesError(ReadError):
    pass


class DocumentTooLargeError(ReadError):
    pass


class OcrError(ReadError):
    stage = "ocr"


class DocumentTimeoutError(ReadError):
    """Reading took longer than the configured per-document limit."""


class WorkerCrashedError(ReadError):
    """The worker process died while reading the document (e.g. a crash in a native library)."""


# -- storage and index --------------------------------------------------------------------------
class StoreError(ArchivioError):
    stage = "store"


class StoreUnavailableError(StoreError):
    """The store cannot be reached right now; the work is retried later, nothing is lost."""


class IntegrityError(StoreError):
    """Stored bytes no longer match their SHA-256."""


class RetentionLockedError(StoreError):
    """The object is under retention or legal hold: it may not be deleted or overwritten."""


class NotFoundError(ArchivioError):
    stage = "lookup"


class IndexError_(ArchivioError):  # noqa: N801 - avoid shadowing the builtin IndexError
    stage = "index"


class InvalidCursorError(IndexError_, ValueError):
    """A page cursor that this search never issued (damaged, or from another search)."""


class IndexUnavailableError(IndexError_):
    """The search index cannot be reached right now; it catches up from the store later."""


class ConflictError(ArchivioError):
    """A record was changed by someone else since it was read (optimistic concurrency)."""

    stage = "review"


class IntakeError(ArchivioError):
    stage = "intake"


# The inbox, reached only through directory descriptors (pipeline/safefs.py).
class OutsideRoot(IntakeError):
    """A component of the path is a symbolic link (or not a folder): following it would leave the root."""


class FileChanged(IntakeError):
    """The file found is not the one that settled, or it changed while it was being taken."""


class CannotRemove(IntakeError):
    """The file may be read but not removed from its folder: it is left there, never copied again."""
