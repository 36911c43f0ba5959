"""What makes a document doubtful enough for a person to look at it.

Beyond a missing required field or a value that fails its check (``extract``), a *key* field
read with little confidence — a receipt total OCR read at 8 % — sends the document to the
review queue with the reason. The same rules run when the document is filed and after each
correction, so a document whose every reason has been corrected leaves the queue by itself.
"""

from __future__ import annotations

from .records import ExtractedField

# The fields an office acts on: a wrong one costs money or a lost document.
KEY_FIELDS = {
    "invoice": ("number", "date", "total_amount", "vendor_vat"),
    "receipt": ("total_amount", "date"),
    "contract": ("parties",),
}
LOW_CONFIDENCE = "low confidence"


def low_confidence_reasons(doc_class: str, fields: dict[str, ExtractedField], threshold: float) -> list[str]:
    """One reason per key field read below ``threshold``: 'total_amount: low confidence (8% < 50%)'."""
    return [f"{name}: {LOW_CONFIDENCE} ({fields[name].confidence:.0%} < {threshold:.0%})"
            for name in KEY_FIELDS.get(doc_class, ())
            if name in fields and fields[name].confidence < threshold]
