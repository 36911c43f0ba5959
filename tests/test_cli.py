"""The archivio command on a small archive made through `archivio ingest`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from docgen import contract, english_receipt, italian_invoice
from pipeline.cli import cli

pytestmark = pytest.mark.ocr

COMMANDS = ["watch", "ingest", "search", "show", "get", "status", "reindex", "config", "check"]


@pytest.fixture
def run(office, monkeypatch):
    for var in ("INBOX", "PROCESSED", "QUARANTINE", "DUPLICATES", "DATA"):
        monkeypatch.setenv(f"ARCHIVIO_PATHS_{var}", str(office / var.lower()))
    monkeypatch.setenv("ARCHIVIO_WORKERS_COUNT", "2")
    runner = CliRunner()

    def invoke(*args: str, code: int = 0):
        result = runner.invoke(cli, list(args), catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result

    return invoke


@pytest.fixture
def archive_of_three(run, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    docs = [italian_invoice(src / "fattura-acme.pdf", seed=31), english_receipt(src / "receipt.pdf", seed=32),
            contract(src / "contratto.pdf", seed=33)]
    result = run("ingest", str(src))
    assert "3 filed" in result.output
    return docs


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_explains_itself_with_an_example(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output and "archivio " + command in result.output


def test_ingest_leaves_sources_in_place_and_search_finds_by_word_and_filter(run, archive_of_three, tmp_path):
    assert all(doc.path.exists() for doc in archive_of_three)
    found = json.loads(run("search", "--json", "fatture").output)  # plural finds the singular
    assert [h["filename"] for h in found["hits"]] == ["fattura-acme.pdf"]
    invoice = archive_of_three[0]
    total = invoice.fields["total_amount"]
    assert found["hits"][0]["total"] == total
    by_amount = json.loads(run("search", "--json", "--min-total", total, "--max-total", total).output)
    assert [h["filename"] for h in by_amount["hits"]] == ["fattura-acme.pdf"]
    by_vat = json.loads(run("search", "--json", invoice.fields["vendor_vat"]).output)
    assert by_vat["hits"][0]["filename"] == "fattura-acme.pdf"
    receipts = json.loads(run("search", "--json", "--type", "receipt").output)
    assert [h["filename"] for h in receipts["hits"]] == ["receipt.pdf"]
    assert dict(receipts["facets"]["class"]) == {"receipt": 1}
    assert "no documents found" in run("search", "zanzibar").output


def test_show_prints_fields_with_validation_and_get_returns_the_original(run, archive_of_three, tmp_path):
    invoice = archive_of_three[0]
    doc_id = json.loads(run("search", "--json", "imponibile").output)["hits"][0]["id"]
    shown = run("show", doc_id[:10]).output
    assert "class       invoice" in shown
    assert invoice.fields["vendor_vat"] in shown and "valid" in shown
    assert invoice.fields["iban"] in shown
    record = json.loads(run("show", doc_id, "--json").output)
    assert record["class"] == "invoice" and record["fields"]["total_amount"]["value"] == invoice.fields["total_amount"]
    assert record["fields"]["total_amount"]["page"] == 1 and len(record["fields"]["total_amount"]["box"]) == 4
    out = tmp_path / "copy.pdf"
    run("get", doc_id[:8], "-o", str(out))
    assert out.read_bytes() == invoice.path.read_bytes()


def test_unknown_or_ambiguous_ids_are_clear_errors(run, archive_of_three):
    result = CliRunner().invoke(cli, ["show", "ffffffffff"])
    assert result.exit_code != 0
    assert "no document ffffffffff" in str(result.exception)


def test_reindex_rebuilds_the_index_from_the_store(run, archive_of_three, office):
    (office / "data" / "index.sqlite3").unlink()
    for suffix in ("-wal", "-shm"):
        (office / "data" / f"index.sqlite3{suffix}").unlink(missing_ok=True)
    assert json.loads(run("search", "--json", "fattura").output)["total"] == 0
    assert "indexed 3 document(s)" in run("reindex").output
    assert json.loads(run("search", "--json", "fattura").output)["total"] == 1


def test_status_counts_and_names_the_latest_problem(run, archive_of_three, tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\n garbage that is no pdf")
    run("ingest", str(bad), code=1)
    out = run("status").output
    assert "filed       3" in out
    assert "bad.pdf" in out and "[read]" in out


def test_config_shows_where_each_setting_came_from(run):
    out = run("config").output
    assert "environment ARCHIVIO_PATHS_INBOX" in out
    assert "ARCHIVIO_OCR_LANGUAGES" in run("config", "--env").output


def test_check_repairs_the_index_from_the_store(run, archive_of_three, office):
    from pipeline.config import load_settings
    from pipeline.index import open_index
    from pipeline.records import Record

    settings = load_settings()
    index = open_index(settings)
    ids = [doc_id for doc_id, _ in index.ids()]
    index.delete(ids[0])  # lost from the index
    ghost = Record.from_json(open_archive_record(settings, ids[1]))
    ghost = ghost.model_copy(update={"id": "f" * 64, "sha256": "f" * 64})
    index.upsert([ghost])  # in the index, not in the store
    assert "in the store but not in the index" in run("check", "--dry-run").output
    out = run("check").output
    assert "repaired 2 difference(s)" in out
    assert sorted(i for i, _ in index.ids()) == sorted(ids)
    assert "store, index and journal agree" in run("check").output


def open_archive_record(settings, doc_id):
    from pipeline.store import open_archive

    return open_archive(settings).get_record(doc_id).to_json()
