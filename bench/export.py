"""Time to export N documents as a ZIP bundle, through the CLI path and over HTTP.

The archive is filled once through the real pipeline (generated born-digital invoices,
receipts and contracts, `run_ingest` with its worker processes) and kept in the work folder,
so later runs measure the export only.

    .venv/bin/python bench/export.py                  # 1,000 documents in ./.cache/bench-export
    .venv/bin/python bench/export.py --documents 200 --work /tmp/bench
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import docgen  # noqa: E402
from pipeline.audit import Actor, AuditLog  # noqa: E402
from pipeline.config import load_settings  # noqa: E402
from pipeline.export import Exporter, describe, select  # noqa: E402
from pipeline.index import SearchQuery, open_index  # noqa: E402
from pipeline.service import StopFlag, run_ingest  # noqa: E402
from pipeline.store import open_archive  # noqa: E402


def settings_for(work: Path):
    return load_settings(env={}, cwd=work, overrides={
        "paths.inbox": str(work / "inbox"), "paths.processed": str(work / "processed"),
        "paths.quarantine": str(work / "quarantine"), "paths.duplicates": str(work / "duplicates"),
        "paths.data": str(work / "data"), "log.level": "WARNING"})


def fill(work: Path, count: int) -> float:
    src = work / "generated"
    src.mkdir(parents=True, exist_ok=True)
    makers = [docgen.italian_invoice, docgen.italian_invoice, docgen.english_receipt, docgen.contract]
    files = []
    for i in range(count):
        path = src / f"doc_{i:05d}.pdf"
        if not path.exists():
            makers[i % len(makers)](path, 10_000 + i)
        files.append(path)
    settings = settings_for(work)
    started = time.perf_counter()
    run_ingest(settings, files, stop=StopFlag(), handoff="keep", on_intake=lambda r: None, on_done=lambda d: None)
    return time.perf_counter() - started


def export_to_file(settings, ids: list[str], out: Path) -> float:
    archive = open_archive(settings)
    exporter = Exporter(archive, AuditLog(archive.store))
    started = time.perf_counter()
    with out.open("wb") as fh:
        for piece in exporter.bundle(ids, by=Actor("bench"), query=describe(SearchQuery())):
            fh.write(piece)
    return time.perf_counter() - started


def export_over_http(settings, count: int) -> tuple[float, int]:
    import httpx

    sys.path.insert(0, str(ROOT / "tests" / "api"))
    from conftest import Server  # the tests' uvicorn-in-a-thread helper

    from pipeline.api import create_app

    app = create_app(settings)
    _, secret = app.state.services.tokens.create(f"bench-{time.time_ns()}", "auditor", by=Actor("bench"))
    with Server(app) as server:
        started = time.perf_counter()
        size = 0
        digest = hashlib.sha256()
        with httpx.stream("GET", server.url + "/api/export", headers={"Authorization": f"Bearer {secret}"},
                          timeout=600) as response:
            response.raise_for_status()
            for chunk in response.iter_raw():
                size += len(chunk)
                digest.update(chunk)
        return time.perf_counter() - started, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--work", type=Path, default=ROOT / ".cache" / "bench-export")
    args = parser.parse_args()
    work = args.work.resolve()
    settings = settings_for(work)
    index_count = open_index(settings).count() if (work / "data").exists() else 0
    ingest_seconds = None
    if index_count < args.documents:
        print(f"filing {args.documents} generated documents through the pipeline (once)…", file=sys.stderr)
        ingest_seconds = fill(work, args.documents)
    ids = select(open_index(settings), SearchQuery())[: args.documents]
    assert len(ids) == args.documents, f"only {len(ids)} documents filed"

    bundle = work / "bundle.zip"
    cli_seconds = export_to_file(settings, ids, bundle)
    with zipfile.ZipFile(bundle) as z:
        members = len(z.namelist())
        originals = sum(i.file_size for i in z.infolist() if "/original" in i.filename)
    size = bundle.stat().st_size
    http_seconds, http_size = export_over_http(settings, args.documents)
    audit_entries = AuditLog(open_archive(settings).store).head()[0]

    print(f"\nExport of {args.documents} documents ({originals / 1048576:.1f} MB of originals, "
          f"{members} files in the bundle, audit log of {audit_entries} entries)\n")
    print("| path                          | seconds | documents/s | bundle MB | MB/s  |")
    print("|-------------------------------|--------:|------------:|----------:|------:|")
    for name, seconds, nbytes in (("Exporter → file (CLI path)", cli_seconds, size),
                                  ("GET /api/export over HTTP", http_seconds, http_size)):
        print(f"| {name:29} | {seconds:7.2f} | {args.documents / seconds:11.0f} | {nbytes / 1048576:9.1f} | "
              f"{nbytes / 1048576 / seconds:5.1f} |")
    if ingest_seconds:
        print(f"\n(filing them through the pipeline took {ingest_seconds:.0f} s, not part of the export)")
    print(f"\nmachine: {__import__('os').cpu_count()} cores; store: local folder; index: SQLite")


if __name__ == "__main__":
    main()
