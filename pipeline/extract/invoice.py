"""Invoice fields: number, dates, amounts, the seller's VAT id, IBAN and currency."""

from __future__ import annotations

import datetime as dt
import re

from ..records import ExtractedField, Page
from . import validate
from .amounts import currency_in
from .labelled import extract_labelled
from .vocabulary import Vocabulary


def extract(pages: list[Page], vocab: Vocabulary, *, language: str | None, today: dt.date) -> dict[str, ExtractedField]:
    fields = extract_labelled(pages, vocab.specs("invoice"), month_first=False, today=today)
    _add_currency(fields, pages)
    _check_dates(fields, today)
    return fields


def _add_currency(fields: dict[str, ExtractedField], pages: list[Page]) -> None:
    total = fields.get("total_amount")
    near = ""
    if total is not None and total.page:
        near = total.raw
    text = near + " " + "\n".join(p.text for p in pages)
    code = currency_in(text)
    if code:
        fields["currency"] = ExtractedField(value=code, raw=code, confidence=0.6)


def _check_dates(fields: dict[str, ExtractedField], today: dt.date) -> None:
    issued = fields.get("date")
    if issued is not None and isinstance(issued.value, str):
        error = validate.issue_date(dt.date.fromisoformat(issued.value), today=today)
        fields["date"] = issued.model_copy(update={"valid": error is None, "error": error})
    due = fields.get("due_date")
    if issued is not None and due is not None and re.fullmatch(r"\d{4}-\d\d-\d\d", str(due.value)):
        error = validate.due_not_before_issue(dt.date.fromisoformat(issued.value), dt.date.fromisoformat(due.value))
        if error:
            fields["due_date"] = due.model_copy(update={"valid": False, "error": error})
