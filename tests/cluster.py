"""A distributed Archivio on this machine, for tests and bench/scale.py: one `archivio watch` and
N `archivio worker` processes, each in its own empty working directory, sharing only a Redis
broker, an S3 bucket (SeaweedFS) and an Elasticsearch index, configured by environment only."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Cluster:
    base: Path
    env: dict[str, str]
    watcher: subprocess.Popen | None = None
    workers: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def office(self) -> Path:
        return self.base / "office"

    def _spawn(self, name: str, *args: str, cwd: Path) -> subprocess.Popen:
        cwd.mkdir(parents=True, exist_ok=True)
        log = (self.base / f"{name}.log").open("ab")
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("ARCHIVIO_")}, **self.env}
        return subprocess.Popen([sys.executable, "-m", "pipeline", *args], cwd=cwd, env=env, stdout=log, stderr=log,
                                stdin=subprocess.DEVNULL, start_new_session=True)

    def start_watch(self) -> None:
        for name in ("inbox", "processed", "quarantine", "duplicates", "data"):
            (self.office / name).mkdir(parents=True, exist_ok=True)
        self.watcher = self._spawn("watch", "watch", cwd=self.office)

    def start_worker(self, name: str, concurrency: int = 1) -> subprocess.Popen:
        # Its own empty working directory: a worker needs nothing local.
        self.workers[name] = self._spawn(name, "worker", "-j", str(concurrency), cwd=self.base / f"wd-{name}")
        return self.workers[name]

    def kill_worker(self, name: str) -> None:
        """SIGKILL the worker and its pool processes at once, as a machine that dies."""
        process = self.workers.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def log(self, name: str) -> str:
        path = self.base / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        for process in [self.watcher, *self.workers.values()]:
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in [self.watcher, *self.workers.values()]:
            if process is None:
                continue
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)
        self.watcher = None
        self.workers.clear()


def cluster_env(office: Path, *, broker: str, s3_endpoint: str, access_key: str, secret_key: str, bucket: str,
                prefix: str, es_url: str, es_prefix: str, **more: str) -> dict[str, str]:
    env = {f"ARCHIVIO_PATHS_{name.upper()}": str(office / name)
           for name in ("inbox", "processed", "quarantine", "duplicates", "data")}
    env.update({
        "ARCHIVIO_QUEUE_BACKEND": "celery", "ARCHIVIO_QUEUE_BROKER_URL": broker,
        "ARCHIVIO_STORE_BACKEND": "s3", "ARCHIVIO_STORE_ENDPOINT_URL": s3_endpoint, "ARCHIVIO_STORE_BUCKET": bucket,
        "ARCHIVIO_STORE_PREFIX": prefix, "ARCHIVIO_STORE_ACCESS_KEY_ID": access_key,
        "ARCHIVIO_STORE_SECRET_ACCESS_KEY": secret_key, "ARCHIVIO_STORE_ADDRESSING_STYLE": "path",
        "ARCHIVIO_STORE_MAX_ATTEMPTS": "2", "ARCHIVIO_STORE_CONNECT_TIMEOUT": "5",
        "ARCHIVIO_INDEX_BACKEND": "elasticsearch", "ARCHIVIO_INDEX_HOSTS": es_url, "ARCHIVIO_INDEX_PREFIX": es_prefix,
        "ARCHIVIO_INDEX_REPLICAS": "0", "ARCHIVIO_INDEX_REFRESH": "false",
        "ARCHIVIO_WATCH_SETTLE_SECONDS": "0.3", "ARCHIVIO_WATCH_POLL_INTERVAL": "0.5",
        "ARCHIVIO_WORKERS_COUNT": "1", "PYTHONPATH": str(ROOT), "OMP_THREAD_LIMIT": "1",
    })
    env.update(more)
    return env
