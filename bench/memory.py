"""Peak memory of one worker reading a long scanned PDF, against workers.max_memory_mb.

    .venv/bin/python bench/memory.py [--pages 300] [--dpi 200]

Builds an image-only PDF of PAGES scanned pages (generated, nothing from outside the repo),
reads it the way a worker does (`pipeline.process.analyse`, OCR page by page) in a child
process, samples the resident memory of that process and its Tesseract children every 0.2 s,
and prints a table. Pages are read one at a time, so the peak should not grow with the length.
With --lent N the reader may borrow N idle workers' cores, as a pool worker does when the scan
arrives alone (``pipeline.cores``): N more pages in flight, each with its Tesseract. Every
--progress seconds it prints the pages OCRed so far and the peak up to then, so a run cut
short still says what it measured.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing as mp
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from PIL import Image  # noqa: E402

from docgen import degrade, italian_invoice, render  # noqa: E402
from pipeline.config import load_settings  # noqa: E402
from pipeline.workers import tree_rss  # noqa: E402


def build(path: Path, pages: int, dpi: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        sources = [render(italian_invoice(Path(tmp) / f"{i}.pdf", seed=i).path, dpi)[0] for i in range(5)]
    frames = []
    for i in range(pages):
        buf = io.BytesIO()
        degrade(sources[i % 5], seed=i).save(buf, "JPEG", quality=70)
        frames.append(Image.open(io.BytesIO(buf.getvalue())))
    frames[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=frames[1:])


def _read(path: str, done, pages_read, counts) -> None:
    import os

    os.environ["OMP_THREAD_LIMIT"] = "1"
    import pipeline.text.pdf as pdf
    from pipeline import cores
    from pipeline.process import analyse

    if counts is not None:
        cores.install(counts, 0)

    ocr_pdf_page = pdf._ocr_pdf_page

    def counted(*args, **kwargs):
        try:
            return ocr_pdf_page(*args, **kwargs)
        finally:
            pages_read.value += 1

    pdf._ocr_pdf_page = counted  # progress for the parent's report only
    started = time.monotonic()
    result = analyse(Path(path), load_settings())
    done.send((result.pages, result.pages_ocr, time.monotonic() - started))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--dpi", type=int, default=200, help="resolution of the generated scan")
    parser.add_argument("--progress", type=float, default=60.0, help="seconds between progress lines")
    parser.add_argument("--lent", type=int, default=0, help="idle workers' cores the reader may borrow")
    args = parser.parse_args()
    settings = load_settings()
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "scan.pdf"
        print(f"building a {args.pages}-page scanned PDF …", file=sys.stderr)
        build(pdf, args.pages, args.dpi)
        size_mb = pdf.stat().st_size / 1048576
        ctx = mp.get_context("spawn")
        parent, child = ctx.Pipe()
        pages_read = ctx.Value("i", 0)
        counts = None
        if args.lent:
            from pipeline import cores

            counts = cores.shared_counts(ctx, args.lent + 1)
            cores.publish_idle(counts, args.lent)
        proc = ctx.Process(target=_read, args=(str(pdf), child, pages_read, counts))
        started = time.monotonic()
        proc.start()
        peak, samples, told = 0, 0, started
        while proc.is_alive():
            peak = max(peak, tree_rss(proc.pid))
            samples += 1
            if time.monotonic() - told >= args.progress:
                told = time.monotonic()
                print(f"  {told - started:.0f} s: {pages_read.value} pages OCRed, peak RSS so far "
                      f"{peak / 1048576:.0f} MB, load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
            time.sleep(0.2)
        pages, ocr_pages, seconds = parent.recv()
    bound = settings.workers.max_memory_mb
    print()
    print("| pages | OCR pages | lent cores | file MB | read s | s/page | peak RSS MB (worker + Tesseract) | bound MB | within |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|:---:|")
    print(f"| {pages} | {ocr_pages} | {args.lent} | {size_mb:.1f} | {seconds:.0f} | {seconds / pages:.2f} "
          f"| {peak / 1048576:.0f} | {bound} | {'yes' if peak <= bound * 1048576 else 'NO'} |")


if __name__ == "__main__":
    main()
