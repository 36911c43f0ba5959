"""End to end through `archivio watch`: a stack with separator sheets and a stack without (split
by content, duplex blank backs) become separate documents found by search, each with a valid
searchable PDF/A copy, linked to the stack that stays the original; the web page lists the parts
and downloads the copy by default."""

from __future__ import annotations

import json
import signal

import pikepdf
import pytest

from docgen import english_receipt
from gen_stacks import build_stack, invoice_pages
from pipeline.store import Archive, open_store
from pipeline.store.archive import copy_key, original_key
from support import make_settings
from test_watch_e2e import Watcher, search, status, wait_for

pytestmark = [pytest.mark.ocr, pytest.mark.slow, pytest.mark.filterwarnings("ignore:.*httpx2.*")]


def test_two_stacks_dropped_into_the_inbox_become_separate_documents(office, tmp_path, verapdf):
    src = tmp_path / "src"
    src.mkdir()
    first, n1 = invoice_pages(src / "a.pdf", 1611, pages=2)
    second, n2 = invoice_pages(src / "b.pdf", 1612)
    third, n3 = invoice_pages(src / "c.pdf", 1613)
    receipt = english_receipt(src / "r.pdf", 1614).path
    assert len({n1, n2, n3}) == 3
    with_sheets = build_stack(src / "pila-separatori.pdf", [first, second, third], seed=1, dpi=150, separator="qr",
                              numbers=[n1, n2, n3])
    by_content = build_stack(src / "pila-fronte-retro.pdf", [second, receipt], seed=2, dpi=150, duplex_backs=True)

    watcher = Watcher(office, ARCHIVIO_SPLIT_BY_CONTENT="true", ARCHIVIO_OCR_FIX_ORIENTATION="false",
                      ARCHIVIO_OCR_DPI="150", ARCHIVIO_WORKERS_COUNT="2")
    try:
        for stack in (with_sheets, by_content):
            (office / "inbox" / stack.path.name).write_bytes(stack.path.read_bytes())
        wait_for(lambda: status(office)["jobs"]["filed"] == 2, 300, "both stacks filed", watcher)
    finally:
        code = watcher.stop(signal.SIGTERM)
    assert code == 0, watcher.output()

    settings = make_settings(office)
    archive = Archive(open_store(settings))
    stacks = {r.source.filename: r for r in archive.iter_records() if r.parent is None}
    assert set(stacks) == {"pila-separatori.pdf", "pila-fronte-retro.pdf"}

    # Separator sheets: three documents, the sheets dropped, each part where the truth says.
    sheet_stack = stacks["pila-separatori.pdf"]
    parts = [archive.get_record(p) for p in sheet_stack.parts]
    assert [p.parent.pages for p in parts] == [(d[0], d[-1]) for d in with_sheets.documents]
    assert [p.id for p in parts] == [f"{sheet_stack.sha256}-{i}" for i in (1, 2, 3)]
    assert all(p.sha256 == sheet_stack.sha256 and p.parent.relation == "stack-part" for p in parts)
    assert [p.field_value("number") for p in parts] == [n1, n2, n3]
    assert all(p.doc_class == "invoice" for p in parts)
    assert parts[1].history[0].changes["reason"] == "after a separator sheet"

    # Found by search as separate documents: each invoice number finds its own part.
    for number, part in zip((n1, n2, n3), parts):
        hits = [h["id"] for h in search(office, f'"{number}"')["hits"]]
        assert part.id in hits and not any(p.id in hits for p in parts if p is not part)

    # By content: the duplex backs are dropped and the receipt is a document of its own.
    content_stack = stacks["pila-fronte-retro.pdf"]
    content_parts = [archive.get_record(p) for p in content_stack.parts]
    assert [p.doc_class for p in content_parts] == ["invoice", "receipt"]
    assert [p.parent.pages[0] for p in content_parts] == [d[0] for d in by_content.documents]
    assert [h["id"] for h in search(office, "--type", "receipt")["hits"]] == [content_parts[1].id]

    # Archive copies: the stack's and each part's, valid PDF/A, stored with the original's retention.
    copies = []
    for record in (sheet_stack, *parts, content_stack, *content_parts):
        copy = record.archive_copy
        assert copy is not None and copy.key == copy_key(record.id) and copy.format == "PDF/A-2b"
        path = tmp_path / f"{record.id}.pdf"
        archive.get_copy(record.id, path, sha256=copy.sha256)
        copies.append(path)
        assert archive.store.info(copy.key).retention == archive.store.info(original_key(record.sha256)).retention
    with pikepdf.open(copies[1]) as part_pdf:
        assert len(part_pdf.pages) == len(with_sheets.documents[0])
    verdicts = verapdf.validate(copies)
    assert all(v.compliant for v in verdicts.values()), {p.name: v.failures for p, v in verdicts.items()}

    # The web page: parts listed on the stack, the copy offered first, the original one click away.
    from fastapi.testclient import TestClient

    from pipeline.api import create_app
    from pipeline.audit import Actor

    app = create_app(settings)
    with TestClient(app) as client:
        _, secret = app.state.services.tokens.create("stack-test", "archivist", by=Actor("test-setup"))
        headers = {"Authorization": f"Bearer {secret}"}
        page = client.get(f"/documents/{sheet_stack.id}", headers=headers)
        assert page.status_code == 200
        for part in parts:
            assert f'href="/documents/{part.id}"' in page.text
        part_page = client.get(f"/documents/{parts[1].id}", headers=headers).text
        assert part_page.index(f"/api/documents/{parts[1].id}/copy") < part_page.index(f"/api/documents/{parts[1].id}/original")
        download = client.get(f"/api/documents/{parts[1].id}/copy", headers=headers)
        assert download.status_code == 200 and download.content.startswith(b"%PDF")
        assert download.headers["x-archivio-sha256"] == parts[1].archive_copy.sha256
        record = client.get(f"/api/documents/{parts[1].id}", headers=headers).json()
        assert record["parent"]["id"] == sheet_stack.id and record["parent"]["pages"] == list(parts[1].parent.pages)
        assert client.get(f"/api/documents/{parts[1].id}/pages/{parts[1].parent.pages[0]}",
                          headers=headers).status_code == 200

        # The archivist moves a boundary: page 2 (the first invoice's second page) goes to the
        # second document. Both are read again and re-filed, with new copies; the move is audited.
        assert 'id="boundary-form"' in part_page
        assert client.post(f"/api/documents/{parts[0].id}/boundary", json={"version": 1, "first": 1},
                           headers=headers).status_code == 422  # the first document starts with the stack
        moved = client.post(f"/api/documents/{parts[1].id}/boundary", json={"version": 1, "first": 2}, headers=headers)
        assert moved.status_code == 200, moved.text
        before, after = (archive.get_record(p.id) for p in parts[:2])
        assert (before.parent.pages, after.parent.pages) == ((1, 1), (2, 4))
        assert (before.version, after.version) == (2, 2) and after.history[-1].action == "boundary-moved"
        assert after.history[-1].changes["pages"] == [2, 4] and after.pages == 2
        assert after.archive_copy.key != parts[1].archive_copy.key and archive.store.exists(parts[1].archive_copy.key)
        with pikepdf.open(archive.store.local_path(after.archive_copy.key)) as moved_pdf:
            assert len(moved_pdf.pages) == 2
        assert client.post(f"/api/documents/{parts[1].id}/boundary", json={"version": 1, "first": 4},
                           headers=headers).status_code == 409  # an old version
    from pipeline.audit import AuditLog

    moves = [e for e in AuditLog(archive.store).for_document(sheet_stack.id) if e.action == "boundary-moved"]
    assert len(moves) == 1
    assert moves[0].details["parts"] == {parts[0].id: [1], parts[1].id: [2, 4]}
    assert json.loads(json.dumps(record["archive_copy"]))["format"] == "PDF/A-2b"
