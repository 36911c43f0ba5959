"""Retention counted from the documents' own dates (art. 2220 c.c.), across the year boundary,
re-applied when an archivist corrects a date, never shortened; and the retention report."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from gen_preservation import file_documents, make_record
from support import make_settings
from pipeline.audit import RETENTION_SET, Actor, AuditLog
from pipeline.cli import main
from pipeline.config import load_settings
from pipeline.errors import ConfigError
from pipeline.index import open_index
from pipeline.preservation.retention import retention_report
from pipeline.review import Correction, Reviewer
from pipeline.store import Retention, filing_retention, open_archive
from pipeline.store.retention import retention_of, retention_to_apply, rule_for

UTC = dt.timezone.utc
FILED = dt.datetime(2025, 2, 10, 9, tzinfo=UTC)


def record(doc_class: str, date: str | None = None, **fields):
    rec, _ = make_record(random.Random(1), 1, doc_class, dt.date(2000, 1, 1), FILED, **fields)
    f = dict(rec.fields)
    if date is None:
        f.pop("date", None)
        f.pop("agreement_date", None)
    else:
        f["date"] = f.get("date", f.get("agreement_date")).model_copy(update={"value": date})
    return rec.model_copy(update={"fields": f})


@pytest.fixture(scope="module")
def policy():
    return load_settings(env={}).retention


@pytest.mark.parametrize("doc_class", ["invoice", "receipt"])
def test_invoices_and_receipts_count_ten_years_from_the_end_of_their_fiscal_year(policy, doc_class):
    last_day = retention_of(policy, record(doc_class, "2024-12-31"))
    first_day = retention_of(policy, record(doc_class, "2025-01-01"))
    # 31 December belongs to fiscal year 2024, which closes that night: kept until the end of 2034.
    assert last_day == Retention("GOVERNANCE", dt.datetime(2035, 1, 1, tzinfo=UTC))
    # One day later is fiscal year 2025: a whole year more.
    assert first_day == Retention("GOVERNANCE", dt.datetime(2036, 1, 1, tzinfo=UTC))
    assert "fiscal year closing 2024-12-31" in rule_for(policy, record(doc_class, "2024-12-31")).describe()


def test_a_fiscal_year_that_is_not_the_solar_year(tmp_path):
    policy = make_settings(tmp_path, **{"retention.fiscal_year_end": "06-30"}).retention
    assert retention_of(policy, record("invoice", "2024-06-30")).until == dt.datetime(2034, 7, 1, tzinfo=UTC)
    assert retention_of(policy, record("invoice", "2024-07-01")).until == dt.datetime(2035, 7, 1, tzinfo=UTC)


def test_contracts_count_from_their_expiry_or_else_from_filing(policy):
    expiring = record("contract", None, expiration_date="2027-12-31")
    assert retention_of(policy, expiring).until == dt.datetime(2038, 1, 1, tzinfo=UTC)
    unknown = record("contract", None)
    assert retention_of(policy, unknown).until == FILED.replace(year=2035)
    assert "expiration_date unknown" in rule_for(policy, unknown).describe()


def test_an_invoice_without_a_date_counts_from_filing_and_other_documents_have_no_retention(policy):
    assert retention_of(policy, record("invoice", None)).until == FILED.replace(year=2035)
    assert retention_of(policy, record("other", "2024-01-01")) is None


def test_a_document_type_can_have_its_own_rule(tmp_path):
    policy = make_settings(tmp_path, **{"retention.by_type": {"invoice:TD04": "12 fiscal-year-end:date"}}).retention
    credit_note = record("invoice", "2024-03-01", document_type="TD04")
    assert retention_of(policy, credit_note).until == dt.datetime(2037, 1, 1, tzinfo=UTC)
    assert rule_for(policy, credit_note).key == "invoice:TD04"
    assert retention_of(policy, record("invoice", "2024-03-01", document_type="TD01")).until.year == 2035


def test_anchors_are_checked_when_the_settings_load():
    with pytest.raises(ConfigError, match="retention.invoice_from"):
        load_settings(env={"ARCHIVIO_RETENTION_INVOICE_FROM": "date"})


def test_retention_is_never_shortened_nor_set_in_the_past():
    now = dt.datetime(2026, 1, 1, tzinfo=UTC)
    held = Retention("GOVERNANCE", dt.datetime(2034, 1, 1, tzinfo=UTC))
    assert retention_to_apply(Retention("GOVERNANCE", dt.datetime(2030, 1, 1, tzinfo=UTC)), held, now) is None
    assert retention_to_apply(Retention("GOVERNANCE", dt.datetime(2020, 1, 1, tzinfo=UTC)), None, now) is None
    longer = retention_to_apply(Retention("GOVERNANCE", dt.datetime(2036, 1, 1, tzinfo=UTC)),
                                Retention("COMPLIANCE", held.until), now)
    assert longer == Retention("COMPLIANCE", dt.datetime(2036, 1, 1, tzinfo=UTC))  # never weaker either


def test_correcting_the_date_extends_the_originals_retention_but_never_shortens_it(office):
    settings = make_settings(office)
    archive, index = open_archive(settings), open_index(settings)
    audit = AuditLog(archive.store)
    rec, data = make_record(random.Random(3), 1, "invoice", dt.date(2023, 12, 31), FILED, number="7/2023")
    [rec] = file_documents(settings, archive, index, [(rec, data)], office)
    assert archive.original_info(rec.sha256).retention.until == dt.datetime(2034, 1, 1, tzinfo=UTC)

    reviewer = Reviewer(archive, index, audit, settings.retention)
    clerk = Actor("archivista", "reviewer")
    fixed = reviewer.correct(rec.id, Correction(version=1, fields={"date": "2024-01-02"}), by=clerk)
    assert archive.original_info(rec.sha256).retention.until == dt.datetime(2035, 1, 1, tzinfo=UTC)
    entry = audit.latest(rec.id, RETENTION_SET)
    assert entry is not None and entry.details["until"].startswith("2035-01-01") and entry.actor == "archivista"

    reviewer.correct(rec.id, Correction(version=fixed.version, fields={"date": "2019-05-05"}), by=clerk)
    assert archive.original_info(rec.sha256).retention.until == dt.datetime(2035, 1, 1, tzinfo=UTC)


def test_filing_uses_the_document_date_and_skips_a_retention_already_over(tmp_path):
    policy = make_settings(tmp_path).retention
    assert filing_retention(policy, record("invoice", "2010-06-01")) is None  # ended 2021: nothing to lock
    assert filing_retention(policy, record("invoice", "2024-06-01")).until == dt.datetime(2035, 1, 1, tzinfo=UTC)


def test_the_report_groups_due_documents_by_class_and_year_and_lists_holds(office, monkeypatch, capsys):
    settings = make_settings(office)
    archive = open_archive(settings)
    rng = random.Random(5)
    docs = [make_record(rng, n, "invoice", dt.date(2012, 3, n + 1), FILED) for n in range(3)]
    docs += [make_record(rng, 10, "receipt", dt.date(2013, 5, 1), FILED)]
    docs += [make_record(rng, 11, "invoice", dt.date(2024, 5, 1), FILED)]  # kept until 2035
    docs += [make_record(rng, 12, "other", dt.date(2001, 5, 1), FILED)]  # no retention: never due
    filed = file_documents(settings, archive, None, docs, office)
    archive.set_legal_hold(filed[4].sha256, True)

    report = retention_report(archive, settings.retention)
    assert report.groups() == [("invoice", "2012", 3), ("receipt", "2013", 1)]
    assert [s.record.id for s in report.holds] == [filed[4].id]
    later = retention_report(archive, settings.retention, due_before=dt.datetime(2036, 1, 1, tzinfo=UTC))
    assert ("invoice", "2024", 1) in later.groups()
    assert {s.record.id: s.blocked_by() for s in later.due}[filed[4].id] == "legal hold"

    for name in ("inbox", "processed", "quarantine", "duplicates", "data"):
        monkeypatch.setenv(f"ARCHIVIO_PATHS_{name.upper()}", str(office / name))
    assert main(["retention", "report"]) == 0
    out = capsys.readouterr().out
    assert "4 of 6 document(s)" in out and "invoice    2012        3" in out and "legal holds / blocchi legali: 1" in out
