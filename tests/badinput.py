"""Bad and hostile inputs, generated: each case makes its file(s) in the inbox and states the
outcome Archivio promises for it. tests/test_bad_input.py drops them all into one running
watcher and checks every promise; the table in the README is this list.
"""

from __future__ import annotations

import io
import os
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from reportlab.lib import pdfencrypt
from reportlab.pdfgen import canvas

from docgen import english_receipt, italian_invoice, render, scan_image, scan_pdf
from gen_fatturapa import fattura, make_signer, sign

QUARANTINED, ARCHIVED, WARNED, DUPLICATE, IGNORED, GONE = (
    "quarantined", "archived", "archived with a warning", "duplicate", "ignored", "gone")


@dataclass
class Case:
    id: str
    what: str
    outcome: str
    detail: str  # words the reason or warning must contain (case-insensitive)
    make: Callable[[Path, Path], list[str]]  # (inbox, scratch) -> names made, relative to the inbox
    live: bool = False  # made while the watcher runs (timing matters)


def _invoice_bytes(scratch: Path, seed: int) -> bytes:
    return italian_invoice(scratch / f"inv-{seed}.pdf", seed=seed).path.read_bytes()


def _put(inbox: Path, name: str, data: bytes) -> list[str]:
    (inbox / name).write_bytes(data)
    return [name]


def _simple_pdf(path: Path, lines: list[str], encrypt=None) -> Path:
    c = canvas.Canvas(str(path), encrypt=encrypt)
    for y, line in zip(range(760, 100, -20), lines):
        c.drawString(72, y, line)
    c.save()
    return path


# -- generators -------------------------------------------------------------------------------
def empty(inbox, scratch):
    return _put(inbox, "vuoto.pdf", b"")


def zero_bytes(inbox, scratch):
    return _put(inbox, "zeri.pdf", b"\x00" * 8192)


def truncated_pdf(inbox, scratch):
    return _put(inbox, "troncato.pdf", _invoice_bytes(scratch, 1)[:700])


def corrupt_xref(inbox, scratch):
    data = _invoice_bytes(scratch, 2)
    cut = data.rfind(b"startxref")
    return _put(inbox, "xref-rotto.pdf", data[:cut] + b"startxref\n999999\n%%EOF\n")


def encrypted_user_password(inbox, scratch):
    _simple_pdf(inbox / "protetto.pdf", ["Fattura riservata"], encrypt=pdfencrypt.StandardEncryption("segreto"))
    return ["protetto.pdf"]


def encrypted_owner_password_only(inbox, scratch):
    enc = pdfencrypt.StandardEncryption("", ownerPassword="padrone", canPrint=1, canCopy=0)
    _simple_pdf(inbox / "solo-proprietario.pdf", ["FATTURA n. 5/A", "Data: 03/02/2024", "Totale documento 122,00"],
                encrypt=enc)
    return ["solo-proprietario.pdf"]


def pdf_with_javascript(inbox, scratch):
    writer = PdfWriter(clone_from=str(italian_invoice(scratch / "js.pdf", seed=3).path))
    writer.add_open_action(JavaScript("app.alert('apri qui');"))
    writer.write(str(inbox / "con-javascript.pdf"))
    return ["con-javascript.pdf"]


def pdf_with_embedded_file(inbox, scratch):
    writer = PdfWriter(clone_from=str(italian_invoice(scratch / "att.pdf", seed=4).path))
    writer.add_attachment("fattura.xml", b"<FatturaElettronica/>")
    writer.write(str(inbox / "con-allegato.pdf"))
    return ["con-allegato.pdf"]


def thousand_pages(inbox, scratch):
    c = canvas.Canvas(str(inbox / "registro-1000-pagine.pdf"))
    for i in range(1000):
        c.drawString(72, 720, f"Registro di protocollo, pagina {i + 1} di 1000: nessuna annotazione.")
        c.showPage()
    c.save()
    return ["registro-1000-pagine.pdf"]


def decompression_bomb(inbox, scratch):
    # 30000 x 30000 pixels of one colour: a few hundred kB that would take 900 MB to decode.
    Image.new("1", (30000, 30000), 1).save(inbox / "bomba.png", optimize=True)
    return ["bomba.png"]


def huge_image(inbox, scratch):
    image = Image.new("1", (20000, 20000), 1)
    image.paste(0, (1000, 1000, 19000, 1200))
    image.save(inbox / "enorme-20000.tif", compression="group4")
    return ["enorme-20000.tif"]


def tiff_with_a_broken_frame(inbox, scratch):
    doc = italian_invoice(scratch / "tif.pdf", seed=5)
    page = render(doc.path, 150)[0]
    path = inbox / "tiff-pagina-rotta.tif"
    page.save(path, "TIFF", save_all=True, append_images=[page.copy()], compression="tiff_lzw")
    # Overwrite the second frame's compressed strips with noise; its directory stays intact.
    with Image.open(path) as image:
        image.seek(1)
        offsets, counts = image.tag_v2[273], image.tag_v2[279]
    data = bytearray(path.read_bytes())
    rng = random.Random(5)
    for i in range(offsets[0], offsets[-1] + counts[-1]):
        data[i] = rng.randrange(256)
    path.write_bytes(bytes(data))
    return ["tiff-pagina-rotta.tif"]


def random_bytes_named_pdf(inbox, scratch):
    return _put(inbox, "casuale.pdf", random.Random(7).randbytes(50_000))


def zip_archive(inbox, scratch):
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("fattura.pdf", _invoice_bytes(scratch, 6))
    return _put(inbox, "fatture.zip", buf.getvalue())


def executable(inbox, scratch):
    return _put(inbox, "setup.exe", b"MZ\x90\x00\x03" + b"\x00" * 2000)


def linux_executable_named_pdf(inbox, scratch):
    return _put(inbox, "programma.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 2000)


def symlink_outside(inbox, scratch):
    secret = scratch / "segreto-fuori.pdf"
    secret.write_bytes(_invoice_bytes(scratch, 8))
    (inbox / "collegamento.pdf").symlink_to(secret)
    return ["collegamento.pdf"]


def name_with_dot_dot(inbox, scratch):
    return _put(inbox, "fattura ..\\..\\etc\\passwd ..%2F..%2F.pdf", _invoice_bytes(scratch, 9))


def name_with_control_characters(inbox, scratch):
    return _put(inbox, "fattura\t\x07\x1b[31mrossa\n.pdf", _invoice_bytes(scratch, 10))


def very_long_name(inbox, scratch):
    return _put(inbox, "fattura-" + "molto-lunga-" * 20 + "x" * (250 - 8 - 12 * 20 - 4) + ".pdf",
                _invoice_bytes(scratch, 11))


def name_not_utf8(inbox, scratch):
    name = os.fsdecode(b"fattura-\xe8\xff-latin1.pdf")
    return _put(inbox, name, _invoice_bytes(scratch, 12))


def pdf_with_no_pages(inbox, scratch):
    PdfWriter().write(str(inbox / "senza-pagine.pdf"))
    return ["senza-pagine.pdf"]


def file_over_the_size_limit(inbox, scratch):
    path = inbox / "gigante.pdf"
    with path.open("wb") as fh:  # sparse: 60 MB on paper, nothing on disk
        fh.write(b"%PDF-1.7\n")
        fh.truncate(60 * 1024 * 1024)
    return ["gigante.pdf"]


def truncated_jpeg(inbox, scratch):
    doc = english_receipt(scratch / "r.pdf", seed=13)
    jpeg = scan_image(doc.path, scratch / "r.jpg", seed=1)
    data = jpeg.read_bytes()
    return _put(inbox, "foto-troncata.jpg", data[: len(data) // 3])


def gif_image(inbox, scratch):
    buf = io.BytesIO()
    Image.new("RGB", (50, 50), "white").save(buf, "GIF")
    return _put(inbox, "logo.gif", buf.getvalue())


def html_named_pdf(inbox, scratch):
    return _put(inbox, "pagina-web.pdf", b"<!doctype html><html><body>Fattura</body></html>")


def png_named_pdf(inbox, scratch):
    doc = italian_invoice(scratch / "png.pdf", seed=14)
    scan_image(doc.path, inbox / "scansione.pdf.png", seed=2)
    os.rename(inbox / "scansione.pdf.png", inbox / "in-realta-png.pdf")
    return ["in-realta-png.pdf"]


def blank_page(inbox, scratch):
    c = canvas.Canvas(str(scratch / "blank.pdf"))
    c.showPage()
    c.save()
    scan_pdf(scratch / "blank.pdf", inbox / "pagina-bianca.pdf", seed=3)
    return ["pagina-bianca.pdf"]


def upside_down_page(inbox, scratch):
    doc = italian_invoice(scratch / "up.pdf", seed=15)
    scan_pdf(doc.path, inbox / "capovolta.pdf", seed=4, upside_down=True)
    return ["capovolta.pdf"]


def photo_of_nothing(inbox, scratch):
    noise = Image.effect_noise((1600, 1200), 60).convert("RGB")
    noise.save(inbox / "foto-del-nulla.jpg", quality=85)
    return ["foto-del-nulla.jpg"]


def temporary_and_lock_files(inbox, scratch):
    names = ["~$fattura.pdf", "scansione.pdf.tmp", ".~lock.fattura.pdf#", ".nascosto.pdf", "copia.pdf.part"]
    data = _invoice_bytes(scratch, 16)
    for name in names:
        (inbox / name).write_bytes(data)
    return names


def same_content_under_two_names(inbox, scratch):
    data = _invoice_bytes(scratch, 17)
    (inbox / "originale.pdf").write_bytes(data)
    (inbox / "copia-di-originale.pdf").write_bytes(data)
    return ["originale.pdf", "copia-di-originale.pdf"]


# -- live cases: they need the watcher running ----------------------------------------------
# A file closed after writing is complete (Linux says so: close-write) and taken at once; one that
# has not settled is one its writer still holds open, so these two change it before closing it.
def removed_before_taken(inbox, scratch):
    path = inbox / "ripensamento.pdf"
    with path.open("wb") as fh:
        fh.write(_invoice_bytes(scratch, 18))
        fh.flush()
        time.sleep(0.3)  # well within the settle time
        path.unlink()
    return ["ripensamento.pdf"]


def renamed_before_taken(inbox, scratch):
    path = inbox / "bozza.pdf"
    with path.open("wb") as fh:
        fh.write(_invoice_bytes(scratch, 19))
        fh.flush()
        time.sleep(0.3)
        path.rename(inbox / "definitiva.pdf")
    return ["definitiva.pdf"]


def written_slowly(inbox, scratch):
    data = _invoice_bytes(scratch, 20)

    def writer():
        with (inbox / "copia-lenta.pdf").open("wb") as fh:
            step = max(1, len(data) // 6)
            for start in range(0, len(data), step):
                fh.write(data[start:start + step])
                fh.flush()
                time.sleep(0.6)

    thread = threading.Thread(target=writer)
    thread.start()
    thread.join()
    return ["copia-lenta.pdf"]


def same_name_twice(inbox, scratch):
    """Two different documents dropped one after the other under the same name."""
    (inbox / "stesso-nome.pdf").write_bytes(_invoice_bytes(scratch, 21))
    deadline = time.monotonic() + 120
    while (inbox / "stesso-nome.pdf").exists() and time.monotonic() < deadline:
        time.sleep(0.3)
    (inbox / "stesso-nome.pdf").write_bytes(_invoice_bytes(scratch, 22))
    return ["stesso-nome.pdf"]


# -- e-invoices (FatturaPA XML, .p7m) ------------------------------------------------------------
def xml_not_fatturapa(inbox, scratch):
    return _put(inbox, "ordine.xml", b"<?xml version='1.0'?><ordine><cliente>Bianchi</cliente></ordine>")


def xml_malformed(inbox, scratch):
    return _put(inbox, "fattura-rotta.xml", fattura()[:-40])


def xml_external_entity(inbox, scratch):
    return _put(inbox, "fattura-xxe.xml", b"""<?xml version="1.0"?><!DOCTYPE f [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<FatturaElettronica><FatturaElettronicaBody>&x;</FatturaElettronicaBody></FatturaElettronica>""")


def xml_billion_laughs(inbox, scratch):
    entities = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    return _put(inbox, "fattura-bomba.xml", (f'<?xml version="1.0"?><!DOCTYPE b [<!ENTITY l0 "ha">{entities}]>'
                                             "<FatturaElettronica>&l9;</FatturaElettronica>").encode())


def p7m_of_a_pdf(inbox, scratch):
    return _put(inbox, "fattura-firmata.pdf.p7m", sign(_invoice_bytes(scratch, 61), make_signer()))


def p7m_truncated(inbox, scratch):
    envelope = sign(fattura(), make_signer())
    return _put(inbox, "IT01234567890_tronca.xml.p7m", envelope[: len(envelope) * 2 // 3])


CASES = [
    Case("empty", "empty file (0 bytes)", QUARANTINED, "empty", empty),
    Case("zero-bytes", "file of zero bytes only", QUARANTINED, "zero bytes", zero_bytes),
    Case("truncated-pdf", "PDF cut off after 700 bytes", QUARANTINED, "cannot be opened", truncated_pdf),
    Case("corrupt-xref", "PDF whose cross-reference offset is wrong", ARCHIVED, "", corrupt_xref),
    Case("encrypted-user", "PDF encrypted with a user password", QUARANTINED, "password", encrypted_user_password),
    Case("encrypted-owner", "PDF encrypted with an owner password only (opens without one)", ARCHIVED, "",
         encrypted_owner_password_only),
    Case("javascript", "PDF with JavaScript run on opening", WARNED, "javascript", pdf_with_javascript),
    Case("embedded-file", "PDF carrying an embedded file", WARNED, "embedded file", pdf_with_embedded_file),
    Case("thousand-pages", "1,000-page PDF (read page by page)", ARCHIVED, "", thousand_pages),
    Case("decompression-bomb", "PNG of 30,000 x 30,000 pixels in a few hundred kB", QUARANTINED, "pixels",
         decompression_bomb),
    Case("huge-image", "TIFF of 20,000 x 20,000 pixels", QUARANTINED, "pixels", huge_image),
    Case("tiff-broken-frame", "two-page TIFF whose second frame is damaged", WARNED, "page 2", tiff_with_a_broken_frame),
    Case("random-bytes", "random bytes named .pdf", QUARANTINED, "unsupported file type", random_bytes_named_pdf),
    Case("zip", "a ZIP archive", QUARANTINED, "zip", zip_archive),
    Case("exe", "a Windows executable", QUARANTINED, "executable", executable),
    Case("elf-named-pdf", "a Linux executable named .pdf", QUARANTINED, "executable", linux_executable_named_pdf),
    Case("symlink-outside", "symbolic link pointing outside the inbox", QUARANTINED, "symbolic link", symlink_outside),
    Case("dot-dot-name", "name with ..\\ and ..%2F in it", ARCHIVED, "", name_with_dot_dot),
    Case("control-chars", "name with tab, bell, escape and newline", ARCHIVED, "", name_with_control_characters),
    Case("long-name", "name of 250 bytes", ARCHIVED, "", very_long_name),
    Case("not-utf8-name", "name with bytes that are not UTF-8", ARCHIVED, "", name_not_utf8),
    Case("no-pages", "PDF with no pages", QUARANTINED, "no pages", pdf_with_no_pages),
    Case("over-size-limit", "60 MB file above workers.max_file_mb", QUARANTINED, "more than the limit",
         file_over_the_size_limit),
    Case("truncated-jpeg", "JPEG cut off at a third", QUARANTINED, "cannot be decoded", truncated_jpeg),
    Case("gif", "a GIF image", QUARANTINED, "gif", gif_image),
    Case("html-named-pdf", "an HTML page named .pdf", QUARANTINED, "unsupported file type", html_named_pdf),
    Case("png-named-pdf", "a PNG scan named .pdf", ARCHIVED, "", png_named_pdf),
    Case("blank-page", "scan of a blank page", WARNED, "no text", blank_page),
    Case("upside-down", "scanned invoice upside down", ARCHIVED, "", upside_down_page),
    Case("photo-of-nothing", "photo of noise, no writing", WARNED, "no text", photo_of_nothing),
    Case("temp-and-lock", "Office lock, temporary, partial and hidden files", IGNORED, "", temporary_and_lock_files),
    Case("same-content", "the same content under two names", DUPLICATE, "duplicate", same_content_under_two_names),
    Case("removed-before-taken", "file removed before it settled", GONE, "", removed_before_taken, live=True),
    Case("renamed-before-taken", "file renamed before it settled", ARCHIVED, "", renamed_before_taken, live=True),
    Case("written-slowly", "file written slowly over 4 seconds", ARCHIVED, "", written_slowly, live=True),
    Case("same-name-twice", "two different files dropped under the same name", ARCHIVED, "", same_name_twice,
         live=True),
    Case("xml-not-fatturapa", "XML that is not a FatturaPA e-invoice", WARNED, "not a FatturaPA", xml_not_fatturapa),
    Case("xml-malformed", "FatturaPA XML cut short (malformed)", QUARANTINED, "malformed XML", xml_malformed),
    Case("xml-xxe", "XML with an external entity (XXE)", QUARANTINED, "DTD", xml_external_entity),
    Case("xml-billion-laughs", "XML entity bomb (billion laughs)", QUARANTINED, "DTD", xml_billion_laughs),
    Case("p7m-pdf", "signed .p7m wrapping a PDF", WARNED, "signed content read as application/pdf", p7m_of_a_pdf),
    Case("p7m-truncated", "signed .p7m cut off at two thirds", QUARANTINED, "truncated", p7m_truncated),
]
