"""The plain typed records that travel through the pipeline.

``Word`` and ``Page`` are what reading produces (hot path: dataclasses, no validation).
``ExtractedField``, ``Classification`` and ``Record`` are what gets filed; the record is the JSON
document kept beside the original in the store, and its format is versioned
(``RECORD_SCHEMA``) so that old archives stay readable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

RECORD_SCHEMA = 1
DOC_CLASSES = ("invoice", "receipt", "contract", "other")
DocClass = Literal["invoice", "receipt", "contract", "other"]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Word:
    """One word with its box in page units (points for a text layer, pixels for OCR)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    conf: float = 100.0  # Tesseract's 0-100 confidence; 100 for a PDF text layer
    line: int = 0  # words sharing a number are on one printed line, in reading order


# A page's lines are grouped on every reading of its text (twice a page, at least): C getters.
_X0, _Y0 = attrgetter("x0"), attrgetter("y0")


@dataclass(slots=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    method: Literal["text", "ocr", "empty"] = "text"
    rotation: int = 0  # degrees the page was turned to read upright
    warnings: list[str] = field(default_factory=list)
    # A second OCR reading of the same image with other settings (photos of receipts), which
    # extraction may consult where the first is unsure; never part of the record's text.
    alternate: Page | None = None
    # Where those readings tie on a receipt's date: its date's lines read once more, at another
    # scale; extraction counts it in the date's vote only.
    date_look: Page | None = None
    # The day the page's image says it was made (ISO; ``text.taken``): an image file's EXIF, a
    # scanned PDF page's creation date. Nothing printed on it happened later: a phone's photo of a
    # slip is never taken before the sale. None for a page with a text layer.
    taken: str | None = None

    def lines(self) -> list[list[Word]]:
        """Words grouped by line, lines top to bottom, words left to right."""
        groups: dict[int, list[Word]] = {}
        for word in self.words:
            groups.setdefault(word.line, []).append(word)
        ordered = sorted(groups.values(), key=lambda ws: (min(map(_Y0, ws)), min(map(_X0, ws))))
        return [sorted(ws, key=_X0) for ws in ordered]

    @property
    def text(self) -> str:
        return "\n".join(" ".join(w.text for w in line) for line in self.lines())

    @property
    def mean_confidence(self) -> float | None:
        if not self.words:
            return None
        return sum(w.conf for w in self.words) / len(self.words)


@dataclass(slots=True)
class ReadResult:
    """Everything reading learned about a document, pages in order."""

    media_type: str
    pages: list[Page]

    @property
    def text(self) -> str:
        # A form feed between pages, as pdftotext does, so page boundaries survive in the record.
        return "\f".join(p.text for p in self.pages)


# ---------------------------------------------------------------------------------------------
# Filing
# ---------------------------------------------------------------------------------------------
class _Model(BaseModel):
    # Validators built at first use: `archivio search` lists hits without building a record.
    model_config = ConfigDict(populate_by_name=True, extra="ignore", defer_build=True)


Box = tuple[float, float, float, float]


class ExtractedField(_Model):
    """One extracted value with its evidence.

    ``value`` is normalised (ISO date, amount with two decimals as a string, upper-case
    identifier); ``raw`` is the text as printed; ``box`` is (x0, y0, x1, y1) as fractions of the
    page size so a preview of any resolution can highlight it.
    """

    value: str | list[str] | None
    raw: str = ""
    confidence: float = 0.0
    page: int | None = None
    box: Box | None = None
    valid: bool | None = None  # None: no validator applies to this field
    error: str | None = None


class Classification(_Model):
    doc_class: DocClass = Field(alias="class")
    confidence: float
    scores: dict[str, float] = {}
    method: str = "rules"


class Source(_Model):
    filename: str
    folder: str = ""  # sub-folder of the inbox, kept as a hint ("fornitori/2024")
    path: str = ""  # where the file was taken from
    size: int = 0
    modified_at: dt.datetime | None = None
    received_at: dt.datetime
    # How it arrived when not dropped into the inbox: mail account, sender, Message-ID, the PEC
    # envelope's daticert.xml (sender, recipient, time, id)… Empty for an inbox file.
    via: dict[str, str] = {}


class HistoryEntry(_Model):
    at: dt.datetime
    by: str
    action: str
    changes: dict[str, Any] = {}


class Parent(_Model):
    """Where a document that is part of another arrived from.

    One original can yield several documents: each ``FatturaElettronicaBody`` of a FatturaPA
    file, an attachment (``Allegati``, a mail's files), a part of a scanned stack; an SdI receipt
    or notification links to the e-invoice it concerns (``sdi-notification``). The part is a
    record of its own (searchable, with its fields); ``id`` names the record it belongs to.
    A part cut from the same original bytes (a body, a page range) shares the original's
    ``sha256`` and has the id ``<sha256>-<index>``; an extracted file (an attachment) is an
    original of its own, content-addressed as usual, and only links back.
    """

    id: str
    relation: Literal["einvoice-body", "attachment", "stack-part", "sdi-notification"]
    index: int | None = None  # 1-based position among the parent's parts
    pages: tuple[int, int] | None = None  # first and last page of the parent (stack parts)


class ArchiveCopy(_Model):
    """A derived copy kept beside the original (never replacing it): the searchable PDF/A of a
    scan, or the human-readable rendering of an e-invoice."""

    key: str
    sha256: str
    size: int
    media_type: str = "application/pdf"
    format: str = ""  # "PDF/A-2b", "HTML", …
    created_at: dt.datetime | None = None


class Record(_Model):
    """The archive's account of one document; keyed by the SHA-256 of the original's bytes."""

    schema_version: int = RECORD_SCHEMA
    id: str
    sha256: str
    size: int
    media_type: str
    source: Source
    doc_class: DocClass = Field(alias="class")
    class_confidence: float = 0.0
    class_scores: dict[str, float] = {}
    language: str | None = None
    pages: int = 0
    pages_ocr: int = 0
    ocr_confidence: float | None = None
    text: str = ""
    fields: dict[str, ExtractedField] = {}
    needs_review: bool = False
    review_reasons: list[str] = []
    tags: list[str] = []  # the office's own labels ("da pagare", "cliente Rossi"), set by people
    warnings: list[str] = []
    pipeline_version: str = ""
    ingested_at: dt.datetime
    filed_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    version: int = 1
    history: list[HistoryEntry] = []
    # One original, several documents (see ``Parent``); both empty for an ordinary document.
    parent: Parent | None = None
    parts: list[str] = []
    archive_copy: ArchiveCopy | None = None

    # -- convenience views used by the index and the CLI ----------------------------------
    def field_value(self, name: str) -> Any:
        f = self.fields.get(name)
        return f.value if f else None

    @property
    def title(self) -> str:
        return self.source.filename

    def page_range(self) -> tuple[int, int]:
        """The pages of the original that show this document: all of them, or a stack part's range."""
        if self.parent is not None and self.parent.pages:
            return self.parent.pages[0], self.parent.pages[1]
        return 1, max(self.pages, 1)

    def stack_pages(self) -> list[int]:
        """The original's pages this document holds: as the split or the last boundary move
        recorded them (pages dropped at the split stay dropped), else its whole range."""
        for entry in reversed(self.history):
            pages = entry.changes.get("pages")
            if entry.action in ("split", "boundary-moved") and isinstance(pages, list):
                return [int(p) for p in pages]
        first, last = self.page_range()
        return list(range(first, last + 1))

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True, indent=2)

    @classmethod
    def from_json(cls, data: str | bytes) -> Record:
        return cls.model_validate_json(data)
