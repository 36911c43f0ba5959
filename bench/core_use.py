"""How much of the cores a scan batch keeps busy, measured so that a loaded machine does not hide it.

    .venv/bin/python bench/core_use.py CORPUS [--checkout DIR] [--workers 2]

Runs `archivio ingest -j WORKERS` on the bench's scans (bench/throughput.py's choice of files) and
samples every ~20 ms how many threads of its process tree are runnable (state R: running or
waiting for a core). On a loaded machine every thread slows alike, so the mean of
min(WORKERS, runnable) / WORKERS is the share of the cores the batch would use on a quiet one;
wall time, there, says more about the other users. Printed whole and by tenth of the run (the
first tenth is start-up, the last the batch's tail). ``--checkout``: another checkout's pipeline,
run with this venv (a before/after pair).
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import throughput  # noqa: E402


def runnable_threads(root: int) -> int:
    children = collections.defaultdict(list)
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                stat = Path(f"/proc/{name}/stat").read_text()
            except OSError:
                continue
            children[int(stat[stat.rindex(")") + 2:].split()[1])].append(int(name))
    tree, stack = [], [root]
    while stack:
        for child in children.get(stack.pop(), []):
            tree.append(child)
            stack.append(child)
    running = 0
    for pid in tree:
        try:
            for tid in os.listdir(f"/proc/{pid}/task"):
                stat = Path(f"/proc/{pid}/task/{tid}/stat").read_text()
                running += stat[stat.rindex(")") + 2] == "R"
        except OSError:
            continue
    return running


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--checkout", type=Path, help="run another checkout's pipeline (default: this one)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scan-pages", type=int, default=24)
    args = parser.parse_args()
    files = throughput.corpus_files(args.corpus, args.scan_pages, 0, 0)["scans"]
    office = Path(tempfile.mkdtemp(prefix="archivio-core-use-"))
    try:
        started = time.perf_counter()
        ingest = subprocess.Popen([sys.executable, "-m", "pipeline", "-q", "ingest", "-j", str(args.workers),
                                   *map(str, files)], env=throughput.office_env(office),
                                  cwd=args.checkout.resolve() if args.checkout else None,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        used = []
        while ingest.poll() is None:
            used.append(min(args.workers, runnable_threads(os.getpid())))
            time.sleep(0.02)
        wall = time.perf_counter() - started
    finally:
        shutil.rmtree(office, ignore_errors=True)
    tenth = max(1, len(used) // 10)
    parts = [sum(used[i:i + tenth]) / (args.workers * len(used[i:i + tenth])) for i in range(0, len(used), tenth)]
    print(f"{args.checkout or 'this checkout'}: {sum(p for p in used) / (args.workers * max(1, len(used))):.3f} of "
          f"{args.workers} cores in use; by tenth of the run: {' '.join(f'{p:.2f}' for p in parts)} "
          f"(wall {wall:.1f} s, load {os.getloadavg()[0]:.1f}, {len(used)} samples)")


if __name__ == "__main__":
    main()
