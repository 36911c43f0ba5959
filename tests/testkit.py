"""Helpers shared by test modules and service plugins: settings for a temporary office, and
``need_service``.

They live here, not in ``conftest.py``, because pytest imports every ``conftest.py`` under the
same module name ``conftest`` (tests/ and tests/api/ both have one): ``from conftest import …``
gets whichever was imported last.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.config import Settings, load_settings

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


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


def need_service(name: str, env_var: str, how: str) -> str:
    """The address of a test service, or fail (CI) / skip (elsewhere) saying how to start it."""
    value = os.environ.get(env_var)
    if value:
        return value
    message = f"{name} is not running ({env_var} is not set): {how}"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)
