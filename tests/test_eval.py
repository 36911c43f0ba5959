"""`archivio eval` on a labelled folder the test writes itself, and the scoring rules."""

from __future__ import annotations

import json
from pathlib import Path

import docgen
from pipeline.cli import main
from pipeline.evaluate.score import compare, normalise, token_set_similarity


def write_corpus(root: Path) -> list[docgen.Doc]:
    (root / "fatture").mkdir(parents=True)
    (root / "altro").mkdir()
    docs = [
        docgen.italian_invoice(root / "fatture" / "f1.pdf", 1),
        docgen.german_invoice(root / "fatture" / "r1.pdf", 2),
        docgen.italian_receipt(root / "altro" / "s1.pdf", 3),
        docgen.english_contract(root / "altro" / "c1.pdf", 4),
    ]
    with (root / "labels.jsonl").open("w") as fh:
        for doc in docs:
            fields = dict(doc.fields)
            if doc.path.name == "r1.pdf":
                fields["number"] = "WRONG-LABEL-1"  # a label the pipeline cannot match: a counted miss
            fh.write(json.dumps({"file": str(doc.path.relative_to(root)), "class": doc.doc_class, "fields": fields,
                                 "scanned": False, "variant": "born-digital", "group": doc.path.stem}) + "\n")
    return docs


def test_eval_scores_a_labelled_folder_and_writes_json(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    write_corpus(corpus)
    out = tmp_path / "eval.json"
    assert main(["eval", str(corpus), "--json", str(out), "--jobs", "2"]) == 0
    printed = capsys.readouterr().out
    assert "Classification: accuracy 1.000 over 4 files" in printed
    assert "invoice.total_amount" in printed and "[fatture]" in printed and "[born-digital]" in printed

    figures = json.loads(out.read_text())
    assert figures["classification"]["accuracy"] == 1.0
    assert figures["classification"]["n"] == 4
    assert figures["classification"]["confusion"]["invoice"]["invoice"] == 2
    total = figures["fields"]["invoice.total_amount"]
    assert total == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 2}
    number = figures["fields"]["invoice.number"]
    assert number["support"] == 2 and number["recall"] == 0.5 and number["precision"] == 0.5
    assert figures["fields"]["contract.parties"]["support"] == 2
    assert "fuzzy_f1" in figures["fields"]["receipt.merchant_name"]
    assert set(figures["by_source"]) == {"fatture", "altro"}
    assert figures["by_source"]["fatture"]["classification"]["n"] == 2
    assert 0 < figures["micro_f1"] < 1
    assert figures["pages_per_minute"] > 0
    assert figures["invalid_reported_valid"] == []


def test_eval_limit_and_match_select_files(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    write_corpus(corpus)
    assert main(["eval", str(corpus), "--match", "fatture/*", "--limit", "1"]) == 0
    assert "over 1 files" in capsys.readouterr().out


def test_normalisation_follows_the_corpus_rules():
    assert normalise("date", "2024-03-05") == "2024-03-05"
    assert normalise("total_amount", "1007.5") == "1007.50"
    assert normalise("vendor_vat", "it 0074 311 0157") == "IT00743110157"
    assert normalise("vendor_vat", "CHE-114.993.395 IVA") == "CHE114993395IVA"
    assert normalise("merchant_name", "  Caffè  Romano, S.r.l. ") == "caffe romano s r l"


def test_fuzzy_names_accept_a_brand_inside_the_legal_name_but_not_another_name():
    assert token_set_similarity("Lidl", "Lidl Dienstleistung GmbH & Co. KG") == 1.0
    assert token_set_similarity("ALDI", "Aldi GmbH & Co. KG") == 1.0
    assert token_set_similarity("Lidl", "Netto Marken-Discount") < 0.9
    exact = compare("merchant_name", "ALDI", "Aldi GmbH & Co. KG")
    assert (exact.tp, exact.fuzzy_tp) == (0, 1)


def test_parties_are_a_set_each_matched_once():
    counts = compare("parties", ["ACME, Inc.", "John Smith"], ["Acme Inc", "Acme Inc", "Jane Roe"])
    assert counts.support == 2
    assert counts.tp == 1 and counts.fp == 2 and counts.fn == 1


def test_eval_reads_einvoices_and_scores_every_field_their_xml_carries(tmp_path, capsys):
    from gen_fatturapa import Body, fattura, make_signer, sign

    corpus = tmp_path / "corpus"
    (corpus / "fpa").mkdir(parents=True)
    xml = fattura([Body(number="E-1", date="2024-02-01", due_date="2024-03-31", total=None)])
    (corpus / "fpa" / "e1.xml").write_bytes(xml)
    (corpus / "fpa" / "e1.xml.p7m").write_bytes(sign(xml, make_signer()))
    fields = {"number": "E-1", "date": "2024-02-01", "due_date": "2024-03-31", "vendor_name": "Fornitore Esempio S.r.l.",
              "vendor_vat": "IT06363391001", "customer_name": "Cliente Prova S.p.A.", "customer_vat": "IT07973780013",
              "customer_cf": "07973780013", "net_amount": "1000.00", "vat_amount": "220.00", "total_amount": "1220.00",
              "currency": "EUR", "iban": "IT60X0542811101000000123456", "document_type": "TD01"}
    with (corpus / "labels.jsonl").open("w") as fh:
        for name in ("e1.xml", "e1.xml.p7m"):
            fh.write(json.dumps({"file": f"fpa/{name}", "class": "invoice", "fields": fields, "scanned": False,
                                 "variant": "xml", "group": "g"}) + "\n")
    out = tmp_path / "eval.json"
    assert main(["eval", str(corpus), "--json", str(out)]) == 0
    figures = json.loads(out.read_text())
    assert figures["errors"] == {}
    scored = {name: f["f1"] for name, f in figures["fields"].items()}
    assert scored == {f"invoice.{name}": 1.0 for name in fields}


def test_split_keeps_a_group_on_one_side_and_selects_halves(tmp_path, capsys):
    from pipeline.evaluate import load_labels, select

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rows = [{"file": f"g{g}/d{d}{suffix}", "class": "other", "group": f"vendor-{g}"}
            for g in range(20) for d in range(3) for suffix in (".pdf", ".scan.pdf")]
    rows += [{"file": f"nogroup/x{d}{suffix}", "class": "other"} for d in range(10) for suffix in (".pdf", ".scan.pdf")]
    (corpus / "labels.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    items = load_labels(corpus)
    sides: dict[str, set[str]] = {}
    for item in items:
        key = item.group or item.file.split(".")[0]  # without a group: a document and its scan
        sides.setdefault(key, set()).add(item.split)
    assert all(len(s) == 1 for s in sides.values())
    study = select(items, limit=None, match=None, split="study")
    measure = select(items, limit=None, match=None, split="measure")
    assert study and measure and len(study) + len(measure) == len(items)
    assert main(["eval", str(corpus), "--split", "nonsense"]) != 0
