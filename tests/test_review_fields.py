"""What a reviewer may type into each field, and how it is checked: every field extraction
yields can be corrected, with the same validation extraction applies."""

from __future__ import annotations

import pytest

from pipeline.extract import FIELDS
from pipeline.review import ReviewError, field_kinds, normalise


@pytest.mark.parametrize("doc_class", sorted(FIELDS))
def test_every_extracted_field_can_be_corrected(doc_class):
    assert list(field_kinds(doc_class)) == list(FIELDS[doc_class])


def test_contract_dates_are_dates():
    kinds = field_kinds("contract")
    assert {kinds[n] for n in ("agreement_date", "effective_date", "expiration_date")} == {"date"}
    assert kinds["parties"] == "list"
    with pytest.raises(ReviewError, match="not a date"):
        normalise("agreement_date", "date", "31/02/2024")
    assert normalise("agreement_date", "date", "29/02/2024") == ("2024-02-29", True, None)


def test_identifiers_typed_by_a_reviewer_are_checked():
    kinds = field_kinds("invoice")
    assert normalise("vendor_cf", kinds["vendor_cf"], "RSSMRA85T10A562S")[1:] == (True, None)
    value, valid, error = normalise("vendor_cf", kinds["vendor_cf"], "RSSMRA85T10A562X")
    assert (value, valid) == ("RSSMRA85T10A562X", False) and "Codice Fiscale" in error
    assert normalise("vendor_vat", kinds["vendor_vat"], "IT 00743110157")[:2] == ("IT00743110157", True)
    assert normalise("iban", kinds["iban"], "IT60X0542811101000000123456")[1] is True
    assert normalise("iban", kinds["iban"], "IT60X0542811101000000123457")[1] is False
