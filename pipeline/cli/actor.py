"""Who runs a command line, for the audit log: the operating-system user on this machine."""

from __future__ import annotations

import getpass
import socket

from ..audit import Actor


def cli_actor() -> Actor:
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        user = "unknown"
    return Actor(f"cli:{user}@{socket.gethostname()}")
