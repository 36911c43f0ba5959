"""Which language is a document written in? Counted from frequent words, no model needed."""

from __future__ import annotations

import tomllib
from collections import Counter
from functools import lru_cache
from pathlib import Path

from .config import config_dir
from .textnorm import words


@lru_cache(maxsize=4)
def _stopwords(path: Path) -> dict[str, frozenset[str]]:
    with path.open("rb") as fh:
        return {lang: frozenset(ws) for lang, ws in tomllib.load(fh).items()}


def detect_language(text: str, *, path: Path | None = None, min_hits: int = 3) -> str | None:
    """ISO 639-1 code of the most likely language, or None when the text is too short to tell."""
    table = _stopwords(path or config_dir() / "languages.toml")
    tokens = Counter(words(text[:20000]))
    scores = {lang: sum(tokens[w] for w in ws) for lang, ws in table.items()}
    lang, best = max(scores.items(), key=lambda kv: kv[1])
    return lang if best >= min_hits else None
