"""Which total a photographed slip's readings agree on, and what the payment lines confirm: the
leader dots OCR reads as junk, a rounding line whose adjustment is unreadable, cash minus change
read in one reading confirming a figure printed in another, the cash handed over taken for the
total. Generated slips of every kind (tests/gen_receipts.py), never one real document."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from gen_receipts import _KINDS, KINDS, _money, slip
from pipeline.config import config_dir
from pipeline.extract import receipt
from pipeline.extract.layout import Layout
from pipeline.extract.vocabulary import load_vocabulary
from test_extract_reading import page

TODAY = dt.date(2025, 1, 15)
SEEDS = range(6)
VOCAB = load_vocabulary(config_dir() / "fields.toml")


def reading(s):
    """The slip's page as OCR read it: junk (a logo, a leader of dots) at a few per cent."""
    p = page(s.rows)
    p.words = [dataclasses.replace(w, conf=5.0) if w.line in s.unsure_rows and w.text.isalpha()
               and w.text.islower() else w for w in p.words]
    return p


def total_of(*slips):
    """The total of a photo read once per slip given: the first is the page's reading, the
    others its alternate readings (other OCR settings), as the photo reader hands them over."""
    pages = [reading(s) for s in slips]
    for first, second in zip(pages, pages[1:]):
        first.alternate = second
    return receipt.extract(Layout([pages[0]]), VOCAB, language=None, today=TODAY).get("total_amount")


def check_totals(kind: str, **knobs) -> None:
    """On slips of every seed made with ``knobs``, read once, the total is the slip's."""
    for seed in SEEDS:
        s = slip(seed, kind, **knobs)
        assert total_of(s).value == s.fields["total_amount"], s.rows


@pytest.mark.parametrize("kind", KINDS)
def test_leader_dots_read_as_junk_do_not_make_a_surely_read_total_lose_the_vote(kind):
    # The first reading has the total right but junk between label and figure; the other reading
    # read the leader cleanly and the figure's last digit wrong.
    for seed in SEEDS:
        right = slip(seed, kind, leader="junk", payment="none")
        wrong = slip(seed, kind, total_figure="misread", payment="none")
        assert total_of(right, wrong).value == right.fields["total_amount"], right.rows


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("payment", ["none", "card"])
def test_an_unreadable_rounding_adjustment_leaves_the_rounded_figure_under_it(kind, payment):
    check_totals(kind, rounding="bare", rounding_figure="garbled", payment=payment)


@pytest.mark.parametrize("kind", KINDS)
def test_cash_minus_change_of_another_reading_confirms_the_figure_printed_above_the_payment(kind):
    # The first reading lost the change's decimal point and misread the total; the other read
    # cash and change but misread the total too. Cash minus change is the subtotal's figure.
    for seed in SEEDS:
        first = slip(seed, kind, subtotal=True, total_figure="misread", change_figure="lost_point")
        other = slip(seed, kind, total_figure="misread")
        total = total_of(first, other)
        assert total.value == first.fields["total_amount"], (total, first.rows)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("rounding", [None, "between"])
def test_the_cash_handed_over_is_not_the_total_when_the_totals_label_was_lost(kind, rounding):
    # "TOTAL CASH 20.00" is the only figure under a total label; less the change under it, it
    # leaves the total printed above with its cents.
    check_totals(kind, total_label="garbled", cash_label="total", rounding=rounding)


@pytest.mark.parametrize("kind", KINDS)
def test_a_total_confirmed_by_its_own_cash_and_change_is_kept(kind):
    # Guards: the rules above never move a total the slip's own payment lines confirm, even with
    # junk leaders, a cash line under a total label, or a subtotal printed above.
    for seed in SEEDS:
        for knobs in ({"leader": "junk"}, {"cash_label": "total"}, {"subtotal": True}, {"rounding": "bare"}):
            s = slip(seed, kind, **knobs)
            other = slip(seed, kind, total_figure="misread")
            assert total_of(s).value == s.fields["total_amount"], (knobs, s.rows)
            assert total_of(s, other).value == s.fields["total_amount"], (knobs, s.rows)


@pytest.mark.parametrize("kind", KINDS)
def test_readings_that_differ_in_one_digit_of_the_total_send_it_to_review_unless_the_slip_backs_it(kind):
    for seed in SEEDS:
        unbacked = total_of(slip(seed, kind, payment="none"), slip(seed, kind, total_figure="misread", payment="none"))
        assert unbacked.confidence < 0.5, unbacked
        # The card line prints the amount again, or cash minus change says it: no doubt left.
        for payment in ("card", "cash"):
            backed = total_of(slip(seed, kind, payment=payment), slip(seed, kind, total_figure="misread", payment=payment))
            assert backed.value == slip(seed, kind).fields["total_amount"] and backed.confidence >= 0.5, backed


def test_a_round_total_over_a_change_line_stays_the_total_when_the_cash_line_was_lost():
    # 20.00 less the change 7.70 is an item's price; but no payment word is on the total's line.
    rows = [[("BREAD", 40), ("12.30", 500)], [("MILK", 40), ("7.70", 500)],
            [("TOTAL", 40), ("20.00", 500)], [("CHANGE", 40), ("7.70", 500)]]
    assert receipt.extract(Layout([page(rows)]), VOCAB, language=None, today=TODAY)["total_amount"].value == "20.00"


@pytest.mark.parametrize("kind", KINDS)
def test_a_total_below_the_subtotal_above_it_gives_way_to_the_card_line_and_goes_to_review(kind):
    for seed in SEEDS:
        s = slip(seed, kind, subtotal=True, total_figure="short", payment="card")
        total = total_of(s)
        assert total.value == s.fields["total_amount"] and total.confidence < 0.5, (total, s.rows)


def test_a_total_under_a_discount_keeps_its_figure_though_the_card_line_says_otherwise():
    rows = [[("SHIRT", 40), ("21.00", 500)], [("DISCOUNT", 40), ("-3.00", 500)],
            [("TOTAL", 40), ("18.00", 500)], [("VISA", 40), ("18.50", 500)]]
    total = receipt.extract(Layout([page(rows)]), VOCAB, language=None, today=TODAY)["total_amount"]
    assert total.value == "18.00" and total.confidence < 0.5


def _bare_figure_garbled(s):
    """The slip with its bare rounded figure (the unlabelled line under the rounding line) read
    as junk, as a photo's reading sometimes leaves it ("so,3ov")."""
    rows = [[("s0,3ov", x)] if len(row) == 1 and row[0][0].replace(",", ".") == s.fields["total_amount"] else row
            for row, x in ((row, row[0][1]) for row in s.rows)]
    assert rows != s.rows
    return dataclasses.replace(s, rows=rows)


@pytest.mark.parametrize("kind", KINDS)
def test_the_bare_rounded_figure_is_the_total_when_another_reading_read_the_total_cash_minus_change_rounds(kind):
    # The first reading misread the total's first digit and the rounding adjustment, but read cash,
    # change and the rounded amount printed bare; the other read the total right, the bare figure
    # as junk. Cash minus change is the bare figure, and the other reading's total rounds to it.
    for seed in SEEDS:
        first = slip(seed, kind, rounding="bare", rounding_figure="garbled", total_figure="leading")
        other = _bare_figure_garbled(slip(seed, kind, rounding="bare", rounding_figure="garbled"))
        total = total_of(first, other)
        assert total.value == first.fields["total_amount"], (total, first.rows)


def _with_tax_summary(s, kind):
    """The slip with a tax summary under it: the net amount and the tax included in the total,
    side by side ("GST 6% 10.94 0.66")."""
    k = _KINDS[kind]
    total = Decimal(s.fields["total_amount"])
    tax = (total * 6 / 106).quantize(Decimal("0.01"))
    row = [(w, 40 + 60 * i) for i, w in enumerate(k["tax"][-2:])] + [(_money(total - tax, k["decimal"]), 400),
                                                                      (_money(tax, k["decimal"]), 500)]
    return dataclasses.replace(s, rows=s.rows[:-1] + [row] + s.rows[-1:])


@pytest.mark.parametrize("kind", KINDS)
def test_a_tax_summarys_net_and_tax_decide_between_readings_of_the_total(kind):
    # The page's reading misread the total's last digit, the other read it right: both with their
    # cents, nothing paid to compare. Net plus tax, printed under the total, is the right one.
    for seed in SEEDS:
        wrong = _with_tax_summary(slip(seed, kind, payment="none", total_figure="misread"), kind)
        right = _with_tax_summary(slip(seed, kind, payment="none"), kind)
        assert total_of(wrong, right).value == right.fields["total_amount"], right.rows
        assert total_of(right, wrong).value == right.fields["total_amount"], right.rows


@pytest.mark.parametrize("kind", KINDS)
def test_a_payment_line_misread_once_and_read_again_right_does_not_doubt_the_total(kind):
    # The first reading misread the cash handed over, so its cash minus change contradicts the
    # total; the reading of the same lines again agrees with it: the total is filed, not reviewed.
    for seed in SEEDS:
        misread, again = slip(seed, kind, cash_figure="misread"), slip(seed, kind)
        total = total_of(misread, again)
        assert total.value == again.fields["total_amount"] and total.confidence > receipt._DOUBTED, again.rows


@pytest.mark.parametrize("kind", KINDS)
def test_a_payment_line_misread_in_every_reading_still_doubts_the_total(kind):
    for seed in SEEDS:
        misread = slip(seed, kind, cash_figure="misread")
        assert total_of(misread).confidence <= receipt._DOUBTED, misread.rows
        assert total_of(misread, misread).confidence <= receipt._DOUBTED, misread.rows


@pytest.mark.parametrize("kind", KINDS)
def test_cash_handed_over_whose_change_line_ocr_lost_does_not_doubt_the_total(kind):
    for seed in SEEDS:
        s = slip(seed, kind, change_figure="unread")
        total = total_of(s)
        assert total.value == s.fields["total_amount"] and total.confidence > receipt._DOUBTED, s.rows


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("readings", [1, 3])
def test_cash_above_a_misread_total_whose_change_figure_ocr_garbled_still_doubts_it(kind, readings):
    # "TOTALE 122,25 / CONTANTE 130,00 / RESTO 2:75": the change line was read, its figure was
    # not, so nothing says the total is what was paid; the cash above it is no confirmation (a
    # second look that re-reads the change line garbled again changes nothing).
    for seed in SEEDS:
        s = slip(seed, kind, total_figure="misread", change_figure="garbled")
        total = total_of(*[s] * readings)
        assert total.value != s.fields["total_amount"] and total.confidence <= receipt._DOUBTED, s.rows


@pytest.mark.parametrize("kind", KINDS)
def test_cash_above_a_total_the_slip_prints_twice_whose_change_figure_ocr_garbled_does_not_doubt_it(kind):
    # "SUB TOTAL 54,39 / TOTAL 54,39 / CONTANTE 60,00 / RESTO 5/61": the slip itself backs the total.
    for seed in range(12):
        s = slip(seed, kind, subtotal=True, change_figure="garbled")
        if any(text.startswith("0:") for row in s.rows for text, _ in row):
            continue  # "RESTO 0:76" reads as no change at all ("0"): cash minus nothing, another kind
        total = total_of(s)
        assert total.value == s.fields["total_amount"] and total.confidence > receipt._DOUBTED, s.rows


@pytest.mark.parametrize("kind", KINDS)
def test_a_cash_figure_with_cents_that_disagrees_with_the_total_still_doubts_it(kind):
    # No change line read and a cash figure that is no whole amount: one of the two is misread.
    for seed in SEEDS:
        s = slip(seed, kind, change_figure="unread")
        rows = [[(text, x) for text, x in row] for row in s.rows]
        cash = next(i for i, row in enumerate(rows) if [t for t, _ in row][:len(_KINDS[kind]["cash"])] == _KINDS[kind]["cash"])
        rows[cash][-1] = (rows[cash][-1][0][:-1] + "5", 500)
        total = total_of(dataclasses.replace(s, rows=rows))
        assert total.confidence <= receipt._DOUBTED, rows


@pytest.mark.parametrize("kind", KINDS)
def test_a_card_line_read_otherwise_in_another_reading_doubts_a_total_whose_first_reading_lost_it(kind):
    # The first reading could not read the card line's figure (its cents lost); the reading of
    # the payment lines again reads it, and it is not the total: one of the two is misread.
    for seed in SEEDS:
        s = slip(seed, kind, payment="card")
        card = next(i for i, row in enumerate(s.rows) if [t for t, _ in row][:len(_KINDS[kind]["card"])] == _KINDS[kind]["card"])
        value = s.rows[card][-1][0]
        garbled = [list(row) for row in s.rows]
        garbled[card][-1] = (value[:-3] + value[-2:], 500)  # "19,46" read as "1946"
        otherwise = [list(row) for row in s.rows]
        otherwise[card][-1] = (value[:-1] + str((int(value[-1]) + 3) % 10), 500)
        total = total_of(dataclasses.replace(s, rows=garbled), dataclasses.replace(s, rows=otherwise))
        assert total.value == s.fields["total_amount"] and total.confidence <= receipt._DOUBTED, otherwise
        agreeing = total_of(dataclasses.replace(s, rows=garbled), s)
        assert agreeing.confidence > receipt._DOUBTED, s.rows


@pytest.mark.parametrize("kind", KINDS)
def test_readings_that_agree_on_the_total_are_as_sure_as_the_surest_of_them(kind):
    # The first reading lost the total's label ("Zu zahten EUR 43,43"), so it found the figure
    # only as cash minus change, at a guess's confidence; the second look re-read the line and
    # read the label, the figure and the payment lines that confirm it. Both say the same total:
    # the surer reading's word stands, not the first reading's guess.
    for seed in SEEDS:
        lost, again = slip(seed, kind, total_label="garbled"), slip(seed, kind)
        alone, sure = total_of(lost), total_of(again)
        agreed = total_of(lost, again)
        assert agreed.value == again.fields["total_amount"] and alone.confidence < sure.confidence, lost.rows
        assert agreed.confidence >= sure.confidence, (agreed, sure)


@pytest.mark.parametrize("kind", KINDS)
def test_a_reading_that_lost_every_total_label_does_not_outvote_one_that_read_it(kind):
    # Faint thin print: the first reading read "TOTALE EURO 81,80" unsurely; the second look's
    # strip read the total lines as noise, so its total is a guess from the figures left (the
    # largest item, read surely). The labelled total wins the vote, and stays a person's call.
    for seed in SEEDS:
        s = slip(seed, kind, payment="none")
        first = reading(s)
        figure = s.fields["total_amount"].replace(".", _KINDS[kind]["decimal"])
        first.words = [dataclasses.replace(w, conf=30.0) if w.text == figure else w for w in first.words]
        total_row = next(i for i, row in enumerate(s.rows) if row[-1][0] == figure)
        noise = dataclasses.replace(s, rows=s.rows[:total_row] + [[("SRLOT/", 40), ("2S", 120), ("OSS", 160)]]
                                    + s.rows[total_row + 1:])
        second = reading(noise)
        first.alternate = second
        total = receipt.extract(Layout([first]), VOCAB, language=None, today=TODAY)["total_amount"]
        assert total.value == s.fields["total_amount"] and total.confidence < 0.5, (total, s.rows)


@pytest.mark.parametrize("kind", KINDS)
def test_a_card_line_read_where_the_total_label_was_lost_is_no_guess_in_the_vote(kind):
    # The first reading lost the total's label but read the card line ("PAGAMENTO ELETTRONICO
    # 170,40"): that is what was paid, not a guess; another reading's labelled misread does not win.
    for seed in SEEDS:
        lost, misread = slip(seed, kind, payment="card", total_label="none"), slip(seed, kind, payment="card",
                                                                                     total_figure="leading")
        total = total_of(lost, misread)
        assert total.value == lost.fields["total_amount"], (total, lost.rows)
