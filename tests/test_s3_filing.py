"""The whole pipeline on S3: a watch session files documents into a locked bucket with their
class's retention; `archivio show`, `hold`, `get --url` and `migrate --to s3` on real objects."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import urllib.request
from pathlib import Path


import docgen
from gen_fatturapa import Body, fattura
from pipeline.audit import AuditLog
from pipeline.cli import main
from pipeline.service import StopFlag, run_ingest, run_watch, wait_until
from pipeline.store import LocalStore, filing_retention, open_archive
from pipeline.store.archive import original_key, record_key
from pipeline.store.s3 import S3Store


def office_env(office: Path, overrides: dict) -> dict[str, str]:
    """The ARCHIVIO_* variables the CLI reads, for an office under ``office``."""
    env = {f"ARCHIVIO_PATHS_{name.upper()}": str(office / name)
           for name in ("inbox", "processed", "quarantine", "duplicates", "data")}
    env.update({"ARCHIVIO_" + key.replace(".", "_").upper(): str(value) for key, value in overrides.items()})
    env["ARCHIVIO_WORKERS_COUNT"] = "1"
    return env


def cli(monkeypatch, capsys, env: dict[str, str], *args: str) -> tuple[int, str, str]:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_watch_session_files_documents_into_the_bucket_with_retention(s3_server, locked_bucket, s3_prefix,
                                                                      s3_client, office, monkeypatch, capsys):
    overrides = s3_server.store_overrides(locked_bucket, s3_prefix, **{"retention.mode": "GOVERNANCE",
                                                                       "retention.receipt_years": 7})
    settings = s3_server.settings(office, locked_bucket, s3_prefix, **{"workers.count": 1,
                                                                       "retention.receipt_years": 7})
    invoice = docgen.italian_invoice(office / "inbox" / "fattura caffè.pdf", seed=11)
    receipt = docgen.english_receipt(office / "inbox" / "receipt.pdf", seed=12)
    shas = {doc.doc_class: hashlib.sha256(doc.path.read_bytes()).hexdigest() for doc in (invoice, receipt)}
    filed: list[str] = []
    stop = StopFlag()
    session = threading.Thread(target=run_watch, args=(settings,), kwargs={
        "stop": stop, "on_intake": lambda result: None, "on_done": lambda done: filed.append(done.outcome)})
    session.start()
    try:
        assert wait_until(lambda: len(filed) >= 2, timeout=120), f"not filed in time: {filed}"
    finally:
        stop.event.set()
        session.join(60)
    assert filed == ["filed", "filed"]

    archive = open_archive(settings)
    kept: dict[str, dt.datetime] = {}
    for doc_class, years in (("invoice", 10), ("receipt", 7)):
        sha = shas[doc_class]
        head = s3_client.head_object(Bucket=locked_bucket, Key=s3_prefix + original_key(sha))
        assert head["ObjectLockMode"] == "GOVERNANCE"
        # Counted from the document's own date (end of its fiscal year), not from filing (issue 17).
        record = archive.get_record(sha)
        expected = filing_retention(settings.retention, record)
        assert expected is not None and expected.until.year - int(record.field_value("date")[:4]) == years + 1
        assert head["ObjectLockRetainUntilDate"] == expected.until
        kept[doc_class] = expected.until
        assert head["Metadata"]["sha256"] == sha and head["Metadata"]["class"] == doc_class
        s3_client.head_object(Bucket=locked_bucket, Key=s3_prefix + record_key(sha))
    listed = s3_client.list_objects_v2(Bucket=locked_bucket, Prefix=s3_prefix + "incoming/")
    assert listed.get("KeyCount", 0) == 0  # nothing left half-filed
    assert sorted(p.name for p in (office / "processed").rglob("*.pdf")) == ["fattura caffè.pdf", "receipt.pdf"]
    assert open_archive(settings).get_record(shas["invoice"]).source.filename == "fattura caffè.pdf"

    # `show` tells how the original is protected, `hold` toggles the legal hold.
    env = office_env(office, overrides)
    sha = shas["invoice"]
    code, out, _ = cli(monkeypatch, capsys, env, "show", sha[:10])
    assert code == 0
    assert f"retention   GOVERNANCE until {kept['invoice']:%Y-%m-%d} (active" in out
    assert "legal hold  off" in out
    assert cli(monkeypatch, capsys, env, "hold", sha[:10], "--on")[0] == 0
    assert s3_client.get_object_legal_hold(Bucket=locked_bucket, Key=s3_prefix + original_key(sha))[
        "LegalHold"]["Status"] == "ON"
    assert "legal hold  ON" in cli(monkeypatch, capsys, env, "show", sha[:10])[1]
    assert cli(monkeypatch, capsys, env, "hold", sha[:10], "--off")[0] == 0
    assert "legal hold  off" in cli(monkeypatch, capsys, env, "show", sha[:10])[1]
    holds = [e for e in AuditLog(open_archive(settings).store).for_document(sha) if e.action == "legal-hold-set"]
    assert [e.details["on"] for e in holds] == [True, False]
    assert all(e.actor.startswith("cli:") for e in holds)  # audited as the API's admin endpoint is

    # An auditor's link delivers the original byte for byte.
    code, out, err = cli(monkeypatch, capsys, env, "get", sha[:10], "--url", "--expires", "120")
    assert code == 0 and "valid until" in err
    with urllib.request.urlopen(out.strip(), timeout=10) as response:
        assert response.read() == (office / "processed" / "fattura caffè.pdf").read_bytes()
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.headers["Content-Disposition"] == 'attachment; filename="fattura caffe.pdf"'


def test_migrate_copies_an_embedded_archive_into_the_bucket_verified_and_resumable(
        s3_server, locked_bucket, s3_prefix, s3_client, office, monkeypatch, capsys, tmp_path):
    local_settings = s3_server.settings(office, locked_bucket, s3_prefix, **{"store.backend": "local",
                                                                             "workers.count": 1})
    docs = [docgen.italian_invoice(tmp_path / "fattura.pdf", seed=21), docgen.contract(tmp_path / "contratto.pdf", seed=22)]
    # An e-invoice too: its rendering (copies/) moves under its original's retention.
    einvoice = tmp_path / "IT01234567890_mig01.xml"
    einvoice.write_bytes(fattura([Body(number="FT-M1")]))
    outcomes: list[str] = []
    run_ingest(local_settings, [*(d.path for d in docs), einvoice], stop=StopFlag(), handoff="keep",
               on_intake=lambda result: None, on_done=lambda done: outcomes.append(done.outcome), workers=1)
    assert outcomes == ["filed", "filed", "filed"]
    local = LocalStore(local_settings.store_path)
    keys = sorted(local.iter_keys(""))
    assert len(keys) >= 8  # two originals, records, record versions, texts

    env = office_env(office, {**s3_server.store_overrides(locked_bucket, s3_prefix), "store.backend": "local"})
    code, out, err = cli(monkeypatch, capsys, env, "migrate", "--to", "s3")
    assert code == 0, out + err
    assert f"copied {len(keys)} " in out and "failed 0" in out

    bucket = S3Store(s3_server.settings(office, locked_bucket, s3_prefix).store)
    assert sorted(bucket.iter_keys("")) == keys
    assert any(k.startswith("audit/log/") for k in keys)  # the audit trail moves with the documents
    moved = AuditLog(bucket).verify()
    assert moved.ok and moved.entries == AuditLog(local).verify().entries == 3
    for key in keys:
        assert bucket.info(key).sha256 == hashlib.sha256(local.local_path(key).read_bytes()).hexdigest()
    for doc in docs:
        sha = hashlib.sha256(doc.path.read_bytes()).hexdigest()
        info = bucket.info(original_key(sha))
        assert info.retention is not None and info.retention == local.info(original_key(sha)).retention
        bucket.get_file(original_key(sha), tmp_path / "back", sha256=sha)
    sha = hashlib.sha256(einvoice.read_bytes()).hexdigest()
    [rendering] = [k for k in keys if k.startswith("copies/")]
    kept = bucket.info(original_key(sha)).retention
    assert kept is not None and bucket.info(rendering).retention == kept == local.info(rendering).retention

    # Interrupted half-way (here: a text object never arrived): the second run copies only that.
    text_key = next(k for k in keys if k.startswith("text/"))
    bucket.delete(text_key)
    code, out, _ = cli(monkeypatch, capsys, env, "migrate", "--to", "s3")
    assert code == 0 and "copied 1 " in out and f"already there {len(keys) - 1}" in out

    # The S3 archive now serves the CLI like the local one did.
    sha = hashlib.sha256(docs[1].path.read_bytes()).hexdigest()
    s3_env = {**env, "ARCHIVIO_STORE_BACKEND": "s3"}
    code, out, _ = cli(monkeypatch, capsys, s3_env, "get", sha[:10], "-o", str(tmp_path / "again.pdf"))
    assert code == 0 and (tmp_path / "again.pdf").read_bytes() == docs[1].path.read_bytes()


def test_migrate_refuses_a_damaged_local_object_and_reports_it(s3_server, locked_bucket, s3_prefix, office,
                                                               monkeypatch, capsys, tmp_path):
    local_settings = s3_server.settings(office, locked_bucket, s3_prefix, **{"store.backend": "local"})
    local = LocalStore(local_settings.store_path)
    good, bad = b"%PDF good original", b"%PDF original later damaged"
    for data in (good, bad):
        sha = hashlib.sha256(data).hexdigest()
        (tmp_path / sha).write_bytes(data)
        local.put_file(original_key(sha), tmp_path / sha, sha256=sha, metadata={"class": "other"})
    damaged = original_key(hashlib.sha256(bad).hexdigest())
    local.local_path(damaged).write_bytes(b"%PDF original later DAMAGED")

    env = office_env(office, {**s3_server.store_overrides(locked_bucket, s3_prefix), "store.backend": "local"})
    code, out, _ = cli(monkeypatch, capsys, env, "migrate", "--to", "s3")

    assert code == 1
    assert "copied 1 " in out and "failed 1" in out and damaged in out
    bucket = S3Store(s3_server.settings(office, locked_bucket, s3_prefix).store)
    assert not bucket.exists(damaged)
