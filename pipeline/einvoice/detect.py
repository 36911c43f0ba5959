"""Is this an XML file, a CAdES envelope or a mail message? Decided by the first bytes only.

SdI files are often named ``.xml.p7m`` but arrive renamed, mailed or re-encoded; the name is
never trusted. What the first kilobyte can tell:

- XML: an optional UTF-8 BOM and white space, then ``<?xml`` or a start tag (many FatturaPA
  files have no declaration at all);
- CAdES (``.p7m``): a DER ``SEQUENCE`` whose first element is the signedData OID
  1.2.840.113549.1.7.2, or the same in base64 (as some mail clients and the SdI deliver it),
  or PEM;
- a mail message (``.eml``): RFC 5322 header lines.
"""

from __future__ import annotations

import base64
import binascii
import re

XML = "application/xml"
P7M = "application/pkcs7-mime"
EML = "message/rfc822"

BOM = b"\xef\xbb\xbf"
_SIGNED_DATA_OID = bytes.fromhex("06092a864886f70d010702")
_START_TAG = re.compile(rb"<[A-Za-z_][\w.\-]*(:[A-Za-z_][\w.\-]*)?[\s>/]")
_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]*:[ \t]", re.M)
_MAIL_HEADERS = (b"from:", b"date:", b"message-id:", b"mime-version:", b"subject:", b"received:",
                 b"return-path:", b"delivered-to:", b"to:", b"x-")


def looks_like_xml(head: bytes) -> bool:
    text = head[len(BOM):] if head.startswith(BOM) else head
    text = text.lstrip()
    if text.startswith(b"<?xml"):
        return True
    # Comments before the root are legal; a start tag is what makes it XML.
    while text.startswith(b"<!--"):
        end = text.find(b"-->")
        if end < 0:
            return False
        text = text[end + 3:].lstrip()
    lowered = text[:20].lower()
    if lowered.startswith((b"<html", b"<!doctype html")):
        return False
    return bool(_START_TAG.match(text))


def looks_like_p7m(head: bytes) -> bool:
    return _der_signed_data(head) or _der_signed_data(_b64_head(head))


def _der_signed_data(head: bytes) -> bool:
    # SEQUENCE, a length (short, long or indefinite form), then the content type OID.
    if len(head) < 16 or head[0] != 0x30:
        return False
    length = head[1]
    start = 2 if length < 0x80 else 2 + (length & 0x7F) if length != 0x80 else 2
    return head[start:start + len(_SIGNED_DATA_OID)] == _SIGNED_DATA_OID


def _b64_head(head: bytes) -> bytes:
    text = head.strip()
    if text.startswith(b"-----BEGIN"):
        text = text.split(b"\n", 1)[1] if b"\n" in text else b""
    chunk = re.sub(rb"\s+", b"", text)[:64]
    chunk = chunk[: len(chunk) - len(chunk) % 4]
    try:
        return base64.b64decode(chunk, validate=True)
    except (binascii.Error, ValueError):
        return b""


def looks_like_mail(head: bytes) -> bool:
    """Header lines from the first line on, and at least two a mail always has."""
    if not _HEADER_LINE.match(head):
        return False
    names = {m.group(0).split(b":")[0].lower() + b":" for m in _HEADER_LINE.finditer(head)}
    known = sum(1 for n in names if n in _MAIL_HEADERS or n.startswith(b"x-"))
    return known >= 2 and b"from:" in names
