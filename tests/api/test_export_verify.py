"""Fixity and export: altered originals are named; a bundle carries every original, record and
audit entry with hashes that check, is streamed, and is itself audited and sealed."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

from pipeline.audit import AuditLog, Actor, entry_hash
from pipeline.cli import main as cli_main
from pipeline.export import Exporter
from pipeline.store import open_archive
from pipeline.store.archive import original_key


def _config(office) -> list[str]:
    path = office.root / "archivio.toml"
    path.write_text(f'[paths]\ndata = "{office.root / "data"}"\ninbox = "{office.root / "inbox"}"\n')
    return ["-c", str(path), "-q"]


def _tamper(office, doc_id: str) -> None:
    path = office.settings.store_path / original_key(doc_id)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def test_verify_endpoint_names_an_altered_original_and_is_audited(app, client, tokens, work_office):
    intact, altered = work_office.ids["fattura_11.pdf"], work_office.ids["fattura_12.pdf"]
    _tamper(work_office, altered)
    ok = client.post(f"/api/documents/{intact}/verify", headers=tokens.header("auditor")).json()
    assert ok["ok"] is True and ok["actual"] == intact
    bad = client.post(f"/api/documents/{altered}/verify", headers=tokens.header("auditor")).json()
    assert bad["ok"] is False and bad["actual"] != altered and "altered" in bad["problem"]
    entry = app.state.services.audit.for_document(altered)[-1]
    assert entry.action == "verified" and entry.details["ok"] is False


def test_cli_verify_all_reports_mismatches_with_exit_status(work_office, capsys):
    args = _config(work_office)
    assert cli_main([*args, "verify", "--all"]) == 0
    assert f"{len(work_office.ids)} original(s) intact" in capsys.readouterr().out
    altered = work_office.ids["scontrino.pdf"]
    _tamper(work_office, altered)
    assert cli_main([*args, "verify", "--all"]) == 1
    out = capsys.readouterr().out
    assert f"FAILED  {altered[:12]}  scontrino.pdf" in out and f"1 of {len(work_office.ids)}" in out
    assert cli_main([*args, "verify", work_office.ids["contratto.pdf"][:8]]) == 0


def check_bundle(data: bytes, expected_ids: set[str]) -> dict:
    bundle = zipfile.ZipFile(io.BytesIO(data))
    assert bundle.testzip() is None
    manifest = json.loads(bundle.read("manifest.json"))
    assert {d["id"] for d in manifest["documents"]} == expected_ids
    for name, digest in manifest["files"].items():
        assert hashlib.sha256(bundle.read(name)).hexdigest() == digest, name
    for doc in manifest["documents"]:
        assert hashlib.sha256(bundle.read(doc["original"])).hexdigest() == doc["id"]
        assert json.loads(bundle.read(doc["record"]))["id"] == doc["id"]
    sums = dict(line.split("  ")[::-1] for line in bundle.read("SHA256SUMS").decode().splitlines())
    assert sums["manifest.json"] == hashlib.sha256(bundle.read("manifest.json")).hexdigest()
    assert set(sums) == set(bundle.namelist()) - {"SHA256SUMS"}
    entries = [json.loads(line) for line in bundle.read("audit.jsonl").decode().splitlines()]
    for entry in entries:
        assert entry_hash(entry) == entry["hash"]
    filed = {d for e in entries if e["action"] == "filed" for d in e["documents"]}
    assert filed == expected_ids
    assert entries[-1]["action"] == "exported" and set(entries[-1]["documents"]) == expected_ids
    return manifest


def test_export_endpoint_streams_a_bundle_of_the_period_and_class(app, client, tokens, work_office):
    invoices = {name: d for name, d in work_office.docs.items() if d.doc_class == "invoice"}
    dates = sorted(d.fields["date"] for d in invoices.values())
    params = {"class": "invoice", "from": dates[0], "to": dates[-1]}
    with client.stream("GET", "/api/export", params=params, headers=tokens.header("auditor")) as response:
        assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
        pieces = list(response.iter_raw())
    data = b"".join(pieces)
    expected = {work_office.ids[name] for name, d in invoices.items()
                if app.state.services.archive.get_record(work_office.ids[name]).field_value("date")}
    manifest = check_bundle(data, expected)
    assert manifest["query"]["doc_class"] == "invoice" and manifest["created_by"].startswith("auditor-")
    assert manifest["problems"] == []
    log = app.state.services.audit
    sealed = list(log.entries(action="export-sealed"))[-1]
    assert sealed.details["manifest_sha256"] == hashlib.sha256(
        zipfile.ZipFile(io.BytesIO(data)).read("manifest.json")).hexdigest()
    assert log.verify().ok


def test_export_is_produced_piece_by_piece_not_all_at_once(work_office):
    archive = open_archive(work_office.settings)
    exporter = Exporter(archive, AuditLog(archive.store))
    stream = exporter.bundle(list(work_office.ids.values()), by=Actor("t"), query={})
    first = next(stream)
    assert first.startswith(b"PK")  # bytes flow before the later documents have been read
    rest = b"".join(stream)
    assert zipfile.ZipFile(io.BytesIO(first + rest)).testzip() is None


def test_export_names_an_altered_original_in_the_manifest(work_office):
    altered = work_office.ids["contratto.pdf"]
    _tamper(work_office, altered)
    archive = open_archive(work_office.settings)
    data = b"".join(Exporter(archive, AuditLog(archive.store)).bundle([altered], by=Actor("t"), query={}))
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))
    assert manifest["documents"][0]["intact"] is False
    assert altered in manifest["problems"][0]


def test_cli_export_writes_the_bundle_of_a_period(work_office, capsys):
    receipt = work_office.docs["scontrino.pdf"]
    out = work_office.root / "bundle.zip"
    args = _config(work_office)
    code = cli_main([*args, "export", "--from", receipt.fields["date"], "--to", receipt.fields["date"],
                     "--type", "receipt", "-o", str(out)])
    assert code == 0
    assert "1 document(s)" in capsys.readouterr().out
    check_bundle(out.read_bytes(), {work_office.ids["scontrino.pdf"]})
