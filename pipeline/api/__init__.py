"""The HTTP API and the web page for archivists, auditors and admins (``archivio serve``)."""

from .app import create_app

__all__ = ["create_app"]
