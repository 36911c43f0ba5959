"""Search the way clerks type it: amounts, VAT ids, dates, months and years in any usual form, a
fallback to the best partial matches, the newest documents first for an empty query. Every
search case runs against SqliteIndex and a real Elasticsearch node (``typed`` is parametrised)."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from decimal import Decimal

import pytest
from click.testing import CliRunner
from docgen import valid_partita_iva
from index_corpus import make_record
from index_fixtures import BACKENDS, backend_settings, drop_elastic, fresh, open_backend  # noqa: F401

from pipeline.index import SearchQuery, open_index
from pipeline.index.query import QueryValueError, parse, parse_amount, parse_period, vat_forms

_rng = random.Random(1414)
VAT_BRENTA = valid_partita_iva(_rng)   # printed bare on its invoice
VAT_ADIGE = valid_partita_iva(_rng)    # printed with its IT prefix


def corpus():
    records = [
        make_record(
            "brenta", "invoice",
            f"Officine Meccaniche Brenta S.r.l.\nP.IVA {VAT_BRENTA} - Tel. 049 1234567\nFattura n. 417/B\n"
            "Data 03/09/2025\nImponibile 1.190,00\nIVA 22% 261,80\nTotale documento 1.451,80",
            filename="scan_0001.pdf", minutes=1, number="417/B", date="2025-09-03", net_amount="1190.00",
            vat_amount="261.80", total_amount="1451.80", currency="EUR", vendor_vat=VAT_BRENTA,
            vendor_name="Officine Meccaniche Brenta S.r.l."),
        make_record(
            "adige", "invoice",
            f"Trasporti Adige S.p.A.\nPartita IVA IT{VAT_ADIGE}\nFattura n. 88\nData 05/11/2024\n"
            "Totale documento 610,00",
            filename="scan_0002.pdf", minutes=2, number="88", date="2024-11-05", total_amount="610.00",
            currency="EUR", vendor_vat="IT" + VAT_ADIGE, vendor_name="Trasporti Adige S.p.A."),
        make_record(
            "scontrino-feb", "receipt", "BAR CENTRALE\nDOCUMENTO COMMERCIALE\nCaffè 2 x 1,20\nTOTALE EURO 14,00",
            filename="scontrino.jpg", minutes=3, date="2025-02-14", total_amount="14.00", currency="EUR",
            merchant_name="Bar Centrale"),
        make_record(
            "scontrino-numeri", "receipt",
            "PANIFICIO\nReparto 14 cassa 00\nPane 3,50\nTOTALE 23,50",
            filename="pane.jpg", minutes=4, date="2024-06-20", total_amount="23.50", currency="EUR",
            merchant_name="Panificio"),
        make_record(
            "lettera", "other", "Gentile cliente, a settembre l'ufficio resta aperto. Cordiali saluti.",
            filename="lettera.pdf", minutes=5),
    ]
    records[0] = records[0].model_copy(update={"tags": ["Da pagare", "Officina"]})
    return records


KEY = {hashlib.sha256(k.encode()).hexdigest(): k for k in ("brenta", "adige", "scontrino-feb", "scontrino-numeri", "lettera")}


@pytest.fixture(scope="module", params=BACKENDS)
def typed(request, tmp_path_factory):
    index = open_index(backend_settings(request.param, tmp_path_factory.mktemp(request.param)))
    report = index.upsert(corpus())
    assert report.failed == []
    yield index
    if index.name == "elasticsearch":
        drop_elastic(index)
    index.close()


def found(index, text: str = "", **filters) -> set[str]:
    return {KEY[h.id] for h in index.search(SearchQuery(text=text, size=50, **filters)).hits}


# -- amounts ------------------------------------------------------------------------------------
@pytest.mark.parametrize("typed_amount", ["1451,80", "1451.80", "1.451,80", "€ 1.451,80", "1,451.80", "1451,80 €"])
def test_an_amount_in_any_usual_form_finds_the_document_with_that_total(typed, typed_amount):
    assert found(typed, typed_amount) == {"brenta"}


def test_an_amount_matches_the_net_and_the_vat_as_well(typed):
    assert found(typed, "1190,00") == {"brenta"}
    assert found(typed, "261.80") == {"brenta"}


def test_an_amount_is_a_value_not_two_words(typed):
    # "Reparto 14 cassa 00" has the words 14 and 00 but no amount 14,00.
    assert found(typed, "14,00") == {"scontrino-feb"}


# -- VAT ids ------------------------------------------------------------------------------------
def test_vat_id_with_prefix_finds_the_document_that_prints_it_bare(typed):
    assert found(typed, "IT" + VAT_BRENTA) == {"brenta"}


def test_bare_vat_id_finds_the_document_that_prints_it_with_its_prefix(typed):
    assert found(typed, VAT_ADIGE) == {"adige"}


def test_vat_filter_takes_the_id_with_or_without_prefix(typed):
    assert found(typed, vat=VAT_BRENTA) == found(typed, vat="IT" + VAT_BRENTA) == {"brenta"}
    assert found(typed, vat=VAT_ADIGE) == found(typed, vat="it " + VAT_ADIGE) == {"adige"}


# -- dates --------------------------------------------------------------------------------------
@pytest.mark.parametrize("typed_date", ["03/09/2025", "3/9/2025", "3 settembre 2025", "2025-09-03", "settembre 2025",
                                        "09/2025"])
def test_a_date_or_a_month_finds_the_document_of_that_day(typed, typed_date):
    assert found(typed, typed_date) == {"brenta"}


def test_a_month_word_matches_the_document_date_not_only_its_text(typed):
    assert found(typed, "scontrino febbraio") == {"scontrino-feb"}
    # the letter says "settembre" in its text; the invoice is dated in September
    assert found(typed, "settembre") == {"brenta", "lettera"}


def test_a_year_word_matches_the_document_date(typed):
    assert found(typed, "fattura 2025") == {"brenta"}
    assert found(typed, "fattura 2024") == {"adige"}


# -- words --------------------------------------------------------------------------------------
def test_when_no_document_has_every_word_the_best_partial_matches_come_back_flagged(typed):
    results = typed.search(SearchQuery(text="fornitore Brenta 2025"))
    assert results.partial is True
    assert KEY[results.hits[0].id] == "brenta"
    complete = typed.search(SearchQuery(text="Brenta 2025"))
    assert complete.partial is False and {KEY[h.id] for h in complete.hits} == {"brenta"}


def test_partial_matches_page_on_with_their_cursor(typed):
    first = typed.search(SearchQuery(text="fattura scontrino", size=2))
    assert first.partial and first.next_cursor
    rest = typed.search(SearchQuery(text="fattura scontrino", size=50, cursor=first.next_cursor))
    assert rest.partial and rest.hits
    assert not {h.id for h in first.hits} & {h.id for h in rest.hits}
    assert len(first.hits) + len(rest.hits) == first.total


def test_an_empty_query_lists_the_last_filed_documents_first(typed):
    order = [KEY[h.id] for h in typed.search(SearchQuery(size=50)).hits]
    assert order == ["lettera", "scontrino-numeri", "scontrino-feb", "adige", "brenta"]


def test_month_facets_come_in_date_order(typed):
    months = [m for m, _ in typed.search(SearchQuery(size=1)).facets["month"]]
    assert months == ["2025-09", "2025-02", "2024-11", "2024-06"]


def test_filters_take_italian_dates_and_amounts(typed):
    assert found(typed, date_from=parse_period("settembre 2025")[0], date_to=parse_period("2025")[1]) == {"brenta"}
    assert found(typed, min_total=parse_amount("1.451,80"), max_total=parse_amount("€ 1451,80")) == {"brenta"}


def test_a_tag_filters_with_or_without_words(typed):
    assert found(typed, tag="da pagare") == {"brenta"}
    assert found(typed, "fattura", tag="Da pagare") == {"brenta"}
    assert found(typed, "scontrino", tag="da pagare") == set()
    assert found(typed, tag="nessuna") == set()


def test_correspondents_merge_the_spellings_of_one_vat_id(fresh):
    vat = valid_partita_iva(random.Random(99))
    fresh.upsert([
        make_record("c1", "invoice", "Brenta fattura", filename="a.pdf", vendor_vat=vat,
                    vendor_name="Officine Meccaniche Brenta S.r.l.", minutes=1),
        make_record("c2", "invoice", "Brenta fattura", filename="b.pdf", vendor_vat="IT" + vat,
                    vendor_name="Officine Meccaniche Brenta S.r.l.", minutes=2),
        make_record("c3", "invoice", "Brenta fattura", filename="c.pdf", vendor_vat=vat,
                    vendor_name="OFFICINE MECC. BRENTA SRL", minutes=3),
        make_record("c4", "invoice", "Adige fattura", filename="d.pdf", vendor_vat=VAT_ADIGE,
                    vendor_name="Trasporti Adige S.p.A.", minutes=4),
    ])
    results = fresh.search(SearchQuery(text="fattura"))
    assert results.facets["correspondent"] == [(vat, 3), (VAT_ADIGE, 1)]
    assert results.names[vat] == "Officine Meccaniche Brenta S.r.l."
    assert len(fresh.search(SearchQuery(vat=vat)).hits) == 3  # clicking it filters by the VAT id


# -- the parser alone ---------------------------------------------------------------------------
def test_parse_amount_reads_italian_and_english_forms_and_refuses_the_rest():
    for text in ("1451,80", "1451.80", "1.451,80", "€ 1.451,80", "1,451.80", "EUR 1451,8"):
        assert parse_amount(text) == Decimal("1451.80"), text
    assert parse_amount("1.451") == Decimal("1451.00")
    with pytest.raises(QueryValueError, match="not an amount"):
        parse_amount("mille")


def test_parse_period_is_day_first_and_knows_months_and_years():
    assert parse_period("03/09/2025") == (dt.date(2025, 9, 3),) * 2
    assert parse_period("3 settembre 2025") == (dt.date(2025, 9, 3),) * 2
    assert parse_period("febbraio 2024") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert parse_period("2025") == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    for bad in ("31/02/2025", "ieri", "13/2025"):
        with pytest.raises(QueryValueError):
            parse_period(bad)


def test_parse_splits_values_from_words():
    kinds = [(t.kind, t.typed) for t in parse("fattura € 1.451,80 del 3 settembre 2025 IT00743110157 febbraio")]
    assert kinds == [("words", "fattura"), ("amount", "€ 1.451,80"), ("words", "del"), ("date", "3 settembre 2025"),
                     ("vat", "IT00743110157"), ("month", "febbraio")]


def test_vat_forms_adds_or_drops_the_country_prefix():
    assert vat_forms("IT 00743110157") == ["IT00743110157", "00743110157"]
    assert vat_forms("00743110157") == ["00743110157", "IT00743110157"]


# -- the command line ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cli_office(tmp_path_factory):
    from support import make_settings
    root = tmp_path_factory.mktemp("cli-office")
    index = open_index(make_settings(root))
    index.upsert(corpus())
    index.close()
    return root


def _cli(root, *args):
    from pipeline.cli import cli
    env = {f"ARCHIVIO_PATHS_{v}": str(root / v.lower()) for v in ("INBOX", "PROCESSED", "QUARANTINE", "DUPLICATES")}
    env["ARCHIVIO_PATHS_DATA"] = str(root / "data")
    return CliRunner().invoke(cli, list(args), env=env)


def test_cli_takes_italian_amounts_and_dates(cli_office):
    result = _cli(cli_office, "search", "--min-total", "1451,80", "--from", "settembre 2025", "--to", "03/09/2025")
    assert result.exit_code == 0, result.output
    assert "scan_0001.pdf" in result.output and "1-1 of 1" in result.output


@pytest.mark.parametrize("option,value", [("--min-total", "mille"), ("--from", "31/02/2025"), ("--to", "ieri")])
def test_cli_refuses_an_unreadable_value_in_one_line(cli_office, option, value):
    result = _cli(cli_office, "search", option, value)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert len([line for line in result.output.splitlines() if line.startswith("Error")]) == 1


def test_cli_says_when_it_shows_partial_matches(cli_office):
    result = _cli(cli_office, "search", "fornitore", "Brenta", "2025")
    assert result.exit_code == 0 and "closest matches" in result.output
