"""A long scan is read on the cores idle workers lend, and only on those; pages come out in order
and read the same as one after another."""

from __future__ import annotations

import multiprocessing as mp
import threading
import time

import pytest

from pipeline import cores
from test_throughput import LETTER, _scan_with_pages


@pytest.fixture
def shared():
    counts = cores.shared_counts(mp.get_context("spawn"), 3)
    yield counts
    cores.install(None, 0)


def test_a_worker_borrows_only_cores_idle_workers_have_not_lent_already(shared):
    cores.publish_idle(shared, 1)
    cores.install(shared, 0)
    assert cores.borrow()
    assert not cores.borrow()  # the one idle core is taken
    cores.install(shared, 1)
    assert not cores.borrow()  # by another worker too
    cores.install(shared, 0)
    cores.give_back()
    assert cores.borrow()
    cores.publish_idle(shared, 0)  # the idle worker was given a document
    cores.give_back()
    assert not cores.borrow()


def test_what_a_replaced_worker_borrowed_ends_with_it(shared):
    cores.publish_idle(shared, 2)
    cores.install(shared, 2)
    assert cores.borrow() and cores.borrow() and not cores.borrow()
    cores.publish_idle(shared, 2, replaced=2)  # killed on a timeout, never gave them back
    cores.install(shared, 0)
    assert cores.borrow() and cores.borrow()


def test_without_a_pool_nothing_is_borrowed():
    cores.install(None, 0)
    assert not cores.borrow()


def _watch_tesseract(monkeypatch):
    """Counts of Tesseract readings running at once; the most seen."""
    from pipeline.text import engine

    state = {"now": 0, "most": 0}
    lock = threading.Lock()
    real = engine.image_to_data

    def image_to_data(*args, **kwargs):
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        try:
            time.sleep(0.3)  # readings that would overlap do, even on a busy machine
            return real(*args, **kwargs)
        finally:
            with lock:
                state["now"] -= 1

    monkeypatch.setattr(engine, "image_to_data", image_to_data)
    return state


@pytest.mark.ocr
@pytest.mark.slow
def test_a_scan_is_read_on_a_lent_core_in_order_and_the_same(settings, tmp_path, monkeypatch, shared):
    from pipeline.text import read_document

    scan = _scan_with_pages(tmp_path, [LETTER[:4], [], LETTER[3:], LETTER[::-1]])
    state = _watch_tesseract(monkeypatch)
    alone = read_document(scan, settings.ocr, max_pages=10)
    assert state["most"] == 1

    cores.publish_idle(shared, 1)
    cores.install(shared, 0)
    lent = read_document(scan, settings.ocr, max_pages=10)
    assert state["most"] == 2  # never more than the one lent core
    assert [p.number for p in lent.pages] == [1, 2, 3, 4]
    assert [[w.text for w in p.words] for p in lent.pages] == [[w.text for w in p.words] for p in alone.pages]
    assert lent.pages[1].words == []
    assert list(shared) == [1, 0, 0, 0]  # the core is given back


def test_the_pool_says_how_many_of_its_workers_wait(settings):
    from pipeline.workers import Task, WorkerPool

    pool = WorkerPool(settings, size=2)
    try:
        assert list(pool._cores) == [2, 0, 0]
        pool.submit(Task(1, "0" * 64, "missing.pdf"))  # no such original: an error comes back
        assert pool._cores[0] == 1
        results = []
        deadline = time.monotonic() + 120
        while not results and time.monotonic() < deadline:
            results = pool.collect(timeout=0.5)
        assert results and results[0].error is not None
        assert pool._cores[0] == 2
    finally:
        pool.close()
