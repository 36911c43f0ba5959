"""A late write never replaces a newer record: in the index (both backends) and in the store.

With many workers and API servers writing, a redelivered task or a catch-up can land after an
archivist's correction. Writes carry the record version; the older one must lose.
"""

from __future__ import annotations

from index_corpus import make_record
from index_fixtures import backend_settings, drop_elastic, es_url, fresh, open_backend  # noqa: F401  (fixtures)

from pipeline.index import SearchQuery
from pipeline.store import Archive, LocalStore


def versions(text: str) -> tuple:
    first = make_record("late-write", "invoice", f"Fattura {text} prima lettura", filename="f.pdf", version=1)
    corrected = first.model_copy(update={"text": f"Fattura {text} corretta dall'archivista", "version": 2})
    return first, corrected


def test_late_index_write_of_an_older_version_is_skipped(fresh):
    first, corrected = versions("zanzibar")
    assert fresh.upsert([first]).indexed == 1
    assert fresh.upsert([corrected]).indexed == 1
    late = fresh.upsert([first])  # the redelivered first reading lands after the correction
    assert late.failed == [] and late.indexed == 0 and late.stale == 1
    assert dict(fresh.ids())[first.id] == 2
    assert fresh.search(SearchQuery(text="corretta")).total == 1
    assert fresh.search(SearchQuery(text="prima")).total == 0


def test_same_version_written_again_is_applied(fresh):
    # A retried write of the very same version (crash before the journal knew) is not an error.
    first, _ = versions("quokka")
    assert fresh.upsert([first]).indexed == 1
    again = fresh.upsert([first])
    assert again.failed == [] and again.indexed == 1


def test_copy_indexed_without_external_version_is_still_replaced_by_a_newer_record(open_backend):
    # Indexes filled before writes carried versions count Elasticsearch's own writes (3 here).
    index = open_backend("elasticsearch")
    first, corrected = versions("ocelot")
    index.upsert([first])
    doc = index.client.get(index=index.alias, id=first.id).body["_source"]
    for _ in range(3):
        index.client.index(index=index.alias, id=first.id, document=doc, refresh=True)
    report = index.upsert([corrected])
    assert report.indexed == 1 and report.stale == 0
    assert dict(index.ids())[first.id] == 2


def test_late_store_write_does_not_replace_the_current_record(tmp_path):
    archive = Archive(LocalStore(tmp_path / "store"))
    first, corrected = versions("lemur")
    assert archive.save_record(first)
    assert archive.save_record(corrected)
    assert archive.save_record(first) is False
    assert archive.get_record(first.id).version == 2
    assert [r.version for r in archive.record_versions(first.id)] == [1, 2]
