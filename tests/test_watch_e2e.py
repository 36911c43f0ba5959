"""End to end: a real `archivio watch` process, real Tesseract, files dropped into its inbox."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.store import Archive, LocalStore
from docgen import contract, english_receipt, italian_invoice, scan_image, scan_pdf

pytestmark = [pytest.mark.ocr, pytest.mark.slow]


def office_env(office: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVIO_")}
    env.update({
        "ARCHIVIO_PATHS_INBOX": str(office / "inbox"),
        "ARCHIVIO_PATHS_PROCESSED": str(office / "processed"),
        "ARCHIVIO_PATHS_QUARANTINE": str(office / "quarantine"),
        "ARCHIVIO_PATHS_DUPLICATES": str(office / "duplicates"),
        "ARCHIVIO_PATHS_DATA": str(office / "data"),
        "ARCHIVIO_WATCH_SETTLE_SECONDS": "0.5",
        "ARCHIVIO_WORKERS_COUNT": "2",
    })
    env.update(extra)
    return env


def archivio(office: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], env=env or office_env(office),
                          capture_output=True, text=True, timeout=120)


class Watcher:
    def __init__(self, office: Path, **extra_env: str):
        self.office = office
        self.log = (office / "watch.log").open("a")
        self.proc = subprocess.Popen([sys.executable, "-m", "pipeline", "watch"], env=office_env(office, **extra_env),
                                     stdout=self.log, stderr=subprocess.STDOUT)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout: float = 60) -> int:
        if self.alive():
            self.proc.send_signal(sig)
        code = self.proc.wait(timeout)
        self.log.close()
        return code

    def output(self) -> str:
        return (self.office / "watch.log").read_text()


@pytest.fixture
def watcher_factory(office):
    started: list[Watcher] = []

    def start(**extra_env: str) -> Watcher:
        w = Watcher(office, **extra_env)
        started.append(w)
        return w

    yield start
    for w in started:
        if w.alive():
            w.stop(signal.SIGKILL)


def status(office: Path) -> dict:
    result = archivio(office, "status", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def search(office: Path, *args: str) -> dict:
    result = archivio(office, "search", "--json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def wait_for(predicate, timeout: float, what: str, watcher: Watcher | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if watcher is not None and not watcher.alive():
            pytest.fail(f"the watcher died while waiting for {what}:\n{watcher.output()}")
        time.sleep(0.5)
    pytest.fail(f"timed out after {timeout}s waiting for {what}" + (f"\n{watcher.output()}" if watcher else ""))


def test_dropped_scans_are_filed_searchable_and_a_corrupt_pdf_is_quarantined(office, tmp_path, watcher_factory):
    src = tmp_path / "src"
    src.mkdir()
    invoice = italian_invoice(src / "fattura.pdf", seed=101)
    receipt = english_receipt(src / "receipt.pdf", seed=102)
    agreement = contract(src / "contratto.pdf", seed=103)
    inbox = office / "inbox"
    (inbox / "fornitori").mkdir(parents=True)

    watcher = watcher_factory()
    scan_pdf(invoice.path, inbox / "fornitori" / "fattura-scansionata.pdf", seed=1)
    scan_image(receipt.path, inbox / "scontrino.jpg", seed=2)
    scan_image(agreement.path, inbox / "contratto.tiff", seed=3)
    (inbox / "rotto.pdf").write_bytes(invoice.path.read_bytes()[:300])

    wait_for(lambda: status(office)["jobs"]["filed"] == 3 and status(office)["jobs"]["quarantined"] == 1,
             240, "three documents filed and one quarantined", watcher)

    hits = search(office, "imponibile")["hits"]
    assert [h["filename"] for h in hits] == ["fattura-scansionata.pdf"]
    assert hits[0]["doc_class"] == "invoice"
    assert hits[0]["total"] == invoice.fields["total_amount"]
    assert hits[0]["folder"] == "fornitori"
    assert search(office, "--folder", "fornitori")["total"] == 1

    receipt_hits = search(office, "cashier")["hits"]
    assert [(h["filename"], h["doc_class"]) for h in receipt_hits] == [("scontrino.jpg", "receipt")]
    contract_hits = search(office, "recesso", "--type", "contract")["hits"]
    assert [h["filename"] for h in contract_hits] == ["contratto.tiff"]

    note = json.loads((office / "quarantine" / "rotto.pdf.error.json").read_text())
    assert note["stage"] == "read" and "cannot be opened" in note["reason"]
    assert (office / "quarantine" / "rotto.pdf").read_bytes() == invoice.path.read_bytes()[:300]
    assert sorted(p.name for p in inbox.rglob("*") if p.is_file()) == []

    assert watcher.alive()
    assert watcher.stop(signal.SIGTERM) == 0


def test_a_file_still_being_written_is_taken_only_when_complete(office, tmp_path, watcher_factory):
    invoice = italian_invoice(tmp_path / "fattura.pdf", seed=104)
    data = invoice.path.read_bytes()
    watcher = watcher_factory(ARCHIVIO_WATCH_SETTLE_SECONDS="1.5")
    target = office / "inbox" / "lenta.pdf"
    with target.open("wb") as fh:  # a slow network copy: a chunk every 0.4 s
        for start in range(0, len(data), max(1, len(data) // 8)):
            fh.write(data[start:start + max(1, len(data) // 8)])
            fh.flush()
            time.sleep(0.4)
    wait_for(lambda: status(office)["jobs"]["filed"] == 1, 120, "the slowly written file to be filed", watcher)
    assert status(office)["jobs"]["quarantined"] == 0
    assert (office / "processed" / "lenta.pdf").read_bytes() == data


def test_polling_mode_takes_files_too(office, tmp_path, watcher_factory):
    watcher = watcher_factory(ARCHIVIO_WATCH_POLLING="true")
    italian_invoice(office / "inbox" / "via-polling.pdf", seed=105)
    wait_for(lambda: search(office, "fattura")["total"] == 1, 120, "the file to be found by polling", watcher)
    assert "polling" in watcher.output()


def test_restart_after_a_kill_mid_batch_archives_every_file_exactly_once(office, tmp_path, watcher_factory):
    inbox = office / "inbox"
    names = []
    for i in range(10):
        name = f"doc-{i:02d}.pdf"
        doc = italian_invoice(tmp_path / name, seed=200 + i) if i % 2 else english_receipt(tmp_path / name, seed=200 + i)
        if i % 3 == 0:
            scan_pdf(doc.path, inbox / name, seed=i)  # scans keep the workers busy long enough to be cut
        else:
            (inbox / name).write_bytes(doc.path.read_bytes())
        names.append(name)

    first = watcher_factory()
    wait_for(lambda: 1 <= status(office)["jobs"]["filed"] < 10, 120, "the batch to be part-way", first)
    first.stop(signal.SIGKILL)

    second = watcher_factory()
    wait_for(lambda: status(office)["jobs"]["filed"] == 10, 240, "the whole batch after the restart", second)
    second.stop()

    final = status(office)
    assert final["jobs"]["duplicates"] == 0 and final["jobs"]["quarantined"] == 0
    assert final["indexed"] == 10
    assert sorted(p.name for p in (office / "processed").iterdir()) == names
    assert not any(inbox.iterdir())
    archive = Archive(LocalStore(office / "data" / "store"))
    assert len(list(archive.record_ids())) == 10
    assert list(archive.store.iter_keys("incoming/")) == []  # every staged copy was filed


def test_second_watcher_on_the_same_data_is_refused(office, watcher_factory):
    first = watcher_factory()
    wait_for(lambda: "watching" in first.output(), 60, "the first watcher to start", first)
    second = archivio(office, "watch")
    assert second.returncode == 1
    assert "another Archivio process" in second.stderr
