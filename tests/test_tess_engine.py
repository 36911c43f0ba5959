"""Tesseract kept loaded in the worker (``ocr.engine = "api"``) reads what the ``tesseract``
command reads, record for record, at a process start and a model load less per reading; one
engine serves every page, a stuck reading is abandoned like the command's, and threads reading
on lent cores each have their own engine and really run at once (issue 13)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap
import threading
from dataclasses import replace

import pytest
from PIL import Image

import docgen
from pipeline.config import load_settings
from pipeline.errors import ConfigError, OcrError
from pipeline.text import engine, read_document
from pipeline.text.ocr import OcrOptions, prepare
from test_throughput import LETTER, _scan_with_pages

pytestmark = pytest.mark.ocr

API = OcrOptions(engine="api")


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """A scanned invoice page at 300 dpi, a receipt photographed whole at 120 dpi, and a fax-like
    one-bit page: the kinds of image the pipeline hands Tesseract."""
    root = tmp_path_factory.mktemp("engine")
    invoice = docgen.italian_invoice(root / "fattura.pdf", 7)
    scan = docgen.degrade(docgen.render(invoice.path, 300)[0], seed=7)
    receipt = docgen.italian_receipt(root / "scontrino.pdf", 41)
    with Image.open(docgen.scan_image(receipt.path, root / "scontrino.jpg", 41, dpi=120)) as photo:
        slip = prepare(photo)
    fax = docgen.render(invoice.path, 200)[0].point(lambda v: 255 if v > 150 else 0).convert("1")
    return {"scan": scan, "slip": slip, "fax": fax}


@pytest.fixture
def fresh(monkeypatch):
    """No engine left over from other tests; the engines made here, counted."""
    engine._forget_engines()
    made = []
    real = engine._new_engine

    def new_engine(languages, dictionaries):
        made.append(languages)
        return real(languages, dictionaries)

    monkeypatch.setattr(engine, "_new_engine", new_engine)
    yield made
    engine._forget_engines()


def _records(data: dict) -> list[tuple]:
    return [tuple(float(data[c][i]) if c == "conf" else data[c][i] for c in engine.COLUMNS)
            for i in range(len(data["text"]))]


@pytest.mark.parametrize(("image", "options"), [
    ("scan", OcrOptions(psm=3)),
    ("slip", OcrOptions(psm=6)),
    ("slip", OcrOptions(psm=4, threshold="sauvola", dictionaries=False)),
    ("fax", OcrOptions(psm=3)),
])
def test_the_engine_reads_the_records_the_command_reads(pages, fresh, image, options):
    command = engine.image_to_data(pages[image].copy(), replace(options, engine="cli"), 1)
    kept = engine.image_to_data(pages[image], replace(options, engine="api"), 1)
    assert len([t for t in command["text"] if t.strip()]) > 20
    assert _records(kept) == _records(command)  # words, boxes, confidences, block/line numbers


def test_orientation_is_found_as_the_command_finds_it(pages, fresh):
    for turn in (90, 180):
        turned = pages["scan"].rotate(turn, expand=True)  # counter-clockwise: turn it back clockwise
        assert engine.image_to_osd(turned, API) == engine.image_to_osd(turned.copy(), replace(API, engine="cli"))
        assert engine.image_to_osd(turned, API)[0] == turn
    assert engine.image_to_osd(Image.new("L", (800, 800), 255), API) is None  # nothing to tell


@pytest.mark.slow
def test_one_engine_serves_every_page_and_keeps_nothing_from_one_page_to_the_next(settings, tmp_path, fresh):
    scan = _scan_with_pages(tmp_path, [LETTER, LETTER[::-1]])
    kept = read_document(scan, settings.ocr, max_pages=5)
    assert fresh == ["ita+eng"]  # one model load for both pages
    # Page 2, read by the engine that read page 1, is what a fresh command reads.
    command = read_document(scan, settings.ocr.model_copy(update={"engine": "cli"}), max_pages=5)
    assert [p.words for p in command.pages] == [p.words for p in kept.pages]
    assert "Bologna" in kept.text


def _noise(side: int) -> Image.Image:
    return Image.frombytes("L", (side, side), random.Random(3).randbytes(side * side))


def test_a_reading_past_its_deadline_is_abandoned_and_its_engine_not_used_again(pages, fresh):
    with pytest.raises(OcrError, match=r"timed out on page 4 .*ocr\.page_timeout"):
        engine.image_to_data(_noise(1200), replace(API, timeout=0.01), 4)
    assert engine._free[("ita+eng", True)] == []  # ended, not put back
    data = engine.image_to_data(pages["slip"], API, 1)  # a new engine reads the next page
    assert len([t for t in data["text"] if t.strip()]) > 20
    assert fresh == ["ita+eng", "ita+eng"]


def test_a_page_past_its_deadline_comes_back_empty_with_the_reason(settings, tmp_path, fresh):
    scan = tmp_path / "noise.pdf"
    # Noise on a sheet of paper: a page of noise alone is known for no writing and never read.
    sheet = Image.new("L", (1600, 1600), 255)
    sheet.paste(_noise(1200), (200, 200))
    sheet.save(scan, "PDF", resolution=300)
    ocr = settings.ocr.model_copy(update={"page_timeout": 0.01, "fix_orientation": False})
    page = read_document(scan, ocr, max_pages=5).pages[0]
    assert page.words == [] and page.method == "empty"
    assert "timed out" in page.warnings[0]


def test_readings_on_lent_cores_each_take_their_own_engine_and_run_at_once(pages, fresh):
    """The scan reader's threads (pdf._Readers) read at once only if Tesseract lets go of
    Python's lock: a Python thread must keep running while a reading is in progress."""
    results, start = {}, threading.Barrier(2)

    def read(name):
        start.wait()
        results[name] = _records(engine.image_to_data(pages["slip"], API, 1))

    readers = [threading.Thread(target=read, args=(n,)) for n in ("a", "b")]
    for t in readers:
        t.start()
    for t in readers:
        t.join()
    assert results["a"] == results["b"]
    assert fresh == ["ita+eng", "ita+eng"]  # the second thread did not wait for the first's engine
    engine.image_to_data(pages["fax"], API, 1)
    assert len(fresh) == 2  # both given back and reused

    ticks, reading = [0], threading.Event()

    def spin():
        reading.wait()
        while reading.is_set():
            ticks[0] += 1

    spinner = threading.Thread(target=spin)
    spinner.start()
    reading.set()
    try:
        engine.image_to_data(pages["fax"], API, 1)
    finally:
        reading.clear()
        spinner.join()
    assert ticks[0] > 10_000


def test_the_fork_server_loads_no_engine_and_a_forked_child_makes_its_own(pages, fresh):
    # OpenMP reads OMP_THREAD_LIMIT when it is loaded: loaded before the worker sets it, each
    # reading ran four threads spinning for 3.5 times the CPU (measured, issue 13).
    probe = ("import sys, pipeline.preload; "
             "print('tesserocr' in sys.modules, any('gomp' in line for line in open('/proc/self/maps')))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False False", out.stderr

    engine.image_to_data(pages["slip"], API, 1)
    assert engine._free[("ita+eng", True)]
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        os.write(write, str(sum(map(len, engine._free.values()))).encode())
        os._exit(0)
    os.close(write)
    inherited = os.read(read, 16)
    os.waitpid(child, 0)
    os.close(read)
    assert inherited == b"0"


def test_without_tesserocr_the_command_reads(pages, fresh, monkeypatch):
    monkeypatch.setitem(sys.modules, "tesserocr", None)  # import fails
    calls = []
    real = engine._cli_data
    monkeypatch.setattr(engine, "_cli_data", lambda *a: calls.append(1) or real(*a))
    engine.image_to_data(pages["slip"], API, 1)
    assert calls == [1] and fresh == []


def test_the_engine_is_a_setting(tmp_path):
    assert load_settings(env={}, cwd=tmp_path).ocr.engine == "api"
    assert load_settings(env={"ARCHIVIO_OCR_ENGINE": "cli"}, cwd=tmp_path).ocr.engine == "cli"
    with pytest.raises(ConfigError, match="engine"):
        load_settings(env={"ARCHIVIO_OCR_ENGINE": "gpu"}, cwd=tmp_path)


def test_leptonicas_complaints_stay_out_of_the_workers_output():
    """The command's stderr was pytesseract's; in process, Leptonica would print into the
    progress bar and the log ("Error in boxClipToRectangle" on some receipt photos)."""
    probe = textwrap.dedent("""
        import ctypes, sys
        from pipeline.text import engine
        if sys.argv[1] == "engine":
            engine._new_engine("eng", True)
        else:
            import tesserocr  # the library loaded, no engine made
        for path in {l.split()[-1] for l in open("/proc/self/maps") if "lept" in l.rsplit("/", 1)[-1]}:
            lib = ctypes.CDLL(path)
            lib.boxCreate.restype = ctypes.c_void_p
            lib.boxClipToRectangle(ctypes.c_void_p(lib.boxCreate(5000, 5000, 10, 10)), 100, 100)
    """)
    said = {}
    for case in ("library", "engine"):
        out = subprocess.run([sys.executable, "-c", probe, case], capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        said[case] = out.stderr
    assert "boxClipToRectangle" in said["library"]  # the probe does provoke a complaint
    assert said["engine"] == ""


def test_the_engine_is_the_systems_tesseract():
    """scripts/setup builds tesserocr against the system's libtesseract; the PyPI wheel bundles
    another version (5.5.4 against the command's 5.3.0 here), which read 12 % of a receipt
    photo's words differently and the dev corpus's receipt totals and dates worse (issue 13)."""
    import tesserocr

    command = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, timeout=60).stdout
    assert tesserocr.tesseract_version().split()[:2] == command.split()[:2]


def test_a_tesserocr_without_its_own_data_reads_the_commands(monkeypatch):
    """The tesserocr wheel looks for its language data in "./" and brings none: the engine then
    reads the files the command reads (the system's ita/eng/osd)."""
    import tesserocr

    listing = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=60).stdout
    commands = listing.splitlines()[0].split('"')[1]
    monkeypatch.delenv("TESSDATA_PREFIX", raising=False)
    monkeypatch.setattr(tesserocr, "get_languages", lambda *a: ("./", []))
    engine._tessdata.cache_clear()
    try:
        assert engine._tessdata() == commands
        monkeypatch.setenv("TESSDATA_PREFIX", "/elsewhere/tessdata")
        engine._tessdata.cache_clear()
        assert engine._tessdata() == "/elsewhere/tessdata"
    finally:
        engine._tessdata.cache_clear()
