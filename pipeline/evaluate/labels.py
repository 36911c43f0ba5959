"""The labelled corpus: ``labels.jsonl`` in a folder, one document (file) per line.

Format (see the corpus README): ``file`` relative to the folder, ``class``, ``fields`` (only what
is labelled; a missing key means "not labelled"), ``scanned``, ``variant`` and ``group``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ArchivioError
from ..records import DOC_CLASSES


class LabelsError(ArchivioError):
    stage = "eval"


@dataclass(frozen=True)
class Labelled:
    file: str  # relative to the corpus folder
    doc_class: str
    fields: dict[str, Any] = field(default_factory=dict)
    scanned: bool = False
    variant: str = ""
    group: str = ""
    language: str | None = None
    doc_id: str = ""

    @property
    def split(self) -> str:
        """``study`` or ``measure``: a fixed half of the groups (vendor, filer, generator family)
        whose errors a developer may look at, and a half only ever measured, so that a rule tuned
        on what was studied shows whether it holds on documents of other groups. Decided by a
        hash of the group (the document when it has none), so every variant of a document and
        every document of a group fall on the same side."""
        key = self.group or self.doc_id or _document_key(self.file)
        return "study" if hashlib.sha256(key.encode("utf-8")).digest()[0] % 2 == 0 else "measure"

    @property
    def source(self) -> str:
        """The corpus sub-folder the file sits in ("." for the top level)."""
        parts = Path(self.file).parts
        return parts[0] if len(parts) > 1 else "."

    @property
    def scan_kind(self) -> str:
        return "scanned" if self.scanned else "born-digital"


def load_labels(corpus: Path) -> list[Labelled]:
    path = corpus / "labels.jsonl"
    if not path.is_file():
        raise LabelsError(f"no labels.jsonl in {corpus}", path=str(corpus))
    out: list[Labelled] = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                doc_class = row["class"]
                file = row["file"]
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise LabelsError(f"line {number}: not a label record ({exc})", path=str(path)) from None
            if doc_class not in DOC_CLASSES:
                raise LabelsError(f"line {number}: unknown class {doc_class!r}; expected one of {DOC_CLASSES}",
                                  path=str(path))
            out.append(Labelled(
                file=file,
                doc_class=doc_class,
                fields=dict(row.get("fields") or {}),
                scanned=bool(row.get("scanned", False)),
                variant=str(row.get("variant", "")),
                group=str(row.get("group", "")),
                language=row.get("language"),
                doc_id=str(row.get("doc_id", "")),
            ))
    return out


SPLITS = ("study", "measure")


def _document_key(file: str) -> str:
    """A file's document without its variant suffixes: ``a/x.scan.pdf`` and ``a/x.pdf`` are one."""
    path = Path(file)
    return str(path.parent / path.name.split(".")[0])
