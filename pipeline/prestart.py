"""The first thing the ``archivio`` command does: start the fork server its workers come from,
before importing anything of its own (click, the command modules: about 0.03 s of CPU), once it
has imported what both need (``_SHARED``).

The server's import of the reading code is the longest step before a batch's first document is
read; every millisecond it starts earlier is one off a small batch's wall time, while the command
goes on with its own start-up on the other core. Only for a command that reads with local workers;
the settings are not loaded yet, so the queue backend is peeked at in the environment and the
user's file (the shipped default is local). When in doubt nothing is started here: the pool
starts the server itself, later.
"""

from __future__ import annotations

import gc
import os
import sys

# Commands whose documents are read by local workers; options of the group that take a value.
_READING_COMMANDS = {"ingest", "watch"}
_VALUED = {"-c", "--config"}


def start_workers_early(args: list[str], *, by_fork: bool = False) -> None:
    config, command, rest = os.environ.get("ARCHIVIO_CONFIG"), None, list(args)
    while rest:
        arg = rest.pop(0)
        if arg in _VALUED and rest:
            config = rest.pop(0)
        elif arg.startswith("--config="):
            config = arg.split("=", 1)[1]
        elif arg.startswith("-") and arg.lstrip("-v") == "" or arg in ("-q", "--quiet", "--verbose"):
            continue
        elif not arg.startswith("-"):
            command = arg
            break
        else:
            return  # an option not known here (--help, --version, a typo): let click say
    if command not in _READING_COMMANDS or "--help" in rest or "-h" in rest:
        return
    backend = os.environ.get("ARCHIVIO_QUEUE_BACKEND")
    if backend is None and config:
        import tomllib  # only when a file is named (the default needs no parser)

        try:
            with open(os.path.expanduser(config), "rb") as fh:
                backend = tomllib.load(fh).get("queue", {}).get("backend", "local")
        except (OSError, ValueError, AttributeError):
            return  # loading the settings will say what is wrong
    if (backend or "local") == "local":
        from .forking import start_server

        if by_fork:
            _import_shared()
        start_server(by_fork=by_fork)


# What the command and its workers both import: the settings' classes and pydantic (half of the
# server's preload), the records, the journal and the store. Imported here, before the server is
# this process forked, they are imported once instead of once in each process, about 0.1 s of
# CPU less. The server does not start later for it: it has that much less to import after the fork.
_SHARED = ("pipeline.process", "pipeline.store", "pipeline.parts", "pipeline.logjson", "pipeline.cores",
           "pipeline.text.sniff")


def _import_shared() -> None:
    import importlib

    for name in _SHARED:
        importlib.import_module(name)


def main() -> int:
    """The console script: the fork server first (this process forked once it has imported what
    both need, before anything of its own: ``forking.start_server``), then the command line
    (``cli.main``, which finds the server running)."""
    pause_collection()  # the server turns it on again for itself and the workers it forks
    start_workers_early(sys.argv[1:], by_fork=True)
    from .cli.main import main as command_line

    return command_line()


# The command's own imports (click, pydantic and the settings classes, the command's modules)
# allocate a great many objects and almost no garbage: the collector would run through them about
# sixty times (0.015-0.025 s of CPU) while the fork server imports the reading code on the other
# core and both race to the batch's first document. It waits until the settings are loaded, the
# moment every working command starts its work (``cli.main.Context.settings``); what was made until
# then lives as long as the process and is put out of the collector's reach (``gc.freeze``), or the
# first collections after it would walk all of it anyway.
_paused = False


def pause_collection() -> bool:
    """The collector off, if it is on, until ``resume_collection``: for a start-up's imports (the
    command's here, the fork server's in ``pipeline.preload``). False where it was off already
    (paused by a caller further up, who turns it on again)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True
        return True
    return False


def resume_collection(*, freeze: bool = True) -> None:
    """The collector on again if ``pause_collection`` turned it off; what was made meanwhile first
    put out of its reach (``freeze``), or its first collections would walk all of it anyway."""
    global _paused
    if _paused:
        _paused = False
        if freeze:
            gc.freeze()
        gc.enable()
