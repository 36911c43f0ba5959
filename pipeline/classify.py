"""Decide what a document is: invoice, receipt, contract or other, with a confidence.

Weighted word evidence from ``config/classify.toml``; the vocabulary lives there, not here, so
an office can teach Archivio its own documents without touching the code.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .classify_model import load_model
from .classify_shape import SHAPES, shapes
from .config import Settings
from .errors import ConfigError
from .records import DOC_CLASSES, Classification, Page
from .textnorm import collapse, fold, words

_SCORED = tuple(c for c in DOC_CLASSES if c != "other")
# "other" is what remains when no class has enough evidence, plus the evidence of its own kinds
# (forms, letters, brochures): a vocabulary section of its own, added to the threshold.
_VOCABULARY = (*_SCORED, "other")
# A text without a single word this long was not read at all (OCR noise is a stray letter or two).
_MIN_WORD = 3
# Shapes that are evidence only where no word of "other"'s own kinds was read: a till roll's head
# is what is left of a slip whose body OCR lost, and little else; a brochure or a form under a
# narrow letterhead printing its tax number has the same head and its own words below it.
_HEAD_ONLY_SHAPES = frozenset({"till_head"})


@dataclass(frozen=True)
class _Term:
    pattern: re.Pattern[str]
    weight: float
    # The term as it must appear in the prepared text (words between single spaces) for the
    # pattern to match: a substring test rules out most terms at a fraction of a regex scan.
    literal: str = ""


@dataclass(frozen=True)
class RuleClassifier:
    terms: dict[str, list[_Term]]
    max_count: int
    title_lines: int
    title_factor: float
    other_threshold: float
    temperature: float
    min_evidence: float = 0.0
    # class -> shape -> weight: evidence from the layout (see classify_shape), added like a word's.
    shape_weights: dict[str, dict[str, float]] = field(default_factory=dict)

    @classmethod
    def from_file(cls, path: Path) -> RuleClassifier:
        return _load(path)

    def scores(self, text: str, pages: Sequence[Page] | None = None) -> dict[str, float]:
        """``pages``: those the text was read from, whose layout the shapes also weigh."""
        body = _prepare(text)
        title = _prepare("\n".join(text.split("\f", 1)[0].splitlines()[: self.title_lines]))
        found = shapes(text, pages) if self.shape_weights else frozenset()
        if found & _HEAD_ONLY_SHAPES and any(t.literal in body and t.pattern.search(body) for t in self.terms["other"]):
            found -= _HEAD_ONLY_SHAPES
        scores: dict[str, float] = {}
        for doc_class, terms in self.terms.items():
            total = self.other_threshold if doc_class == "other" else 0.0
            total += sum(w for shape, w in self.shape_weights.get(doc_class, {}).items() if shape in found)
            for term in terms:
                if term.literal not in body:
                    continue
                hits = min(len(term.pattern.findall(body)), self.max_count)
                if hits and term.pattern.search(title):
                    hits += self.title_factor - 1
                total += hits * term.weight
            scores[doc_class] = round(total, 3)
        return scores

    def probabilities(self, text: str, pages: Sequence[Page] | None = None) -> tuple[dict[str, float], dict[str, float]]:
        """The scores and a softmax over them, "other" competing with ``other_threshold`` plus
        the evidence of its own kinds."""
        scores = self.scores(text, pages)
        top = max(scores.values())
        exps = {c: math.exp((s - top) / self.temperature) for c, s in scores.items()}
        total = sum(exps.values())
        return scores, {c: e / total for c, e in exps.items()}

    def has_evidence(self, scores: dict[str, float]) -> bool:
        """Whether any class scored above ``min_evidence``. Without a word of any class the
        learned model is not asked: trained on few documents of other kinds, it would still
        name one (a recipe in Italian "looks like" the Italian contracts it learned)."""
        return max(v for c, v in scores.items() if c != "other") > self.min_evidence

    def arbitrable(self, scores: dict[str, float]) -> frozenset[str]:
        """The classes the learned model may choose: "other", and those that scored above
        ``min_evidence`` and above the evidence of "other"'s own words. The model knows the
        corpus it was fitted on, where all Italian prose was a contract: on an Italian bank form
        whose only contract word is "sottoscritto" it says "contract" with 0.9; the rules, which
        found the form's own words, know better."""
        floor = max(self.min_evidence, scores["other"] - self.other_threshold)
        return frozenset(c for c, v in scores.items() if c == "other" or v > floor)

    def classify(self, text: str, pages: Sequence[Page] | None = None) -> Classification:
        scores, probs = self.probabilities(text, pages)
        best = max(probs, key=lambda c: (probs[c], c != "other"))
        return Classification(doc_class=best, confidence=round(probs[best], 4), scores=scores, method="rules")


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
    shape_weights = _shape_weights(path, data.pop("shape", {}))
    unknown = set(data) - set(_VOCABULARY)
    if unknown:
        raise ConfigError(f"{path}: unknown document class(es) {sorted(unknown)}; expected {_VOCABULARY}")
    terms = {
        doc_class: [
            _Term(_counting(parts), float(w), f" {' '.join(parts)} " if parts else "")
            for term, w in data.get(doc_class, {}).items()
            for parts in [_prepare(term).split()]
        ]
        for doc_class in _VOCABULARY
    }
    return RuleClassifier(
        terms=terms,
        max_count=int(settings.get("max_count", 3)),
        title_lines=int(settings.get("title_lines", 12)),
        title_factor=float(settings.get("title_factor", 2.0)),
        other_threshold=float(settings.get("other_threshold", 6.0)),
        temperature=float(settings.get("temperature", 4.0)),
        min_evidence=float(settings.get("min_evidence", 0.0)),
        shape_weights=shape_weights,
    )


def _counting(parts: list[str]) -> re.Pattern[str]:
    """The term's occurrences in a prepared text (words between single spaces, a space at each
    end): each is the term's words preceded by its space and followed by one. Written with the
    leading space matched rather than looked behind, so that the regex engine scans for the
    literal instead of trying every position; a space between two occurrences is matched by the
    second only (the first looks ahead at it), so the count is that of ``(?<=\\s)…(?=\\s)``."""
    if not parts:
        return re.compile(r"(?<=\s)(?=\s)")
    return re.compile(" " + " ".join(map(re.escape, parts)) + "(?= )")


def _shape_weights(path: Path, table: dict) -> dict[str, dict[str, float]]:
    unknown_classes = set(table) - set(_VOCABULARY)
    unknown_shapes = {s for weights in table.values() for s in weights} - set(SHAPES)
    if unknown_classes or unknown_shapes:
        raise ConfigError(f"{path}: [shape] names unknown class(es) {sorted(unknown_classes)} or shape(s) "
                          f"{sorted(unknown_shapes)}; classes {_VOCABULARY}, shapes {SHAPES}", path=str(path))
    return {c: {s: float(w) for s, w in weights.items()} for c, weights in table.items()}


def classify_text(text: str, settings: Settings, pages: Sequence[Page] | None = None) -> Classification:
    """The document's class: the rules' and the learned model's probabilities, blended by
    ``classify.model_weight`` (0 = rules only, 1 = model only). ``pages``: those the text was
    read from, where a page's width says what its characters cannot (``classify_shape.wide_page``)."""
    rules = RuleClassifier.from_file(settings.classify_vocabulary)
    if not any(len(w) >= _MIN_WORD for w in words(text)):
        # Nothing was read (a blank page, a photo OCR could not read): "other" is then a default,
        # not a finding, and must go to review rather than be filed as sure.
        return Classification(doc_class="other", confidence=0.0, scores=rules.scores(text), method="no-text")
    weight = settings.classify.model_weight
    model_path = settings.classify_model
    if weight <= 0 or model_path is None:
        return rules.classify(text, pages)
    scores, rule_probs = rules.probabilities(text, pages)
    if not rules.has_evidence(scores):
        return rules.classify(text, pages)
    return combine(rules, scores, rule_probs, load_model(model_path).probabilities(text), weight)


def combine(rules: RuleClassifier, scores: dict[str, float], rule_probs: dict[str, float],
            model_probs: dict[str, float], weight: float) -> Classification:
    """The model arbitrates among the classes the rules allow (``RuleClassifier.arbitrable``);
    what it gives any other class says "none of these", and counts for "other". The training
    script's cross-validation calls this too, so that it measures what ships."""
    allowed = rules.arbitrable(scores)
    lost = sum(p for c, p in model_probs.items() if c not in allowed)
    model_probs = {c: (p if c in allowed else 0.0) + (lost if c == "other" else 0.0) for c, p in model_probs.items()}
    return blend(rule_probs, model_probs, weight, scores=scores)


def blend(rule_probs: dict[str, float], model_probs: dict[str, float], weight: float, *,
          scores: dict[str, float] | None = None) -> Classification:
    probs = {c: (1 - weight) * rule_probs.get(c, 0.0) + weight * model_probs.get(c, 0.0) for c in DOC_CLASSES}
    best = max(probs, key=lambda c: (probs[c], c != "other"))
    method = "model" if weight >= 1 else "rules+model"
    return Classification(doc_class=best, confidence=round(probs[best], 4),
                          scores={**(scores or {}), **{f"p_{c}": round(p, 4) for c, p in probs.items()}}, method=method)
