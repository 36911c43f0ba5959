"""The ``ObjectStore`` contract, written once and proved against every store.

``store`` is the local folder store and the S3 store on a real SeaweedFS bucket with Object Lock;
each test runs against both. ``tamper`` changes an object's bytes behind the store's back: on
disk for the local store, with a plain S3 client (keeping the recorded metadata) for S3.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
from pathlib import Path

import pytest

from pipeline.errors import IntegrityError, NotFoundError, RetentionLockedError, StoreError
from pipeline.records import Record, Source
from pipeline.store import Archive, LocalStore, Retention
from pipeline.store.archive import original_key
from pipeline.store.s3 import S3Store

ACCENTED = "fattura_caffè «n. 7» ünïcode.pdf"


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path: Path):
    if request.param == "local":
        yield LocalStore(tmp_path / "store")
        return
    server = request.getfixturevalue("s3_server")
    settings = server.settings(tmp_path, request.getfixturevalue("locked_bucket"), request.getfixturevalue("s3_prefix"))
    store = S3Store(settings.store)
    store.check()
    yield store
    store.close()


def twin(store):
    """Another store object on the same objects, as another process would open it."""
    if isinstance(store, LocalStore):
        return LocalStore(store.root)
    return S3Store(store.settings)


def tamper(store, key: str, data: bytes) -> None:
    """Replace an object's bytes without telling the store (bit rot, or someone with raw access)."""
    if isinstance(store, LocalStore):
        store.local_path(key).write_bytes(data)
        return
    full = store.prefix + key
    head = store.client.head_object(Bucket=store.bucket, Key=full)
    store.client.put_object(Bucket=store.bucket, Key=full, Body=data, Metadata=head["Metadata"])


def write(path: Path, data: bytes) -> tuple[Path, str]:
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


def days_from_now(days: int) -> dt.datetime:
    return (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=days)).replace(microsecond=0)


def test_file_round_trips_byte_for_byte_with_its_metadata(store, tmp_path):
    src, sha = write(tmp_path / "scan.pdf", os.urandom(300_000))
    store.put_file(f"incoming/{sha}", src, sha256=sha, metadata={"filename": ACCENTED, "class": "invoice"})

    out = tmp_path / "out.pdf"
    store.get_file(f"incoming/{sha}", out, sha256=sha)
    assert out.read_bytes() == src.read_bytes()
    info = store.info(f"incoming/{sha}")
    assert info.size == 300_000 and info.sha256 == sha
    assert info.metadata["filename"] == ACCENTED  # non-ASCII survives S3's ASCII-only metadata
    assert info.metadata["class"] == "invoice"


def test_storing_the_same_original_twice_is_a_no_op(store, tmp_path):
    src, sha = write(tmp_path / "a.pdf", b"%PDF-1.4 same bytes")
    store.put_file(f"originals/{sha[:2]}/{sha}", src, sha256=sha, metadata={"filename": "first.pdf"})
    before = store.info(f"originals/{sha[:2]}/{sha}")

    store.put_file(f"originals/{sha[:2]}/{sha}", src, sha256=sha, metadata={"filename": "second.pdf"})

    after = store.info(f"originals/{sha[:2]}/{sha}")
    assert after.metadata["filename"] == "first.pdf"  # not rewritten
    assert after.version_id == before.version_id


def test_bytes_that_do_not_match_their_address_are_refused(store, tmp_path):
    src, _ = write(tmp_path / "a.pdf", b"what the file really holds")
    claimed = hashlib.sha256(b"what the caller believes").hexdigest()
    with pytest.raises(IntegrityError):
        store.put_file(f"incoming/{claimed}", src, sha256=claimed)
    assert not store.exists(f"incoming/{claimed}")


def test_a_corrupted_object_is_detected_on_read(store, tmp_path):
    src, sha = write(tmp_path / "a.pdf", os.urandom(50_000))
    store.put_file(f"incoming/{sha}", src, sha256=sha)
    tamper(store, f"incoming/{sha}", os.urandom(50_000))

    out = tmp_path / "out.pdf"
    with pytest.raises(IntegrityError) as caught:
        store.get_file(f"incoming/{sha}", out)  # checked against the SHA-256 recorded at write time
    assert sha in str(caught.value)
    assert not out.exists()  # nothing damaged is handed over
    with pytest.raises(IntegrityError):
        store.get_file(f"incoming/{sha}", out, sha256=sha)

    # A fixity check or an export hashes the bytes itself and must see what is really stored.
    store.get_file(f"incoming/{sha}", out, check=False)
    assert hashlib.sha256(out.read_bytes()).hexdigest() != sha


def test_a_damaged_original_names_its_document(store, tmp_path):
    archive = Archive(store)
    src, sha = write(tmp_path / "a.pdf", b"%PDF-1.4 original")
    archive.put_incoming(src, sha, {"filename": "a.pdf"})
    archive.file_original(sha, {"class": "receipt"}, retention=None)
    tamper(store, original_key(sha), b"%PDF-1.4 altered")

    with pytest.raises(IntegrityError, match=f"document {sha[:12]}"):
        archive.get_original(sha, tmp_path / "out.pdf")


def test_small_objects_round_trip_and_damage_is_detected(store):
    store.put_bytes("records/ab/abc.json", b'{"a": 1}', metadata={"sha256": "x"}, content_type="application/json")
    assert store.get_bytes("records/ab/abc.json") == b'{"a": 1}'
    store.put_bytes("records/ab/abc.json", b'{"a": 2}')  # records change after review
    assert store.get_bytes("records/ab/abc.json") == b'{"a": 2}'

    store.put_bytes("text/ab/abc.txt", "città".encode(), metadata={"class": "other"})
    tamper(store, "text/ab/abc.txt", "citta".encode())
    with pytest.raises(IntegrityError):
        store.get_bytes("text/ab/abc.txt")


def test_missing_objects(store, tmp_path):
    assert not store.exists("records/zz/nothing.json")
    with pytest.raises(NotFoundError):
        store.get_bytes("records/zz/nothing.json")
    with pytest.raises(NotFoundError):
        store.get_file("records/zz/nothing.json", tmp_path / "x")
    with pytest.raises(NotFoundError):
        store.info("records/zz/nothing.json")
    store.delete("records/zz/nothing.json")  # not an error


def test_keys_are_listed_by_prefix_and_deleted_completely(store):
    for key in ("records/ab/ab1.json", "records/ab/ab2.json", "records/cd/cd1.json", "text/ab/ab1.txt"):
        store.put_bytes(key, b"{}")
    assert sorted(store.iter_keys("records/")) == ["records/ab/ab1.json", "records/ab/ab2.json", "records/cd/cd1.json"]
    assert list(store.iter_keys("records/ab/ab2")) == ["records/ab/ab2.json"]

    store.delete("records/ab/ab1.json")
    assert not store.exists("records/ab/ab1.json")
    assert sorted(store.iter_keys("records/ab/")) == ["records/ab/ab2.json"]


def test_filing_copies_with_metadata_and_retention(store, tmp_path):
    src, sha = write(tmp_path / "a.pdf", b"%PDF-1.4 invoice")
    store.put_file(f"incoming/{sha}", src, sha256=sha, metadata={"filename": ACCENTED})
    until = days_from_now(1)

    store.copy(f"incoming/{sha}", f"originals/{sha[:2]}/{sha}", metadata={"class": "invoice"},
               retention=Retention("GOVERNANCE", until))

    info = store.info(f"originals/{sha[:2]}/{sha}")
    assert info.sha256 == sha
    assert info.metadata["filename"] == ACCENTED and info.metadata["class"] == "invoice"
    assert info.retention == Retention("GOVERNANCE", until)
    assert info.locked


def test_a_locked_original_cannot_be_deleted_or_overwritten(store, tmp_path):
    src, sha = write(tmp_path / "a.pdf", b"%PDF-1.4 kept ten years")
    key = f"originals/{sha[:2]}/{sha}"
    store.put_file(key, src, sha256=sha, retention=Retention("COMPLIANCE", days_from_now(1)))

    with pytest.raises(RetentionLockedError, match="COMPLIANCE retention until"):
        store.delete(key)
    other, _ = write(tmp_path / "b.pdf", b"%PDF-1.4 something else")
    with pytest.raises(RetentionLockedError):
        store.put_file(key, other)

    out = tmp_path / "out.pdf"
    store.get_file(key, out, sha256=sha)
    assert out.read_bytes() == src.read_bytes()


def test_retention_is_extended_never_shortened(store, tmp_path):
    src, sha = write(tmp_path / "a.pdf", b"%PDF-1.4 extend")
    store.put_file(f"incoming/{sha}", src, sha256=sha)
    key = f"originals/{sha[:2]}/{sha}"
    one, two, three = days_from_now(1), days_from_now(2), days_from_now(3)  # once: a second may tick between calls
    store.copy(f"incoming/{sha}", key, retention=Retention("GOVERNANCE", two))

    store.copy(f"incoming/{sha}", key, retention=Retention("GOVERNANCE", one))
    assert store.info(key).retention.until == two
    store.copy(f"incoming/{sha}", key, retention=Retention("GOVERNANCE", three))
    assert store.info(key).retention.until == three


def test_a_legal_hold_blocks_deletion_until_lifted(store, tmp_path):
    src, sha = write(tmp_path / "a.pdf", b"%PDF-1.4 disputed contract")
    key = f"originals/{sha[:2]}/{sha}"
    store.put_file(key, src, sha256=sha)

    store.set_legal_hold(key, True)
    assert store.info(key).legal_hold
    with pytest.raises(RetentionLockedError, match="legal hold"):
        store.delete(key)
    assert store.exists(key)

    store.set_legal_hold(key, False)
    assert not store.info(key).legal_hold
    store.delete(key)
    assert not store.exists(key)


def test_record_versions_are_all_kept(store):
    archive = Archive(store)
    now = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)
    sha = hashlib.sha256(b"doc").hexdigest()
    record = Record(id=sha, sha256=sha, size=3, media_type="application/pdf", source=Source(filename="f.pdf",
                    received_at=now), **{"class": "invoice"}, ingested_at=now, text="prima versione")
    archive.save_record(record)
    archive.save_record(record.model_copy(update={"version": 2, "doc_class": "receipt", "text": "seconda"}))

    assert archive.get_record(sha).version == 2
    assert [(r.version, r.doc_class) for r in archive.record_versions(sha)] == [(1, "invoice"), (2, "receipt")]
    assert archive.resolve(sha[:8]) == sha


def test_retention_is_extended_on_request_and_never_weakened(store, tmp_path):
    src, sha = write(tmp_path / "a.pdf", b"%PDF-1.4 under inspection")
    key = f"originals/{sha[:2]}/{sha}"
    two, three, four = days_from_now(2), days_from_now(3), days_from_now(4)
    store.put_file(key, src, sha256=sha, retention=Retention("GOVERNANCE", two))

    store.set_retention(key, Retention("GOVERNANCE", three))
    assert store.info(key).retention == Retention("GOVERNANCE", three)
    with pytest.raises(RetentionLockedError, match="never shortened"):
        store.set_retention(key, Retention("GOVERNANCE", two))

    store.set_retention(key, Retention("COMPLIANCE", three))  # stricter, same date
    assert store.info(key).retention == Retention("COMPLIANCE", three)
    with pytest.raises(RetentionLockedError, match="never shortened"):
        store.set_retention(key, Retention("COMPLIANCE", two))
    with pytest.raises(RetentionLockedError, match="cannot be turned into GOVERNANCE"):
        store.set_retention(key, Retention("GOVERNANCE", four))
    store.set_retention(key, Retention("COMPLIANCE", four))
    assert store.info(key).retention == Retention("COMPLIANCE", four)

    with pytest.raises(StoreError, match="not in the future"):
        store.set_retention(key, Retention("COMPLIANCE", days_from_now(-1)))
    with pytest.raises(NotFoundError):
        store.set_retention(f"originals/{sha[:2]}/{'0' * 64}", Retention("GOVERNANCE", two))


def test_a_retention_set_after_filing_locks_the_original(store, tmp_path):
    src, sha = write(tmp_path / "a.pdf", b"%PDF-1.4 filed without retention")
    key = f"originals/{sha[:2]}/{sha}"
    store.put_file(key, src, sha256=sha)

    store.set_retention(key, Retention("GOVERNANCE", days_from_now(1)))

    with pytest.raises(RetentionLockedError, match="GOVERNANCE retention until"):
        store.delete(key)
    assert store.exists(key)


def test_create_bytes_writes_once_and_never_overwrites(store):
    key = "audit/log/000000000001.json"
    assert store.creates_exclusively

    assert store.create_bytes(key, b'{"seq": 1, "by": "first"}', content_type="application/json") is True
    assert store.create_bytes(key, b'{"seq": 1, "by": "second"}', content_type="application/json") is False
    assert store.get_bytes(key) == b'{"seq": 1, "by": "first"}'
    # The same bytes again are a retried write (its first answer lost), not a rival's.
    assert store.create_bytes(key, b'{"seq": 1, "by": "first"}') is True


def test_of_concurrent_creators_exactly_one_wins(store):
    """Each creator has its own store object (its own connections), as separate processes would.
    SeaweedFS queues conditional writes to one key behind a lock it retries once a second, so a
    few rounds keep this quick."""
    creators = 6
    stores = [twin(store) for _ in range(creators)]
    for round_ in range(3):
        key = f"record-versions/ab/{'ab' * 32}/{round_ + 1:06d}.json"
        barrier = threading.Barrier(creators)
        won: dict[int, bool] = {}

        def create(i: int) -> None:
            barrier.wait()
            won[i] = stores[i].create_bytes(key, f'{{"writer": {i}}}'.encode())

        threads = [threading.Thread(target=create, args=(i,)) for i in range(creators)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        winners = [i for i, ok in won.items() if ok]
        assert len(won) == creators and len(winners) == 1, f"round {round_}: winners {winners}"
        assert store.get_bytes(key) == f'{{"writer": {winners[0]}}}'.encode()
    for other in stores:
        other.close()
