"""Parsing untrusted XML: no DTD, no entities, no external references, namespaces dropped.

``defusedxml`` refuses a document type declaration outright (``forbid_dtd``), which stops both
external entities (XXE: reading local files, reaching the network) and entity bombs (billion
laughs) before anything is expanded. FatturaPA and the SdI messages never carry a DTD.

Producers disagree on namespaces (root qualified and children not, everything qualified, a
default namespace, none at all); the readers here work on local names only.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ..errors import CorruptDocumentError, UnsafeXmlError

__all__ = ["UnsafeXmlError", "parse", "text", "texts", "all_text"]


def parse(data: bytes, *, path: str | None = None) -> ET.Element:
    """The root element with namespaces removed from every tag; typed errors say what was wrong."""
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UnsafeXmlError(
            "the XML declares a DTD or entities, which could read files on this computer or expand into a "
            f"memory bomb; refused without expanding anything ({type(exc).__name__})", path=path) from None
    except ET.ParseError as exc:
        root = _retry_as_windows_text(data, exc, path)
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.rsplit("}", 1)[1]
        if ":" in str(element.tag):
            element.tag = element.tag.rsplit(":", 1)[1]
    return root


def _retry_as_windows_text(data: bytes, error: ET.ParseError, path: str | None) -> ET.Element:
    """Files without a declaration are UTF-8 by rule, but some Italian software writes them in
    Windows-1252 anyway; one retry reads those. Anything else is malformed."""
    if b"<?xml" not in data[:64]:
        try:
            return fromstring(data.decode("cp1252"), forbid_dtd=True, forbid_entities=True, forbid_external=True)
        except (UnicodeDecodeError, ET.ParseError, DefusedXmlException):
            pass
    line, column = getattr(error, "position", (0, 0))
    raise CorruptDocumentError(f"malformed XML (line {line}, column {column}): {error.msg if hasattr(error, 'msg') else error}",
                               path=path) from None


def text(element: ET.Element | None, path: str) -> str | None:
    """The stripped text at ``path`` below ``element``, or None when absent or empty."""
    if element is None:
        return None
    found = element.find(path)
    if found is None or found.text is None:
        return None
    value = " ".join(found.text.split())
    return value or None


def texts(element: ET.Element | None, path: str) -> list[str]:
    if element is None:
        return []
    return [" ".join(e.text.split()) for e in element.findall(path) if e.text and e.text.strip()]


def all_text(root: ET.Element) -> list[str]:
    """Every non-empty text of the document, in order (an XML that is not an e-invoice is
    archived as this text)."""
    out: list[str] = []
    for element in root.iter():
        for chunk in (element.text, element.tail):
            if chunk and chunk.strip():
                out.append(" ".join(chunk.split()))
    return out
