"""A till slip's date when OCR misread its digits or separators, and when the slip prints other
dates: generated slips of every kind (tests/gen_receipts.py, ``date_read`` and ``other_date``).

Kinds: a 0 read as 8 where that makes the date impossible ("15/84/2024"), a slash read as 7 or 1
or lost ("1570472024", "15/042024"), one separator read as a comma ("15.04,2024"), a 5, 8 or 2
read as S, B or Z, a separator read as a space ("15/04 2024", "15 O4,2024") or as another
("15.04/2024"); a voucher's expiry, a payment's due date or a reprint's date printed above
the sale's. A repaired date is reported less sure than the same date read as printed, and a
repair that does not lead to one real, plausible date is refused.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from gen_receipts import KINDS, _words, slip
from pipeline.config import config_dir
from pipeline.extract import receipt
from pipeline.extract.layout import Layout
from pipeline.extract.receipt_dates import label_run_date, read_till_dates, till_dates
from pipeline.extract.vocabulary import load_vocabulary
from test_extract_reading import page, readings

TODAY = dt.date(2025, 1, 15)
SEEDS = range(6)
VOCAB = load_vocabulary(config_dir() / "fields.toml")


def _date(rows):
    return receipt.extract(Layout([page(rows)]), VOCAB, language=None, today=TODAY).get("date")


def _printed(s) -> str:
    return " ".join(text for row in s.rows for text, _ in row)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("how", ["filled_zero", "mixed", "letter_s", "letter_b", "letter_z",
                                 "space_second", "space_first", "space_comma", "other_separator"])
def test_a_date_misread_on_any_slip_is_read_and_reported_less_sure(kind, how):
    for seed in SEEDS:
        s = slip(seed, kind, date_read=how)
        date = _date(s.rows)
        assert date is not None and date.value == s.fields["date"], (date, _printed(s))
        assert date.raw in _printed(s)
        assert date.valid
        plain = _date(slip(seed, kind).rows)
        if how not in ("mixed", "other_separator"):  # a figure put back: less sure (a separator read as another is no figure)
            assert date.confidence < plain.confidence, (date, plain)


@pytest.mark.parametrize("kind", KINDS)
def test_a_two_digit_year_with_the_time_glued_to_it(kind):
    for seed in SEEDS:
        s = slip(seed, kind, date_read="short_year_glued")
        date = _date(s.rows)
        assert date is not None and date.value == s.fields["date"], (date, _printed(s))
        assert date.raw in _printed(s)


@pytest.mark.parametrize("kind", ["my", "en"])  # the kinds printing slashes
@pytest.mark.parametrize("how", ["stroke_bar", "stroke_back", "stroke_i"])
def test_a_slash_read_as_another_stroke(kind, how):
    for seed in SEEDS:
        s = slip(seed, kind, date_read=how)
        assert "/" not in _printed(s)
        date = _date(s.rows)
        assert date is not None and date.value == s.fields["date"], (date, _printed(s))
        assert date.raw in _printed(s)
        assert date.confidence < _date(slip(seed, kind).rows).confidence


@pytest.mark.parametrize("how", ["slash_seven", "slash_one", "slash_lost", "filled_zero", "mixed"])
def test_a_labelled_date_whose_separators_were_misread(how):
    """Beside a date label ("DATE: 0270272024"), the figures are cut into day, month and year."""
    for seed in SEEDS:
        s = slip(seed, "my", date_read=how)
        date = _date(s.rows)
        assert date is not None and date.value == s.fields["date"], (date, _printed(s))
        assert date.confidence < _date(slip(seed, "my").rows).confidence


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("other", ["expiry", "due", "printed", "order", "delivery"])
def test_another_date_printed_above_the_sale_is_not_its_date(kind, other):
    for seed in SEEDS:
        s = slip(seed, kind, other_date=other)
        date = _date(s.rows)
        assert date is not None and date.value == s.fields["date"], (date, _printed(s))


@pytest.mark.parametrize("kind", KINDS)
def test_a_reprints_date_is_the_sale_date_only_when_the_slip_prints_no_other(kind):
    for seed in SEEDS:
        s = slip(seed, kind, other_date="printed")
        sale = next(i for i, row in enumerate(s.rows) if any(":" in text for text, _ in row[-1:]))
        alone = s.rows[:sale] + s.rows[sale + 1:]  # the sale's date line lost
        printed = _date(alone)
        reprint = (dt.date.fromisoformat(s.fields["date"]) + dt.timedelta(days=1)).isoformat()
        assert printed is not None and printed.value == reprint, _printed(s)
        assert printed.confidence < _date(s.rows).confidence
        expiry = slip(seed, kind, other_date="expiry")
        sale = next(i for i, row in enumerate(expiry.rows) if any(":" in text for text, _ in row[-1:]))
        assert _date(expiry.rows[:sale] + expiry.rows[sale + 1:]) is None  # a voucher's expiry never is


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("other", ["order", "delivery"])
def test_an_orders_or_deliverys_date_is_the_slips_when_it_prints_no_other(kind, other):
    from gen_receipts import OTHER_DATE_DAYS

    for seed in SEEDS:
        s = slip(seed, kind, other_date=other)
        sale = next(i for i, row in enumerate(s.rows) if any(":" in text for text, _ in row[-1:]))
        alone = _date(s.rows[:sale] + s.rows[sale + 1:])  # the sale's date line lost
        theirs = dt.date.fromisoformat(s.fields["date"]) + dt.timedelta(days=OTHER_DATE_DAYS[other])
        assert alone is not None and alone.value == theirs.isoformat(), _printed(s)
        assert alone.confidence >= _date(s.rows).confidence * 0.9  # as sure as the slip's own: no reprint


@pytest.mark.parametrize("lines, expected", [
    (["PO Date : 01/03/2024", "Invoice Date : 05/03/2024"], "2024-03-05"),
    (["Date of delivery: 07/03/2024", "Date: 05/03/2024"], "2024-03-05"),  # the label first, linked
    (["Date: 05/03/2024 Delivery Date: 07/03/2024"], "2024-03-05"),
    (["Start Date: 01/03/2024", "End Date: 31/03/2024", "Date: 05/03/2024"], "2024-03-05"),
    (["PO No: 123 Date: 05/03/2024"], "2024-03-05"),  # another document's number, not its date
    (["DO No 123", "Date 05/03/2024"], "2024-03-05"),
    (["Order Date: 05/03/2024"], "2024-03-05"),  # the only date printed
])
def test_which_labels_name_another_documents_date(lines, expected):
    rows = [_words("SHOP SDN BHD")] + [_words(line) for line in lines] + [_words("TOTAL 12.50")]
    date = _date(rows)
    assert (date.value if date else None) == expected


@pytest.mark.parametrize("kind", KINDS)
def test_a_slip_printing_its_day_and_month_without_a_year_gets_no_year_from_the_hour(kind):
    # "24.04. 13:41": the till leaves the year out; the hour read as one filed 2013 as sure.
    for seed in SEEDS:
        s = slip(seed, kind)
        when = dt.date.fromisoformat(s.fields["date"])
        rows = []
        for row in s.rows:
            text = " ".join(t for t, _ in row)
            if re.search(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}", text):
                row = _words(f"{when.day:02d}.{when.month:02d}. 13:41")
            rows.append(row)
        date = _date(rows)
        assert date is None or date.value != f"20{13}-{when.month:02d}-{when.day:02d}", (date, _printed(s))


def test_another_date_below_a_misread_sale_date_is_not_taken_for_it():
    for seed in SEEDS:
        s = slip(seed, "my", other_date="expiry", date_read="slash_seven")
        assert _date(s.rows).value == s.fields["date"], _printed(s)


@pytest.mark.parametrize("text, expected", [
    ("Date : 30/83/2818 8:15 PM", "2018-03-30"),  # month and year: one filled 0 each
    ("Date : 36/03/2018 8:15 PM", "2018-03-30"),  # the day: 36 is no day, 30 is the one repair
    ("Z5/04/2018 10:15", "2018-04-25"),  # the 2 read as Z is not dropped ("5/04/2018")
])
def test_an_impossible_date_is_repaired_with_the_fewest_changes(text, expected):
    dates = read_till_dates(text, month_first=False, today=TODAY)
    assert [d.value.isoformat() for d in dates] == [expected]
    assert dates[0].repaired


# How each kind of till prints a date (tests/gen_receipts.py), and the month's name some print.
_TILL_FORMATS = ["{d:%d-%m-%Y} {d:%H:%M}", "{d:%d.%m.%Y} {d:%H:%M}", "DATE: {d:%d/%m/%Y} {d:%H:%M}",
                 "{d:%d/%m/%Y} {d:%H:%M}", "{d:%d %b %Y} {d:%H:%M}"]


@pytest.mark.parametrize("form", _TILL_FORMATS)
@pytest.mark.parametrize("one_as", ["7", "4"])
def test_a_years_one_read_as_seven_or_four_is_put_back(form, one_as):
    """A year read years ahead ("2078", "2048") is a till font's 1 misread: the one past year the
    fewest 1s put back make, reported less sure; a year ahead with no such figure stays unread."""
    checked = 0
    for year in range(2010, 2020):
        when = dt.datetime(year, 3, 14, 18, 40)
        printed = form.format(d=when)
        tail = str(year)[2:]
        if tail.count("1") != 1:
            continue
        misread = printed.replace(str(year), "20" + tail.replace("1", one_as))
        dates = read_till_dates(misread, month_first=False, today=TODAY)
        assert [d.value for d in dates] == [when.date()], misread
        assert dates[0].repaired, misread
        checked += 1
    assert checked == 9
    assert read_till_dates(form.format(d=dt.datetime(2058, 3, 14, 18, 40)), month_first=False, today=TODAY) == []


@pytest.mark.parametrize("text", ["16/69/20 10:15", "91.05.2023", "2017-86-26"])
def test_a_date_whose_digits_were_put_back_is_no_date_as_read(text):
    """The photo reader asks ``till_dates`` whether a line read surely holds a date: a digit
    misread is a reason to read the line again, whatever the repair would make of it."""
    assert read_till_dates(text, month_first=False, today=TODAY)[0].repaired == 3
    assert till_dates(text, month_first=False, today=TODAY) == []


@pytest.mark.parametrize("text", [
    "31/02/2024 10:15",  # a real day and a real month: nothing says which figure is wrong
    "15/83/1988 10:15",  # no plausible year within the repairs
    "1070572024 10:00",  # a run of figures without a date label is not cut into a date
    "12,83,20",  # commas and no time: money, not a date to repair
    "AS-Zeit 24.04. 13:41 Uhr",  # a day and a month with the time: the hour is no year
    "24.04. 09:47",
])
def test_what_is_not_one_date_is_not_repaired(text):
    assert till_dates(text, month_first=False, today=TODAY) == []


@pytest.mark.parametrize("text, expected", [
    ("117052078", "2018-05-11"),  # a slash read as 7, the other lost, the year's 1 read as 7
    ("1170572018", "2018-05-11"),
    ("11/0572018", "2018-05-11"),
    ("20180511", "2018-05-11"),
    ("1212024", None),  # 12/1/2024 or 1/2/2024: two dates as near, neither taken
    ("12345678", None),
    ("11/05/0078", None),
])
def test_a_date_labels_figures_are_cut_only_into_one_plausible_date(text, expected):
    got = label_run_date(text, month_first=False, today=TODAY)
    assert (got[0].isoformat() if got else None) == expected


def test_a_date_on_a_date_label_line_beats_a_later_date_of_another_line():
    """ "Date : 30/83/2818" read through its filled zeros, not the kitchen printer's time stamp below."""
    rows = ["BREWERY SDN BHD", "TEL: 03-1234 5678", "Date : 30/83/2818 8:15 PM", "ORDER : 29/01/2018 11:19 PM",
            "TIGER BUCKET 95.00", "TOTAL 95.00", "CASH 100.00", "CHANGE 5.00"]
    date = _date([_words(r) for r in rows])
    assert date.value == "2018-03-30"
    rows[2] = "Date : 30/03/2018 8:15 PM"
    assert date.confidence < _date([_words(r) for r in rows]).confidence


@pytest.mark.parametrize("kind", ["my", "it", "de"])
@pytest.mark.parametrize("letters", [{"0": "O"}, {"1": "l"}, {"0": "O", "1": "I"}])
def test_a_date_with_a_months_name_read_through_letters_for_digits(kind, letters):
    """ "3O MAR 2O18", "l5 MAR 2018": tills of every kind (tests/gen_slips.py) print the month's name."""
    import gen_slips

    today = dt.date(2025, 6, 1)
    tried = 0
    for seed in range(10):
        s = gen_slips.slip(seed, kind, date="dd mon yyyy")
        when = dt.date.fromisoformat(s.fields["date"])
        printed = f"{when.day:02d} {gen_slips._MONTHS[when.month - 1]} {when.year}"
        misread = printed
        for digit, letter in letters.items():
            misread = misread.replace(digit, letter, 1)
        if misread == printed:
            continue
        tried += 1
        lines = [line.replace(printed, misread) for line in s.lines]
        date = receipt.extract(Layout([page(gen_slips.rows(lines))]), VOCAB, language=None, today=today)["date"]
        assert (date.value, date.raw) == (s.fields["date"], misread), lines
        plain = receipt.extract(Layout([page(gen_slips.rows(s.lines))]), VOCAB, language=None, today=today)["date"]
        assert date.confidence < plain.confidence
    assert tried >= 3


# Capitals OCR reads for others on till print.
_LOOKALIKE = {"M": "H", "N": "H", "A": "R", "J": "I", "U": "V", "O": "Q", "C": "G", "E": "F", "P": "R", "G": "C",
              "L": "I", "Y": "V", "F": "E", "S": "5", "D": "O", "V": "Y", "T": "I", "R": "P"}


@pytest.mark.parametrize("kind", ["my", "it", "de"])
def test_a_months_name_one_letter_off_names_its_month_when_no_other_is_as_near(kind):
    import gen_slips
    from pipeline.extract.dates import MONTHS

    today = dt.date(2025, 6, 1)
    taken = 0
    for seed in range(24):
        s = gen_slips.slip(seed, kind, date="dd mon yyyy")
        when = dt.date.fromisoformat(s.fields["date"])
        name = gen_slips._MONTHS[when.month - 1]
        at = next(i for i, ch in enumerate(name) if ch in _LOOKALIKE and ch != "S")
        word = name[:at] + _LOOKALIKE[name[at]] + name[at + 1:]
        printed = f"{when.day:02d} {name} {when.year}"
        lines = [line.replace(printed, printed.replace(name, word)) for line in s.lines]
        date = receipt.extract(Layout([page(gen_slips.rows(lines))]), VOCAB, language=None, today=today).get("date")
        near = {MONTHS[m] for m in MONTHS if len(m) == len(word) and sum(a != b for a, b in zip(m, word.lower())) == 1}
        if near == {when.month}:
            taken += 1
            assert date is not None and date.value == s.fields["date"] and word in date.raw, (date, lines)
        else:  # "MER" is MAR or MEI: the date is not guessed
            assert date is None, (date, lines)
    assert taken >= 8


@pytest.mark.parametrize("text, expected", [
    ("1 Bar 10", None),  # German cash paid, a word a letter off "Mar"
    ("l Bar 10 EUR", None),
    ("1 Pay 10", None),  # "May"
    ("2 Day 15", None),
    ("3 Now 12", None),  # "Nov"
    ("18 Nar 18 10:22", "2018-03-18"),  # with the time the till prints after its date
    ("18 NAR 2018", "2018-03-18"),  # four figures of a year
    ("18 Mar 18", "2018-03-18"),  # the month's name as printed
])
def test_a_word_a_letter_off_a_month_with_two_figures_needs_a_time(text, expected):
    got = till_dates(text, month_first=False, today=TODAY)
    assert (got[0][0].isoformat() if got else None) == expected


@pytest.mark.parametrize("kind", ["my", "it", "de"])
@pytest.mark.parametrize("filled", ["8", "9", "6"])
def test_a_year_first_date_with_a_filled_zero(kind, filled):
    """ "2017-86-26": the ISO form (tests/gen_slips.py) with a 0 read as 8, 9 or 6."""
    import gen_slips

    today = dt.date(2025, 6, 1)
    for seed in range(8):
        s = gen_slips.slip(seed, kind, date="yyyy-mm-dd")
        printed = s.fields["date"]
        year, month, day = printed.split("-")
        misread = f"{year}-{filled}{month[1]}-{day}" if month[0] == "0" else f"{year[0]}{filled}{year[2:]}-{month}-{day}"
        lines = [line.replace(printed, misread) for line in s.lines]
        assert lines != s.lines
        date = receipt.extract(Layout([page(gen_slips.rows(lines))]), VOCAB, language=None, today=today)["date"]
        assert (date.value, date.raw) == (printed, misread), lines


_NUMERIC = r"(\d{1,2})([./-])(\d{2})\2(\d{4})"


def _misread_twice(s):
    """The slip's rows with its date misread twice, as faint print is: the month's first figure
    filled (0 read as 8, or 1 read as 7: an impossible month, repaired) and the year's last figure
    read one lower (a real year: the repair cannot see it). None where the date has no such form."""
    import re

    rows, found = [], False
    for row in s.rows:
        words = []
        for text, x in row:
            m = re.fullmatch(_NUMERIC, text)
            if m and not found and m.group(4)[-1] != "0":
                day, sep, month, year = m.groups()
                month = {"0": "8", "1": "7"}[month[0]] + month[1]
                text, found = f"{day}{sep}{month}{sep}{year[:-1]}{int(year[-1]) - 1}", True
            words.append((text, x))
        rows.append(words)
    return rows if found else None


def _date_of_readings(*rows_per_reading):
    return receipt.extract(readings(*rows_per_reading), VOCAB, language=None, today=TODAY).get("date")


@pytest.mark.parametrize("kind", KINDS)
def test_a_date_made_real_by_a_repair_yields_to_the_date_more_readings_read_as_printed(kind):
    # The photo's first reading misread the date twice: the impossible month is put back, the
    # wrong year cannot be; the two other readings read the line as printed.
    tried = 0
    for seed in range(20):
        s = slip(seed, kind)
        misread = _misread_twice(s)
        if misread is None:
            continue
        tried += 1
        alone = _date_of_readings(misread)
        assert alone is not None and alone.value != s.fields["date"], misread  # the repair is wrong
        assert _date_of_readings(misread, s.rows, s.rows).value == s.fields["date"], misread
    assert tried >= 3


def _day_off(rows):
    """The rows with the date's day read one off, as printed-looking as the real one."""
    import re

    out, found = [], False
    for row in rows:
        words = []
        for text, x in row:
            m = re.fullmatch(r"(\d{1,2})([./-])(\d{1,2})\2(\d{2,4})", text)
            if m and not found:
                day = int(m.group(1))
                text, found = f"{day + 1 if day < 28 else day - 1:02d}{text[len(m.group(1)):]}", True
            words.append((text, x))
        out.append(words)
    return out if found else None


@pytest.mark.parametrize("kind", KINDS)
def test_a_repair_as_many_readings_make_stands_against_one_reading_of_another_date(kind):
    # Two readings put the same filled 0 back (the right date); the third read the day otherwise,
    # a real date as printed: one reading outvotes nothing.
    tried = 0
    for seed in range(20):
        s = slip(seed, kind, date_read="filled_zero")
        repaired = _date_of_readings(s.rows)
        other = _day_off(slip(seed, kind).rows)
        if repaired is None or repaired.value != s.fields["date"] or other is None:
            continue
        tried += 1
        assert _date_of_readings(s.rows, other, s.rows).value == s.fields["date"]
    assert tried >= 3


def _without_time(rows):
    return [[w for w in row if not re.fullmatch(r"\d{1,2}:\d\d", w[0])] for row in rows]


@pytest.mark.parametrize("how", ["space_second", "space_first", "space_comma", "other_separator"])
def test_a_separator_misread_after_a_date_label_needs_no_time(how):
    for seed in SEEDS:
        s = slip(seed, "my", date_read=how)
        date = _date(_without_time(s.rows))
        assert date is not None and date.value == s.fields["date"], (date, _printed(s))


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "my"])
@pytest.mark.parametrize("how", ["space_second", "space_first", "space_comma", "other_separator"])
def test_figures_with_a_separator_misread_and_neither_label_nor_time_are_no_date(kind, how):
    for seed in SEEDS:
        assert _date(_without_time(slip(seed, kind, date_read=how).rows)) is None


@pytest.mark.parametrize("text, expected", [
    ("13/02 2024 14:09", "2024-02-13"),
    ("13 02/2024 14:09", "2024-02-13"),
    ("13.02 24 14:09", "2024-02-13"),
    ("13/02 2024", None),  # no time beside it: figures, perhaps a price and a code
    ("1.50 2024 14:09", None),  # no month 50
    ("03/1 1/2022 10:00", None),  # a space inside a figure is no separator (receipt_date_forms joins it)
    ("40 02/2024 14:09", None),
    ("O7 04,20 14:37", "2020-04-07"),  # the other separator read as a comma, a zero as an O
    ("Z 12/20 10:30", None),  # a letter alone is no day
    ("IS 12.2024 10:30", None),
    ("30.04/20 ‘09:56", "2020-04-30"),  # two separators, a speck read before the time
    ("30.04/20", None),  # two separators and no time: perhaps a price per quantity
])
def test_which_spaces_are_read_as_separators(text, expected):
    found = read_till_dates(text, month_first=False, today=TODAY)
    assert (found[0].value.isoformat() if found else None) == expected, found
