"""An e-invoice in the web page and the exports: the Italian copy is the preview (sandboxed),
the signature's status is among the fields, each invoice of a multi-invoice file has its page,
and an export carries the copy beside the untouched original."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from fastapi.testclient import TestClient

import docgen
from apitools import TEST_ACTOR, file_office, make_tokens
from gen_fatturapa import Body, fattura, make_signer, sign


@pytest.fixture(scope="module")
def einvoice_office(tmp_path_factory):
    root = tmp_path_factory.mktemp("einvoice-office")
    src = root / "generated"
    src.mkdir()
    path = src / "IT01234567890_abc12.xml.p7m"
    path.write_bytes(sign(fattura([Body(number="FT-1"), Body(number="FT-2")]), make_signer()))
    office = file_office(root, {path.name: docgen.Doc(path, "invoice", {}, [])}, **{"workers.count": 1})
    from pipeline.api import create_app

    app = create_app(office.settings)
    with TestClient(app) as client:
        yield office, client, make_tokens(app), office.ids[path.name], path.read_bytes()


def test_the_document_page_shows_the_copy_and_the_signature(einvoice_office):
    _, client, tokens, doc_id, _ = einvoice_office
    page = client.get(f"/documents/{doc_id}", headers=tokens.header("archivist"))
    assert page.status_code == 200
    assert f'src="/api/documents/{doc_id}/copy"' in page.text and "sandbox" in page.text
    assert "Firma digitale" in page.text and "valid" in page.text
    assert f"/documents/{doc_id}-2" in page.text  # the second invoice of the file is linked
    copy = client.get(f"/api/documents/{doc_id}/copy", headers=tokens.header("auditor"))
    assert copy.status_code == 200 and copy.headers["content-type"].startswith("text/html")
    assert "sandbox" in copy.headers["content-security-policy"]
    assert "FT-1" in copy.text and "FT-2" in copy.text and "Firma valida" in copy.text


def test_the_second_invoice_has_its_own_record_and_page(einvoice_office):
    _, client, tokens, doc_id, _ = einvoice_office
    record = client.get(f"/api/documents/{doc_id}-2", headers=tokens.header("archivist")).json()
    assert record["fields"]["number"]["value"] == "FT-2"
    assert record["parent"]["id"] == doc_id and record["sha256"] == doc_id
    assert client.get(f"/documents/{doc_id}-2", headers=tokens.header("archivist")).status_code == 200


def test_an_export_carries_the_copy_beside_the_untouched_original(einvoice_office):
    office, client, tokens, doc_id, original = einvoice_office
    from pipeline.audit import AuditLog
    from pipeline.export import Exporter
    from pipeline.store import open_archive

    archive = open_archive(office.settings)
    data = b"".join(Exporter(archive, AuditLog(archive.store)).bundle([doc_id], by=TEST_ACTOR, query={}))
    bundle = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(bundle.read("manifest.json"))
    [doc] = manifest["documents"]
    assert bundle.read(doc["original"]) == original
    assert hashlib.sha256(bundle.read(doc["original"])).hexdigest() == doc_id
    assert b"FT-1" in bundle.read(doc["archive_copy"])
