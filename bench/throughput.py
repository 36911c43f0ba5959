"""Throughput against the raw tools, on the same files, in one run.

    .venv/bin/python bench/throughput.py [CORPUS] [--rounds 2] [--workers 2] [--watch-runs 5]

For each kind of document the raw tool and `archivio ingest` are timed on the same files,
alternating (raw first in odd rounds, archivio first in even ones), best of ROUNDS:

- scans: image-only PDFs; raw = pypdfium2 render at 300 dpi (grey) + the `tesseract` CLI
  with `-l ita+eng`, page by page;
- photos: receipt JPEGs; raw = the `tesseract` CLI with `-l ita+eng` on the file;
- born-digital: PDFs with a text layer; raw = pdfplumber `extract_words` on every page.

Raw work runs in a pool of WORKERS processes started (and imports done) before the clock
starts, and every timed run starts after `sync` (one run's writeback is not the next one's cost);
`archivio ingest -j WORKERS` runs as a fresh process into a fresh office each time,
start-up, classification, extraction, filing and indexing included. The ratio raw/archivio
is what to read: absolute times on a shared machine are noise. CPU seconds (user + system,
the Tesseract and Ghostscript children included) are printed beside the wall times: on a
loaded machine they move far less than wall time, but they do not show a core left idle
(one worker still reading the last long document while the other waits).

CORPUS is a folder laid out like the dev corpus (`*/*.scan.pdf`, `receipts-*/*.jp*g`,
`contracts-*/` and `invoices-*/` born-digital PDFs); without it, documents are generated.
Then `archivio search` wall time on the small archive just built (against `python -c pass`),
and drop -> searchable in `archivio watch` (bench/drop_to_search.py) next to the raw OCR time
of the same pages.

Accuracy is not measured here (it needs the labels): run with the same code
    archivio eval CORPUS --match 'receipts-*/*'            # photos
    archivio eval CORPUS --match '[ci][on][nv]*/*[!nh].pdf' # born-digital
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

LANGS = "ita+eng"
DPI = 300
# One thread per raw tesseract, as archivio's workers run it: a pool of processes each spawning
# OpenMP threads on the same cores loses time to its own threads, which flattered archivio.
RAW_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


# -- raw tools (run in the pool) ----------------------------------------------------------------
def cpu_seconds() -> float:
    """User + system CPU of this process and of the children it has waited for."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _raw_scan_page(unit: tuple[str, int]) -> int:
    import pypdfium2 as pdfium

    path, index = unit
    pdf = pdfium.PdfDocument(path)
    try:
        image = pdf[index].render(scale=DPI / 72, grayscale=True).to_pil()
    finally:
        pdf.close()
    with tempfile.NamedTemporaryFile(suffix=".png") as tmp:
        image.save(tmp.name)
        out = subprocess.run(["tesseract", tmp.name, "stdout", "-l", LANGS], capture_output=True, check=True,
                             env=RAW_ENV)
    return len(out.stdout)


def _raw_photo(path: str) -> int:
    out = subprocess.run(["tesseract", path, "stdout", "-l", LANGS], capture_output=True, check=True, env=RAW_ENV)
    return len(out.stdout)


def _raw_born(path: str) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return sum(len(page.extract_words()) for page in pdf.pages)


def _warm(_: int) -> None:
    import pdfplumber  # noqa: F401
    import pypdfium2  # noqa: F401


# -- files --------------------------------------------------------------------------------------
def page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def _take_pages(files: list[Path], pages: int) -> list[Path]:
    out, total = [], 0
    for path in files:
        if total >= pages:
            break
        out.append(path)
        total += page_count(path)
    return out


def corpus_files(corpus: Path, scan_pages: int, photos: int, born_pages: int) -> dict[str, list[Path]]:
    # Interleave the folders so every source is represented, in a fixed order.
    def interleave(groups: list[list[Path]]) -> list[Path]:
        out = []
        for i in range(max(map(len, groups), default=0)):
            out.extend(g[i] for g in groups if i < len(g))
        return out

    scans = interleave([sorted(d.glob("*.scan.pdf")) for d in sorted(corpus.glob("[ci][on][nv]*-*"))])
    pics = interleave([sorted(p for p in d.iterdir() if p.suffix.lower() in (".jpg", ".jpeg"))
                       for d in sorted(corpus.glob("receipts-*"))])
    born = interleave([sorted(p for p in d.glob("*.pdf") if p.name.count(".") == 1)
                       for d in sorted(corpus.glob("[ci][on][nv]*-*"))])
    return {"scans": _take_pages(scans, scan_pages), "photos": pics[:photos], "born-digital": _take_pages(born, born_pages)}


def generated_files(root: Path, scan_pages: int, photos: int, born_pages: int) -> dict[str, list[Path]]:
    from docgen import contract, english_receipt, italian_invoice, italian_receipt, scan_image, scan_pdf

    root.mkdir(parents=True, exist_ok=True)
    born = []
    for i in range(max(born_pages, scan_pages)):
        make = italian_invoice if i % 2 == 0 else contract
        born.append(make(root / f"born-{i:03d}.pdf", seed=700 + i).path)
    scans = [scan_pdf(p, root / f"{p.stem}.scan.pdf", seed=i) for i, p in enumerate(_take_pages(born, scan_pages))]
    pics = []
    for i in range(photos):
        make = italian_receipt if i % 2 == 0 else english_receipt
        doc = make(root / f"receipt-{i:03d}.pdf", seed=800 + i)
        pics.append(scan_image(doc.path, root / f"receipt-{i:03d}.jpg", seed=i))
    return {"scans": scans, "photos": pics, "born-digital": _take_pages(born, born_pages)}


# -- timing -------------------------------------------------------------------------------------
def office_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVIO_")}
    for name in ("inbox", "processed", "quarantine", "duplicates", "data"):
        env[f"ARCHIVIO_PATHS_{name.upper()}"] = str(root / name)
    return env


def compile_archivio(env: dict[str, str]) -> Path:
    """Write the bytecode of the archivio package the timed runs import, as an install does (pip
    compiles a package's modules when it installs it): with PYTHONDONTWRITEBYTECODE set in the
    environment and no bytecode beside the sources, every `archivio ingest` would compile its own
    modules from source, in the command and again in the fork server (about 0.25 s of CPU for the
    born-digital batch), while the raw tool's modules come compiled from site-packages."""
    import compileall

    where = subprocess.run([sys.executable, "-c", "import os, pipeline; print(os.path.dirname(pipeline.__file__))"],
                           env=env, capture_output=True, text=True, check=True).stdout.strip()
    compileall.compile_dir(where, quiet=1)
    return Path(where)


def _raw_unit(job: tuple[str, object]) -> float:
    """Run one raw unit in a pool process; the CPU it cost there, its children included."""
    kind, unit = job
    func = {"scans": _raw_scan_page, "photos": _raw_photo}.get(kind, _raw_born)
    before = cpu_seconds()
    func(unit)
    return cpu_seconds() - before


def time_raw(pool, kind: str, files: list[Path]) -> tuple[float, float]:
    """Wall seconds, and CPU seconds summed over the pool's processes."""
    if kind == "scans":
        units = [(str(p), i) for p in files for i in range(page_count(p))]
    else:
        units = [str(p) for p in files]
    started = time.perf_counter()
    cpu = pool.map(_raw_unit, [(kind, u) for u in units], chunksize=1)
    return time.perf_counter() - started, sum(cpu)


# Runs a command as a child subreaper: the ingest's workers are forked from multiprocessing's
# fork server, which outlives the command and is no child the bench ever waits for, so
# RUSAGE_CHILDREN would miss them. Adopted orphans are reaped here and their CPU counted.
_REAPER = r"""
import ctypes, json, os, sys, time
ctypes.CDLL(None, use_errno=True).prctl(36, 1)  # PR_SET_CHILD_SUBREAPER
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
cpu, wall, code = 0.0, None, 1
while True:
    try:
        done, status, usage = os.wait4(-1, 0)
    except ChildProcessError:
        break
    cpu += usage.ru_utime + usage.ru_stime
    if done == pid:
        wall, code = time.perf_counter() - started, os.waitstatus_to_exitcode(status)
with open(sys.argv[1], "w") as out:
    json.dump({"wall": wall, "cpu": cpu}, out)
sys.exit(code)
"""


def time_archivio(files: list[Path], workers: int, office: Path, settings: dict[str, str],
                  python: str = sys.executable, code: Path | None = None) -> tuple[float, float]:
    """Wall seconds of `archivio ingest` run by ``python``, and CPU seconds of its whole process
    tree (the fork server and the workers it forks, Tesseract and Ghostscript included). ``code``:
    another checkout's pipeline (run from there)."""
    shutil.rmtree(office, ignore_errors=True)
    office.mkdir(parents=True)
    report = office / "tree-cpu.json"
    done = subprocess.run([sys.executable, "-c", _REAPER, str(report), python, "-m", "pipeline", "ingest",
                           "-j", str(workers), *map(str, files)],
                          env={**office_env(office), **settings}, capture_output=True, text=True, cwd=code)
    if done.returncode:
        print(f"  archivio ingest exited {done.returncode}: {done.stderr.strip()[-300:]}", file=sys.stderr)
    measured = json.loads(report.read_text())
    return measured["wall"], measured["cpu"]


def _tesseract_of(python: str) -> str:
    """The Tesseract an interpreter's archivio reads with (its tesserocr, or the command)."""
    probe = "from pipeline.text import engine; print(engine.version('api'))"
    return subprocess.run([python, "-c", probe], capture_output=True, text=True, cwd=ROOT).stdout.strip()


def wall_times(argv: list[str], env: dict[str, str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return times


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, help="dev-corpus-like folder (default: generated files)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="raw pool size and `ingest -j` (default 2)")
    parser.add_argument("--scan-pages", type=int, default=24)
    parser.add_argument("--photos", type=int, default=12)
    parser.add_argument("--born-pages", type=int, default=63)
    parser.add_argument("--kinds", default="scans,photos,born-digital")
    parser.add_argument("--search-runs", type=int, default=10, help="0 = skip the search timing")
    parser.add_argument("--watch-runs", type=int, default=5, help="0 = skip the watch timing")
    parser.add_argument("--settle", type=float, default=2.0, help="watch.settle_seconds for the watch timing")
    parser.add_argument("--no-compile", action="store_true",
                        help="do not write archivio's bytecode first: where PYTHONDONTWRITEBYTECODE is set, each "
                             "run then compiles archivio's modules from source (no install runs that way)")
    parser.add_argument("--set", dest="settings", action="append", default=[], metavar="ARCHIVIO_NAME=VALUE",
                        help="a setting for the archivio runs only, e.g. ARCHIVIO_OCR_PHOTO_SECOND_LOOK=true "
                             "(repeatable; the caller's own ARCHIVIO_* variables are never passed on)")
    parser.add_argument("--against", action="append", default=[], metavar="ARCHIVIO_NAME=VALUE",
                        help="also time archivio with these settings over --set in the same rounds (a before/after "
                             "pair on the same raw timings), e.g. ARCHIVIO_OCR_ENGINE=cli")
    parser.add_argument("--against-python", metavar="PYTHON",
                        help="also time archivio run by this interpreter (another venv, e.g. with another "
                             "tesserocr and so another Tesseract) in the same rounds; the raw tool stays the "
                             "`tesseract` command")
    parser.add_argument("--against-code", type=Path, metavar="CHECKOUT",
                        help="also time archivio from another checkout (e.g. main's, `git worktree add --detach`) "
                             "in the same rounds, with this venv: a before/after pair of code on the same raw timings")
    args = parser.parse_args()
    settings = dict(item.split("=", 1) for item in args.settings)
    against = dict(item.split("=", 1) for item in args.against)
    if any(not name.startswith("ARCHIVIO_") for name in [*settings, *against]):
        parser.error("--set and --against take ARCHIVIO_NAME=VALUE")
    # name -> (settings, interpreter, checkout to run from)
    variants = {"archivio": (settings, sys.executable, None)}
    if against:
        variants[f"archivio {' '.join(args.against)}"] = ({**settings, **against}, sys.executable, None)
    if args.against_python:
        variants[f"archivio {_tesseract_of(args.against_python)}"] = (settings, args.against_python, None)
    if args.against_code:
        variants[f"archivio code {args.against_code}"] = (settings, sys.executable, args.against_code.resolve())

    work = Path(tempfile.mkdtemp(prefix="archivio-throughput-"))
    try:
        kinds = [k for k in args.kinds.split(",") if k]
        if not kinds:
            files = {}
        elif args.corpus:
            files = corpus_files(args.corpus, args.scan_pages, args.photos, args.born_pages)
        else:
            files = generated_files(work / "docs", args.scan_pages, args.photos, args.born_pages)
        if not args.no_compile:
            print(f"archivio's bytecode written first, as an install does: {compile_archivio(dict(os.environ))}",
                  file=sys.stderr)
        print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
              f"workers {args.workers}; best of {args.rounds} rounds, alternating", file=sys.stderr)
        if settings:
            print(f"archivio settings: {' '.join(args.settings)}", file=sys.stderr)
        print(f"archivio reads with {_tesseract_of(sys.executable)}; raw tool: "
              f"{subprocess.run(['tesseract', '--version'], capture_output=True, text=True).stdout.split(chr(10))[0]}",
              file=sys.stderr)
        rows = []
        with multiprocessing.get_context("fork").Pool(args.workers) as pool:
            pool.map(_warm, range(args.workers))
            for kind in kinds:
                raw, arch = [], {name: [] for name in variants}
                for r in range(args.rounds):
                    order = ["raw", *variants] if r % 2 == 0 else [*variants, "raw"]
                    for which in order:
                        # What the last run wrote (a scan batch's office: tens of MB) reaches the disk
                        # before the clock starts, not during the next run's fsyncs.
                        os.sync()
                        if which == "raw":
                            raw.append(time_raw(pool, kind, files[kind]))
                        else:
                            arch[which].append(time_archivio(files[kind], args.workers, work / f"office-{kind}",
                                                             *variants[which]))
                    print(f"  {kind} round {r + 1}: raw {raw[-1][0]:.1f} s (CPU {raw[-1][1]:.1f}), "
                          + ", ".join(f"{name} {t[-1][0]:.1f} s (CPU {t[-1][1]:.1f})" for name, t in arch.items())
                          + f", load {os.getloadavg()[0]:.1f}", file=sys.stderr)
                pages = sum(page_count(p) for p in files[kind]) if kind != "photos" else len(files[kind])
                unit = "pages" if kind != "photos" else "files"
                for name, times in arch.items():
                    label = kind if name == "archivio" else f"{kind}, {name[len('archivio '):]}"
                    rows.append((label, f"{pages} {unit}", min(w for w, _ in raw), min(w for w, _ in times),
                                 min(c for _, c in raw), min(c for _, c in times)))
        print()
        print("| kind | files | raw tool s | `archivio ingest` s | raw / archivio | raw CPU s | archivio CPU s | CPU ratio |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for kind, size, raw_s, arch_s, raw_c, arch_c in rows:
            print(f"| {kind} | {size} | {raw_s:.1f} | {arch_s:.1f} | {raw_s / arch_s:.2f} "
                  f"| {raw_c:.1f} | {arch_c:.1f} | {raw_c / arch_c:.2f} |")

        if args.search_runs and "born-digital" in kinds:
            env = office_env(work / "office-born-digital")
            bare = wall_times([sys.executable, "-c", "pass"], env, args.search_runs)
            search = wall_times([sys.executable, "-m", "pipeline", "search", "agreement"], env, args.search_runs)
            print()
            print(f"| `archivio search` ({args.search_runs} runs, small archive) | median s | p95 s |")
            print("|---|---:|---:|")
            print(f"| `python -c pass` | {statistics.median(bare):.3f} | {pct(bare, 0.95):.3f} |")
            print(f"| `archivio search agreement` | {statistics.median(search):.3f} | {pct(search, 0.95):.3f} |")

        if args.watch_runs:
            from drop_to_search import drop_times, make_scans

            scans = make_scans(work / "watch-docs", args.watch_runs)
            ocr: list[float] = []
            with multiprocessing.get_context("fork").Pool(1) as pool:
                pool.map(_warm, [0])

                def raw_ocr(scan: Path) -> None:  # the same page, just before its drop
                    started = time.perf_counter()
                    pool.map(_raw_scan_page, [(str(scan), 0)])
                    ocr.append(time.perf_counter() - started)

                drops = drop_times(work / "watch", scans, args.settle, before_each=raw_ocr)
            excess = [d - o for d, o in zip(drops, ocr)]
            print()
            print(f"| watch, one-page scan ({args.watch_runs} drops, settle {args.settle} s) | p50 s | p95 s |")
            print("|---|---:|---:|")
            print(f"| raw OCR of the page (render + tesseract) | {statistics.median(ocr):.2f} | {pct(ocr, 0.95):.2f} |")
            print(f"| drop -> searchable | {statistics.median(drops):.2f} | {pct(drops, 0.95):.2f} |")
            print(f"| drop -> searchable minus the raw OCR just before it (target p50 <= 0.5) | "
                  f"{statistics.median(excess):.2f} | {pct(excess, 0.95):.2f} |")
        print(f"\nload average at end: {os.getloadavg()[0]:.1f}", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
