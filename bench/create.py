"""Create-only writes on S3 (``S3Store.create_bytes``: PutObject with ``If-None-Match: *``):
do racing creators really get exactly one winner, what does a create cost next to a plain
put, and what does losing a race cost?

Each round, N creators — each with its own ``S3Store`` (its own connections), released together
by a barrier — create the same new key with different bytes; the table counts the rounds with
exactly one winner, the rounds where the stored bytes are the winner's, and the versions the
bucket keeps of each key (Object Lock bucket, so versioned: a loser's bytes must not be hidden
under the winner's). The second table times 200 uncontended ``create_bytes`` against 200
``put_bytes`` of the same 1 KB body.

Usage (starts and stops SeaweedFS itself unless ARCHIVIO_TEST_S3_ENDPOINT is set):

    .venv/bin/python bench/create.py
    .venv/bin/python bench/create.py --rounds 40 --creators 16
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from store import SERVICE, server  # noqa: E402 - bench/store.py: SeaweedFS started the same way

from pipeline.config import load_settings  # noqa: E402
from pipeline.store.s3 import S3Store  # noqa: E402


def settings_for(env: dict[str, str], bucket: str):
    return load_settings(env={}, overrides={
        "store.backend": "s3", "store.endpoint_url": env["ARCHIVIO_TEST_S3_ENDPOINT"],
        "store.access_key_id": env["ARCHIVIO_TEST_S3_ACCESS_KEY"],
        "store.secret_access_key": env["ARCHIVIO_TEST_S3_SECRET_KEY"],
        "store.bucket": bucket, "store.addressing_style": "path", "store.max_attempts": 1}).store


def race(stores: list[S3Store], rounds: int) -> dict:
    main = stores[0]
    out = {"one winner": 0, "stored = winner": 0, "one version": 0, "latencies": [], "round seconds": []}
    for r in range(rounds):
        key = f"race/{uuid.uuid4().hex}/{r:06d}.json"
        barrier = threading.Barrier(len(stores))
        won: dict[int, bool] = {}

        def create(i: int) -> None:
            barrier.wait()
            start = time.perf_counter()
            won[i] = stores[i].create_bytes(key, f'{{"writer": {i}}}'.encode())
            out["latencies"].append(time.perf_counter() - start)

        threads = [threading.Thread(target=create, args=(i,)) for i in range(len(stores))]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        out["round seconds"].append(time.perf_counter() - start)
        winners = [i for i, ok in won.items() if ok]
        out["one winner"] += len(winners) == 1
        if len(winners) == 1:
            out["stored = winner"] += main.get_bytes(key) == f'{{"writer": {winners[0]}}}'.encode()
        listed = main.client.list_object_versions(Bucket=main.bucket, Prefix=main.prefix + key)
        out["one version"] += len(listed.get("Versions", [])) == 1
    return out


def single(store: S3Store, n: int) -> dict[str, list[float]]:
    body = b"x" * 1024
    times: dict[str, list[float]] = {"put_bytes": [], "create_bytes": []}
    for i in range(n):
        for name in (("put_bytes", "create_bytes") if i % 2 == 0 else ("create_bytes", "put_bytes")):
            key = f"single/{name}/{uuid.uuid4().hex}"
            call = store.put_bytes if name == "put_bytes" else store.create_bytes
            start = time.perf_counter()
            call(key, body)
            times[name].append(time.perf_counter() - start)
    return times


def ms(values: list[float], q: float) -> str:
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000:.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--creators", type=int, default=8)
    parser.add_argument("--single", type=int, default=200)
    args = parser.parse_args()
    env, started = server()
    try:
        bucket = f"bench-create-{uuid.uuid4().hex[:8]}"
        first = S3Store(settings_for(env, bucket))
        first.client.create_bucket(Bucket=bucket, ObjectLockEnabledForBucket=True)
        stores = [first] + [S3Store(settings_for(env, bucket)) for _ in range(args.creators - 1)]
        print(f"server honours If-None-Match: {first.creates_exclusively}\n")
        result = race(stores, args.rounds)
        lat = result["latencies"]
        print(f"| creators | rounds | exactly one winner | stored = winner | one version kept | "
              f"create p50 ms | p95 ms | max ms | round mean s |")
        print("|---|---|---|---|---|---|---|---|---|")
        print(f"| {args.creators} | {args.rounds} | {result['one winner']} | {result['stored = winner']} | "
              f"{result['one version']} | {ms(lat, 0.5)} | {ms(lat, 0.95)} | {ms(lat, 1.0)} | "
              f"{statistics.mean(result['round seconds']):.2f} |")
        times = single(first, args.single)
        print(f"\n| uncontended, 1 KB, n={args.single} | p50 ms | p95 ms |")
        print("|---|---|---|")
        for name, values in times.items():
            print(f"| {name} | {ms(values, 0.5)} | {ms(values, 0.95)} |")
        for store in stores:
            store.close()
    finally:
        if started:
            subprocess.run([str(SERVICE), "stop"], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
