"""Reading values as printed: amounts in the four formats, strict dates, labels on positioned
words (beside, below, across OCR blocks, on a tilted scan), totals that add up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pipeline.config import config_dir
from pipeline.extract.amounts import currency_code, find_amounts, parse_amount
from pipeline.extract.dates import find_dates, parse_date
from pipeline.extract.labelled import labelled_candidates, read_number
from pipeline.extract.layout import Layout
from pipeline.extract.totals import choose
from pipeline.extract.vocabulary import load_vocabulary
from pipeline.records import Page, Word

TODAY = dt.date(2024, 6, 1)


@pytest.mark.parametrize("printed, value", [
    ("1.234,56", "1234.56"),      # it / de
    ("1,234.56", "1234.56"),      # en
    ("1 234,56", "1234.56"),      # fr
    ("1'234.50", "1234.50"),      # ch
    ("14.00", "14.00"),           # FatturaPA courtesy copy
    ("12,5", "12.50"),
    ("-122.00", "-122.00"),       # credit note
    ("12,00-", "-12.00"),         # credit line on a till
    ("1.000", "1000.00"),         # a thousands group, not a decimal
    ("€ 399,00", "399.00"),
    ("$4.11", "4.11"),
])
def test_amounts_in_every_format(printed, value):
    assert parse_amount(printed) == Decimal(value)


def test_a_quantity_before_a_price_is_not_read_as_thousands():
    assert [v for v, _, _ in find_amounts("Total 1 278.61 40.39")] == [Decimal("1.00"), Decimal("278.61"),
                                                                       Decimal("40.39")]


@pytest.mark.parametrize("text", ["Net Amt : §3.55", "TOTAL §3.55", "§19 UStG", "§2100 KUALA LUMPUR"])
def test_a_figure_glued_to_a_section_sign_is_no_amount(text):
    # OCR's "§" on a till slip is a 5 ("§3.55" printed 53.55), in a law's reference a paragraph.
    assert find_amounts(text) == []
    assert find_amounts(text.replace("§", "§ ")) != []  # a sign apart from the figure is no part of it


def test_currency_signs_and_codes():
    assert currency_code("Totale € 12,00") == "EUR"
    assert currency_code("Grand Total Rs 1939") == "INR"
    assert currency_code("TOTAL RM 60.30") == "MYR"
    assert currency_code("Total $4.11") == "USD"
    assert currency_code("Europe and the euro area") is None


@pytest.mark.parametrize("printed, iso, month_first", [
    ("12/03/2024", "2024-03-12", False),
    ("03/12/2024", "2024-03-12", True),
    ("12/31/2024", "2024-12-31", False),   # only month-first can exist
    ("2018-01-07", "2018-01-07", False),
    ("01.10.2018", "2018-10-01", False),
    ("07 Gennaio 2018", "2018-01-07", False),
    ("19 april 2014", "2014-04-19", False),
    ("1. Oktober 2018", "2018-10-01", False),
    ("August 3 , 2014", "2014-08-03", False),
    ("the 23rd day of February, 1998", "1998-02-23", True),
    ("25 Mar 18", "2018-03-25", False),
    ("10/1/08", "2008-10-01", True),
])
def test_dates_as_printed(printed, iso, month_first):
    assert parse_date(printed, month_first=month_first) == dt.date.fromisoformat(iso)


@pytest.mark.parametrize("printed", ["31/02/2024", "2024", "12/2024", "INV/2016/01/0001", "20:49:59"])
def test_impossible_or_partial_dates_are_not_dates(printed):
    assert find_dates(printed) == []


def test_dates_far_in_the_future_are_misreads():
    assert find_dates("01/01/2031", today=TODAY) == []
    assert find_dates("01/01/2025", today=TODAY)


def test_invoice_number_skips_type_codes_and_dates():
    assert read_number("(380) Nr. E2018092011804 vom 20.09.2018").value == "E2018092011804"
    assert read_number("INV/2016/01/0001").value == "INV/2016/01/0001"
    assert read_number("del 12/03/2024") is None


# -- labels on positioned words ----------------------------------------------------------------
def readings(*rows_per_reading: list[list[tuple[str, float]]]) -> Layout:
    """A photo read more than once: the first reading's page, the others hanging off it
    (``Page.alternate``), as the photo reader leaves them for extraction to vote with."""
    pages = [page(rows) for rows in rows_per_reading]
    for first, second in zip(pages, pages[1:]):
        first.alternate = second
    return Layout([pages[0]])


def page(rows: list[list[tuple[str, float]]], *, line_height: float = 20, slope: float = 0.0,
         split_blocks: bool = False) -> Page:
    """A page of words: each row is a list of (text, x); rows 40 units apart. With
    ``split_blocks`` every word is its own OCR line (as Tesseract does across wide gaps)."""
    words, line = [], 0
    for r, row in enumerate(rows):
        y = 100 + 40 * r
        for text, x in row:
            width = 9 * len(text)
            dy = slope * x
            words.append(Word(text, x, y + dy, x + width, y + dy + line_height, 90.0, line))
            if split_blocks:
                line += 1
        line += 1
    return Page(number=1, width=1200, height=1700, words=words, method="ocr")


def candidates_for(p: Page, doc_class: str) -> dict:
    vocab = load_vocabulary(config_dir() / "fields.toml")
    return labelled_candidates(Layout([p]), vocab.specs(doc_class), ignore=vocab.ignore(doc_class),
                               month_first=False, today=TODAY)


def test_longest_label_wins_so_a_net_label_is_not_read_as_the_total():
    found = candidates_for(page([[("Totale", 100), ("imponibile", 170), ("100,00", 600)],
                                 [("IVA", 100), ("22%", 150), ("22,00", 600)],
                                 [("Totale", 100), ("documento", 170), ("122,00", 600)]]), "invoice")
    assert [c.reading.value for c in found["total_amount"]] == [Decimal("122.00")]
    assert [c.reading.value for c in found["net_amount"]] == [Decimal("100.00")]
    assert Decimal("22.00") in [c.reading.value for c in found["vat_amount"]]  # not the 22 % rate


def test_value_beside_the_label_in_another_ocr_block_on_a_tilted_scan():
    found = candidates_for(page([[("TOTAL", 50), ("AMT", 110), ("60.31", 900)]], slope=0.02, split_blocks=True),
                           "receipt")
    assert [c.reading.value for c in found["total_amount"]] == [Decimal("60.31")]


def test_value_under_a_table_header():
    found = candidates_for(page([[("Beschreibung", 100), ("Fälligkeit", 500), ("Teilzahlung", 800)],
                                 [("Zahlbar", 100), ("ohne", 180), ("Abzug", 240), ("30.11.2018", 505)]]), "invoice")
    assert [c.reading.value for c in found["due_date"]] == [dt.date(2018, 11, 30)]


def test_totals_prefer_the_set_that_adds_up_and_sum_per_rate_summaries():
    found = candidates_for(page([[("Totale", 100), ("imponibile/importo:", 170), ("14.00", 600)],
                                 [("Totale", 100), ("imposta:", 170), ("3.08", 600)],
                                 [("Totale", 100), ("imponibile/importo:", 170), ("47.00", 600)],
                                 [("Totale", 100), ("imposta:", 170), ("10.34", 600)],
                                 [("Importo", 100), ("totale", 170), ("documento:", 240), ("74.42", 600)]]), "invoice")
    vocab = load_vocabulary(config_dir() / "fields.toml")
    sums = tuple(label for s in vocab.specs("invoice", "net_amount", "vat_amount") for label in s.sum_labels)
    chosen = choose(found["net_amount"], found["vat_amount"], found["total_amount"], sum_labels=sums)
    assert (chosen.net.reading.value, chosen.vat.reading.value, chosen.total.reading.value) == \
        (Decimal("61.00"), Decimal("13.42"), Decimal("74.42"))
    assert chosen.consistent
