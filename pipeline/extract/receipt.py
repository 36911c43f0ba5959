"""Receipt fields: date and total (VAT where printed)."""

from __future__ import annotations

import datetime as dt

from ..records import ExtractedField, Page
from . import validate
from .dates import find_dates
from .labelled import extract_labelled
from .layout import all_spans
from .vocabulary import Vocabulary


def extract(pages: list[Page], vocab: Vocabulary, *, language: str | None, today: dt.date) -> dict[str, ExtractedField]:
    fields = extract_labelled(pages, vocab.specs("receipt"), month_first=False, today=today)
    if "date" not in fields:
        # Tills print the date without a label: the first plausible date on the slip.
        for span in all_spans(pages):
            found = find_dates(span.text, today=today)
            if found:
                value, raw, _ = found[0]
                fields["date"] = ExtractedField(value=value.isoformat(), raw=raw, confidence=round(span.confidence * 0.8, 3),
                                                page=span.page.number, box=span.box)
                break
    date = fields.get("date")
    if date is not None:
        error = validate.issue_date(dt.date.fromisoformat(date.value), today=today)
        fields["date"] = date.model_copy(update={"valid": error is None, "error": error})
    return fields
