"""Preservation packages: 100 generated documents with their archive copies, an index that
validates against the SInCRO schema, an RFC 3161 timestamp from a real TSA (openssl ts on
loopback), a CAdES signature; verify re-checks all of it and names what was altered."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile

import pytest

from gen_preservation import file_documents, generated
from services.tsa.plugin import tsa_server  # noqa: F401  (fixture)
from support import make_settings
from pipeline.audit import Actor, AuditLog
from pipeline.cli import main
from pipeline.index import open_index
from pipeline.preservation import agid
from pipeline.preservation.package import INDEX, SIGNATURE, TIMESTAMP, PackageError, Packager, validate_index, \
    verify_package
from pipeline.preservation.tsa import TimestampError, request_timestamp

M = f"{{{agid.NS}}}"


@pytest.fixture(scope="module")
def packaged(tmp_path_factory, tsa_server):
    """100 documents filed with archive copies, packaged once as a ZIP for the whole module."""
    office = tmp_path_factory.mktemp("office")
    for name in ("inbox", "processed", "quarantine", "duplicates", "data"):
        (office / name).mkdir()
    settings = make_settings(office, **{
        "preservation.tsa_url": tsa_server.url, "preservation.sign_cert": str(tsa_server.signer_cert),
        "preservation.sign_key": str(tsa_server.signer_key), "preservation.producer_name": "Rossi S.r.l.",
        "preservation.producer_vat": "IT01234567897", "preservation.manager": "Dott.ssa Anna Bianchi"})
    archive, index = open_archive_and_index(settings)
    records = file_documents(settings, archive, index, generated(100), office, copies=True)
    package = office / "pdv.zip"
    summary = Packager(archive, AuditLog(archive.store), settings.retention, settings.preservation).build(
        [r.id for r in records], package, by=Actor("auditor", "auditor"), query={"class": "all"})
    return settings, archive, records, package, summary, office


def open_archive_and_index(settings):
    from pipeline.store import open_archive

    return open_archive(settings), open_index(settings)


@pytest.mark.slow
def test_a_package_of_100_documents_validates_timestamps_and_reverifies(packaged, tsa_server):
    settings, archive, records, package, summary, office = packaged
    assert summary.documents == 100 and summary.files == 300 and summary.timestamp and summary.signed
    report = verify_package(package, tsa_ca=tsa_server.ca, signer_ca=tsa_server.ca)
    assert report.ok, report.problems
    assert report.documents == 100 and report.files == 300
    assert "Archivio Test TSA" in report.tsa and "Responsabile Conservazione Test" in report.signer
    stamped = dt.datetime.fromisoformat(report.timestamp)
    assert abs((stamped - dt.datetime.now(dt.timezone.utc)).total_seconds()) < 600

    folder = office / "unzipped"
    zipfile.ZipFile(package).extractall(folder)
    assert validate_index((folder / INDEX).read_bytes()) == []
    # Independent of our own code: openssl checks the timestamp and the signature too.
    ts = subprocess.run(["openssl", "ts", "-verify", "-data", str(folder / INDEX), "-in", str(folder / TIMESTAMP),
                         "-CAfile", str(tsa_server.ca)], capture_output=True, text=True)
    assert "Verification: OK" in ts.stdout, ts.stderr
    cms = subprocess.run(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(folder / SIGNATURE),
                          "-content", str(folder / INDEX), "-CAfile", str(tsa_server.ca), "-purpose", "any",
                          "-out", "/dev/null"], capture_output=True, text=True)
    assert cms.returncode == 0, cms.stderr
    entry = AuditLog(archive.store).entries(action="packaged")
    assert next(entry).details["index_sha256"] == summary.index_sha256


def test_each_document_carries_the_agid_minimum_metadata_from_its_record(packaged):
    settings, archive, records, package, summary, office = packaged
    invoice = next(r for r in records if r.doc_class == "invoice")
    with zipfile.ZipFile(package) as zf:
        names = set(zf.namelist())
        meta = ET.fromstring(zf.read(f"documents/{invoice.id}/metadati.xml"))
    assert {f"documents/{invoice.id}/originale.pdf", f"documents/{invoice.id}/copia.pdf"} <= names

    def text(path: str) -> str | None:
        return meta.findtext("/".join(M + p for p in path.split("/")))

    assert text("IdDoc/ImprontaCrittografica/Impronta") == invoice.sha256
    assert text("IdDoc/ImprontaCrittografica/Algoritmo") == "SHA-256"
    assert text("ModalitaDiFormazione") == "b" and text("TipologiaDocumentale") == "Fattura"
    assert text("DatiDiRegistrazione/NumeroDocumento") == invoice.field_value("number")
    assert text("DatiDiRegistrazione/TipologiaDiFlusso") == "E"
    assert text("VersioneDelDocumento") == "1" and text("Riservato") == "false"
    assert text("TempoDiConservazione") == "10"
    assert text("ConservazioneFinoAl") == f"{int(invoice.field_value('date')[:4]) + 11}-01-01"
    subjects = {(r.get("tipo"), s.findtext(f"{M}DenominazioneOrganizzazione") or s.findtext(f"{M}Nominativo"),
                 s.findtext(f"{M}PartitaIva"),
                 s.findtext(f"{M}CodiceFiscale"))
                for r in meta.iter(f"{M}Ruolo") for s in r.iter(f"{M}Soggetto")}
    f = invoice.field_value
    assert ("Mittente", f("vendor_name"), f("vendor_vat"), None) in subjects
    assert ("Destinatario", f("customer_name"), None, f("customer_cf")) in subjects  # a person: PF, by CF
    assert meta.find(f"{M}Soggetti/{M}Ruolo[@tipo='Destinatario']/{M}Soggetto").get("tipo") == "PF"
    assert ("Produttore", "Rossi S.r.l.", "IT01234567897", None) in subjects
    assert {c.get("nome"): c.text for c in meta.iter(f"{M}Campo")}["total_amount"] == f("total_amount")


def test_verify_names_an_altered_file_an_added_one_and_a_changed_index(packaged, tsa_server, tmp_path):
    settings, archive, records, package, summary, office = packaged
    folder = tmp_path / "pdv"
    zipfile.ZipFile(package).extractall(folder)
    victim = f"documents/{records[41].id}/originale.pdf"
    (folder / victim).write_bytes((folder / victim).read_bytes() + b"%altered")
    (folder / "documents" / "extra.pdf").write_bytes(b"%PDF smuggled in")
    problems = verify_package(folder, tsa_ca=tsa_server.ca).problems
    assert len(problems) == 2
    assert problems[0].startswith(f"{victim}: altered") and "documents/extra.pdf: not in the index" in problems[1]

    index = folder / INDEX
    index.write_bytes(index.read_bytes().replace(b"Rossi S.r.l.", b"Verdi S.r.l."))
    problems = verify_package(folder, tsa_ca=tsa_server.ca, signer_ca=tsa_server.ca).problems
    assert any(p.startswith(f"{TIMESTAMP}: the timestamp was made for other data") for p in problems)
    assert any(p.startswith(f"{SIGNATURE}: the signed content differs") for p in problems)

    zipped = shutil.make_archive(str(tmp_path / "altered"), "zip", folder)
    assert main(["package", "verify", zipped]) == 1


def test_a_timestamp_from_a_ca_we_do_not_trust_is_refused(packaged, tmp_path):
    settings, archive, records, package, summary, office = packaged
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(tmp_path / "k"),
                    "-out", str(tmp_path / "other.pem"), "-days", "1", "-subj", "/CN=Other CA"],
                   check=True, capture_output=True)
    problems = verify_package(package, tsa_ca=tmp_path / "other.pem").problems
    assert problems and "not issued by a trusted CA" in problems[0]


def test_an_unreachable_tsa_stops_the_package_with_one_clear_error(tmp_path):
    with pytest.raises(TimestampError, match="cannot reach the TSA at http://127.0.0.1:9/"):
        request_timestamp(b"index", "http://127.0.0.1:9/", timeout=2)


def test_the_cli_packages_one_class_and_period_and_verifies_it(office, tsa_server, monkeypatch, capsys):
    for name in ("inbox", "processed", "quarantine", "duplicates", "data"):
        monkeypatch.setenv(f"ARCHIVIO_PATHS_{name.upper()}", str(office / name))
    monkeypatch.setenv("ARCHIVIO_PRESERVATION_TSA_URL", tsa_server.url)
    settings = make_settings(office, **{"preservation.tsa_url": tsa_server.url})
    archive, index = open_archive_and_index(settings)
    records = file_documents(settings, archive, index, generated(12, year=2023), office)
    invoices = [r for r in records if r.doc_class == "invoice" and r.field_value("date") <= "2023-06-30"]

    out = office / "fatture"
    assert main(["package", "--from", "2023-01-01", "--to", "2023-06-30", "--type", "invoice", "-o", str(out)]) == 0
    assert f"{len(invoices)} document(s)" in capsys.readouterr().out
    assert {p.name for p in (out / "documents").iterdir()} == {r.id for r in invoices}
    assert main(["package", "verify", str(out), "--tsa-ca", str(tsa_server.ca)]) == 0
    assert "intact / integro" in capsys.readouterr().out
    with pytest.raises(PackageError, match="exists already"):
        Packager(archive, AuditLog(archive.store), settings.retention, settings.preservation).build(
            [invoices[0].id], out, by=Actor("x"), query={})
    assert main(["package", "-o", str(office / "none.zip"), "--type", "invoice", "--from", "2030-01-01"]) == 1


def test_names_tax_codes_vat_numbers_and_dates_reach_the_metadata_of_every_class(packaged):
    """DM 17 giugno 2014 in the package: what a conservator searches by is in each metadati.xml."""
    settings, archive, records, package, summary, office = packaged
    with zipfile.ZipFile(package) as zf:
        for doc_class in ("invoice", "receipt", "contract"):
            record = next(r for r in records if r.doc_class == doc_class)
            meta = zf.read(f"documents/{record.id}/metadati.xml").decode()
            f = record.field_value
            wanted = [f("vendor_name"), f("customer_name"), f("customer_cf"), f("merchant_name"), f("vendor_vat"),
                      *(f("parties") or []), f("date") or f("agreement_date")]
            for value in filter(None, wanted):
                assert f">{value}<" in meta, (doc_class, value)
