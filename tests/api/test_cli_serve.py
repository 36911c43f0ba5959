"""`archivio serve` starts the app on the configured address and answers with the web page."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx


def test_archivio_serve_answers_and_stops_on_sigterm(work_office):
    config = work_office.root / "archivio.toml"
    config.write_text(f'[paths]\ndata = "{work_office.root / "data"}"\n[api]\nport = 0\n')
    process = subprocess.Popen([str(Path(sys.executable).parent / "archivio"), "-c", str(config), "serve"],
                               stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        line = process.stderr.readline()
        assert "serving on http://127.0.0.1:" in line, line
        url = line.split("serving on ")[1].split()[0]
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.get(url + "login", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.1)
        assert response.status_code == 200 and "Archivio" in response.text
        assert httpx.get(url + "api/search", timeout=5).status_code == 401
    finally:
        process.terminate()
        # uvicorn shuts down cleanly, then re-raises SIGTERM so the caller sees why it stopped.
        assert process.wait(15) in (0, -signal.SIGTERM)
