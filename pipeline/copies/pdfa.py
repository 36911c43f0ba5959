"""PDF/A-2b identification and colour: the XMP ``pdfaid`` block, the sRGB output intent, and
Ghostscript's conversion for PDFs whose content we did not write ourselves.

A copy built from scanned images holds only what we wrote (images as img2pdf embeds them, the
invisible text layer), so it is made conformant in place: metadata and output intent added,
nothing re-encoded. A PDF that arrived from a scanner or an office program may carry anything
(transparency, unembedded fonts, device colours): Ghostscript's pdfwrite rewrites it as PDF/A-2b.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

import pikepdf

PDFA_FORMAT = "PDF/A-2b"
_ICC_NAME = "sRGB IEC61966-2.1"


class ConversionError(RuntimeError):
    pass


@lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    """An sRGB ICC profile (LittleCMS's, through Pillow): the output intent's colour space."""
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def mark_pdfa(pdf: pikepdf.Pdf, *, title: str, created: dt.datetime) -> None:
    """Add the output intent and the XMP metadata that identify ``pdf`` as PDF/A-2b."""
    icc = pikepdf.Stream(pdf, srgb_profile())
    icc.N = 3
    intent = pikepdf.Dictionary(Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1,
                                OutputConditionIdentifier=pikepdf.String(_ICC_NAME),
                                Info=pikepdf.String(_ICC_NAME), DestOutputProfile=pdf.make_indirect(icc))
    pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])
    for key in ("/OpenAction", "/AA", "/Names"):
        # Never in an archive copy: scripts, automatic actions, attached files (PDF/A-2 forbids
        # the first two; the original keeps whatever it carried).
        if key in pdf.Root:
            del pdf.Root[key]
    stamp = created.astimezone(dt.timezone.utc).isoformat()
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=True) as meta:
        meta["pdfaid:part"] = "2"
        meta["pdfaid:conformance"] = "B"
        meta["dc:title"] = title
        meta["xmp:CreateDate"] = stamp
        meta["xmp:ModifyDate"] = stamp
        meta["xmp:MetadataDate"] = stamp
        meta["pdf:Producer"] = "Archivio"
        meta["xmp:CreatorTool"] = "Archivio"


def ghostscript_pdfa(source: Path, dest: Path, *, timeout: float) -> None:
    """Rewrite ``source`` as PDF/A-2b with Ghostscript's pdfwrite (images passed through where
    it can, fonts embedded, colours to sRGB)."""
    gs = shutil.which("gs")
    if gs is None:
        raise ConversionError("Ghostscript (gs) is not installed; it is needed to make PDF/A copies of PDFs")
    with tempfile.TemporaryDirectory(prefix="archivio-pdfa-") as tmp:
        icc = Path(tmp) / "srgb.icc"
        icc.write_bytes(srgb_profile())
        definition = Path(tmp) / "PDFA_def.ps"
        definition.write_text(_PDFA_DEF.replace("@ICC@", str(icc).replace("\\", "/")), encoding="ascii")
        command = [gs, "-dPDFA=2", "-dBATCH", "-dNOPAUSE", "-dQUIET", "-dSAFER", "-sDEVICE=pdfwrite",
                   "-dPDFACompatibilityPolicy=1", "-dAutoRotatePages=/None", "-sColorConversionStrategy=RGB", "-dPassThroughJPEGImages=true",
                   f"--permit-file-read={tmp}/", f"-sOutputFile={dest}", str(definition), str(source)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout or None, check=False)
        except subprocess.TimeoutExpired:
            raise ConversionError(f"Ghostscript took longer than {timeout:.0f} s") from None
        if done.returncode != 0 or not dest.is_file() or dest.stat().st_size == 0:
            tail = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()[-3:]
            raise ConversionError(f"Ghostscript could not convert the PDF (exit {done.returncode}): {' '.join(tail)}")


# Ghostscript's PDFA_def.ps, reduced to what pdfwrite needs: the sRGB output intent.
_PDFA_DEF = """%!
/ICCProfile (@ICC@) def
[/_objdef {icc_PDFA} /type /stream /OBJ pdfmark
[{icc_PDFA} << /N 3 >> /PUT pdfmark
[{icc_PDFA} ICCProfile (r) file /PUT pdfmark
[/_objdef {OutputIntent_PDFA} /type /dict /OBJ pdfmark
[{OutputIntent_PDFA} <<
  /Type /OutputIntent /S /GTS_PDFA1 /DestOutputProfile {icc_PDFA}
  /OutputConditionIdentifier (sRGB IEC61966-2.1) /Info (sRGB IEC61966-2.1)
>> /PUT pdfmark
[{Catalog} << /OutputIntents [ {OutputIntent_PDFA} ] >> /PUT pdfmark
"""
