"""What happens to one document, top to bottom: read → classify → extract → validate → record.

``analyse`` is a pure function of a file and the settings (no store, no index), so the worker
pool runs it in another process and ``archivio eval`` runs it on a corpus. ``build_record``
turns its result into the record that gets filed.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .config import Settings
from .errors import ReadError, UnsupportedFileError
from .journal import Job
from .records import ArchiveCopy, Classification, ExtractedField, HistoryEntry, Page, Parent, Record, Source, utcnow

if TYPE_CHECKING:
    from .parts import Derived, PartAnalysis

# Reading, classifying and extracting are imported where they run (the workers, `archivio eval`):
# the process that files documents imports this module only for Analysis and build_record.


@dataclass
class Analysis:
    media_type: str
    pages: int
    pages_ocr: int
    ocr_confidence: float | None
    text: str
    language: str | None
    classification: Classification
    fields: dict[str, ExtractedField]
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # What this original yields besides its own record (e-invoice bodies, attachments and
    # rendering; a stack's documents; archive copies): filed by ``parts.filer.file_analysis``.
    derived: Derived | None = None


def analyse(path: Path, settings: Settings, *, today: dt.date | None = None, title: str | None = None) -> Analysis:
    """Read, classify and extract; then split a stack and build the archive copies (``derive``)."""
    from .split import PageLook, survey
    from .structured import STRUCTURED, analyse_structured
    from .text import sniff
    from .text.sniff import PDF

    started = time.monotonic()
    media_type = sniff(path)
    if media_type in STRUCTURED:
        # Fields come from the e-invoice's XML itself, a mail's from its headers: nothing to OCR.
        return analyse_structured(path, media_type, settings, today=today)
    # Separator sheets (and blank pages, when splitting by content) are found on small
    # renderings before OCR, and then not read at all: a PDF's on the pages reading renders.
    look = PageLook(settings.split, settings.ocr.dpi) \
        if media_type == PDF and PageLook.folds(settings.split, settings.ocr.dpi) else None
    looked = look.survey if look else survey(path, media_type, settings)
    media_type, pages = read_pages(path, settings, media_type=media_type,
                                   skip=frozenset(looked.separators) | frozenset(looked.blank), look=look)
    separators = looked.separators
    return analyse_read(path, media_type, pages, separators, settings, title=title or path.name, today=today,
                        started=started)


def analyse_read(path: Path, media_type: str, pages: list[Page], separators: dict[int, str], settings: Settings, *,
                 title: str, today: dt.date | None = None, started: float | None = None) -> Analysis:
    """Classify and extract the pages read, then split a stack and build the archive copies: the
    pages may come from one reading (``analyse``) or from parts read on several workers."""
    from .derive import derive

    started = time.monotonic() if started is None else started
    analysis = analyse_pages(media_type, pages, settings, today=today, started=started)
    analysis.derived, warnings = derive(path, media_type, pages, separators, settings, title=title,
                                        analyse_pages=analyse_pages, today=today)
    if analysis.derived.parts:
        # A split pile is described by its top document: its class scored on the mixed text of
        # several documents (an invoice and a till slip) would file the pile under whichever
        # kind happened to outweigh the other, and a search by class would find the pile too.
        top = analysis.derived.parts[0].analysis
        analysis.classification, analysis.fields, analysis.problems = top.classification, top.fields, top.problems
    analysis.warnings.extend(warnings)
    analysis.seconds = round(time.monotonic() - started, 3)
    return analysis


def read_pages(path: Path, settings: Settings, *, media_type: str | None = None,
               skip: frozenset[int] = frozenset(), look=None) -> tuple[str, list[Page]]:
    """The document's media type and its pages of positioned words (text layer or OCR); pages
    in ``skip`` (separator sheets) come back empty, unread."""
    from .structured import STRUCTURED
    from .text import iter_pages, sniff

    media_type = media_type or sniff(path)
    if media_type in STRUCTURED:
        raise UnsupportedFileError("an e-invoice, .p7m or mail message has no pages to read: use analyse()",
                                   path=str(path))
    pages = list(iter_pages(path, settings.ocr, max_pages=settings.workers.max_pages, media_type=media_type,
                            skip=skip, look=look, vocabulary=settings.extract.vocabulary))
    failed = [p for p in pages if p.method == "empty" and p.warnings]
    if pages and len(failed) == len(pages):
        raise ReadError(f"no page could be read ({failed[0].warnings[0]})", path=str(path))
    return media_type, pages


def analyse_pages(media_type: str, pages: list[Page], settings: Settings, *, today: dt.date | None = None,
                  started: float | None = None, given_class: str | None = None) -> Analysis:
    """Classify the pages already read and extract the class's fields (``archivio eval`` calls this
    on pages it read itself)."""
    from .classify import classify_text
    from .doubt import low_confidence_reasons
    from .extract import extract_fields
    from .language import detect_language

    started = time.monotonic() if started is None else started
    text = "\f".join(p.text for p in pages)
    ocr_pages = [p for p in pages if p.method == "ocr"]
    confidences = [c for c in (p.mean_confidence for p in ocr_pages) if c is not None]
    warnings = [w for p in pages for w in p.warnings]
    if not any(_legible(w) for p in pages for w in p.words):
        warnings.append("no text found on any page (blank pages, or a photo without writing)")

    language = detect_language(text)
    classification = classify_text(text, settings, pages)
    # ``given_class`` (archivio eval --given-class) extracts as the labelled class, to measure
    # extraction apart from classification.
    extraction = extract_fields(given_class or classification.doc_class, pages, language=language,
                                vocabulary=settings.extract_vocabulary, today=today)
    problems = list(extraction.problems) + low_confidence_reasons(
        given_class or classification.doc_class, extraction.fields, settings.review.min_key_confidence)
    if classification.confidence < settings.classify.min_confidence:
        problems.insert(0, f"class uncertain: {classification.doc_class} with confidence "
                           f"{classification.confidence:.2f} (threshold {settings.classify.min_confidence:.2f})")
    return Analysis(
        media_type=media_type,
        pages=len(pages),
        pages_ocr=len(ocr_pages),
        ocr_confidence=round(sum(confidences) / len(confidences), 1) if confidences else None,
        text=text,
        language=language,
        classification=classification,
        fields=extraction.fields,
        problems=problems,
        warnings=warnings,
        seconds=round(time.monotonic() - started, 3),
    )


def _legible(word) -> bool:
    """A word a person could read: OCR noise on a photo of nothing is short, odd and unsure."""
    return word.conf >= 60 and sum(ch.isalnum() for ch in word.text) >= 3


def build_record(job: Job, analysis: Analysis, *, previous: Record | None = None) -> Record:
    """The record to file. Re-filing after a crash keeps the first filing's identity and times."""
    now = utcnow()
    return Record(
        id=job.sha256,
        sha256=job.sha256,
        size=job.size,
        media_type=analysis.media_type,
        source=Source(
            filename=job.filename,
            folder=job.folder,
            path=job.source_path,  # printable form
            size=job.size,
            modified_at=dt.datetime.fromtimestamp(job.mtime, dt.timezone.utc) if job.mtime else None,
            received_at=job.received_at,
        ),
        doc_class=analysis.classification.doc_class,
        class_confidence=analysis.classification.confidence,
        class_scores=analysis.classification.scores,
        language=analysis.language,
        pages=analysis.pages,
        pages_ocr=analysis.pages_ocr,
        ocr_confidence=analysis.ocr_confidence,
        text=analysis.text,
        fields=analysis.fields,
        needs_review=bool(analysis.problems),
        review_reasons=analysis.problems,
        warnings=analysis.warnings,
        pipeline_version=__version__,
        ingested_at=previous.ingested_at if previous else job.received_at,
        filed_at=previous.filed_at if previous else now,
        updated_at=now,
        version=previous.version if previous else 1,
        history=previous.history if previous else [],
    )


def copy_entry(copy, info) -> ArchiveCopy:
    """The record's account of a filed archive copy (``info``: the stored object)."""
    return ArchiveCopy(key=info.key, sha256=info.sha256 or copy.sha256, size=info.size, format=copy.format,
                       created_at=copy.created_at)


def build_part_record(job: Job, part: PartAnalysis, *, previous: Record | None = None) -> Record:
    """The record of one document of a stack: its own id (``<sha256>-<n>``), class and fields, and
    where in the stack it lies."""
    record = build_record(job, part.analysis, previous=previous)
    record.id = f"{job.sha256}-{part.index}"
    record.parent = Parent(id=job.sha256, relation="stack-part", index=part.index, pages=(part.first, part.last))
    if previous is None:
        record.history = [HistoryEntry(at=record.filed_at or utcnow(), by="archivio", action="split",
                                       changes={"reason": part.reason, "pages": list(part.pages)})]
    return record
