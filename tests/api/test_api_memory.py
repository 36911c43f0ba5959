"""`archivio serve`'s app under a memory limit, while hostile requests arrive: it keeps answering
(issue 11). Huge bodies with and without a token, forged cursors, a page image of a PDF page
1 x 14,400 points, a version JSON cannot hold — in parallel."""

from __future__ import annotations

import concurrent.futures
import hashlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pypdfium2 as pdfium
import pytest

from apitools import copy_office, make_tokens
from index_corpus import make_record
from pipeline.index import SearchQuery, open_index
from pipeline.index.base import encode_cursor
from pipeline.store import open_archive
from pipeline.store.archive import original_key

pytestmark = pytest.mark.slow
LIMIT_MB = 1536  # address space of the server process; it idles well below that

SERVE = """
import resource, sys
limit = int(sys.argv[2]) * 2**20
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
sys.path.insert(0, "tests")
import uvicorn
from pathlib import Path
from support import make_settings
from pipeline.api import create_app
uvicorn.run(create_app(make_settings(Path(sys.argv[1]))), host="127.0.0.1", port=int(sys.argv[3]), log_level="warning")
"""


def _long_page_document(office) -> str:
    """A PDF whose one page is 1 x 14,400 points, filed as a document."""
    path = office.root / "long.pdf"
    pdf = pdfium.PdfDocument.new()
    pdf.new_page(1, 14400)
    pdf.save(str(path))
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    archive = open_archive(office.settings)
    archive.store.put_file(original_key(sha), path, sha256=sha)
    record = make_record("long-page", "other", "una pagina lunghissima", filename="long.pdf")
    record = record.model_copy(update={"id": sha, "sha256": sha, "size": len(data)})
    archive.save_record(record)
    index = open_index(office.settings)
    index.upsert([record])
    index.close()
    return sha


@pytest.fixture
def limited_server(filed_office, tmp_path):
    from pipeline.api import create_app

    office = copy_office(filed_office, tmp_path / "office")
    tokens = make_tokens(create_app(office.settings))  # written to the store: the child accepts them
    long_id = _long_page_document(office)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "MALLOC_ARENA_MAX": "2"}
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen([sys.executable, "-c", SERVE, str(office.root), str(LIMIT_MB), str(port)], cwd=root,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the server did not start:\n{proc.stdout.read().decode()[-3000:]}")
        time.sleep(0.3)
    try:
        yield url, tokens, office, long_id, proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _huge_body(url: str, headers: dict) -> int:
    def chunks():
        block = b"x" * (1 << 20)
        for _ in range(300):  # 300 MB, no Content-Length
            yield block

    try:
        return httpx.post(f"{url}/api/admin/tokens", headers=headers, content=chunks(), timeout=60).status_code
    except httpx.HTTPError:
        return 413  # the server closed the connection on us while we were still sending: refused


def test_the_api_keeps_answering_hostile_clients_under_a_memory_limit(limited_server):
    url, tokens, office, long_id, proc = limited_server
    doc_id = office.ids["fattura_11.pdf"]
    forged = encode_cursor("sqlite", SearchQuery(text="fattura"), 1e30)
    calls = (
        [lambda: _huge_body(url, {})] * 4
        + [lambda: _huge_body(url, tokens.header("admin"))] * 4
        + [lambda: httpx.get(f"{url}/api/search?q=fattura&cursor={forged}", headers=tokens.header("archivist"),
                             timeout=60).status_code] * 4
        + [lambda: httpx.get(f"{url}/api/documents/{long_id}/pages/1", headers=tokens.header("archivist"),
                             timeout=120).status_code] * 2
        + [lambda: httpx.patch(f"{url}/api/documents/{doc_id}", content=b'{"version": 1e400}',
                               headers={**tokens.header("archivist"), "Content-Type": "application/json"},
                               timeout=60).status_code] * 2
    )
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda call: call(), calls))
    assert proc.poll() is None, proc.stdout.read().decode()[-3000:]
    assert statuses[:4] == [401] * 4
    assert statuses[4:8] == [413] * 4
    assert statuses[8:12] == [404] * 4
    assert statuses[12:14] == [200] * 2
    assert statuses[14:] == [422] * 2
    # And it still serves everyone else.
    assert httpx.get(f"{url}/healthz", timeout=10).status_code == 200
    search = httpx.get(f"{url}/api/search", params={"q": "fattura"}, headers=tokens.header("auditor"), timeout=30)
    assert search.status_code == 200 and search.json()["total"] >= 3
