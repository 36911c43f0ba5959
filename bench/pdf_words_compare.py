"""Words of born-digital pages: pdfplumber's extract_words against Archivio's PDFium reading.

    .venv/bin/python bench/pdf_words_compare.py CORPUS [--limit N]

For every born-digital PDF under CORPUS's `contracts-*/` and `invoices-*/` folders (not the
`.scan`/`.rough` variants), counts the pages whose words (as a multiset of texts) are identical,
the largest box difference on those, both tools' time in the same run, and lists the pages
that differ.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipeline.text.pdfwords import read_layer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int, help="only the first N files")
    args = parser.parse_args()
    files = sorted(p for p in args.corpus.glob("[ci][on][nv]*-*/*.pdf") if p.name.count(".") == 1)[: args.limit]
    plumber_s = pdfium_s = 0.0
    pages = identical = 0
    errors: list[float] = []
    diffs = []
    for path in files:
        with pdfplumber.open(path) as plumber:
            document = pdfium.PdfDocument(str(path))
            try:
                for i, plumber_page in enumerate(plumber.pages):
                    started = time.perf_counter()
                    want = plumber_page.extract_words()
                    plumber_s += time.perf_counter() - started
                    started = time.perf_counter()
                    have = read_layer(document[i]).words
                    pdfium_s += time.perf_counter() - started
                    pages += 1
                    a = collections.Counter(w["text"] for w in want)
                    b = collections.Counter(w.text for w in have)
                    if a != b:
                        diffs.append((path.relative_to(args.corpus), i + 1, dict(a - b), dict(b - a)))
                        continue
                    identical += 1
                    key_a = sorted(want, key=lambda w: (w["text"], round(w["top"]), w["x0"]))
                    key_b = sorted(have, key=lambda w: (w.text, round(w.y0), w.x0))
                    errors += [max(abs(x["x0"] - y.x0), abs(x["x1"] - y.x1), abs(x["top"] - y.y0),
                                   abs(x["bottom"] - y.y1)) for x, y in zip(key_a, key_b)]
            finally:
                document.close()
    errors.sort()
    print(f"{len(files)} files, {pages} pages: identical words on {identical}; "
          f"pdfplumber {plumber_s:.1f} s, PDFium {pdfium_s:.1f} s (ratio {plumber_s / max(pdfium_s, 1e-9):.1f})")
    if errors:
        print(f"box difference on identical pages: median {errors[len(errors) // 2]:.2f} pt, "
              f"p99 {errors[int(len(errors) * 0.99)]:.2f} pt, max {errors[-1]:.2f} pt")
    for diff in diffs:
        print(*diff)


if __name__ == "__main__":
    main()
