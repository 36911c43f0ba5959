"""Archive copies: every scan gets a PDF/A-2b copy whose invisible text is the words Archivio
read, where they are printed. Checked with veraPDF (the PDF Association's validator), with
pikepdf for what a PDF/A must carry, and with pdfplumber for the text layer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from docgen import contract, italian_invoice, scan_image, scan_pdf
from pipeline.copies import CopyError, build_copy, wants_copy
from pipeline.process import read_pages
from pipeline.records import Page, Word
from pipeline.store import Archive, LocalStore
from pipeline.store.archive import copy_key, original_key
from support import make_settings

NOW = dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> dict[str, tuple[Path, str, list[Page], Path]]:
    """Each kind of scan, read once (real Tesseract), with its copy built."""
    root = tmp_path_factory.mktemp("copies")
    # Orientation detection (a second Tesseract pass) only where the test needs it: the scan upside down.
    plain = make_settings(root, **{"ocr.dpi": 150, "ocr.fix_orientation": False})
    turning = make_settings(root, **{"ocr.dpi": 150})
    invoice = italian_invoice(root / "fattura.pdf", seed=1601)
    agreement = contract(root / "contratto.pdf", seed=1602)
    files = {
        "png": scan_image(invoice.path, root / "fattura.png", seed=1, dpi=150),
        "pdf-upside-down": scan_pdf(invoice.path, root / "fattura-capovolta.pdf", seed=2, dpi=150, upside_down=True),
        "jpeg-exif": scan_image(invoice.path, root / "fattura.jpg", seed=3, dpi=150, exif_rotate=True),
        "tiff-2-pages": scan_image(agreement.path, root / "contratto.tiff", seed=4, dpi=150),
    }
    out = {}
    for kind, path in files.items():
        media_type, pages = read_pages(path, turning if kind == "pdf-upside-down" else plain)
        copy = root / f"{kind}.copy.pdf"
        build_copy(path, media_type, pages, copy, title=path.name, created=NOW, timeout=60)
        out[kind] = (path, media_type, pages, copy)
    return out


pytestmark = [pytest.mark.ocr, pytest.mark.slow]


def test_every_copy_is_valid_pdfa_2b_for_verapdf(scans, verapdf):
    copies = [copy for _, _, _, copy in scans.values()]
    verdicts = verapdf.validate(copies, "2b")
    bad = {p.name: v.failures for p, v in verdicts.items() if not v.compliant}
    assert not bad, bad


def test_every_copy_carries_what_pdfa_asks_for(scans):
    for kind, (_, _, pages, copy) in scans.items():
        with pikepdf.open(copy) as pdf:
            assert not pdf.is_encrypted
            meta = pdf.open_metadata()
            assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("2", "B"), kind
            intents = pdf.Root.OutputIntents
            assert intents[0].S == "/GTS_PDFA1" and len(bytes(intents[0].DestOutputProfile.read_bytes())) > 100
            assert "/OpenAction" not in pdf.Root and "/Names" not in pdf.Root and "/AA" not in pdf.Root
            assert len(pdf.pages) == len(pages), kind
            fonts = [f for page in pdf.pages for f in (page.Resources.get("/Font") or {}).values()]
            assert fonts, f"{kind}: no text layer font"
            for font in fonts:
                descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = descendant.FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), f"{kind}: font not embedded"


def _overlap(a, b) -> float:
    """Intersection over the smaller box."""
    x0, y0, x1, y1 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    if x1 <= x0 or y1 <= y0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return (x1 - x0) * (y1 - y0) / smaller if smaller > 0 else 0.0


def test_the_text_layer_holds_the_words_ocr_read_where_they_are_printed(scans):
    for kind, (_, _, pages, copy) in scans.items():
        with pdfplumber.open(copy) as pdf:
            for page, pdf_page in zip(pages, pdf.pages):
                # pdfplumber reports boxes on the page as shown (its /Rotate applied), like OCR's.
                sx, sy = float(pdf_page.width) / page.width, float(pdf_page.height) / page.height
                layer = pdf_page.extract_words(x_tolerance=1.5)
                wanted = [w for w in page.words if w.conf >= 60 and len(w.text) >= 3]
                assert len(wanted) >= 10, f"{kind}: too little was read to judge"
                found = 0
                for word in wanted:
                    box = (word.x0 * sx, word.y0 * sy, word.x1 * sx, word.y1 * sy)
                    if any(w["text"] == word.text and _overlap(box, (w["x0"], w["top"], w["x1"], w["bottom"])) > 0.5
                           for w in layer):
                        found += 1
                assert found / len(wanted) >= 0.95, f"{kind} page {page.number}: {found}/{len(wanted)} words in place"


def test_the_copy_shows_the_page_upright_when_ocr_turned_it(scans):
    _, _, pages, copy = scans["pdf-upside-down"]
    assert pages[0].rotation == 180
    with pdfplumber.open(copy) as pdf:
        words = pdf.pages[0].extract_words()
    # The seller's name is printed at the top: upright, the text layer has it in the top quarter.
    assert min(w["top"] for w in words) < float(pdf.pages[0].height) * 0.25
    text = " ".join(w["text"] for w in words)
    assert "FATTURA" in text


def test_born_digital_pdfs_are_kept_as_they_are_unless_asked(tmp_path):
    text_page = Page(number=1, width=595, height=842, words=[Word("Fattura", 10, 10, 60, 20)], method="text")
    ocr_page = Page(number=2, width=1240, height=1754, words=[], method="ocr")
    assert not wants_copy("application/pdf", [text_page], born_digital=False)
    assert wants_copy("application/pdf", [text_page], born_digital=True)
    assert wants_copy("application/pdf", [text_page, ocr_page], born_digital=False)
    assert wants_copy("image/png", [ocr_page], born_digital=False)


def test_a_born_digital_pdf_converted_on_request_is_valid_pdfa_and_keeps_its_text(tmp_path, verapdf):
    invoice = italian_invoice(tmp_path / "fattura.pdf", seed=1603)
    settings = make_settings(tmp_path)
    media_type, pages = read_pages(invoice.path, settings)  # text layer: no OCR
    copy = tmp_path / "copy.pdf"
    build_copy(invoice.path, media_type, pages, copy, title="fattura.pdf", created=NOW, timeout=60)
    assert verapdf.validate([copy])[copy].compliant
    with pdfplumber.open(copy) as pdf:
        assert "Imponibile" in pdf.pages[0].extract_text()


def test_a_damaged_file_gives_a_copy_error_not_a_crash(tmp_path):
    broken = tmp_path / "rotto.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    page = Page(number=1, width=100, height=100, words=[Word("x", 1, 1, 5, 5)], method="ocr")
    with pytest.raises(CopyError):
        build_copy(broken, "image/png", [page], tmp_path / "out.pdf", title="rotto.png", created=NOW)


@pytest.fixture(params=["local", "s3"])
def copy_store(request, tmp_path):
    """The embedded folder, and a real S3 bucket with Object Lock (SeaweedFS)."""
    if request.param == "local":
        return LocalStore(tmp_path / "store")
    from pipeline.store import open_store

    server = request.getfixturevalue("s3_server")
    settings = server.settings(tmp_path, request.getfixturevalue("locked_bucket"),
                               request.getfixturevalue("s3_prefix"))
    return open_store(settings)


def test_legal_hold_and_retention_reach_the_archive_copies(tmp_path, copy_store):
    import hashlib

    from pipeline.errors import RetentionLockedError
    from pipeline.store import Retention

    store = copy_store
    archive = Archive(store)
    original = tmp_path / "o.bin"
    original.write_bytes(b"scan")
    sha = hashlib.sha256(b"scan").hexdigest()
    store.put_file(original_key(sha), original, sha256=sha)
    copy = tmp_path / "c.pdf"
    copy.write_bytes(b"%PDF-1.7 copy")
    copy_sha = hashlib.sha256(copy.read_bytes()).hexdigest()
    for doc_id in (sha, f"{sha}-1"):
        archive.file_copy(doc_id, copy, sha256=copy_sha, metadata={}, retention=None)
    # An e-invoice's rendering is a copy too (under copies/): held and kept with its original.
    rendering = archive.file_rendering(sha, b"<html>FT-1</html>", media_type="text/html; charset=utf-8",
                                       format="HTML", retention=None)
    copies = [copy_key(sha), copy_key(f"{sha}-1"), rendering.key]
    assert sorted(archive.copy_keys(sha)) == sorted(copies)
    archive.set_legal_hold(sha, True)
    for key in copies:
        assert store.info(key).legal_hold, key
        with pytest.raises(RetentionLockedError):
            store.delete(key)
    archive.set_legal_hold(sha, False)
    assert not store.info(copy_key(sha)).legal_hold and not store.info(rendering.key).legal_hold
    until = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) + dt.timedelta(days=1)
    archive.set_retention(sha, Retention("GOVERNANCE", until))
    for key in (original_key(sha), *copies):
        assert store.info(key).retention.until == until, key
        with pytest.raises(RetentionLockedError):
            store.delete(key)
    # Filed with a retention, the rendering has it from the start; filed again, it is kept as it was.
    other_sha = hashlib.sha256(b"other").hexdigest()
    filed = archive.file_rendering(other_sha, b"<html>x</html>", media_type="text/html", format="HTML",
                                   retention=Retention("GOVERNANCE", until))
    assert store.info(filed.key).retention.until == until
    again = archive.file_rendering(other_sha, b"<html>changed</html>", media_type="text/html", format="HTML",
                                   retention=None)
    assert again.sha256 == filed.sha256 == hashlib.sha256(b"<html>x</html>").hexdigest()
    # Filed again (a job re-run after a crash): the copy already there is kept, not overwritten.
    other = tmp_path / "d.pdf"
    other.write_bytes(b"%PDF-1.7 another")
    info = archive.file_copy(sha, other, sha256=hashlib.sha256(other.read_bytes()).hexdigest(), metadata={},
                             retention=None)
    assert info.sha256 == copy_sha
