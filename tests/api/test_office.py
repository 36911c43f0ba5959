"""Everyday office features through the API: upload through the inbox's own intake rules,
thumbnails, exports named for people with a CSV summary, search parameters in Italian forms."""

from __future__ import annotations

import csv
import io
import zipfile

import docgen


def test_upload_takes_files_through_the_same_intake_as_the_inbox(client, tokens, work_office, tmp_path):
    invoice = docgen.italian_invoice(tmp_path / "fattura-web.pdf", seed=141).path
    copy = work_office.docs["scontrino.pdf"].path  # already archived: an exact duplicate
    files = [("files", ("fattura-web.pdf", invoice.read_bytes(), "application/pdf")),
             ("files", ("../../scontrino.pdf", copy.read_bytes(), "application/pdf")),
             ("files", ("note.pdf", b"<html>not a pdf</html>", "application/pdf"))]
    answer = client.post("/api/upload", files=files, headers=tokens.header("archivist"))
    assert answer.status_code == 200, answer.text
    outcomes = {o["filename"]: (o["outcome"], o["message"]) for o in answer.json()}
    assert outcomes["fattura-web.pdf"][0] == "queued"
    assert outcomes["scontrino.pdf"][0] == "duplicate"  # the path in the name is dropped
    assert outcomes["note.pdf"] == ("rejected", outcomes["note.pdf"][1]) and "unsupported" in outcomes["note.pdf"][1]
    settings = work_office.settings
    assert (settings.paths.processed / "web" / "fattura-web.pdf").read_bytes() == invoice.read_bytes()
    assert (settings.paths.quarantine / "web" / "note.pdf").exists()
    assert (settings.paths.duplicates / "web" / "scontrino.pdf.duplicate.json").exists()
    assert not [p for p in settings.paths.inbox.rglob("*") if p.is_file()]  # nothing left behind


def test_upload_is_for_archivists_only(client, tokens):
    files = [("files", ("a.pdf", b"%PDF-1.4", "application/pdf"))]
    assert client.post("/api/upload", files=files, headers=tokens.header("auditor")).status_code == 403


def test_thumbnail_is_a_small_jpeg_of_the_first_page(client, tokens, work_office):
    doc_id = work_office.ids["fattura_11.pdf"]
    answer = client.get(f"/api/documents/{doc_id}/thumbnail", headers=tokens.header("auditor"))
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/jpeg"
    from PIL import Image
    assert Image.open(io.BytesIO(answer.content)).width == 160


def test_export_names_originals_for_people_and_carries_a_csv_summary(client, tokens, work_office):
    answer = client.get("/api/export", params={"class": "invoice"}, headers=tokens.header("auditor"))
    assert answer.status_code == 200
    bundle = zipfile.ZipFile(io.BytesIO(answer.content))
    rows = list(csv.DictReader(io.StringIO(bundle.read("summary.csv").decode("utf-8-sig")), delimiter=";"))
    assert rows and {r["class"] for r in rows} == {"invoice"}
    sums = bundle.read("SHA256SUMS").decode()
    for row in rows:
        name = row["file"].rsplit("/", 1)[1]
        assert name.startswith(row["date"] + "_Fattura_") and name.endswith((".pdf", ".jpg")), name
        assert row["sha256"] in sums and row["id"] == row["sha256"]
        assert row["total"]
    assert any(row["supplier"] for row in rows)
    assert "summary.csv" in sums and "summary.xlsx" in sums
    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(bundle.read("summary.xlsx"))).active
    table = list(sheet.iter_rows(values_only=True))
    assert len(table) == len(rows) + 1 and table[0][6] == "total"
    assert sorted(r[6] for r in table[1:]) == sorted(float(r["total"]) for r in rows)  # numbers, not text


def test_search_parameters_take_italian_forms_or_refuse_them_in_one_line(client, tokens, work_office):
    h = tokens.header("archivist")
    doc_id = work_office.ids["fattura_11.pdf"]
    record = client.get(f"/api/documents/{doc_id}", headers=h).json()
    total = record["fields"]["total_amount"]["value"]
    italian = f"{float(total):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    day = record["fields"]["date"]["value"]
    y, m, d = day.split("-")
    found = client.get("/api/search", headers=h, params={"min_total": f"€ {italian}", "max_total": italian,
                                                         "from": f"{d}/{m}/{y}", "to": y}).json()
    assert doc_id in [hit["id"] for hit in found["hits"]]
    by_value = client.get("/api/search", headers=h, params={"q": italian}).json()
    assert doc_id in [hit["id"] for hit in by_value["hits"]]
    for name, bad in (("min_total", "mille"), ("from", "31/02/2025")):
        answer = client.get("/api/search", headers=h, params={name: bad})
        assert answer.status_code == 422
        assert "\n" not in answer.json()["detail"] and bad in answer.json()["detail"]
