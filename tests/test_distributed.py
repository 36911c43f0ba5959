"""Distributed mode end to end, on real services: Redis (a broker of the test's own, so it can be
killed), SeaweedFS (S3) and Elasticsearch. `archivio watch` and two `archivio worker` processes
run as separate programs, each worker in its own empty working directory, sharing nothing else.

One watcher and two workers serve every test of the module, so the suite pays for them once.
One batch carries all the faults:
  * 60+ generated documents (a few scans, the rest born-digital), one damaged;
  * one worker SIGKILLed (with its pool) while Tesseract runs for it: its document is delivered
    again after the visibility timeout, to the other worker or its restarted self, filed once;
  * Redis SIGKILLed for 60 s (the issue's "unreachable for 60 s") and started again mid-batch: the batch completes without help, and
    both workers consume again afterwards (the failure where Celery workers silently stop
    consuming after a Redis reconnect would leave work queued here and fail the test). The
    outage runs while the killed worker's document waits out its visibility timeout: the two
    waits overlap instead of adding up. "Without help" counts the watcher's own resend
    (``queue.resend_after``): kombu's Redis transport pops a message (BRPOP) and records it as
    unacknowledged in a second round trip, so a message a worker pops as Redis dies is gone from
    the broker however Redis persists. The resend may send again at most one message per worker.
Then a multi-invoice FatturaPA with an Allegato and a stack with separator sheets must be filed
exactly as the local mode files them (same records, parts, copies and links), and a 40-page scan
is split over both workers and must equal a one-worker reading.
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from reportlab.lib.pagesizes import A7

import gen_distributed
from cluster import ROOT, Cluster, cluster_env
from index_fixtures import es_url

from pipeline.config import load_settings
from pipeline.index import open_index
from pipeline.journal import Journal
from pipeline.process import read_pages
from pipeline.queue import notes
from pipeline.queue.reconnect import RETRY_MAX_SECONDS
from pipeline.store import open_archive
from pipeline.store.archive import record_version_key

pytestmark = [pytest.mark.slow, pytest.mark.ocr, pytest.mark.timeout(420)]

DOCUMENTS, SCANS = 62, 6
DOCUMENT_TIMEOUT = 45
VISIBILITY = DOCUMENT_TIMEOUT + 30  # the shortest the product allows: the redelivery wait is this long
OUTAGE = 60  # seconds the broker is away mid-batch
# Longer than a document of the batch waits in the queue (the outage, a worker's hung task to its
# hard time limit: 95 s seen), so that only a lost message is sent again; the product's default is
# 2 x VISIBILITY.
RESEND_AFTER = 3 * VISIBILITY
PROBES = 4  # one-page scans filed after the batch, to see both workers consume
WORKERS = ("w1", "w2")
# Distribution is under test here, not OCR quality: cheaper pages on a shared machine (the local
# reference reading of the yields test uses the same).
OCR = {"ARCHIVIO_OCR_DPI": "100", "ARCHIVIO_OCR_FIX_ORIENTATION": "false", "OMP_THREAD_LIMIT": "1"}


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
                      ARCHIVIO_QUEUE_SPLIT_PART="5", ARCHIVIO_QUEUE_RESEND_AFTER=str(RESEND_AFTER),
                      ARCHIVIO_QUEUE_VISIBILITY_TIMEOUT=str(VISIBILITY), **OCR)
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


def reading_in_session(pid: int) -> bool:
    """True once a process in the session of ``pid`` (a worker and its pool) reads with Tesseract:
    a ``tesseract`` command runs there, or a process has loaded libtesseract (the kept engine,
    ``ocr.engine = "api"``, loads it when it starts its first reading, never before)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[3]) != pid:
                continue
            if stat[stat.index("(") + 1:stat.rindex(")")] == "tesseract" or "libtesseract" in (entry / "maps").read_text():
                return True
        except (OSError, ValueError):
            continue
    return False


def wait(predicate, timeout: float, what: str, interval: float = 0.5, explain=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}" + (f"\n{explain()}" if explain else ""))


def connections(running: Cluster, name: str) -> int:
    return running.log(name).count("INFO    Connected to ")


def worker_tails(running: Cluster, lines: int) -> str:
    return "\n".join(f"--- {name}.log (last {lines} lines)\n" + "\n".join(running.log(name).splitlines()[-lines:])
                     for name in ("w1", "w2"))


def stalled_batch(running: Cluster, archive, expected: dict[str, str]) -> str:
    """What a timed-out batch still lacks and what each process said last: the one timeout seen in
    a full-suite run left nothing to find its cause with."""
    missing = sorted(name for doc_id, name in expected.items() if doc_id not in set(archive.record_ids()))
    tails = "\n".join(f"--- {name}.log (last 25 lines)\n" + "\n".join(running.log(name).splitlines()[-25:])
                      for name in ("watch", "w1", "w2"))
    return f"not filed ({len(missing)}): {missing}\n{tails}"


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
    names = {sha(p): p.name for p in docs}
    # Scans first, so that a worker is inside Tesseract soon.
    for path in [*docs, broken]:
        os.replace(path, inbox / path.name)

    # 1. SIGKILL w1 while its Tesseract runs; start a fresh w1 (a replaced machine).
    victim = running.workers["w1"]
    wait(lambda: reading_in_session(victim.pid), 60, "worker w1 to run Tesseract", interval=0.05)
    running.kill_worker("w1")
    killed_at = time.monotonic()
    first_start = connections(running, "w1")
    running.start_worker("w1")

    # 2. Redis away for OUTAGE s mid-batch, while the killed worker's document waits out its visibility timeout.
    wait(lambda: filed_count(archive) >= 5 and connections(running, "w1") > first_start, 120,
         "the batch to be under way and the new w1 connected")
    connected_before = {name: connections(running, name) for name in WORKERS}
    private_redis.kill()
    down_for = time.monotonic()
    assert filed_count(archive) < len(shas), "the broker must go away mid-batch"
    time.sleep(OUTAGE)
    private_redis.start()
    back_at = time.monotonic()
    # Each worker is back within its short retry schedule (Celery's own would wait up to 16 s
    # after this outage: 2 s more each attempt).
    reconnected = {}
    while len(reconnected) < len(WORKERS) and time.monotonic() - back_at < 60:
        for name in WORKERS:
            if name not in reconnected and connections(running, name) > connected_before[name]:
                reconnected[name] = time.monotonic() - back_at
        time.sleep(0.1)
    assert set(reconnected) == set(WORKERS), worker_tails(running, 40)
    assert max(reconnected.values()) <= RETRY_MAX_SECONDS + 4, reconnected

    # 3. Everything filed, without help. A message a worker popped as Redis died was lost with it
    # (see above; seen once in three full-suite runs while the resend was held off): the watcher
    # sends it again after RESEND_AFTER, checking every 30 s.
    wait(lambda: filed_count(archive) >= len(shas), 300, f"all {len(shas)} documents to be filed",
         explain=lambda: stalled_batch(running, archive, names))
    resent = running.log("watch").count("sent again")
    assert resent <= len(WORKERS), f"the resend did the broker's work: {resent} sent again"
    assert back_at - down_for >= OUTAGE
    assert time.monotonic() - killed_at >= VISIBILITY, "the killed worker's document cannot be back before its visibility timeout"
    journal = Journal(settings.journal_path)
    wait(lambda: journal.counts()["filed"] == len(shas) and journal.counts()["quarantined"] == 1, 60,
         "the watcher to see every outcome")

    # Both workers consume after the reconnect (the failure where a Celery worker silently stops
    # consuming after a Redis restart). Probed with scans once the batch is done: a worker keeps
    # one document at a time, so while one reads a scan the next must go to the other. Counting
    # the batch's own documents instead depended on which worker reconnected first: the rest of
    # the batch (born-digital, ~0.2 s each) could all go to it.
    filed_before = {name: running.log(name).count(" filed ") for name in WORKERS}
    probes = gen_distributed.batch(running.base / "probes", PROBES, scans=PROBES, seed=1900)
    shas |= {sha(p) for p in probes}
    for path in probes:
        os.replace(path, inbox / f"probe-{path.name}")
    wait(lambda: sum(running.log(n).count(" filed ") - filed_before[n] for n in WORKERS) >= PROBES, 120,
         "the probe scans to be filed", explain=lambda: worker_tails(running, 25))
    after = {name: running.log(name).count(" filed ") - filed_before[name] for name in WORKERS}
    assert all(n > 0 for n in after.values()), (f"a worker stopped consuming after the reconnect: {after}\n"
                                                + worker_tails(running, 60))
    wait(lambda: journal.counts()["filed"] == len(shas), 60, "the watcher to see the probes filed")

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


def view(record) -> dict:
    """What filing decided about a document, without what differs between any two filings (times,
    temporary paths, the copy's bytes: Ghostscript stamps its own dates)."""
    copy = record.archive_copy
    return {"id": record.id, "sha256": record.sha256, "class": record.doc_class, "media_type": record.media_type,
            "fields": {name: f.value for name, f in record.fields.items()}, "text": record.text,
            "pages": (record.pages, record.pages_ocr), "parent": record.parent.model_dump() if record.parent else None,
            "parts": record.parts, "source": (record.source.filename, record.source.folder),
            "review": record.review_reasons, "warnings": record.warnings,
            "copy": (copy.key, copy.format, copy.media_type) if copy else None}


def family(archive, doc_id: str) -> dict[str, dict]:
    """A document and everything filed from it (parts, bodies, attachments), by id."""
    record = archive.get_record(doc_id)
    return {doc_id: view(record), **{p: view(archive.get_record(p)) for p in record.parts}}


def test_einvoice_mail_and_stack_are_filed_as_the_local_mode_files_them(cluster, tmp_path):
    import docgen
    import gen_mail
    from gen_fatturapa import Body, fattura
    from gen_stacks import build_stack, invoice_pages
    from test_watch_e2e import office_env

    from pipeline.errors import RetentionLockedError
    from pipeline.store.archive import copy_key, original_key

    running, settings = cluster
    archive = open_archive(settings)
    drop = tmp_path / "drop"
    drop.mkdir()
    attachment = docgen.italian_invoice(tmp_path / "ordine.pdf", seed=1801).path.read_bytes()
    einvoice = drop / "IT01234567890_dist1.xml"
    einvoice.write_bytes(fattura([Body(number="FT-D1"), Body(number="FT-D2", attachments=[("ordine.pdf", attachment)])]))
    receipt = docgen.english_receipt(tmp_path / "receipt.pdf", seed=1802).path.read_bytes()
    mail = drop / "posta.eml"
    mail.write_bytes(gen_mail.ordinary(subject="Ricevuta", attachments=[("ricevuta.pdf", receipt, "application/pdf")]))
    sources = [invoice_pages(tmp_path / f"s{n}.pdf", 1820 + n)[0] for n in range(3)]
    stack = build_stack(drop / "pila.pdf", sources, seed=18, dpi=150, separator="qr")
    ids = {sha(einvoice), sha(mail), sha(stack.path)}

    # The local mode's filing of the same files, with the same reading settings, meanwhile.
    local_office = tmp_path / "local"
    for name in ("inbox", "processed", "quarantine", "duplicates", "data"):
        (local_office / name).mkdir(parents=True)
    local = subprocess.Popen([sys.executable, "-m", "pipeline", "ingest", str(drop)],
                             env={**office_env(local_office, ARCHIVIO_WORKERS_COUNT="1"), **OCR,
                                  "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for path in (einvoice, mail, stack.path):
        (running.office / "inbox" / path.name).write_bytes(path.read_bytes())
    attached, mailed = hashlib.sha256(attachment).hexdigest(), hashlib.sha256(receipt).hexdigest()
    wait(lambda: all(archive.has_record(i) for i in (*ids, attached, mailed)), 240,
         "the e-invoice, the mail, their attachments and the stack")
    output, _ = local.communicate(timeout=240)
    assert local.returncode == 0, output

    from pipeline.store import Archive, open_store
    from support import make_settings

    local_archive = Archive(open_store(make_settings(local_office)))
    for doc_id in ids:
        assert family(archive, doc_id) == family(local_archive, doc_id)

    # What that is: bodies, the Allegato handed on and linked, the rendering; the stack's parts
    # where the separator sheets put them, each with its PDF/A copy.
    invoice = archive.get_record(sha(einvoice))
    assert invoice.parts == [f"{invoice.id}-2", attached]
    assert archive.get_record(attached).parent.id == invoice.id
    assert archive.get_record(sha(mail)).parts == [mailed] and archive.get_record(mailed).parent.id == sha(mail)
    assert invoice.archive_copy.format == "HTML"
    pile = archive.get_record(sha(stack.path))
    parts = [archive.get_record(p) for p in pile.parts]
    assert [p.parent.pages for p in parts] == [(d[0], d[-1]) for d in stack.documents]
    assert all(r.archive_copy and r.archive_copy.key == copy_key(r.id) for r in (pile, *parts))

    # Filed once, each document audited once and in the index.
    from pipeline import audit

    everything = {d for i in ids for d in family(archive, i)}

    def filed_entries() -> Counter:
        return Counter(d for e in audit.AuditLog(archive.store).entries() if e.action == audit.FILED
                       for d in e.documents if d in everything)

    # A worker indexes, then audits, after the records are stored: the stack's parts can be in the
    # store a moment before their entries are in the log (seen once, when the local run ended first).
    wait(lambda: set(filed_entries()) == everything, 60, "every filed document's audit entry")
    entries = filed_entries()
    assert set(entries.values()) == {1}, entries
    index = open_index(settings)
    index.client.indices.refresh(index=index.alias)
    assert everything <= {doc_id for doc_id, _ in index.ids()}

    # The copies are kept as long as their original, and a hold on the document holds them too.
    store = archive.store
    for record in (invoice, pile):
        kept = store.info(original_key(record.sha256)).retention
        assert kept is not None
        copies = archive.copy_keys(record.sha256)
        assert len(copies) == (1 if record is invoice else 1 + len(parts))
        for key in copies:
            assert store.info(key).retention.until == kept.until, key
        archive.set_legal_hold(record.sha256, True)
        for key in copies:
            assert store.info(key).legal_hold, key
            with pytest.raises(RetentionLockedError):
                store.delete(key)
            # Refused by the server's Object Lock itself, not only by our client's check.
            full = settings.store.prefix + key
            [version] = store.client.list_object_versions(Bucket=settings.store.bucket, Prefix=full)["Versions"]
            with pytest.raises(ClientError):
                store.client.delete_object(Bucket=settings.store.bucket, Key=full, VersionId=version["VersionId"])


def test_a_stack_read_in_parts_is_split_and_copied_as_one_reading_is(cluster, tmp_path):
    """The chord's worker side, in this process with parts of 2 pages: the separators found before
    the split travel in the message (as JSON, like the broker carries it), the parts skip them, and
    the assembly splits the stack and makes its copies exactly as one reading of the file does."""
    from gen_stacks import build_stack, invoice_pages

    from pipeline.process import analyse
    from pipeline.queue.payload import pages_from_json, pages_to_json
    from pipeline.queue.remote import RemoteWorker
    from pipeline.queue.tasks import parts_of

    running, _ = cluster
    settings = load_settings(env={**running.env, "ARCHIVIO_QUEUE_SPLIT_PAGES": "3", "ARCHIVIO_QUEUE_SPLIT_PART": "2"})
    sources = [invoice_pages(tmp_path / f"l{n}.pdf", 1830 + n)[0] for n in range(2)]
    stack = build_stack(tmp_path / "pila-lunga.pdf", sources, seed=19, dpi=100, separator="qr")
    doc_id = sha(stack.path)
    archive = open_archive(settings)
    archive.put_incoming(stack.path, doc_id, {"filename": stack.path.name})
    sent: list[dict] = []
    worker = RemoteWorker(settings, sent.append)
    message = {"sha256": doc_id, "filename": stack.path.name, "folder": "", "size": stack.path.stat().st_size,
               "mtime": None, "received_at": "2026-01-02T03:04:05+00:00", "source_path": stack.path.name}
    outcome, pages, message = worker.process(message)
    assert outcome == "split" and pages == 3 and message["skip"] == stack.separators
    message = json.loads(json.dumps(message))
    read = []
    for start, stop in parts_of(pages, settings.queue.split_part):
        read.extend(pages_from_json(json.loads(json.dumps(pages_to_json(worker.read_part(message, start, stop))))))
    assert worker.assemble(message, read, time.monotonic()) == "filed"

    reference = analyse(stack.path, settings)  # one reading of the whole file, same settings
    try:
        record = archive.get_record(doc_id)
        parts = [archive.get_record(p) for p in record.parts]
        assert record.text == reference.text
        assert [p.parent.pages for p in parts] == [(d[0], d[-1]) for d in stack.documents]
        assert [p.text for p in parts] == [part.analysis.text for part in reference.derived.parts]
        assert all(r.archive_copy and r.archive_copy.format == reference.derived.copy.format for r in (record, *parts))
        assert not sent  # nothing found inside a scan
    finally:
        reference.derived.discard()


def test_long_scan_is_read_in_parts_by_both_workers_and_filed_once(cluster):
    running, settings = cluster
    archive = open_archive(settings)
    # Small pages: what is tested is the split, the order and the equality, not OCR of full pages.
    scan = gen_distributed.long_scan(running.base / "long-scan.pdf", 40, pagesize=A7, lines=1)
    doc_id = sha(scan)
    parts_before = {name: running.log(name).count("archivio.read_part[") for name in ("w1", "w2")}
    (running.office / "inbox" / "long-scan.pdf").write_bytes(scan.read_bytes())
    # The one-worker reading, same settings, made meanwhile: it fills the cores while the
    # cluster surveys, assembles and files (Tesseract runs in processes of its own).
    with ThreadPoolExecutor(1) as pool:
        reading = pool.submit(read_pages, scan, settings)
        wait(lambda: archive.has_record(doc_id), 180, "the 40-page scan to be filed")
        _, reference = reading.result()
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
