"""Fold the outcomes into the figures: classification accuracy and confusion, per-field
precision / recall / F1 overall, per corpus folder and born-digital vs scanned; print them as
tables or write them as JSON."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from stdnum import get_cc_module
from stdnum import iban as std_iban
from stdnum.it import codicefiscale as std_cf
from stdnum.it import iva as std_iva

from ..extract import FIELDS

E_INVOICE_SUFFIXES = (".xml", ".p7m")
E_INVOICE_FIELDS = ("document_type",)
from ..extract.validate import italian_cin
from ..records import DOC_CLASSES
from .labels import Labelled
from .run import Outcome
from .score import Counts, compare, kind_of

ERROR = "error"  # the predicted "class" of a file the pipeline failed on


@dataclass
class Tally:
    """Classification and field counts over some set of files."""

    n: int = 0
    correct: int = 0
    confusion: dict[str, dict[str, int]] = field(
        default_factory=lambda: {t: {p: 0 for p in (*DOC_CLASSES, ERROR)} for t in DOC_CLASSES})
    fields: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))

    def add(self, item: Labelled, outcome: Outcome) -> None:
        predicted = outcome.doc_class or ERROR
        self.n += 1
        self.correct += predicted == item.doc_class
        self.confusion[item.doc_class][predicted] += 1
        scored = FIELDS.get(item.doc_class, ())
        if item.file.lower().endswith(E_INVOICE_SUFFIXES):
            # An e-invoice states its document type (TD01, TD04…); a scan is not asked for it.
            scored = (*scored, *E_INVOICE_FIELDS)
        for name, expected in item.fields.items():
            if name not in scored or expected in (None, "", []):
                continue
            got = outcome.fields.get(name, {}).get("value")
            self.fields[f"{item.doc_class}.{name}"].add(compare(name, expected, got))

    @property
    def accuracy(self) -> float:
        return round(self.correct / self.n, 4) if self.n else 0.0

    def micro(self) -> Counts:
        total = Counts()
        for counts in self.fields.values():
            total.add(counts)
        return total

    def fields_json(self) -> dict[str, Any]:
        out = {}
        for key in sorted(self.fields, key=_field_order):
            counts = self.fields[key]
            entry: dict[str, Any] = {**counts.metrics(), "support": counts.support}
            if _has_fuzzy(key):
                entry.update({f"fuzzy_{k}": v for k, v in counts.metrics(fuzzy=True).items()})
            out[key] = entry
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "classification": {"accuracy": self.accuracy, "n": self.n, "confusion": self.confusion},
            "fields": self.fields_json(),
            "micro_f1": self.micro().metrics()["f1"],
        }


def _has_fuzzy(key: str) -> bool:
    return kind_of(key.split(".", 1)[1]) in ("text", "set")


def _field_order(key: str) -> tuple[int, int]:
    doc_class, name = key.split(".", 1)
    names = (*FIELDS.get(doc_class, ()), *E_INVOICE_FIELDS)
    return (DOC_CLASSES.index(doc_class) if doc_class in DOC_CLASSES else 99,
            names.index(name) if name in names else 99)


@dataclass
class Report:
    overall: Tally
    by_source: dict[str, Tally]
    by_scan: dict[str, Tally]
    outcomes: list[tuple[Labelled, Outcome]]
    wall_seconds: float

    @property
    def pages(self) -> int:
        return sum(o.pages for _, o in self.outcomes)

    @property
    def cached(self) -> int:
        return sum(o.cached for _, o in self.outcomes)

    def timing(self) -> dict[str, Any]:
        seconds = sum(o.seconds for _, o in self.outcomes)
        pages = self.pages
        by_kind: dict[str, dict[str, float]] = {}
        for kind in ("born-digital", "scanned"):
            chosen = [o for item, o in self.outcomes if item.scan_kind == kind and o.pages]
            kind_pages = sum(o.pages for o in chosen)
            if kind_pages:
                by_kind[kind] = {"pages": kind_pages,
                                 "seconds_per_page": round(sum(o.seconds for o in chosen) / kind_pages, 3)}
        return {
            "pages": pages,
            "seconds_per_page": round(seconds / pages, 3) if pages else None,
            "wall_seconds": round(self.wall_seconds, 1),
            "by_scan": by_kind,
            "files_read_from_cache": self.cached,
        }

    def invalid_reported_valid(self) -> list[str]:
        """Identifiers the pipeline called valid that fail an independent stdnum check."""
        bad = []
        for item, outcome in self.outcomes:
            for name, f in outcome.fields.items():
                if f.get("valid") is True and name in _ID_CHECKS and not _ID_CHECKS[name](str(f.get("value"))):
                    bad.append(f"{item.file}: {name} {f.get('value')}")
        return bad

    def to_json(self) -> dict[str, Any]:
        timing = self.timing()
        wall = self.wall_seconds or 1.0
        return {
            **self.overall.to_json(),
            "by_source": {name: tally.to_json() for name, tally in sorted(self.by_source.items())},
            "by_scan": {name: tally.to_json() for name, tally in sorted(self.by_scan.items())},
            "pages_per_minute": round(self.pages / wall * 60, 2),
            "timing": timing,
            "invalid_reported_valid": self.invalid_reported_valid(),
            "errors": {item.file: o.error for item, o in self.outcomes if o.error},
        }


def build_report(pairs: list[tuple[Labelled, Outcome]], wall_seconds: float) -> Report:
    overall = Tally()
    by_source: dict[str, Tally] = defaultdict(Tally)
    by_scan: dict[str, Tally] = defaultdict(Tally)
    for item, outcome in pairs:
        overall.add(item, outcome)
        by_source[item.source].add(item, outcome)
        by_scan[item.scan_kind].add(item, outcome)
    return Report(overall, dict(by_source), dict(by_scan), pairs, wall_seconds)


# -- independent identifier checks (straight from python-stdnum, not through our validators) --
def _vat_ok(value: str) -> bool:
    value = value.upper()
    if value.isdigit():
        return std_iva.is_valid(value)
    module = get_cc_module(value[:2].lower(), "vat") if len(value) > 2 else None
    if module is None and value.startswith("EL"):
        module = get_cc_module("gr", "vat")
    return bool(module and module.is_valid(value))


def _cf_ok(value: str) -> bool:
    return std_cf.is_valid(value) or std_iva.is_valid(value)


def _iban_ok(value: str) -> bool:
    if not std_iban.is_valid(value):
        return False
    compact = std_iban.compact(value)
    if compact[:2] in ("IT", "SM") and len(compact) == 27:
        return compact[4] == italian_cin(compact[5:])
    return True


_ID_CHECKS = {"vendor_vat": _vat_ok, "customer_vat": _vat_ok, "vendor_cf": _cf_ok, "customer_cf": _cf_ok,
              "iban": _iban_ok}


# -- printing ----------------------------------------------------------------------------------
def format_report(report: Report) -> str:
    lines: list[str] = []
    overall = report.overall
    failed = sum(1 for _, o in report.outcomes if o.error)
    if failed:
        lines.append(f"WARNING: the pipeline failed on {failed} of {len(report.outcomes)} files (listed at the end)")
    lines.append(f"Classification: accuracy {overall.accuracy:.3f} over {overall.n} files")
    lines.extend(_confusion_lines(overall))
    lines.append("")
    lines.append("Fields (all files)")
    lines.extend(_field_lines(overall))
    micro = overall.micro().metrics()
    lines.append(f"micro-F1 {micro['f1']:.3f} (precision {micro['precision']:.3f}, recall {micro['recall']:.3f})")
    for title, groups in (("By corpus folder", report.by_source), ("Born-digital vs scanned", report.by_scan)):
        lines.append("")
        lines.append(title)
        for name, tally in sorted(groups.items()):
            lines.append("")
            lines.append(f"[{name}] {tally.n} files, classification accuracy {tally.accuracy:.3f}, "
                         f"micro-F1 {tally.micro().metrics()['f1']:.3f}")
            if tally.fields:
                lines.extend(_field_lines(tally))
    timing = report.timing()
    lines.append("")
    per_kind = ", ".join(f"{k} {v['seconds_per_page']:.2f} s/page ({v['pages']} pages)"
                         for k, v in timing["by_scan"].items())
    lines.append(f"Time: {timing['pages']} pages in {timing['wall_seconds']:.0f} s wall "
                 f"({report.to_json()['pages_per_minute']:.1f} pages/min); {per_kind}")
    if report.cached:
        lines.append(f"NOTE: the reading (text layer / OCR) of {report.cached} of {len(report.outcomes)} files came "
                     "from the developer cache; their times exclude OCR.")
    bad = report.invalid_reported_valid()
    lines.append(f"Invalid identifiers reported as valid: {len(bad)}")
    lines.extend(f"  {b}" for b in bad)
    errors = [(item.file, o.error) for item, o in report.outcomes if o.error]
    if errors:
        lines.append(f"Files the pipeline failed on: {len(errors)}")
        lines.extend(f"  {file}: {error}" for file, error in errors)
    return "\n".join(lines)


def _confusion_lines(tally: Tally) -> list[str]:
    columns = [c for c in (*DOC_CLASSES, ERROR) if c != ERROR or any(r[ERROR] for r in tally.confusion.values())]
    lines = ["  true \\ predicted " + "".join(f"{c:>10}" for c in columns)]
    for true in DOC_CLASSES:
        row = tally.confusion[true]
        if sum(row.values()):
            lines.append(f"  {true:<17} " + "".join(f"{row[c]:>10}" for c in columns))
    return lines


def _field_lines(tally: Tally) -> list[str]:
    lines = [f"  {'field':<26}{'support':>8}{'prec':>8}{'recall':>8}{'F1':>8}{'fuzzyF1':>9}"]
    for key, entry in tally.fields_json().items():
        fuzzy = f"{entry['fuzzy_f1']:>9.3f}" if "fuzzy_f1" in entry else f"{'':>9}"
        lines.append(f"  {key:<26}{entry['support']:>8}{entry['precision']:>8.3f}{entry['recall']:>8.3f}"
                     f"{entry['f1']:>8.3f}{fuzzy}")
    return lines
