"""A worker is sent its next document while it reads one, so that it does not wait while the
dispatcher files what it read; never more than that, never behind a long document while another
worker has nothing, never at the end of a batch; what was sent ahead is never lost."""

from __future__ import annotations

import multiprocessing as mp
import time
from types import SimpleNamespace

import pytest

from pipeline import dispatch, forking, workers
from pipeline.workers import Task, WorkerPool
from support import make_settings


def _fake_worker(conn, settings_json, parent, counts=None, slot=0):
    """Reads tasks in the order sent; a task's file name says how long it takes ("0.2") or that it
    never ends ("hang"). Answers with when it began and which worker it is."""
    while True:
        task = conn.recv()
        if task is None:
            return
        began = time.monotonic()
        time.sleep(3600 if task.filename == "hang" else float(task.filename))
        conn.send(("ok", {"job": task.job_id, "began": began, "slot": slot}))


@pytest.fixture
def pool_of(tmp_path, monkeypatch):
    monkeypatch.setattr(forking, "context", lambda: mp.get_context("fork"))
    monkeypatch.setattr(workers, "_worker_main", _fake_worker)
    made = []

    def make(size: int, **overrides) -> WorkerPool:
        pool = WorkerPool(make_settings(tmp_path, **overrides), size=size)
        made.append(pool)
        return pool

    yield make
    for pool in made:
        pool.close()


def _collect(pool: WorkerPool, count: int, within: float = 20) -> list:
    results, deadline = [], time.monotonic() + within
    while len(results) < count and time.monotonic() < deadline:
        results.extend(pool.collect(timeout=0.1))
    assert len(results) == count, results
    return results


def test_a_worker_reads_the_document_sent_ahead_without_waiting_for_the_pool(pool_of):
    pool = pool_of(2)
    assert pool.free == 3  # one each, and one ahead
    for job, seconds, size in ((1, "0.6", 1000), (2, "0.3", 10), (3, "0.3", 10)):
        pool.submit(Task(job, "0" * 64, seconds, size))
    assert pool.free == 0 and pool.idle == 0 and sorted(t.job_id for t in pool.busy) == [1, 2, 3]
    time.sleep(1.5)  # nobody collects meanwhile
    results = {r.task.job_id: r.analysis for r in _collect(pool, 3, within=1)}
    # Behind the smaller document, read by the same worker the moment it finished the first one.
    assert results[3]["slot"] == results[2]["slot"] != results[1]["slot"]
    assert results[3]["began"] - results[2]["began"] < 0.9  # 0.3 s after it: not after a collect (none was made)
    assert pool.free == 3


def test_nothing_more_is_sent_ahead_than_one_fewer_than_the_workers(pool_of):
    pool = pool_of(3)
    assert pool.free == 5
    for job in range(1, 6):
        pool.submit(Task(job, "0" * 64, "0.5", 100 - job))
    assert pool.free == 0
    with pytest.raises(RuntimeError):
        pool.submit(Task(6, "0" * 64, "0.5", 1))
    held = sorted(len(w.tasks) for w in pool.workers)
    assert held == [1, 2, 2]  # the largest document (job 1) has nothing waiting behind it
    assert next(w for w in pool.workers if len(w.tasks) == 1).tasks[0].job_id == 1
    _collect(pool, 5)


def test_a_lone_worker_is_sent_one_ahead_too(pool_of):
    pool = pool_of(1)
    assert pool.free == 2
    pool.submit(Task(1, "0" * 64, "0.2", 1))
    pool.submit(Task(2, "0" * 64, "0.2", 1))
    assert pool.free == 0
    assert [r.task.job_id for r in _collect(pool, 2)] == [1, 2]


def test_the_document_behind_one_that_overran_is_read_by_its_replacement(pool_of):
    pool = pool_of(1, **{"workers.document_timeout": 1.0})
    pool.submit(Task(1, "0" * 64, "hang", 1))
    pool.submit(Task(2, "0" * 64, "0.1", 1))
    results = {r.task.job_id: r for r in _collect(pool, 2)}
    assert isinstance(results[1].error, workers.DocumentTimeoutError)
    assert results[2].error is None and results[2].analysis["job"] == 2


def test_what_was_sent_ahead_and_not_read_comes_back_on_close(pool_of):
    pool = pool_of(1)
    pool.submit(Task(1, "0" * 64, "hang", 1))
    pool.submit(Task(2, "0" * 64, "0.1", 1))
    assert sorted(t.job_id for t in pool.close()) == [1, 2]  # requeued by the dispatcher


# -- the dispatcher: nothing ahead at the end of a batch -------------------------------------------
class _Journal:
    def __init__(self, queued: int):
        self.waiting, self.claimed = queued, []

    def queued(self) -> int:
        return self.waiting

    def claim(self, limit: int) -> list:
        self.claimed.append(limit)
        return []


@pytest.mark.parametrize("queued, claimed", [(8, [3]), (7, [3]), (6, [2]), (4, [2]), (2, [2]), (0, [2])])
def test_documents_go_ahead_only_while_two_a_worker_wait_behind_them(queued, claimed):
    """Two idle workers and one document that may go ahead: it goes only when at least two
    documents a worker would still be waiting after this claim."""
    dispatcher = object.__new__(dispatch.Dispatcher)
    dispatcher.pool = SimpleNamespace(idle=2, free=3, workers=[object(), object()])
    dispatcher.health = SimpleNamespace(ready=lambda service: True)
    dispatcher.journal = _Journal(queued)
    dispatcher._dispatch()
    assert dispatcher.journal.claimed == claimed


def test_no_document_goes_ahead_of_busy_workers_at_the_end_of_a_batch():
    dispatcher = object.__new__(dispatch.Dispatcher)
    dispatcher.pool = SimpleNamespace(idle=0, free=1, workers=[object(), object()])
    dispatcher.health = SimpleNamespace(ready=lambda service: True)
    dispatcher.journal = _Journal(4)
    dispatcher._dispatch()
    assert dispatcher.journal.claimed == []
