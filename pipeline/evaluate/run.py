"""Run the real pipeline (read → classify → extract, no storage) over labelled files."""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import ArchivioError
from ..process import analyse, analyse_pages, read_pages
from ..structured import STRUCTURED
from ..text import sniff
from .cache import ReadCache
from .labels import Labelled


@dataclass
class Outcome:
    """What the pipeline made of one file."""

    file: str
    doc_class: str | None = None
    confidence: float = 0.0
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> value, valid, error, confidence
    problems: list[str] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0
    read_seconds: float = 0.0
    cached: bool = False
    error: str | None = None


def run_one(corpus: Path, item: Labelled, settings: Settings, cache_dir: Path | None,
            given_class: bool = False) -> Outcome:
    path = corpus / item.file
    started = time.monotonic()
    cache = ReadCache(cache_dir) if cache_dir else None
    try:
        if sniff(path) in STRUCTURED:
            # An e-invoice is read from its XML in milliseconds: nothing worth caching.
            analysis, hit = analyse(path, settings), None
            read_seconds = time.monotonic() - started
            return _outcome(item, analysis, started, read_seconds, cached=False)
        key = cache.key(path, settings) if cache else ""
        hit = cache.get(key) if cache else None
        if hit is not None:
            media_type, pages = hit
        else:
            media_type, pages = read_pages(path, settings)
            if cache:
                cache.put(key, media_type, pages)
        read_seconds = time.monotonic() - started
        analysis = analyse_pages(media_type, pages, settings, started=started,
                                 given_class=item.doc_class if given_class else None)
    except (ArchivioError, OSError) as exc:
        return Outcome(item.file, error=str(exc), seconds=time.monotonic() - started)
    except Exception as exc:  # a bug: report it with the file rather than lose the whole run
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return Outcome(item.file, error=f"{type(exc).__name__}: {exc} ({Path(where.filename).name}:{where.lineno})",
                       seconds=time.monotonic() - started)
    return _outcome(item, analysis, started, read_seconds, cached=hit is not None)


def _outcome(item: Labelled, analysis, started: float, read_seconds: float, *, cached: bool) -> Outcome:
    fields = {
        name: {"value": f.value, "valid": f.valid, "error": f.error, "confidence": f.confidence, "raw": f.raw}
        for name, f in analysis.fields.items()
    }
    return Outcome(
        file=item.file,
        doc_class=analysis.classification.doc_class,
        confidence=analysis.classification.confidence,
        fields=fields,
        problems=analysis.problems,
        pages=analysis.pages,
        seconds=time.monotonic() - started,
        read_seconds=read_seconds,
        cached=cached,
    )


def _init_worker() -> None:
    # Tesseract's OpenMP threads fight each other when several workers share the cores.
    os.environ["OMP_THREAD_LIMIT"] = "1"


def run_all(corpus: Path, items: list[Labelled], settings: Settings, *, jobs: int = 1,
            cache_dir: Path | None = None, given_class: bool = False,
            on_done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Every item's outcome, in the order of ``items``."""
    results: dict[str, Outcome] = {}
    for outcome in _iter_outcomes(corpus, items, settings, jobs, cache_dir, given_class):
        results[outcome.file] = outcome
        if on_done:
            on_done(outcome)
    return [results[item.file] for item in items]


def _iter_outcomes(corpus: Path, items: list[Labelled], settings: Settings, jobs: int,
                   cache_dir: Path | None, given_class: bool) -> Iterator[Outcome]:
    if jobs <= 1:
        for item in items:
            yield run_one(corpus, item, settings, cache_dir, given_class)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker) as pool:
        futures = [pool.submit(run_one, corpus, item, settings, cache_dir, given_class) for item in items]
        for future in as_completed(futures):
            yield future.result()
