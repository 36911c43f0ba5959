"""Disposal (scarto): proposal → four-eyes approval → certificate; holds and open reviews keep a
document off every list; everything of a disposed document goes, its certificate stays; on S3
the server's Object Lock has the last word."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import time

import pytest

from gen_preservation import file_documents, make_record
from services.seaweedfs.plugin import locked_bucket, s3_client, s3_prefix, s3_server  # noqa: F401  (fixtures)
from support import make_settings
from pipeline.audit import Actor, AuditLog
from pipeline.errors import NotFoundError, RetentionLockedError
from pipeline.index import SearchQuery, open_index
from pipeline.preservation.disposal import (DISPOSAL_CERTIFIED, DisposalError, Disposer, FourEyesError,
                                            certificate_key, list_key)
from pipeline.records import Parent
from pipeline.store import Retention, open_archive
from pipeline.store.archive import original_key, record_key, record_version_key, text_key

UTC = dt.timezone.utc
FILED = dt.datetime(2013, 2, 1, 9, tzinfo=UTC)
ALICE, BOB = Actor("alice", "admin"), Actor("bob", "admin")


def old_and_new(rng: random.Random) -> list:
    """Three invoices of 2011 (retention over since 2022), one of 2024 (kept until 2035)."""
    docs = [make_record(rng, n, "invoice", dt.date(2011, 4, n + 1), FILED, number=f"{n}/2011") for n in range(3)]
    docs.append(make_record(rng, 9, "invoice", dt.date(2024, 4, 1), FILED, number="9/2024"))
    return docs


@pytest.fixture
def archive_with_due_documents(office):
    settings = make_settings(office)
    archive, index = open_archive(settings), open_index(settings)
    filed = file_documents(settings, archive, index, old_and_new(random.Random(11)), office, copies=True)
    disposer = Disposer(archive, index, AuditLog(archive.store), settings.retention,
                        preview_cache=settings.preview_cache_path)
    return settings, archive, index, disposer, filed


def test_a_list_goes_from_proposal_through_a_second_admins_approval_to_a_certificate(archive_with_due_documents):
    settings, archive, index, disposer, filed = archive_with_due_documents
    due, young = filed[:3], filed[3]
    preview = settings.preview_cache_path / due[0].id[:2] / due[0].id
    preview.mkdir(parents=True)
    (preview / "1-800.jpg").write_bytes(b"page image")

    lst = disposer.propose("scarto fatture 2011", by=ALICE)
    assert {i.id for i in lst.items} == {d.id for d in due}
    assert all("fiscal year closing 2011-12-31" in i.rule for i in lst.items)
    assert young.id not in {i.id for i in lst.items}

    with pytest.raises(FourEyesError, match="another admin must approve"):
        disposer.approve(lst.id, by=ALICE)
    assert archive.has_record(due[0].id)  # a refused approval removes nothing

    done = disposer.approve(lst.id, by=BOB)
    assert done.status == "disposed" and done.approved_by == "bob"
    store = archive.store
    for doc in due:
        for key in (original_key(doc.sha256), record_key(doc.id), text_key(doc.id),
                    record_version_key(doc.id, 1), doc.archive_copy.key):
            assert not store.exists(key), key
        assert doc.id not in {doc_id for doc_id, _ in index.ids()}
    assert not preview.exists()
    assert archive.has_record(young.id) and store.exists(original_key(young.sha256))
    assert index.search(SearchQuery(doc_class="invoice")).total == 1

    certificate = disposer.certificate(lst.id)
    data = json.loads(certificate)
    assert data["proposed_by"] == "alice" and data["approved_by"] == "bob"
    assert {(d["id"], d["sha256"], d["doc_class"], d["date"]) for d in data["disposed"]} == \
        {(d.id, d.sha256, "invoice", d.field_value("date")) for d in due}
    assert all(d["rule"].startswith("invoice: 10 years") for d in data["disposed"])
    audit = AuditLog(store)
    sealed = [e for e in audit.entries(action=DISPOSAL_CERTIFIED)]
    assert sealed[-1].details["certificate_sha256"] == hashlib.sha256(certificate).hexdigest()
    assert {e.action for e in audit.for_document(due[0].id)} >= {"disposal-proposed", "disposal-approved", "disposed",
                                                                  "disposal-certified"}
    assert audit.verify().ok
    with pytest.raises(RetentionLockedError):  # kept for good
        store.delete(certificate_key(lst.id))
    with pytest.raises(DisposalError, match="is disposed"):
        disposer.approve(lst.id, by=BOB)


def test_a_legal_hold_or_an_open_review_keeps_a_document_off_every_list(archive_with_due_documents):
    settings, archive, index, disposer, filed = archive_with_due_documents
    held, reviewed, free = filed[0], filed[1], filed[2]
    archive.set_legal_hold(held.sha256, True)
    archive.save_record(reviewed.model_copy(update={"needs_review": True, "review_reasons": ["date: unsure"]}))

    lst = disposer.propose("scarto", by=ALICE)
    assert [i.id for i in lst.items] == [free.id]
    with pytest.raises(DisposalError, match=f"{held.id[:12]}.*legal hold"):
        disposer.propose("scarto", by=ALICE, ids=[held.id])
    with pytest.raises(DisposalError, match="open review"):
        disposer.propose("scarto", by=ALICE, ids=[reviewed.id])
    with pytest.raises(DisposalError, match="retention runs until 2035-01-01"):
        disposer.propose("scarto", by=ALICE, ids=[filed[3].id])


def test_a_hold_placed_after_the_proposal_stops_the_approval(archive_with_due_documents):
    settings, archive, index, disposer, filed = archive_with_due_documents
    lst = disposer.propose("scarto 2011", by=ALICE)
    archive.set_legal_hold(filed[1].sha256, True)
    with pytest.raises(DisposalError, match=f"{filed[1].id[:12]}.*legal hold"):
        disposer.approve(lst.id, by=BOB)
    assert all(archive.has_record(d.id) for d in filed)  # nothing removed
    assert disposer.get(lst.id).status == "proposed"
    assert disposer.reject(lst.id, by=BOB, reason="hold for the tax inspection").status == "rejected"
    with pytest.raises(DisposalError, match="rejected"):
        disposer.approve(lst.id, by=BOB)


def test_a_list_changed_after_its_proposal_is_refused(archive_with_due_documents):
    settings, archive, index, disposer, filed = archive_with_due_documents
    lst = disposer.propose("scarto 2011", by=ALICE)
    forged = lst.model_copy(update={"items": lst.items + [lst.items[0].model_copy(update={"id": filed[3].id})]})
    archive.store.put_bytes(list_key(lst.id), forged.model_dump_json().encode())
    with pytest.raises(DisposalError, match="changed after it was proposed"):
        disposer.approve(lst.id, by=BOB)
    assert archive.has_record(filed[3].id)


def test_a_document_goes_only_with_all_its_parts_and_a_shared_original_stays_until_the_last(office):
    settings = make_settings(office)
    archive, index = open_archive(settings), open_index(settings)
    rng = random.Random(12)
    parent, data = make_record(rng, 1, "invoice", dt.date(2011, 1, 5), FILED)
    parts = [parent.model_copy(update={"id": f"{parent.sha256}-{i}", "parent": Parent(id=parent.id, relation="einvoice-body",
                                                                                          index=i)})
             for i in (1, 2)]
    parent = parent.model_copy(update={"parts": [p.id for p in parts]})
    [parent] = file_documents(settings, archive, index, [(parent, data)], office)
    for part in parts:
        archive.save_record(part)
    archive.save_record(parts[1].model_copy(update={"needs_review": True}))
    disposer = Disposer(archive, index, AuditLog(archive.store), settings.retention)

    lst = disposer.propose("scarto", by=ALICE)
    assert [i.id for i in lst.items] == [parts[0].id]  # the parent waits for its part under review
    disposer.approve(lst.id, by=BOB)
    assert not archive.has_record(parts[0].id)
    assert archive.store.exists(original_key(parent.sha256))  # still the parent's and the other part's

    archive.save_record(parts[1])
    lst = disposer.propose("scarto", by=ALICE)
    assert {i.id for i in lst.items} == {parent.id, parts[1].id}
    disposer.approve(lst.id, by=BOB)
    assert not archive.store.exists(original_key(parent.sha256))


@pytest.mark.slow
def test_on_s3_the_server_refuses_until_object_lock_expires(office, s3_server, s3_client, locked_bucket, s3_prefix):
    settings = s3_server.settings(office, locked_bucket, s3_prefix)
    archive, index = open_archive(settings), open_index(settings)
    [doc] = file_documents(settings, archive, index, old_and_new(random.Random(13))[:1], office)
    until = dt.datetime.now(UTC) + dt.timedelta(seconds=6)
    archive.set_retention(doc.sha256, Retention("GOVERNANCE", until))
    disposer = Disposer(archive, index, AuditLog(archive.store), settings.retention)

    with pytest.raises(DisposalError, match="retention runs until"):
        disposer.propose("scarto", by=ALICE, ids=[doc.id])
    versions = s3_client.list_object_versions(Bucket=locked_bucket, Prefix=s3_prefix + original_key(doc.sha256))
    version = versions["Versions"][0]["VersionId"]
    with pytest.raises(Exception, match="AccessDenied|locked|retention|Forbidden"):  # the server itself says no
        s3_client.delete_object(Bucket=locked_bucket, Key=s3_prefix + original_key(doc.sha256), VersionId=version)

    time.sleep(max(0.0, (until - dt.datetime.now(UTC)).total_seconds()) + 1)
    lst = disposer.propose("scarto", by=ALICE, ids=[doc.id])
    assert disposer.approve(lst.id, by=BOB).status == "disposed"
    left = s3_client.list_object_versions(Bucket=locked_bucket, Prefix=s3_prefix + original_key(doc.sha256))
    assert not left.get("Versions") and not left.get("DeleteMarkers")
    with pytest.raises(NotFoundError):
        archive.get_record(doc.id)
    assert json.loads(disposer.certificate(lst.id))["disposed"][0]["sha256"] == doc.sha256
