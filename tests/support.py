"""Helpers shared by the test modules (importable by name, unlike conftest.py files)."""

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
