"""Fixtures for tests against the real IMAP server (Dovecot started by ``service.sh start``).

Each test gets mailbox folders of its own inside the one test account, so tests never see each
other's messages; ``service.sh stop`` throws the whole mail directory away.
"""

from __future__ import annotations

import imaplib
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from support import need_service

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"  # /usr/sbin is not on every PATH
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
    conf: str  # the throwaway dovecot.conf, to stop and start the server in a test

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

    def deliver_offline(self, folder: str, message: bytes) -> None:
        """Put a message into ``folder``'s Maildir as a local delivery agent does (a file written
        in tmp/, renamed into new/): works while the IMAP server is down. The folder must exist."""
        maildir = Path(self.conf).parent / "mail" / self.user / f".{folder}"
        name = f"{int(time.time())}.{uuid.uuid4().hex}.archivio-test"
        (maildir / "tmp" / name).write_bytes(message)
        stat = maildir.stat()
        os.chown(maildir / "tmp" / name, stat.st_uid, stat.st_gid)  # as root: the mail user's
        os.rename(maildir / "tmp" / name, maildir / "new" / name)

    def stop_server(self) -> None:
        subprocess.run([DOVECOT, "-c", self.conf, "stop"], check=True, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._wait(lambda up: not up, "stop")
        # Sessions already logged in outlive the master here (as root they run as another user):
        # end them, as a machine's restart would, so that clients really lose their connection.
        prefix = f"dovecot-archivio-test-{self.port}/".encode()
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                if (proc / "cmdline").read_bytes().startswith(prefix):
                    os.kill(int(proc.name), signal.SIGKILL)
            except (OSError, ValueError):
                pass

    def start_server(self) -> None:
        # dovecot forks into the background: its output goes to its log, never to a pipe we wait on
        subprocess.run([DOVECOT, "-c", self.conf], check=True, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._wait(lambda up: up, "answer")

    def _wait(self, wanted, what: str) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((self.host, self.port), timeout=1) as s:
                    up = s.recv(100).startswith(b"* OK")
            except OSError:
                up = False
            if wanted(up):
                return
            time.sleep(0.1)
        raise AssertionError(f"dovecot did not {what} within 30 s")

    def account(self, name: str, folder: str, **more) -> dict:
        """A ``[[mail.accounts]]`` table for this server, the password read from the environment."""
        return {"name": name, "host": self.host, "port": self.port, "security": "none", "user": self.user,
                "password_env": "ARCHIVIO_TEST_IMAP_PASSWORD", "folders": [folder], **more}


@pytest.fixture(scope="session")
def imap_server() -> ImapServer:
    host = need_service("IMAP (Dovecot)", "ARCHIVIO_TEST_IMAP_HOST", HOW)
    return ImapServer(host, int(os.environ["ARCHIVIO_TEST_IMAP_PORT"]), os.environ["ARCHIVIO_TEST_IMAP_USER"],
                      os.environ["ARCHIVIO_TEST_IMAP_PASSWORD"], int(os.environ["ARCHIVIO_TEST_IMAP_TLS_PORT"]),
                      os.environ["ARCHIVIO_TEST_IMAP_CA"],
                      os.environ.get("ARCHIVIO_TEST_IMAP_CONF", str(Path(__file__).parent / "run" / "dovecot.conf")))


@pytest.fixture
def imap_folder() -> str:
    return f"t-{uuid.uuid4().hex[:10]}"
