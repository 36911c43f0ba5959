"""The API against hostile clients and a tampered store (issue 11): every read is hashed, bodies
are bounded, cursors and versions cannot make it fail, page images are bounded."""

from __future__ import annotations

import hashlib

import httpx
import pytest

from pipeline.store import open_archive
from pipeline.store.archive import original_key


def _tamper(office, doc_id: str, how: str) -> None:
    path = open_archive(office.settings).store.local_path(original_key(doc_id))
    data = bytearray(path.read_bytes())
    if how == "append":
        data += b"appended by someone with access to the folder"
    else:
        data[len(data) // 2] ^= 0xFF  # same size, one byte changed
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["append", "flip"])
def test_an_altered_original_is_not_served_whole_and_the_failure_is_audited(app, server, tokens, work_office, how):
    doc_id = work_office.ids["fattura_scansionata.jpg"]
    _tamper(work_office, doc_id, how)
    received = b""
    failed = False
    try:
        with httpx.stream("GET", f"{server.url}/api/documents/{doc_id}/original", headers=tokens.header("archivist"),
                          timeout=30) as response:
            for chunk in response.iter_bytes():
                received += chunk
    except httpx.HTTPError:
        failed = True
    assert failed, "the client got a complete download of an altered original"
    assert hashlib.sha256(received).hexdigest() != doc_id
    actions = [e.action for e in app.state.services.audit.for_document(doc_id)]
    assert actions[-1] == "download-failed"


def test_an_intact_original_still_streams_whole(server, tokens, work_office):
    doc_id = work_office.ids["fattura_scansionata.jpg"]
    response = httpx.get(f"{server.url}/api/documents/{doc_id}/original", headers=tokens.header("archivist"), timeout=30)
    assert response.status_code == 200 and hashlib.sha256(response.content).hexdigest() == doc_id
