"""The API on a production deployment: the archive in a real SeaweedFS bucket with Object Lock
(``deployed_office`` in conftest.py; Elasticsearch joins the parameters once it lands).

Search, document views, the original through a presigned link followed to its bytes, review
with its 409, retention and legal hold set by an admin, export bundles, fixity and the audit
chain — each read back from the bucket, not only from the API's answers. The documents are
filed once per module, so each test that changes one takes its own document.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import urllib.parse

import httpx

from pipeline.audit import AuditLog
from pipeline.store import open_archive
from pipeline.store.archive import original_key
from test_export_verify import check_bundle


def _actions(app, doc_id: str) -> list[str]:
    return [e.action for e in app.state.services.audit.for_document(doc_id)]


def test_the_archive_under_test_is_the_bucket(deployed_app, deployed_office):
    store = deployed_app.state.services.archive.store
    assert store.name == deployed_office.settings.store.backend == "s3"
    assert store.enforces_retention and store.makes_download_links and store.creates_exclusively
    assert store.exists(original_key(deployed_office.ids["fattura_11.pdf"]))
    assert not (deployed_office.settings.store_path / "originals").exists()  # nothing went to the folder


def test_search_finds_the_filed_documents(deployed_client, deployed_tokens, deployed_office):
    h = deployed_tokens.header("archivist")
    body = deployed_client.get("/api/search", params={"q": "fattura"}, headers=h).json()
    assert body["total"] >= 3 and any("«" in hit["snippet"] for hit in body["hits"])
    assert dict((f["value"], f["count"]) for f in body["facets"]["class"])["invoice"] >= 3
    receipt = deployed_office.docs["scontrino.pdf"].fields
    hits = deployed_client.get("/api/search", params={"class": "receipt", "from": receipt["date"], "to": receipt["date"]},
                               headers=h).json()["hits"]
    assert [hit["id"] for hit in hits] == [deployed_office.ids["scontrino.pdf"]]


def test_document_view_reads_the_record_from_the_bucket_and_is_audited(deployed_app, deployed_client,
                                                                       deployed_tokens, deployed_office):
    doc_id = deployed_office.ids["fattura_11.pdf"]
    record = deployed_client.get(f"/api/documents/{doc_id[:10]}", headers=deployed_tokens.header("auditor")).json()
    assert record["id"] == doc_id and record["class"] == "invoice"
    assert record["fields"]["vendor_vat"]["value"].endswith(deployed_office.docs["fattura_11.pdf"].fields["vendor_vat"])
    stored = open_archive(deployed_office.settings).get_record(doc_id)
    assert (record["version"], record["fields"]["total_amount"]["value"]) == (stored.version, stored.field_value("total_amount"))
    assert _actions(deployed_app, doc_id)[0] == "filed" and _actions(deployed_app, doc_id)[-1] == "viewed"


def test_original_download_redirects_to_a_presigned_link_that_delivers_the_original(
        deployed_app, deployed_server, deployed_tokens, deployed_office):
    doc_id = deployed_office.ids["fattura_scansionata.jpg"]
    settings = deployed_office.settings
    with httpx.Client(follow_redirects=True, timeout=30) as http:
        response = http.get(f"{deployed_server.url}/api/documents/{doc_id}/original",
                            headers=deployed_tokens.header("auditor"))
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == doc_id
    redirect = response.history[0]
    assert redirect.status_code == 307 and redirect.headers["x-archivio-sha256"] == doc_id
    link = urllib.parse.urlsplit(redirect.headers["location"])
    assert f"{link.scheme}://{link.netloc}" == settings.store.endpoint_url  # the bytes came from the bucket
    query = urllib.parse.parse_qs(link.query)
    assert query["X-Amz-Expires"] == [str(settings.store.url_expiry_seconds)]
    assert "fattura_scansionata.jpg" in response.headers["content-disposition"]
    entry = deployed_app.state.services.audit.for_document(doc_id)[-1]
    assert entry.action == "downloaded" and entry.role == "auditor"
    assert entry.details["via"] == "presigned" and entry.details["expires_seconds"] == settings.store.url_expiry_seconds


def test_review_saves_a_new_version_in_the_bucket_and_a_stale_version_gets_409(deployed_app, deployed_client,
                                                                               deployed_tokens, deployed_office):
    doc_id = deployed_office.ids["fattura_12.pdf"]
    h = deployed_tokens.header("archivist")
    version = deployed_client.get(f"/api/documents/{doc_id}", headers=h).json()["version"]
    changed = deployed_client.patch(f"/api/documents/{doc_id}", headers=h,
                                    json={"version": version, "fields": {"number": "A-1", "vendor_name": "Zeta Forniture Srl"}})
    assert changed.status_code == 200, changed.text
    stale = deployed_client.patch(f"/api/documents/{doc_id}", headers=h,
                                  json={"version": version, "fields": {"number": "B-2"}})
    assert stale.status_code == 409
    archive = open_archive(deployed_office.settings)
    assert [(v.version, v.field_value("number")) for v in archive.record_versions(doc_id)][-2:] == [
        (version, deployed_office.docs["fattura_12.pdf"].fields["number"]), (version + 1, "A-1")]
    assert archive.get_record(doc_id).field_value("number") == "A-1"
    found = deployed_client.get("/api/search", params={"vendor": "Zeta"}, headers=h).json()
    assert [hit["id"] for hit in found["hits"]] == [doc_id]  # re-indexed
    assert _actions(deployed_app, doc_id)[-1] == "corrected"


def test_two_reviewers_racing_through_the_api_cannot_both_win(deployed_server, deployed_tokens, deployed_office):
    doc_id = deployed_office.ids["fattura_13.pdf"]
    h = deployed_tokens.header("archivist")
    url = f"{deployed_server.url}/api/documents/{doc_id}"
    version = httpx.get(url, headers=h).json()["version"]
    barrier = threading.Barrier(4)
    codes: list[int] = []

    def correct(i: int) -> None:
        with httpx.Client(timeout=60) as http:  # one connection each: the requests really overlap
            barrier.wait()
            codes.append(http.patch(url, headers=h, json={
                "version": version, "fields": {"vendor_name": f"Revisore {i} Srl"}}).status_code)

    threads = [threading.Thread(target=correct, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(codes) == [200, 409, 409, 409]
    versions = open_archive(deployed_office.settings).record_versions(doc_id)
    assert [v.version for v in versions] == [version, version + 1]  # one claim of the number, in the bucket


def test_admin_sets_legal_hold_and_extends_retention_on_the_bucket_audited(deployed_app, deployed_client, deployed_tokens,
                                                                           deployed_office, s3_client):
    doc_id = deployed_office.ids["contratto.pdf"]
    h = deployed_tokens.header("admin")
    settings = deployed_office.settings.store
    key = settings.prefix + original_key(doc_id)
    state = deployed_client.get(f"/api/admin/documents/{doc_id}/retention", headers=h).json()
    assert state["store_supports_retention"] and state["retention_mode"] == "GOVERNANCE"  # filed with its class's

    held = deployed_client.put(f"/api/admin/documents/{doc_id}/legal-hold", json={"on": True}, headers=h)
    assert held.status_code == 200 and held.json()["legal_hold"] is True
    assert s3_client.get_object_legal_hold(Bucket=settings.bucket, Key=key)["LegalHold"]["Status"] == "ON"
    deployed_client.put(f"/api/admin/documents/{doc_id}/legal-hold", json={"on": False}, headers=h)
    assert s3_client.get_object_legal_hold(Bucket=settings.bucket, Key=key)["LegalHold"]["Status"] == "OFF"

    until = dt.datetime.fromisoformat(state["retain_until"].replace("Z", "+00:00"))
    later = until.replace(year=until.year + 2)
    extended = deployed_client.put(f"/api/admin/documents/{doc_id}/retention", headers=h,
                                   json={"mode": "GOVERNANCE", "until": later.isoformat()})
    assert extended.status_code == 200, extended.text
    head = s3_client.head_object(Bucket=settings.bucket, Key=key)
    assert head["ObjectLockRetainUntilDate"] == later
    shorter = deployed_client.put(f"/api/admin/documents/{doc_id}/retention", headers=h,
                                  json={"mode": "GOVERNANCE", "until": state["retain_until"]})
    assert shorter.status_code == 409 and "never shortened" in shorter.json()["detail"]
    assert s3_client.head_object(Bucket=settings.bucket, Key=key)["ObjectLockRetainUntilDate"] == head[
        "ObjectLockRetainUntilDate"]

    entries = deployed_app.state.services.audit.for_document(doc_id)
    assert [(e.action, e.details.get("on")) for e in entries if e.action != "filed"] == [
        ("legal-hold-set", True), ("legal-hold-set", False), ("retention-set", None)]


def test_export_bundle_from_the_bucket_checks_out(deployed_app, deployed_client, deployed_tokens, deployed_office):
    receipt = deployed_office.docs["scontrino.pdf"].fields
    params = {"class": "receipt", "from": receipt["date"], "to": receipt["date"]}
    with deployed_client.stream("GET", "/api/export", params=params, headers=deployed_tokens.header("auditor")) as response:
        assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
        data = b"".join(response.iter_raw())
    manifest = check_bundle(data, {deployed_office.ids["scontrino.pdf"]})
    assert manifest["problems"] == []


def test_fixity_names_an_original_altered_in_the_bucket_and_the_audit_chain_verifies(
        deployed_app, deployed_client, deployed_tokens, deployed_office, s3_client):
    h = deployed_tokens.header("auditor")
    intact, altered = deployed_office.ids["fattura_11.pdf"], deployed_office.ids["scontrino.pdf"]
    settings = deployed_office.settings.store
    key = settings.prefix + original_key(altered)
    head = s3_client.head_object(Bucket=settings.bucket, Key=key)
    # Object Lock keeps the filed version; a forgery can only go on top of it, as a newer version.
    s3_client.put_object(Bucket=settings.bucket, Key=key, Body=b"%PDF-1.4 forged", Metadata=head["Metadata"])

    assert deployed_client.post(f"/api/documents/{intact}/verify", headers=h).json()["ok"] is True
    bad = deployed_client.post(f"/api/documents/{altered}/verify", headers=h).json()
    assert bad["ok"] is False and "altered" in bad["problem"]

    chain = deployed_client.get("/api/audit/verify", headers=h).json()
    assert chain["ok"] is True
    report = AuditLog(open_archive(deployed_office.settings).store).verify()
    assert report.ok and report.entries == chain["entries"] >= 20
    filed = [e for e in deployed_app.state.services.audit.entries(action="filed")]
    assert sorted(d for e in filed for d in e.documents) == sorted(deployed_office.ids.values())  # once each
