"""Speed without changing results: text-layer words as pdfplumber reads them, a CLI that imports
only the command it runs."""

from __future__ import annotations

import contextlib
import importlib
import subprocess
import sys
from collections import Counter

import pdfplumber
import pypdfium2 as pdfium
import pytest
from reportlab.lib.pagesizes import A4
from PIL import Image
from reportlab.pdfgen import canvas

from docgen import contract, english_invoice, german_invoice, italian_invoice
from pipeline.text.pdfwords import read_layer


def _plumber_words(path):
    with pdfplumber.open(path) as pdf:
        return [[(w["text"], w["x0"], w["top"], w["x1"], w["bottom"]) for w in page.extract_words()]
                for page in pdf.pages]


def _pdfium_words(path):
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [[(w.text, w.x0, w.y0, w.x1, w.y1) for w in read_layer(pdf[i]).words] for i in range(len(pdf))]
    finally:
        pdf.close()


def _same(expected, got):
    assert len(expected) == len(got)
    for want, have in zip(expected, got):
        assert Counter(w[0] for w in have) == Counter(w[0] for w in want)
        # pdfminer has no width for "€" in the standard fonts' metrics, so what follows it on
        # the line sits 7 pt too far left; PDFium places it where it is drawn. Those lines are
        # compared by their words only.
        euro_lines = {round(w[2]) for w in want if "€" in w[0]}
        for a, b in zip(sorted(want), sorted(have)):
            if round(a[2]) in euro_lines:
                continue
            # The descent of the 14 standard fonts comes from PDFium's metrics, a fraction of a
            # point from pdfminer's: far below the 3 pt that separates lines.
            assert a[1:] == pytest.approx(b[1:], abs=1.0), (a, b)


@pytest.mark.parametrize("make", [italian_invoice, english_invoice, german_invoice, contract])
def test_text_layer_words_and_boxes_are_pdfplumbers(make, tmp_path):
    doc = make(tmp_path / "d.pdf", seed=31)
    _same(_plumber_words(doc.path), _pdfium_words(doc.path))


def test_words_split_at_spaces_gaps_and_lines_like_pdfplumber(tmp_path):
    """Scaled text, a space narrower than the gap tolerance, a wide gap without a space, a
    size change inside a word, a line-ending hyphen, a mediabox not at the origin."""
    path = tmp_path / "layout.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    c.drawString(72, 760, "1. Duties of the Consultant")
    text = c.beginText(72, 740)
    text.setFont("Helvetica", 13)
    text.setHorizScale(60)
    text.textLine("Totale: 1.234,56 EUR")
    c.drawText(text)
    c.drawString(72, 720, "Importo")
    c.drawString(130, 720, "99,00")
    c.setFont("Helvetica", 12)
    c.drawString(72, 700, "P")
    c.setFont("Helvetica", 9)
    c.drawString(80, 700, "AUL ROSSI twenty-")
    c.drawString(72, 689, "five")
    c.showPage()
    c.setPageSize((400, 300))
    c.setFont("Times-Roman", 11)
    c.drawString(20, 250, "Second page, other size")
    c.save()
    _same(_plumber_words(path), _pdfium_words(path))


def test_a_page_without_unicode_text_counts_no_real_characters(tmp_path):
    path = tmp_path / "blank.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.rect(50, 50, 100, 100)
    c.save()
    pdf = pdfium.PdfDocument(str(path))
    try:
        layer = read_layer(pdf[0])
    finally:
        pdf.close()
    assert layer.real_chars == 0 and layer.words == []


# -- CLI start-up -------------------------------------------------------------------------------
def test_every_command_is_mapped_to_the_module_that_defines_it():
    main = sys.modules["pipeline.cli.main"] if "pipeline.cli.main" in sys.modules else importlib.import_module(
        "pipeline.cli.main")
    from pipeline.cli import cli

    for module in set(cli.modules.values()):
        importlib.import_module(f"pipeline.cli.{module}")
    defined = {name: command.callback.__module__.rsplit(".", 1)[-1] for name, command in cli.commands.items()}
    assert defined == cli.modules, "add the new command to cli.modules in pipeline/cli/__init__.py"
    assert main.LazyGroup.modules is cli.modules


def test_search_imports_neither_other_commands_nor_servers(office):
    env = {"ARCHIVIO_PATHS_DATA": str(office / "data"), "ARCHIVIO_PATHS_INBOX": str(office / "inbox"),
           "PATH": "/usr/bin:/bin"}
    probe = ("import sys; from pipeline.cli import main; code = main(['search', 'fattura']); "
             "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
             "('fastapi', 'boto3', 'botocore', 'elasticsearch', 'celery', 'redis', 'pdfplumber', 'pytesseract') "
             "or m in ('pipeline.evaluate', 'pipeline.audit', 'pipeline.export', 'pipeline.process'))))")
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert lines[0] == "no documents found"
    assert lines[1:] == [] or lines[1] == "", f"imported for a search: {lines[1]}"


# -- watch: a file closed by a local writer is ready at once ------------------------------------
@contextlib.contextmanager
def _watching(settings, *, polling: bool):
    from pipeline.watch import InboxWatcher

    settings.watch.settle_seconds = 30.0
    settings.watch.polling = polling
    settings.watch.poll_interval = 0.2
    watcher = InboxWatcher(settings)
    watcher.start()
    try:
        yield watcher
    finally:
        watcher.stop()


def _ready_within(watcher, seconds: float) -> list:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = watcher.ready()
        if found:
            return found
        time.sleep(0.1)
    return []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify's close-write is Linux only")
def test_a_locally_written_and_closed_file_does_not_wait_the_settle_time(settings):
    with _watching(settings, polling=False) as watcher:
        path = settings.paths.inbox / "scan.pdf"
        with open(path, "wb") as out:
            out.write(b"%PDF-1.4\n" * 1000)
            out.flush()
            assert _ready_within(watcher, 1.5) == []  # still open: the settle time applies
        assert _ready_within(watcher, 5) == [path]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify's close-write is Linux only")
def test_a_write_after_the_close_waits_the_settle_time_again(settings):
    with _watching(settings, polling=False) as watcher:
        path = settings.paths.inbox / "scan.pdf"
        path.write_bytes(b"first part")
        watcher.tracker.closed(path)  # as inotify reported it; then the writer comes back
        with open(path, "ab") as out:
            out.write(b" and more")
            out.flush()
            assert _ready_within(watcher, 1.5) == []  # still writing


def test_polling_keeps_the_settle_time(settings):
    with _watching(settings, polling=True) as watcher:
        (settings.paths.inbox / "scan.pdf").write_bytes(b"%PDF-1.4\n")
        assert _ready_within(watcher, 2) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify's close-write is Linux only")
def test_a_file_created_empty_and_closed_still_settles(settings):
    with _watching(settings, polling=False) as watcher:
        path = settings.paths.inbox / "scan.tiff"
        path.touch()  # as Pillow does before it writes
        assert _ready_within(watcher, 1.5) == []


# -- scanned pages: no work Tesseract's own reading would not do --------------------------------
def _scan_with_pages(tmp_path, pages: list[list[str]], *, turn: int = 0):
    """An image-only PDF of printed lines (one list per page), scanned, each page turned ``turn``
    degrees."""
    from PIL import Image

    from docgen import degrade, render

    source = tmp_path / "source.pdf"
    c = canvas.Canvas(str(source), pagesize=A4)
    for lines in pages:
        c.setFont("Helvetica", 12)
        for n, line in enumerate(lines):
            c.drawString(72, 770 - 18 * n, line)
        c.showPage()
    c.save()
    images = [degrade(p, seed=i).rotate(turn, expand=True) for i, p in enumerate(render(source, 300))]
    dest = tmp_path / "scan.pdf"
    images[0].save(dest, "PDF", resolution=300, save_all=True, append_images=images[1:])
    for image in images:
        image.close()
    return dest


LETTER = ["Spettabile Ditta Rossi Forniture S.r.l.", "Oggetto: conferma d'ordine numero 2024/118",
          "Con la presente confermiamo l'ordine dei materiali indicati", "nella vostra offerta del 12 marzo,",
          "con consegna presso il nostro magazzino di Bologna", "entro la fine del mese corrente.",
          "Distinti saluti, l'ufficio acquisti"]


def test_blank_page_is_not_ocred_and_a_short_line_is_not_blank(tmp_path):
    from docgen import degrade, render
    from pipeline.text.blank import is_blank

    short = _scan_with_pages(tmp_path, [["Pagina 2 di 3"]])
    page = render(short, 300)[0]
    assert not is_blank(page)
    white = degrade(page.point(lambda v: 255), seed=1)
    assert is_blank(white)


def test_faint_blurred_print_is_not_blank(tmp_path):
    """A rough scan's last page: a few lines of grey, blurred print that never gets dark."""
    from PIL import ImageFilter

    from docgen import degrade, render
    from pipeline.text.blank import is_blank

    source = _scan_with_pages(tmp_path, [["Imponibile 340,00", "IVA 22% 74,80", "Totale documento 414,80"]])
    faint = render(source, 300)[0].point(lambda v: 100 + v * 155 // 255).filter(ImageFilter.GaussianBlur(1.0))
    assert not is_blank(degrade(faint, seed=2))


@pytest.mark.ocr
def test_scanned_pdf_upright_page_is_read_once_and_blank_page_not_at_all(settings, tmp_path, monkeypatch):
    from pipeline.text import engine, read_document

    calls = []
    for name in ("image_to_data", "image_to_osd"):
        real = getattr(engine, name)
        monkeypatch.setattr(engine, name, lambda *a, _real=real, _name=name, **k: calls.append(_name) or _real(*a, **k))
    scan = _scan_with_pages(tmp_path, [LETTER, []])
    result = read_document(scan, settings.ocr, max_pages=5)
    assert "Bologna" in result.text
    assert result.pages[0].rotation == 0
    assert result.pages[1].words == [] and result.pages[1].method == "ocr"
    assert calls == ["image_to_data"]


@pytest.mark.ocr
def test_tesseract_is_handed_the_page_uncompressed_and_reads_the_same_words(monkeypatch):
    """PNG compression of a 300-dpi page cost about a tenth of its reading; a plain TIFF is the same pixels."""
    import pytesseract
    from PIL import ImageDraw

    from pipeline.text.ocr import OcrOptions, _recognise

    image = Image.new("L", (1400, 300), 255)
    ImageDraw.Draw(image).text((40, 100), "Totale documento 1.234,56 EUR", fill=0, font_size=60)
    png = pytesseract.image_to_data(image.copy(), lang="ita+eng", output_type=pytesseract.Output.DICT)
    handed = []
    real = pytesseract.pytesseract.run_tesseract

    def run_tesseract(input_filename, *args, **kwargs):
        with open(input_filename, "rb") as fh:
            head = fh.read(8)
        with Image.open(input_filename) as written:
            assert written.info.get("compression") == "raw"
        handed.append(head[:2])
        return real(input_filename, *args, **kwargs)

    monkeypatch.setattr(pytesseract.pytesseract, "run_tesseract", run_tesseract)
    words = _recognise(image, 1, OcrOptions(engine="cli"))
    assert handed == [b"II"]  # a plain TIFF, not PNG
    assert [w.text for w in words] == [t for t in png["text"] if t.strip()]


@pytest.mark.ocr
@pytest.mark.slow
def test_scanned_pdf_page_turned_a_quarter_is_still_turned_upright(settings, tmp_path):
    from pipeline.text import read_document

    scan = _scan_with_pages(tmp_path, [LETTER], turn=90)
    page = read_document(scan, settings.ocr, max_pages=5).pages[0]
    assert page.rotation in (90, 270)
    assert "Bologna" in " ".join(w.text for w in page.words)
    assert sum(w.x1 - w.x0 > w.y1 - w.y0 for w in page.words) > 0.8 * len(page.words)


def test_a_command_missing_from_the_map_is_still_found():
    code = ("from pipeline.cli import cli, main; del cli.modules['serve']; "
            "import sys; sys.exit(main(['serve', '--help']))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "Usage" in out.stdout, out.stderr
