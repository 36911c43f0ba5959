"""scripts/train_classifier.py on a small generated corpus: it cross-validates by group, writes a
model the product reads, fits the same model twice (``--check``), leaves e-invoices out, and
ships no word that only one vendor prints."""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

import gen_receipts
from gen_other import KINDS as OTHER_KINDS
from gen_other import other_document
from support import IN_CI

if importlib.util.find_spec("sklearn") is None:
    if IN_CI:
        raise RuntimeError("scikit-learn is missing: it is in the test extra (scripts/setup test installs it)")
    pytest.skip("scikit-learn is not installed (pip install -e '.[train]')", allow_module_level=True)

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "train_classifier.py"
GROUPS = 4  # per class: enough for 3 folds and for "seen in 2 groups"
VENDOR_WORD = "Zorblaxian"  # printed by one vendor only: must not become a feature


def _train_module():
    spec = importlib.util.spec_from_file_location("train_classifier", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("train_classifier", module)
    spec.loader.exec_module(module)
    return module


def _invoice(rng: random.Random, vendor: str) -> list[str]:
    lines = [vendor, "FATTURA", f"Fattura n. {rng.randint(1, 999)}/2024 del {rng.randint(1, 28):02d}/03/2024",
             "Cessionario: Bianchi S.r.l.", "Partita IVA 01234567897"]
    lines += [f"Servizio {rng.choice(['consulenza', 'manutenzione', 'assistenza'])} {rng.randint(1, 99)},00"
              for _ in range(rng.randint(2, 4))]
    return lines + ["Imponibile 100,00", "IVA 22% 22,00", "Totale documento 122,00", "Scadenza 30/04/2024"]


def _contract(rng: random.Random, vendor: str) -> list[str]:
    return [f"CONTRATTO DI {rng.choice(['FORNITURA', 'SERVIZIO', 'LOCAZIONE'])}", f"Tra {vendor} e Rossi S.p.A.",
            "di seguito le parti", "Premesso che le parti intendono collaborare", "Art. 1 Oggetto del contratto",
            f"Il presente contratto ha durata di {rng.randint(1, 5)} anni con tacito rinnovo",
            "Art. 2 Recesso", "Ciascuna parte potra recedere con disdetta scritta",
            "Foro competente: Milano", "Letto, approvato e sottoscritto"]


def _write_pdf(path: Path, lines: list[str]) -> None:
    c = canvas.Canvas(str(path), pagesize=A4)
    y = A4[1] - 60
    for line in lines:
        c.drawString(50, y, line[:90])
        y -= 16
    c.save()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    rows = []
    for g in range(GROUPS):
        for n in range(2):
            seed = 100 * g + n
            rng = random.Random(seed)
            vendor = f"{VENDOR_WORD} S.r.l." if g == 0 else f"Fornitore {g} S.r.l."
            slip = gen_receipts.slip(seed, gen_receipts.KINDS[g % len(gen_receipts.KINDS)])
            docs = {
                "invoice": _invoice(rng, vendor),
                "receipt": [" ".join(w for w, _ in row) for row in slip.rows],
                "contract": _contract(rng, f"Locatore {g} S.r.l."),
                "other": other_document(seed, OTHER_KINDS[g % len(OTHER_KINDS)]).text.splitlines(),
            }
            for doc_class, lines in docs.items():
                name = f"{doc_class}-{g}-{n}.pdf"
                _write_pdf(root / name, lines)
                rows.append({"file": name, "class": doc_class, "group": f"{doc_class}:{g}"})
    # An e-invoice is classified by its structure: the script must leave it out, not read it.
    (root / "einvoice.xml").write_text("<FatturaElettronica/>", encoding="utf-8")
    rows.append({"file": "einvoice.xml", "class": "invoice", "variant": "xml", "group": "invoice:0"})
    (root / "labels.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return root


def _run(args: list[str], capsys) -> tuple[int, str]:
    code = _train_module().main([str(a) for a in args])
    return code, capsys.readouterr().out


def test_cross_validates_writes_a_model_and_checks_it(corpus, tmp_path, capsys):
    from pipeline.classify_model import load_model

    model_path = tmp_path / "model.json"
    common = [corpus, "--folds", "3", "--min-groups", "2"]
    code, out = _run([*common, "--out", model_path], capsys)
    assert code == 0, out
    assert f"{4 * GROUPS * 2} files, {4 * GROUPS} groups, 3-fold cross-validation by group" in out
    for line in ("0 (rules)", "0.5", "1 (model)", "confusion matrix at model weight 0.5"):
        assert line in out
    assert f"invoice 1.000 ({GROUPS * 2}/{GROUPS * 2})" in out  # these invoices are easy for every blend

    model = load_model(model_path)
    assert set(model.classes) == {"invoice", "receipt", "contract", "other"}
    assert VENDOR_WORD.lower() not in model.vocabulary  # one vendor's word does not ship
    assert "fattura" in model.vocabulary and any(t.startswith("#") for t in model.vocabulary)  # words and layout
    assert max(model.probabilities("FATTURA n. 12 Imponibile 100,00 Totale documento").items(),
               key=lambda kv: kv[1])[0] == "invoice"

    # Training is deterministic: the same run fits the same bytes, and a changed file is caught.
    code, out = _run([*common, "--check", model_path], capsys)
    assert code == 0 and "identical to" in out, out
    model_path.write_text(model_path.read_text().replace('"format":1', '"format":1 '), encoding="utf-8")
    code, out = _run([*common, "--check", model_path], capsys)
    assert code == 1 and "DIFFERS from" in out, out


def test_fewer_groups_than_folds_is_refused(corpus, capsys):
    with pytest.raises(ValueError):
        _run([corpus, "--folds", str(4 * GROUPS + 1)], capsys)
