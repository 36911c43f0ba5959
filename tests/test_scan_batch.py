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


def test_largest_first_never_follows_a_link(tmp_path):
    # Ordering must not touch what a link points at (outside the inbox): it is sized as the link.
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "big.bin").write_bytes(b"x" * 100_000)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "real.pdf").write_bytes(b"x" * 5_000)
    (inbox / "link.pdf").symlink_to(outside / "big.bin")
    items = [(inbox / "link.pdf", None), (inbox / "real.pdf", None)]
    assert [p.name for p, _ in largest_first(items)] == ["real.pdf", "link.pdf"]


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


# -- the look on the reading's own rendering ------------------------------------------------------
def _looked_on_reading(path, settings, dpi=300):
    import pypdfium2 as pdfium

    from pipeline.split import PageLook

    look = PageLook(settings, dpi)
    pdf = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            look(index + 1, page.render(scale=dpi / 72, grayscale=True).to_pil())
            page.close()
    finally:
        pdf.close()
    return look.survey


@pytest.mark.parametrize("kind", ["code128", "qr", "patch_t"])
def test_the_look_on_the_reading_rendering_finds_what_its_own_rendering_found(tmp_path, kind):
    from gen_stacks import build_stack, invoice_pages
    from pipeline.config import SplitSettings
    from pipeline.split import survey_pages

    a, _ = invoice_pages(tmp_path / "a.pdf", 1, pages=2)
    b, _ = invoice_pages(tmp_path / "b.pdf", 2)
    stack = build_stack(tmp_path / "stack.pdf", [a, b, a], seed=7, dpi=150, separator=kind,
                        duplex_backs=kind == "qr")
    settings = SplitSettings(by_content=True)
    own = survey_pages(stack.path, "application/pdf", settings, max_pages=50)
    looked = _looked_on_reading(stack.path, settings)
    assert (looked.separators, looked.blank) == (own.separators, own.blank)
    assert sorted(looked.separators) == stack.separators and sorted(looked.blank) == stack.backs


@pytest.mark.ocr
def test_a_stack_is_read_once_its_separator_sheet_not_at_all(tmp_path, monkeypatch):
    from gen_stacks import build_stack, invoice_pages
    from pipeline import process
    from pipeline.split import separators
    from pipeline.text import engine
    from support import make_settings

    a, first = invoice_pages(tmp_path / "a.pdf", 11)
    b, second = invoice_pages(tmp_path / "b.pdf", 12)
    stack = build_stack(tmp_path / "stack.pdf", [a, b], seed=3, dpi=150, separator="qr")
    renders, readings = [], []
    real_small, real_read = separators._small_pages, engine.image_to_data
    monkeypatch.setattr(separators, "_small_pages", lambda *a, **k: renders.append(1) or real_small(*a, **k))
    monkeypatch.setattr(engine, "image_to_data", lambda *a, **k: readings.append(1) or real_read(*a, **k))
    settings = make_settings(tmp_path / "office", **{"ocr.fix_orientation": False})
    analysis = process.analyse(stack.path, settings)
    assert renders == [] and len(readings) == 2  # no rendering of its own; the sheet (page 2) not read
    assert [p.analysis.fields["number"].value for p in analysis.derived.parts] == [first, second]
    assert [(p.first, p.last) for p in analysis.derived.parts] == [(1, 1), (3, 3)]
    analysis.derived.discard()
