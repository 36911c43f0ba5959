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

import atexit
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
    import contextlib
    import importlib

    for name in _SHARED:
        importlib.import_module(name)
    # The settings' validators are built on first use (``defer_build``): by the command to load its
    # settings, by the server's preload for its workers; built once, here, for both.
    from .config import Settings

    with contextlib.suppress(Exception):  # the preload builds them (and loading the settings says why not)
        Settings.model_rebuild()


def main() -> int:
    """The console script: the fork server first (this process forked once it has imported what
    both need, before anything of its own: ``forking.start_server``), then the command line
    (``cli.main``, which finds the server running)."""
    if _started_as_the_command():
        atexit.register(_leave, os.getpid())  # first, so that it runs last
    pause_collection()  # the server turns it on again for itself and the workers it forks
    start_workers_early(sys.argv[1:], by_fork=True)
    from .cli.main import main as command_line

    global _exit_code
    _exit_code = command_line()
    return _exit_code


# The command's exit status once it has returned one; None while it runs (or if it raised).
_exit_code: int | None = None


def _started_as_the_command() -> bool:
    """Whether this interpreter was started to run the command (the ``archivio`` script, ``python
    -m pipeline``), rather than a program that calls ``main`` and goes on after it."""
    argv = list(getattr(sys, "orig_argv", ()))[1:]
    while argv and argv[0].startswith("-") and argv[0] not in ("-m", "-c"):
        if argv.pop(0) in ("-X", "-W") and argv:
            argv.pop(0)  # the option's value
    if argv[:1] == ["-m"]:
        return argv[1:2] == ["pipeline"]
    return bool(argv) and os.path.basename(argv[0]) == "archivio"


def _leave(pid: int) -> None:
    """The command's last exit handler: once the command has returned and every other handler
    has run (threads joined, logs flushed, the workers' server and tracker told to stop), the
    process ends without tearing its modules down one by one, which frees every object the
    command made (0.01 s, the last step of every batch's wall time). Nothing is lost: files, the
    journal and the index are closed before the command returns, and Python promises no
    finaliser at exit. Only where the interpreter was started for the command; not in a process
    this one forked, nor after an exception."""
    if _exit_code is None or os.getpid() != pid:
        return
    code = _exit_code
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            code = code or 120  # as Python exits when it cannot flush them
    os._exit(code)


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
