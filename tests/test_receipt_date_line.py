"""A till's date line read as noise, the time beside it read (pipeline/extract/receipt_look.py):
the time's line gets the second look, which may read the date. Generated slips of every kind
(tests/gen_receipts.py print the time on the date's line), never one real document.

Seen on photographed slips: the line under a barcode, "0412 123456/01 02.03.20 15:59", read as
"0412 | U3) 15:59" (the bars' ends run into the figures); read again enlarged it gave the date.
"""

from __future__ import annotations

import re

import pytest

from gen_receipts import KINDS, slip
from test_receipt_look import reread

_DATE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")


def _date_row(rows) -> tuple[int, int]:
    return next((r, i) for r, row in enumerate(rows) for i, (text, _) in enumerate(row) if _DATE.fullmatch(text))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("noise", ["U3)", "| 7\u00bb", ""])
def test_the_time_line_of_a_date_read_as_noise_is_read_again(kind, noise):
    for seed in range(6):
        s = slip(seed, kind, payment="cash")
        at, i = _date_row(s.rows)
        rows = [list(row) for row in s.rows]
        rows[at] = [w for j, w in enumerate(rows[at]) if j != i] + ([(noise, rows[at][i][1])] if noise else [])
        assert any(re.fullmatch(r"\d\d:\d\d", t) for t, _ in rows[at])
        assert reread(rows, at), (kind, seed, rows[at])


@pytest.mark.parametrize("kind", KINDS)
def test_a_time_printed_apart_from_a_date_read_is_not_read_again(kind):
    # The date was read: a line printing only a time (a cashier's shift, an opening hour) is no
    # way back to anything.
    for seed in range(6):
        s = slip(seed, kind, payment="cash")
        rows = [list(row) for row in s.rows]
        rows.insert(4, [("Opening", 40), ("08:30", 160)])
        assert not reread(rows, 4), (kind, seed)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("noise", ["ops 731.4 {year} 08537", "DIL OL {year} 0885)"])
def test_a_date_line_read_as_noise_with_its_year_kept_is_read_again(kind, noise):
    """No date, no date shape, no time read anywhere: the line that still prints the year is the
    way back to the date ("03 / 11 / 2022 08:57" read "ops 731.4 2022 08537")."""
    for seed in range(6):
        s = slip(seed, kind, payment="cash")
        at, _ = _date_row(s.rows)
        rows = [[w for w in row if not re.search(r"\d:\d\d", w[0])] for row in s.rows]
        rows[at] = [(word, 40 + 60 * j) for j, word in enumerate(noise.format(year=s.fields["date"][:4]).split())]
        assert reread(rows, at), (kind, seed, rows[at])


@pytest.mark.parametrize("kind", KINDS)
def test_a_year_line_is_not_read_again_when_the_date_was_read(kind):
    for seed in range(6):
        s = slip(seed, kind, payment="cash")
        rows = [list(row) for row in s.rows]
        rows.insert(4, [("Since", 40), ("1998", 120)])
        assert not reread(rows, 4), (kind, seed)
