"""Crash points for the crash-safety tests: kill this process at a named step.

``ARCHIVIO_CRASH_AT=dispatch.after_record:3`` makes the process SIGKILL itself the third time
it reaches ``crash_point("dispatch.after_record")``. Unset (always, outside the tests) a crash
point costs one dictionary lookup. The harness in tests/test_crash.py uses these to prove that
a crash between any two steps of intake and filing loses nothing and files nothing twice.
"""

from __future__ import annotations

import os
import signal

_ENV = "ARCHIVIO_CRASH_AT"
_hits: dict[str, int] = {}


def crash_point(name: str) -> None:
    spec = os.environ.get(_ENV)
    if not spec:
        return
    target, _, count = spec.partition(":")
    if target != name:
        return
    _hits[name] = _hits.get(name, 0) + 1
    if _hits[name] >= int(count or 1):
        os.kill(os.getpid(), signal.SIGKILL)
