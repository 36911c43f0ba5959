"""Distributed mode's scaling: pages per minute of 1 vs 2 `archivio worker` processes.

    eval "$(tests/services/redis/service.sh start)"; eval "$(tests/services/seaweedfs/service.sh start)"
    eval "$(tests/services/elasticsearch/service.sh start)"
    .venv/bin/python bench/scale.py [--pages 12] [--long 40] [--dpi 150]

On the same generated batch of one-page scans (image-only PDFs, OCR on every page) it runs
`archivio watch` with 1, then 2 workers (each its own process and empty working directory,
sharing only Redis, S3 and Elasticsearch) and times drop → last record filed. Beside it, in the
same run and on the same page images, the raw tool: `tesseract` on every page one at a time and
two at a time, which says what parallelism the machine gives right now (it is shared: absolute
times are noisy; compare the ratios). Then the queue overhead per document (sent by the watcher →
taken by a worker, from the workers' logs) p50/p95, and a LONG-page scan read by one worker whole
vs split into parts over two workers.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import boto3  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402
from botocore.config import Config  # noqa: E402

import gen_distributed  # noqa: E402
from cluster import Cluster, cluster_env  # noqa: E402


def need(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        sys.exit(f"{name} is not set: start the services as the docstring says (bench/scale.py --help)")
    return value


def s3():
    return boto3.client("s3", endpoint_url=need("ARCHIVIO_TEST_S3_ENDPOINT"),
                        aws_access_key_id=need("ARCHIVIO_TEST_S3_ACCESS_KEY"),
                        aws_secret_access_key=need("ARCHIVIO_TEST_S3_SECRET_KEY"), region_name="us-east-1",
                        config=Config(s3={"addressing_style": "path"}))


def run(base: Path, files: list[Path], workers: int, *, dpi: int, split_pages: int,
        one_by_one: bool = False) -> tuple[float, list[float]]:
    """Seconds from drop to the last record filed, and each document's queue wait (``one_by_one``:
    each file dropped once the previous one is filed, so the wait is the queue's own latency)."""
    client = s3()
    prefix = f"scale-{uuid.uuid4().hex[:10]}/"
    env = cluster_env(base / "office", broker=need("ARCHIVIO_TEST_REDIS_URL"), s3_endpoint=need("ARCHIVIO_TEST_S3_ENDPOINT"),
                      access_key=need("ARCHIVIO_TEST_S3_ACCESS_KEY"), secret_key=need("ARCHIVIO_TEST_S3_SECRET_KEY"),
                      bucket=BUCKET, prefix=prefix, es_url=need("ARCHIVIO_TEST_ES_URL"), es_prefix=f"scale-{uuid.uuid4().hex[:8]}",
                      ARCHIVIO_QUEUE_NAME=f"scale-{uuid.uuid4().hex[:8]}", ARCHIVIO_OCR_DPI=str(dpi),
                      ARCHIVIO_QUEUE_SPLIT_PAGES=str(split_pages), ARCHIVIO_QUEUE_SPLIT_PART="5",
                      ARCHIVIO_WORKERS_DOCUMENT_TIMEOUT="1800")
    cluster = Cluster(base, env)
    try:
        cluster.start_watch()
        for n in range(workers):
            cluster.start_worker(f"w{n}")
        deadline = time.monotonic() + 120
        while not all(" ready." in cluster.log(f"w{n}") for n in range(workers)):
            if time.monotonic() > deadline:
                sys.exit("workers did not start: see " + str(base))
            time.sleep(0.2)
        time.sleep(1)
        started = time.monotonic()
        for n, path in enumerate(files, 1):
            shutil.copy(path, cluster.office / "inbox" / path.name)
            while one_by_one and client.list_objects_v2(Bucket=BUCKET, Prefix=prefix + "records/").get("KeyCount", 0) < n:
                time.sleep(0.1)
        while client.list_objects_v2(Bucket=BUCKET, Prefix=prefix + "records/").get("KeyCount", 0) < len(files):
            time.sleep(0.25)
        elapsed = time.monotonic() - started
    finally:
        cluster.stop()
    waits = [float(m) for n in range(workers) for m in re.findall(r"waited ([\d.]+) s in the queue", cluster.log(f"w{n}"))]
    return elapsed, waits


def raw_tesseract(images: list[Path], parallel: int) -> float:
    def one(image: Path) -> None:
        subprocess.run(["tesseract", str(image), "-", "-l", "ita+eng"], check=True, capture_output=True,
                       env={**os.environ, "OMP_THREAD_LIMIT": "1"})

    started = time.monotonic()
    with ThreadPoolExecutor(parallel) as pool:
        list(pool.map(one, images))
    return time.monotonic() - started


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) >= 2 else (values[0] if values else 0.0)


BUCKET = "archivio-scale"  # one bucket, a prefix per run: every bucket costs the S3 server volumes


def main() -> None:
    # SIGTERM ends the runs through their ``finally``, so no watcher or worker is left behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=12, help="one-page scans in the batch (0: skip)")
    parser.add_argument("--long", type=int, default=40, help="pages of the long scan (0: skip)")
    parser.add_argument("--overhead", type=int, default=20, help="documents dropped one at a time for the queue overhead")
    parser.add_argument("--dpi", type=int, default=150, help="ocr.dpi: PDF pages are rendered at this resolution for OCR")
    args = parser.parse_args()
    try:
        s3().create_bucket(Bucket=BUCKET)
    except s3().exceptions.BucketAlreadyOwnedByYou:
        pass
    with tempfile.TemporaryDirectory(prefix="archivio-scale-") as tmp:
        work = Path(tmp)
        if args.pages:
            scaling(work, args)
        overhead(work, args)
        if args.long:
            long_scan(work, args)


def scaling(work: Path, args: argparse.Namespace) -> None:
    batch = gen_distributed.batch(work / "batch", args.pages, scans=args.pages)
    images = []
    for path in batch:
        pdf = pdfium.PdfDocument(str(path))
        image = work / f"{path.stem}.png"
        pdf[0].render(scale=args.dpi / 72, grayscale=True).to_pil().save(image)
        pdf.close()
        images.append(image)
    raw1 = raw_tesseract(images, 1)
    raw2 = raw_tesseract(images, 2)
    one, waits1 = run(work / "one", batch, 1, dpi=args.dpi, split_pages=0)
    two, waits2 = run(work / "two", batch, 2, dpi=args.dpi, split_pages=0)
    ppm = lambda seconds: args.pages / seconds * 60  # noqa: E731
    print(f"\nbatch: {args.pages} one-page scans, ocr.dpi {args.dpi}, load average now "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (shared machine: compare ratios)\n")
    print("| run | seconds | pages/min | ratio to 1 |")
    print("|---|---:|---:|---:|")
    print(f"| raw tesseract, 1 at a time | {raw1:.1f} | {ppm(raw1):.1f} | 1.00 |")
    print(f"| raw tesseract, 2 at a time | {raw2:.1f} | {ppm(raw2):.1f} | {raw1 / raw2:.2f} |")
    print(f"| archivio, 1 worker | {one:.1f} | {ppm(one):.1f} | 1.00 |")
    print(f"| archivio, 2 workers | {two:.1f} | {ppm(two):.1f} | {one / two:.2f} |")
    print(f"\narchivio 1 worker vs raw tesseract 1 at a time: {raw1 / one:.2f} of the raw rate "
          f"(render + OSD + classify + extract + store + index on top of the OCR)")
    print(f"waiting in the batch above (sent → taken, behind other documents): p50 "
          f"{pct(waits2, 50):.0f} s with 2 workers, {pct(waits1, 50):.0f} s with 1")


def overhead(work: Path, args: argparse.Namespace) -> None:
    quick = gen_distributed.batch(work / "quick", args.overhead, scans=0, seed=7000)
    _, waits = run(work / "overhead", quick, 2, dpi=args.dpi, split_pages=0, one_by_one=True)
    if waits:
        print(f"queue overhead per document (sent by the watcher → taken by an idle worker, "
              f"{len(waits)} born-digital documents one at a time): p50 {pct(waits, 50) * 1000:.0f} ms, "
              f"p95 {pct(waits, 95) * 1000:.0f} ms")


def long_scan(work: Path, args: argparse.Namespace) -> None:
    (work / "long").mkdir()
    scan = gen_distributed.long_scan(work / "long" / "long-scan.pdf", args.long)
    whole, _ = run(work / "long-one", [scan], 1, dpi=args.dpi, split_pages=0)
    split, _ = run(work / "long-two", [scan], 2, dpi=args.dpi, split_pages=args.long)
    print(f"\n| {args.long}-page scan | seconds | ratio |")
    print("|---|---:|---:|")
    print(f"| 1 worker, whole | {whole:.1f} | 1.00 |")
    print(f"| 2 workers, parts of 5 pages | {split:.1f} | {whole / split:.2f} |")


if __name__ == "__main__":
    main()
