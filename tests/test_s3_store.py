"""What the S3 store adds on a real S3 server (SeaweedFS): Object Lock enforced by the server,
presigned links, multipart transfers, start-up checks, buckets without Object Lock."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import socket
import time
import tracemalloc
import urllib.error
import urllib.request
from pathlib import Path

import botocore.exceptions
import pytest

from pipeline.errors import RetentionLockedError, StoreError, StoreUnavailableError
from pipeline.store import Retention
from pipeline.store.exclusive import create_exclusive
from pipeline.store.s3 import S3Store, file_checksums
from services.seaweedfs.plugin import new_bucket


@pytest.fixture
def s3(s3_server, locked_bucket, s3_prefix, tmp_path) -> S3Store:
    store = S3Store(s3_server.settings(tmp_path, locked_bucket, s3_prefix).store)
    yield store
    store.close()


def stored(tmp_path: Path, s3: S3Store, data: bytes, *, retention: Retention | None = None,
           filename: str = "fattura.pdf") -> tuple[str, str]:
    sha = hashlib.sha256(data).hexdigest()
    src = tmp_path / f"src-{sha[:8]}"
    src.write_bytes(data)
    key = f"originals/{sha[:2]}/{sha}"
    s3.put_file(key, src, sha256=sha, metadata={"filename": filename, "class": "invoice"}, retention=retention)
    return key, sha


def in_a_day() -> dt.datetime:
    return (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)).replace(microsecond=0)


def denied(call) -> bool:
    try:
        call()
    except botocore.exceptions.ClientError as exc:
        return exc.response["Error"]["Code"] in ("AccessDenied", "403")
    return False


# -- Object Lock is the server's doing, not only ours -----------------------------------------
def test_the_server_refuses_to_delete_a_locked_version(s3, s3_client, tmp_path):
    key, _ = stored(tmp_path, s3, b"%PDF compliance", retention=Retention("COMPLIANCE", in_a_day()))
    info = s3.info(key)
    full = s3.prefix + key

    assert denied(lambda: s3_client.delete_object(Bucket=s3.bucket, Key=full, VersionId=info.version_id))
    assert denied(lambda: s3_client.delete_object(Bucket=s3.bucket, Key=full, VersionId=info.version_id,
                                                  BypassGovernanceRetention=True))
    body = s3_client.get_object(Bucket=s3.bucket, Key=full, VersionId=info.version_id)["Body"].read()
    assert body == b"%PDF compliance"


def test_overwriting_behind_the_store_leaves_the_locked_version_intact(s3, s3_client, tmp_path):
    key, sha = stored(tmp_path, s3, b"%PDF the real invoice", retention=Retention("GOVERNANCE", in_a_day()))
    locked = s3.info(key).version_id
    full = s3.prefix + key

    s3_client.put_object(Bucket=s3.bucket, Key=full, Body=b"%PDF a forgery")  # a new version, not a rewrite

    assert s3_client.get_object(Bucket=s3.bucket, Key=full, VersionId=locked)["Body"].read() == b"%PDF the real invoice"
    assert denied(lambda: s3_client.delete_object(Bucket=s3.bucket, Key=full, VersionId=locked))
    with pytest.raises(RetentionLockedError):
        s3.delete(key)  # the forgery on top is not locked, the original under it is


def test_the_server_enforces_a_legal_hold(s3, s3_client, tmp_path):
    key, _ = stored(tmp_path, s3, b"%PDF disputed")
    s3.set_legal_hold(key, True)
    version = s3.info(key).version_id

    assert denied(lambda: s3_client.delete_object(Bucket=s3.bucket, Key=s3.prefix + key, VersionId=version))
    s3.set_legal_hold(key, False)
    s3.delete(key)
    assert not s3.exists(key)
    assert not s3_client.list_object_versions(Bucket=s3.bucket, Prefix=s3.prefix + key).get("Versions")


# -- auditor links -----------------------------------------------------------------------------
def test_a_presigned_url_downloads_the_original_byte_for_byte_and_expires(s3, tmp_path):
    data = os.urandom(200_000)
    key, _ = stored(tmp_path, s3, data, filename="fattura Caffè Roma.pdf")

    url = s3.download_url(key, expires_seconds=2, filename="fattura Caffè Roma.pdf")
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read() == data
        assert response.headers["Content-Disposition"] == 'attachment; filename="fattura Caffe Roma.pdf"'
        assert response.headers["Content-Type"] == "application/pdf"

    time.sleep(3)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url, timeout=10)
    assert refused.value.code == 403


def test_an_unsigned_request_is_refused(s3, tmp_path):
    key, _ = stored(tmp_path, s3, b"%PDF private")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{s3.settings.endpoint_url}/{s3.bucket}/{s3.prefix}{key}", timeout=10)
    assert refused.value.code == 403


# -- large files -------------------------------------------------------------------------------
def test_a_60_mb_file_goes_through_multipart_in_bounded_memory_and_round_trips(s3_server, locked_bucket,
                                                                             s3_prefix, s3_client, tmp_path):
    store = S3Store(s3_server.settings(tmp_path, locked_bucket, s3_prefix, **{
        "store.multipart_threshold_mb": 8, "store.multipart_chunk_mb": 5, "store.max_concurrency": 2}).store)
    big = tmp_path / "big.tif"
    digest = hashlib.sha256()
    with big.open("wb") as fh:
        for _ in range(60):
            block = os.urandom(1 << 20)
            digest.update(block)
            fh.write(block)
    sha = digest.hexdigest()

    tracemalloc.start()
    try:
        store.put_file(f"incoming/{sha}", big, sha256=sha, metadata={"filename": "big.tif"})
        store.copy(f"incoming/{sha}", f"originals/{sha[:2]}/{sha}", retention=Retention("GOVERNANCE", in_a_day()))
        store.get_file(f"originals/{sha[:2]}/{sha}", tmp_path / "back.tif", sha256=sha)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert hashlib.sha256((tmp_path / "back.tif").read_bytes()).hexdigest() == sha
    for key in (f"incoming/{sha}", f"originals/{sha[:2]}/{sha}"):
        head = s3_client.head_object(Bucket=locked_bucket, Key=s3_prefix + key, PartNumber=1)
        assert head["PartsCount"] == 12  # 60 MB in 5 MB parts
    assert store.info(f"originals/{sha[:2]}/{sha}").retention is not None
    assert peak < 30 * (1 << 20), f"peak Python memory {peak / (1 << 20):.0f} MB for a 60 MB file"
    store.close()


def test_the_local_checksum_matches_what_s3_reports_for_a_multipart_upload(s3_server, locked_bucket, s3_prefix,
                                                                           s3_client, tmp_path):
    store = S3Store(s3_server.settings(tmp_path, locked_bucket, s3_prefix, **{
        "store.multipart_threshold_mb": 5, "store.multipart_chunk_mb": 5}).store)
    path = tmp_path / "odd.bin"
    path.write_bytes(os.urandom(11 * (1 << 20) + 12345))  # three parts, the last one short
    store.put_file("incoming/odd", path)
    reported = s3_client.head_object(Bucket=locked_bucket, Key=s3_prefix + "incoming/odd",
                                     ChecksumMode="ENABLED")["ChecksumSHA256"]
    assert reported == file_checksums(path, 5 << 20, 5 << 20).s3_checksum
    assert reported.endswith("-3")


# -- create-only writes -------------------------------------------------------------------------
def test_the_server_keeps_no_trace_of_the_creators_that_lost(s3, s3_client):
    key = "audit/log/000000000007.json"
    assert s3.create_bytes(key, b"winner") and not s3.create_bytes(key, b"loser")
    versions = s3_client.list_object_versions(Bucket=s3.bucket, Prefix=s3.prefix + key).get("Versions", [])
    assert len(versions) == 1  # refused before anything was stored, not hidden under a newer version
    assert s3_client.get_object(Bucket=s3.bucket, Key=s3.prefix + key)["Body"].read() == b"winner"


def test_a_server_that_ignores_if_none_match_is_detected_and_not_trusted(s3_server, locked_bucket, s3_prefix,
                                                                         s3_client, tmp_path, caplog):
    """The real server, reached by a client whose condition header never arrives: what an S3
    server that ignores conditional writes looks like to Archivio."""
    store = S3Store(s3_server.settings(tmp_path, locked_bucket, s3_prefix).store)

    def drop_condition(request, **kwargs):
        if "If-None-Match" in request.headers:
            del request.headers["If-None-Match"]

    store.client.meta.events.register("before-sign.s3.PutObject", drop_condition)
    with caplog.at_level(logging.WARNING):
        assert store.creates_exclusively is False
        assert create_exclusive(store, "audit/log/000000000001.json", b"first") is True
        assert create_exclusive(store, "audit/log/000000000001.json", b"second") is False  # the fallback's check
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "does not honour conditional writes" in messages and "offers no create-only write" in messages
    assert not s3_client.list_object_versions(Bucket=locked_bucket, Prefix=s3_prefix + ".archivio-probe/").get(
        "Versions")  # the probe cleaned up after itself
    store.close()


# -- start-up ----------------------------------------------------------------------------------
def test_a_missing_bucket_is_one_clear_message(s3_server, tmp_path):
    store = S3Store(s3_server.settings(tmp_path, "no-such-bucket-here").store)
    with pytest.raises(StoreError, match="the bucket no-such-bucket-here does not exist at http"):
        store.check()


def test_wrong_credentials_are_one_clear_message(s3_server, locked_bucket, tmp_path):
    settings = s3_server.settings(tmp_path, locked_bucket, **{"store.secret_access_key": "not-the-secret"})
    with pytest.raises(StoreError, match="check the credentials") as caught:
        S3Store(settings.store).check()
    assert not isinstance(caught.value, StoreUnavailableError)


def test_an_unreachable_endpoint_is_reported_as_unavailable_so_work_is_retried(s3_server, locked_bucket, tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once closed
    settings = s3_server.settings(tmp_path, locked_bucket, **{"store.endpoint_url": f"http://127.0.0.1:{port}",
                                                              "store.max_attempts": 1, "store.connect_timeout": 2.0})
    store = S3Store(settings.store)
    with pytest.raises(StoreUnavailableError, match=f"cannot reach the S3 endpoint at http://127.0.0.1:{port}"):
        store.check()
    with pytest.raises(StoreUnavailableError):
        store.exists("records/ab/abc.json")


# -- buckets without Object Lock ---------------------------------------------------------------
def test_a_bucket_without_object_lock_is_said_once_and_retention_is_not_pretended(s3_server, s3_client,
                                                                                tmp_path, caplog):
    bucket = new_bucket(s3_client, object_lock=False)
    store = S3Store(s3_server.settings(tmp_path, bucket).store)
    with caplog.at_level(logging.WARNING):
        store.check()
        store.check()
    warnings = [r.getMessage() for r in caplog.records if "no Object Lock" in r.getMessage()]
    assert len(warnings) == 1 and bucket in warnings[0]

    key, _ = stored(tmp_path, store, b"%PDF unlocked", retention=Retention("GOVERNANCE", in_a_day()))
    assert not store.enforces_retention
    assert store.info(key).retention is None  # nothing recorded that the bucket would not enforce
    with pytest.raises(StoreError, match="no Object Lock"):
        store.set_legal_hold(key, True)
    with pytest.raises(StoreError, match="no Object Lock"):
        store.set_retention(key, Retention("GOVERNANCE", in_a_day()))
    store.delete(key)
    assert not store.exists(key)


def test_metadata_is_ascii_on_the_wire_and_exact_when_read(s3, s3_client, tmp_path):
    key, sha = stored(tmp_path, s3, b"%PDF accents", filename="ricevuta_perché_€5.pdf")
    raw = s3_client.head_object(Bucket=s3.bucket, Key=s3.prefix + key)["Metadata"]
    assert raw["filename"].isascii() and raw["sha256"] == sha
    assert s3.info(key).metadata["filename"] == "ricevuta_perché_€5.pdf"
