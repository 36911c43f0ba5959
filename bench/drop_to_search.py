"""Time from dropping a one-page scan into the inbox to finding it with `archivio search`.

    .venv/bin/python bench/drop_to_search.py [--runs 5] [--settle 2.0]

Starts a real `archivio watch` on a temporary office (embedded default: local store, SQLite
index), drops RUNS generated one-page scanned invoices one at a time (image-only PDF, 200 dpi,
read by Tesseract at 300 dpi), and polls the index for each invoice's number until it is found.
The time includes the settle time (a file is taken once unchanged for `watch.settle_seconds`),
OCR, classification, extraction, filing and indexing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from docgen import italian_invoice, scan_pdf  # noqa: E402
from pipeline.index import SearchQuery, SqliteIndex  # noqa: E402


def make_scans(root: Path, runs: int) -> list[tuple[Path, str]]:
    """RUNS one-page scanned invoices, each with the VAT number that finds it."""
    root.mkdir(parents=True, exist_ok=True)
    scans = []
    for i in range(runs):
        doc = italian_invoice(root / f"src-{i}.pdf", seed=900 + i)
        scans.append((scan_pdf(doc.path, root / f"scan-{i}.pdf", seed=i), doc.fields["vendor_vat"]))
    return scans


def drop_times(root: Path, scans: list[tuple[Path, str]], settle: float,
               before_each: Callable[[Path], None] | None = None) -> list[float]:
    """Seconds from each drop to the document being found, one drop at a time; ``before_each``
    runs on each scan just before it is dropped (the raw tool, timed under the same load)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVIO_")}
    for name in ("inbox", "processed", "quarantine", "duplicates", "data"):
        env[f"ARCHIVIO_PATHS_{name.upper()}"] = str(root / name)
    env["ARCHIVIO_WATCH_SETTLE_SECONDS"] = str(settle)
    (root / "inbox").mkdir(parents=True, exist_ok=True)
    watcher = subprocess.Popen([sys.executable, "-m", "pipeline", "watch"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # Started once it reports its status (a loaded machine takes far more than a few seconds).
        started = time.monotonic()
        while not (root / "data" / "watch-status.json").exists() and time.monotonic() - started < 300:
            time.sleep(0.2)
        time.sleep(2)  # workers up
        index = SqliteIndex(root / "data" / "index.sqlite3")
        times = []
        for scan, vat in scans:
            if before_each is not None:
                before_each(scan)
            started = time.monotonic()
            shutil.copy(scan, root / "inbox" / scan.name)
            while not index.search(SearchQuery(text=vat, facets=False)).total:
                if time.monotonic() - started > 300:
                    raise SystemExit(f"{scan.name} not searchable after 300 s")
                time.sleep(0.1)
            times.append(time.monotonic() - started)
            print(f"{scan.name}: searchable after {times[-1]:.2f} s", file=sys.stderr)
    finally:
        watcher.terminate()
        watcher.wait(60)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--settle", type=float, default=2.0, help="watch.settle_seconds (default as shipped)")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="archivio-bench-"))
    try:
        times = drop_times(root, make_scans(root / "docs", args.runs), args.settle)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print()
    print("| runs | settle s | median s | min s | max s |")
    print("|---:|---:|---:|---:|---:|")
    print(f"| {len(times)} | {args.settle} | {statistics.median(times):.2f} | {min(times):.2f} | {max(times):.2f} |")


if __name__ == "__main__":
    main()
