"""Which services the watcher is waiting for, and when it tries them again.

When the store or the index cannot be reached, work that needs it waits and is retried with
exponential backoff (2 s, 4 s, … up to half a minute, with jitter so that several watchers do not
knock in step); nothing is dropped or quarantined for an outage. The watcher writes its state
to ``<data>/watch-status.json`` so that `archivio status`, in another process, can say what
it is waiting for.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .records import utcnow

log = logging.getLogger(__name__)

STORE, INDEX = "store", "index"
# Half a minute at most between tries: a try is one cheap request, and the office sees its files
# move again within half a minute of the service's return (a minute's cap kept a 30 s S3 outage
# at 100 s).
_FIRST_DELAY, _MAX_DELAY = 2.0, 30.0


@dataclass
class Outage:
    since: dt.datetime
    reason: str
    failures: int = 1
    next_try: float = 0.0  # time.monotonic() of the next attempt


@dataclass
class Health:
    describe: dict[str, str] = field(default_factory=dict)  # service -> where it is, for people
    outages: dict[str, Outage] = field(default_factory=dict)

    def ready(self, service: str) -> bool:
        """True when the service is up, or when it is time to try it again."""
        outage = self.outages.get(service)
        return outage is None or time.monotonic() >= outage.next_try

    def down(self, service: str) -> bool:
        return service in self.outages

    def failed(self, service: str, reason: str) -> None:
        outage = self.outages.get(service)
        if outage is None:
            outage = self.outages[service] = Outage(utcnow(), reason)
            log.warning("%s unavailable (%s): %s — work that needs it waits and is retried",
                        service, self.describe.get(service, ""), reason)
        else:
            outage.failures += 1
            outage.reason = reason
        delay = min(_MAX_DELAY, _FIRST_DELAY * 2 ** (outage.failures - 1))
        outage.next_try = time.monotonic() + delay * random.uniform(0.8, 1.2)

    def ok(self, service: str) -> None:
        outage = self.outages.pop(service, None)
        if outage is not None:
            seconds = (utcnow() - outage.since).total_seconds()
            log.info("%s is back after %.0f s; catching up", service, seconds)

    def snapshot(self) -> list[dict[str, Any]]:
        now = time.monotonic()
        return [
            {"service": name, "where": self.describe.get(name, ""), "since": o.since.isoformat(),
             "reason": o.reason, "failures": o.failures, "next_try_in": round(max(0.0, o.next_try - now), 1)}
            for name, o in self.outages.items()
        ]


class StatusFile:
    """The running watcher's state, for `archivio status` in another process."""

    def __init__(self, path: Path):
        self.path = path
        self._last = 0.0

    def write(self, state: dict[str, Any], *, every: float = 1.0) -> None:
        if time.monotonic() - self._last < every:
            return
        self._last = time.monotonic()
        state = {"pid": os.getpid(), "updated_at": utcnow().isoformat(), **state}
        tmp = self.path.with_name(f".{self.path.name}.part")
        try:
            tmp.write_text(json.dumps(state, indent=1, default=str))
            os.replace(tmp, self.path)
        except OSError as exc:  # a full disk must not stop the watcher over a status file
            log.debug("status file not written: %s", exc)

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)

    @staticmethod
    def read(path: Path) -> dict[str, Any] | None:
        """The state of a watcher that is still running, or None."""
        try:
            state = json.loads(path.read_text())
        except (OSError, ValueError):
            return None
        try:
            os.kill(int(state.get("pid", 0)), 0)
        except (OSError, ValueError):
            return None  # left behind by a watcher that was killed
        return state
