"""bench/second_look.py on the slips of tests/gen_till_kinds.py: the totals blocks and payment
sections of Malaysian, British, American, Italian and German tills, photographed and read through
the real pipeline with real Tesseract, both photo readings; the same table (totals right / wrong /
missing, wrong filed as sure, right sent to review, dates, merchants, CPU).

Usage:
    .venv/bin/python bench/till_kinds.py --seeds 40 --variants rough,courier,small --jobs 2 --cache DIR --out X.jsonl
    .venv/bin/python bench/till_kinds.py --summary X.jsonl
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

import second_look  # noqa: E402


def _work(job: tuple) -> dict | None:
    """second_look's reading of one slip, drawn by gen_till_kinds instead of gen_slips."""
    import gen_slips
    import gen_till_kinds

    gen_slips.slip = gen_till_kinds.slip  # second_look._work draws its slip from gen_slips.slip
    return second_look._work(job)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=20, help="slips per country and variant")
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--kinds", default="my,uk,us,it,de", help="countries (gen_till_kinds.COUNTRIES)")
    parser.add_argument("--variants", default=",".join(second_look.VARIANTS))
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--out", type=Path, help="write one JSON line per slip here")
    parser.add_argument("--cache", type=Path, help="the eval read-cache folder (see second_look.py)")
    parser.add_argument("--cached-only", action="store_true", help="with --cache: score only the slips already read")
    parser.add_argument("--summary", type=Path, help="only print the tables of an earlier --out file")
    args = parser.parse_args()
    rows = second_look.rows_for(args, "till-kinds-", lambda folder: [
        (kind, seed, variant, folder, str(args.cache) if args.cache else None, args.cached_only)
        for variant in args.variants.split(",") for kind in args.kinds.split(",")
        for seed in range(args.first_seed, args.first_seed + args.seeds)], _work)
    rows.sort(key=lambda r: (r["variant"], r["kind"], r["seed"]))
    print(second_look.summary(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
