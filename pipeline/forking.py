"""How worker processes are made: forked from a server process that imported the reading code
once (``pipeline.preload``), so that each worker starts with it in memory; spawned, each importing
it, where there is no fork server. The watcher itself is never forked: it runs threads."""

from __future__ import annotations

import multiprocessing as mp


def context() -> mp.context.BaseContext:
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["pipeline.preload"])
    return ctx


def start_server() -> None:
    """Start the fork server now rather than with the first pool: its import of the reading code
    (about 0.4 s of CPU, before any worker can start) then runs on another core while the caller
    goes on with its own start-up. Nothing to start where workers are spawned."""
    if context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()
