"""The study half's image files copied with one degradation each, labels and all, for `archivio
eval` to read: how the reading holds on scans worse than the corpus's own, without ever looking at
the measured half. Degradations: "small" (scanned at 65 % of the resolution: print a few pixels
high), "faded" (thermal print gone pale: less contrast, lighter), "blur" (out of focus, a 1.1 px
Gaussian), "jpeg" (quality 35), "tilt" (2.5 degrees either way).

Only the study half is ever written (``Labelled.split``): per-file errors on it are yours to read.

Usage:
    .venv/bin/python bench/degraded_study.py ../shared/corpus /tmp/small --kind small --match 'receipts-*/*'
    .venv/bin/archivio eval /tmp/small --jobs 2 --details /tmp/small.jsonl

Found with it (fourteenth session): at 65 % of their resolution, 8 of the 57 Malaysian study slips
were read upside down and filed as "other" (now read at twice their size); faded slips' dates
read with one separator misread ("30.04/20 09:56", now read).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = ("small", "faded", "blur", "jpeg", "tilt")
_IMAGES = (".jpg", ".jpeg", ".png", ".tif", ".tiff")


def degrade(image, kind: str, seed: str):
    from PIL import Image, ImageEnhance, ImageFilter

    image = image.convert("RGB")
    if kind == "small":
        return image.resize((round(image.width * 0.65), round(image.height * 0.65)), Image.LANCZOS)
    if kind == "faded":
        return ImageEnhance.Brightness(ImageEnhance.Contrast(image).enhance(0.45)).enhance(1.25)
    if kind == "blur":
        return image.filter(ImageFilter.GaussianBlur(1.1))
    if kind == "tilt":
        angle = random.Random(seed).choice([-2.5, 2.5])
        return image.rotate(angle, expand=True, fillcolor=(255, 255, 255))
    return image  # "jpeg": only the saving below


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="a labelled corpus (labels.jsonl)")
    parser.add_argument("out", type=Path, help="where the degraded copy goes (a new corpus folder)")
    parser.add_argument("--kind", choices=KINDS, required=True)
    parser.add_argument("--match", default="*", help="only files whose path matches, e.g. 'receipts-*/*'")
    args = parser.parse_args(argv)

    from PIL import Image

    from pipeline.evaluate.labels import load_labels

    labelled = {item.file: item for item in load_labels(args.corpus)}
    rows = []
    for line in (args.corpus / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        item = labelled.get(row["file"])
        if item is None or item.split != "study" or not row["file"].lower().endswith(_IMAGES) \
                or not fnmatch.fnmatch(row["file"], args.match):
            continue
        name = str(Path(row["file"]).with_suffix(".jpg"))
        dest = args.out / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        with Image.open(args.corpus / row["file"]) as image:
            degrade(image, args.kind, row["file"]).save(dest, quality=35 if args.kind == "jpeg" else 85)
        rows.append({**row, "file": name})
    (args.out / "labels.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} study-half images degraded ({args.kind}) into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
