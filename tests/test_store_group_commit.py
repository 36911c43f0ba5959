"""Group commit in the local store: a batch's writes are staged, then fsynced together (one
journal commit for all of them instead of one each), renamed, and their folders fsynced together.

What must still hold: every object is fsynced before its name appears (whole after a power cut);
nothing staged appears before what was done ahead of it is durable; inside the batch, reads see
the batch's own writes; a failed publish leaves neither objects nor temporary files.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from pipeline.store import LocalStore
from test_store_durable_batch import Disk


def _is_dir(fd: int) -> bool:
    return os.path.isdir(os.readlink(f"/proc/self/fd/{fd}"))


def test_the_files_of_a_batch_are_fsynced_at_the_same_time(tmp_path, monkeypatch):
    """Three staged objects: their fsyncs must all be waiting at once (a barrier of three). One
    after another, as before, the first would wait at the barrier alone and break it."""
    store = LocalStore(tmp_path / "store")
    store.put_bytes("a/zero", b"0")
    barrier = threading.Barrier(3, timeout=10)
    real_fsync = os.fsync

    def fsync(fd):
        if not _is_dir(fd):
            barrier.wait()
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with store.durable_batch():
        store.put_bytes("a/one", b"1")
        store.put_bytes("a/two", b"2")
        store.put_bytes("a/three", b"3")
    assert [store.get_bytes(f"a/{k}") for k in ("one", "two", "three")] == [b"1", b"2", b"3"]


def test_every_staged_file_is_fsynced_before_any_of_them_is_renamed(tmp_path, monkeypatch):
    store = LocalStore(tmp_path / "store")
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        real_fsync(fd)
        events.append("dir" if _is_dir(fd) else "file")

    def replace(src, dst, **kw):
        real_replace(src, dst, **kw)
        events.append("rename")

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    with store.durable_batch():
        store.put_bytes("a/one", b"1", metadata={"k": "v"})
        store.put_bytes("a/two", b"2")
    first_rename = events.index("rename")
    assert events[:first_rename].count("file") == 3 and "file" not in events[first_rename:]
    assert events[-1] == "dir"  # the renames made durable last


def test_inside_a_batch_reads_see_the_batchs_own_writes(tmp_path):
    store = LocalStore(tmp_path / "store")
    store.put_bytes("r/doc.json", b"old", metadata={"class": "invoice"})
    with store.durable_batch():
        store.put_bytes("r/doc.json", b"new", metadata={"class": "receipt"})
        assert store.exists("r/doc.json") and store.get_bytes("r/doc.json") == b"new"
        assert store.info("r/doc.json").metadata == {"class": "receipt"}
        store.put_bytes("r/other.json", b"x")
        assert sorted(store.iter_keys("r/")) == ["r/doc.json", "r/other.json"]
        store.put_bytes("r/other.json", b"y")  # the same key twice in one batch: the last write wins
    assert store.get_bytes("r/other.json") == b"y"


def test_a_staged_write_appears_only_once_what_came_before_it_is_durable(tmp_path, monkeypatch):
    """An entry created at once (create-only, as the audit chain's) and objects staged after it:
    when a staged name appears, the created entry must already survive a power cut."""
    store = LocalStore(tmp_path / "store")
    disk = Disk(monkeypatch)
    seen = []
    real_replace = os.replace

    def replace(src, dst, **kw):
        if not Path(dst).name.startswith(".tmp-"):
            seen.append((Path(dst).name, disk.durable(tmp_path / "store/log/000001")))
        real_replace(src, dst, **kw)

    monkeypatch.setattr(os, "replace", replace)
    with store.durable_batch():
        assert store.create_bytes("log/000001", b"entry")
        store.put_bytes("pointers/doc/000001", b"hash")
        store.put_bytes("head.json", b"{}")
    assert seen and all(durable for _, durable in seen), seen
    for key in ("log/000001", "pointers/doc/000001", "head.json"):
        assert disk.durable(tmp_path / "store" / key), key


def test_a_failed_publish_leaves_no_object_and_no_temporary_file(tmp_path, monkeypatch):
    store = LocalStore(tmp_path / "store")
    store.put_bytes("a/kept", b"0")
    real_fsync = os.fsync

    def failing(fd):
        if not _is_dir(fd):
            raise OSError(5, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing)
    with pytest.raises(OSError), store.durable_batch():
        store.put_bytes("a/one", b"1")
        store.put_bytes("a/two", b"2")
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert sorted(p.name for p in (tmp_path / "store/a").iterdir()) == ["kept"]


def test_listing_a_prefix_whose_folder_does_not_exist_reads_nothing(tmp_path, monkeypatch):
    """A new document's audit lookup lists `audit/documents/<id[:2]>/<id>/`: that must not walk
    the whole archive when the folder is not there yet."""
    store = LocalStore(tmp_path / "store")
    for n in range(5):
        store.put_bytes(f"records/a{n}/doc.json", b"{}")
    walked = []
    real_walk = os.walk
    monkeypatch.setattr(os, "walk", lambda top, *a, **k: walked.append(top) or real_walk(top, *a, **k))
    assert list(store.iter_keys("audit/documents/ab/abcdef/")) == []
    assert list(store.iter_keys("records/a9/")) == []
    assert walked == []
    assert list(store.iter_keys("records/a1/")) == ["records/a1/doc.json"]
    assert len(list(store.iter_keys("rec"))) == 5  # a prefix without a folder part still lists from the root


def test_an_old_sidecar_goes_only_once_the_new_bytes_are_in_place(tmp_path, monkeypatch):
    store = LocalStore(tmp_path / "store")
    store.put_bytes("k/obj", b"old", metadata={"class": "invoice"})
    seen = []
    real_unlink = Path.unlink

    def unlink(path, missing_ok=False):
        if path.name.endswith(".meta.json"):
            seen.append((tmp_path / "store/k/obj").read_bytes())
        real_unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    with store.durable_batch():
        store.put_bytes("k/obj", b"new")  # no metadata: the old sidecar is removed
    assert seen == [b"new"] and store.get_bytes("k/obj") == b"new" and store.info("k/obj").metadata == {}
