"""Cores the worker pool is not using, lent to the worker reading a long scan.

Tesseract reads one page on one core. While the pool has idle workers (the end of a batch, or
one long scan dropped alone), a worker reading a scanned PDF borrows their cores and reads
further pages of its document at the same time, one page per borrowed core. The pool publishes
how many of its workers are idle; each worker's borrowings are counted in its own slot, so a
worker that is replaced (killed on a timeout) cannot leave cores counted as borrowed. A worker
given a document while its core is lent does not wait: the borrower finishes the page it
started there and borrows no more.

Outside the pool (``archivio eval``, a Celery worker, tests) nothing is installed and pages are
read one after another.
"""

from __future__ import annotations

from typing import Any

# [idle workers, cores borrowed by worker 0, by worker 1, ...]: a multiprocessing Array
# shared by the pool and its workers.
_shared: Any = None
_slot = 0


def shared_counts(ctx, workers: int):
    """The pool's side: the shared counts, to hand to every worker it starts."""
    return ctx.Array("i", workers + 1)


def publish_idle(shared, idle: int, *, replaced: int | None = None) -> None:
    """The pool's side: how many workers wait for a document; ``replaced``: the slot of a worker
    that was killed, whose borrowings end with it."""
    with shared.get_lock():
        shared[0] = idle
        if replaced is not None:
            shared[1 + replaced] = 0


def install(shared, slot: int) -> None:
    """The worker's side, once at start: its slot in the shared counts."""
    global _shared, _slot
    _shared, _slot = shared, slot


def borrow() -> bool:
    """Take one idle worker's core for a page, if there is one not borrowed already."""
    if _shared is None:
        return False
    with _shared.get_lock():
        if sum(_shared[1:]) < _shared[0]:
            _shared[1 + _slot] += 1
            return True
    return False


def give_back() -> None:
    with _shared.get_lock():
        _shared[1 + _slot] = max(0, _shared[1 + _slot] - 1)
