"""An SdI message filed before its invoice is linked when the invoice is filed (a new version of
the message's record). If the index is down at that moment, the catch-up that runs when it is
back must index that new version too, not only the invoice."""

from __future__ import annotations

import sqlite3

from gen_fatturapa import fattura, make_signer, sdi_message, sign
from pipeline.errors import IndexUnavailableError
from pipeline.index.sqlite import SqliteIndex
from pipeline.service import StopFlag, assemble, run_ingest
from support import make_settings


def _indexed_version(settings, doc_id: str) -> int | None:
    with sqlite3.connect(settings.index_path) as db:
        row = db.execute("SELECT version FROM docs WHERE id = ?", (doc_id,)).fetchone()
    return row[0] if row else None


def test_a_message_linked_while_the_index_is_down_is_reindexed_by_the_catch_up(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, **{"workers.count": 1})
    done = []
    message = tmp_path / "src" / "IT01234567890_abc12_MT_001.xml"
    invoice = tmp_path / "src" / "IT01234567890_abc12.xml.p7m"
    message.parent.mkdir()
    message.write_bytes(sdi_message("MetadatiInvioFile", file_name=invoice.name, sdi_id="778"))
    invoice.write_bytes(sign(fattura(), make_signer()))
    ingest = dict(stop=StopFlag(), handoff="keep", on_intake=lambda r: None, on_done=done.append)
    run_ingest(settings, [message], **ingest)
    [filed] = done
    assert _indexed_version(settings, filed.record.id) == 1

    # The invoice is filed (and the message linked in the store) while the index cannot be reached.
    def down(self, records):
        raise IndexUnavailableError("the index is down (test)")

    with monkeypatch.context() as m:
        m.setattr(SqliteIndex, "upsert", down)
        run_ingest(settings, [invoice], **ingest)
    parts = assemble(settings, done.append)  # the index is back: the next watcher catches up
    try:
        parts.dispatcher.pump(timeout=0)
    finally:
        parts.dispatcher.shutdown(0)
        parts.close()
    invoice_id = next(d.record.id for d in done if d.record is not None and d.job.filename == invoice.name)
    assert _indexed_version(settings, invoice_id) == 1
    assert _indexed_version(settings, filed.record.id) == 2  # the linked version, with its parent
