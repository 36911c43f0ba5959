"""Bad and hostile input (tests/badinput.py): all of it dropped into one running watcher, which
must stay up, and each file must end as its case promises — quarantine with a readable reason,
archived (with a warning where it says so), a duplicate with a note, or left alone.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from badinput import ARCHIVED, CASES, DUPLICATE, GONE, IGNORED, QUARANTINED, WARNED, Case
from pipeline.folders import display_name
from pipeline.journal import Journal
from pipeline.store import Archive, LocalStore
from test_watch_e2e import office_env

pytestmark = [pytest.mark.slow, pytest.mark.ocr]


class Batch:
    def __init__(self, office: Path, made: dict[str, list[str]], log: str, exit_code: int):
        self.office = office
        self.made = made
        self.log = log
        self.exit_code = exit_code
        archive = Archive(LocalStore(office / "data" / "store"))
        self.all_records = list(archive.iter_records())
        self.records = {r.source.filename: r for r in self.all_records}

    def note(self, folder: str, name: str, kind: str) -> dict:
        path = self.office / folder / (name + kind)
        return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Batch:
    office = tmp_path_factory.mktemp("bad-input")
    scratch = office / "scratch"
    for name in ("inbox", "processed", "quarantine", "duplicates", "data", "scratch"):
        (office / name).mkdir()
    inbox = office / "inbox"
    made = {case.id: case.make(inbox, scratch) for case in CASES if not case.live}
    env = office_env(office, ARCHIVIO_WATCH_SETTLE_SECONDS="1.5", ARCHIVIO_WORKERS_MAX_FILE_MB="50")
    log_path = office / "watch.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", "watch"], env=env, stdout=log,
                                stderr=subprocess.STDOUT)
        try:
            for case in CASES:
                if case.live:
                    made[case.id] = case.make(inbox, scratch)
            journal = Journal(office / "data" / "journal.sqlite3")
            ignored = {n for case in CASES if case.outcome == IGNORED for n in made[case.id]}
            deadline = time.monotonic() + 420
            while time.monotonic() < deadline:
                assert proc.poll() is None, "the watcher died:\n" + log_path.read_text()
                counts = journal.counts()
                left = {p.name for p in inbox.iterdir()} - ignored
                if not left and not counts["queued"] and not counts["running"]:
                    break
                time.sleep(1)
            else:
                pytest.fail(f"the batch did not settle; left in the inbox: {left}\n" + log_path.read_text()[-3000:])
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(60)
        finally:
            if proc.poll() is None:
                proc.kill()
    return Batch(office, made, log_path.read_text(), code)


def test_the_watcher_stayed_up_and_stopped_cleanly(batch):
    assert batch.exit_code == 0, batch.log[-3000:]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_has_its_documented_outcome(batch, case: Case):
    names = batch.made[case.id]
    office = batch.office
    if case.outcome == QUARANTINED:
        for name in names:
            assert (office / "quarantine" / name).exists() or (office / "quarantine" / name).is_symlink(), name
            note = batch.note("quarantine", name, ".error.json")
            assert case.detail.lower() in note["reason"].lower(), note
            assert note["stage"] and note["error_type"]
            assert display_name(name) not in batch.records
    elif case.outcome in (ARCHIVED, WARNED):
        for name in names:
            record = batch.records.get(display_name(name))
            assert record is not None, f"{name!r} was not archived; quarantine: {os.listdir(office / 'quarantine')}"
            if case.outcome == WARNED:
                assert any(case.detail.lower() in w.lower() for w in record.warnings), record.warnings
        if case.id == "same-name-twice":
            assert sorted(p.name for p in (office / "processed").glob("stesso-nome*")) == \
                ["stesso-nome (2).pdf", "stesso-nome.pdf"]
            assert sum(1 for r in batch.all_records if r.source.filename == "stesso-nome.pdf") == 2
        elif case.id == "renamed-before-taken":
            assert "bozza.pdf" not in batch.records
        elif case.id == "upside-down":
            assert batch.records["capovolta.pdf"].doc_class == "invoice"
        elif case.id == "thousand-pages":
            assert batch.records["registro-1000-pagine.pdf"].pages == 1000
        elif case.id == "long-name":
            [kept] = [p for p in (office / "processed").iterdir() if p.name.startswith("fattura-molto-lunga")]
            assert len(os.fsencode(kept.name + ".error.json")) <= 255  # shortened so its notes fit too
        else:
            for name in names:
                assert any(p.name == Path(name).name or display_name(p.name) == display_name(name)
                           for p in (office / "processed").iterdir()), name
    elif case.outcome == DUPLICATE:
        kept = [n for n in names if display_name(n) in batch.records]
        copies = [n for n in names if (office / "duplicates" / n).exists()]
        assert len(kept) == 1 and len(copies) == 1, (kept, copies)
        note = batch.note("duplicates", copies[0], ".duplicate.json")
        assert note["duplicate_of"] == batch.records[kept[0]].sha256
    elif case.outcome == IGNORED:
        for name in names:
            assert (office / "inbox" / name).exists(), f"{name} should have been left alone"
    elif case.outcome == GONE:
        for folder in ("processed", "quarantine", "duplicates"):
            assert not any(p.name.startswith("ripensamento") for p in (office / folder).iterdir())
    else:  # pragma: no cover - a case with an unknown outcome is a mistake in badinput.py
        pytest.fail(f"unknown outcome {case.outcome}")


def test_nothing_was_written_outside_the_office(batch):
    # The symlink's target was never read into the store, and odd names stayed in their folders.
    secret = (batch.office / "scratch" / "segreto-fuori.pdf").read_bytes()
    import hashlib

    assert hashlib.sha256(secret).hexdigest() not in {r.sha256 for r in batch.records.values()}
    for folder in ("processed", "quarantine", "duplicates"):
        for path in (batch.office / folder).rglob("*"):
            assert path.resolve(strict=False).is_relative_to(batch.office) or path.is_symlink()


def test_every_case_is_documented_in_the_readme():
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    missing = [case.what for case in CASES if f"| {case.what} |" not in readme]
    assert not missing, f"add these to the bad-input table in README.md: {missing}"
