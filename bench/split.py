"""How well are stacks split? Builds stacks of 2-10 documents from a corpus's scans and scores
the boundaries found against the truth: with separator sheets (Code 128, QR, PATCH T, found by
zxing-cpp / bar measurement before OCR) and without (``split.by_content``: simplex, duplex with
blank backs, blank page between documents, and "one paper": every page as a scanner set to A4 gives it, so
that no boundary comes from the paper size).

    .venv/bin/python bench/split.py ../shared/corpus --sources 24 --stacks 30 --cache /tmp/split-pages

Each source document is read ONCE (real Tesseract, the pipeline's reading) and its pages are
reused in every stack it appears in (a stack's page is the same image either way); separator
sheets and blank pages are real generated scans, looked at by the real survey. The OCR seconds
per page and the survey's seconds per page (barcodes + blank look, before OCR) are measured in
the same run on the same pages: the ratio is the figure (the machine is shared, absolute
seconds are noisy).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import pickle
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import pypdfium2 as pdfium  # noqa: E402
from PIL import Image, ImageOps  # noqa: E402

from gen_stacks import blank_page, separator_sheet, write_pdf  # noqa: E402
from docgen import degrade  # noqa: E402
from pipeline.config import load_settings  # noqa: E402
from pipeline.process import read_pages  # noqa: E402
from pipeline.records import Page  # noqa: E402
from pipeline.split import plan_parts, survey_pages  # noqa: E402

KINDS = ("code128", "qr", "patch_t")
FOLDERS = ("invoices-it", "invoices-i2d", "invoices-zugferd", "contracts-it", "contracts-cuad", "contracts-nda",
           "receipts-de")


def sources(corpus: Path, count: int, seed: int) -> list[dict]:
    """Scanned documents of every kind, at most 3 pages, picked with a seed."""
    labels = [json.loads(line) for line in (corpus / "labels.jsonl").read_text().splitlines() if line.strip()]
    pool = [d for d in labels if d.get("scanned") and d["file"].split("/")[0] in FOLDERS
            and (d.get("pages") or 1) <= 3 and d.get("variant") in ("scan", "rough", "original")]
    rng = random.Random(seed)
    by_folder: dict[str, list[dict]] = {}
    for d in pool:
        by_folder.setdefault(d["file"].split("/")[0], []).append(d)
    for items in by_folder.values():
        rng.shuffle(items)
    picked: list[dict] = []
    while len(picked) < count and any(by_folder.values()):
        for items in by_folder.values():
            if items and len(picked) < count:
                picked.append(items.pop())
    return picked


def page_images(path: Path, dpi: int) -> list[Image.Image]:
    if path.suffix.lower() == ".pdf":
        pdf = pdfium.PdfDocument(str(path))
        try:
            return [pdf[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(pdf))]
        finally:
            pdf.close()
    with Image.open(path) as image:
        return [ImageOps.exif_transpose(image).convert("L")]


def read_once(corpus: Path, items: list[dict], settings, cache: Path | None) -> dict[str, tuple[list[Page], float]]:
    """Each source's pages (OCR) and the seconds reading took, from the cache when there."""
    out = {}
    for n, item in enumerate(items, 1):
        key = item["file"].replace("/", "__")
        cached = cache / f"{key}.pickle" if cache else None
        if cached and cached.exists():
            out[item["file"]] = pickle.loads(cached.read_bytes())
            continue
        started = time.monotonic()
        _, pages = read_pages(corpus / item["file"], settings)
        out[item["file"]] = (pages, time.monotonic() - started)
        print(f"  read {n}/{len(items)} {item['file']}: {len(pages)} page(s) in {out[item['file']][1]:.1f} s",
              file=sys.stderr)
        if cached:
            cached.write_bytes(pickle.dumps(out[item["file"]]))
    return out


A4_PIXELS = (2480, 3508)  # A4 at 300 dpi


def one_paper(page: Page) -> Page:
    """``page`` as a scanner fixed to A4 gives it: the page A4 (orientation kept), its words
    where they were on the sheet, drawn to scale (a receipt keeps its narrow column of text)."""
    width, height = A4_PIXELS if page.height >= page.width else A4_PIXELS[::-1]
    if page.width <= 0 or page.height <= 0:
        return page
    # The sheet fitted inside A4 at one scale, as the paper lies on the glass.
    scale = min(width / page.width, height / page.height)
    words = [dataclasses.replace(w, x0=w.x0 * scale, y0=w.y0 * scale, x1=w.x1 * scale, y1=w.y1 * scale)
             for w in page.words]
    return dataclasses.replace(page, width=float(width), height=float(height), words=words)


def score(found: set[int], truth: set[int]) -> tuple[int, int, int]:
    return len(found & truth), len(found - truth), len(truth - found)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="the corpus folder (with labels.jsonl)")
    parser.add_argument("--sources", type=int, default=24, help="scanned documents to build stacks from")
    parser.add_argument("--stacks", type=int, default=30, help="stacks per mode")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--dpi", type=int, default=150, help="resolution of the generated stack pages")
    parser.add_argument("--cache", type=Path, help="keep each source's OCR here between runs")
    parser.add_argument("--show-errors", action="store_true", help="print every wrong or missed boundary")
    parser.add_argument("--content-only", action="store_true",
                        help="score only the content rules on the pages read, without writing and surveying "
                             "the stacks (quick, for trying rules; the separator mode and the survey are skipped)")
    args = parser.parse_args()
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)

    settings = load_settings(overrides={"split.by_content": True})
    items = sources(args.corpus, args.sources, args.seed)
    print(f"reading {len(items)} source documents once (real OCR)…", file=sys.stderr)
    read = read_once(args.corpus, items, settings, args.cache)
    images = {item["file"]: page_images(args.corpus / item["file"], args.dpi) for item in items}
    for item in items:  # the stack shows the pages reading saw
        images[item["file"]] = images[item["file"]][:len(read[item["file"]][0])]
    ocr_pages = sum(len(p) for p, _ in read.values())
    ocr_seconds = sum(s for _, s in read.values())

    rng = random.Random(args.seed)
    modes = ("separators", "content-simplex", "content-duplex", "content-blank-between", "content-one-paper")
    totals = {m: [0, 0, 0] for m in modes}
    survey_seconds, survey_pages_seen = 0.0, 0
    dropped_ok = {m: [0, 0] for m in modes}  # pages that had to be dropped: dropped, all
    errors: list[str] = []
    with tempfile.TemporaryDirectory(prefix="archivio-split-bench-") as tmp:
        for s in range(args.stacks):
            docs = rng.sample(items, min(len(items), rng.randint(2, 10)))
            for mode in modes:
                pages: list[Page] = []
                stack_images: list[Image.Image] = []
                truth_starts: set[int] = set()
                must_drop: set[int] = set()
                for i, doc in enumerate(docs):
                    read_pages_of = read[doc["file"]][0]
                    if mode == "content-one-paper":
                        # A scanner set to one paper size: every sheet, receipts too, comes out
                        # A4; the rules must tell documents apart without the paper.
                        read_pages_of = [one_paper(p) for p in read_pages_of]
                    if i and mode == "separators":
                        stack_images.append(degrade(separator_sheet(KINDS[s % 3], args.dpi), rng.randint(0, 10**6)))
                        pages.append(Page(number=len(stack_images), width=0, height=0, method="empty"))
                        must_drop.add(len(stack_images))
                    if i and mode == "content-blank-between":
                        stack_images.append(degrade(blank_page(args.dpi), rng.randint(0, 10**6), angle=0))
                        pages.append(Page(number=len(stack_images), width=0, height=0, method="empty"))
                        must_drop.add(len(stack_images))
                    for k, (page, image) in enumerate(zip(read_pages_of, images[doc["file"]])):
                        stack_images.append(image)
                        pages.append(dataclasses.replace(page, number=len(stack_images)))
                        if k == 0 and i:
                            truth_starts.add(len(stack_images))
                        if mode == "content-duplex":
                            stack_images.append(degrade(blank_page(args.dpi), rng.randint(0, 10**6), angle=0))
                            pages.append(Page(number=len(stack_images), width=0, height=0, method="empty"))
                            must_drop.add(len(stack_images))
                if args.content_only and mode == "separators":
                    continue  # made all the same, so that the random stacks are those of a full run
                split = settings.split if mode != "separators" else settings.split.model_copy(update={"by_content": False})
                separators: dict[int, str] = {}
                if not args.content_only:
                    path = Path(tmp) / f"stack-{s}-{mode}.pdf"
                    write_pdf(stack_images, path, args.dpi)
                    started = time.monotonic()
                    separators = survey_pages(path, "application/pdf", split, max_pages=1000).separators
                    survey_seconds += time.monotonic() - started
                    survey_pages_seen += len(stack_images)
                # A page the survey did not skip is read: generated separator/blank pages were not
                # read once above, so a miss leaves them as what OCR of an empty page gives.
                run_settings = settings if mode != "separators" else settings.model_copy(update={"split": split})
                plan = plan_parts(pages, separators, run_settings)
                found = {part.pages[0] for part in plan.parts[1:]}
                tp, fp, fn = score(found, truth_starts)
                for k, v in zip(range(3), (tp, fp, fn)):
                    totals[mode][k] += v
                dropped_ok[mode][0] += len(must_drop & set(plan.dropped))
                dropped_ok[mode][1] += len(must_drop)
                if fp or fn:
                    names = [d["file"] for d in docs]
                    errors.append(f"{mode} stack {s} {names}: extra {sorted(found - truth_starts)} missed "
                                  f"{sorted(truth_starts - found)}; decisions: {plan.decisions}")

    print(f"\nstacks per mode: {args.stacks} (2-10 documents each, from {len(items)} scanned corpus documents)")
    print(f"{'mode':24} {'boundaries':>10} {'precision':>10} {'recall':>8} {'dropped':>10}")
    for mode in modes:
        if args.content_only and mode == "separators":
            continue
        tp, fp, fn = totals[mode]
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        dropped = f"{dropped_ok[mode][0]}/{dropped_ok[mode][1]}" if dropped_ok[mode][1] else "-"
        print(f"{mode:24} {tp + fn:>10} {precision:>10.3f} {recall:>8.3f} {dropped:>10}")
    if survey_pages_seen:
        print(f"\nsurvey before OCR: {survey_seconds / survey_pages_seen:.3f} s/page; OCR: {ocr_seconds / ocr_pages:.2f} "
              f"s/page (ratio {survey_seconds / survey_pages_seen / (ocr_seconds / ocr_pages):.3f}; shared machine; "
              "OCR seconds are those of the run that filled the cache when --cache was given)")
    if args.show_errors:
        print("\n" + "\n".join(errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
