"""Cash minus change as a slip's total where its total line is unread (issue 15: no wild value
filed as if sure): when the cash figure was misread ("39.20" for 29.20) and the slip's own lines
add up to another figure, the difference is a guess a person confirms. Generated slips of every
layout (tests/gen_receipts.py), never one real document."""

from __future__ import annotations

import pytest

from gen_receipts import KINDS, slip
from test_receipt_plausible import REVIEW
from test_receipt_plausible import total_of as _total


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("label", ["none", "garbled"])
@pytest.mark.parametrize("tax_line", [False, True])
def test_cash_minus_change_the_lines_contradict_goes_to_review(kind, label, tax_line):
    # With the tax the total includes printed on its own line between the items and the total.
    for seed in range(6):
        s = slip(seed, kind, total_label=label, cash_figure="misread", tax_line=tax_line)
        total = _total(s)
        assert total.raw == "cash − change" and total.value != s.fields["total_amount"]
        assert total.confidence < REVIEW, (seed, total)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("label", ["none", "garbled"])
@pytest.mark.parametrize("tax_line", [False, True])
def test_a_total_the_lines_and_the_cash_agree_on_is_still_filed(kind, label, tax_line):
    for seed in range(6):
        s = slip(seed, kind, total_label=label, tax_line=tax_line)
        total = _total(s)
        assert total.value == s.fields["total_amount"] and total.confidence >= REVIEW, (seed, total)
