"""Fixtures for tests against the real IMAP server (Dovecot started by ``service.sh start``).

Each test gets mailbox folders of its own inside the one test account, so tests never see each
other's messages; ``service.sh stop`` throws the whole mail directory away.
"""

from __future__ import annotations

import imaplib
import os
import uuid
from dataclasses import dataclass

import pytest

from support import need_service

HOW = ('start it with `eval "$(tests/services/imap/service.sh start)"` (scripts/test starts and stops it); '
       "stop it with `tests/services/imap/service.sh stop`")


@dataclass(frozen=True)
class ImapServer:
    host: str
    port: int
    user: str
    password: str
    tls_port: int
    ca: str  # PEM of the throwaway CA that signed the server's certificate

    def connect(self) -> imaplib.IMAP4:
        conn = imaplib.IMAP4(self.host, self.port, timeout=30)
        conn.login(self.user, self.password)
        return conn

    def deliver(self, folder: str, message: bytes) -> None:
        """Put a message into ``folder`` as a mail server's delivery would (IMAP APPEND)."""
        conn = self.connect()
        try:
            conn.create(f'"{folder}"')
            status, _ = conn.append(f'"{folder}"', None, None, message)
            assert status == "OK"
        finally:
            conn.logout()

    def flags(self, folder: str) -> list[str]:
        """The flags of every message in ``folder``, in order."""
        conn = self.connect()
        try:
            conn.select(f'"{folder}"', readonly=True)
            status, data = conn.fetch("1:*", "(FLAGS)")
            return [item.decode() for item in data if item] if status == "OK" else []
        finally:
            conn.logout()

    def account(self, name: str, folder: str, **more) -> dict:
        """A ``[[mail.accounts]]`` table for this server, the password read from the environment."""
        return {"name": name, "host": self.host, "port": self.port, "security": "none", "user": self.user,
                "password_env": "ARCHIVIO_TEST_IMAP_PASSWORD", "folders": [folder], **more}


@pytest.fixture(scope="session")
def imap_server() -> ImapServer:
    host = need_service("IMAP (Dovecot)", "ARCHIVIO_TEST_IMAP_HOST", HOW)
    return ImapServer(host, int(os.environ["ARCHIVIO_TEST_IMAP_PORT"]), os.environ["ARCHIVIO_TEST_IMAP_USER"],
                      os.environ["ARCHIVIO_TEST_IMAP_PASSWORD"], int(os.environ["ARCHIVIO_TEST_IMAP_TLS_PORT"]),
                      os.environ["ARCHIVIO_TEST_IMAP_CA"])


@pytest.fixture
def imap_folder() -> str:
    return f"t-{uuid.uuid4().hex[:10]}"
