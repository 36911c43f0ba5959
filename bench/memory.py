"""Peak memory of one worker reading a long scanned PDF, against workers.max_memory_mb.

    .venv/bin/python bench/memory.py [--pages 300] [--dpi 200]

Builds an image-only PDF of PAGES scanned pages (generated, nothing from outside the repo),
reads it the way a worker does (`pipeline.process.analyse`, OCR page by page) in a child
process, samples the resident memory of that process and its Tesseract children every 0.2 s,
and prints a table. Pages are read one at a time, so the peak should not grow with the length.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing as mp
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


def _read(path: str, done) -> None:
    import os

    os.environ["OMP_THREAD_LIMIT"] = "1"
    from pipeline.process import analyse

    started = time.monotonic()
    result = analyse(Path(path), load_settings())
    done.send((result.pages, result.pages_ocr, time.monotonic() - started))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--dpi", type=int, default=200, help="resolution of the generated scan")
    args = parser.parse_args()
    settings = load_settings()
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "scan.pdf"
        print(f"building a {args.pages}-page scanned PDF …", file=sys.stderr)
        build(pdf, args.pages, args.dpi)
        size_mb = pdf.stat().st_size / 1048576
        parent, child = mp.Pipe()
        proc = mp.get_context("spawn").Process(target=_read, args=(str(pdf), child))
        proc.start()
        peak, samples = 0, 0
        while proc.is_alive():
            peak = max(peak, tree_rss(proc.pid))
            samples += 1
            time.sleep(0.2)
        pages, ocr_pages, seconds = parent.recv()
    bound = settings.workers.max_memory_mb
    print()
    print("| pages | OCR pages | file MB | read s | s/page | peak RSS MB (worker + Tesseract) | bound MB | within |")
    print("|---:|---:|---:|---:|---:|---:|---:|:---:|")
    print(f"| {pages} | {ocr_pages} | {size_mb:.1f} | {seconds:.0f} | {seconds / pages:.2f} | {peak / 1048576:.0f} "
          f"| {bound} | {'yes' if peak <= bound * 1048576 else 'NO'} |")


if __name__ == "__main__":
    main()
