"""``archivio eval``: how well reading, classification and extraction do on a labelled corpus.

``evaluate`` runs the real pipeline (no storage) over the files listed in a folder's
``labels.jsonl`` and folds the outcomes into a ``Report``.
"""

from __future__ import annotations

import fnmatch
import time
from collections.abc import Callable
from pathlib import Path

from ..config import Settings
from .labels import SPLITS, Labelled, load_labels
from .report import Report, build_report, format_report
from .run import Outcome, run_all


def evaluate(corpus: Path, settings: Settings, *, jobs: int = 1, limit: int | None = None,
             match: str | None = None, split: str | None = None, cache_dir: Path | None = None, given_class: bool = False,
             on_done: Callable[[Outcome], None] | None = None) -> Report:
    items = select(load_labels(corpus), limit=limit, match=match, split=split)
    started = time.monotonic()
    outcomes = run_all(corpus, items, settings, jobs=jobs, cache_dir=cache_dir, given_class=given_class,
                       on_done=on_done)
    return build_report(list(zip(items, outcomes)), time.monotonic() - started)


def select(items: list[Labelled], *, limit: int | None, match: str | None,
           split: str | None = None) -> list[Labelled]:
    if split:
        items = [i for i in items if i.split == split]
    if match:
        items = [i for i in items if fnmatch.fnmatch(i.file, match)]
    return items[:limit] if limit else items


__all__ = ["SPLITS", "evaluate", "select", "load_labels", "format_report", "Report", "Outcome"]
