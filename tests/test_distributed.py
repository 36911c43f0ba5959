"""Distributed mode end to end, on real services: Redis (a broker of the test's own, so it can be
killed), SeaweedFS (S3) and Elasticsearch. `archivio watch` and two `archivio worker` processes
run as separate programs, each worker in its own empty working directory, sharing nothing else.

One batch carries all the faults, so the suite pays for the services once:
  * 60+ generated documents (a few scans, the rest born-digital), one damaged;
  * one worker SIGKILLed (with its pool) while Tesseract runs for it: its document is delivered
    again after the visibility timeout, to the other worker or its restarted self, filed once;
  * Redis SIGKILLed for 30 s and started again mid-batch: the batch completes without help, and
    both workers consume again afterwards (the failure where Celery workers silently stop
    consuming after a Redis reconnect would leave work queued here and fail the test).
Then a 40-page scan is split over both workers and must equal a one-worker reading.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

import gen_distributed
from cluster import ROOT, Cluster, cluster_env
from index_fixtures import es_url

from pipeline.config import load_settings
from pipeline.index import open_index
from pipeline.journal import Journal
from pipeline.process import read_pages
from pipeline.queue import notes
from pipeline.store import open_archive
from pipeline.store.archive import record_version_key

pytestmark = [pytest.mark.slow, pytest.mark.ocr, pytest.mark.timeout(420)]

DOCUMENTS, SCANS = 62, 6
DOCUMENT_TIMEOUT = 45  # so the visibility timeout (≥ timeout + 30 s) keeps the redelivery wait short


@pytest.fixture(scope="module")
def cluster(private_redis, s3_server, locked_bucket, tmp_path_factory):
    es = es_url()
    base = tmp_path_factory.mktemp("cluster")
    # The session's bucket under a prefix of our own: every bucket costs SeaweedFS volume slots.
    env = cluster_env(base / "office", broker=private_redis.url, s3_endpoint=s3_server.endpoint,
                      access_key=s3_server.access_key, secret_key=s3_server.secret_key, bucket=locked_bucket,
                      prefix=f"dist-{uuid.uuid4().hex[:8]}/",
                      es_url=es, es_prefix=f"dist-{uuid.uuid4().hex[:8]}",
                      ARCHIVIO_WORKERS_DOCUMENT_TIMEOUT=str(DOCUMENT_TIMEOUT), ARCHIVIO_QUEUE_SPLIT_PAGES="40",
                      ARCHIVIO_QUEUE_SPLIT_PART="5", ARCHIVIO_QUEUE_RESEND_AFTER="600",
                      # Distribution is under test here, not OCR quality: cheaper pages on a shared machine.
                      ARCHIVIO_OCR_DPI="100", ARCHIVIO_OCR_FIX_ORIENTATION="false")
    running = Cluster(base, env)
    running.start_watch()
    running.start_worker("w1")
    running.start_worker("w2")
    settings = load_settings(env=env)
    yield running, settings
    running.stop()
    index = open_index(settings)
    index.client.indices.delete(index=f"{index.alias}-*", ignore_unavailable=True, allow_no_indices=True)
    index.client.options(ignore_status=404).indices.delete_index_template(name=index.alias)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def session_of(pid: int, command: str) -> bool:
    """True while a ``command`` process runs in the session of ``pid`` (a worker and its pool)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        if name == command and int(fields[3]) == pid:
            return True
    return False


def wait(predicate, timeout: float, what: str, interval: float = 0.5) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def filed_count(archive) -> int:
    return sum(1 for _ in archive.record_ids())


def status_json(cluster: Cluster) -> dict:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("ARCHIVIO_")}, **cluster.env}
    out = subprocess.run([sys.executable, "-m", "pipeline", "status", "--json"], cwd=cluster.office, env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_batch_through_two_workers_survives_a_killed_worker_and_a_broker_restart(cluster, private_redis):
    running, settings = cluster
    archive = open_archive(settings)
    inbox = running.office / "inbox"
    staging = running.base / "staging"
    docs = gen_distributed.batch(staging, DOCUMENTS, scans=SCANS)
    broken = staging / "damaged.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    shas = {sha(p) for p in docs}
    # Scans first, so that a worker is inside Tesseract soon.
    for path in [*docs, broken]:
        os.replace(path, inbox / path.name)

    # 1. SIGKILL w1 while its Tesseract runs; start a fresh w1 (a replaced machine).
    victim = running.workers["w1"]
    wait(lambda: session_of(victim.pid, "tesseract"), 60, "worker w1 to run Tesseract", interval=0.05)
    running.kill_worker("w1")
    killed_at = time.monotonic()
    running.start_worker("w1")

    # 2. Redis away for 30 s once a third of the batch is filed.
    wait(lambda: filed_count(archive) >= DOCUMENTS // 3, 120, "a third of the batch to be filed")
    private_redis.kill()
    down_for = time.monotonic()
    time.sleep(30)
    private_redis.start()
    back_at = time.monotonic()
    logs_before = {name: running.log(name).count(" filed ") for name in ("w1", "w2")}

    # 3. Everything filed, without help.
    wait(lambda: filed_count(archive) >= len(shas), 180, f"all {len(shas)} documents to be filed")
    assert back_at - down_for >= 30
    assert time.monotonic() - killed_at >= DOCUMENT_TIMEOUT + 30, "the killed worker's document cannot be back before its visibility timeout"
    journal = Journal(settings.journal_path)
    wait(lambda: journal.counts()["filed"] == len(shas) and journal.counts()["quarantined"] == 1, 60,
         "the watcher to see every outcome")

    # Both workers consumed after the broker came back (no silent stop after the reconnect).
    after = {name: running.log(name).count(" filed ") - logs_before[name] for name in ("w1", "w2")}
    assert all(n > 0 for n in after.values()), f"a worker stopped consuming after the reconnect: {after}"

    # Filed once: one record, version 1 only, one "filed" audit entry per document; store = index.
    ids = set(archive.record_ids())
    assert ids == shas
    for doc_id in ids:
        assert not archive.store.exists(record_version_key(doc_id, 2))
    from pipeline import audit
    entries = Counter(d for e in audit.AuditLog(archive.store).entries() if e.action == audit.FILED
                      for d in e.documents)
    assert set(entries) == shas and set(entries.values()) == {1}, entries.most_common(3)
    index = open_index(settings)
    index.client.indices.refresh(index=index.alias)
    assert {doc_id for doc_id, _ in index.ids()} == shas
    assert not list(archive.store.iter_keys("incoming/"))

    # The damaged file: a note in the store, the file in the office's quarantine folder.
    [note] = notes.listing(archive, notes.QUARANTINE)
    assert note["file"] == "damaged.pdf" and note["stage"]
    assert (running.office / "quarantine" / "damaged.pdf").is_file()
    assert (running.office / "quarantine" / "damaged.pdf.error.json").is_file()
    status = status_json(running)
    assert status["queue"]["depth"] == 0
    assert len(status["queue"]["workers"]) == 2
    assert [n["file"] for n in status["queue"]["quarantine_notes"]] == ["damaged.pdf"]
    assert status["jobs"]["filed"] == len(shas)


def test_long_scan_is_read_in_parts_by_both_workers_and_filed_once(cluster):
    running, settings = cluster
    archive = open_archive(settings)
    scan = gen_distributed.long_scan(running.base / "long-scan.pdf", 40)
    doc_id = sha(scan)
    _, reference = read_pages(scan, settings)  # the one-worker reading, same settings
    parts_before = {name: running.log(name).count("archivio.read_part[") for name in ("w1", "w2")}
    os.replace(scan, running.office / "inbox" / "long-scan.pdf")
    wait(lambda: archive.has_record(doc_id), 150, "the 40-page scan to be filed")
    record = archive.get_record(doc_id)
    assert record.pages == 40 and record.pages_ocr == 40
    assert record.text == "\f".join(p.text for p in reference)
    numbers = [int(line.split()[1]) for line in record.text.split("\f") for line in [line.splitlines()[0]]
               if line.startswith("PAGINA")]
    assert numbers == sorted(numbers) and len(numbers) >= 36  # OCR may miss a title, never reorder
    parts = {name: running.log(name).count("archivio.read_part[") - parts_before[name] for name in ("w1", "w2")}
    assert all(n > 0 for n in parts.values()), f"the parts were not shared: {parts}"
    assert not archive.store.exists(record_version_key(doc_id, 2))


def test_a_worker_refuses_a_local_store_or_sqlite_index_in_one_line(tmp_path):
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("ARCHIVIO_")},
           "ARCHIVIO_QUEUE_BACKEND": "celery", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-m", "pipeline", "worker"], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "store.backend" in lines[0] and "index.backend" in lines[0]
    assert "Traceback" not in out.stderr
    assert list(tmp_path.iterdir()) == []
