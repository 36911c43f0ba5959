"""The worker's side of archive copies: build the copy of a document just read (and of each
document of a stack) into temporary files the filing step (``parts.filer``) then stores."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from ..config import Settings
from ..records import Page, utcnow
from .build import CopyError, build_copy, wants_copy
from .pdfa import PDFA_FORMAT, mark_pdfa

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CopyFile:
    """A copy built and waiting to be filed (a temporary file removed once filed)."""

    path: str
    sha256: str
    size: int
    format: str
    created_at: dt.datetime
    seconds: float


def copies_folder(settings: Settings) -> Path:
    folder = settings.paths.data / "tmp" / "copies"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def make_copy(path: Path, media_type: str, pages: list[Page], settings: Settings, *,
              title: str) -> tuple[CopyFile | None, str | None]:
    """The document's archive copy, or (None, why not) when it failed; (None, None) when the
    document needs none (born-digital, copies off)."""
    if not settings.copies.enabled or not wants_copy(media_type, pages, born_digital=settings.copies.born_digital):
        return None, None
    started = time.monotonic()
    created = utcnow()
    handle = tempfile.NamedTemporaryFile(dir=copies_folder(settings), suffix=".pdf", delete=False)
    handle.close()
    dest = Path(handle.name)
    try:
        build_copy(path, media_type, pages, dest, title=title, created=created, timeout=settings.copies.timeout)
    except CopyError as exc:
        dest.unlink(missing_ok=True)
        log.warning("%s: archive copy not made: %s", title, exc)
        return None, f"archive copy not made: {exc}"
    return _described(dest, created, time.monotonic() - started), None


def slice_copy(copy: CopyFile, pages: list[int], settings: Settings, *, title: str) -> CopyFile:
    """The copy of one document of a stack: its pages cut from the stack's copy (1-based numbers)."""
    started = time.monotonic()
    handle = tempfile.NamedTemporaryFile(dir=copies_folder(settings), suffix=".pdf", delete=False)
    handle.close()
    dest = Path(handle.name)
    with pikepdf.open(copy.path) as stack, pikepdf.new() as part:
        for number in pages:
            part.pages.append(stack.pages[number - 1])
        mark_pdfa(part, title=title, created=copy.created_at)
        part.save(dest)
    return _described(dest, copy.created_at, time.monotonic() - started)


def _described(dest: Path, created: dt.datetime, seconds: float) -> CopyFile:
    digest = hashlib.sha256(dest.read_bytes()).hexdigest()
    return CopyFile(str(dest), digest, dest.stat().st_size, PDFA_FORMAT, created, round(seconds, 3))


def discard(copy: CopyFile | None) -> None:
    if copy is not None:
        Path(copy.path).unlink(missing_ok=True)
