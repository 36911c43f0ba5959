"""Intake and the journal: nothing leaves the inbox before the store and the journal hold it."""

import json
import os
from pathlib import Path

import pytest

from docgen import italian_invoice
from pipeline.intake import Intake
from pipeline.journal import FILED, QUARANTINED, QUEUED, RUNNING, Journal
from pipeline.quarantine import Quarantine
from pipeline.store import open_archive
from pipeline.store.archive import incoming_key


@pytest.fixture
def intake(settings):
    archive = open_archive(settings)
    journal = Journal(settings.journal_path)
    return Intake(settings, archive, journal, Quarantine(settings.paths.quarantine))


def test_a_taken_file_is_in_the_store_and_journal_before_it_leaves_the_inbox(intake, settings):
    (settings.paths.inbox / "fornitori").mkdir()
    doc = italian_invoice(settings.paths.inbox / "fornitori" / "f1.pdf", seed=1)
    result = intake.take(doc.path, root=settings.paths.inbox)
    assert result.outcome == "queued"
    job = result.job
    assert job.folder == "fornitori" and job.filename == "f1.pdf"
    assert intake.archive.store.exists(incoming_key(job.sha256))
    assert not doc.path.exists()
    assert (settings.paths.processed / "fornitori" / "f1.pdf").exists()
    assert intake.journal.by_sha(job.sha256).handed_off


def test_exact_duplicate_goes_to_duplicates_with_a_note_naming_the_original(intake, settings):
    first = italian_invoice(settings.paths.inbox / "a.pdf", seed=2)
    copy = settings.paths.inbox / "copia di a.pdf"
    copy.write_bytes(first.path.read_bytes())
    original = intake.take(first.path, root=settings.paths.inbox)
    result = intake.take(copy, root=settings.paths.inbox)
    assert result.outcome == "duplicate"
    moved = settings.paths.duplicates / "copia di a.pdf"
    assert moved.read_bytes() == (settings.paths.processed / "a.pdf").read_bytes()
    note = json.loads((settings.paths.duplicates / "copia di a.pdf.duplicate.json").read_text())
    assert note["duplicate_of"] == original.job.sha256
    assert note["original_name"] == "a.pdf"
    assert intake.journal.counts()["duplicates"] == 1


def test_two_different_files_with_the_same_name_are_both_kept(intake, settings):
    (settings.paths.inbox / "x").mkdir()
    a = italian_invoice(settings.paths.inbox / "scan.pdf", seed=3)
    assert intake.take(a.path, root=settings.paths.inbox).outcome == "queued"
    b = italian_invoice(settings.paths.inbox / "scan.pdf", seed=4)
    assert intake.take(b.path, root=settings.paths.inbox).outcome == "queued"
    assert sorted(p.name for p in settings.paths.processed.iterdir()) == ["scan (2).pdf", "scan.pdf"]


def test_empty_file_goes_to_quarantine_with_a_readable_reason(intake, settings):
    empty = settings.paths.inbox / "vuoto.pdf"
    empty.write_bytes(b"")
    result = intake.take(empty, root=settings.paths.inbox)
    assert result.outcome == "rejected"
    assert (settings.paths.quarantine / "vuoto.pdf").exists()
    note = json.loads((settings.paths.quarantine / "vuoto.pdf.error.json").read_text())
    assert note["stage"] == "intake" and "empty" in note["reason"] and note["error_type"] == "EmptyFileError"


def test_symlink_in_the_inbox_is_never_followed(intake, settings, tmp_path):
    secret = tmp_path / "outside.pdf"
    secret.write_bytes(b"%PDF-1.4 secret")
    link = settings.paths.inbox / "link.pdf"
    link.symlink_to(secret)
    result = intake.take(link, root=settings.paths.inbox)
    assert result.outcome == "rejected" and "symbolic link" in result.message
    moved = settings.paths.quarantine / "link.pdf"
    assert moved.is_symlink()  # the link itself was moved; the target was never read or stored
    assert secret.read_bytes() == b"%PDF-1.4 secret"
    assert not list(intake.archive.store.iter_keys("incoming/"))


def test_intake_cut_short_before_the_hand_off_is_completed_not_duplicated(intake, settings):
    doc = italian_invoice(settings.paths.inbox / "b.pdf", seed=5)
    # Simulate a crash after the job was committed but before the file was moved.
    first = intake.take(doc.path, root=settings.paths.inbox, handoff="keep")
    intake.journal._db().execute("UPDATE jobs SET handed_off = 0 WHERE id = ?", (first.job.id,))
    again = intake.take(doc.path, root=settings.paths.inbox)
    assert again.outcome == "queued" and again.job.id == first.job.id
    assert not doc.path.exists() and (settings.paths.processed / "b.pdf").exists()
    assert intake.journal.counts()["duplicates"] == 0


def test_a_quarantined_document_dropped_again_is_retried(intake, settings):
    doc = italian_invoice(settings.paths.inbox / "c.pdf", seed=6)
    job = intake.take(doc.path, root=settings.paths.inbox).job
    intake.journal.mark(job.id, QUARANTINED, stage="read", error="boom")
    retry = settings.paths.inbox / "c.pdf"
    retry.write_bytes((settings.paths.processed / "c.pdf").read_bytes())
    result = intake.take(retry, root=settings.paths.inbox)
    assert result.outcome == "queued"
    assert intake.journal.by_sha(job.sha256).state == QUEUED


def test_recover_puts_interrupted_jobs_back_in_the_queue(settings):
    journal = Journal(settings.journal_path)
    job = journal.enqueue(sha256="a" * 64, source=Path("/x"), filename="x.pdf", folder="", size=1, mtime=None)
    assert [j.id for j in journal.claim(5)] == [job.id]
    assert journal.by_sha("a" * 64).state == RUNNING
    # a new process opens the same journal after a crash
    again = Journal(settings.journal_path)
    assert again.recover() == 1
    assert again.by_sha("a" * 64).state == QUEUED
    assert again.claim(5)[0].attempts == 2


def test_a_filed_document_is_not_requeued_by_dropping_it_again(settings):
    journal = Journal(settings.journal_path)
    job = journal.enqueue(sha256="b" * 64, source=Path("/x"), filename="x.pdf", folder="", size=1, mtime=None)
    journal.mark(job.id, FILED)
    journal.enqueue(sha256="b" * 64, source=Path("/y"), filename="y.pdf", folder="", size=1, mtime=None)
    assert journal.by_sha("b" * 64).state == FILED
    assert journal.by_sha("b" * 64).source == Path("/x")


def test_file_changing_while_copied_is_left_for_later(intake, settings, monkeypatch):
    doc = italian_invoice(settings.paths.inbox / "d.pdf", seed=7)
    real_put = intake.archive.store.put_file

    def put_while_scanner_appends(key, path, **kw):
        with open(path, "ab") as fh:
            fh.write(b"% still being written\n")
        return real_put(key, path, **kw)

    monkeypatch.setattr(intake.archive.store, "put_file", put_while_scanner_appends)
    result = intake.take(doc.path, root=settings.paths.inbox)
    assert result.outcome == "changing"
    assert doc.path.exists()
    assert intake.journal.counts()["queued"] == 0
    assert os.listdir(settings.paths.processed) == []
