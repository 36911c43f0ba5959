"""Outages in the middle of a batch, with S3 (SeaweedFS) and Elasticsearch configured.

The S3 server is killed and, 30 s later, started again on the same ports with the same data;
then the Elasticsearch node is stopped (SIGSTOP: it stops answering, like a hung or cut-off
node) for 30 s and continued. Meanwhile files keep arriving. The watcher must wait out each
outage with backoff, say in `archivio status` what it is waiting for, and finish the batch
without help: every file archived once, nothing quarantined, nothing twice, the index caught up.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

from docgen import contract, english_receipt, italian_invoice, scan_pdf
from pipeline.config import load_settings
from pipeline.index import open_index
from pipeline.journal import Journal
from pipeline.store import open_archive
from support import need_service
from test_watch_e2e import office_env

pytestmark = pytest.mark.slow

OUTAGE_SECONDS = 30
REPO = Path(__file__).resolve().parents[1]


def _free_ports(n: int) -> list[int]:
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


class PrivateSeaweed:
    """A SeaweedFS of this test's own, so that killing it disturbs no other test."""

    def __init__(self, root: Path):
        self.root = root
        self.ports = _free_ports(8)
        self.key, self.secret = f"outage-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
        (root / "data").mkdir(parents=True)
        (root / "s3.json").write_text(json.dumps({"identities": [{
            "name": "archivio", "credentials": [{"accessKey": self.key, "secretKey": self.secret}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
        self.endpoint = f"http://127.0.0.1:{self.ports[6]}"
        self.proc: subprocess.Popen | None = None

    def client(self):
        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=self.key,
                            aws_secret_access_key=self.secret, region_name="us-east-1",
                            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1},
                                          connect_timeout=2, read_timeout=5))

    def start(self) -> None:
        m, mg, v, vg, f, fg, s3, s3g = self.ports
        weed = REPO / ".venv" / "bin" / "weed"
        self.proc = subprocess.Popen(
            [str(weed), "server", f"-dir={self.root / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
             f"-master.port={m}", f"-master.port.grpc={mg}", f"-volume.port={v}", f"-volume.port.grpc={vg}",
             f"-filer.port={f}", f"-filer.port.grpc={fg}", "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3g}",
             "-s3.port.iceberg=0", "-s3.port.lance=0", f"-s3.config={self.root / 's3.json'}",
             "-master.telemetry=false", "-master.volumeSizeLimitMB=64", "-volume.max=50"],
            stdout=(self.root / "weed.log").open("a"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                self.client().list_buckets()
                return
            except Exception:
                time.sleep(0.5)
        raise RuntimeError("SeaweedFS did not start:\n" + (self.root / "weed.log").read_text()[-2000:])

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(30)


def _count(office: Path) -> dict:
    return Journal(office / "data" / "journal.sqlite3").counts()


def _status(office: Path, env: dict) -> str:
    return subprocess.run([sys.executable, "-m", "pipeline", "status"], env=env, capture_output=True, text=True,
                          timeout=120).stdout


def _wait(predicate, timeout: float, what: str, watcher: subprocess.Popen, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if watcher.poll() is not None:
            pytest.fail(f"the watcher died while waiting for {what}:\n{log.read_text()[-3000:]}")
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}\n{log.read_text()[-3000:]}")


def test_store_and_index_outages_mid_batch_lose_nothing_and_file_nothing_twice(office, tmp_path, request):
    es_url = need_service("Elasticsearch", "ARCHIVIO_TEST_ES_URL", "run scripts/test, which starts it")
    es_pid = int(Path(need_service("Elasticsearch", "ARCHIVIO_TEST_ES_PIDFILE", "run scripts/test")).read_text())
    weed = PrivateSeaweed(tmp_path / "weed")
    # Stopped however the test ends: a failed run left its SeaweedFS running for the rest of the suite.
    request.addfinalizer(weed.kill)
    weed.start()
    weed.client().create_bucket(Bucket="archivio-outage", ObjectLockEnabledForBucket=True)

    env = office_env(office,
                     ARCHIVIO_STORE_BACKEND="s3", ARCHIVIO_STORE_ENDPOINT_URL=weed.endpoint,
                     ARCHIVIO_STORE_BUCKET="archivio-outage", ARCHIVIO_STORE_ACCESS_KEY_ID=weed.key,
                     ARCHIVIO_STORE_SECRET_ACCESS_KEY=weed.secret, ARCHIVIO_STORE_ADDRESSING_STYLE="path",
                     ARCHIVIO_STORE_CONNECT_TIMEOUT="2", ARCHIVIO_STORE_READ_TIMEOUT="5",
                     ARCHIVIO_STORE_MAX_ATTEMPTS="2",
                     ARCHIVIO_INDEX_BACKEND="elasticsearch", ARCHIVIO_INDEX_HOSTS=es_url,
                     ARCHIVIO_INDEX_PREFIX=f"outage-{uuid.uuid4().hex[:8]}", ARCHIVIO_INDEX_REPLICAS="0",
                     ARCHIVIO_INDEX_REQUEST_TIMEOUT="3", ARCHIVIO_INDEX_MAX_RETRIES="0")
    src = tmp_path / "src"
    src.mkdir()
    makers = [italian_invoice, english_receipt, contract]
    docs = []
    for i in range(40):
        doc = makers[i % 3](src / f"doc-{i:02d}.pdf", seed=700 + i)
        docs.append(scan_pdf(doc.path, src / f"scan-{i:02d}.pdf", seed=i) if i % 10 == 0 else doc.path)
    inbox = office / "inbox"

    def drop(batch):
        for path in batch:
            (inbox / path.name).write_bytes(path.read_bytes())

    log = office / "watch.log"
    watcher = subprocess.Popen([sys.executable, "-m", "pipeline", "watch"], env=env, stdout=log.open("w"),
                               stderr=subprocess.STDOUT)
    es_stopped = False
    try:
        drop(docs[:15])
        _wait(lambda: _count(office)["filed"] >= 5, 180, "the batch to get going", watcher, log)

        # The store goes away; files keep arriving.
        weed.kill()
        drop(docs[15:25])
        time.sleep(8)
        status = _status(office, env)
        assert "waiting for the store" in status, status
        time.sleep(OUTAGE_SECONDS - 8)
        weed.start()
        _wait(lambda: _count(office)["filed"] >= 25, 240, "the batch after the store came back", watcher, log)

        # The index stops answering.
        os.kill(es_pid, signal.SIGSTOP)
        es_stopped = True
        drop(docs[25:35])
        _wait(lambda: "waiting for the index" in _status(office, env), 60, "status to name the index", watcher, log)
        time.sleep(OUTAGE_SECONDS)
        assert _count(office)["stored"] > 0  # filed into the store meanwhile, not yet searchable
        os.kill(es_pid, signal.SIGCONT)
        es_stopped = False
        drop(docs[35:])
        _wait(lambda: _count(office)["filed"] == 40 and not any(inbox.iterdir()), 300,
              "every document filed and indexed", watcher, log)
        assert "waiting for" not in _status(office, env)
        watcher.send_signal(signal.SIGTERM)
        assert watcher.wait(90) == 0
    finally:
        if es_stopped:
            os.kill(es_pid, signal.SIGCONT)
        if watcher.poll() is None:
            watcher.kill()

    counts = _count(office)
    assert counts["quarantined"] == counts["rejected"] == counts["duplicates"] == 0, counts
    assert sorted(p.name for p in (office / "processed").iterdir()) == sorted(p.name for p in docs)
    settings = load_settings(env=env)
    archive = open_archive(settings)
    records = set(archive.record_ids())
    assert len(records) == 40
    index = open_index(settings)
    assert dict(index.ids()).keys() == records  # the index caught up from the store
    assert list(archive.store.iter_keys("incoming/")) == []
    weed.kill()
