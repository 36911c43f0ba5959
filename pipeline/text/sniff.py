"""What kind of file is this? Decided by its first bytes, never by its name."""

from __future__ import annotations

from pathlib import Path

from ..einvoice.detect import EML, P7M, XML, looks_like_mail, looks_like_p7m, looks_like_xml
from ..errors import EmptyFileError, UnsupportedFileError

PDF = "application/pdf"
TIFF = "image/tiff"
JPEG = "image/jpeg"
PNG = "image/png"
SUPPORTED = (PDF, TIFF, JPEG, PNG, XML, P7M, EML)

_SIGNATURES: list[tuple[bytes, str]] = [
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
    (b"II+\x00", TIFF),  # BigTIFF
    (b"MM\x00+", TIFF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
]

# Names for what we refuse, so the quarantine note says what the file looked like.
_KNOWN_OTHERS: list[tuple[bytes, str]] = [
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"MZ", "a Windows executable"),
    (b"\x7fELF", "a Linux executable"),
    (b"GIF8", "a GIF image"),
    (b"BM", "a BMP image"),
    (b"RIFF", "a RIFF container (WebP/AVI/WAV)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"{\\rtf", "an RTF document"),
]


def sniff(path: Path) -> str:
    """Return the media type of a supported document or raise a typed error saying why not."""
    with path.open("rb") as fh:
        return sniff_head(fh.read(1024), path)


def sniff_head(head: bytes, path: Path) -> str:
    """``sniff`` on the first 1024 bytes already read (by intake, from the descriptor it checked)."""
    if not head:
        raise EmptyFileError("the file is empty (0 bytes)", path=str(path))
    for signature, media_type in _SIGNATURES:
        if head.startswith(signature):
            return media_type
    # A signed envelope first: a .p7m around a PDF shows "%PDF-" near its start too.
    if looks_like_p7m(head):
        return P7M
    # Known containers first: a ZIP holding a PDF shows "%PDF-" near its start too, and a PDF
    # reader would happily open the PDF inside it.
    for signature, what in _KNOWN_OTHERS:
        if head.startswith(signature):
            raise UnsupportedFileError(
                f"unsupported file type: this is {what}; Archivio takes PDF, TIFF, JPEG, PNG, "
                "FatturaPA XML / .p7m and mail messages (.eml)",
                path=str(path),
            )
    # The PDF header may legally sit anywhere in the first 1024 bytes.
    if b"%PDF-" in head:
        return PDF
    # E-invoices (FatturaPA XML) and mail messages, told apart by content too.
    if looks_like_xml(head):
        return XML
    if looks_like_mail(head):
        return EML
    if not head.strip(b"\x00"):
        raise EmptyFileError("the file holds only zero bytes", path=str(path))
    raise UnsupportedFileError(
        "unsupported file type: not a PDF, TIFF, JPEG or PNG, nor an XML e-invoice, .p7m or mail "
        "message (the content does not match any)",
        path=str(path),
    )
