"""Put/get throughput of ``S3Store`` against raw boto3 doing the same transfers, in the same run.

Both sides upload files from disk and download them to disk with the same transfer settings
(multipart threshold, part size, concurrency) and the same client configuration (retries,
timeouts, addressing), against the same bucket. The raw side is what a bare
``upload_file``/``download_file`` does with botocore's defaults (CRC32 checksums); the store
adds what the archive needs: SHA-256 hashing of every byte both ways, the SHA-256 checksum the
server verifies, a HEAD before each put (idempotent writes, retention check) and before each
get (expected checksum, version pinning). The ratio column is our overhead: store time / raw time.

Usage (starts and stops SeaweedFS itself unless ARCHIVIO_TEST_S3_ENDPOINT is set):

    .venv/bin/python bench/store.py
    .venv/bin/python bench/store.py --small 100 --large 5
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.config import load_settings  # noqa: E402
from pipeline.store.local import sha256_file  # noqa: E402
from pipeline.store.s3 import S3Store  # noqa: E402

SERVICE = ROOT / "tests" / "services" / "seaweedfs" / "service.sh"


def server() -> tuple[dict[str, str], bool]:
    """The S3 server's address and keys; start SeaweedFS when none is given."""
    if os.environ.get("ARCHIVIO_TEST_S3_ENDPOINT"):
        return {k: v for k, v in os.environ.items() if k.startswith("ARCHIVIO_TEST_S3_")}, False
    out = subprocess.run([str(SERVICE), "start"], check=True, capture_output=True, text=True).stdout
    env = {}
    for line in out.splitlines():
        if line.startswith("export "):
            name, _, value = line[len("export "):].partition("=")
            env[name] = shlex.split(value)[0]
    return env, True


def make_file(folder: Path, size: int) -> Path:
    path = folder / f"obj-{uuid.uuid4().hex[:8]}"
    with path.open("wb") as fh:
        left = size
        while left:
            block = os.urandom(min(left, 1 << 20))
            fh.write(block)
            left -= len(block)
    return path


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run(env: dict[str, str], small_n: int, large_n: int) -> list[tuple]:
    settings = load_settings(env={}, overrides={
        "store.backend": "s3", "store.endpoint_url": env["ARCHIVIO_TEST_S3_ENDPOINT"],
        "store.access_key_id": env["ARCHIVIO_TEST_S3_ACCESS_KEY"],
        "store.secret_access_key": env["ARCHIVIO_TEST_S3_SECRET_KEY"],
        "store.bucket": f"bench-{uuid.uuid4().hex[:8]}", "store.addressing_style": "path"})
    s = settings.store
    raw = boto3.client("s3", endpoint_url=s.endpoint_url, aws_access_key_id=s.access_key_id,
                       aws_secret_access_key=s.secret_access_key.get_secret_value(), region_name=s.region,
                       config=Config(retries={"mode": s.retry_mode, "max_attempts": s.max_attempts},
                                     connect_timeout=s.connect_timeout, read_timeout=s.read_timeout,
                                     s3={"addressing_style": s.addressing_style},
                                     max_pool_connections=max(10, s.max_concurrency * 2)))
    raw.create_bucket(Bucket=s.bucket, ObjectLockEnabledForBucket=True)
    transfer = TransferConfig(multipart_threshold=s.multipart_threshold_mb << 20,
                              multipart_chunksize=s.multipart_chunk_mb << 20, max_concurrency=s.max_concurrency,
                              preferred_transfer_client="classic")
    store = S3Store(s)
    store.check()

    rows = []
    with tempfile.TemporaryDirectory(prefix="archivio-bench-") as tmp:
        folder = Path(tmp)
        for label, size, n in (("100 KB", 100_000, small_n), ("50 MB", 50 * 1_000_000, large_n)):
            times = {(side, op): [] for side in ("raw", "store") for op in ("put", "get", "put again")}
            for i in range(n):
                src = make_file(folder, size)
                sha = sha256_file(src)
                dest = folder / "back"
                raw_key, store_key = f"raw/{sha}-{i}", f"store/{sha}-{i}"
                # Alternate who goes first so that caches and warm-up favour neither side.
                order = ("raw", "store") if i % 2 == 0 else ("store", "raw")
                for side in order:
                    if side == "raw":
                        times["raw", "put"].append(timed(lambda: raw.upload_file(str(src), s.bucket, raw_key,
                                                                                 Config=transfer)))
                        times["raw", "get"].append(timed(lambda: raw.download_file(s.bucket, raw_key, str(dest),
                                                                                   Config=transfer)))
                        times["raw", "put again"].append(timed(lambda: raw.upload_file(
                            str(src), s.bucket, raw_key, Config=transfer)))
                    else:
                        times["store", "put"].append(timed(lambda: store.put_file(store_key, src, sha256=sha)))
                        times["store", "get"].append(timed(lambda: store.get_file(store_key, dest, sha256=sha)))
                        times["store", "put again"].append(timed(lambda: store.put_file(store_key, src, sha256=sha)))
                    dest.unlink(missing_ok=True)
                src.unlink()
            for op in ("put", "get", "put again"):
                raw_t = statistics.median(times["raw", op])
                store_t = statistics.median(times["store", op])
                rows.append((label, op, n, size / raw_t / 1e6, raw_t * 1000, size / store_t / 1e6, store_t * 1000,
                             store_t / raw_t))
    store.close()
    return rows


def print_table(rows: list[tuple], env: dict[str, str]) -> None:
    print(f"S3 server: SeaweedFS at {env['ARCHIVIO_TEST_S3_ENDPOINT']} (loopback), bucket with Object Lock; "
          f"median per operation; {os.cpu_count()} CPU(s)")
    print()
    print("| size   | operation | n  | raw boto3 MB/s | raw ms/op | S3Store MB/s | S3Store ms/op | ratio (overhead) |")
    print("|--------|-----------|----|---------------:|----------:|-------------:|--------------:|-----------------:|")
    for label, op, n, raw_mbs, raw_ms, st_mbs, st_ms, ratio in rows:
        print(f"| {label:<6} | {op:<9} | {n:<2} | {raw_mbs:14.1f} | {raw_ms:9.1f} | {st_mbs:12.1f} | {st_ms:13.1f} "
              f"| {ratio:15.2f}x |")
    print()
    print("put again: the same object stored a second time (S3Store: a HEAD finds it and does nothing; "
          "raw boto3 uploads it again).")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=40, help="100 KB objects per side (default 40)")
    parser.add_argument("--large", type=int, default=4, help="50 MB objects per side (default 4)")
    args = parser.parse_args()
    env, started = server()
    try:
        print_table(run(env, args.small, args.large), env)
    finally:
        if started:
            subprocess.run([str(SERVICE), "stop"], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
