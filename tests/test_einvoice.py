"""FatturaPA and signed .p7m: recognised by content, fields exactly from the XML, signatures
checked, bad input refused safely. Every file is built here (tests/gen_fatturapa.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from docgen import italian_invoice
from gen_fatturapa import Body, fattura, make_signer, sdi_message, semplificata, sign, tamper
from pipeline.einvoice.detect import EML, P7M, XML
from pipeline.einvoice.xmlsafe import UnsafeXmlError
from pipeline.errors import CorruptDocumentError
from pipeline.process import analyse
from pipeline.text import sniff
from support import make_settings

TODAY = dt.date(2024, 6, 1)


def _analyse(tmp_path: Path, name: str, data: bytes, settings):
    path = tmp_path / name
    path.write_bytes(data)
    return analyse(path, settings, today=TODAY)


def _values(analysis) -> dict:
    return {name: f.value for name, f in analysis.fields.items()}


@pytest.mark.parametrize("declaration,bom", [(True, False), (False, False), (True, True)])
def test_fields_come_exactly_from_the_xml_with_or_without_declaration_and_bom(tmp_path, settings, declaration, bom):
    data = fattura([Body(lines=[("Consulenza", "22.00", "1000.00"), ("Libri", "4.00", "50.00")],
                         causale="Saldo ordine 7")], declaration=declaration, bom=bom)
    path = tmp_path / "fattura-senza-nome-giusto.bin"
    path.write_bytes(data)
    assert sniff(path) == XML
    analysis = analyse(path, settings, today=TODAY)
    assert analysis.classification.doc_class == "invoice" and analysis.classification.method == "fatturapa"
    assert _values(analysis) | {"vat_breakdown": None} == {
        "number": "FT-2024/0042", "date": "2024-03-15", "due_date": "2024-04-30", "document_type": "TD01",
        "vendor_name": "Fornitore Esempio S.r.l.", "vendor_vat": "IT06363391001", "customer_name": "Cliente Prova S.p.A.",
        "customer_vat": "IT07973780013", "customer_cf": "07973780013", "currency": "EUR", "net_amount": "1050.00",
        "vat_amount": "222.00", "total_amount": "1272.00", "iban": "IT60X0542811101000000123456",
        "causale": "Saldo ordine 7", "vat_breakdown": None}
    assert analysis.fields["vat_breakdown"].value == ["22.00%: 1000.00 + 220.00", "4.00%: 50.00 + 2.00"]
    assert analysis.problems == []
    assert analysis.derived.rendering and b"Fornitore Esempio S.r.l." in analysis.derived.rendering
    assert "P.IVA IT06363391001 06363391001" in analysis.text  # found by either form


def test_a_wrong_check_digit_in_the_xml_is_still_flagged(tmp_path, settings):
    data = fattura(vendor=("Fornitore Errato", ("IT", "01234567890"), None))
    analysis = _analyse(tmp_path, "f.xml", data, settings)
    assert analysis.fields["vendor_vat"].valid is False
    assert any(p.startswith("vendor_vat:") for p in analysis.problems)


def test_withholding_tax_explains_a_total_below_net_plus_vat(tmp_path, settings):
    data = fattura([Body(total="1020.00", withholding="200.00")])
    analysis = _analyse(tmp_path, "f.xml", data, settings)
    assert analysis.fields["total_amount"].valid is True and analysis.problems == []
    assert any("ritenuta" in w for w in analysis.warnings)
    unexplained = _analyse(tmp_path, "g.xml", fattura([Body(total="1020.00")]), settings)
    assert unexplained.fields["total_amount"].valid is False and unexplained.problems


def test_simplified_invoice_is_read_too(tmp_path, settings):
    analysis = _analyse(tmp_path, "s.xml", semplificata(), settings)
    values = _values(analysis)
    assert analysis.classification.doc_class == "invoice"
    assert (values["document_type"], values["number"], values["total_amount"], values["vat_amount"],
            values["net_amount"], values["customer_cf"]) == ("TD07", "S-7", "122.00", "22.00", "100.00",
                                                             "RSSMRA80A01H501U")


def test_multi_invoice_file_yields_one_record_per_body_and_its_attachments(tmp_path, settings):
    data = fattura([Body(number="A-1"), Body(number="A-2", attachments=[("ordine.txt", b"ordine 42")])])
    analysis = _analyse(tmp_path, "multi.xml", data, settings)
    assert analysis.fields["number"].value == "A-1"
    [second] = analysis.derived.bodies
    assert second.index == 2 and second.fields["number"].value == "A-2"
    assert [(f.name, f.data) for f in analysis.derived.files] == [("ordine.txt", b"ordine 42")]


# -- signatures ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def signer():
    return make_signer()


@pytest.mark.parametrize("encoding", ["der", "base64"])
def test_signed_invoice_is_verified_and_the_signer_reported(tmp_path, settings, signer, encoding):
    envelope = sign(fattura(), signer, encoding=encoding)
    path = tmp_path / "IT01234567890_abc12.xml.p7m"
    path.write_bytes(envelope)
    assert sniff(path) == P7M
    analysis = analyse(path, settings, today=TODAY)
    values = _values(analysis)
    assert values["signature"] == "valid" and analysis.fields["signature"].valid is True
    assert values["signer"] == "MARIO ROSSI" and values["signer_cf"] == "RSSMRA80A01H501U"
    assert values["number"] == "FT-2024/0042" and analysis.problems == []
    assert dt.datetime.fromisoformat(values["signing_time"]).date() == dt.date.today()
    assert b"Firma valida di MARIO ROSSI" in analysis.derived.rendering


def test_an_altered_signed_invoice_is_filed_but_needs_review(tmp_path, settings, signer):
    original = fattura()
    envelope = tamper(sign(original, signer), original, b"1220.00", b"9220.00")
    analysis = _analyse(tmp_path, "f.xml.p7m", envelope, settings)
    assert analysis.fields["signature"].value == "invalid"
    assert any("altered" in p for p in analysis.problems)
    assert analysis.fields["total_amount"].value == "9220.00"  # read all the same, flagged


def test_an_expired_certificate_is_a_warning_not_a_rejection(tmp_path, settings):
    analysis = _analyse(tmp_path, "f.xml.p7m", sign(fattura(), make_signer(expired=True, curve=True)), settings)
    assert analysis.fields["signature"].value == "valid" and analysis.problems == []
    assert any("expired" in w for w in analysis.warnings)


def test_trust_list_says_whether_the_issuer_is_trusted(tmp_path, signer):
    from cryptography.hazmat.primitives import serialization

    trust = tmp_path / "trust.pem"
    trust.write_bytes(signer.ca.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "office").mkdir()
    trusting = make_settings(tmp_path / "office", **{"einvoice.trust_list": str(trust)})
    analysis = _analyse(tmp_path, "f.xml.p7m", sign(fattura(), signer), trusting)
    assert analysis.fields["signer_trusted"].value == "yes"
    stranger = _analyse(tmp_path, "g.xml.p7m", sign(fattura(), make_signer()), trusting)
    assert stranger.fields["signer_trusted"].value == "no"
    assert any("trust list" in w for w in stranger.warnings)


def test_a_p7m_wrapping_a_pdf_is_unwrapped_and_read_as_a_pdf(tmp_path, settings, signer):
    pdf = italian_invoice(tmp_path / "scan.pdf", seed=3).path.read_bytes()
    analysis = _analyse(tmp_path, "fattura.pdf.p7m", sign(pdf, signer), settings)
    assert analysis.media_type == P7M and analysis.pages >= 1
    assert analysis.fields["signature"].value == "valid"
    assert analysis.classification.doc_class == "invoice"
    assert any("application/pdf" in w for w in analysis.warnings)


# -- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["der", "base64"])
def test_a_truncated_p7m_is_refused_with_a_clear_reason(tmp_path, settings, signer, encoding):
    envelope = sign(fattura(), signer, encoding=encoding)
    for cut in (len(envelope) // 3, len(envelope) // 2 + 1, len(envelope) - 5):
        with pytest.raises(CorruptDocumentError, match="truncated"):
            _analyse(tmp_path, "cut.xml.p7m", envelope[:cut], settings)


XXE = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<FatturaElettronica><FatturaElettronicaBody>&x;</FatturaElettronicaBody></FatturaElettronica>"""
LAUGHS = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>"""


@pytest.mark.parametrize("data", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_entities_are_refused_without_being_expanded(tmp_path, settings, data):
    with pytest.raises(UnsafeXmlError, match="DTD"):
        _analyse(tmp_path, "bomb.xml", data, settings)


def test_malformed_xml_says_where(tmp_path, settings):
    with pytest.raises(CorruptDocumentError, match="malformed XML .line 1"):
        _analyse(tmp_path, "rotto.xml", b"<FatturaElettronica><Numero>1</Numer></FatturaElettronica>", settings)


def test_xml_that_is_not_an_invoice_is_archived_as_text(tmp_path, settings):
    analysis = _analyse(tmp_path, "ordine.xml", b"<ordine><cliente>Bianchi</cliente><pezzi>3</pezzi></ordine>",
                        settings)
    assert analysis.classification.doc_class == "other" and "Bianchi" in analysis.text
    assert any("not a FatturaPA" in w for w in analysis.warnings)


def test_sdi_receipt_is_recognised(tmp_path, settings):
    analysis = _analyse(tmp_path, "IT01234567890_abc12_RC_001.xml",
                        sdi_message("RicevutaConsegna", file_name="IT01234567890_abc12.xml.p7m"), settings)
    assert analysis.classification.doc_class == "other"
    assert _values(analysis)["sdi_message"] == "RC"
    assert analysis.derived.concerns_file == "IT01234567890_abc12.xml.p7m"


@pytest.mark.parametrize("head,expected", [
    (b"<?xml version='1.0'?><a/>", XML), (b"\xef\xbb\xbf<p:FatturaElettronica xmlns:p='x'>", XML),
    (b"<!-- c --><root>", XML), (b"From: a@b.it\r\nTo: c@d.it\r\nSubject: x\r\n\r\nbody", EML)])
def test_structured_types_are_recognised_by_content(tmp_path, head, expected):
    path = tmp_path / "file.pdf"
    path.write_bytes(head + b" " * 64)
    assert sniff(path) == expected


# -- filed end to end ---------------------------------------------------------------------------
@pytest.mark.slow
def test_signed_multi_invoice_file_is_filed_searchable_with_its_parts(office, tmp_path, signer, monkeypatch, capsys):
    from test_watch_e2e import archivio, office_env

    env = office_env(office, ARCHIVIO_WORKERS_COUNT="1")
    drop = tmp_path / "drop"
    drop.mkdir()
    attachment = italian_invoice(tmp_path / "ordine.pdf", seed=5).path.read_bytes()
    xml = fattura([Body(number="FT-2024/0042"),
                   Body(number="FT-2024/0043", lines=[("Assistenza", "22.00", "300.00")],
                        attachments=[("ordine.pdf", attachment)])])
    (drop / "IT01234567890_abc12.xml.p7m").write_bytes(sign(xml, signer))
    done = archivio(office, "ingest", str(drop), env=env)
    assert done.returncode == 0, done.stderr + done.stdout
    receipts = tmp_path / "receipts"
    receipts.mkdir()
    (receipts / "IT01234567890_abc12_RC_001.xml").write_bytes(
        sdi_message("RicevutaConsegna", file_name="IT01234567890_abc12.xml.p7m", sdi_id="4242"))
    done = archivio(office, "ingest", str(receipts), env=env)
    assert done.returncode == 0, done.stderr + done.stdout
    later = tmp_path / "later"
    later.mkdir()
    (later / "esito.xml").write_bytes(sdi_message("NotificaDecorrenzaTermini", file_name=None, sdi_id="4242"))
    done = archivio(office, "ingest", str(later), env=env)
    assert done.returncode == 0, done.stderr + done.stdout

    records = {}
    for path in (office / "data" / "store" / "records").rglob("*.json"):
        data = json.loads(path.read_text())
        if "id" in data:  # not the store's metadata sidecars
            records[data["id"]] = data
    [main_] = [r for r in records.values() if r["source"]["filename"] == "IT01234567890_abc12.xml.p7m"
               and r["parent"] is None]
    second = records[main_["id"] + "-2"]
    assert second["fields"]["number"]["value"] == "FT-2024/0043" and second["parent"]["relation"] == "einvoice-body"
    assert second["sha256"] == main_["sha256"] and second["fields"]["signature"]["value"] == "valid"
    [attached] = [r for r in records.values() if (r["parent"] or {}).get("relation") == "attachment"]
    assert attached["parent"]["id"] == main_["id"] and attached["media_type"] == "application/pdf"
    assert attached["id"] in main_["parts"] and second["id"] in main_["parts"]
    [receipt] = [r for r in records.values() if r["source"]["filename"].endswith("_RC_001.xml")]
    assert receipt["parent"] == {"id": main_["id"], "relation": "sdi-notification", "index": None, "pages": None}
    [by_sdi_id] = [r for r in records.values() if r["source"]["filename"] == "esito.xml"]
    assert by_sdi_id["parent"]["id"] == main_["id"] and by_sdi_id["fields"]["sdi_message"]["value"] == "DT"
    copy = office / "data" / "store" / main_["archive_copy"]["key"]
    assert main_["archive_copy"]["format"] == "HTML" and b"FT-2024/0043" in copy.read_bytes()
    stored = (office / "data" / "store" / "originals" / main_["sha256"][:2] / main_["sha256"]).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == main_["sha256"]  # the .p7m itself, never altered

    # The CLI a clerk uses, in this process (each subprocess costs seconds on a loaded machine).
    from pipeline.cli import main

    for name, value in env.items():
        if name.startswith("ARCHIVIO_"):
            monkeypatch.setenv(name, value)
    assert main(["check"]) == 0
    assert "store, index and journal agree" in capsys.readouterr().out
    assert main(["verify", "--all"]) == 0
    capsys.readouterr()
    for query, expected in (("FT-2024/0043", second["id"]), ("06363391001", main_["id"]), ("1220.00", main_["id"]),
                            ("Fornitore Esempio", main_["id"])):
        assert main(["search", query, "--json"]) == 0
        assert expected in capsys.readouterr().out, query
    assert main(["show", main_["id"][:12]]) == 0
    shown = capsys.readouterr().out
    assert "signature" in shown and "valid" in shown and "MARIO ROSSI" in shown and f"{main_['id']}-2" in shown


def test_ids_of_a_file_with_many_invoices_resolve_exactly(settings):
    from pipeline.records import Parent, Record, Source, utcnow
    from pipeline.store import open_archive

    archive = open_archive(settings)
    sha = "ab" * 32
    base = Record(id=sha, sha256=sha, size=1, media_type="application/xml", doc_class="invoice",
                  source=Source(filename="f.xml", received_at=utcnow()), ingested_at=utcnow())
    archive.save_record(base)
    for n in (2, 20, 21):
        archive.save_record(base.model_copy(update={"id": f"{sha}-{n}",
                                                     "parent": Parent(id=sha, relation="einvoice-body", index=n)}))
    assert archive.resolve(f"{sha}-2") == f"{sha}-2"
    assert archive.resolve(sha[:12]) == sha  # the file itself, not "matches 4 documents"


@pytest.mark.slow
def test_a_crash_after_the_attachments_are_taken_files_nothing_twice(office, tmp_path, signer):
    from test_watch_e2e import archivio, office_env

    drop, empty = tmp_path / "drop", tmp_path / "empty"
    drop.mkdir()
    empty.mkdir()
    attachment = italian_invoice(tmp_path / "ordine.pdf", seed=7).path.read_bytes()
    (drop / "IT01234567890_crash.xml.p7m").write_bytes(sign(fattura(
        [Body(number="C-1"), Body(number="C-2", attachments=[("ordine.pdf", attachment)])]), signer))
    crashed = archivio(office, "ingest", str(drop),
                       env=office_env(office, ARCHIVIO_WORKERS_COUNT="1", ARCHIVIO_CRASH_AT="parts.after_files"))
    assert crashed.returncode == -9, crashed.stdout + crashed.stderr
    done = archivio(office, "ingest", str(empty), env=office_env(office, ARCHIVIO_WORKERS_COUNT="1"))
    assert done.returncode == 0, done.stdout + done.stderr
    records = [json.loads(p.read_text()) for p in (office / "data" / "store" / "records").rglob("*.json")]
    records = [r for r in records if "id" in r]
    names = sorted((r["source"]["filename"], r["id"][64:]) for r in records)
    assert names == [("IT01234567890_crash.xml.p7m", ""), ("IT01234567890_crash.xml.p7m", "-2"),
                     ("ordine.pdf", "")], names
    assert not any((office / "duplicates").iterdir())
    checked = archivio(office, "check", env=office_env(office))
    assert checked.returncode == 0 and "agree" in checked.stdout, checked.stdout


@pytest.mark.slow
def test_an_sdi_message_filed_before_its_invoice_is_linked_when_the_invoice_arrives(office, tmp_path, signer):
    from test_watch_e2e import archivio, office_env

    drop = tmp_path / "drop"
    drop.mkdir()
    # The SdI delivers the invoice and its metadata file together; here the metadata is filed first,
    # by a batch of its own (a batch's order is ingest's choice: largest first).
    metadata_file = drop / "0-IT01234567890_abc12_MT_001.xml"
    metadata_file.write_bytes(sdi_message("MetadatiInvioFile", file_name="IT01234567890_abc12.xml.p7m", sdi_id="777"))
    invoice_file = drop / "IT01234567890_abc12.xml.p7m"
    invoice_file.write_bytes(sign(fattura(), signer))
    env = office_env(office, ARCHIVIO_WORKERS_COUNT="1")
    for batch in (metadata_file, invoice_file):
        done = archivio(office, "ingest", str(batch), env=env)
        assert done.returncode == 0, done.stdout + done.stderr
    records = [json.loads(p.read_text()) for p in (office / "data" / "store" / "records").rglob("*.json")]
    by_name = {r["source"]["filename"]: r for r in records if "id" in r}
    invoice, metadata = by_name["IT01234567890_abc12.xml.p7m"], by_name["0-IT01234567890_abc12_MT_001.xml"]
    assert metadata["parent"]["id"] == invoice["id"] and metadata["version"] == 2
    assert metadata["history"][-1]["action"] == "linked"
    assert not any("not in the archive yet" in w for w in metadata["warnings"])
    checked = archivio(office, "check", env=env)
    assert checked.returncode == 0 and "agree" in checked.stdout, checked.stdout  # the index has version 2
