"""Grouped durability in the local store: fewer fsyncs, and still nothing lost by a power cut.

A rename (or link, unlink, mkdir) survives a power cut only once its folder has been fsynced.
``Disk`` watches the real calls and keeps, per folder, the entries changed since the folder's
last fsync. The tests check the order that "nothing lost" rests on: an object is durable before
anything that depends on it happens (the incoming copy deleted once the filed copy exists, the
journal told once the record is stored), and that grouping does pay (fewer folder fsyncs).
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from pathlib import Path

import pytest

from pipeline.records import Record, Source, utcnow
from pipeline.store import Archive, LocalStore
from pipeline.store.archive import incoming_key, original_key, record_key, record_version_key, text_key


class Disk:
    """Which directory entries a power cut would lose right now."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.pending: dict[str, set[str]] = defaultdict(set)
        self.folder_syncs: list[str] = []
        self.file_syncs = 0
        self.on_unlink: list = []  # callbacks run just before an unlink, to check the order
        real_replace, real_link, real_fsync, real_mkdir = os.replace, os.link, os.fsync, os.mkdir
        real_unlink = Path.unlink

        def changed(path) -> None:
            path = os.path.abspath(path)
            self.pending[os.path.dirname(path)].add(os.path.basename(path))

        def replace(src, dst, **kw):
            real_replace(src, dst, **kw)
            changed(dst)

        def link(src, dst, **kw):
            real_link(src, dst, **kw)
            changed(dst)

        def mkdir(path, *args, **kw):
            real_mkdir(path, *args, **kw)
            changed(path)

        def unlink(path, missing_ok=False):
            if not Path(path).name.startswith(".tmp-"):  # temporary files were never durable names
                for check in self.on_unlink:
                    check(Path(path))
            real_unlink(path, missing_ok=missing_ok)
            changed(path)

        def fsync(fd):
            real_fsync(fd)
            target = os.readlink(f"/proc/self/fd/{fd}")
            if os.path.isdir(target):
                self.folder_syncs.append(target)
                self.pending.pop(target, None)
            else:
                self.file_syncs += 1

        monkeypatch.setattr(os, "replace", replace)
        monkeypatch.setattr(os, "link", link)
        monkeypatch.setattr(os, "mkdir", mkdir)
        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(Path, "unlink", unlink)

    def durable(self, path: Path) -> bool:
        """The entry and every folder above it would survive a power cut now."""
        path = Path(os.path.abspath(path))
        for at in (path, *path.parents):
            if at.name in self.pending.get(str(at.parent), ()):
                return False
        return True


def _record(sha: str, text: str = "Fattura n. 12 del 03/09/2025") -> Record:
    return Record(id=sha, sha256=sha, size=100, media_type="application/pdf", doc_class="invoice",
                  class_confidence=0.9, language="it", pages=1, text=text, ingested_at=utcnow(),
                  source=Source(filename="fattura.pdf", folder="", received_at=utcnow()))


@pytest.fixture
def original(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "fattura.pdf"
    path.write_bytes(b"%PDF-1.4 a document " * 50)
    return path, hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_batch_makes_its_writes_durable_at_its_end_with_one_fsync_per_folder(tmp_path, monkeypatch):
    store = LocalStore(tmp_path / "store")
    store.put_bytes("a/one", b"1")  # the folder exists already
    disk = Disk(monkeypatch)
    with store.durable_batch():
        store.put_bytes("a/two", b"2", metadata={"k": "v"})  # object and sidecar, one folder
        store.put_bytes("a/three", b"3")
        store.put_bytes("b/c/four", b"4")  # two new folders
        # Staged: nothing is published inside the batch; the objects appear together at its end.
        assert not (tmp_path / "store/a/two").exists() and not disk.file_syncs
    for key in ("a/two", "a/two.meta.json", "a/three", "b/c/four"):
        assert disk.durable(tmp_path / "store" / key), key
    assert disk.file_syncs == 4  # every file still fsynced before its rename: an object is always whole
    # a/, b/c/ for the objects, the store root for b/, b/ for c/: each once
    assert sorted(disk.folder_syncs) == sorted({str(tmp_path / "store" / f) for f in ("a", "b/c", "", "b")})


def test_without_a_batch_every_write_is_durable_when_it_returns(tmp_path, monkeypatch):
    store = LocalStore(tmp_path / "store")
    disk = Disk(monkeypatch)
    store.put_bytes("x/y/z", b"1")
    assert disk.durable(tmp_path / "store/x/y/z")  # the new folders too, not only the file's entry
    store.create_bytes("x/y/w", b"2")
    assert disk.durable(tmp_path / "store/x/y/w")


def test_a_delete_inside_a_batch_waits_until_what_was_written_before_is_durable(tmp_path, monkeypatch):
    store = LocalStore(tmp_path / "store")
    store.put_bytes("incoming/doc", b"1")
    disk = Disk(monkeypatch)
    seen = []
    disk.on_unlink.append(lambda path: seen.append((path.name, disk.durable(tmp_path / "store/filed/doc")))
                          if path.parent.name == "incoming" else None)
    with store.durable_batch():
        store.put_bytes("filed/doc", b"1")
        store.delete("incoming/doc")
    assert seen and all(durable for _, durable in seen), seen


def test_a_batch_that_fails_still_leaves_what_it_renamed_durable(tmp_path, monkeypatch):
    store = LocalStore(tmp_path / "store")
    disk = Disk(monkeypatch)
    with pytest.raises(RuntimeError), store.durable_batch():
        store.put_bytes("a/b", b"1")
        raise RuntimeError("a crash of the caller")
    assert disk.durable(tmp_path / "store/a/b")


def test_filing_a_document_never_drops_the_incoming_copy_before_the_filed_one_is_durable(
        tmp_path, monkeypatch, original):
    path, sha = original
    root = tmp_path / "store"
    archive = Archive(LocalStore(root))
    disk = Disk(monkeypatch)
    archive.put_incoming(path, sha, {"filename": path.name})
    assert disk.durable(root / incoming_key(sha))  # before intake journals the job and moves the file
    assert disk.durable(root / (incoming_key(sha) + ".meta.json"))

    order = []
    disk.on_unlink.append(lambda p: order.append(
        (p.name, disk.durable(root / original_key(sha)), disk.durable(root / (original_key(sha) + ".meta.json"))))
        if p.parent.name == "incoming" else None)
    archive.file_original(sha, {"class": "invoice"}, retention=None)
    assert order and all(o and m for _, o, m in order), order

    record = _record(sha)
    assert archive.save_record(record)
    for key in (record_version_key(sha, record.version), record_key(sha), record_key(sha) + ".meta.json", text_key(sha)):
        assert disk.durable(root / key), key  # before the dispatcher tells the journal "stored"


def test_filing_a_document_costs_fewer_folder_fsyncs_than_one_per_object(tmp_path, monkeypatch, original):
    path, sha = original
    root = tmp_path / "store"
    archive = Archive(LocalStore(root))
    for prefix in ("incoming", "originals/" + sha[:2], "records/" + sha[:2], "text/" + sha[:2],
                   "record-versions/" + sha[:2]):
        (root / prefix).mkdir(parents=True)  # an archive that has filed documents before
    disk = Disk(monkeypatch)
    archive.put_incoming(path, sha, {"filename": path.name})
    archive.file_original(sha, {"class": "invoice"}, retention=None)
    archive.save_record(_record(sha))
    # 8 objects (incoming + sidecar, original + sidecar, version, record + sidecar, text) and the
    # version's new folder: one folder fsync per object would be 9; grouped, each folder once.
    assert disk.file_syncs == 8
    assert len(disk.folder_syncs) == 6, disk.folder_syncs


def test_a_crash_between_the_filed_original_and_its_sidecar_is_repaired_by_the_rerun(tmp_path, monkeypatch, original):
    """Killed after the original's bytes were renamed into place but before its sidecar (class,
    filename, retention): the job runs again, finds the original there, and must still write the
    sidecar, or the original would stay without its retention, deletable."""
    import datetime as dt

    from pipeline.store import Retention

    path, sha = original
    store = LocalStore(tmp_path / "store")
    archive = Archive(store)
    archive.put_incoming(path, sha, {"filename": path.name})
    real_write_meta = LocalStore._write_meta

    def killed(self, key, meta):
        if key.startswith("originals/"):
            raise KeyboardInterrupt("killed")  # stands in for SIGKILL: nothing after it runs
        real_write_meta(self, key, meta)

    monkeypatch.setattr(LocalStore, "_write_meta", killed)
    retention = Retention("COMPLIANCE", dt.datetime(2035, 1, 1, tzinfo=dt.timezone.utc))
    with pytest.raises(KeyboardInterrupt):
        archive.file_original(sha, {"class": "invoice"}, retention=retention)
    monkeypatch.setattr(LocalStore, "_write_meta", real_write_meta)
    assert store.exists(original_key(sha)) and store.exists(incoming_key(sha))

    archive.file_original(sha, {"class": "invoice"}, retention=retention)  # the job, run again
    info = archive.original_info(sha)
    assert info.metadata.get("class") == "invoice" and info.retention == retention
    assert not store.exists(incoming_key(sha))
