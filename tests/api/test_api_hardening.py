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


# -- request bodies (item 6) ------------------------------------------------------------------
def _raw_post(server, path: str, headers: dict[str, str], body_start: bytes, timeout: float = 5.0) -> int:
    """Announce a 300 MB body, send a few bytes of it, and read the answer (or time out waiting)."""
    import socket

    host, port = server.url.rsplit("/", 1)[1].split(":")
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}", "Content-Type: application/json",
             f"Content-Length: {300 * 1024 * 1024}", *[f"{k}: {v}" for k, v in headers.items()], "", ""]
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall("\r\n".join(lines).encode() + body_start)
        try:
            answer = sock.recv(4096)
        except TimeoutError:
            return 0  # still waiting for the body: it would have been read whole
    return int(answer.split(b" ", 2)[1])


def test_a_huge_body_without_a_token_is_refused_before_it_is_read(server):
    assert _raw_post(server, "/api/admin/tokens", {}, b'{"name": "' + b"x" * 1000) == 401


def test_a_huge_body_with_a_token_is_refused_by_its_size(server, tokens):
    assert _raw_post(server, "/api/admin/tokens", tokens.header("admin"), b'{"name": "') == 413


def test_a_chunked_body_over_the_limit_is_cut_off(server, tokens):
    def chunks():
        for _ in range(200):
            yield b"x" * 8192  # 1.6 MB, over every default limit, with no Content-Length

    response = httpx.post(f"{server.url}/api/admin/tokens", headers=tokens.header("admin"), content=chunks(), timeout=30)
    assert response.status_code == 413


def test_a_version_json_cannot_hold_is_a_clear_422(client, tokens, work_office):
    doc_id = work_office.ids["fattura_11.pdf"]
    response = client.patch(f"/api/documents/{doc_id}", content=b'{"version": 1e400, "fields": {}}',
                            headers={**tokens.header("archivist"), "Content-Type": "application/json"})
    assert response.status_code == 422 and "detail" in response.json()


# -- cursors (item 8) ----------------------------------------------------------------------------
@pytest.mark.parametrize("position", [1e30, -5, 10**30, "x", {"after": [1], "seen": 1e30}])
def test_a_forged_cursor_is_refused_not_a_server_error(client, tokens, position):
    from pipeline.index import SearchQuery
    from pipeline.index.base import encode_cursor

    for path, query in (("/api/search?q=fattura", SearchQuery(text="fattura")),
                        ("/api/review-queue?", SearchQuery(needs_review=True, sort="date"))):
        cursor = encode_cursor("sqlite", query, position)
        response = client.get(f"{path}&cursor={cursor}", headers=tokens.header("archivist"))
        assert response.status_code == 404, (path, response.status_code, response.text)


# -- tokens (items 9, 10, 11) ----------------------------------------------------------------------
def test_token_names_are_never_reused_nor_hidden_nor_look_alike(app, client, tokens):
    from pipeline.tokens import TokenError

    store = app.state.services.tokens
    admin = app.state.services.authenticate(tokens.admin).actor
    first, _ = store.create("scanner-ufficio", "archivist", by=admin)
    store.revoke(first.id, by=admin)
    for name in ("scanner-ufficio", "SCANNER-UFFICIO", "ｓｃａｎｎｅｒ-ufficio", "scanner\u200b-ufficio",
                 "scanner\x07", "scanner\u202eoiciffu"):
        with pytest.raises(Exception) as caught:
            store.create(name, "archivist", by=admin)
        assert isinstance(caught.value, (TokenError,)) or "never reused" in str(caught.value), name


def test_every_audit_entry_names_the_token_that_acted(app, client, tokens, work_office):
    doc_id = work_office.ids["fattura_11.pdf"]
    client.get(f"/api/documents/{doc_id}", headers=tokens.header("auditor"))
    entry = app.state.services.audit.for_document(doc_id)[-1]
    assert entry.details["token_id"] == app.state.services.authenticate(tokens.auditor).id


def test_a_token_revoked_here_stops_at_once(client, tokens, app):
    header = tokens.header("archivist")
    assert client.get("/api/search", headers=header).status_code == 200
    token_id = app.state.services.authenticate(tokens.archivist).id
    assert client.delete(f"/api/admin/tokens/{token_id}", headers=tokens.header("admin")).status_code == 200
    assert client.get("/api/search", headers=header).status_code == 401


def test_failed_tokens_do_not_fill_memory(client, app):
    svc = app.state.services
    for n in range(300):
        bogus = f"arc_{n:010x}_" + "A" * 12_000
        assert client.get("/api/search", headers={"Authorization": f"Bearer {bogus}"}).status_code == 401
    assert sum(len(key) for key in svc._token_cache) < 300 * 100


# -- page images (item 7) ----------------------------------------------------------------------------
def test_a_very_long_pdf_page_previews_within_the_pixel_cap(tmp_path):
    """In a child with 1.5 GB of address space: without the cap the render needs far more."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(f"""
        import resource, pypdfium2 as pdfium
        from pathlib import Path
        from pipeline.api.preview import Previews
        resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))
        pdf = pdfium.PdfDocument.new()
        pdf.new_page(1, 14400)
        pdf.save("{tmp_path}/long.pdf")
        image = Previews(None, Path("{tmp_path}"), 1000, 8_000_000)._render(Path("{tmp_path}/long.pdf"), "application/pdf", 1)
        print(image.width * image.height)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert 0 < int(result.stdout) <= 8_000_000


# -- sessions and headers (item 16) ------------------------------------------------------------------
def test_the_page_signs_in_with_a_server_side_session_that_sign_out_ends(server, tokens):
    with httpx.Client(base_url=server.url, timeout=30) as http:
        response = http.post("/login", data={"token": tokens.archivist, "next": "/search"})
        assert response.status_code == 303
        session = http.cookies.get("archivio_session")
        assert session and tokens.archivist not in response.headers.get("set-cookie", "")
        assert http.get("/search").status_code == 200
        assert http.post("/logout").status_code == 303
    with httpx.Client(base_url=server.url, timeout=30, cookies={"archivio_session": session}) as replay:
        assert replay.get("/search").status_code == 401  # the old cookie no longer opens anything
    with httpx.Client(base_url=server.url, timeout=30, cookies={"archivio_token": tokens.archivist}) as old_style:
        assert old_style.get("/search").status_code == 401  # a raw token in a cookie is not a session


def test_answers_are_not_cached_nor_framed_nor_sniffed(client, tokens, work_office):
    doc_id = work_office.ids["contratto.pdf"]
    for path in ("/api/search", f"/api/documents/{doc_id}", f"/documents/{doc_id}", f"/api/documents/{doc_id}/pages/1",
                 "/login"):
        response = client.get(path, headers=tokens.header("archivist"))
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == "no-store", path
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
