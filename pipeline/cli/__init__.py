"""The ``archivio`` command. Each command group lives in a module of its own and registers here."""

from __future__ import annotations

from .main import cli, main
from . import audit, documents, evaluate, export, jobs, preservation, search, serve, storage, tokens, worker  # noqa: F401  (they register their commands)

__all__ = ["cli", "main"]
