"""bench/degraded_study.py copies the study half's images, degraded, with their labels, and never
a file of the measured half."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from PIL import Image

from pipeline.evaluate.labels import load_labels

ROOT = Path(__file__).resolve().parent.parent


def _bench():
    spec = importlib.util.spec_from_file_location("degraded_study", ROOT / "bench" / "degraded_study.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_only_the_study_half_is_copied_degraded_with_its_labels(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "receipts").mkdir(parents=True)
    rows = []
    for n in range(12):
        name = f"receipts/r{n}.png"
        Image.new("RGB", (200, 300), "white").save(corpus / name)
        rows.append({"file": name, "class": "receipt", "group": f"shop-{n}", "fields": {"total_amount": f"{n}.00"}})
    (corpus / "labels.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    halves = {item.file: item.split for item in load_labels(corpus)}
    assert set(halves.values()) == {"study", "measure"}  # both halves present among the twelve

    assert _bench().main([str(corpus), str(tmp_path / "small"), "--kind", "small"]) == 0
    copied = [json.loads(line) for line in (tmp_path / "small" / "labels.jsonl").read_text().splitlines()]
    studied = sorted(str(Path(f).with_suffix(".jpg")) for f, half in halves.items() if half == "study")
    assert sorted(r["file"] for r in copied) == studied
    for row in copied:
        original = next(r for r in rows if r["group"] == row["group"])
        assert row["fields"] == original["fields"]
        assert Image.open(tmp_path / "small" / row["file"]).size == (130, 195)  # 65 %
