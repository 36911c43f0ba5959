"""Fixtures for the API, audit, review and export tests: one archive filed through the real
pipeline (generated invoices, a receipt, a contract and a scanned invoice read by Tesseract),
copied for tests that change it, tokens of every role, and the app served by uvicorn.

``deployed_office`` and the ``deployed_*`` fixtures file the same documents into a production
deployment instead (``DEPLOYMENTS``: the store on a real SeaweedFS bucket with Object Lock,
and, once it lands, the index on Elasticsearch) for test_api_deployed.py."""

from __future__ import annotations

import shutil
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import docgen
from pipeline.audit import Actor
from pipeline.config import Settings
from pipeline.service import StopFlag, run_ingest
from services.seaweedfs.plugin import locked_bucket, s3_client, s3_server  # noqa: F401 - fixtures
from testkit import make_settings


TEST_ACTOR = Actor("test-setup")


def pytest_configure(config):
    # Starlette's TestClient still runs on httpx and says so on every import; not our concern.
    config.addinivalue_line("filterwarnings", "ignore:.*httpx2.*")


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


@pytest.fixture(scope="session")
def filed_office(tmp_path_factory) -> Office:
    """Read-only for tests: an archive of six documents filed by the real pipeline."""
    return file_office(tmp_path_factory.mktemp("filed-office"))


@dataclass(frozen=True)
class Deployment:
    """Which backends the archive runs on; each one is a real service in the tests."""

    store: str = "s3"  # "s3": SeaweedFS bucket with Object Lock
    index: str = "sqlite"  # "elastic" once the Elasticsearch index has landed

    def __str__(self) -> str:
        return f"{self.store}+{self.index}"


DEPLOYMENTS = [Deployment("s3", "sqlite")]


def deployment_overrides(request, deployment: Deployment) -> dict:
    """The settings that point an office at the deployment's services (skipped/failed if absent)."""
    overrides: dict = {}
    if deployment.store == "s3":
        server = request.getfixturevalue("s3_server")
        overrides.update(server.store_overrides(request.getfixturevalue("locked_bucket"),
                                                f"api-{uuid.uuid4().hex[:10]}/"))
    if deployment.index != "sqlite":  # pragma: no cover - the Elasticsearch fixture plugs in here
        raise NotImplementedError(f"no test service for the {deployment.index} index yet")
    return overrides


@pytest.fixture(scope="module", params=DEPLOYMENTS, ids=str)
def deployed_office(request, tmp_path_factory) -> Office:
    """The six documents filed by the real pipeline into a production deployment, once per module:
    tests that change documents each take their own."""
    overrides = deployment_overrides(request, request.param)
    return file_office(tmp_path_factory.mktemp(f"office-{request.param}"), **overrides)


@pytest.fixture(scope="module")
def deployed_app(deployed_office: Office):
    from pipeline.api import create_app

    return create_app(deployed_office.settings)  # its lifespan (TestClient, uvicorn) closes the services


@pytest.fixture(scope="module")
def deployed_tokens(deployed_app) -> Tokens:
    return make_tokens(deployed_app)


@pytest.fixture(scope="module")
def deployed_client(deployed_app):
    from fastapi.testclient import TestClient

    with TestClient(deployed_app) as c:
        yield c


@pytest.fixture(scope="module")
def deployed_server(deployed_app) -> Iterator[Server]:
    with Server(deployed_app) as running:
        yield running


def copy_office(office: Office, dest: Path) -> Office:
    shutil.copytree(office.root / "data", dest / "data")
    for name in ("inbox", "processed", "quarantine", "duplicates"):
        (dest / name).mkdir(parents=True, exist_ok=True)
    return Office(dest, make_settings(dest), office.docs, dict(office.ids))


@pytest.fixture
def work_office(filed_office: Office, tmp_path: Path) -> Office:
    """A private copy of the filed archive that a test may change."""
    return copy_office(filed_office, tmp_path / "office")


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


@pytest.fixture
def app(work_office: Office):
    from pipeline.api import create_app

    return create_app(work_office.settings)


@pytest.fixture
def tokens(app) -> Tokens:
    return make_tokens(app)


@pytest.fixture
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c


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


@pytest.fixture
def server(app) -> Iterator[Server]:
    with Server(app) as running:
        yield running
