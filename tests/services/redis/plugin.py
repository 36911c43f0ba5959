"""Fixtures for tests against a real Redis (Debian's redis-server, started by ``service.sh start``).

``redis_url`` is the shared broker for tests that only need one. Tests that kill and restart the
broker get their own with ``private_redis`` (same binary, own port and data folder), so the
shared one never goes away under another test.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from support import need_service

HOW = ('start it with `eval "$(tests/services/redis/service.sh start)"` (scripts/test starts and stops it); '
       "stop it with `tests/services/redis/service.sh stop`")


@pytest.fixture(scope="session")
def redis_url() -> str:
    return need_service("Redis", "ARCHIVIO_TEST_REDIS_URL", HOW)


@pytest.fixture(scope="session")
def redis_binary(redis_url) -> str:
    return os.environ.get("ARCHIVIO_TEST_REDIS_SERVER") or "redis-server"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@dataclass
class PrivateRedis:
    """A broker of the test's own, with an append-only file synced on every write: killed with
    SIGKILL and started again on the same port, it comes back with every acknowledged message."""

    binary: str
    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.folder),
             "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--logfile", "redis.log"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while not answers(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {self.port}: see {self.folder}/redis.log")
            time.sleep(0.05)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)
        self.process = None


@pytest.fixture(scope="module")
def private_redis(redis_binary, tmp_path_factory):
    server = PrivateRedis(redis_binary, tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.kill()
