"""What does the archive copy cost? For scanned documents of a corpus: seconds per page to build
the searchable PDF/A copy from the pages read, against the seconds per page OCR took to read
them, measured in the same run on the same files (the ratio is the figure: the machine is
shared and absolute seconds are noisy). Also the copy's size against the original's.

    .venv/bin/python bench/copies.py ../shared/corpus --limit 8
    .venv/bin/python bench/copies.py ../shared/corpus --match 'receipts-de/*' --limit 4
"""

from __future__ import annotations

import argparse
import datetime as dt
import fnmatch
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.config import load_settings  # noqa: E402
from pipeline.copies import build_copy, wants_copy  # noqa: E402
from pipeline.process import read_pages  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="the corpus folder (with labels.jsonl)")
    parser.add_argument("--match", help="only files whose path matches this glob")
    parser.add_argument("--limit", type=int, default=8)
    args = parser.parse_args()

    settings = load_settings()
    labels = [json.loads(line) for line in (args.corpus / "labels.jsonl").read_text().splitlines() if line.strip()]
    items = [d for d in labels if d.get("scanned") and (not args.match or fnmatch.fnmatch(d["file"], args.match))]
    # One of each folder in turn, so a short run still sees PDFs and photos.
    by_folder: dict[str, list[dict]] = {}
    for d in items:
        by_folder.setdefault(d["file"].split("/")[0], []).append(d)
    picked: list[dict] = []
    while len(picked) < args.limit and any(by_folder.values()):
        for group in by_folder.values():
            if group and len(picked) < args.limit:
                picked.append(group.pop(0))

    rows = []
    with tempfile.TemporaryDirectory(prefix="archivio-copy-bench-") as tmp:
        for item in picked:
            path = args.corpus / item["file"]
            started = time.monotonic()
            media_type, pages = read_pages(path, settings)
            ocr = time.monotonic() - started
            if not wants_copy(media_type, pages, born_digital=False):
                continue
            dest = Path(tmp) / "copy.pdf"
            started = time.monotonic()
            build_copy(path, media_type, pages, dest, title=path.name, created=dt.datetime.now(dt.timezone.utc),
                       timeout=300)
            copy = time.monotonic() - started
            rows.append((item["file"], len(pages), ocr, copy, path.stat().st_size, dest.stat().st_size))
            print(f"{item['file']:44} {len(pages):>2} p  OCR {ocr / len(pages):6.2f} s/p  copy {copy / len(pages):6.3f} s/p"
                  f"  ratio {copy / ocr:6.3f}  size x{dest.stat().st_size / path.stat().st_size:5.2f}", flush=True)
    if not rows:
        print("no scanned document matched")
        return 1
    pages = sum(r[1] for r in rows)
    ocr, copy = sum(r[2] for r in rows), sum(r[3] for r in rows)
    print(f"\n{len(rows)} documents, {pages} pages: OCR {ocr / pages:.2f} s/page, copy {copy / pages:.3f} s/page, "
          f"copy/OCR ratio {copy / ocr:.3f} (same run; shared machine, absolute seconds are noisy); "
          f"size copy/original x{sum(r[5] for r in rows) / sum(r[4] for r in rows):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
