"""A batch of scans read at the pace of the cores: the largest file first (the batch does not end
on one worker reading a long scan alone), and the separator look's PATCH T search cheaper with the
same answer."""

from __future__ import annotations

import random
import sqlite3

import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw

from docgen import degrade, render
from gen_stacks import separator_sheet
from pipeline.cli import cli
from pipeline.service import largest_first
from pipeline.split.separators import _patch_pattern, has_patch_t


# -- largest first ---------------------------------------------------------------------------
def test_largest_first_orders_by_size_and_keeps_the_order_of_equal_sizes(tmp_path):
    sizes = {"a": 10, "b": 300, "c": 10, "d": 40, "e": 300}
    items = []
    for name, size in sizes.items():
        (tmp_path / name).write_bytes(b"x" * size)
        items.append((tmp_path / name, None))
    items.append((tmp_path / "gone", None))  # vanished since it was listed: intake says so, last
    assert [p.name for p, _ in largest_first(items)] == ["b", "e", "d", "a", "c", "gone"]


def test_ingest_takes_a_batch_in_largest_first(tmp_path, monkeypatch):
    from reportlab.pdfgen import canvas

    src = tmp_path / "src"
    src.mkdir()
    lines = {"1-short.pdf": 2, "2-long.pdf": 60, "3-middle.pdf": 20}
    for name, count in lines.items():
        page = canvas.Canvas(str(src / name))
        for i in range(count):
            page.drawString(72, 800 - 12 * i, f"Riga {i} del documento {name}: testo di prova per la dimensione")
        page.showPage()
        page.save()
    for var in ("INBOX", "PROCESSED", "QUARANTINE", "DUPLICATES", "DATA"):
        monkeypatch.setenv(f"ARCHIVIO_PATHS_{var}", str(tmp_path / var.lower()))
    result = CliRunner().invoke(cli, ["ingest", "-j", "1", str(src)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    journal = next((tmp_path / "data").rglob("journal*.sqlite*"))
    with sqlite3.connect(journal) as db:
        taken = [row[0] for row in db.execute("SELECT filename FROM jobs ORDER BY id")]
    assert taken == ["2-long.pdf", "3-middle.pdf", "1-short.pdf"]


# -- PATCH T: lines sampled, same answer as every line searched ----------------------------------
def _every_line(bw: Image.Image, dpi: float) -> bool:
    """The search as it was: every scan line, counting the run of lines that cross the bars."""
    mm = dpi / 25.4
    pattern = _patch_pattern(round(2.03 * mm, 1), round(5.08 * mm, 1))
    step = max(1, round(mm))
    width, height = bw.size
    data = bw.tobytes()
    needed = 19 * mm / step
    run = 0
    for y in range(0, height, step):
        if pattern.search(data, y * width, (y + 1) * width):
            run += 1
            if run >= needed:
                return True
        else:
            run = 0
    return False


def _reference(image: Image.Image, dpi: float) -> bool:
    from PIL import ImageOps

    bw = ImageOps.autocontrast(image).point(lambda v: 0 if v < 128 else 255)
    return _every_line(bw, dpi) or _every_line(bw.transpose(Image.Transpose.ROTATE_90), dpi)


def _bars(dpi: int, top_mm: float, length_mm: float, *, gaps: int = 1, turned: bool = False) -> Image.Image:
    """A page with PATCH T bars ``length_mm`` long from ``top_mm`` down, cut by ``gaps`` white
    lines (a scratch, a fold) spread along them."""
    px = dpi / 25.4
    page = Image.new("L", (round(210 * px), round(297 * px)), 255)
    draw = ImageDraw.Draw(page)
    x = round(80 * px)
    for bar in "NWNW":
        size = (5.08 if bar == "W" else 2.03) * px
        draw.rectangle([x, round(top_mm * px), round(x + size) - 1, round((top_mm + length_mm) * px)], fill=0)
        x = round(x + size + 2.03 * px)
    for i in range(1, gaps):
        y = round((top_mm + length_mm * i / gaps) * px)
        draw.line([0, y, page.width, y], fill=255, width=max(1, round(px / 2)))
    return page.transpose(Image.Transpose.ROTATE_90) if turned else page


@pytest.mark.parametrize("dpi", [100, 150])
def test_patch_t_bars_near_the_length_limit_are_judged_as_by_every_line(dpi):
    rng = random.Random(dpi)
    cases = [_bars(dpi, rng.uniform(0, 200), rng.uniform(15, 24), gaps=rng.choice([1, 1, 2, 3]),
                   turned=rng.random() < 0.3) for _ in range(40)]
    cases += [_bars(dpi, 0, 60), _bars(dpi, 297 - 19.5, 19.5), _bars(dpi, 297 - 18, 18)]  # at the page's edges
    answers = [has_patch_t(page, dpi) for page in cases]
    assert answers == [_reference(page, dpi) for page in cases]
    assert True in answers and False in answers  # both sides of the limit were tried


def test_separator_sheets_and_scanned_text_are_judged_as_by_every_line(tmp_path):
    from docgen import italian_invoice

    text = render(italian_invoice(tmp_path / "f.pdf", seed=5).path, 100)
    pages = [degrade(separator_sheet(kind, 100), i, angle=0.4) for i, kind in enumerate(["patch_t", "code128", "qr"])]
    pages += [degrade(page, 9, angle=0.3) for page in text]
    answers = [has_patch_t(page, 100) for page in pages]
    assert answers == [_reference(page, 100) for page in pages]
    assert answers[0] is True and not any(answers[1:])
