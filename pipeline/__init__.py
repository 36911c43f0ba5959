"""Archivio: turn the paper that reaches a back office into a searchable, auditable archive."""

__version__ = "0.1.0"
