"""Invoice fields on the layouts and vendors of tests/gen_invoice_layouts.py, through the real
pipeline (the reading → classification → extraction path of ``archivio eval``; scans read by
real Tesseract): per field and per kind, how many are right, wrong, or not found (none).

Usage:
    .venv/bin/python bench/invoice_layouts.py --seeds 3 --scans 1 --jobs 2 --cache DIR --out X.json
    .venv/bin/python bench/invoice_layouts.py --summary X.json [--against Y.json]

The documents are written to ``--folder`` (a temporary one by default; keep it with
``--folder`` to reuse the scans' OCR through ``--cache``). Scoring is ``archivio eval``'s own
(pipeline.evaluate.score). Also printed: the CPU seconds classification + extraction took on the
born-digital files (every file read once, then analysed ``--rounds`` times), as a ratio to the
CPU seconds of reading their text layer in the same run — absolute times on this shared machine
are noisy, the ratio less so.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

FIELDS = ("number", "date", "vendor_vat", "net_amount", "vat_amount", "total_amount", "iban")


def _score(labels: list[dict], outcomes: dict[str, object]) -> list[dict]:
    from pipeline.evaluate.score import normalise

    rows = []
    for label in labels:
        out = outcomes[label["file"]]
        for name in FIELDS:
            if name not in label["fields"]:
                continue
            want = normalise(name, label["fields"][name])
            got_field = out.fields.get(name) if out.doc_class == "invoice" else None
            got = normalise(name, got_field["value"]) if got_field else None
            verdict = "none" if got is None else "right" if got == want else "wrong"
            rows.append({"file": label["file"], "kind": label["kind"], "language": label["language"],
                         "scanned": label["scanned"], "field": name, "verdict": verdict, "expected": want,
                         "got": got, "raw": got_field.get("raw") if got_field else None,
                         "valid": got_field.get("valid") if got_field else None,
                         "class": out.doc_class, "error": out.error})
    return rows


def _extraction_cpu(folder: Path, labels: list[dict], rounds: int) -> dict:
    from pipeline.config import load_settings
    from pipeline.process import analyse_pages, read_pages

    settings = load_settings()
    files = [folder / l["file"] for l in labels if not l["scanned"]]
    read_cpu, read = 0.0, []
    for path in files:
        t = time.process_time()
        media_type, pages = read_pages(path, settings)
        read_cpu += time.process_time() - t
        read.append((media_type, pages))
    analyse_pages(*read[0], settings)  # warm: vocabularies, model
    t = time.process_time()
    for _ in range(rounds):
        for media_type, pages in read:
            analyse_pages(media_type, pages, settings)
    analyse_cpu = (time.process_time() - t) / rounds
    return {"files": len(files), "read_cpu_s": round(read_cpu, 3), "analyse_cpu_s": round(analyse_cpu, 3),
            "analyse_over_read": round(analyse_cpu / read_cpu, 3) if read_cpu else None}


def run(args) -> dict:
    import gen_invoice_layouts
    from pipeline.config import load_settings
    from pipeline.evaluate.labels import load_labels
    from pipeline.evaluate.run import run_all

    folder = Path(args.folder) if args.folder else Path(tempfile.mkdtemp(prefix="invoice-layouts-"))
    if not (folder / "labels.jsonl").is_file():
        kinds = tuple(args.kinds.split(",")) if args.kinds else gen_invoice_layouts.KINDS
        gen_invoice_layouts.write_corpus(folder, range(args.seeds), scan_seeds=range(args.scans), kinds=kinds)
    labels = [json.loads(line) for line in (folder / "labels.jsonl").read_text(encoding="utf-8").splitlines() if line]
    items = load_labels(folder)
    started = time.monotonic()
    outcomes = run_all(folder, items, load_settings(), jobs=args.jobs,
                       cache_dir=Path(args.cache) if args.cache else None)
    wall = time.monotonic() - started
    rows = _score(labels, {o.file: o for o in outcomes})
    classes = defaultdict(int)
    for o in outcomes:
        classes[o.doc_class or f"error: {o.error}"] += 1
    return {"folder": str(folder), "documents": len(items), "wall_s": round(wall, 1), "classes": dict(classes),
            "cpu": _extraction_cpu(folder, labels, args.rounds), "rows": rows}


def summary(result: dict, against: dict | None = None) -> str:
    def table(rows: list[dict], key) -> dict:
        out: dict = defaultdict(lambda: defaultdict(int))
        for r in rows:
            out[key(r)][r["verdict"]] += 1
        return out

    lines = [f"{result['documents']} documents, classes {result['classes']}, wall {result['wall_s']} s"]
    cpu = result["cpu"]
    lines.append(f"born-digital: {cpu['files']} files, reading {cpu['read_cpu_s']} s CPU, classify+extract "
                 f"{cpu['analyse_cpu_s']} s CPU per pass (ratio {cpu['analyse_over_read']})")
    if against:
        c = against["cpu"]
        lines.append(f"  against: reading {c['read_cpu_s']} s, classify+extract {c['analyse_cpu_s']} s (ratio {c['analyse_over_read']})")
    sure_wrong = [r for r in result["rows"] if r["verdict"] == "wrong" and r.get("valid") is True
                  and r["field"] in ("vendor_vat", "iban")]
    lines.append(f"identifiers wrong but reported valid: {len(sure_wrong)}"
                 + "".join(f"\n  {r['file']} {r['field']} {r['got']} (printed {r['expected']})" for r in sure_wrong))
    for title, key in (("field", lambda r: (r["field"],)),
                       ("field × scan", lambda r: (r["field"], "scan" if r["scanned"] else "pdf")),
                       ("field × kind", lambda r: (r["field"], r["kind"]))):
        now = table(result["rows"], key)
        before = table(against["rows"], key) if against else {}
        lines.append(f"\n{title:<34} right / wrong / none" + ("   (against)" if against else ""))
        for k in sorted(now):
            v = now[k]
            n = sum(v.values())
            text = f"{' '.join(k):<34} {v['right']:>4} / {v['wrong']:>3} / {v['none']:>3}   {v['right'] / n:.3f}"
            if against and k in before:
                b = before[k]
                text += f"   ({b['right']:>4} / {b['wrong']:>3} / {b['none']:>3}   {b['right'] / sum(b.values()):.3f})"
            lines.append(text)
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=3, help="documents per kind and language")
    parser.add_argument("--scans", type=int, default=1, help="of those, how many seeds are also scanned")
    parser.add_argument("--kinds", help="comma-separated kinds of gen_invoice_layouts (default: all)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--cache", help="OCR read cache folder (archivio eval --cache)")
    parser.add_argument("--folder", help="where the documents are written (kept; reused when it has labels.jsonl)")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the born-digital files for the CPU figure")
    parser.add_argument("--out", help="write the result (every scored field) as JSON")
    parser.add_argument("--summary", help="print the table of a result written by --out")
    parser.add_argument("--against", help="a second result to print beside (before → after)")
    args = parser.parse_args()
    if args.summary:
        result = json.loads(Path(args.summary).read_text())
    else:
        result = run(args)
        if args.out:
            Path(args.out).write_text(json.dumps(result, indent=1, ensure_ascii=False))
    against = json.loads(Path(args.against).read_text()) if args.against else None
    print(summary(result, against))
    return 0


if __name__ == "__main__":
    sys.exit(main())
