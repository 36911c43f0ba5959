"""The field vocabulary from ``config/fields.toml``, read once and checked."""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ConfigError

KINDS = ("amount", "date", "vat", "taxcode", "iban", "number", "currency", "text")
PICKS = ("first", "earliest", "largest", "last")
ROLES = ("neutral", "vendor", "customer")
# The rule tables (neither labels nor patterns) some extractor reads, by class. Any other such table
# in an office's own vocabulary would be ignored, so loading says so instead of staying silent:
# a misspelt table, or one a later version stopped reading ([contract.renewal_term] expressions).
RULE_TABLES = {
    "invoice": frozenset({"dates", "legal_forms", "number_header"}),
    "receipt": frozenset({"address", "dates", "legal_forms", "merchant", "payment_methods"}),
    "contract": frozenset({"dates", "governing_law", "parties"}),
}

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str
    pick: str
    labels: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...] = ()  # whole-line patterns whose group 1 is the value
    sum_labels: tuple[str, ...] = ()  # labels printed once per VAT rate: the value is their sum


@dataclass(frozen=True)
class Vocabulary:
    fields: dict[str, dict[str, FieldSpec]]  # class -> field -> spec
    extra: dict[str, dict[str, dict[str, Any]]]  # class -> table -> raw table (non-label rules)
    ignored: dict[str, tuple[str, ...]] = field(default_factory=dict)  # class -> labels that yield nothing
    section_headings: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # class -> role -> headings

    def specs(self, doc_class: str, *names: str) -> list[FieldSpec]:
        specs = self.fields.get(doc_class, {})
        if names:
            return [specs[n] for n in names if n in specs]
        return list(specs.values())

    def spec(self, doc_class: str, name: str) -> FieldSpec | None:
        return self.fields.get(doc_class, {}).get(name)

    def rules(self, doc_class: str, name: str) -> dict[str, Any]:
        assert name in RULE_TABLES.get(doc_class, ()), f"{doc_class}.{name} missing from RULE_TABLES"
        return self.extra.get(doc_class, {}).get(name, {})

    def ignore(self, doc_class: str) -> tuple[str, ...]:
        return self.ignored.get(doc_class, ())

    def sections(self, doc_class: str) -> dict[str, tuple[str, ...]]:
        return self.section_headings.get(doc_class, {})


@lru_cache(maxsize=8)
def load_vocabulary(path: Path) -> Vocabulary:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read the field vocabulary {path}: {exc}", path=str(path)) from None
    ignored = {doc_class: tuple(labels) for doc_class, labels in data.pop("ignore", {}).items()}
    sections: dict[str, dict[str, tuple[str, ...]]] = {}
    for doc_class, table in data.pop("sections", {}).items():
        unknown = set(table) - set(ROLES)
        if unknown:
            raise ConfigError(f"{path}: [sections.{doc_class}] roles must be among {ROLES}, not {sorted(unknown)}")
        sections[doc_class] = {role: tuple(table.get(role, ())) for role in ROLES}
    fields: dict[str, dict[str, FieldSpec]] = {}
    extra: dict[str, dict[str, dict[str, Any]]] = {}
    for doc_class, table in data.items():
        for name, spec in table.items():
            if "labels" not in spec and "patterns" not in spec:
                if name not in RULE_TABLES.get(doc_class, ()):
                    log.warning("%s: [%s.%s] is read by no extractor and is ignored (rule tables of %s: %s)",
                                path, doc_class, name, doc_class,
                                ", ".join(sorted(RULE_TABLES.get(doc_class, ()))) or "none")
                extra.setdefault(doc_class, {})[name] = spec
                continue
            kind, pick = spec.get("kind", "text"), spec.get("pick", "first")
            if kind not in KINDS or pick not in PICKS:
                raise ConfigError(f"{path}: [{doc_class}.{name}] kind must be one of {KINDS}, pick one of {PICKS}")
            try:
                patterns = tuple(re.compile(p, re.I) for p in spec.get("patterns", ()))
            except re.error as exc:
                raise ConfigError(f"{path}: [{doc_class}.{name}] bad pattern: {exc}") from None
            fields.setdefault(doc_class, {})[name] = FieldSpec(
                name, kind, pick, tuple(spec.get("labels", ())) + tuple(spec.get("sum_labels", ())), patterns,
                tuple(spec.get("sum_labels", ())))
    return Vocabulary(fields, extra, ignored, sections)
