"""Which lines of a photographed slip get a second look (pipeline/extract/receipt_look.py), and
how the readings vote (receipt._vote): the kinds of first-reading failure seen on receipt
photos, checked on generated slips of every layout (tests/gen_receipts.py), never on one real
document."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from gen_receipts import KINDS, slip
from pipeline.extract import receipt
from pipeline.extract.receipt_look import lines_to_reread
from pipeline.records import ExtractedField
from test_extract_reading import candidates_for, page

TODAY = dt.date(2025, 1, 15)
SEEDS = range(3)


def first_reading(rows):
    """The slip as a first reading gives it, the page as tall as the slip (its lower half is
    where totals are printed)."""
    p = page(rows)
    return dataclasses.replace(p, height=100 + 40 * len(rows) + 60)


def total_row(s) -> int:
    figure = s.fields["total_amount"]
    return next(i for i, row in enumerate(s.rows)
                if row[-1][0].replace(",", ".") == figure and not row[0][0][0].isdigit())


def reread(rows, line: int) -> bool:
    """Is the printed line ``line`` (its box: y 100 + 40 * line, 20 high) read again?"""
    top = 100 + 40 * line
    bands = lines_to_reread(first_reading(rows), today=TODAY)
    return any(b0 <= top + 10 <= b1 for b0, b1 in bands)


@pytest.mark.parametrize("kind", KINDS)
def test_a_line_the_first_reading_skipped_is_read_again(kind):
    # A double-height TOTAL line is sometimes left out of the first reading altogether.
    for seed in SEEDS:
        s = slip(seed, kind, payment="card")
        at = total_row(s)
        rows = [row if i != at else [] for i, row in enumerate(s.rows)]
        assert reread(rows, at), (kind, seed)


@pytest.mark.parametrize("kind", KINDS)
def test_a_total_label_whose_figure_came_out_garbled_is_read_again(kind):
    for seed in SEEDS:
        s = slip(seed, kind, payment="none")
        at = total_row(s)
        rows = [list(row) for row in s.rows]
        rows[at] = rows[at][:-1] + [("1s", 500), ("Se", 530)]
        assert reread(rows, at), (kind, seed)


@pytest.mark.parametrize("kind", KINDS)
def test_a_figure_followed_by_its_currency_or_vat_class_is_read_again(kind):
    # "19,77 A" (German VAT class), "5.00 RM": the line still ends in a figure of money.
    for seed in SEEDS:
        s = slip(seed, kind, total_label="garbled", payment="none")
        at = total_row(s)
        for suffix in ("A", "RM", "EUR"):
            rows = [list(row) for row in s.rows]
            rows[at] = rows[at] + [(suffix, 560)]
            assert reread(rows, at), (kind, seed, suffix)


def test_a_slip_with_its_figures_corroborated_gets_a_second_look_at_its_date_only():
    # A date line read surely may still hold a misread figure ("19/08/2018" for 19/03/2018):
    # its line alone is read again, to outvote it; the total, the head and the items are not.
    for kind in KINDS:
        s = slip(1, kind, payment="cash")
        dated = [i for i, row in enumerate(s.rows) if re.search(r"\d[./-]\d\d[./-]\d", " ".join(t for t, _ in row))]
        assert dated, kind
        assert all(reread(s.rows, i) for i in dated), kind
        assert not any(reread(s.rows, i) for i in range(len(s.rows)) if i not in dated), kind


def _field(value: str, raw: str, confidence: float) -> ExtractedField:
    return ExtractedField(value=value, raw=raw, confidence=confidence)


def _found(cash: str, change: str) -> dict:
    return candidates_for(page([[("CASH", 40), (cash, 500)], [("CHANGE", 40), (change, 500)]]), "receipt")


def test_cash_minus_change_agreed_by_more_readings_wins():
    # The first reading took the change from the tax line under a garbled CHANGE line.
    found = [_found("50.00", "26.79"), _found("50.00", "21.60"), _found("50.00", "21.60")]
    results = [_field("23.21", "cash − change", 0.5), _field("28.40", "cash − change", 0.5),
               _field("28.40", "cash − change", 0.5)]
    assert receipt._vote(results, found, "amount").value == "28.40"


def test_an_unsure_first_reading_yields_to_a_figure_the_second_look_read_surely():
    found = [{}, {}]
    unsure, sure = _field("2.33", "2,33", 0.06), _field("19.77", "19,77", 0.85)
    assert receipt._vote([unsure, sure], found, "amount").value == "19.77"
    # A first reading read surely keeps its figure: enlarging legible print can misread it.
    legible, misread = _field("7.40", "7.40", 0.9), _field("1.40", "1,40", 0.9)
    assert receipt._vote([legible, misread], found, "amount").value == "7.40"


@pytest.mark.parametrize("kind", KINDS)
def test_a_date_line_read_surely_as_no_date_is_read_again(kind):
    # Small print read surely with one digit misread ("91.05.2023" for 01.05.2023, "16/69/20"):
    # shaped like a date, no date in it, so nothing corroborates the slip's date. Without a
    # second look the slip was filed with no date (generated small-print slips, 2 of 60).
    tried = 0
    for seed in range(6):
        s = slip(seed, kind, payment="cash")
        at, i, text = next((r, i, text) for r, row in enumerate(s.rows) for i, (text, _) in enumerate(row)
                           if re.fullmatch(r"\d\d[./-]\d\d[./-]\d{4}", text))
        if any(reread(s.rows, r) for r in range(len(s.rows)) if r != at):
            continue  # something else already asks for a second look
        for misread in ("9" + text[1:], text[:3] + "6" + text[4:]):  # day 9x, month x6 / 6x
            rows = [list(row) for row in s.rows]
            rows[at][i] = (misread, rows[at][i][1])
            assert reread(rows, at), (kind, seed, misread)
        tried += 1
    assert tried, kind


@pytest.mark.parametrize("kind", KINDS)
def test_a_line_read_as_noise_is_read_again_when_no_date_was_read(kind):
    # A till's date line under its barcode, the bars' ends read with the digits: "ULI" at 44 %,
    # no figure, no time, no year left to find it by (generated barcode slips: no date on 20 of
    # 20 without it; tests/test_barcode_line.py).
    for seed in SEEDS:
        s = slip(seed, kind, payment="cash")
        at = next(r for r, row in enumerate(s.rows) if any(re.search(r"\d[./-]\d\d[./-]\d\d", text) for text, _ in row))
        rows = [list(row) for row in s.rows]
        rows[at] = [("ULI", 40.0)]
        for conf, wanted in ((44.0, True), (91.0, False)):  # a line read surely is no date misread
            first = first_reading(rows)
            first = dataclasses.replace(first, words=[dataclasses.replace(w, conf=conf) if w.text == "ULI" else w
                                                      for w in first.words])
            top = 100 + 40 * at + 10
            bands = lines_to_reread(first, today=TODAY)
            assert any(b0 <= top <= b1 for b0, b1 in bands) is wanted, (kind, seed, conf)


def _readings(*rows_per_reading):
    """A photo's readings: the first, its alternates hanging off it, all of the photo's size."""
    height = max(first_reading(rows).height for rows in rows_per_reading)
    pages = [dataclasses.replace(page(rows), height=height) for rows in rows_per_reading]
    for first, second in zip(pages, pages[1:]):
        first.alternate = second
    return pages[0]


@pytest.mark.parametrize("kind", KINDS)
def test_the_date_lines_are_named_only_where_the_readings_tie_on_the_date(kind):
    from gen_date_readings import date_line_lost, misread_into_another_date
    from pipeline.extract.receipt_look import date_lines_tied

    checked = 0
    for seed in range(8):
        s = slip(seed, kind)
        misread, lost = misread_into_another_date(s.rows), date_line_lost(s.rows)
        if misread is None or lost is None:
            continue
        line = next(i for i, row in enumerate(s.rows) if row not in lost)
        top = 100 + 40 * line
        for tie in [(misread, s.rows, lost), (lost, misread, s.rows), (s.rows, misread)]:
            bands = date_lines_tied(_readings(*tie), today=TODAY)
            assert any(t <= top + 10 <= b for t, b in bands), (tie, bands)
            assert all(b - t < 40 for t, b in bands)  # the date's line, not its neighbours
        for settled in [(s.rows, s.rows, misread), (misread, misread, s.rows), (s.rows, lost, lost), (s.rows,)]:
            assert date_lines_tied(_readings(*settled), today=TODAY) == []
        checked += 1
    assert checked >= 3
