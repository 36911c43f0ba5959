"""Names people read: a document's title and the file name an export gives its original.

"Fattura 417/B — Officine Meccaniche Brenta S.r.l. — 1.451,80 €" on the page, and
``2025-09-03_Fattura_417-B_Officine-Meccaniche-Brenta.pdf`` in an export, both from the record's
class, number, date, counterparty and total; the original's own file name stays in the record.
"""

from __future__ import annotations

import re
import unicodedata

from .records import Record

CLASS_WORDS = {"it": {"invoice": "Fattura", "receipt": "Scontrino", "contract": "Contratto", "other": "Documento"},
               "en": {"invoice": "Invoice", "receipt": "Receipt", "contract": "Contract", "other": "Document"}}
_LEGAL_FORMS = re.compile(r"\b(?:s\.?\s?r\.?\s?l|s\.?\s?p\.?\s?a|s\.?\s?n\.?\s?c|s\.?\s?a\.?\s?s|ltd|gmbh|inc)\b\.?",
                          re.I)


def counterparty(record: Record) -> str | None:
    f = record.field_value
    parties = f("parties")
    return f("vendor_name") or f("merchant_name") or (", ".join(parties) if isinstance(parties, list) and parties else None)


def file_name(record: Record, extension: str) -> str:
    """``<date>_<Class>_<number>_<counterparty>.<ext>``, ASCII, parts that are missing left out."""
    f = record.field_value
    date = f("date") or f("agreement_date") or f("effective_date")
    name = counterparty(record)
    parts = [date if isinstance(date, str) else None, CLASS_WORDS["it"].get(record.doc_class, "Documento"),
             _slug(str(f("number"))) if f("number") else None,
             _slug(_LEGAL_FORMS.sub("", name)) if name else None]
    stem = "_".join(p for p in parts if p)[:150].rstrip("-_")
    return stem + extension


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")
