"""A worker (Celery mode) files an e-invoice and links the SdI message filed before it, then its
index write fails. The retried delivery finds the invoice already filed: it must index the
message's linked version too, not only the invoice (before, the message stayed stale in the index
until `archivio check --repair`).

The worker side runs in this process on the embedded store and index: what is tested is the
retry's bookkeeping, not the broker."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from gen_fatturapa import fattura, make_signer, sdi_message, sign
from pipeline.errors import IndexUnavailableError
from pipeline.index.sqlite import SqliteIndex
from pipeline.queue import notes
from pipeline.queue.remote import RemoteWorker
from pipeline.store import open_archive
from support import make_settings


def _indexed_version(settings, doc_id: str) -> int | None:
    with sqlite3.connect(settings.index_path) as db:
        row = db.execute("SELECT version FROM docs WHERE id = ?", (doc_id,)).fetchone()
    return row[0] if row else None


def _deliver(worker: RemoteWorker, archive, path) -> dict:
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    archive.put_incoming(path, sha, {"filename": path.name})
    return {"sha256": sha, "filename": path.name, "folder": "", "size": path.stat().st_size, "mtime": None,
            "received_at": "2026-01-02T03:04:05+00:00", "source_path": path.name}


def test_a_retried_delivery_indexes_the_messages_its_filing_linked(tmp_path, monkeypatch):
    settings = make_settings(tmp_path)
    archive = open_archive(settings)
    worker = RemoteWorker(settings, lambda message: None)
    src = tmp_path / "src"
    src.mkdir()
    message_file = src / "IT01234567890_abc12_MT_001.xml"
    invoice_file = src / "IT01234567890_abc12.xml.p7m"
    message_file.write_bytes(sdi_message("MetadatiInvioFile", file_name=invoice_file.name, sdi_id="778"))
    invoice_file.write_bytes(sign(fattura(), make_signer()))

    sdi = _deliver(worker, archive, message_file)
    assert worker.process(sdi)[0] == "filed"
    assert _indexed_version(settings, sdi["sha256"]) == 1

    invoice = _deliver(worker, archive, invoice_file)

    def down(self, records):
        raise IndexUnavailableError("the index is down (test)")

    with monkeypatch.context() as m:
        m.setattr(SqliteIndex, "upsert", down)
        with pytest.raises(IndexUnavailableError):  # the task retries it later
            worker.process(invoice)
    assert archive.get_record(sdi["sha256"]).version == 2  # linked in the store, not in the index
    assert notes.get_linked(archive, invoice["sha256"]) == [sdi["sha256"]]

    assert worker.process(invoice)[0] == "filed-before"
    assert _indexed_version(settings, invoice["sha256"]) == 1
    assert _indexed_version(settings, sdi["sha256"]) == 2
    assert notes.get_linked(archive, invoice["sha256"]) == []  # done with: a third delivery indexes only the invoice
