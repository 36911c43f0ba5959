"""The JSON API on a real archive: search, document views, downloads, previews — and the audit
entry each retrieval leaves behind."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from pipeline.store import open_archive


def _audit_actions(app, doc_id: str) -> list[str]:
    return [e.action for e in app.state.services.audit.for_document(doc_id)]


def test_search_gives_hits_with_highlights_facets_and_pages(client, tokens, work_office):
    invoices = [d for d in work_office.docs.values() if d.doc_class == "invoice" and d.path.suffix == ".pdf"]
    number = invoices[0].fields["number"]
    response = client.get("/api/search", params={"q": "fattura"}, headers=tokens.header("archivist"))
    assert response.status_code == 200
    body = response.json()
    assert body["total"] >= 3
    assert any("«" in hit["snippet"] for hit in body["hits"])
    assert {"class", "vendor", "month"} <= set(body["facets"])
    assert dict((f["value"], f["count"]) for f in body["facets"]["class"])["invoice"] >= 3

    by_number = client.get("/api/search", params={"q": number}, headers=tokens.header("auditor")).json()
    assert by_number["hits"][0]["number"] == number

    first = client.get("/api/search", params={"size": 2, "sort": "-date"}, headers=tokens.header("archivist")).json()
    assert len(first["hits"]) == 2 and first["next_cursor"]
    dates = [h["date"] for h in first["hits"]]
    assert dates == sorted(dates, reverse=True)
    second = client.get("/api/search", params={"size": 2, "sort": "-date", "cursor": first["next_cursor"]},
                        headers=tokens.header("archivist")).json()
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}


def test_search_filters_by_class_date_and_amount(client, tokens, work_office):
    receipt = work_office.docs["scontrino.pdf"]
    total = receipt.fields["total_amount"]
    params = {"class": "receipt", "from": receipt.fields["date"], "to": receipt.fields["date"],
              "min_total": total, "max_total": total}
    hits = client.get("/api/search", params=params, headers=tokens.header("archivist")).json()["hits"]
    assert [h["id"] for h in hits] == [work_office.ids["scontrino.pdf"]]
    params["min_total"] = "100000"
    assert client.get("/api/search", params=params, headers=tokens.header("archivist")).json()["total"] == 0


def test_document_view_shows_fields_with_confidence_and_validation_and_is_audited(app, client, tokens, work_office):
    doc_id = work_office.ids["fattura_11.pdf"]
    printed = work_office.docs["fattura_11.pdf"].fields
    response = client.get(f"/api/documents/{doc_id[:10]}", headers=tokens.header("auditor"))
    assert response.status_code == 200
    record = response.json()
    assert record["id"] == doc_id and record["class"] == "invoice"
    assert record["fields"]["vendor_vat"]["value"].endswith(printed["vendor_vat"])
    assert record["fields"]["vendor_vat"]["valid"] is True
    assert 0 < record["fields"]["total_amount"]["confidence"] <= 1
    entries = app.state.services.audit.for_document(doc_id)
    assert entries[-1].action == "viewed" and entries[-1].actor.startswith("auditor-") and entries[-1].role == "auditor"
    assert entries[0].action == "filed"


def test_unknown_document_is_404(client, tokens):
    assert client.get("/api/documents/" + "ab" * 32, headers=tokens.header("auditor")).status_code == 404
    assert client.get("/api/documents/abcdef", headers=tokens.header("auditor")).status_code == 404


def test_download_streams_the_original_byte_for_byte_and_is_audited(app, client, tokens, work_office):
    doc_id = work_office.ids["fattura_scansionata.jpg"]
    response = client.get(f"/api/documents/{doc_id}/original", headers=tokens.header("archivist"))
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == doc_id == response.headers["x-archivio-sha256"]
    assert response.headers["content-type"] == "image/jpeg"
    assert "fattura_scansionata.jpg" in response.headers["content-disposition"]
    entry = app.state.services.audit.for_document(doc_id)[-1]
    assert entry.action == "downloaded" and entry.details["via"] == "stream"  # the local store makes no links


def test_text_is_served_and_audited(app, client, tokens, work_office):
    doc_id = work_office.ids["contratto.pdf"]
    response = client.get(f"/api/documents/{doc_id}/text", headers=tokens.header("archivist"))
    assert response.status_code == 200 and "CONTRATTO" in response.text.upper()
    assert _audit_actions(app, doc_id)[-1] == "text-read"


def test_page_images_are_rendered_once_cached_and_the_preview_audited_once(app, client, tokens, work_office):
    doc_id = work_office.ids["contratto.pdf"]
    first = client.get(f"/api/documents/{doc_id}/pages/2", headers=tokens.header("archivist"))
    assert first.status_code == 200 and first.headers["content-type"] == "image/jpeg"
    assert first.content[:2] == b"\xff\xd8"
    cached = list(work_office.settings.preview_cache_path.rglob("2-*.jpg"))
    assert len(cached) == 1
    mtime = cached[0].stat().st_mtime_ns
    again = client.get(f"/api/documents/{doc_id}/pages/2", headers=tokens.header("archivist"))
    assert again.content == first.content and cached[0].stat().st_mtime_ns == mtime
    assert _audit_actions(app, doc_id).count("previewed") == 1
    assert client.get(f"/api/documents/{doc_id}/pages/9", headers=tokens.header("archivist")).status_code == 404


def test_scanned_image_preview_renders(client, tokens, work_office):
    doc_id = work_office.ids["fattura_scansionata.jpg"]
    response = client.get(f"/api/documents/{doc_id}/pages/1", headers=tokens.header("auditor"))
    assert response.status_code == 200 and response.content[:2] == b"\xff\xd8"


def test_retention_and_legal_hold_are_set_by_admins_on_the_local_store_and_audited(app, client, tokens, work_office):
    doc_id = work_office.ids["fattura_12.pdf"]
    h = tokens.header("admin")
    state = client.get(f"/api/admin/documents/{doc_id}/retention", headers=h).json()
    assert state["store"] == "local" and state["store_supports_legal_hold"] and state["legal_hold"] is False
    assert state["retention_mode"] == "GOVERNANCE"  # the invoice class's, applied at filing

    held = client.put(f"/api/admin/documents/{doc_id}/legal-hold", json={"on": True}, headers=h)
    assert held.status_code == 200 and held.json()["legal_hold"] is True
    assert open_archive(work_office.settings).original_info(doc_id).legal_hold  # the same store method as `archivio hold`

    until = dt.datetime.fromisoformat(state["retain_until"].replace("Z", "+00:00"))
    later = until + dt.timedelta(days=365)
    extended = client.put(f"/api/admin/documents/{doc_id}/retention", json={"mode": "COMPLIANCE", "until": later.isoformat()},
                          headers=h)
    assert extended.status_code == 200 and extended.json()["retention_mode"] == "COMPLIANCE"
    weaker = client.put(f"/api/admin/documents/{doc_id}/retention", json={"mode": "GOVERNANCE", "until": later.isoformat()},
                        headers=h)
    assert weaker.status_code == 409 and "COMPLIANCE" in weaker.json()["detail"]
    past = client.put(f"/api/admin/documents/{doc_id}/retention", json={"mode": "COMPLIANCE", "until": "2020-01-01T00:00:00Z"},
                      headers=h)
    assert past.status_code == 422
    assert open_archive(work_office.settings).original_info(doc_id).retention.until == later

    entries = [e for e in app.state.services.audit.for_document(doc_id) if e.action in ("legal-hold-set", "retention-set")]
    assert [(e.action, e.role) for e in entries] == [("legal-hold-set", "admin"), ("retention-set", "admin")]
    assert entries[1].details["mode"] == "COMPLIANCE"


def test_admin_creates_and_lists_tokens_without_secrets(client, tokens, work_office):
    created = client.post("/api/admin/tokens", json={"name": "Revisore esterno", "role": "auditor"},
                          headers=tokens.header("admin"))
    assert created.status_code == 201
    secret = created.json()["secret"]
    assert client.get("/api/audit", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    listed = client.get("/api/admin/tokens", headers=tokens.header("admin"))
    assert "Revisore esterno" in listed.text and secret not in listed.text and "sha256" not in listed.text
    stored = b"".join(p.read_bytes() for p in (work_office.settings.store_path / "tokens").glob("*.json"))
    assert secret.encode() not in stored


def test_records_in_the_store_match_what_the_api_returns(client, tokens, work_office):
    archive = open_archive(work_office.settings)
    doc_id = work_office.ids["scontrino.pdf"]
    assert client.get(f"/api/documents/{doc_id}", headers=tokens.header("auditor")).json()["version"] == \
        archive.get_record(doc_id).version


@pytest.mark.parametrize("cursor", ["not-a-cursor", "%F1%B2w%7B", "eyJiIjoic3FsaXRlIn0"])
def test_a_cursor_we_never_issued_is_a_404_not_a_crash(client, tokens, cursor):
    answer = client.get("/api/search", params={"q": "fattura", "cursor": cursor}, headers=tokens.header("archivist"))
    assert answer.status_code == 404
