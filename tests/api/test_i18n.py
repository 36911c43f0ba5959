"""One catalogue for the page's words: every key has Italian and English, every field, class,
role, audit action and reason the pipeline can produce has an entry, and reasons read in Italian."""

from __future__ import annotations

import re

import pytest

from pipeline import audit
from pipeline.api import i18n
from pipeline.api.i18n import Words
from pipeline.doubt import low_confidence_reasons
from pipeline.export import EXPORT_SEALED
from pipeline.extract import FIELDS
from pipeline.records import DOC_CLASSES, ExtractedField


def test_every_key_has_an_italian_and_an_english_text():
    missing = [key for key, pair in i18n._WORDS.items() if len(pair) != 2 or not all(p.strip() for p in pair)]
    assert missing == []


def test_every_field_class_role_and_action_has_an_entry():
    names = {name for fields in FIELDS.values() for name in fields}
    actions = {v for k, v in vars(audit).items() if k.isupper() and isinstance(v, str) and re.fullmatch(r"[a-z-]+", v)}
    wanted = ({f"f_{n}" for n in names} | set(DOC_CLASSES) | {f"a_{a}" for a in actions | {EXPORT_SEALED}}
              | {f"r_{r}" for r in ("archivist", "auditor", "admin")})
    assert sorted(wanted - set(i18n._WORDS)) == []


@pytest.mark.parametrize("reason", [
    "total_amount: not found",
    "class uncertain: invoice with confidence 0.40 (threshold 0.55)",
    "vendor_vat: Partita IVA 12345678901 is not valid: The number's checksum or check digit is invalid.",
    "vendor_vat: 00743110157 is a valid Partita IVA followed by 'TEL', which is not part of it",
    "iban: IBAN IT60X0542811101000000123456 is not valid: the CIN letter is X, the bank details give Y",
    "date: date 2031-01-01 is in the future",
    "due_date: due date 2024-01-01 is before the issue date 2024-02-01",
    "total_amount: net 100.00 + VAT 22.00 = 122.00, not the total 120.00",
    low_confidence_reasons("receipt", {"total_amount": ExtractedField(value="8.50", confidence=0.08)}, 0.5)[0],
])
def test_reasons_read_in_italian_without_english_words(reason):
    italian = Words("it").message(reason)
    english_words = {"not", "found", "valid", "with", "confidence", "is", "the", "before", "followed", "low", "total"}
    assert not english_words & set(re.findall(r"[a-z]+", italian)), italian
    assert Words("en").message(reason)  # English reads too


def test_history_values_are_human_and_amounts_carry_the_documents_currency():
    it = Words("it")
    assert it.change("needs_review", {"old": True, "new": False}, {}) == {"old": "Sì", "new": "No"}
    assert it.change("date", {"old": "2025-09-03", "new": None}, {"date": "date"}) == {"old": "03/09/2025", "new": "–"}
    assert it.change("parties", {"old": ["A", "B"], "new": ["A"]}, {"parties": "list"}) == {"old": "A; B", "new": "A"}
    assert it.amount("64.15", "MYR") == "64,15 MYR" and "€" not in it.amount("64.15", None)
    assert it.pages(1) == "1 pagina" and it.pages(2) == "2 pagine"
