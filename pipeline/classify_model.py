"""A learned document classifier: TF-IDF word features and a linear model, trained offline by
``scripts/train_classifier.py`` with scikit-learn and shipped as plain JSON weights.

Inference is a few dictionary look-ups and dot products in pure Python, so the product needs
neither scikit-learn nor a pickled object whose format changes between library versions. The
features must be computed exactly as in training: ``features`` below is shared by both.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .classify_shape import layout_tokens
from .errors import ConfigError
from .textnorm import words

MODEL_FORMAT = 1
# Long documents are classified by their beginning: the first pages say what they are.
MAX_TOKENS = 3000
_DIGIT = re.compile(r"\d")


def features(text: str) -> list[str]:
    """Word unigrams and bigrams of the folded text, digits turned into 0 so that amounts and
    dates count by their shape ("00/00/0000"), not their value; and the layout's tokens ("#…",
    never a word), which tell a till slip from an A4 page whatever language it is printed in."""
    tokens = [_DIGIT.sub("0", t) for t in words(text)[:MAX_TOKENS]]
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])] + layout_tokens(text)


@dataclass(frozen=True)
class LinearModel:
    classes: tuple[str, ...]
    vocabulary: dict[str, int]
    idf: tuple[float, ...]
    coef: tuple[tuple[float, ...], ...]  # one row per class
    intercept: tuple[float, ...]

    def probabilities(self, text: str) -> dict[str, float]:
        counts = Counter(f for f in features(text) if f in self.vocabulary)
        weights = {self.vocabulary[f]: (1.0 + math.log(n)) * self.idf[self.vocabulary[f]] for f, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        logits = [b + sum(row[i] * v / norm for i, v in weights.items()) for row, b in zip(self.coef, self.intercept)]
        top = max(logits)
        exps = [math.exp(l - top) for l in logits]
        total = sum(exps)
        return {c: e / total for c, e in zip(self.classes, exps)}

    def to_json(self) -> str:
        return json.dumps({
            "format": MODEL_FORMAT,
            "classes": list(self.classes),
            "vocabulary": self.vocabulary,
            "idf": [round(v, 5) for v in self.idf],
            "coef": [[round(v, 5) for v in row] for row in self.coef],
            "intercept": [round(v, 5) for v in self.intercept],
        }, separators=(",", ":"), sort_keys=True)


@lru_cache(maxsize=4)
def load_model(path: Path) -> LinearModel:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"cannot read the classification model {path}: {exc}", path=str(path)) from None
    if data.get("format") != MODEL_FORMAT:
        raise ConfigError(f"{path}: model format {data.get('format')!r}, expected {MODEL_FORMAT}; retrain it "
                          "with scripts/train_classifier.py", path=str(path))
    return LinearModel(
        classes=tuple(data["classes"]),
        vocabulary={k: int(v) for k, v in data["vocabulary"].items()},
        idf=tuple(data["idf"]),
        coef=tuple(tuple(row) for row in data["coef"]),
        intercept=tuple(data["intercept"]),
    )
