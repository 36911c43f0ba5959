"""Photographed till slips read with both photo readings: is the second look's confidence as
telling as the whole readings'?

The dev corpus has 142 receipt photos, too few to tell one wrong total filed as sure from
another. Generated slips (tests/gen_slips.py: Malaysian, Italian and German till slips drawn
from traits, photographed clean, rough, rough in a thin Courier face, or in small print) are
as many as wanted. Each slip is rendered once, then read through the real pipeline
(``read_pages`` + ``analyse_pages``, real Tesseract) with ``ocr.photo_second_look`` off (three
whole readings, the default) and on (one reading, then the lines the judge asks for), and per
reading this counts: totals right / wrong / missing, wrong totals filed as sure (confidence at
or above the review threshold and not flagged invalid), right totals sent to review, dates and
merchants (fuzzy) right, and CPU seconds per slip (this process's, Tesseract included: the
engine runs in process, one OpenMP thread). CPU is noisy on a shared machine; compare the two
readings' figures of the same run, not across runs.

Usage:
    .venv/bin/python bench/second_look.py --seeds 20 --jobs 2 --out /tmp/look.jsonl
    .venv/bin/python bench/second_look.py --summary /tmp/look.jsonl     # the table again

Seeds are fixed (``--first-seed``), so two runs read the same photos.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

TODAY = dt.date(2025, 6, 1)
COURIER = "/usr/share/fonts/opentype/urw-base35/NimbusMonoPS-Regular.otf"
# How a slip is photographed: render() keywords.
VARIANTS = {
    "clean": {},
    "rough": {"rough": True},
    "courier": {"rough": True, "font": COURIER},
    "small": {"scale": 1.2},
}
READINGS = {"whole": False, "second_look": True}
FIELDS = ("total_amount", "date", "merchant_name")


def _work(job: tuple) -> dict | None:
    kind, seed, variant, folder, cache_dir, cached_only, *rest = job
    form, readings = rest if rest else (None, tuple(READINGS))
    from gen_slips import render, slip

    from pipeline.config import load_settings
    from pipeline.evaluate.cache import ReadCache
    from pipeline.evaluate.score import compare
    from pipeline.process import analyse_pages, read_pages

    settings = load_settings()
    threshold = settings.review.min_key_confidence
    if form:  # a date form gen_slips does not print (tests/gen_date_kinds.py)
        from gen_date_kinds import slip as date_form_slip
        s = date_form_slip(seed, kind, form)
    else:
        s = slip(seed, kind)
    photo = render(s, Path(folder) / f"{kind}-{seed}-{variant}-{(form or '').replace('/', '_')}.jpg", seed, **VARIANTS[variant])
    out = {"kind": kind, "seed": seed, "variant": variant, "traits": s.traits, "expected": s.fields}
    for name, second in READINGS.items():
        if name not in readings:
            continue
        chosen = settings.model_copy(update={"ocr": settings.ocr.model_copy(update={"photo_second_look": second})})
        cache = ReadCache(Path(cache_dir)) if cache_dir else None
        key = cache.key(photo, chosen) if cache else ""
        hit = cache.get(key) if cache else None
        spent = cache.folder / key[:2] / f"{key}.cpu" if cache else None
        if hit is not None and spent.exists():
            (media, pages), cpu = hit, float(spent.read_text())
        elif cached_only:
            return None
        else:
            started = time.process_time()
            media, pages = read_pages(photo, chosen)
            cpu = time.process_time() - started
            if cache:
                cache.put(key, media, pages)
                spent.write_text(f"{cpu:.3f}")
        analysis = analyse_pages(media, pages, chosen, today=TODAY)
        receipt = analysis.classification.doc_class == "receipt"
        got: dict = {"cpu": round(cpu, 3), "class": analysis.classification.doc_class,
                     "second_look": any(getattr(p, "alternate", None) is not None for p in pages)}
        for field in FIELDS:
            f = analysis.fields.get(field) if receipt else None
            right = compare(field, s.fields[field], f.value if f else None).fuzzy_tp == 1
            got[field] = {"value": f.value if f else None, "raw": f.raw if f else None,
                          "confidence": f.confidence if f else None, "valid": f.valid if f else None,
                          "right": right,
                          "sure": bool(f and f.confidence >= threshold and f.valid is not False)}
        out[name] = got
    return out


def summary(rows: list[dict]) -> str:
    lines = [f"{len(rows)} slips ({', '.join(f'{k} {v}' for k, v in sorted(Counter(r['variant'] for r in rows).items()))};"
             f" {', '.join(f'{k} {v}' for k, v in sorted(Counter(r['kind'] for r in rows).items()))})", ""]
    head = ("| reading | totals right | wrong | missing | wrong filed as sure | right sent to review |"
            " dates right | merchants right | CPU s/slip | photos read more than once |")
    lines += [head, "|" + "---|" * 10]
    present = [name for name in READINGS if rows and name in rows[0]]
    for name in present:
        t = [r[name]["total_amount"] for r in rows]
        right = sum(x["right"] for x in t)
        missing = sum(x["value"] is None for x in t)
        wrong = len(t) - right - missing
        lines.append(
            f"| {name} | {right} | {wrong} | {missing} | {sum(x['sure'] and not x['right'] and x['value'] is not None for x in t)}"
            f" | {sum(x['right'] and not x['sure'] for x in t)} | {sum(r[name]['date']['right'] for r in rows)}"
            f" | {sum(r[name]['merchant_name']['right'] for r in rows)}"
            f" | {sum(r[name]['cpu'] for r in rows) / max(1, len(rows)):.2f} | {sum(r[name]['second_look'] for r in rows)} |")
    # Per variant: where the readings part.
    lines += ["", "| variant | reading | totals right | wrong filed as sure | right sent to review | dates right |"
              " merchants right | CPU s/slip |", "|" + "---|" * 8]
    for variant in VARIANTS:
        part = [r for r in rows if r["variant"] == variant]
        for name in present if part else ():
            t = [r[name]["total_amount"] for r in part]
            lines.append(
                f"| {variant} ({len(part)}) | {name} | {sum(x['right'] for x in t)}"
                f" | {sum(x['sure'] and not x['right'] and x['value'] is not None for x in t)}"
                f" | {sum(x['right'] and not x['sure'] for x in t)} | {sum(r[name]['date']['right'] for r in part)}"
                f" | {sum(r[name]['merchant_name']['right'] for r in part)}"
                f" | {sum(r[name]['cpu'] for r in part) / len(part):.2f} |")
    return "\n".join(lines)


def date_forms(rows: list[dict]) -> str:
    """Dates per printed form (gen_date_kinds): right, wrong, wrong filed as sure, none found."""
    lines = ["| date form | reading | slips | right | right sent to review | wrong | wrong filed as sure | none |",
             "|" + "---|" * 8]
    for form in sorted({r["traits"].get("date_kind", "") for r in rows}):
        part = [r for r in rows if r["traits"].get("date_kind", "") == form]
        for name in (n for n in READINGS if n in part[0]):
            d = [r[name]["date"] for r in part]
            right = sum(x["right"] for x in d)
            none = sum(x["value"] is None for x in d)
            lines.append(f"| {form or 'gen_slips'} | {name} | {len(d)} | {right} | {sum(x['right'] and not x['sure'] for x in d)}"
                         f" | {len(d) - right - none} | {sum(x['sure'] and not x['right'] and x['value'] is not None for x in d)}"
                         f" | {none} |")
    return "\n".join(lines)


def differences(rows: list[dict]) -> str:
    """Slips whose total the two readings judge differently (right/wrong, sure/review)."""
    out = []
    for r in rows:
        a, b = r["whole"]["total_amount"], r["second_look"]["total_amount"]
        if (a["right"], a["sure"]) != (b["right"], b["sure"]):
            out.append(f"{r['kind']}-{r['seed']}-{r['variant']} expected {r['expected']['total_amount']}: "
                       f"whole {a['value']} ({a['confidence']}) second look {b['value']} ({b['confidence']}) "
                       f"{json.dumps(r['traits'])}")
    return "\n".join(out)


def _results(jobs: list, processes: int, work=None):
    """Each job's row as it is done (``work``, this bench's reading by default), in
    ``processes`` processes."""
    work = work or _work
    if processes <= 1:
        yield from map(work, jobs)
        return
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        yield from pool.imap_unordered(work, jobs)


def collect(jobs: list, processes: int, out: Path | None, folder: str, work=None) -> list[dict]:
    """The jobs' rows (those not None), each written to ``out`` as one JSON line as it comes;
    ``folder`` (the rendered images) removed at the end."""
    rows = []
    sink = out.open("w") if out else None
    try:
        for row in _results(jobs, processes, work):
            if row is None:
                continue
            rows.append(row)
            if sink:
                sink.write(json.dumps(row) + "\n")
                sink.flush()
    finally:
        if sink:
            sink.close()
        shutil.rmtree(folder, ignore_errors=True)
    return rows


def rows_for(args: argparse.Namespace, prefix: str, make_jobs, work=None) -> list[dict]:
    """The rows of an earlier ``--out`` file (``args.summary``), else those of the jobs
    ``make_jobs(folder)`` run now over ``args.jobs`` processes (images rendered in ``folder``)."""
    if args.summary:
        return [json.loads(line) for line in args.summary.read_text().splitlines() if line.strip()]
    # One OpenMP thread per reading, as the pipeline's workers run Tesseract.
    os.environ["OMP_THREAD_LIMIT"] = "1"
    folder = tempfile.mkdtemp(prefix=prefix)
    return collect(make_jobs(folder), args.jobs, args.out, folder, work)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=20, help="slips per kind and variant")
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--kinds", default="my,it,de")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--date-forms", help="comma-separated forms of tests/gen_date_kinds.py ('all': every one):"
                        " each slip's date printed in each form; the table then counts dates per form")
    parser.add_argument("--readings", default=",".join(READINGS), help="which readings to run (whole, second_look)")
    parser.add_argument("--out", type=Path, help="write one JSON line per slip here")
    parser.add_argument("--cache", type=Path, help="keep each reading here (the eval read-cache: keyed by the photo,"
                        " the OCR settings and the reading code) to re-score extraction changes without OCR;"
                        " CPU is then the first reading's")
    parser.add_argument("--cached-only", action="store_true", help="with --cache: score only the slips already read")
    parser.add_argument("--summary", type=Path, help="only print the tables of an earlier --out file")
    parser.add_argument("--differences", action="store_true", help="also list the slips whose totals the readings judge differently")
    args = parser.parse_args()
    forms: list = [None]
    if args.date_forms:
        from gen_date_kinds import ALL_FORMS
        forms = list(ALL_FORMS) if args.date_forms == "all" else args.date_forms.split(",")
    readings = tuple(args.readings.split(","))
    rows = rows_for(args, "second-look-", lambda folder: [
        (kind, seed, variant, folder, str(args.cache) if args.cache else None, args.cached_only, form, readings)
        for form in forms for variant in args.variants.split(",")
        for kind in args.kinds.split(",") for seed in range(args.first_seed, args.first_seed + args.seeds)])
    rows.sort(key=lambda r: (r["variant"], r["kind"], r["seed"]))
    print(summary(rows))
    if any("date_kind" in r["traits"] for r in rows):
        print()
        print(date_forms(rows))
    if args.differences:
        print()
        print(differences(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
