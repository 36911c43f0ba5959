"""Paging through a search: the count and facets are computed by its first page and reused by
its later pages while the index is unchanged, so page 2…n cost the page alone; any write, through
this index object or another connection, makes the next page count afresh."""

from __future__ import annotations

import datetime as dt

from pipeline.index import SearchQuery
from pipeline.index.sqlite import SqliteIndex
from pipeline.records import ExtractedField, Record, Source

START = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)


def _record(i: int, doc_class: str = "invoice") -> Record:
    sha = f"{i:064x}"
    return Record(id=sha, sha256=sha, size=100, media_type="application/pdf", doc_class=doc_class,
                  class_confidence=0.9, language="it", pages=1, text=f"Fattura numero {i} manutenzione",
                  ingested_at=START + dt.timedelta(minutes=i),
                  source=Source(filename=f"f{i}.pdf", folder="", received_at=START),
                  fields={"date": ExtractedField(value=f"2025-0{1 + i % 3}-10", confidence=0.9)})


def _facet_passes(index: SqliteIndex) -> list[str]:
    statements: list[str] = []
    index._db().set_trace_callback(statements.append)
    return statements


def test_later_pages_reuse_the_first_pages_facets_until_the_index_changes(tmp_path):
    index = SqliteIndex(tmp_path / "index.sqlite3")
    index.upsert([_record(i) for i in range(5)] + [_record(9, "receipt")])
    traced = _facet_passes(index)

    def passes() -> int:
        return sum("substr(d.date, 1, 7)" in s for s in traced)

    first = index.search(SearchQuery(text="fattura", size=2))
    assert passes() == 1 and first.total == 6
    second = index.search(SearchQuery(text="fattura", size=2, cursor=first.next_cursor))
    assert passes() == 1  # no second pass over the matches
    assert (second.total, second.facets, second.names) == (first.total, first.facets, first.names)
    index.search(SearchQuery(text="fattura", size=2))
    assert passes() == 2  # a first page always counts afresh

    other = SqliteIndex(tmp_path / "index.sqlite3")  # another connection: the watcher filing
    other.upsert([_record(20, "receipt")])
    third = index.search(SearchQuery(text="fattura", size=2, cursor=second.next_cursor))
    assert third.total == 7 and dict(third.facets["class"])["receipt"] == 2

    index.upsert([_record(21)])  # this object's own connection
    fourth = index.search(SearchQuery(text="fattura", size=2, cursor=second.next_cursor))
    assert fourth.total == 8 and dict(fourth.facets["class"])["invoice"] == 6

    index.delete(f"{21:064x}")
    assert index.search(SearchQuery(text="fattura", size=2, cursor=second.next_cursor)).total == 7
