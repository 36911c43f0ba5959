"""The ``archivio`` command. Each command group lives in a module of its own and registers here."""

from __future__ import annotations

from .main import cli, main
from . import documents, jobs, search  # noqa: F401  (they register their commands on ``cli``)
from . import evaluate  # noqa: F401  (archivio eval)

__all__ = ["cli", "main"]
