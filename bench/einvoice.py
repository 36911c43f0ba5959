"""Time per FatturaPA invoice: read (XML → fields, checks, Italian copy) and filed (intake,
worker, store, index), each as a RATIO against the raw tools on the same files in the same run.

The machine is shared and loaded: absolute times are noisy, ratios less so.

- reading: ``process.analyse`` per file against ``defusedxml`` parsing the same bytes (the raw
  tool underneath); signed files against ``asn1crypto`` loading the envelope plus the parse;
- filing: ``run_ingest`` of N generated invoices (plain and signed, unique numbers) against
  copying the same files (``shutil.copyfile``) and hashing them: the floor of any intake; and
  against filing N born-digital PDF invoices (text layer, no OCR) the same way.

    .venv/bin/python bench/einvoice.py                               # generated files only
    .venv/bin/python bench/einvoice.py --xml-dir ../shared/corpus/invoices-it --files 200
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from asn1crypto import cms  # noqa: E402
from defusedxml.ElementTree import fromstring  # noqa: E402

import docgen  # noqa: E402
from gen_fatturapa import Body, fattura, make_signer, sign  # noqa: E402
from pipeline.config import load_settings  # noqa: E402
from pipeline.process import analyse  # noqa: E402
from pipeline.service import StopFlag, run_ingest  # noqa: E402


def settings_for(work: Path, workers: int):
    return load_settings(env={}, cwd=work, overrides={
        "paths.inbox": str(work / "inbox"), "paths.processed": str(work / "processed"),
        "paths.quarantine": str(work / "quarantine"), "paths.duplicates": str(work / "duplicates"),
        "paths.data": str(work / "data"), "log.level": "WARNING", "workers.count": workers})


def generate(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    signer = make_signer()
    files = []
    for i in range(count):
        xml = fattura([Body(number=f"B-{i:05d}", lines=[("Servizio", "22.00", f"{100 + i}.00")])])
        if i % 2:
            path = folder / f"IT06363391001_{i:05d}.xml.p7m"
            path.write_bytes(sign(xml, signer))
        else:
            path = folder / f"IT06363391001_{i:05d}.xml"
            path.write_bytes(xml)
        files.append(path)
    return files


def raw_read(path: Path) -> None:
    data = path.read_bytes()
    if path.suffix == ".p7m":
        info = cms.ContentInfo.load(data)
        data = info["content"]["encap_content_info"]["content"].native
    fromstring(data, forbid_dtd=True)


def per_file(fn, files: list[Path], rounds: int) -> float:
    """Median over rounds of the mean seconds per file."""
    means = []
    for _ in range(rounds):
        started = time.perf_counter()
        for path in files:
            fn(path)
        means.append((time.perf_counter() - started) / len(files))
    return statistics.median(means)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=100, help="generated invoices to file (half signed)")
    parser.add_argument("--xml-dir", type=Path, help="also read every *.xml in this folder (e.g. a corpus)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-einvoice-") as tmp:
        work = Path(tmp)
        files = generate(work / "generated", args.files)
        settings = settings_for(work, args.workers)
        sets = [("generated (half .p7m)", files)]
        if args.xml_dir:
            sets.append((str(args.xml_dir), sorted(args.xml_dir.glob("*.xml"))))
        print(f"{'files':<40} {'n':>5} {'raw ms':>9} {'archivio ms':>12} {'ratio':>7}")
        for name, group in sets:
            raw = per_file(raw_read, group, args.rounds)
            ours = per_file(lambda p: analyse(p, settings), group, args.rounds)
            print(f"{'read: ' + name:<40} {len(group):>5} {raw * 1000:>9.2f} {ours * 1000:>12.2f} {ours / raw:>7.1f}")

        copies = work / "copies"
        copies.mkdir()
        started = time.perf_counter()
        for path in files:
            shutil.copyfile(path, copies / path.name)
            hashlib.sha256((copies / path.name).read_bytes()).hexdigest()
        raw_filing = (time.perf_counter() - started) / len(files)
        for name in ("inbox", "processed", "quarantine", "duplicates", "data"):
            (work / name).mkdir(exist_ok=True)
        started = time.perf_counter()
        run_ingest(settings, files, stop=StopFlag(), handoff="keep", on_intake=lambda r: None, on_done=lambda d: None)
        filing = (time.perf_counter() - started) / len(files)
        print(f"{'filed: intake+workers+store+index':<40} {len(files):>5} {raw_filing * 1000:>9.2f} "
              f"{filing * 1000:>12.2f} {filing / raw_filing:>7.1f}")
        # The same filing of born-digital PDF invoices (text layer, no OCR), for scale.
        pdf_work = work / "pdf"
        for name in ("inbox", "processed", "quarantine", "duplicates", "data", "generated"):
            (pdf_work / name).mkdir(parents=True)
        pdfs = [docgen.italian_invoice(pdf_work / "generated" / f"f{i:05d}.pdf", 50_000 + i).path
                for i in range(args.files)]
        started = time.perf_counter()
        run_ingest(settings_for(pdf_work, args.workers), pdfs, stop=StopFlag(), handoff="keep",
                   on_intake=lambda r: None, on_done=lambda d: None)
        pdf_filing = (time.perf_counter() - started) / len(pdfs)
        print(f"{'filed: born-digital PDF invoices':<40} {len(pdfs):>5} {raw_filing * 1000:>9.2f} "
              f"{pdf_filing * 1000:>12.2f} {pdf_filing / raw_filing:>7.1f}")
        print(f"\ne-invoice filing / PDF filing = {filing / pdf_filing:.2f}")
        print(f"\nfiled: {filing * 1000:.1f} ms per invoice with {args.workers} worker(s), worker start-up included; "
              "raw = copy + SHA-256 of the same file. Shared, loaded machine: absolute times are noisy.")


if __name__ == "__main__":
    main()
