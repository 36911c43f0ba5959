"""A worker that loses its broker while it holds a document keeps running, stops promptly when
told to, and the document stays in the broker.

Real programs and services: `archivio watch` and one `archivio worker` on a Redis of the test's
own (killed with SIGKILL, started again on the same port and data), SeaweedFS for the store, and an
Elasticsearch address nothing answers, so the document waits in the worker for its retry — the
moment a lost broker used to stop the worker with kombu's "Unrecoverable error".
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid

import pytest

import docgen
from cluster import Cluster, cluster_env
from services.redis.plugin import PrivateRedis, free_port

pytest.importorskip("celery")

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

STOP_SECONDS = 10  # what a supervisor grants before SIGKILL is far longer (systemd 90 s, Kubernetes 30 s)


def wait_for(predicate, timeout: float, what: str, explain=lambda: "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}\n{explain()}")
        time.sleep(0.2)


def messages_held(broker: PrivateRedis) -> int:
    """Messages waiting in the broker: queued, or delivered and not yet acknowledged."""
    import redis

    client = redis.Redis.from_url(broker.url)
    try:
        return client.llen("archivio") + client.hlen("unacked")
    finally:
        client.close()


def cluster_on_own_broker(redis_binary, s3_server, bucket: str, tmp_path, *, name: str, es_url: str,
                          **extra: str) -> tuple[PrivateRedis, Cluster]:
    """A started Redis of the test's own, and a cluster (not started) using it, the session's S3
    bucket under a prefix of its own and ``es_url`` under an index prefix of its own."""
    broker = PrivateRedis(redis_binary, tmp_path / "redis")
    broker.start()
    env = cluster_env(tmp_path / "office", broker=broker.url, s3_endpoint=s3_server.endpoint,
                      access_key=s3_server.access_key, secret_key=s3_server.secret_key, bucket=bucket,
                      prefix=f"{name}-{uuid.uuid4().hex[:8]}/", es_url=es_url,
                      es_prefix=f"{name}-{uuid.uuid4().hex[:8]}", **extra)
    return broker, Cluster(tmp_path, env)


def test_a_worker_keeps_running_when_the_broker_goes_while_it_holds_a_document_and_stops_promptly(
        redis_binary, s3_server, locked_bucket, tmp_path):
    broker, running = cluster_on_own_broker(redis_binary, s3_server, locked_bucket, tmp_path, name="loss",
                                            es_url=f"http://127.0.0.1:{free_port()}")
    try:
        running.start_watch()
        worker = running.start_worker("w1")
        wait_for(lambda: " ready." in running.log("w1"), 60, "the worker to start", lambda: running.log("w1"))
        docgen.italian_invoice(running.office / "inbox" / "fattura.pdf", seed=7)
        # With the index unreachable the document is filed to S3 and then waits in the worker for
        # its retry: a delivered, unacknowledged message.
        wait_for(lambda: "retry: Retry in" in running.log("w1"), 60, "the document to wait for its retry",
                 lambda: running.log("w1"))
        # The retry is a new message published as the first is acknowledged: the worker holds the
        # document once the broker has it again (killed at the very line, the broker sometimes
        # went down between the two, and the test's premise, a held document, did not hold).
        wait_for(lambda: messages_held(broker) >= 1, 10, "the retried document to be held in the broker",
                 lambda: running.log("w1"))

        broker.kill()
        time.sleep(4)  # the consumer notices within a second and starts its reconnection schedule
        log = running.log("w1")
        assert "Connection to broker lost" in log
        assert "Unrecoverable error" not in log, log[-3000:]
        assert worker.poll() is None, f"the worker stopped when its broker went away:\n{log[-3000:]}"

        started = time.monotonic()
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the worker was still running {STOP_SECONDS} s after SIGTERM with its broker down:\n"
                        f"{running.log('w1')[-3000:]}")
        assert worker.returncode == 0
        assert time.monotonic() - started < STOP_SECONDS
        running.workers.pop("w1")

        broker.start()  # same port and append-only file: what it acknowledged survives
        assert messages_held(broker) >= 1, "the waiting document's message was lost with the worker"
    finally:
        running.stop()
        broker.kill()
