"""Retention policy and store settings: per-class years, leap days, secrets kept out of sight,
and the same legal-hold and show commands on the embedded store."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from testkit import make_settings
from pipeline.cli import main
from pipeline.config import Settings, load_settings
from pipeline.errors import ConfigError, RetentionLockedError
from pipeline.records import Record, Source
from pipeline.store import Archive, LocalStore, Retention, retention_for
from pipeline.store.archive import original_key
from pipeline.store.s3 import ascii_filename, decode_metadata, encode_metadata

FILED = dt.datetime(2024, 5, 17, 9, 30, tzinfo=dt.timezone.utc)


def test_invoices_receipts_and_contracts_are_kept_ten_years_by_default(tmp_path):
    policy = make_settings(tmp_path).retention
    for doc_class in ("invoice", "receipt", "contract"):
        assert retention_for(policy, doc_class, FILED) == Retention("GOVERNANCE", FILED.replace(year=2034))
    assert retention_for(policy, "other", FILED) is None


def test_retention_follows_the_configured_mode_and_years(tmp_path):
    policy = make_settings(tmp_path, **{"retention.mode": "COMPLIANCE", "retention.receipt_years": 5,
                                        "retention.other_years": 1}).retention
    assert retention_for(policy, "receipt", FILED) == Retention("COMPLIANCE", FILED.replace(year=2029))
    assert retention_for(policy, "other", FILED).until == FILED.replace(year=2025)


def test_a_document_filed_on_a_leap_day_is_kept_until_28_february():
    policy = load_settings(env={}).retention
    leap = dt.datetime(2024, 2, 29, 12, tzinfo=dt.timezone.utc)
    assert retention_for(policy, "invoice", leap).until == dt.datetime(2034, 2, 28, 12, tzinfo=dt.timezone.utc)


def test_retention_settings_come_from_the_environment_and_are_validated():
    settings = load_settings(env={"ARCHIVIO_RETENTION_INVOICE_YEARS": "12", "ARCHIVIO_RETENTION_MODE": "COMPLIANCE"})
    assert settings.retention.invoice_years == 12 and settings.retention.mode == "COMPLIANCE"
    with pytest.raises(ConfigError, match="retention.mode"):
        load_settings(env={"ARCHIVIO_RETENTION_MODE": "FOREVER"})


def test_an_s3_store_needs_a_bucket_and_a_valid_part_size():
    with pytest.raises(ConfigError, match="store.bucket"):
        load_settings(env={"ARCHIVIO_STORE_BACKEND": "s3"})
    with pytest.raises(ConfigError, match="store.multipart_chunk_mb"):
        load_settings(env={"ARCHIVIO_STORE_MULTIPART_CHUNK_MB": "1"})
    assert load_settings(env={"ARCHIVIO_STORE_PREFIX": "/archivio/ufficio/"}).store.prefix == "archivio/ufficio/"


def test_the_secret_key_is_masked_when_shown_but_reaches_the_workers():
    settings = load_settings(env={"ARCHIVIO_STORE_SECRET_ACCESS_KEY": "s3cr3t"})
    assert "s3cr3t" not in settings.model_dump_json()
    assert settings.model_dump(mode="json")["store"]["secret_access_key"] == "********"
    handed_over = Settings.model_validate_json(settings.model_dump_json(context={"reveal_secrets": True}))
    assert handed_over.store.secret_access_key.get_secret_value() == "s3cr3t"


def test_s3_metadata_encoding_is_ascii_and_reversible():
    meta = {"filename": "100% fattura «caffè» €.pdf", "class": "invoice", "folder": "fornitori/2024"}
    encoded = encode_metadata(meta)
    assert all(v.isascii() and v.isprintable() for v in encoded.values())
    assert encoded["class"] == "invoice" and encoded["folder"] == "fornitori/2024"  # plain values stay readable
    assert decode_metadata(encoded) == meta
    assert ascii_filename('contratto "Società".pdf') == "contratto Societa.pdf"


def test_hold_and_show_work_on_the_embedded_store(office, monkeypatch, capsys):
    """Same commands, same protection on a laptop: the local store refuses to delete a held original."""
    settings = make_settings(office)
    archive = Archive(LocalStore(settings.store_path))
    data = b"%PDF-1.4 contratto"
    sha = hashlib.sha256(data).hexdigest()
    (office / "c.pdf").write_bytes(data)
    archive.put_incoming(office / "c.pdf", sha, {"filename": "c.pdf"})
    archive.file_original(sha, {"class": "contract"}, retention_for(settings.retention, "contract", FILED))
    archive.save_record(Record(id=sha, sha256=sha, size=len(data), media_type="application/pdf",
                               source=Source(filename="c.pdf", received_at=FILED), **{"class": "contract"},
                               ingested_at=FILED, filed_at=FILED))
    for name in ("inbox", "processed", "quarantine", "duplicates", "data"):
        monkeypatch.setenv(f"ARCHIVIO_PATHS_{name.upper()}", str(office / name))

    assert main(["hold", sha[:8], "--on"]) == 0
    assert main(["show", sha[:8]]) == 0
    out = capsys.readouterr().out
    assert "retention   GOVERNANCE until 2034-05-17 (active" in out and "legal hold  ON" in out
    assert main(["get", sha[:8], "--url"]) == 1  # no links from a folder
    assert "cannot make download links" in capsys.readouterr().err
    with pytest.raises(RetentionLockedError, match="legal hold"):
        archive.store.delete(original_key(sha))
