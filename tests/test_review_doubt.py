"""Review that catches doubt: a key field read with little confidence queues its document with
the reason; corrections that resolve every reason take it out of the queue by themselves; the
same value typed in another form is not a change; a VAT id run into the next word is named as such."""

from __future__ import annotations

import random

import pytest
from docgen import valid_partita_iva
from index_corpus import make_record
from support import make_settings

from pipeline.audit import Actor, AuditLog
from pipeline.doubt import low_confidence_reasons
from pipeline.extract import labelled, validate
from pipeline.index import open_index
from pipeline.records import ExtractedField
from pipeline.review import Correction, Reviewer, review_queue
from pipeline.store import open_archive

PIVA = valid_partita_iva(random.Random(77))
CLERK = Actor(name="archivist-test", role="archivist")


def _receipt(total_confidence: float):
    record = make_record("doubtful-receipt", "receipt", "BAR\nTOTALE 8,50", filename="bar.jpg",
                         date="2025-02-14", total_amount="8.50", merchant_name="Bar")
    fields = dict(record.fields)
    fields["total_amount"] = ExtractedField(value="8.50", raw="8,50", confidence=total_confidence)
    reasons = low_confidence_reasons("receipt", fields, 0.5)
    return record.model_copy(update={"fields": fields, "review_reasons": reasons, "needs_review": bool(reasons)})


def test_a_key_field_below_the_threshold_is_a_reason_and_a_confident_one_is_not():
    assert low_confidence_reasons("receipt", _receipt(0.08).fields, 0.5) == ["total_amount: low confidence (8% < 50%)"]
    assert low_confidence_reasons("receipt", _receipt(0.9).fields, 0.5) == []
    # merchant_name is not a key field: its confidence alone queues nothing
    assert low_confidence_reasons("receipt", {"merchant_name": ExtractedField(value="X", confidence=0.1)}, 0.5) == []


@pytest.fixture
def desk(tmp_path):
    settings = make_settings(tmp_path)
    archive = open_archive(settings)
    index = open_index(settings)
    reviewer = Reviewer(archive, index, AuditLog(archive.store), min_key_confidence=0.5)
    yield archive, index, reviewer
    index.close()


def test_correcting_the_doubtful_total_takes_the_receipt_out_of_the_queue(desk):
    archive, index, reviewer = desk
    record = _receipt(0.08)
    archive.save_record(record)
    index.upsert([record])
    assert [h.id for h in review_queue(index).hits] == [record.id]

    updated = reviewer.correct(record.id, Correction(version=1, fields={"total_amount": "8,50"}), by=CLERK)
    assert updated.needs_review is False and updated.review_reasons == []
    assert updated.history[-1].changes["needs_review"] == {"old": True, "new": False}
    assert review_queue(index).hits == []


def test_the_same_date_typed_in_another_form_is_not_a_change(desk):
    archive, index, reviewer = desk
    record = _receipt(0.9)
    record = record.model_copy(update={"fields": {**record.fields, "date": ExtractedField(value="2025-02-14", confidence=1.0)}})
    archive.save_record(record)
    index.upsert([record])
    same = reviewer.correct(record.id, Correction(version=1, fields={"date": "14/02/2025"}), by=CLERK)
    assert same.version == 1 and same.history == []


def test_a_valid_partita_iva_followed_by_letters_is_named_as_such_and_cut_at_the_word():
    check = validate.vat_id(PIVA + "TEL")
    assert check.valid is False
    assert "valid Partita IVA followed by 'TEL'" in check.error and "country code" not in check.error
    for printed in (f"P.IVA {PIVA} - Tel. 049 1234567", f"P.IVA {PIVA}TEL", f"P.IVA {PIVA} Cod. Fisc. {PIVA}"):
        reading = labelled.read_vat(printed.upper())
        assert (reading.value, reading.valid) == (PIVA, True), printed


def test_a_payment_method_typed_in_italian_is_kept_as_its_one_word(desk):
    archive, index, reviewer = desk
    record = _receipt(0.9)
    archive.save_record(record)
    index.upsert([record])
    updated = reviewer.correct(record.id, Correction(version=1, fields={"payment_method": "Contanti"}), by=CLERK)
    assert updated.fields["payment_method"].value == "cash"
