"""Shared fixtures: settings pointing into a temporary office, and generated documents.

Service fixtures (S3, Elasticsearch, …) live in ``tests/services/`` as pytest plugins; each
reads the address the README test command exported and, when it is missing, fails under
``CI=true`` or skips with a message saying how to start the service.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from pipeline.config import Settings, load_settings  # noqa: E402

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_configure(config):
    if shutil.which("tesseract") is None:
        message = "Tesseract is not installed: run scripts/setup (or scripts/test) first"
        if IN_CI:
            raise pytest.UsageError(message)


def make_settings(root: Path, **overrides) -> Settings:
    """Settings for an office under ``root``: inbox, processed, quarantine, duplicates, data."""
    base = {
        "paths.inbox": str(root / "inbox"),
        "paths.processed": str(root / "processed"),
        "paths.quarantine": str(root / "quarantine"),
        "paths.duplicates": str(root / "duplicates"),
        "paths.data": str(root / "data"),
        "watch.settle_seconds": 0.5,
        "watch.poll_interval": 0.5,
        "workers.count": 2,
    }
    base.update(overrides)
    return load_settings(env={}, overrides=base, cwd=root)


@pytest.fixture
def office(tmp_path: Path) -> Path:
    for name in ("inbox", "processed", "quarantine", "duplicates", "data"):
        (tmp_path / name).mkdir()
    return tmp_path


@pytest.fixture
def settings(office: Path) -> Settings:
    return make_settings(office)


def need_service(name: str, env_var: str, how: str) -> str:
    """The address of a test service, or fail (CI) / skip (elsewhere) saying how to start it."""
    value = os.environ.get(env_var)
    if value:
        return value
    message = f"{name} is not running ({env_var} is not set): {how}"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)
