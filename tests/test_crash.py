"""Nothing lost, nothing filed twice: a batch of 200+ documents through `archivio watch`, killed
with SIGKILL again and again at seeded random moments — at named steps of intake, filing,
indexing and quarantine (crash points), and at random times while documents are being read —
and restarted each time until the batch is done.

Afterwards every input file must be in exactly one place: archived (processed/ + one record in
the store + the index agreeing), quarantine/ with a reason, or duplicates/ with a note.
"""

from __future__ import annotations

import hashlib
import json
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from docgen import contract, english_receipt, italian_invoice, scan_pdf
from pipeline.store import Archive, LocalStore
from pipeline.journal import Journal
from test_watch_e2e import office_env

pytestmark = pytest.mark.slow

CRASH_POINTS = [
    "intake.after_store", "intake.after_journal", "intake.after_move", "intake.duplicate_noted",
    "dispatch.before_file", "dispatch.after_original", "dispatch.after_record", "dispatch.after_index",
    "dispatch.before_quarantine", "dispatch.after_quarantine",
]
SEED = 20261128


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_batch(src: Path) -> list[list[tuple[str, bytes, str]]]:
    """200 documents plus 10 duplicates and 10 broken files, as 10 waves of arrivals.

    Each wave holds one duplicate and one broken file, so that the crash points of duplicate
    handling and quarantine have something to crash on whichever wave they are armed for.
    """
    makers = [italian_invoice, english_receipt, contract]
    docs: list[tuple[str, bytes, str]] = []
    for i in range(200):
        doc = makers[i % 3](src / f"doc-{i:03d}.pdf", seed=SEED + i)
        if i % 40 == 0:  # a few scans, so that kills also land while Tesseract is reading
            scan = scan_pdf(doc.path, src / f"scan-{i:03d}.pdf", seed=i)
            docs.append((scan.name, scan.read_bytes(), "archived"))
        else:
            docs.append((doc.path.name, doc.path.read_bytes(), "archived"))
    waves = []
    for w in range(10):
        wave = docs[w * 20:(w + 1) * 20]
        original = wave[w % 20]
        wave.append((f"copia-{original[0]}", original[1], "duplicate"))
        wave.append((f"rotto-{w}.pdf", wave[0][1][: 200 + w * 37], "quarantined"))
        waves.append(wave)
    return waves


def where_is_everything(office: Path) -> dict[str, Counter]:
    places = {}
    for place in ("inbox", "processed", "quarantine", "duplicates"):
        places[place] = Counter(_sha(p) for p in (office / place).rglob("*")
                                if p.is_file() and not p.name.endswith(".json"))
    return places


def test_sigkill_at_random_moments_loses_nothing_and_files_nothing_twice(office, tmp_path):
    rng = random.Random(SEED)
    src = tmp_path / "src"
    src.mkdir()
    waves = make_batch(src)
    batch = [item for wave in waves for item in wave]
    inbox = office / "inbox"
    journal = Journal(office / "data" / "journal.sqlite3")
    log = (office / "watch.log").open("a")
    kills = Counter()

    def run(point: str | None, count: int = 1) -> None:
        env = office_env(office)
        if point:
            env["ARCHIVIO_CRASH_AT"] = f"{point}:{count}"
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", "watch"], env=env, stdout=log,
                                stderr=subprocess.STDOUT)
        if point:
            try:
                code = proc.wait(timeout=40)
                assert code == -signal.SIGKILL, f"watcher ended with {code} instead of crashing at {point}"
                kills[point] += 1
                return
            except subprocess.TimeoutExpired:
                pass  # not reached: the kill below lands at a random moment instead
        time.sleep(rng.uniform(2.0, 8.0))  # most often while documents are being read
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        kills["random time"] += 1

    # Each wave of arrivals meets one crash point, then a kill at a random moment.
    for wave, point in zip(waves, CRASH_POINTS):
        for name, content, _ in wave:
            (inbox / name).write_bytes(content)
        run(point)
        run(None)
    for attempt in range(40):  # then crash again, anywhere, until the batch is done
        counts = journal.counts()
        if not any(inbox.iterdir()) and not (counts["queued"] or counts["running"] or counts["stored"]):
            break
        run(rng.choice([None, *CRASH_POINTS]), rng.randint(1, 5))
    else:
        pytest.fail("the batch did not complete after 40 more restarts")

    # A last clean run must find nothing to do, and a graceful stop must exit 0.
    # Stopped only once it reports its status, i.e. its signal handler is in place: a fixed sleep
    # let a loaded machine deliver SIGTERM before the watcher could handle it (exit -15).
    status = office / "data" / "watch-status.json"
    status.unlink(missing_ok=True)
    final = subprocess.Popen([sys.executable, "-m", "pipeline", "watch"], env=office_env(office), stdout=log,
                             stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while not status.exists() and final.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)
    final.send_signal(signal.SIGTERM)
    assert final.wait(60) == 0
    log.close()

    places = where_is_everything(office)
    expected = Counter(hashlib.sha256(content).hexdigest() for _, content, _ in batch)
    found = places["processed"] + places["quarantine"] + places["duplicates"]
    lost = {sha: n - found[sha] for sha, n in expected.items() if found[sha] < n}
    assert not places["inbox"], "files left in the inbox"
    assert not lost, f"{len(lost)} input file(s) lost"
    assert found == expected, "some file is in more than one place"

    archive = Archive(LocalStore(office / "data" / "store"))
    records = set(archive.record_ids())
    archived = {hashlib.sha256(c).hexdigest() for _, c, outcome in batch if outcome == "archived"}
    quarantined = {hashlib.sha256(c).hexdigest() for _, c, outcome in batch if outcome == "quarantined"}
    assert records == archived
    assert all(places["processed"][sha] == 1 for sha in archived), "an archived document is in processed/ twice"
    assert set(places["quarantine"]) == quarantined
    for sha in quarantined:
        notes = [json.loads(n.read_text()) for n in (office / "quarantine").glob("*.error.json")]
        assert any(n.get("sha256") == sha and n["reason"] for n in notes)
    duplicate_notes = list((office / "duplicates").glob("*.duplicate.json"))
    assert len(duplicate_notes) == sum(places["duplicates"].values()) == 10

    from pipeline.index import SqliteIndex

    index = dict(SqliteIndex(office / "data" / "index.sqlite3").ids())
    assert set(index) == records, "store and index disagree"
    assert all(index[i] == archive.get_record(i).version for i in records)
    assert list(archive.store.iter_keys("incoming/")) == []

    summary = {
        "documents": len(batch), "kills": sum(kills.values()), "kills_by_moment": dict(kills),
        "archived": len(records), "quarantined": len(quarantined), "duplicates": len(duplicate_notes),
        "lost": sum(lost.values()), "twice": sum(n - 1 for n in places["processed"].values() if n > 1),
    }
    out = Path(__file__).parents[1] / "test-output"
    out.mkdir(exist_ok=True)
    (out / "crash-summary.json").write_text(json.dumps(summary, indent=2))
    print("crash run:", summary)
    assert sum(kills.values()) >= 15
    missed = [p for p in CRASH_POINTS if not kills[p]]
    assert not missed, f"crash points never reached: {missed}"


def test_a_crash_right_after_the_filed_entry_does_not_audit_the_filing_twice(office, tmp_path):
    """The "filed" audit entry is written with the index step, before the journal marks the job
    filed: killed in between, the restarted watcher finishes the job without a second entry."""
    from pipeline.audit import AuditLog

    doc = italian_invoice(tmp_path / "fattura.pdf", seed=SEED)
    sha = _sha(doc.path)
    journal = Journal(office / "data" / "journal.sqlite3")
    (office / "inbox" / "fattura.pdf").write_bytes(doc.path.read_bytes())
    crashed = subprocess.run([sys.executable, "-m", "pipeline", "watch"], capture_output=True, timeout=120,
                             env=office_env(office, ARCHIVIO_CRASH_AT="dispatch.after_index:1"))
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr[-2000:]
    counts = journal.counts()
    assert counts["running"] + counts["stored"] == 1 and not counts["filed"]  # searchable and audited, not yet filed

    watcher = subprocess.Popen([sys.executable, "-m", "pipeline", "watch"], env=office_env(office),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while journal.counts()["filed"] < 1 and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        watcher.send_signal(signal.SIGTERM)
        watcher.wait(60)
    assert journal.counts()["filed"] == 1

    log = AuditLog(LocalStore(office / "data" / "store"))
    assert [e.documents for e in log.entries(action="filed")] == [[sha]]
    assert log.verify().ok
