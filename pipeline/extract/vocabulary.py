"""The field vocabulary from ``config/fields.toml``, read once and checked."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ConfigError

KINDS = ("amount", "date", "vat", "iban", "number", "text")
PICKS = ("first", "earliest", "largest", "last")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str
    pick: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Vocabulary:
    fields: dict[str, dict[str, FieldSpec]]  # class -> field -> spec
    extra: dict[str, dict[str, dict[str, Any]]]  # class -> field -> raw table (non-label rules)

    def specs(self, doc_class: str) -> list[FieldSpec]:
        return list(self.fields.get(doc_class, {}).values())

    def rules(self, doc_class: str, name: str) -> dict[str, Any]:
        return self.extra.get(doc_class, {}).get(name, {})


@lru_cache(maxsize=8)
def load_vocabulary(path: Path) -> Vocabulary:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read the field vocabulary {path}: {exc}", path=str(path)) from None
    fields: dict[str, dict[str, FieldSpec]] = {}
    extra: dict[str, dict[str, dict[str, Any]]] = {}
    for doc_class, table in data.items():
        for name, spec in table.items():
            if "labels" not in spec:
                extra.setdefault(doc_class, {})[name] = spec
                continue
            kind, pick = spec.get("kind", "text"), spec.get("pick", "first")
            if kind not in KINDS or pick not in PICKS:
                raise ConfigError(f"{path}: [{doc_class}.{name}] kind must be one of {KINDS}, pick one of {PICKS}")
            fields.setdefault(doc_class, {})[name] = FieldSpec(name, kind, pick, tuple(spec["labels"]))
    return Vocabulary(fields, extra)
