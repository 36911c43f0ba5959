"""DM 17 giugno 2014: fiscal documents are found by the name or company name, codice fiscale and
partita IVA of every subject they name, and by date, alone and combined — for every class that
carries them, on both index backends. Expected results are computed from the generated records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from gen_preservation import generated
from index_fixtures import BACKENDS, backend_settings, drop_elastic
from pipeline.index import SearchQuery, open_index
from pipeline.index.base import SearchIndex
from pipeline.records import Record
from pipeline.textnorm import fold


@pytest.fixture(scope="module")
def corpus() -> list[Record]:
    return [r for r, _ in generated(60, seed=2014)]


@pytest.fixture(scope="module", params=BACKENDS)
def index(request, tmp_path_factory, corpus) -> Iterator[SearchIndex]:
    opened = open_index(backend_settings(request.param, tmp_path_factory.mktemp(request.param)))
    report = opened.upsert(corpus)
    assert report.failed == []
    yield opened
    if opened.name == "elasticsearch":
        drop_elastic(opened)
    opened.close()


def ids(index: SearchIndex, **filters) -> set[str]:
    return {h.id for h in index.search(SearchQuery(size=200, facets=False, **filters)).hits}


def names_of(record: Record) -> list[str]:
    f = record.field_value
    return [n for n in (f("vendor_name"), f("customer_name"), f("merchant_name"), *(f("parties") or [])) if n]


def test_every_subject_name_of_every_class_finds_its_documents(index, corpus):
    for doc_class in ("invoice", "receipt", "contract"):
        sample = next(r for r in corpus if r.doc_class == doc_class)
        for name in names_of(sample):
            word = name.split()[-1].upper()  # part of the name, another case
            expected = {r.id for r in corpus if any(fold(word) in fold(n) for n in names_of(r))}
            assert sample.id in expected
            assert ids(index, name=word) == expected, (doc_class, word)


def test_a_partita_iva_finds_its_documents_with_or_without_the_country_prefix(index, corpus):
    invoice = next(r for r in corpus if r.doc_class == "invoice")
    receipt = next(r for r in corpus if r.doc_class == "receipt")
    for record in (invoice, receipt):
        vat = record.field_value("vendor_vat")
        expected = {r.id for r in corpus if r.field_value("vendor_vat") == vat}
        assert ids(index, vat=vat) == expected
        assert ids(index, vat=vat.removeprefix("IT")) == expected
        assert ids(index, vat=f"{vat[:2]} {vat[2:7]} {vat[7:]}".lower()) == expected


def test_a_codice_fiscale_finds_the_documents_of_that_person(index, corpus):
    invoice = next(r for r in corpus if r.doc_class == "invoice")
    cf = invoice.field_value("customer_cf")
    expected = {r.id for r in corpus if r.field_value("customer_cf") == cf}
    assert invoice.id in expected and ids(index, taxcode=cf) == expected
    assert ids(index, taxcode=cf.lower()) == expected
    unknown = "RSSMRA80A01H501U"
    assert unknown not in {r.field_value("customer_cf") for r in corpus}
    assert ids(index, taxcode=unknown) == set()


def test_combinations_with_the_date_and_the_class(index, corpus):
    invoice = next(r for r in corpus if r.doc_class == "invoice")
    cf, vat = invoice.field_value("customer_cf"), invoice.field_value("vendor_vat")
    day = dt.date.fromisoformat(invoice.field_value("date"))
    start, end = day - dt.timedelta(days=60), day + dt.timedelta(days=60)

    def dated(r: Record) -> bool:
        d = r.field_value("date") or r.field_value("agreement_date")
        return start.isoformat() <= d <= end.isoformat()

    assert ids(index, taxcode=cf, date_from=start, date_to=end) == \
        {r.id for r in corpus if r.field_value("customer_cf") == cf and dated(r)}
    company = invoice.field_value("vendor_name")
    expected = {r.id for r in corpus if company in names_of(r) and dated(r) and r.doc_class == "invoice"}
    assert invoice.id in expected
    assert ids(index, name=company, doc_class="invoice", date_from=start, date_to=end) == expected
    assert ids(index, name=company, vat=vat, taxcode=cf) == {invoice.id} | {
        r.id for r in corpus if company in names_of(r) and r.field_value("vendor_vat") == vat
        and r.field_value("customer_cf") == cf}
    assert ids(index, vat=vat, doc_class="contract") == set()  # contracts carry no partita IVA here
