"""What one original yields besides its own record: the several documents of an e-invoice file,
the files it carries, its human-readable copy.

Reading (in a worker) fills a ``Derived``; filing (``parts.filing``, in the dispatcher) turns it
into records, stored copies and new jobs. Kept apart so that reading stays a pure function of
the file and filing stays the only place that writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..records import ExtractedField


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
class Derived:
    bodies: list[BodyPart] = field(default_factory=list)
    files: list[ExtractedFile] = field(default_factory=list)
    copy: bytes | None = None  # the human-readable rendering, kept beside the original
    copy_media_type: str = "text/html; charset=utf-8"
    copy_format: str = "HTML"
    # Where the extracted files came from, recorded on each of them (mail sender, PEC envelope…).
    provenance: dict[str, str] = field(default_factory=dict)
    # An SdI message names the invoice file it concerns: linked when that invoice is archived.
    concerns_file: str | None = None
    concerns_sdi_id: str | None = None  # the SdI's id of that invoice file, where the message gives it
    # An e-invoice is findable by its SdI file name (receipts arriving later link to it).
    einvoice_name: bool = False
