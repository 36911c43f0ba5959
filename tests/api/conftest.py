"""Fixtures for the API, audit, review and export tests: one archive filed through the real
pipeline (generated invoices, a receipt, a contract and a scanned invoice read by Tesseract),
copied for tests that change it, tokens of every role, and the app served by uvicorn; and the
same archive on production backends (S3 on SeaweedFS, Elasticsearch) for tests/api/test_api_deployed.py."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from apitools import Office, Server, Tokens, copy_office, file_office, make_tokens
from support import need_service


def pytest_configure(config):
    # Starlette's TestClient still runs on httpx and says so on every import; not our concern.
    config.addinivalue_line("filterwarnings", "ignore:.*httpx2.*")


@pytest.fixture(scope="session")
def filed_office(tmp_path_factory) -> Office:
    """Read-only for tests: an archive of six documents filed by the real pipeline."""
    return file_office(tmp_path_factory.mktemp("filed-office"))


@dataclass(frozen=True)
class Deployment:
    """Which backends the archive runs on; each one is a real service in the tests."""

    store: str = "s3"  # "s3": SeaweedFS bucket with Object Lock
    index: str = "sqlite"  # or "elasticsearch": a real Elasticsearch 8 node

    def __str__(self) -> str:
        return f"{self.store}+{self.index}"


DEPLOYMENTS = [Deployment("s3", "sqlite"), Deployment("s3", "elasticsearch")]


def deployment_overrides(request, deployment: Deployment) -> dict:
    """The settings that point an office at the deployment's services (skipped/failed if absent)."""
    overrides: dict = {}
    if deployment.store == "s3":
        server = request.getfixturevalue("s3_server")
        overrides.update(server.store_overrides(request.getfixturevalue("locked_bucket"),
                                                f"api-{uuid.uuid4().hex[:10]}/"))
    if deployment.index == "elasticsearch":
        url = need_service("Elasticsearch", "ARCHIVIO_TEST_ES_URL", "run scripts/test, which starts it")
        overrides.update({"index.backend": "elasticsearch", "index.hosts": [url],
                          "index.prefix": f"api-{uuid.uuid4().hex[:10]}", "index.replicas": 0})
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


@pytest.fixture
def work_office(filed_office: Office, tmp_path: Path) -> Office:
    """A private copy of the filed archive that a test may change."""
    return copy_office(filed_office, tmp_path / "office")


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


@pytest.fixture
def server(app) -> Iterator[Server]:
    with Server(app) as running:
        yield running
