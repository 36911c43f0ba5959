"""Probes, metrics and the store's notes, as an orchestrator and an operator use them."""

from __future__ import annotations

from pipeline.errors import ArchivioError
from pipeline.queue import notes


def test_readyz_says_ready_when_store_and_index_answer_and_503_when_not(client, app):
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ready", "store": "ok", "index": "ok"}

    def broken() -> None:
        raise ArchivioError("the index file is gone")

    app.state.services.index.check = broken
    down = client.get("/readyz")
    assert down.status_code == 503
    assert down.json()["status"] == "not ready" and down.json()["index"] == "the index file is gone"
    assert client.get("/healthz").status_code == 200  # alive all the same: no restart for an outage


def test_metrics_are_prometheus_text_and_count_requests(client):
    client.get("/healthz")
    body = client.get("/metrics")
    assert body.status_code == 200 and body.headers["content-type"].startswith("text/plain")
    assert 'archivio_api_requests_total{method="GET",status="200"}' in body.text


def test_admins_list_quarantine_notes_left_by_workers(client, app, tokens):
    archive = app.state.services.archive
    message = {"sha256": "ab" * 32, "filename": "rotto.pdf", "folder": "clienti", "received_at": "2026-01-02T03:04:05+00:00"}
    notes.put_quarantine(archive, message, ArchivioError("the PDF is damaged", stage="read"))
    answer = client.get("/api/admin/notes", headers={"Authorization": f"Bearer {tokens.admin}"})
    assert answer.status_code == 200
    [note] = answer.json()
    assert note["file"] == "clienti/rotto.pdf" and note["reason"] == "the PDF is damaged" and note["stage"] == "read"
    assert client.get("/api/admin/notes?kind=duplicates", headers={"Authorization": f"Bearer {tokens.admin}"}).json() == []
    assert client.get("/api/admin/notes", headers={"Authorization": f"Bearer {tokens.auditor}"}).status_code == 403
