"""Generated batches for the distributed-mode tests and bench/scale.py: mostly born-digital PDFs
(read from their text layer, fast), a few scans (OCR), and a long scan whose pages say their
own number, so order and completeness can be checked."""

from __future__ import annotations

import random
from pathlib import Path

from reportlab.lib.pagesizes import A5
from reportlab.pdfgen import canvas

import docgen

MAKERS = [docgen.italian_invoice, docgen.english_receipt, docgen.contract, docgen.english_invoice,
          docgen.italian_receipt, docgen.english_contract]


def batch(folder: Path, count: int, *, scans: int, seed: int = 1800) -> list[Path]:
    """``count`` documents in ``folder``: the first ``scans`` image-only, the rest born-digital."""
    folder.mkdir(parents=True, exist_ok=True)
    work = folder.parent / f".{folder.name}-sources"
    work.mkdir(exist_ok=True)
    out = []
    for n in range(count):
        maker = MAKERS[n % len(MAKERS)]
        if n < scans:
            source = maker(work / f"source-{n:03d}.pdf", seed=seed + n).path
            out.append(docgen.scan_pdf(source, folder / f"a-scan-{n:03d}.pdf", seed=seed + n, dpi=100))
        else:
            out.append(maker(folder / f"doc-{n:03d}.pdf", seed=seed + n).path)
    return out


def long_scan(dest: Path, pages: int, *, seed: int = 4000, dpi: int = 100, pagesize=A5, lines: int = 3) -> Path:
    """An image-only PDF of ``pages`` short pages, each naming its number in words and digits
    (``pagesize`` and ``lines``: smaller pages cost OCR less, where only order and completeness matter)."""
    rng = random.Random(seed)
    source = dest.with_name(f".{dest.stem}-source.pdf")
    c = canvas.Canvas(str(source), pagesize=pagesize)
    w, h = pagesize
    words = ["contratto", "fornitura", "allegato", "clausola", "pagamento", "consegna", "garanzia", "recesso"]
    wide = w > 300  # A5 and larger: the layout bench/scale.py has always measured
    left, top, per_line = (40, 70, 4) if wide else (15, 45, 2)
    for n in range(1, pages + 1):
        c.setFont("Helvetica-Bold", 22)
        c.drawString(left, h - top, f"PAGINA {n}")
        c.setFont("Helvetica", 16)
        for line in range(lines):
            c.drawString(left, h - top - 50 - line * 30, " ".join(rng.choice(words) for _ in range(per_line)))
        c.showPage()
    c.save()
    docgen.scan_pdf(source, dest, seed=seed, dpi=dpi)
    source.unlink()
    return dest
