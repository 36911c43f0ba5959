"""Helpers for the API tests: an archive filed through the real pipeline, tokens of every role,
the app served by a real uvicorn. Imported by name (conftest.py files cannot import each other)."""

from __future__ import annotations

import contextlib
import shutil
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import docgen
from pipeline.audit import Actor
from pipeline.config import Settings
from pipeline.service import StopFlag, run_ingest
from support import make_settings

TEST_ACTOR = Actor("test-setup")


@dataclass
class Office:
    root: Path
    settings: Settings
    docs: dict[str, docgen.Doc] = field(default_factory=dict)  # generated file name -> what was printed
    ids: dict[str, str] = field(default_factory=dict)  # generated file name -> document id


def _make_documents(src: Path) -> dict[str, docgen.Doc]:
    src.mkdir(parents=True)
    docs = {}
    for seed in (11, 12, 13):
        doc = docgen.italian_invoice(src / f"fattura_{seed}.pdf", seed)
        docs[doc.path.name] = doc
    docs["scontrino.pdf"] = docgen.english_receipt(src / "scontrino.pdf", 21)
    docs["contratto.pdf"] = docgen.contract(src / "contratto.pdf", 31)
    clean = docgen.italian_invoice(src / ".scan-source.pdf", 41)
    scan = docgen.scan_image(clean.path, src / "fattura_scansionata.jpg", 41)
    clean.path.unlink()
    docs[scan.name] = docgen.Doc(scan, "invoice", clean.fields, clean.words)
    return docs


def file_office(root: Path, docs: dict[str, docgen.Doc] | None = None, **overrides) -> Office:
    for name in ("inbox", "processed", "quarantine", "duplicates", "data"):
        (root / name).mkdir(parents=True, exist_ok=True)
    settings = make_settings(root, **overrides)
    docs = docs or _make_documents(root / "generated")
    outcomes = []
    run_ingest(settings, [d.path for d in docs.values()], stop=StopFlag(), handoff="keep",
               on_intake=lambda result: None, on_done=outcomes.append)
    office = Office(root, settings, docs)
    for done in outcomes:
        assert done.outcome == "filed", f"{done.job.filename}: {done.message}"
        office.ids[done.job.filename] = done.record.id
    assert len(office.ids) == len(docs)
    return office


def copy_office(office: Office, dest: Path) -> Office:
    shutil.copytree(office.root / "data", dest / "data")
    for name in ("inbox", "processed", "quarantine", "duplicates"):
        (dest / name).mkdir(parents=True, exist_ok=True)
    return Office(dest, make_settings(dest), office.docs, dict(office.ids))


@dataclass
class Tokens:
    archivist: str
    auditor: str
    admin: str

    def of(self, role: str) -> str:
        return getattr(self, role)

    def header(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.of(role)}"}


def make_tokens(app) -> Tokens:
    tokens = app.state.services.tokens
    secrets = {role: tokens.create(f"{role}-{time.monotonic_ns()}", role, by=TEST_ACTOR)[1]
               for role in ("archivist", "auditor", "admin")}
    return Tokens(**secrets)


class Server:
    """The app served by a real uvicorn on a free loopback port, in a thread of the test process."""

    def __init__(self, app):
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@contextlib.contextmanager
def served_copy(office: Office, dest: Path):
    """A private copy of ``office`` served by a real uvicorn: (server, tokens, office)."""
    from pipeline.api import create_app

    copy = copy_office(office, dest)
    app = create_app(copy.settings)
    tokens = make_tokens(app)
    with Server(app) as server:
        yield server, tokens, copy
