"""A worker's broker reconnection: prompt, and quiet in the log while the broker is away.

The consumer is Celery's own (with Archivio's schedule) trying a real Redis port that answers
only after a few seconds.
"""

from __future__ import annotations

import logging
import threading
import time
from types import SimpleNamespace

import pytest

pytest.importorskip("celery")

from celery import Celery  # noqa: E402
from celery.worker.consumer.consumer import CONNECTION_ERROR  # noqa: E402
from celery.worker.consumer.consumer import logger as consumer_log  # noqa: E402

from pipeline.queue import reconnect  # noqa: E402
from pipeline.queue.reconnect import FoldRetries, PromptConsumer  # noqa: E402
from services.redis.plugin import PrivateRedis  # noqa: E402


def connection_error(attempt: int) -> logging.LogRecord:
    return logging.LogRecord(consumer_log.name, logging.ERROR, __file__, 1, CONNECTION_ERROR,
                             ("redis://host:6379/0", ConnectionRefusedError(111, "refused"), f"attempt {attempt}"), None)


def test_the_first_error_of_an_outage_shows_then_one_line_a_minute_counting_the_attempts():
    now = [0.0]
    fold = FoldRetries(every=60, clock=lambda: now[0])
    shown = []
    for attempt in range(1, 30):  # every 5 s for 145 s
        record = connection_error(attempt)
        if fold.filter(record):
            shown.append((now[0], record.levelname, record.getMessage()))
        now[0] += 5
    assert [t for t, *_ in shown] == [0, 60, 120]
    assert shown[0][1] == "ERROR" and "Cannot connect to redis://host:6379/0" in shown[0][2]
    assert shown[1][1] == "WARNING" and "13 attempts in 60 s" in shown[1][2] and "refused" in shown[1][2]
    assert "25 attempts in 120 s" in shown[2][2]
    assert fold.attempts == 29 and fold.outage_seconds() == 145


def test_other_consumer_lines_pass_untouched():
    fold = FoldRetries(every=60, clock=lambda: 0.0)
    record = logging.LogRecord(consumer_log.name, logging.INFO, __file__, 1, "Connected to %s", ("redis://x",), None)
    assert fold.filter(record) and record.getMessage() == "Connected to redis://x"
    assert fold.outage_seconds() is None


@pytest.mark.slow
def test_a_worker_retrying_a_broker_that_comes_back_logs_little_and_is_back_within_its_schedule(
        redis_binary, tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(reconnect, "REPEAT_LOG_SECONDS", 3.0)
    broker = PrivateRedis(redis_binary, tmp_path / "redis")
    app = Celery("archivio-test", broker=broker.url, set_as_current=False)
    app.conf.broker_connection_retry_on_startup = True
    app.conf.broker_connection_max_retries = None
    consumer = PromptConsumer(lambda *a: None, app=app, controller=SimpleNamespace(use_eventloop=False))
    done = {}

    def connect():
        connection = consumer.ensure_connected(app.connection_for_read())
        done["at"] = time.monotonic()
        connection.release()

    caplog.set_level(logging.INFO)
    worker = threading.Thread(target=connect, daemon=True)
    started = time.monotonic()
    worker.start()
    time.sleep(7)  # attempts at +1, +3, +6 s: three failures, the third past the 3 s fold
    broker.start()
    back_at = time.monotonic()
    try:
        worker.join(reconnect.RETRY_MAX_SECONDS + 5)
        assert "at" in done, "the consumer did not reconnect"
        assert done["at"] - back_at <= reconnect.RETRY_MAX_SECONDS + 1
    finally:
        broker.kill()
    errors = [r for r in caplog.records if r.name == consumer_log.name]
    assert errors[0].levelname == "ERROR" and "Cannot connect to" in errors[0].getMessage()
    assert any("still unreachable" in r.getMessage() for r in errors[1:]), [r.getMessage() for r in errors]
    back = [r.getMessage() for r in caplog.records if r.name == reconnect.__name__]
    assert len(back) == 1 and "reachable again after" in back[0], back
    failed = int(back[0].split(" and ")[1].split()[0])
    assert failed >= 4 and len(errors) < failed, (failed, [r.getMessage() for r in errors])
    assert float(back[0].split("after ")[1].split(" s")[0]) >= back_at - started - 1
    assert not any(isinstance(f, FoldRetries) for f in consumer_log.filters)
