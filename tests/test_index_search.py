"""One behaviour for both search backends: every test here runs against SqliteIndex and a real
Elasticsearch node (``loaded`` / ``fresh`` are parametrised over both)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from index_corpus import VAT_BIANCHI, VAT_ROSSI, IBAN_ROSSI, by_key, make_record, records
from index_fixtures import fresh, loaded, open_backend  # noqa: F401  (fixtures)

from pipeline.errors import IndexError_
from pipeline.index import SearchQuery

ID = by_key("mention")
KEY = {v: k for k, v in ID.items()}


def found(index, text: str = "", **filters) -> set[str]:
    results = index.search(SearchQuery(text=text, size=100, **filters))
    assert results.total == len(results.hits)
    return {KEY[h.id] for h in results.hits}


def ranked(index, text: str, **options) -> list[str]:
    return [KEY[h.id] for h in index.search(SearchQuery(text=text, size=100, **options)).hits]


# -- words --------------------------------------------------------------------------------------
def test_italian_plural_finds_the_singular_through_its_stem(loaded):
    assert found(loaded, "fatture") == {"inv-rossi", "inv-bianchi", "inv-verdi"}


def test_contratti_finds_a_contract_that_only_says_contratto(loaded):
    assert found(loaded, "contratti") == {"ctr-locazione"}


def test_english_plural_finds_the_singular(loaded):
    assert found(loaded, "agreements") == {"ctr-service"}
    assert found(loaded, "receipts") == {"rcpt-grocer", "rcpt-cafe"}


def test_word_without_its_accent_finds_the_accented_word(loaded):
    assert found(loaded, "citta") == {"inv-rossi", "ctr-locazione"}
    assert found(loaded, "Città") == {"inv-rossi", "ctr-locazione"}


def test_every_word_of_the_query_must_match(loaded):
    assert found(loaded, "coffee beans") == {"rcpt-grocer", "rcpt-cafe"}
    assert found(loaded, "coffee milk") == {"rcpt-grocer"}
    # nobody has both: the partial matches come back, flagged as such
    assert loaded.search(SearchQuery(text="fattura grocer")).partial is True
    assert loaded.search(SearchQuery(text="coffee milk")).partial is False


def test_words_match_in_the_title_fields_too(loaded):
    # "Miramare" is a party of the lease; "locazione" is also in its file name.
    assert found(loaded, "miramare") == {"ctr-locazione"}
    assert found(loaded, "bianchi manutenzione") == {"inv-bianchi"}


def test_a_word_nowhere_in_the_archive_finds_nothing(loaded):
    results = loaded.search(SearchQuery(text="ornitorinco"))
    assert results.total == 0 and results.hits == [] and results.next_cursor is None


# -- identifiers --------------------------------------------------------------------------------
def test_invoice_number_puts_its_invoice_first(loaded):
    order = ranked(loaded, "123/FE")
    assert order[0] == "inv-rossi"


def test_vat_id_finds_exactly_its_vendors_document(loaded):
    assert ranked(loaded, VAT_ROSSI) == ["inv-rossi"]
    assert ranked(loaded, VAT_BIANCHI) == ["inv-bianchi"]


def test_identifier_typed_in_pieces_still_finds_its_document(loaded):
    spaced = " ".join(IBAN_ROSSI[i:i + 4] for i in range(0, len(IBAN_ROSSI), 4))
    assert ranked(loaded, spaced) == ["inv-rossi"]


def test_exact_identifier_outranks_documents_that_mention_it_in_passing(fresh):
    # The same number printed in another document's text must not outrank the invoice it belongs to.
    fresh.upsert(records() + [make_record(
        "mention", "other", "Sollecito: la fattura 123/FE risulta non pagata. Fattura 123/FE, 123/FE, 123/FE.",
        filename="sollecito.pdf", minutes=30)])
    assert ranked(fresh, "123/FE")[0] == "inv-rossi"


# -- filters ------------------------------------------------------------------------------------
def test_filter_by_class(loaded):
    assert found(loaded, doc_class="receipt") == {"rcpt-grocer", "rcpt-cafe"}
    assert found(loaded, "coffee", doc_class="invoice") == set()


def test_filter_by_date_range_includes_both_ends(loaded):
    assert found(loaded, date_from=dt.date(2024, 3, 3), date_to=dt.date(2024, 4, 2)) == \
        {"rcpt-grocer", "inv-rossi", "inv-bianchi"}


def test_filter_by_amount_range_includes_both_ends(loaded):
    assert found(loaded, min_total=Decimal("12.40"), max_total=Decimal("305.00")) == \
        {"rcpt-grocer", "inv-bianchi", "inv-verdi"}
    assert found(loaded, min_total=Decimal("1000")) == {"inv-rossi"}


def test_filter_by_vendor_name_part_ignores_case(loaded):
    assert found(loaded, vendor="rossi") == {"inv-rossi"}
    assert found(loaded, vendor="GROCER") == {"rcpt-grocer"}


def test_filter_by_vat_id_with_or_without_country_prefix(loaded):
    assert found(loaded, vat=VAT_BIANCHI) == {"inv-bianchi"}
    # An Italian partita IVA is the same number with or without "IT" (DM 17 giugno 2014 search, issue 17).
    assert found(loaded, vat="IT" + VAT_BIANCHI) == {"inv-bianchi"}
    assert found(loaded, vat="00000000000") == set()


def test_filter_by_needs_review(loaded):
    assert found(loaded, needs_review=True) == {"inv-bianchi"}
    assert "inv-bianchi" not in found(loaded, needs_review=False)


def test_filter_by_folder_takes_its_sub_folders_but_not_look_alikes(loaded):
    assert found(loaded, folder="fornitori") == {"inv-rossi", "inv-bianchi"}
    assert found(loaded, folder="fornitori/2024") == {"inv-rossi", "inv-bianchi"}
    assert found(loaded, folder="fornitori-vecchi") == {"inv-verdi"}


def test_filters_combine_with_words(loaded):
    assert found(loaded, "fattura", folder="fornitori", needs_review=False) == {"inv-rossi"}


# -- facets -------------------------------------------------------------------------------------
def test_facets_count_class_vendor_and_month_of_the_matching_documents(loaded):
    facets = loaded.search(SearchQuery()).facets
    assert dict(facets["class"]) == {"invoice": 3, "receipt": 2, "contract": 2, "other": 1}
    assert facets["class"][0] == ("invoice", 3)
    assert dict(facets["vendor"]) == {
        "Cartoleria Rossi S.r.l.": 1, "Idraulica Bianchi S.n.c.": 1, "Tipografia Verdi S.p.A.": 1,
        "Corner Grocer Ltd": 1, "Green Leaf Cafe": 1, "Hotel Miramare S.r.l.": 1, "Blue Harbour Books": 1}
    assert dict(facets["month"]) == {"2024-01": 1, "2024-02": 1, "2024-03": 2, "2024-04": 2, "2024-05": 1}
    narrowed = loaded.search(SearchQuery(text="fattura")).facets
    assert dict(narrowed["class"]) == {"invoice": 3}


def test_facets_can_be_left_out(loaded):
    assert loaded.search(SearchQuery(text="fattura", facets=False)).facets == {}


# -- snippets, sort, pages ----------------------------------------------------------------------
def test_snippet_marks_the_matched_word(loaded):
    hit = loaded.search(SearchQuery(text="toner")).hits[0]
    assert "«Toner»" in hit.snippet


def test_snippet_marks_an_unaccented_query_in_the_accented_text(loaded):
    hit = loaded.search(SearchQuery(text="citta", doc_class="invoice")).hits[0]
    assert "«Città»" in hit.snippet


@pytest.mark.parametrize("sort, expected", [
    ("date", ["ctr-locazione", "ctr-service", "rcpt-grocer", "inv-rossi", "inv-bianchi", "inv-verdi", "rcpt-cafe",
              "other-lettera"]),
    ("-date", ["rcpt-cafe", "inv-verdi", "inv-bianchi", "inv-rossi", "rcpt-grocer", "ctr-service", "ctr-locazione",
               "other-lettera"]),
    ("amount", ["rcpt-cafe", "rcpt-grocer", "inv-verdi", "inv-bianchi", "inv-rossi"]),
    ("-amount", ["inv-rossi", "inv-bianchi", "inv-verdi", "rcpt-grocer", "rcpt-cafe"]),
])
def test_sort_by_date_or_amount_puts_documents_without_one_last(loaded, sort, expected):
    order = ranked(loaded, "", sort=sort)
    assert order[: len(expected)] == expected
    assert len(order) == 8


def test_listing_without_words_shows_newest_first(loaded):
    assert ranked(loaded, "")[:2] == ["other-lettera", "ctr-service"]


@pytest.mark.parametrize("sort", ["relevance", "date", "-amount"])
def test_following_next_cursor_visits_every_match_once_in_order(loaded, sort):
    everything = [h.id for h in loaded.search(SearchQuery(sort=sort, size=100)).hits]
    seen, cursor, pages = [], None, 0
    while True:
        page = loaded.search(SearchQuery(sort=sort, size=3, cursor=cursor))
        assert page.total == 8
        seen += [h.id for h in page.hits]
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == everything and pages == 3


def test_offset_gives_a_later_page_of_the_same_listing(loaded):
    everything = [h.id for h in loaded.search(SearchQuery(sort="date", size=100)).hits]
    page = loaded.search(SearchQuery(sort="date", size=3, offset=3))
    assert [h.id for h in page.hits] == everything[3:6]


def test_cursor_of_another_search_is_refused(loaded):
    cursor = loaded.search(SearchQuery(text="fattura", size=1)).next_cursor
    assert cursor
    with pytest.raises(IndexError_, match="different search"):
        loaded.search(SearchQuery(text="contratto", size=1, cursor=cursor))
    with pytest.raises(IndexError_, match="damaged"):
        loaded.search(SearchQuery(text="fattura", size=1, cursor="not-a-cursor"))


def test_hit_carries_the_fields_a_listing_shows(loaded):
    hit = loaded.search(SearchQuery(text="123/FE")).hits[0]
    assert (hit.doc_class, hit.filename, hit.folder, hit.date, hit.total, hit.currency, hit.vendor, hit.number,
            hit.needs_review) == ("invoice", "fattura_123.pdf", "fornitori/2024", "2024-03-15", "1234.50", "EUR",
                                  "Cartoleria Rossi S.r.l.", "123/FE", False)


# -- writing ------------------------------------------------------------------------------------
def test_upserted_document_is_searchable_at_once(fresh):
    report = fresh.upsert([records()[0]])
    assert (report.indexed, report.failed) == (1, [])
    assert found(fresh, "toner") == {"inv-rossi"}


def test_upsert_replaces_the_previous_version(fresh):
    first = records()[0]
    fresh.upsert([first])
    changed = first.model_copy(update={"version": 2, "text": first.text.replace("Toner", "Cartucce"),
                                       "needs_review": True})
    fresh.upsert([changed])
    assert found(fresh, "toner") == set()
    assert found(fresh, "cartucce", needs_review=True) == {"inv-rossi"}
    assert dict(fresh.ids()) == {first.id: 2}
    assert fresh.count() == 1


def test_delete_removes_the_document(fresh):
    fresh.upsert(records())
    fresh.delete(ID["rcpt-cafe"])
    fresh.delete("no-such-document")  # nothing to do, no error
    assert fresh.count() == 7
    assert found(fresh, "receipt") == {"rcpt-grocer"}


def test_date_that_is_not_a_calendar_date_is_indexed_without_it(fresh):
    record = make_record("bad-date", "invoice", "Fattura n. 9", filename="x.pdf", number="9", date="2024-02-30")
    assert fresh.upsert([record]).failed == []
    assert fresh.search(SearchQuery(text="fattura")).hits[0].date is None


def test_rebuild_replaces_the_whole_index_with_the_given_records(fresh):
    fresh.upsert(records())
    report = fresh.rebuild(records()[:3])
    assert (report.indexed, report.failed) == (3, [])
    assert fresh.count() == 3
    assert found(fresh, "receipt") == set()
    assert found(fresh, "fatture") == {"inv-rossi", "inv-bianchi", "inv-verdi"}


# -- the two backends agree ---------------------------------------------------------------------
PARITY_QUERIES = [
    SearchQuery(text="fattura"), SearchQuery(text="fatture 2024"), SearchQuery(text="contratto"),
    SearchQuery(text="CONTRATTI"), SearchQuery(text="citta"), SearchQuery(text="thank you"),
    SearchQuery(text="coffee"), SearchQuery(text="totale documento"), SearchQuery(text="S.r.l."),
    SearchQuery(text="1.234,50"), SearchQuery(text="45/A"), SearchQuery(text=VAT_ROSSI),
    SearchQuery(text=IBAN_ROSSI), SearchQuery(text="bergamo"), SearchQuery(text="agreement years"),
    SearchQuery(text="fattura", doc_class="invoice", needs_review=True),
    SearchQuery(date_from=dt.date(2024, 4, 1)), SearchQuery(max_total=Decimal("100")),
    SearchQuery(vendor="s.r.l."), SearchQuery(folder="contratti"), SearchQuery(text="gentile cliente"),
]


def test_both_backends_find_the_same_documents_with_the_same_facets(open_backend):
    indexes = [open_backend(backend) for backend in ("sqlite", "elasticsearch")]
    for index in indexes:
        index.upsert(records())
    for query in PARITY_QUERIES:
        sqlite, elastic = (index.search(query) for index in indexes)
        assert {h.id for h in sqlite.hits} == {h.id for h in elastic.hits}, query
        assert sqlite.total == elastic.total, query
        assert {k: dict(v) for k, v in sqlite.facets.items()} == {k: dict(v) for k, v in elastic.facets.items()}, query


# -- the embedded index's own file ----------------------------------------------------------------
def test_sqlite_index_file_of_the_previous_layout_is_migrated_in_place(tmp_path):
    import sqlite3

    from pipeline.index.sqlite import _SCHEMA_VERSION, SqliteIndex

    path = tmp_path / "index.sqlite3"
    SqliteIndex(path).upsert(records())
    db = sqlite3.connect(path)
    # Layout 1 numbered FTS rows on their own: scramble the rowids the way it left them.
    db.executescript("""
        CREATE VIRTUAL TABLE old USING fts5(id UNINDEXED, ids, title, body, stems,
                                            tokenize = 'unicode61 remove_diacritics 2');
        INSERT INTO old (rowid, id, ids, title, body, stems) SELECT rowid + 1000, id, ids, title, body, stems FROM fts;
        DROP TABLE fts; ALTER TABLE old RENAME TO fts;
        UPDATE meta SET value = '1' WHERE key = 'schema';
    """)
    db.close()
    index = SqliteIndex(path)
    assert found(index, "fatture") == {"inv-rossi", "inv-bianchi", "inv-verdi"}
    index.delete(ID["inv-rossi"])
    assert found(index, "fatture") == {"inv-bianchi", "inv-verdi"}
    index.upsert(records()[:1])
    assert found(index, "fatture") == {"inv-rossi", "inv-bianchi", "inv-verdi"}
    assert index._db().execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0] == str(_SCHEMA_VERSION)


def test_snippet_marks_the_word_a_plural_found_through_its_stem(loaded):
    hit = loaded.search(SearchQuery(text="contratti")).hits[0]
    assert "«contratto»" in hit.snippet.lower()
