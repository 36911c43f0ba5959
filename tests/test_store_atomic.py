"""The local store replaces an object's bytes and its hash together, and `check` carries on past
a damaged object (issue 11, item 3)."""

from __future__ import annotations

import threading

import pytest

from index_corpus import make_record
from pipeline.check import check
from pipeline.errors import IntegrityError
from pipeline.index import open_index
from pipeline.journal import Journal
from pipeline.store import Archive, LocalStore
from pipeline.store.archive import record_key


def test_readers_never_see_bytes_of_one_write_with_the_hash_of_another(tmp_path):
    store = LocalStore(tmp_path / "store")
    key = "records/ab/doc.json"
    store.put_bytes(key, b'{"version": 0}', metadata={"class": "invoice"})
    stop = threading.Event()
    errors: list[Exception] = []

    def writer():
        n = 0
        while not stop.is_set():
            n += 1
            store.put_bytes(key, b'{"version": %d}' % n + b" " * (n % 7), metadata={"class": "invoice"})

    def reader():
        for _ in range(3000):
            try:
                store.get_bytes(key)
            except IntegrityError as exc:
                errors.append(exc)
            except FileNotFoundError:
                pass

    threads = [threading.Thread(target=writer), threading.Thread(target=writer)]
    for t in threads:
        t.start()
    try:
        reader()
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert errors == [], f"{len(errors)} reads saw a torn object: {errors[0]}"


def test_a_crash_between_the_bytes_and_the_sidecar_leaves_a_readable_object(tmp_path, monkeypatch):
    store = LocalStore(tmp_path / "store")
    key = "records/ab/doc.json"
    store.put_bytes(key, b'{"version": 1}', metadata={"class": "invoice"})

    def crash(*args, **kwargs):
        raise KeyboardInterrupt("power cut")

    monkeypatch.setattr(store, "_write_meta", crash)
    with pytest.raises(KeyboardInterrupt):
        store.put_bytes(key, b'{"version": 2}', metadata={"class": "invoice"})
    monkeypatch.undo()
    assert store.get_bytes(key) == b'{"version": 2}'
    assert store.info(key).sha256 is not None


def test_check_reports_a_damaged_record_and_checks_the_rest(settings):
    archive = Archive(LocalStore(settings.store_location))
    records = [make_record(f"doc-{n}", "invoice", f"Fattura {n}", filename=f"f{n}.pdf") for n in range(3)]
    for record in records:
        archive.save_record(record)
    index = open_index(settings)
    index.upsert(records)
    damaged = sorted(r.id for r in records)[0]
    path = archive.store.local_path(record_key(damaged))
    with path.open("ab") as fh:
        fh.write(b" appended by someone")

    report = check(archive, index, Journal(settings.journal_path), repair=False)
    assert [doc_id for doc_id, _ in report.damaged] == [damaged]
    assert report.records == 3
    assert report.orphans_in_index == []  # its index entry is not removed as an orphan
    assert any(damaged[:12] in problem for problem in report.serious)
