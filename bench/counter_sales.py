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
import sys
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
    from classify_slips import read_and_classify

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
    return {"kind": kind, "look": look, "seed": seed, "expected": sale.doc_class, "traits": sale.traits,
            **read_and_classify(path, cache_dir)}


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
    from classify_slips import add_arguments, rows_of

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser, seeds=4, what="documents")
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--looks", default="digital,scan,photo")
    args = parser.parse_args()
    from pipeline.config import load_settings
    looks = set(args.looks.split(","))
    jobs = [(kind, look, seed) for kind in args.kinds.split(",") for look in KINDS[kind] if look in looks
            for seed in range(args.first_seed, args.first_seed + args.seeds)]
    rows = rows_of(args, _work, jobs, "counter-sales-")
    print(summary(rows, load_settings().classify.min_confidence))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
