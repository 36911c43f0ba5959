"""Shared fixtures: a temporary office and settings pointing into it (helpers in ``support.py``).

Service fixtures (S3, Elasticsearch, …) live in ``tests/services/`` as pytest plugins; each
reads the address the README test command exported and, when it is missing, fails under
``CI=true`` or skips with a message saying how to start the service.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from pipeline.config import Settings  # noqa: E402
from support import IN_CI, make_settings, need_service  # noqa: E402,F401  (re-exported for fixtures)

# Fixtures of the real services the suite talks to (started by scripts/test).
pytest_plugins = ["services.seaweedfs.plugin", "services.imap.plugin", "services.redis.plugin", "services.verapdf.plugin"]


def pytest_configure(config):
    if shutil.which("tesseract") is None:
        message = "Tesseract is not installed: run scripts/setup (or scripts/test) first"
        if IN_CI:
            raise pytest.UsageError(message)


@pytest.fixture
def office(tmp_path: Path) -> Path:
    for name in ("inbox", "processed", "quarantine", "duplicates", "data"):
        (tmp_path / name).mkdir()
    return tmp_path


@pytest.fixture
def settings(office: Path) -> Settings:
    return make_settings(office)
