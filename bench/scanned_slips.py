"""Till slips laid on a flat-bed scanner (tests/gen_scanned_slips.py: dot-matrix print, faded
thermal print, low resolution, speckle and uneven background, a double-height total, a bold
condensed face, worn thermal print broken into dashes; grey JPEG of quality 30-60), read through
the default pipeline reading (one reading, then the second look at the lines the judge names;
real Tesseract, in process, one OpenMP thread) and analysed. Per look, for the total and the
date: right (filed as sure), right but sent to review, wrong filed as sure, wrong sent to review,
none found; and CPU seconds per slip (this process's, Tesseract included). CPU is noisy on a
shared machine: compare runs of the same hour.

Usage:
    .venv/bin/python bench/scanned_slips.py --seeds 10 --jobs 2 --out /tmp/scan.jsonl
    .venv/bin/python bench/scanned_slips.py --summary /tmp/scan.jsonl
    .venv/bin/python bench/scanned_slips.py --seeds 4 --looks dotmatrix --dump   # what was read
    .venv/bin/python bench/scanned_slips.py --looks faded,dotmatrix --halftone   # B/W halftone scans
    .venv/bin/python bench/scanned_slips.py --looks faded,lowres --pdf   # each scan filed as a PDF

Seeds are fixed (``--first-seed``), so two runs read the same images.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from second_look import TODAY, rows_for  # noqa: E402

FIELDS = ("total_amount", "date")
OUTCOMES = ("right", "right_review", "wrong_sure", "wrong_review", "none")


def _lines(page) -> list[str]:
    """A reading's text, line by line, top to bottom (for looking at what Tesseract made of it)."""
    rows: dict[int, list] = {}
    for w in page.words:
        rows.setdefault(w.line, []).append(w)
    ordered = sorted(rows.values(), key=lambda ws: min(w.y0 for w in ws))
    return [" ".join(f"{w.text}" for w in sorted(ws, key=lambda w: w.x0)) for ws in ordered]


def _work(job: tuple) -> dict:
    look, kind, seed, folder, dump, halftone, pdf = job
    from PIL import Image

    from gen_halftoned_slips import render_halftoned
    from gen_scanned_slips import render_scanned
    from gen_slips import slip

    from pipeline.config import load_settings
    from pipeline.evaluate.score import compare
    from pipeline.process import analyse_pages, read_pages

    settings = load_settings()
    threshold = settings.review.min_key_confidence
    s = slip(seed, kind)
    name = Path(folder) / f"{look}-{kind}-{seed}.jpg"
    image = render_halftoned(s, name, seed, look) if halftone else render_scanned(s, name, seed, look)
    if pdf:
        # Filed as a PDF page of the slip's own size, as a scanning app or a cropping scanner does.
        Image.open(image).save(image.with_suffix(".pdf"), resolution=200.0)
        image = image.with_suffix(".pdf")
    started = time.process_time()
    media, pages = read_pages(image, settings)
    cpu = time.process_time() - started
    analysis = analyse_pages(media, pages, settings, today=TODAY)
    receipt = analysis.classification.doc_class == "receipt"
    out: dict = {"look": look, "kind": kind, "seed": seed, "expected": {f: s.fields[f] for f in FIELDS},
                 "cpu": round(cpu, 3), "second_look": any(p.alternate is not None for p in pages)}
    for field in FIELDS:
        f = analysis.fields.get(field) if receipt else None
        value = f.value if f else None
        right = compare(field, s.fields[field], value).fuzzy_tp == 1
        sure = bool(f and f.confidence >= threshold and f.valid is not False)
        outcome = "none" if value is None else ("right" if sure else "right_review") if right else \
            ("wrong_sure" if sure else "wrong_review")
        out[field] = {"value": value, "raw": f.raw if f else None, "confidence": f.confidence if f else None,
                      "outcome": outcome}
    if dump:
        readings, page = [], pages[0] if pages else None
        while page is not None:
            readings.append(_lines(page))
            page = page.alternate
        out["readings"] = readings
    return out


def summary(rows: list[dict]) -> str:
    looks = sorted({r["look"] for r in rows})
    lines = []
    for field in FIELDS:
        lines += [f"{field}:", "| look | slips | " + " | ".join(OUTCOMES) + " | CPU s/slip | second looks |",
                  "|" + "---|" * (len(OUTCOMES) + 4)]
        for look in looks + ["all"]:
            part = [r for r in rows if look in ("all", r["look"])]
            counts = [sum(r[field]["outcome"] == o for r in part) for o in OUTCOMES]
            lines.append(f"| {look} | {len(part)} | " + " | ".join(map(str, counts))
                         + f" | {sum(r['cpu'] for r in part) / max(1, len(part)):.2f}"
                         f" | {sum(r['second_look'] for r in part)} |")
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    from gen_scanned_slips import LOOKS

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=10, help="slips per look and kind")
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--kinds", default="my", help="gen_slips kinds (my, it, de)")
    parser.add_argument("--looks", default=",".join(LOOKS))
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--out", type=Path, help="write one JSON line per slip here")
    parser.add_argument("--halftone", action="store_true",
                        help="scan each slip in a B/W scanner's halftone mode (tests/gen_halftoned_slips.py)")
    parser.add_argument("--pdf", action="store_true", help="file each scan as a one-page PDF of the slip's size")
    parser.add_argument("--dump", action="store_true", help="keep every reading's lines in the rows (with --out)")
    parser.add_argument("--summary", type=Path, help="only print the tables of an earlier --out file")
    args = parser.parse_args()
    rows = rows_for(args, "scanned-slips-", lambda folder: [
        (look, kind, seed, folder, args.dump, args.halftone, args.pdf) for look in args.looks.split(",")
        for kind in args.kinds.split(",") for seed in range(args.first_seed, args.first_seed + args.seeds)], _work)
    print(summary(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
