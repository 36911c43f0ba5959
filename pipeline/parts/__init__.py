"""What one original yields besides its own record, whatever kind of original it is:

* an e-invoice file: its further invoices (bodies 2…n), the files it carries (``Allegati``; a
  mail's attachments) and its human-readable rendering;
* a scanned stack: the documents it holds (page ranges, each read on its own);
* a document read from pages: its archive copy (PDF/A), and each stack document's.

Reading (in a worker, local or remote) fills a ``Derived``; filing (``parts.filer``, the one step
both the local dispatcher and the Celery worker call) turns it into records, stored copies and new
documents. Kept apart so that reading stays a pure function of the file and filing stays the only
place that writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..records import ExtractedField

if TYPE_CHECKING:
    from ..copies.make import CopyFile
    from ..process import Analysis


@dataclass
class BodyPart:
    """A further document cut from the same original bytes (invoice 2…n of a FatturaPA file)."""

    index: int  # 1-based position in the original; the record id is ``<sha256>-<index>``
    doc_class: str
    fields: dict[str, ExtractedField]
    text: str
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ExtractedFile:
    """A file carried inside the original (``Allegati``, a mail attachment): filed as a document
    of its own, content-addressed as usual, linked back to the original."""

    name: str
    data: bytes
    description: str | None = None


@dataclass
class PartAnalysis:
    """One document of a stack: where it lies in the stack and what reading it gave."""

    index: int  # 1-based
    first: int
    last: int
    pages: tuple[int, ...]
    reason: str
    analysis: Analysis
    copy: CopyFile | None = None


@dataclass
class Derived:
    # -- from the file's own structure (e-invoice, mail) ----------------------------------
    bodies: list[BodyPart] = field(default_factory=list)
    files: list[ExtractedFile] = field(default_factory=list)
    rendering: bytes | None = None  # the human-readable rendering, kept beside the original
    rendering_media_type: str = "text/html; charset=utf-8"
    rendering_format: str = "HTML"
    # Where the extracted files came from, recorded on each of them (mail sender, PEC envelope…).
    provenance: dict[str, str] = field(default_factory=dict)
    # An SdI message names the invoice file it concerns: linked when that invoice is archived.
    concerns_file: str | None = None
    concerns_sdi_id: str | None = None  # the SdI's id of that invoice file, where the message gives it
    # An e-invoice is findable by its SdI file name (receipts arriving later link to it).
    einvoice_name: bool = False
    # -- from its pages (scans) -----------------------------------------------------------
    parts: list[PartAnalysis] = field(default_factory=list)  # the documents of a stack
    decisions: list[str] = field(default_factory=list)  # why the stack was (not) split there
    copy: CopyFile | None = None  # the archive copy (PDF/A), a temporary file until filed

    def discard(self) -> None:
        """Remove the temporary archive copies (filed, or the document failed)."""
        if self.copy is None and not any(part.copy for part in self.parts):
            return  # nothing to remove: the copies' libraries (pikepdf) are not imported for it
        from ..copies.make import discard

        discard(self.copy)
        for part in self.parts:
            discard(part.copy)
