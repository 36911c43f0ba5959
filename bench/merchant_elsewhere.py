"""Photographed slips under a graphical logo: is the merchant found where the slip names it
outside its header (its legal name in the foot, with or without its seat; a greeting; its own web
or mail address), and is nothing filed where it names no one (a mail provider's address, nothing)?

Slips from ``tests/gen_merchant_heads.logo_lines`` (Malaysian, Italian, German), photographed by
``tests/gen_slips.render`` (plain, or rough in a thin Courier), read by real Tesseract. The pages
read are kept in ``--pages`` (a folder), so that a second run with other extraction code (another
PYTHONPATH) reads the same words without OCR. Per evidence: merchants right (fuzzy, the eval's
rule), wrong, missing; "none" and "provider" slips count right when nothing is filed. Also the
extraction's CPU time per slip (``receipt.extract`` alone).

Usage:
    PYTHONPATH=. .venv/bin/python bench/merchant_elsewhere.py --seeds 4 --pages /tmp/me-pages --out /tmp/me.json
    PYTHONPATH=. .venv/bin/python bench/merchant_elsewhere.py --first-seed 4 --seeds 4 --pages /tmp/me-pages
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

COURIER = "/usr/share/fonts/opentype/urw-base35/NimbusMonoPS-Regular.otf"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=6)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--pages", type=Path, required=True)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    import datetime as dt

    from gen_merchant_heads import EVIDENCE, logo_lines
    from gen_slips import KINDS, Slip, render
    from pipeline.config import load_settings
    from pipeline.evaluate.score import FUZZY_THRESHOLD, token_set_similarity
    from pipeline.extract import extract_fields
    from pipeline.process import read_pages

    settings = load_settings()
    args.pages.mkdir(parents=True, exist_ok=True)
    counts: dict[str, Counter] = {e: Counter() for e in EVIDENCE}
    cpu = 0.0
    slips = 0
    rows = []
    for kind in KINDS:
        for evidence in EVIDENCE:
            for seed in range(args.first_seed, args.first_seed + args.seeds):
                lines, want = logo_lines(seed, kind, evidence=evidence)
                rough = seed % 2 == 1
                cached = args.pages / f"{kind}-{evidence}-{seed}.pickle"
                if cached.exists():
                    media_type, pages = pickle.loads(cached.read_bytes())
                else:
                    with tempfile.TemporaryDirectory() as tmp:
                        photo = render(Slip(lines, want), Path(tmp) / "slip.jpg", seed, rough=rough,
                                       **({"font": COURIER} if rough else {}))
                        media_type, pages = read_pages(photo, settings)
                    cached.write_bytes(pickle.dumps((media_type, pages)))
                started = time.process_time()
                found = extract_fields("receipt", pages, language=None, vocabulary=settings.extract_vocabulary,
                                       today=dt.date(2025, 6, 1)).fields.get("merchant_name")
                cpu += time.process_time() - started
                slips += 1
                expected = want.get("merchant_name")
                got = found.value if found else None
                if expected is None:
                    verdict = "right" if got is None else "wrong"
                elif got is None:
                    verdict = "missing"
                else:
                    verdict = "right" if token_set_similarity(expected, got) >= FUZZY_THRESHOLD else "wrong"
                counts[evidence][verdict] += 1
                rows.append({"kind": kind, "evidence": evidence, "seed": seed, "rough": rough, "want": expected,
                             "got": got, "confidence": found.confidence if found else None, "verdict": verdict})
    print("| evidence | slips | right | wrong | missing |")
    print("|---|---|---|---|---|")
    for evidence, c in counts.items():
        print(f"| {evidence} | {sum(c.values())} | {c['right']} | {c['wrong']} | {c['missing']} |")
    total = sum(counts.values(), Counter())
    print(f"| all | {sum(total.values())} | {total['right']} | {total['wrong']} | {total['missing']} |")
    print(f"extraction CPU: {1000 * cpu / slips:.1f} ms/slip over {slips} slips")
    if args.out:
        args.out.write_text(json.dumps({"rows": rows, "cpu_ms_per_slip": 1000 * cpu / slips}, indent=1))


if __name__ == "__main__":
    main()
