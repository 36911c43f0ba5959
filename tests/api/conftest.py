"""Fixtures for the API, audit, review and export tests: one archive filed through the real
pipeline (generated invoices, a receipt, a contract and a scanned invoice read by Tesseract),
copied for tests that change it, tokens of every role, and the app served by uvicorn."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from apitools import Office, Server, Tokens, copy_office, file_office, make_tokens


def pytest_configure(config):
    # Starlette's TestClient still runs on httpx and says so on every import; not our concern.
    config.addinivalue_line("filterwarnings", "ignore:.*httpx2.*")


@pytest.fixture(scope="session")
def filed_office(tmp_path_factory) -> Office:
    """Read-only for tests: an archive of six documents filed by the real pipeline."""
    return file_office(tmp_path_factory.mktemp("filed-office"))


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
