"""The ``archivio`` entry point ends without tearing its modules down once the command has returned
and every exit handler has run: the same status, every line written, every handler run. Only
where the interpreter was started for the command."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

_PROBE = textwrap.dedent("""
    import atexit, importlib, os, sys
    from pipeline import prestart
    cli_main = importlib.import_module("pipeline.cli.main")

    class Teardown:
        def __del__(self):
            os.write(2, b"torn down\\n")

    kept = Teardown()  # freed only when the interpreter tears its modules down

    def command():
        atexit.register(lambda: print("handler ran", flush=False))  # registered after the entry point's
        print("written", end="")  # left in the buffer: the exit must flush it
        if {raises!r}:
            raise RuntimeError("boom")
        return {code}

    cli_main.main = command
    sys.argv = ["archivio", "--version"]
    status = prestart.main()
    {after}
    sys.exit(status)
""")


def _run(tmp_path: Path, name: str, **fill) -> subprocess.CompletedProcess:
    """The probe run as a script called ``name`` (the console script is called ``archivio``)."""
    script = tmp_path / name
    script.write_text(_PROBE.format(**{"code": 0, "raises": False, "after": "pass", **fill}))
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).parents[1])


@pytest.mark.parametrize("code", [0, 3])
def test_the_command_leaves_without_tearing_down_and_loses_nothing(tmp_path, code):
    out = _run(tmp_path, "archivio", code=code)
    assert out.returncode == code
    assert out.stdout == "writtenhandler ran\n"
    assert "torn down" not in out.stderr


def test_after_an_exception_the_interpreter_ends_as_usual(tmp_path):
    out = _run(tmp_path, "archivio", raises=True)
    assert out.returncode == 1
    assert "RuntimeError: boom" in out.stderr and "torn down" in out.stderr
    assert out.stdout == "writtenhandler ran\n"


def test_a_program_that_calls_the_entry_point_ends_as_it_chooses(tmp_path):
    out = _run(tmp_path, "caller.py", code=3, after="print('after'); status = 0")
    assert out.returncode == 0
    assert out.stdout == "writtenafter\nhandler ran\n"
    assert "torn down" in out.stderr


@pytest.mark.parametrize("argv, started", [
    (["python", "-m", "pipeline", "ingest"], True),
    (["python", "-X", "importtime", "-B", "-m", "pipeline"], True),
    (["/venv/bin/python", "/venv/bin/archivio", "watch"], True),
    (["python", "-m", "pytest", "archivio"], False),
    (["python", "-c", "from pipeline.prestart import main; main()"], False),
    (["python", "tools/archivio.py"], False),
    (["python"], False),
])
def test_the_entry_point_knows_whether_the_interpreter_was_started_for_it(monkeypatch, argv, started):
    from pipeline import prestart

    monkeypatch.setattr(sys, "orig_argv", argv)
    assert prestart._started_as_the_command() is started
