"""Counter sales that title themselves as invoices, invoices paid in cash that name their buyer,
and faint slips (``tests/gen_counter_sales.py``), read by the real pipeline (``read_pages`` +
``analyse_pages``, real Tesseract for scans and photos): per kind and look, how many come out
receipt / invoice / other, and how many of the wrong ones are filed as sure (confidence at or
above ``classify.min_confidence``, so not sent to review).

Kinds and looks:
- ``counter-till`` / ``counter-half``: receipts; born-digital PDF ("digital"), the PDF scanned
  ("scan", ``docgen.scan_pdf``), and for the roll a phone photo ("photo", ``gen_slips.render``);
- ``billed-<language>`` (a4) and ``billed-half-<language>``: invoices; "digital" and "scan";
- ``faint``: receipts whose body is nearly invisible (``render_faint``), ``faint-title``: only the
  shop's name and the title kept their ink: "photo" only.

Seeds are fixed (``--first-seed``); ``--cache`` keeps each reading (the eval read-cache) and
``--out`` / ``--rescore`` re-classify stored texts with this tree's classifier, without OCR.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

KINDS = {"counter-till": ("digital", "scan", "photo"), "counter-half": ("digital", "scan"),
         **{f"billed-{lang}": ("digital", "scan") for lang in ("en", "my", "it", "de")},
         **{f"billed-half-{lang}": ("digital", "scan") for lang in ("en", "my")},
         "faint": ("photo",), "faint-title": ("photo",)}


def _sale(kind: str, seed: int):
    import gen_counter_sales as g
    if kind.startswith("counter-"):
        return g.counter_sale(seed, kind.split("-")[1])
    if kind.startswith("billed-half-"):
        return g.billed_invoice(seed, kind.rsplit("-", 1)[1], "half")
    if kind.startswith("billed-"):
        return g.billed_invoice(seed, kind.split("-")[1])
    return g.counter_sale(seed, g.rng_width(seed))


def _work(job: tuple) -> dict:
    kind, look, seed, folder, cache_dir = job
    import gen_counter_sales as g
    from pipeline.config import load_settings
    from pipeline.evaluate.cache import ReadCache
    from pipeline.process import analyse_pages, read_pages

    settings = load_settings()
    sale = _sale(kind, seed)
    stem = Path(folder) / f"{kind}-{seed}"
    if look == "digital":
        path = g.pdf(sale, stem.with_suffix(".pdf"))
    elif look == "scan":
        from docgen import scan_pdf
        path = scan_pdf(g.pdf(sale, Path(f"{stem}-src.pdf")), stem.with_suffix(".pdf"), seed)
    elif kind.startswith("faint"):
        path = g.render_faint(sale, stem.with_suffix(".jpg"), seed, dark="title" if kind == "faint-title" else "head")
    else:
        from gen_slips import Slip, render
        path = render(Slip(lines=sale.lines, fields={}), stem.with_suffix(".jpg"), seed)
    cache = ReadCache(Path(cache_dir)) if cache_dir else None
    key = cache.key(path, settings) if cache else ""
    hit = cache.get(key) if cache else None
    media, pages = hit if hit is not None else read_pages(path, settings)
    if cache and hit is None:
        cache.put(key, media, pages)
    got = analyse_pages(media, pages, settings, today=dt.date(2025, 6, 1)).classification
    return {"kind": kind, "look": look, "seed": seed, "expected": sale.doc_class, "traits": sale.traits,
            "class": got.doc_class, "confidence": got.confidence, "scores": got.scores,
            "text": "\f".join(p.text for p in pages)}


def rescore(rows: list[dict]) -> list[dict]:
    from pipeline.classify import classify_text
    from pipeline.config import load_settings
    settings = load_settings()
    for row in rows:
        got = classify_text(row["text"], settings)
        row.update({"class": got.doc_class, "confidence": got.confidence, "scores": got.scores})
    return rows


def summary(rows: list[dict], min_confidence: float, *, wrong_lines: bool = True) -> str:
    out = ["| kind | look | docs | receipt | invoice | other | contract | wrong filed as sure |",
           "|---|---|---:|---:|---:|---:|---:|---:|"]
    for kind, looks in KINDS.items():
        for look in looks:
            mine = [r for r in rows if r["kind"] == kind and r["look"] == look]
            if not mine:
                continue
            n = Counter(r["class"] for r in mine)
            sure = sum(r["class"] != r["expected"] and r["confidence"] >= min_confidence for r in mine)
            out.append(f"| {kind} | {look} | {len(mine)} | {n['receipt']} | {n['invoice']} | {n['other']} | "
                       f"{n['contract']} | {sure} |")
    wrong = [r for r in rows if r["class"] != r["expected"]]
    out.append(f"\nwrong: {len(wrong)} of {len(rows)}, filed as sure: "
               f"{sum(r['confidence'] >= min_confidence for r in wrong)}")
    if wrong_lines:
        out += [f"{r['kind']} {r['look']} seed {r['seed']}: {r['class']} {r['confidence']:.2f} "
                f"{ {k: v for k, v in r['scores'].items()} }" for r in sorted(wrong, key=lambda r: (r["kind"], r["look"], r["seed"]))]
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=4, help="documents per kind and look")
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--looks", default="digital,scan,photo")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--cache", type=Path, help="keep each reading here (the eval read-cache)")
    parser.add_argument("--out", type=Path, help="write one JSON line per document (with its text) here")
    parser.add_argument("--rescore", type=Path, help="classify the texts of an earlier --out file again, without OCR")
    args = parser.parse_args()
    from pipeline.config import load_settings
    min_confidence = load_settings().classify.min_confidence
    if args.rescore:
        rows = rescore([json.loads(line) for line in args.rescore.read_text().splitlines() if line.strip()])
    else:
        os.environ["OMP_THREAD_LIMIT"] = "1"  # one OpenMP thread per reading, as the workers run Tesseract
        folder = tempfile.mkdtemp(prefix="counter-sales-")
        looks = set(args.looks.split(","))
        jobs = [(kind, look, seed, folder, str(args.cache) if args.cache else None)
                for kind in args.kinds.split(",") for look in KINDS[kind] if look in looks
                for seed in range(args.first_seed, args.first_seed + args.seeds)]
        try:
            with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
                rows = list(pool.imap_unordered(_work, jobs))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        if args.out:
            args.out.write_text("".join(json.dumps(r) + "\n" for r in rows))
    print(summary(rows, min_confidence))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
