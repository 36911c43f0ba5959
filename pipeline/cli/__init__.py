"""The ``archivio`` command. Each command group lives in a module of its own and registers there;
it is imported only when one of its commands runs (see ``LazyGroup``)."""

from __future__ import annotations

from .main import cli, main

# Command -> the module of this package that defines it. A module added without an entry here
# still works (everything is imported to find an unknown command), only slower to start.
cli.modules.update({
    "audit": "audit", "verify": "audit",
    "show": "documents", "get": "documents",
    "eval": "evaluate",
    "export": "export",
    "watch": "jobs", "ingest": "jobs", "status": "jobs", "reindex": "jobs", "config": "jobs", "check": "jobs",
    "retention": "preservation", "disposal": "preservation", "package": "preservation",
    "search": "search",
    "serve": "serve",
    "hold": "storage", "migrate": "storage",
    "token": "tokens",
    "worker": "worker",
})

__all__ = ["cli", "main"]
