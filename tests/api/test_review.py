"""Review: corrections make a new version, keep the old values, are audited and searchable;
a stale version is refused with 409, and two reviewers racing cannot both win."""

from __future__ import annotations

import threading

import pytest

from pipeline.audit import Actor, AuditLog
from pipeline.errors import ConflictError
from pipeline.index import open_index
from pipeline.review import Correction, Reviewer, ReviewError
from pipeline.store import open_archive


def test_correction_makes_a_new_version_keeps_history_and_is_searchable(app, client, tokens, work_office):
    doc_id = work_office.ids["fattura_13.pdf"]
    h = tokens.header("archivist")
    before = client.get(f"/api/documents/{doc_id}", headers=h).json()
    old_total = before["fields"]["total_amount"]["value"]
    response = client.patch(f"/api/documents/{doc_id}", headers=h, json={
        "version": before["version"], "fields": {"total_amount": "1.234,50", "vendor_name": "Zeta Forniture Srl"},
        "note": "totale letto male"})
    assert response.status_code == 200, response.text
    after = response.json()
    assert after["version"] == before["version"] + 1
    assert after["fields"]["total_amount"]["value"] == "1234.50"
    assert after["fields"]["total_amount"]["confidence"] == 1.0
    change = after["history"][-1]
    assert change["action"] == "corrected" and change["by"].startswith("archivist-")
    assert change["changes"]["total_amount"] == {"old": old_total, "new": "1234.50",
                                                 "old_confidence": before["fields"]["total_amount"]["confidence"]}
    assert change["changes"]["note"] == "totale letto male"

    found = client.get("/api/search", params={"vendor": "Zeta"}, headers=h).json()
    assert [hit["id"] for hit in found["hits"]] == [doc_id] and found["hits"][0]["total"] == "1234.50"
    by_amount = client.get("/api/search", params={"min_total": "1234.50", "max_total": "1234.50"}, headers=h).json()
    assert doc_id in [hit["id"] for hit in by_amount["hits"]]

    archive = open_archive(work_office.settings)
    versions = archive.record_versions(doc_id)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].fields["total_amount"].value == old_total  # version 1 is never rewritten

    entry = app.state.services.audit.for_document(doc_id)[-1]
    assert entry.action == "corrected" and entry.details["changes"]["vendor_name"]["new"] == "Zeta Forniture Srl"


def test_stale_version_gets_409_and_changes_nothing(client, tokens, work_office):
    doc_id = work_office.ids["fattura_12.pdf"]
    h = tokens.header("archivist")
    version = client.get(f"/api/documents/{doc_id}", headers=h).json()["version"]
    assert client.patch(f"/api/documents/{doc_id}", headers=h,
                        json={"version": version, "fields": {"number": "A-1"}}).status_code == 200
    stale = client.patch(f"/api/documents/{doc_id}", headers=h, json={"version": version, "fields": {"number": "B-2"}})
    assert stale.status_code == 409
    assert "version" in stale.json()["detail"]
    assert client.get(f"/api/documents/{doc_id}", headers=h).json()["fields"]["number"]["value"] == "A-1"


def test_class_correction_and_invalid_values(client, tokens, work_office):
    doc_id = work_office.ids["contratto.pdf"]
    h = tokens.header("archivist")
    version = client.get(f"/api/documents/{doc_id}", headers=h).json()["version"]
    bad_date = client.patch(f"/api/documents/{doc_id}", headers=h,
                            json={"version": version, "fields": {"agreement_date": "31/02/2024"}})
    assert bad_date.status_code == 422 and "date" in bad_date.json()["detail"]
    unknown = client.patch(f"/api/documents/{doc_id}", headers=h, json={"version": version, "fields": {"colour": "red"}})
    assert unknown.status_code == 422
    changed = client.patch(f"/api/documents/{doc_id}", headers=h, json={
        "version": version, "class": "invoice", "fields": {"vendor_vat": "IT00743110157", "iban": "IT60X0542811101000000123457"}})
    assert changed.status_code == 200, changed.text
    record = changed.json()
    assert record["class"] == "invoice"
    assert record["fields"]["vendor_vat"]["valid"] is True
    assert record["fields"]["iban"]["valid"] is False  # kept as typed, flagged: the check digits fail
    assert any(r.startswith("iban:") for r in record["review_reasons"])
    assert any(r == "total_amount: not found" for r in record["review_reasons"])


def test_mark_reviewed_takes_the_document_out_of_the_queue(app, client, tokens, work_office):
    h = tokens.header("archivist")
    # The generated documents all read well enough; flag one as the pipeline does a doubtful one.
    svc = app.state.services
    flagged = work_office.ids["fattura_11.pdf"]
    record = svc.archive.get_record(flagged)
    doubtful = record.model_copy(update={"needs_review": True, "review_reasons": ["total_amount: not found"],
                                         "version": record.version + 1})
    svc.archive.save_record(doubtful)
    svc.index.upsert([doubtful])
    queue = client.get("/api/review-queue", headers=h).json()
    assert queue["total"] >= 1 and flagged in [hit["id"] for hit in queue["hits"]]
    doc_id = flagged
    record = client.get(f"/api/documents/{doc_id}", headers=h).json()
    assert record["needs_review"] and record["review_reasons"]
    done = client.post(f"/api/documents/{doc_id}/reviewed", headers=h, json={"version": record["version"], "note": "ok"})
    assert done.status_code == 200
    assert done.json()["needs_review"] is False
    assert done.json()["history"][-1]["changes"]["review_reasons"]["old"] == record["review_reasons"]
    assert doc_id not in [hit["id"] for hit in client.get("/api/review-queue", headers=h).json()["hits"]]
    assert app.state.services.audit.for_document(doc_id)[-1].action == "reviewed"


def test_two_reviewers_racing_on_one_version_cannot_both_win(work_office):
    settings = work_office.settings
    doc_id = work_office.ids["fattura_11.pdf"]
    version = open_archive(settings).get_record(doc_id).version
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def review(n: int) -> None:
        archive = open_archive(settings)  # each its own store, index and log, as separate servers have
        reviewer = Reviewer(archive, open_index(settings), AuditLog(archive.store))
        barrier.wait()
        try:
            reviewer.correct(doc_id, Correction(version=version, fields={"number": f"R-{n}"}), by=Actor(f"r{n}"))
            outcomes.append(f"R-{n}")
        except ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=review, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [o for o in outcomes if o != "conflict"]
    assert len(winners) == 1, outcomes
    record = open_archive(settings).get_record(doc_id)
    assert record.version == version + 1 and record.fields["number"].value == winners[0]


def test_reviewer_rejects_values_that_are_not_what_the_field_holds():
    from pipeline.review import normalise

    assert normalise("total_amount", "amount", "€ 1.234,5") == ("1234.50", None, None)
    assert normalise("date", "date", "03/04/2024")[0] == "2024-04-03"
    with pytest.raises(ReviewError):
        normalise("total_amount", "amount", "mille euro")
    with pytest.raises(ReviewError):
        normalise("currency", "currency", "euro")
