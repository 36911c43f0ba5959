"""``archivio eval``: measure classification and field extraction on a labelled folder."""

from __future__ import annotations

import json
from pathlib import Path

import click
from tqdm import tqdm

from ..evaluate import SPLITS, evaluate, format_report, load_labels, select
from ..evaluate.score import compare
from ..extract import FIELDS
from .main import Context, cli, pass_ctx


@cli.command(name="eval")
@click.argument("corpus", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the figures as JSON to this file.")
@click.option("--jobs", "-j", type=click.IntRange(1), default=1, show_default=True,
              help="Files read in parallel (OCR is the slow part: one per core).")
@click.option("--limit", type=click.IntRange(1), help="Only the first N files of labels.jsonl.")
@click.option("--match", metavar="GLOB", help="Only files whose path matches, e.g. 'receipts-*/*'.")
@click.option("--split", type=click.Choice(SPLITS),
              help="Only one half of the groups (vendors, filers): 'study' for the half whose errors you "
                   "look at, 'measure' for the half you only measure. Fixed by a hash of each label's "
                   "group, so a document and its variants always fall on the same side.")
@click.option("--details", type=click.Path(dir_okay=False, path_type=Path),
              help="Write one JSON line per file: expected vs predicted class and fields, for error analysis.")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path), envvar="ARCHIVIO_EVAL_CACHE",
              help="Developers only: keep what reading (OCR) produced in this folder and reuse it while the "
                   "file, the OCR settings, the reading code and the Tesseract version are unchanged. Times then "
                   "exclude OCR, and the report says so. Also ARCHIVIO_EVAL_CACHE.")
@click.option("--given-class", is_flag=True,
              help="Extract each file's fields as its labelled class, to measure extraction apart from "
                   "classification (the classification figures are unchanged).")
@pass_ctx
def eval_command(ctx: Context, corpus: Path, json_out: Path | None, jobs: int, limit: int | None,
                 match: str | None, split: str | None, details: Path | None, cache_dir: Path | None, given_class: bool) -> None:
    """Run the pipeline on a labelled corpus and print how well it does.

    CORPUS is a folder with a labels.jsonl (one JSON object per file: "file" relative to
    the folder, "class", "fields", "scanned", "variant", "group"). Every listed file is
    read (OCR where needed), classified and its fields extracted, exactly as `archivio
    watch` would, but nothing is filed. Printed: classification accuracy and confusion
    matrix; per field (class.field) precision, recall, F1 and support, exact after
    normalisation plus a fuzzy score for names, addresses and parties; the same per
    corpus folder and born-digital vs scanned; time per page.

    \b
    Examples:
      archivio eval ~/corpora/dev --jobs 2 --json eval.json
      archivio eval ~/corpora/dev --match 'receipts-*/*' --limit 20
      archivio eval ~/corpora/dev --split study --details study.jsonl
    """
    settings = ctx.settings
    items = select(load_labels(corpus), limit=limit, match=match, split=split)
    if not items:
        raise click.UsageError("no labelled files selected")
    with tqdm(total=len(items), unit="file", desc="eval", dynamic_ncols=True) as bar:
        report = evaluate(corpus, settings, jobs=jobs, limit=limit, match=match, split=split, cache_dir=cache_dir,
                          given_class=given_class, on_done=lambda outcome: bar.update(1))
    click.echo(format_report(report))
    if given_class:
        click.echo("NOTE: fields were extracted as each file's labelled class (--given-class).")
    if json_out:
        json_out.write_text(json.dumps(report.to_json(), indent=2), encoding="utf-8")
        click.echo(f"figures written to {json_out}")
    if details:
        with details.open("w", encoding="utf-8") as fh:
            for item, outcome in report.outcomes:
                misses = {}
                for name, expected in item.fields.items():
                    if name not in FIELDS.get(item.doc_class, ()):
                        continue
                    got = outcome.fields.get(name, {}).get("value")
                    counts = compare(name, expected, got)
                    if counts.fn or counts.fp:
                        misses[name] = {"expected": expected, "got": got,
                                        "raw": outcome.fields.get(name, {}).get("raw")}
                fh.write(json.dumps({
                    "file": item.file, "class": item.doc_class, "predicted": outcome.doc_class,
                    "confidence": outcome.confidence, "misses": misses, "fields": outcome.fields,
                    "problems": outcome.problems, "error": outcome.error, "seconds": round(outcome.seconds, 2),
                }, ensure_ascii=False, default=str) + "\n")
        click.echo(f"per-file details written to {details}")
