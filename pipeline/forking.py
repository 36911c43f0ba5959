"""How worker processes are made: forked from a server process that imported the reading code
once (``pipeline.preload``), so that each worker starts with it in memory; spawned, each importing
it, where there is no fork server. The watcher itself is never forked: it runs threads."""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import signal
import sys
import threading


def context() -> mp.context.BaseContext:
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["pipeline.preload"])
    return ctx


def start_server(*, by_fork: bool = False) -> None:
    """Start the fork server now rather than with the first pool: its import of the reading code
    (about 0.2 s of CPU, before any worker can start) then runs on another core while the caller
    goes on with its own start-up. Nothing to start where workers are spawned.

    ``by_fork``: the caller is a fresh command that has imported nothing of its own yet (the
    ``archivio`` entry point, ``pipeline.prestart``): the server is then this process forked,
    instead of a new interpreter started for it, and begins importing the reading code at once
    (a new interpreter's start-up and multiprocessing's imports cost it 0.03-0.05 s first, on the
    critical path of every batch). It serves exactly as the started one does."""
    if context().get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    if not (by_fork and _fork_server()):
        forkserver.ensure_running()


# The Pythons whose fork server this module knows how to start by fork: ``ForkServer.ensure_running``
# and ``forkserver.main`` as 3.11, 3.12 and 3.13 have them (3.14 adds an authentication key). Any other
# starts its server itself.
_FORKABLE = {(3, 11), (3, 12), (3, 13)}


def _fork_server() -> bool:
    """``ForkServer.ensure_running`` with a fork where it starts a new interpreter: the same
    listener, alive pipe, preload and bookkeeping. False (nothing done) where that is not safe:
    another Python, a server already there, or threads in this process (a fork copies only the
    calling thread, with every lock as it was)."""
    from multiprocessing import connection, forkserver, resource_tracker, util

    server = getattr(forkserver, "_forkserver", None)
    if (sys.version_info[:2] not in _FORKABLE or threading.active_count() != 1 or server is None
            or getattr(server, "_forkserver_pid", 0) is not None
            or not hasattr(server, "_forkserver_alive_fd") or not hasattr(server, "_preload_modules")):
        return False
    import socket

    with server._lock:
        _fork_tracker(resource_tracker)
        with socket.socket(socket.AF_UNIX) as listener:
            address = connection.arbitrary_address("AF_UNIX")
            listener.bind(address)
            if not util.is_abstract_socket_namespace(address):
                os.chmod(address, 0o600)
            listener.listen()
            alive_r, alive_w = os.pipe()
            try:
                pid = os.fork()
            except OSError:  # no process to spare: the usual start says so, as it always did
                os.close(alive_r)
                os.close(alive_w)
                return False
            if pid == 0:  # the server: it never returns into the command
                code = 1
                try:
                    os.close(alive_w)  # its own copy would keep it alive after every client is gone
                    _collector_on()  # the preload and the workers collect
                    forkserver.main(listener.fileno(), alive_r, server._preload_modules)
                    code = 0
                except SystemExit as exc:  # how the server ends once the command has exited
                    code = exc.code if isinstance(exc.code, int) else 0
                finally:
                    os._exit(code)
            os.close(alive_r)
        server._forkserver_address = address
        server._forkserver_alive_fd = alive_w
        server._forkserver_pid = pid
    return True


def _collector_on() -> None:
    """In a process the command forked: the collector on, as a new interpreter has it. What it
    inherited (the command's imports, made with the collector off: ``prestart``) is put out of
    its reach first, or its first collections would walk all of it (0.02 s of CPU in the resource
    tracker, and in the fork server before its preload)."""
    gc.freeze()
    gc.enable()


def _fork_tracker(resource_tracker) -> None:
    """``resource_tracker.ensure_running`` with a fork where it starts a new interpreter, under the
    same conditions as the server (``_fork_server``): the tracker that every process of a fork
    server's pool reports to. Its start-up (0.03-0.05 s of CPU: an interpreter and
    multiprocessing's imports) otherwise runs on the cores the server's preload and the command's
    own start-up need, on the critical path of every batch. It tracks and cleans up as the started
    one does (``resource_tracker.main`` on the read end of the same pipe) and ends when the
    command does."""
    tracker = getattr(resource_tracker, "_resource_tracker", None)
    if tracker is None or getattr(tracker, "_fd", 0) is not None or getattr(tracker, "_pid", 0) is not None \
            or not hasattr(resource_tracker, "main") or not hasattr(resource_tracker, "_IGNORED_SIGNALS"):
        resource_tracker.ensure_running()
        return
    ignored = resource_tracker._IGNORED_SIGNALS
    with tracker._lock:
        r, w = os.pipe()
        # As the started tracker is: these signals blocked until its handlers ignore them, or a ^C
        # at the wrong moment would kill it before it can clean up (bpo-33613).
        signal.pthread_sigmask(signal.SIG_BLOCK, ignored)
        try:
            pid = os.fork()
        except OSError:
            pid = None
        if pid == 0:  # the tracker: it never returns into the command
            code = 1
            try:
                os.close(w)  # its own copy would keep it waiting after the command is gone
                _collector_on()
                resource_tracker.main(r)  # unblocks the signals once they are ignored
                code = 0
            except SystemExit as exc:  # 3.12 on: how it ends, saying whether it had to clean up
                code = exc.code if isinstance(exc.code, int) else 0
            finally:
                os._exit(code)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, ignored)
        os.close(r)
        if pid is not None:
            tracker._fd = w
            tracker._pid = pid
            return
        os.close(w)
    # No process to spare: the usual start says so, as it always did (outside the lock, which it
    # takes itself and refuses to take twice).
    resource_tracker.ensure_running()
