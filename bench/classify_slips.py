"""Generated till slips, photographed in every look the test generators draw, read by the real
pipeline (``read_pages`` + ``analyse_pages``, real Tesseract): which come out as another class than
receipt, and with what evidence (the rules' scores and the blend's probabilities).

Slips: ``gen_slips`` (my, it, de) and ``gen_receipts`` (it, de, my, en; its rows laid out at their
columns). Looks: ``gen_slips.render`` clean / rough / courier (rough, thin Courier) / small, and
``gen_faded`` faded / shadow / fsmall (its small look). Seeds are fixed (``--first-seed``), so two
runs read the same photos; ``--cache`` keeps the readings (the eval read-cache), so that a
classifier change can be re-scored without OCR (``--rescore`` an earlier ``--out`` file: its texts
are classified again with this tree's classifier).
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

COURIER = "/usr/share/fonts/opentype/urw-base35/NimbusMonoPS-Regular.otf"
# How a slip is photographed: render() keywords, or a gen_faded look's name.
LOOKS = {"clean": {}, "rough": {"rough": True}, "courier": {"rough": True, "font": COURIER},
         "small": {"scale": 1.2}, "faded": "faded", "shadow": "shadow", "fsmall": "small"}
SOURCES = {"slips": ("my", "it", "de"), "receipts": ("it", "de", "my", "en")}


def _slip(source: str, kind: str, seed: int):
    from gen_slips import Slip, slip
    if source == "slips":
        return slip(seed, kind)
    from gen_receipts import slip as receipt_slip
    lines = []
    for row in receipt_slip(seed, kind).rows:
        line = ""
        for word, x in row:  # 9 units a character from x = 40, as gen_receipts places them
            line = line.ljust(max(int((x - 40) / 9), len(line) + (1 if line else 0))) + word
        lines.append(line)
    return Slip(lines=lines, fields={})


def _work(job: tuple) -> dict:
    source, kind, seed, look, folder, cache_dir = job
    photo = Path(folder) / f"{source}-{kind}-{seed}-{look}.jpg"
    how = LOOKS[look]
    if isinstance(how, str):
        from gen_faded import render_faded
        render_faded(_slip(source, kind, seed), photo, seed, how)
    else:
        from gen_slips import render
        render(_slip(source, kind, seed), photo, seed, **how)
    return {"source": source, "kind": kind, "seed": seed, "look": look, **read_and_classify(photo, cache_dir)}


def read_and_classify(path: Path, cache_dir: str | None) -> dict:
    """The file read by the real pipeline (through the read-cache when given) and classified: the
    class, confidence, scores and the text read."""
    from pipeline.config import load_settings
    from pipeline.evaluate.cache import ReadCache
    from pipeline.process import analyse_pages, read_pages

    settings = load_settings()
    cache = ReadCache(Path(cache_dir)) if cache_dir else None
    key = cache.key(path, settings) if cache else ""
    hit = cache.get(key) if cache else None
    media, pages = hit if hit is not None else read_pages(path, settings)
    if cache and hit is None:
        cache.put(key, media, pages)
    got = analyse_pages(media, pages, settings, today=dt.date(2025, 6, 1)).classification
    return {"class": got.doc_class, "confidence": got.confidence, "scores": got.scores,
            "text": "\f".join(p.text for p in pages)}


def _rescore(rows: list[dict]) -> list[dict]:
    from pipeline.classify import classify_text
    from pipeline.config import load_settings
    settings = load_settings()
    for row in rows:
        got = classify_text(row["text"], settings)
        row.update({"class": got.doc_class, "confidence": got.confidence, "scores": got.scores})
    return rows


def summary(rows: list[dict], min_confidence: float) -> str:
    out = ["| look | slips | receipt | other (sure) | invoice | contract |", "|---|---:|---:|---:|---:|---:|"]
    for look in LOOKS:
        mine = [r for r in rows if r["look"] == look]
        if not mine:
            continue
        n = Counter(r["class"] for r in mine)
        sure = sum(r["class"] == "other" and r["confidence"] >= min_confidence for r in mine)
        out.append(f"| {look} | {len(mine)} | {n['receipt']} | {n['other']} ({sure}) | {n['invoice']} | {n['contract']} |")
    out.append("")
    out += [f"{r['look']} {r['source']}/{r['kind']} seed {r['seed']}: {r['class']} {r['confidence']:.2f} {r['scores']}"
            for r in sorted(rows, key=lambda r: (r["look"], r["source"], r["kind"], r["seed"])) if r["class"] != "receipt"]
    return "\n".join(out)


def add_arguments(parser: argparse.ArgumentParser, *, seeds: int, what: str) -> None:
    parser.add_argument("--seeds", type=int, default=seeds, help=f"{what} per kind and look")
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--cache", type=Path, help="keep each reading here (the eval read-cache)")
    parser.add_argument("--out", type=Path, help=f"write one JSON line per {what[:-1]} (with its text) here")
    parser.add_argument("--rescore", type=Path, help="classify the texts of an earlier --out file again, without OCR")


def rows_of(args: argparse.Namespace, work, jobs: list[tuple], prefix: str) -> list[dict]:
    """The rows of ``--rescore``'s file classified again, or ``work`` run on each job (its tuple
    followed by a temporary folder for the images and the cache folder) in ``--jobs`` workers."""
    if args.rescore:
        return _rescore([json.loads(line) for line in args.rescore.read_text().splitlines() if line.strip()])
    os.environ["OMP_THREAD_LIMIT"] = "1"  # one OpenMP thread per reading, as the workers run Tesseract
    folder = tempfile.mkdtemp(prefix=prefix)
    cache = str(args.cache) if args.cache else None
    try:
        with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
            rows = list(pool.imap_unordered(work, [(*job, folder, cache) for job in jobs]))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if args.out:
        args.out.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser, seeds=3, what="slips")
    parser.add_argument("--looks", default=",".join(LOOKS))
    args = parser.parse_args()
    from pipeline.config import load_settings
    jobs = [(source, kind, seed, look) for look in args.looks.split(",") for source, kinds in SOURCES.items()
            for kind in kinds for seed in range(args.first_seed, args.first_seed + args.seeds)]
    rows = rows_of(args, _work, jobs, "classify-slips-")
    print(summary(rows, load_settings().classify.min_confidence))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
