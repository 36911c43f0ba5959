"""Field extraction: the class's fields from the positioned words, each validated.

``extract_fields`` is the entry point. Labelled fields (number, dates, amounts, identifiers)
are found by the generic label ▸ value search of ``labelled``; what needs more than a label
(contract parties) lives in the class's own module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..records import ExtractedField, Page
from . import contract, invoice
from .layout import Layout
from .vocabulary import load_vocabulary

# What each class yields, in the order a person reads them.
FIELDS = {
    "invoice": ("number", "date", "due_date", "vendor_name", "vendor_vat", "vendor_cf", "customer_name",
                "customer_vat", "customer_cf", "net_amount", "vat_amount", "total_amount", "currency", "iban"),
    "receipt": ("merchant_name", "date", "total_amount", "vat_amount", "address", "payment_method", "vendor_vat"),
    "contract": ("parties", "agreement_date", "effective_date", "expiration_date", "renewal_term", "governing_law"),
}

# How each field's value is written, for a person correcting it; anything else is free text.
KINDS = {
    "number": "number", "date": "date", "due_date": "date", "agreement_date": "date", "effective_date": "date",
    "expiration_date": "date", "vendor_vat": "vat", "customer_vat": "vat", "vendor_cf": "taxcode",
    "customer_cf": "taxcode", "net_amount": "amount", "vat_amount": "amount", "total_amount": "amount",
    "currency": "currency", "iban": "iban", "parties": "list",
}

# Identifiers that must pass a check to be trusted: one that cannot be checked is reviewed too.
CHECKED = ("vendor_vat", "iban")

REQUIRED = {
    "invoice": ("number", "date", "total_amount"),
    "receipt": ("date", "total_amount"),
    "contract": ("parties",),
}

def _receipt(layout: Layout, vocab, **kwargs) -> dict[str, ExtractedField]:
    # Imported on a worker's first receipt: its rules (ten modules, 0.01 s of regular expressions
    # to compile) serve photographed slips only, and the fork server would otherwise import them
    # before the first document of every batch could be read.
    from . import receipt

    return receipt.extract(layout, vocab, **kwargs)


_EXTRACTORS = {"invoice": invoice.extract, "receipt": _receipt, "contract": contract.extract}


@dataclass
class Extraction:
    fields: dict[str, ExtractedField] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # reasons a person should review


def extract_fields(doc_class: str, pages: list[Page], *, language: str | None, vocabulary: Path,
                   today: dt.date | None = None) -> Extraction:
    extractor = _EXTRACTORS.get(doc_class)
    if extractor is None:
        return Extraction()
    vocab = load_vocabulary(vocabulary)
    fields = extractor(Layout(pages), vocab, language=language, today=today or dt.date.today())
    problems = [f"{name}: {f.error}" for name, f in fields.items() if f.valid is False and f.error]
    problems += [f"{name}: {f.value} could not be checked" for name, f in fields.items()
                 if f.valid is None and name in CHECKED]
    problems += [f"{name}: not found" for name in REQUIRED.get(doc_class, ()) if name not in fields]
    return Extraction(fields, problems)
