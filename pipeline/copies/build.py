"""Building the searchable PDF/A copy of a scanned document from the pages Archivio read.

Nothing is read twice: the words come from the ``Page`` list reading produced (OCR boxes in the
pixels of the upright page), the images are the original's own. Scans that arrived as images
are embedded by img2pdf without re-encoding; a scanned PDF keeps its page content, gets the text
layer and is rewritten by Ghostscript as PDF/A-2b.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import tempfile
from pathlib import Path

import img2pdf
import pikepdf
from PIL import Image

from ..records import Page
from ..text.sniff import PDF
from .pdfa import ConversionError, ghostscript_pdfa, mark_pdfa
from .textlayer import FontMissing, add_font, add_text_layer
from .wanted import wants_copy  # noqa: F401 - part of this module's interface

log = logging.getLogger(__name__)


class CopyError(RuntimeError):
    """The copy could not be made; the document is filed without one and says why."""


def build_copy(source: Path, media_type: str, pages: list[Page], dest: Path, *, title: str,
               created: dt.datetime, timeout: float = 0) -> None:
    """Write the PDF/A-2b copy of ``source`` to ``dest``."""
    try:
        if media_type == PDF:
            _from_pdf(source, pages, dest, title=title, created=created, timeout=timeout)
        else:
            _from_image(source, pages, dest, title=title, created=created)
    except (ConversionError, FontMissing) as exc:
        raise CopyError(str(exc)) from None
    except (pikepdf.PdfError, img2pdf.ImageOpenError, OSError, ValueError) as exc:
        raise CopyError(f"{type(exc).__name__}: {exc}") from None


def _from_image(source: Path, pages: list[Page], dest: Path, *, title: str, created: dt.datetime) -> None:
    pdf = pikepdf.open(io.BytesIO(_embed_images(source)))
    with pdf:
        if len(pdf.pages) != len(pages):
            raise CopyError(f"the image has {len(pdf.pages)} frames but {len(pages)} pages were read")
        _add_layers(pdf, pages)
        mark_pdfa(pdf, title=title, created=created)
        pdf.save(dest, fix_metadata_version=False, deterministic_id=False)


def _embed_images(source: Path) -> bytes:
    """The image(s) as PDF pages, losslessly: as they are where PDF can carry them (JPEG, CCITT
    and PNG data pass through), else each frame re-encoded losslessly (alpha flattened on white,
    CMYK to RGB: PDF/A with an sRGB intent allows neither)."""
    with Image.open(source) as image:
        plain = image.mode not in ("CMYK", "RGBA", "LA", "PA", "I;16", "I", "F") and "transparency" not in image.info
    if plain:
        try:
            return img2pdf.convert(str(source), rotation=img2pdf.Rotation.ifvalid)
        except (img2pdf.AlphaChannelError, img2pdf.ImageOpenError, ValueError, Exception) as exc:  # noqa: BLE001
            log.debug("img2pdf refused %s as it is (%s); re-encoding losslessly", source, exc)
    frames: list[bytes] = []
    with Image.open(source) as image:
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            frame = _flatten(image)
            buffer = io.BytesIO()
            frame.save(buffer, "PNG", dpi=image.info.get("dpi", (300, 300)))
            frames.append(buffer.getvalue())
    return img2pdf.convert(frames, rotation=img2pdf.Rotation.ifvalid)


def _flatten(image: Image.Image) -> Image.Image:
    from PIL import ImageOps

    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA", "P") and (image.mode != "P" or "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode in ("1", "L", "RGB", "P"):
        return image.copy()
    if image.mode.startswith("I") or image.mode == "F":
        return image.convert("L")
    return image.convert("RGB")


def _from_pdf(source: Path, pages: list[Page], dest: Path, *, title: str, created: dt.datetime, timeout: float) -> None:
    with tempfile.TemporaryDirectory(prefix="archivio-copy-") as tmp:
        layered = Path(tmp) / "layered.pdf"
        with pikepdf.open(source) as pdf:
            if len(pdf.pages) != len(pages):
                raise CopyError(f"the PDF has {len(pdf.pages)} pages but {len(pages)} were read")
            _add_layers(pdf, [p if p.method == "ocr" else None for p in pages])
            pdf.save(layered)
        ghostscript_pdfa(layered, dest, timeout=timeout)
        # Ghostscript writes its own XMP; ours says what the copy is and where it came from.
        with pikepdf.open(dest, allow_overwriting_input=True) as pdf:
            mark_pdfa(pdf, title=title, created=created)
            pdf.save(dest)


def _add_layers(pdf: pikepdf.Pdf, pages: list[Page | None]) -> None:
    font = None
    for pdf_page, page in zip(pdf.pages, pages):
        if page is None or not page.words:
            continue
        if font is None:
            font = add_font(pdf)
        own = int(pdf_page.obj.get("/Rotate", 0))
        add_text_layer(pdf, pdf_page, page, font, turn=(own + page.rotation) % 360)
