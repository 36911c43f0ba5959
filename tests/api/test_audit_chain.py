"""The audit log: appends chain, tampering is found and named, concurrent writers never fork."""

from __future__ import annotations

import json
import multiprocessing as mp
from pathlib import Path

from pipeline.audit import AuditLog, Actor, entry_hash, entry_key, canonical
from pipeline.cli import main as cli_main
from pipeline.store import LocalStore

ALICE = Actor("alice", "archivist")


def _log_with(tmp_path: Path, n: int) -> tuple[LocalStore, AuditLog]:
    store = LocalStore(tmp_path / "store")
    log = AuditLog(store)
    for i in range(n):
        log.append("viewed", actor=ALICE, documents=[f"{i:064x}"], details={"i": i})
    return store, log


def _raw(store: LocalStore, seq: int) -> dict:
    return json.loads(store.get_bytes(entry_key(seq)))


def _write(store: LocalStore, seq: int, data: dict) -> None:
    store.put_bytes(entry_key(seq), canonical(data))


def test_appended_entries_chain_by_hash_and_verify(tmp_path):
    store, log = _log_with(tmp_path, 5)
    entries = list(log.entries())
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev == "0" * 64
    for before, after in zip(entries, entries[1:]):
        assert after.prev == before.hash
    for entry in entries:
        assert entry_hash(entry.model_dump()) == entry.hash
    report = log.verify()
    assert report.ok and report.entries == 5 and report.head_seq == 5 and report.head_hash == entries[-1].hash


def test_changed_entry_is_named(tmp_path):
    store, log = _log_with(tmp_path, 6)
    data = _raw(store, 3)
    data["actor"] = "mallory"  # the hash field is left as it was
    _write(store, 3, data)
    report = log.verify()
    assert not report.ok
    assert (report.problem.seq, report.problem.kind) == (3, "changed")
    assert "entry 3" in report.problem.message


def test_changed_entry_with_recomputed_hash_breaks_the_link_to_the_next(tmp_path):
    store, log = _log_with(tmp_path, 6)
    data = _raw(store, 3)
    data["action"] = "nothing-to-see"
    data["hash"] = entry_hash(data)
    _write(store, 3, data)
    report = log.verify()
    assert report.problem.seq == 4 and "entry 3" in report.problem.message


def test_inserted_entry_is_named(tmp_path):
    store, log = _log_with(tmp_path, 6)
    # Make room at 4 by moving 4..6 up one, then forge a well-formed entry 4 on top of 3.
    for seq in (6, 5, 4):
        store.put_bytes(entry_key(seq + 1), store.get_bytes(entry_key(seq)))
    forged = {"seq": 4, "at": _raw(store, 3)["at"], "actor": "mallory", "role": "admin", "action": "viewed",
              "documents": [], "details": {}, "prev": _raw(store, 3)["hash"]}
    forged["hash"] = entry_hash(forged)
    _write(store, 4, forged)
    report = log.verify()
    assert (report.problem.seq, report.problem.kind) == (4, "inserted")


def test_removed_entry_is_named(tmp_path):
    store, log = _log_with(tmp_path, 6)
    store.delete(entry_key(4))
    report = log.verify()
    assert (report.problem.seq, report.problem.kind) == (4, "removed")
    assert "entry 4 is missing" in report.problem.message


def test_removed_entry_with_renumbering_is_named(tmp_path):
    store, log = _log_with(tmp_path, 6)
    for seq in (5, 6):  # close the gap left by removing 4
        store.put_bytes(entry_key(seq - 1), store.get_bytes(entry_key(seq)))
    store.delete(entry_key(6))
    report = log.verify()
    assert (report.problem.seq, report.problem.kind) == (4, "removed")


def test_removed_tail_is_found_through_the_head(tmp_path):
    store, log = _log_with(tmp_path, 6)
    store.delete(entry_key(6))
    store.delete(entry_key(5))
    report = log.verify()
    assert (report.problem.seq, report.problem.kind) == (5, "truncated")


def test_anchor_proves_the_log_was_not_rewritten(tmp_path):
    store, log = _log_with(tmp_path, 4)
    seq, digest = log.head()
    assert log.verify(anchor=(seq, digest)).ok
    assert log.verify(anchor=(seq, "f" * 64)).problem.kind == "anchor"


def _append_many(root: str, worker: int, count: int) -> None:
    log = AuditLog(LocalStore(Path(root)))  # a store and log of its own, as another process has
    for i in range(count):
        log.append("viewed", actor=Actor(f"writer-{worker}"), documents=[f"{worker:032x}{i:032x}"])


def test_concurrent_writers_in_separate_processes_never_fork_the_chain(tmp_path):
    root = tmp_path / "store"
    ctx = mp.get_context("spawn")
    writers = [ctx.Process(target=_append_many, args=(str(root), w, 40)) for w in range(3)]
    for p in writers:
        p.start()
    for p in writers:
        p.join(120)
        assert p.exitcode == 0
    log = AuditLog(LocalStore(root))
    report = log.verify()
    assert report.ok, report.problem
    entries = list(log.entries())
    assert len(entries) == 120
    assert {e.actor for e in entries} == {"writer-0", "writer-1", "writer-2"}


def test_cli_audit_verify_names_the_first_bad_entry(tmp_path, capsys):
    store = LocalStore(tmp_path / "data" / "store")  # where a config naming data = tmp/data keeps it
    log = AuditLog(store)
    for i in range(4):
        log.append("viewed", actor=ALICE, details={"i": i})
    config = tmp_path / "archivio.toml"
    config.write_text(f'[paths]\ndata = "{tmp_path / "data"}"\n')
    assert cli_main(["-c", str(config), "-q", "audit", "verify"]) == 0
    assert "audit log intact: 4 entries" in capsys.readouterr().out

    data = _raw(store, 2)
    data["details"] = {"i": 99}
    _write(store, 2, data)
    assert cli_main(["-c", str(config), "-q", "audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "BROKEN at entry 2 (changed)" in out


def test_entry_about_many_documents_is_found_for_each_of_them(tmp_path):
    store, log = _log_with(tmp_path, 2)
    many = [f"{i:064x}" for i in range(100, 150)]
    exported = log.append("exported", actor=ALICE, documents=many)
    assert [e.seq for e in log.for_document(many[7])] == [exported.seq]
    assert [e.action for e in log.for_document(f"{1:064x}")] == ["viewed"]
    assert not list(store.iter_keys(f"audit/documents/{many[7][:2]}/{many[7]}/"))  # one marker, not 50 pointers
    assert log.verify().ok
