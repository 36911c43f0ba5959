"""A till slip's date as OCR reads thermal print: separators read as commas, an O for a zero, an
l for a one, a space beside a separator. Generated slips of every kind (tests/gen_receipts.py);
the raw text reported is the date as it was read."""

from __future__ import annotations

import datetime as dt

import pytest

from gen_receipts import KINDS, slip
from pipeline.config import config_dir
from pipeline.extract import receipt
from pipeline.extract.layout import Layout
from pipeline.extract.receipt_dates import till_dates
from pipeline.extract.vocabulary import load_vocabulary
from test_extract_reading import page

TODAY = dt.date(2025, 1, 15)
SEEDS = range(6)
VOCAB = load_vocabulary(config_dir() / "fields.toml")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("how", ["plain", "commas", "letter_o", "letter_l", "spaced"])
def test_the_date_is_read_through_the_misreads_of_till_print(kind, how):
    for seed in SEEDS:
        s = slip(seed, kind, date_read=how)
        date = receipt.extract(Layout([page(s.rows)]), VOCAB, language=None, today=TODAY)["date"]
        assert date.value == s.fields["date"], s.rows
        printed = " ".join(text for row in s.rows for text, _ in row)
        assert date.raw in printed, (date.raw, printed)


@pytest.mark.parametrize("text", [
    "1,50,20",  # money grouped the Indian way, no time beside it
    "SUBTOTAL 12,05,20",
    "Il.Ol.IO 12:00",  # too few digits to be a date
    "ART 10-1O5-2024",  # a month of three characters
])
def test_figures_are_not_taken_for_dates(text):
    assert till_dates(text, month_first=False, today=TODAY) == []


def test_a_repaired_date_reports_what_was_printed_and_where():
    text = "Bon 4711 l5.O4.24 16:15 Kasse 3"
    assert till_dates(text, month_first=False, today=TODAY) == [(dt.date(2024, 4, 15), "l5.O4.24", 9)]
    text = "15,04,20 16:15 and 01.02. 2021"
    assert [(d.isoformat(), raw, pos) for d, raw, pos in till_dates(text, month_first=False, today=TODAY)] == [
        ("2020-04-15", "15,04,20", 0), ("2021-02-01", "01.02. 2021", 19)]


_MON = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
_BULAN = ["JAN", "FEB", "MAC", "APR", "MEI", "JUN", "JUL", "OGOS", "SEP", "OKT", "NOV", "DIS"]
# How Malaysian tills print the date line (month names in English or Malay), and OCR's glue.
TILL_DATE_LINES = {
    "slash": lambda d: f"Date : {d:%d/%m/%Y} {d:%H:%M}",
    "short_year_pm": lambda d: f"{d:%d/%m/%y} {d:%I:%M:%S} PM",
    "dash_time_label": lambda d: f"DATE: {d:%d-%m-%Y} TIME: {d:%H:%M}",
    "iso": lambda d: f"{d:%Y-%m-%d} {d:%H:%M:%S}",
    "month_name": lambda d: f"{d.day:02d} {_MON[d.month - 1]} {d.year} {d:%H:%M}",
    "month_name_dashes": lambda d: f"Date: {d.day:02d}-{_MON[d.month - 1].title()}-{d:%y}",
    "month_first": lambda d: f"{_MON[d.month - 1].title()} {d.day}, {d.year} {d:%I:%M %p}",
    "time_glued": lambda d: f"DATE:{d:%d/%m/%Y}{d:%H:%M}",
    "time_first": lambda d: f"{d:%H:%M} {d:%d/%m/%Y}",
    "weekday": lambda d: f"{d:%d/%m/%Y}(Mon) {d:%H:%M}",
    "tarikh": lambda d: f"Tarikh : {d:%d.%m.%Y}",
    "unpadded": lambda d: f"Date: {d.day}/{d.month}/{d.year} {d:%H:%M}",
    "bulan": lambda d: f"{d.day:02d}-{_BULAN[d.month - 1]}-{d.year}",
}


@pytest.mark.parametrize("form", sorted(TILL_DATE_LINES))
def test_the_date_lines_of_malaysian_tills(form):
    import random

    from gen_receipts import _words

    for seed in range(8):
        rng = random.Random(seed)
        when = dt.datetime(2017, 1, 1, 9) + dt.timedelta(days=rng.randint(0, 700), minutes=rng.randint(0, 600))
        rows = ["KEDAI MAJU SDN BHD", "(123456-X)", "NO 8, JALAN PERDANA", "43000 KAJANG", "TEL: 03-8888 1234",
                "GST REG NO : 000123456789", "TAX INVOICE", "Invoice No: 12345", TILL_DATE_LINES[form](when),
                "NASI LEMAK 1 4.50 4.50 SR", "TOTAL 4.50", "CASH 10.00", "CHANGE 5.50"]
        date = receipt.extract(Layout([page([_words(r) for r in rows])]), VOCAB, language=None, today=TODAY)["date"]
        assert date.value == when.date().isoformat(), (date, rows)
