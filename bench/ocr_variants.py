"""Which OCR options read a kind of document best? Runs the real pipeline on labelled files once
per variant of the [ocr] settings and prints the field scores side by side.

    .venv/bin/python bench/ocr_variants.py ../shared/corpus --match 'receipts-*/*' --jobs 2 \\
        --variant base: --variant psm4:photo_psm=4 --variant psm4-nodict:photo_psm=4,dictionaries=false

A variant is NAME:key=value,... over the [ocr] section (booleans true/false; lists as a|b, so
"one-reading:photo_alternates=" reads each photo once). Every run reads
the files afresh (no cache), so the seconds per page are real.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tqdm import tqdm  # noqa: E402

from pipeline.config import load_settings  # noqa: E402
from pipeline.evaluate import evaluate, load_labels, select  # noqa: E402


def parse_variant(text: str) -> tuple[str, dict[str, object]]:
    name, _, spec = text.partition(":")
    updates: dict[str, object] = {}
    for item in filter(None, spec.split(",")):
        key, _, value = item.partition("=")
        updates[key.strip()] = {"true": True, "false": False}.get(value.strip().lower(), value.strip())
    return name, updates


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--match", help="only files whose path matches this glob")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--variant", action="append", required=True, help="NAME:key=value,...")
    parser.add_argument("--fields", help="comma-separated class.field keys to show (default: all scored)")
    args = parser.parse_args()

    base = load_settings()
    results = []
    items = select(load_labels(args.corpus), limit=args.limit, match=args.match)
    for text in args.variant:
        name, updates = parse_variant(text)
        current = base.ocr.model_dump()
        # List settings are written "a|b" ("photo_alternates=" for none).
        updates = {k: [x for x in str(v).split("|") if x] if isinstance(current.get(k), list) else v
                   for k, v in updates.items()}
        ocr = base.ocr.model_validate({**current, **updates})
        settings = base.model_copy(update={"ocr": ocr})
        with tqdm(total=len(items), desc=name, unit="file", leave=False) as bar:
            report = evaluate(args.corpus, settings, jobs=args.jobs, limit=args.limit, match=args.match,
                              on_done=lambda _: bar.update(1))
        results.append((name, updates, report))

    keys = args.fields.split(",") if args.fields else sorted({k for _, _, r in results for k in r.overall.fields})
    width = max(len(n) for n, _, _ in results) + 2
    print(f"{'variant':<{width}}" + "".join(f"{k.split('.', 1)[1][:14]:>15}" for k in keys)
          + f"{'class acc':>11}{'s/page':>9}")
    for name, updates, report in results:
        fields = report.overall.fields_json()
        cells = []
        for k in keys:
            entry = fields.get(k)
            cells.append(f"{entry.get('fuzzy_f1', entry['f1']) if entry else 0:>15.3f}")
        timing = report.timing()
        print(f"{name:<{width}}" + "".join(cells) + f"{report.overall.accuracy:>11.3f}"
              + f"{timing['seconds_per_page'] or 0:>9.2f}")
    print("\nF1 per field (fuzzy F1 for names); variants:")
    for name, updates, _ in results:
        print(f"  {name}: {updates or 'the configured defaults'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
