"""Decide what a document is: invoice, receipt, contract or other, with a confidence.

Weighted word evidence from ``config/classify.toml``; the vocabulary lives there, not here, so
an office can teach Archivio its own documents without touching the code.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .config import Settings
from .errors import ConfigError
from .records import DOC_CLASSES, Classification
from .textnorm import collapse, fold

_SCORED = tuple(c for c in DOC_CLASSES if c != "other")


@dataclass(frozen=True)
class _Term:
    pattern: re.Pattern[str]
    weight: float


@dataclass(frozen=True)
class RuleClassifier:
    terms: dict[str, list[_Term]]
    max_count: int
    title_lines: int
    title_factor: float
    other_threshold: float
    temperature: float

    @classmethod
    def from_file(cls, path: Path) -> RuleClassifier:
        return _load(path)

    def scores(self, text: str) -> dict[str, float]:
        body = _prepare(text)
        title = _prepare("\n".join(text.split("\f", 1)[0].splitlines()[: self.title_lines]))
        scores: dict[str, float] = {}
        for doc_class, terms in self.terms.items():
            total = 0.0
            for term in terms:
                hits = min(len(term.pattern.findall(body)), self.max_count)
                if hits and term.pattern.search(title):
                    hits += self.title_factor - 1
                total += hits * term.weight
            scores[doc_class] = round(total, 3)
        return scores

    def classify(self, text: str) -> Classification:
        scores = self.scores(text)
        scores["other"] = self.other_threshold
        best = max(scores, key=lambda c: (scores[c], c != "other"))
        exps = {c: math.exp((s - scores[best]) / self.temperature) for c, s in scores.items()}
        confidence = exps[best] / sum(exps.values())
        return Classification(doc_class=best, confidence=round(confidence, 4), scores=scores, method="rules")


def _prepare(text: str) -> str:
    return " " + collapse(re.sub(r"[^\w]+", " ", fold(text))) + " "


@lru_cache(maxsize=8)
def _load(path: Path) -> RuleClassifier:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read the classification vocabulary {path}: {exc}", path=str(path)) from None
    settings = data.pop("settings", {})
    unknown = set(data) - set(_SCORED)
    if unknown:
        raise ConfigError(f"{path}: unknown document class(es) {sorted(unknown)}; expected {_SCORED}")
    terms = {
        doc_class: [
            _Term(re.compile(r"(?<=\s)" + r"\s+".join(map(re.escape, _prepare(term).split())) + r"(?=\s)"), float(w))
            for term, w in data.get(doc_class, {}).items()
        ]
        for doc_class in _SCORED
    }
    return RuleClassifier(
        terms=terms,
        max_count=int(settings.get("max_count", 3)),
        title_lines=int(settings.get("title_lines", 12)),
        title_factor=float(settings.get("title_factor", 2.0)),
        other_threshold=float(settings.get("other_threshold", 6.0)),
        temperature=float(settings.get("temperature", 4.0)),
    )


def classify_text(text: str, settings: Settings) -> Classification:
    """The document's class by the configured vocabulary."""
    return RuleClassifier.from_file(settings.classify_vocabulary).classify(text)
