"""An e-invoice in the web page and the exports: the Italian copy is the preview (sandboxed),
the signature's status is among the fields, each invoice of a multi-invoice file has its page,
and an export carries the copy beside the untouched original."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

import docgen
from apitools import TEST_ACTOR, file_office, make_tokens
from gen_fatturapa import Body, fattura, make_signer, sign, tamper


@pytest.fixture(scope="module")
def einvoice_office(tmp_path_factory):
    root = tmp_path_factory.mktemp("einvoice-office")
    src = root / "generated"
    src.mkdir()
    path = src / "IT01234567890_abc12.xml.p7m"
    path.write_bytes(sign(fattura([Body(number="FT-1"), Body(number="FT-2")]), make_signer()))
    # For the hit line: a signature that no longer matches its content, and one whose certificate expired.
    broken, expired = src / "IT01234567890_rot01.xml.p7m", src / "IT01234567890_old01.xml.p7m"
    original = fattura()
    broken.write_bytes(tamper(sign(original, make_signer()), original, b"1220.00", b"9220.00"))
    expired.write_bytes(sign(fattura([Body(number="FT-OLD")]), make_signer(expired=True)))
    docs = {p.name: docgen.Doc(p, "invoice", {}, []) for p in (path, broken, expired)}
    office = file_office(root, docs, **{"workers.count": 1})
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


SIGNED = {"IT01234567890_abc12.xml.p7m": "valid", "IT01234567890_rot01.xml.p7m": "invalid",
          "IT01234567890_old01.xml.p7m": "expired"}


def _hit_rows(html: str) -> dict[str, str]:
    """Each result row's HTML by the document id it links to."""
    rows = {}
    for row in html.split('<li class="hit')[1:]:
        start = row.index('href="/documents/') + len('href="/documents/')
        rows[row[start:row.index('"', start)]] = row.split("</li>")[0]
    return rows


@pytest.mark.parametrize("lang, words", [
    ("it", {"valid": "Firma valida<", "invalid": "Firma non valida", "expired": "Firma valida, certificato scaduto"}),
    ("en", {"valid": "Signature valid<", "invalid": "Signature broken",
            "expired": "Signature valid, certificate expired"}),
])
def test_the_result_list_shows_each_signed_invoices_signature_status(einvoice_office, lang, words):
    office, client, tokens, *_ = einvoice_office
    page = client.get(f"/search?lang={lang}", headers=tokens.header("archivist"))
    assert page.status_code == 200
    rows = _hit_rows(page.text)
    for name, status in SIGNED.items():
        row = rows[office.ids[name]]
        assert words[status] in row, (name, row)
        assert all(words[other] not in row for other in SIGNED.values() if other != status), (name, row)
    # The second invoice of the signed file is covered by the same signature.
    assert words["valid"] in rows[office.ids["IT01234567890_abc12.xml.p7m"] + "-2"]


def test_the_cli_hit_line_shows_the_signature_status(einvoice_office, monkeypatch):
    office, *_ = einvoice_office
    for var in ("INBOX", "PROCESSED", "QUARANTINE", "DUPLICATES", "DATA"):
        monkeypatch.setenv(f"ARCHIVIO_PATHS_{var}", str(getattr(office.settings.paths, var.lower())))
    from pipeline.cli import cli

    found = json.loads(CliRunner().invoke(cli, ["search", "--json"], catch_exceptions=False).output)
    by_id = {h["id"]: h.get("signature") for h in found["hits"]}
    assert {name: by_id[office.ids[name]] for name in SIGNED} == SIGNED
    assert by_id[office.ids["IT01234567890_abc12.xml.p7m"] + "-2"] == "valid"
    lines = CliRunner().invoke(cli, ["search"], catch_exceptions=False).output.splitlines()
    words = {"valid": "signature valid", "invalid": "signature BROKEN", "expired": "certificate expired"}
    for name, status in SIGNED.items():
        listed = [ln for ln in lines if name in ln]  # the signed two-invoice file has two records
        assert listed and all(words[status] in ln for ln in listed), listed
