"""Tags and correspondents in the index: shown on each hit, counted in facets, filtered by, on
SqliteIndex and a real Elasticsearch node; and an index written by the previous layout (SQLite
schema 2, index template v1) still works after the upgrade and is refilled from the store."""

from __future__ import annotations

import logging
import random
import sqlite3

import pytest
from docgen import valid_partita_iva
from index_corpus import make_record
from index_fixtures import BACKENDS, backend_settings, drop_elastic, fresh, open_backend  # noqa: F401

from pipeline.index import SearchQuery, open_index
from pipeline.index.base import name_key
from pipeline.store import open_archive

_rng = random.Random(1441)
OWN = valid_partita_iva(_rng)       # the archive's own company
SUPPLIER = valid_partita_iva(_rng)  # sells to us
CUSTOMER = valid_partita_iva(_rng)  # buys from us


def office() -> list:
    return [
        make_record("received", "invoice", "Fattura ricevuta materiali", filename="ricevuta.pdf", minutes=1,
                    vendor_vat=SUPPLIER, vendor_name="Ferramenta Adige S.r.l.",
                    customer_vat="IT" + OWN, customer_name="Studio Nostro S.r.l.").model_copy(
            update={"tags": ["Da pagare", "Officina"]}),
        make_record("received-2", "invoice", "Fattura ricevuta viti", filename="ricevuta2.pdf", minutes=2,
                    vendor_vat="IT" + SUPPLIER, vendor_name="FERRAMENTA ADIGE SRL",
                    customer_vat=OWN, customer_name="Studio Nostro S.r.l.").model_copy(update={"tags": ["Da pagare"]}),
        make_record("issued", "invoice", "Fattura emessa consulenza", filename="emessa.pdf", minutes=3,
                    vendor_vat=OWN, vendor_name="Studio Nostro S.r.l.",
                    customer_vat="IT" + CUSTOMER, customer_name="Cliente Brenta S.p.A.").model_copy(
            update={"tags": ["da pagare"]}),
        make_record("receipt", "receipt", "Scontrino caffè", filename="scontrino.jpg", minutes=4,
                    merchant_name="Bar Centrale"),
        make_record("contract", "contract", "Contratto di servizio", filename="contratto.pdf", minutes=5,
                    parties=["Studio Nostro S.r.l.", "Pulizie Rapide S.n.c."]),
    ]


def hits(index, **filters) -> set[str]:
    return {h.filename for h in index.search(SearchQuery(size=50, **filters)).hits}


@pytest.fixture(scope="module", params=BACKENDS)
def ours(request, tmp_path_factory):
    settings = backend_settings(request.param, tmp_path_factory.mktemp(request.param),
                                **{"preservation.producer_vat": "IT" + OWN,
                                   "preservation.producer_name": "Studio Nostro S.r.l."})
    index = open_index(settings)
    assert index.upsert(office()).failed == []
    yield index
    if index.name == "elasticsearch":
        drop_elastic(index)
    index.close()


def test_each_hit_carries_its_tags(ours):
    by_file = {h.filename: h.tags for h in ours.search(SearchQuery(size=50)).hits}
    assert by_file["ricevuta.pdf"] == ("Da pagare", "Officina")
    assert by_file["scontrino.jpg"] == ()


def test_tags_are_a_facet_counting_the_spellings_of_a_tag_once(ours):
    results = ours.search(SearchQuery())
    assert results.facets["tag"] == [("Da pagare", 3), ("Officina", 1)]
    assert ours.search(SearchQuery(text="viti")).facets["tag"] == [("Da pagare", 1)]


def test_correspondents_are_the_counterparties_not_the_archive_itself(ours):
    results = ours.search(SearchQuery())
    facet = dict(results.facets["correspondent"])
    # A received invoice counts under its supplier, an issued one under its customer, a receipt
    # under its merchant, a contract under its other party; our own company is nobody's.
    assert facet == {SUPPLIER: 2, CUSTOMER: 1, name_key("Bar Centrale"): 1, name_key("Pulizie Rapide"): 1}
    assert results.names[SUPPLIER] == "Ferramenta Adige S.r.l." or results.names[SUPPLIER] == "FERRAMENTA ADIGE SRL"
    assert results.names[CUSTOMER] == "Cliente Brenta S.p.A."
    assert OWN not in facet


def test_a_correspondent_filters_the_documents_exchanged_with_it(ours):
    assert hits(ours, correspondent=CUSTOMER) == {"emessa.pdf"}
    assert hits(ours, correspondent=SUPPLIER) == {"ricevuta.pdf", "ricevuta2.pdf"}
    assert hits(ours, correspondent=name_key("Pulizie Rapide S.n.c.")) == {"contratto.pdf"}
    assert hits(ours, correspondent=SUPPLIER, tag="officina") == {"ricevuta.pdf"}


def test_without_an_own_company_every_party_is_a_correspondent(fresh):
    fresh.upsert(office())
    facet = dict(fresh.search(SearchQuery()).facets["correspondent"])
    assert facet[OWN] == 3 and facet[SUPPLIER] == 2 and facet[CUSTOMER] == 1


# -- upgrade from the previous layout ----------------------------------------------------------
def _downgrade_sqlite(path) -> None:
    """Make the file exactly what schema 2 wrote: no tag/correspondent columns, no party rows."""
    db = sqlite3.connect(path)
    db.executescript("""
        ALTER TABLE docs DROP COLUMN tags; ALTER TABLE docs DROP COLUMN correspondents;
        DELETE FROM subjects WHERE kind = 'party';
        UPDATE meta SET value = '2' WHERE key = 'schema';
    """)
    db.close()


def _downgrade_elastic(index, records) -> None:
    """An alias on a v1 index (the v1 mapping: no tags, correspondents, labels) holding v1 documents."""
    from pipeline.index.elastic import document, load_template

    new_fields = ("tags", "correspondents", "correspondent_labels")
    template = load_template()["template"]
    mappings = {**template["mappings"], "properties": {k: v for k, v in template["mappings"]["properties"].items()
                                                       if k not in new_fields}}
    drop_elastic(index)
    old = f"{index.alias}-v1-initial"
    index.client.indices.create(index=old, settings={**template["settings"], "number_of_replicas": 0},
                                mappings=mappings, aliases={index.alias: {}})
    for record in records:
        source = {k: v for k, v in document(record).items() if k not in new_fields}
        index.client.index(index=old, id=record.id, document=source, refresh=True)


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_index_of_the_previous_layout_is_upgraded_from_the_store_when_opened(backend, tmp_path, caplog):
    settings = backend_settings(backend, tmp_path)
    archive = open_archive(settings)
    for record in office():
        archive.save_record(record)
    index = open_index(settings)
    index.upsert(office())
    if backend == "sqlite":
        index.close()
        _downgrade_sqlite(settings.index_path)
    else:
        _downgrade_elastic(index, office())
        index.close()
    try:
        # Opened without the store (as a tool holding only the index would): it still searches and
        # takes writes of the new shape; documents indexed before only lack tags until refilled.
        if backend == "sqlite":
            from pipeline.index.sqlite import SqliteIndex
            bare = SqliteIndex(settings.index_path)
        else:
            from pipeline.index.elastic import ElasticIndex
            bare = ElasticIndex(settings.index)
        with caplog.at_level(logging.WARNING):
            assert len(bare.search(SearchQuery(text="fattura")).hits) == 3
        assert "reindex" in caplog.text
        assert bare.upsert(office()[:1]).failed == []
        bare.close()
        # Opened as Archivio opens it: rebuilt from the stored records, every feature there.
        index = open_index(settings)
        results = index.search(SearchQuery(text="fattura"))
        assert results.total == 3
        assert results.facets["tag"] == [("Da pagare", 3), ("Officina", 1)]
        assert {h.filename: h.tags for h in results.hits}["ricevuta2.pdf"] == ("Da pagare",)
        assert hits(index, correspondent=CUSTOMER) == {"emessa.pdf"}
        assert hits(index, tag="da pagare", text="emessa") == {"emessa.pdf"}
        if backend == "sqlite":
            assert index._db().execute("SELECT count(*) FROM meta WHERE key = 'refill'").fetchone()[0] == 0
        else:
            assert all("-v2-" in name for name in index._indices())
    finally:
        if index.name == "elasticsearch":
            drop_elastic(index)
        index.close()


def test_one_elasticsearch_client_rebuilds_while_the_others_search_the_old_index(tmp_path):
    settings = backend_settings("elasticsearch", tmp_path)
    archive = open_archive(settings)
    for record in office():
        archive.save_record(record)
    index = open_index(settings)
    try:
        _downgrade_elastic(index, office())
        # Another process holds the upgrade (it created the lock index first).
        index.client.indices.create(index=index._upgrade_lock, settings={"number_of_replicas": 0})
        waiting = open_index(settings)
        assert waiting.search(SearchQuery(text="fattura")).total == 3  # the old index answers meanwhile
        assert all("-v1-" in name for name in waiting._indices())
        index.client.indices.delete(index=index._upgrade_lock)  # that process finished (or gave up)
        upgraded = open_index(settings)
        assert upgraded.search(SearchQuery(text="fattura")).facets["tag"] == [("Da pagare", 3), ("Officina", 1)]
        assert all("-v2-" in name for name in upgraded._indices())
        assert not index.client.indices.exists(index=index._upgrade_lock)  # released after the rebuild
    finally:
        drop_elastic(index)
        index.close()
