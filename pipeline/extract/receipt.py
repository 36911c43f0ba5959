"""Receipt fields: merchant, address, date, total (VAT and payment method where printed).

Tills print little with labels: the merchant is the first line of the slip, the date comes
without a label, and "TOTAL" appears next to subtotals, rounding and the cash handed over. What
the customer paid decides: cash given minus change returned is the total.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from ..records import ExtractedField
from ..textnorm import compact, fold
from . import validate
from .amounts import currency_code, find_amounts
from .labelled import Candidate, Reading, candidates, claimed_hits, make_field, pick, reader_for, to_field
from .layout import Layout, Span, box_of, value_words
from .names import company_names
from .receipt_date_printed import printed_again
from .receipt_date_taken import before_the_photo
from .receipt_date_vote import DOUBTED, date_ranks, settled, tied
from .receipt_date_year import year_guessed
from .receipt_dates import read_as_printed
from .receipt_date_forms import doubted, sale_date
from .receipt_plausible import plausible_total
from .receipt_totals import (chain_total, charged_to_card, figures_under_labels, lines_add_up_to, money_as_printed,
                             one_digit_apart, paid_with_a_colon, rates, restated, running_total, says, table_grosses, without_net_totals,
                             zero_rated)
from .receipt_address import POSTCODE, PRICED, STREET_LINE, is_registration, receipt_address, street_above_postcode
from .receipt_merchant import (ABOVE_ADDRESS, domain_brand, is_branch, letters_for_digits, logo_fragment,
                               named_in_greeting, read_surely, repair_legal_form, sentence_like, trading_pair,
                               unsure_name_floor)
from .vocabulary import Vocabulary

CENT = Decimal("0.01")
# A total no line printed: what was paid, cash minus change.
CASH_MINUS_CHANGE = "cash − change"
# How far down the slip the merchant's name may be, in lines.
_HEADER_LINES = 8


def extract(layout: Layout, vocab: Vocabulary, *, language: str | None, today: dt.date) -> dict[str, ExtractedField]:
    month_first = language in vocab.rules("receipt", "dates").get("month_first_languages", [])
    # A photo may come with a second reading (other OCR settings): the two vote on the figures.
    readings, hits_in, found_in = _read(_readings(layout), vocab, month_first=month_first, today=today)
    tiebreak = _date_look(layout)
    layout = readings[0]
    found = found_in[0]
    fields: dict[str, ExtractedField] = {}

    spec = vocab.spec("receipt", "total_amount")
    # A label's rank is weighed against the labels the confidences were measured with: labels
    # added since (at the end) rank lower still, and leave every other label's confidence as it was.
    labels = min(len(spec.labels), _RANKED_LABELS) if spec else 1
    totals = [_total(lay, f, labels, _read_elsewhere(found_in, i)) for i, (lay, f) in enumerate(zip(readings, found_in))]
    totals = [_confirmed_by_payment(lay, f, t, found_in) for lay, f, t in zip(readings, found_in, totals)]
    total = _vote(totals, found_in, "amount", [_figure_sure(lay, t) for lay, t in zip(readings, totals)],
                  _net_plus_tax(readings))
    if total is not None:
        total = _restated(layout, found, total)
        value = Decimal(total.value)
        if total.raw == CASH_MINUS_CHANGE and len(found_in) > 1 and _paid_in(found_in, value) < 2:
            # No total line read, and one reading alone read the payment lines so: a change's
            # figure misread there ("46.00" for 46.40) is what was filed as the total.
            total = _doubted(total)
        if _contradicted_by_payment(value, found_in) and not _paid_as_read_again(value, found_in):
            short = _paid_over_short_total(layout, found, total)
            if short is not None:
                total = _doubted(short)
            elif not _change_unread(value, found, layout):
                total = _doubted(total)
        elif _readings_differ_by_a_digit(total, totals, readings, found_in):
            total = _doubted(total)
        fields["total_amount"] = plausible_total(layout, total)
    for name in ("vat_amount", "vendor_vat"):
        spec = vocab.spec("receipt", name)
        best = pick(found.get(name, []), spec.pick if spec else "first")
        if best is not None:
            fields[name] = to_field(best, label_count=len(spec.labels) if spec else 1)
    vat = fields.get("vat_amount")
    if vat is not None and total is not None and Decimal(vat.value) >= Decimal(total.value):
        del fields["vat_amount"]  # a "VAT" line that is not smaller than the total is not the VAT

    dates = [sale_date(lay, f, vocab, month_first=month_first, today=today) for lay, f in zip(readings, found_in)]
    # Where the readings tied on the date, the date's lines were read once more (``Page.date_look``):
    # that reading votes on the date alone, and only picks among the tied dates: the date stays a
    # person's call (read again from the same pixels, it sided with a misread twice on tilted copies).
    tie = tiebreak is not None and tied(dates)
    if tie:
        looked, _, found_looked = _read([tiebreak], vocab, month_first=month_first, today=today)
        dates.append(sale_date(looked[0], found_looked[0], vocab, month_first=month_first, today=today))
        found_in = found_in + found_looked
    # Between as many readings, a date read as printed beats one made by putting figures back
    # ("06-07-2029" for 2020, "06-07-2022"): the repair guessed which figure OCR misread.
    as_printed = [d is not None and read_as_printed(d.raw, month_first=month_first, today=today) for d in dates]
    date = settled(_vote(dates, found_in, "date", rank=date_ranks(dates, as_printed)), dates)
    if tie and date is not None:
        date = date.model_copy(update={"confidence": min(date.confidence, DOUBTED)})
    date = printed_again(date, readings, vocab, month_first=month_first, today=today)
    date = date or year_guessed(readings, vocab, month_first=month_first, today=today)
    date = doubted(date, layout, vocab, month_first=month_first, today=today, language=language)
    date = before_the_photo(date, layout)
    if date is not None:
        fields["date"] = date
    merchant = _merchant(layout, vocab)
    name_index = None
    if merchant is not None:
        fields["merchant_name"], name_index = merchant
    address = receipt_address(layout.spans(), name_index, vocab, header_lines=_HEADER_LINES)
    if address is not None:
        fields["address"] = address
    payment = _payment(layout, vocab)
    if payment is not None:
        fields["payment_method"] = payment
    return fields


def _readings(layout: Layout) -> list[Layout]:
    """The page's reading and the further readings hanging off it (``Page.alternate``)."""
    readings = [layout]
    pages = layout.pages
    while pages and all(getattr(p, "alternate", None) is not None for p in pages):
        pages = [p.alternate for p in pages]
        readings.append(Layout(pages))
    return readings


def _date_look(layout: Layout) -> Layout | None:
    pages = [getattr(p, "date_look", None) for p in layout.pages]
    return Layout(pages) if pages and all(p is not None for p in pages) else None


def _read(readings: list[Layout], vocab: Vocabulary, *, month_first: bool, today: dt.date):
    """Per reading: the reading with its money as printed, its label hits (the total's are looked
    at again after the vote) and its candidates per field (``labelled_candidates``)."""
    readings = [money_as_printed(lay) for lay in readings]
    specs = vocab.specs("receipt")
    hits_in = [claimed_hits(lay, specs, vocab.ignore("receipt")) for lay in readings]
    found_in = [{spec.name: candidates(lay, spec, hits.get(spec.name, []),
                                       reader_for(spec.kind, month_first=month_first, today=today)) for spec in specs}
                for lay, hits in zip(readings, hits_in)]
    found_in = [without_net_totals(lay, f) for lay, f in zip(readings, found_in)]
    found_in = [figures_under_labels(lay, f, hits.get("total_amount", []))
                for lay, f, hits in zip(readings, found_in, hits_in)]
    return readings, hits_in, found_in


def date_readings(layout: Layout, vocab: Vocabulary, *, today: dt.date) -> list[ExtractedField | None]:
    """The sale's date as each reading of a photo reads it (day before month), unvoted: what the
    second look asks to know whether the readings tie."""
    readings, _, found_in = _read(_readings(layout), vocab, month_first=False, today=today)
    return [sale_date(lay, f, vocab, month_first=False, today=today) for lay, f in zip(readings, found_in)]


# How many total labels the vocabulary listed when the rank penalty was measured on the dev corpus.
_RANKED_LABELS = 46
# A figure's reading confidence from which it counts as read surely in the vote.
_SURE_VOTE = 0.5
# Cash minus change where the slip's lines add up to another figure: under the review threshold.
_CONTRADICTED = 0.4


def _vote(results: list[ExtractedField | None], found_in: list[dict], kind: str,
          sure_read: list[bool] | None = None, sums: set[Decimal] = frozenset(),
          rank: list[tuple] | None = None) -> ExtractedField | None:
    """One field from several readings: agreement wins outright, as sure as the surest reading;
    otherwise the total that equals what was paid (cash minus change, in any reading; in more
    readings beats in fewer), else the total that a tax summary's net and tax add up to (``sums``),
    else a figure read with its cents, else one read under a total label or on the card or cash
    line (not guessed from the figures), else a total read surely, else the first reading's. A total the other readings
    also print is no evidence: a photo's
    further readings re-read the same lines of the same crop, and agree with each other on a
    misread as often as not (measured on receipt photos: counting them cost 0.015 F1 on totals).
    Dates by ``rank`` (``receipt_date_vote.date_ranks``: more readings win since the second look
    re-reads only doubtful lines; whole re-readings had cost 0.007 counted)."""
    values = [r for r in results if r is not None]
    if len(values) <= 1 or len({r.value for r in values}) == 1:
        first = values[0] if values else None
        if first is not None and len(values) > 1:
            # As sure as the surest reading: a second look re-reads the lines the first reading
            # left doubtful, and where it reads the total's label and the payment lines that
            # confirm it, the first reading's guess at the same figure (the label lost) is no
            # reason to doubt it.
            surest = max(r.confidence for r in values)
            first = first.model_copy(update={"confidence": min(1.0, round(surest * 1.2, 3))})
        return first

    def support(result: ExtractedField, index: int) -> tuple:
        # Cash minus change may come out differently per reading (a change line garbled in one
        # reading lends its label the next line's figure): then the more readings agree, the better.
        paid = 0 if kind != "amount" else sum(
            (p := _paid(f)[0]) is not None and f"{p:.2f}" == result.value for f in found_in)
        # A figure read with its cents beats one whose decimal point was lost ("3045").
        cents = kind != "amount" or bool(re.search(r"[.,]\s?\d\d-?$", result.raw))
        # The first reading is the page's and wins a tie, unless OCR was unsure of its figure
        # and a second look read one surely. (Measured on dates too: no better, so amounts only.)
        sure = kind == "amount" and (sure_read[index] if sure_read is not None
                                     else (result.confidence or 0) >= _SURE_VOTE)
        # A second statement of the total: what a tax summary's net and tax add up to, or what a
        # card line (any reading) charges: a card is charged exactly the total.
        summed = kind == "amount" and (Decimal(result.value) in sums
                                       or charged_to_card(Decimal(result.value), found_in))
        # A reading that read a total's label (or the card or cash line that says what was paid)
        # beats one that lost them and guessed the total from the figures (a second look at faint
        # print may read the totals as noise).
        labelled = kind != "amount" or any(c.reading.value > 0 for c in found_in[index].get("total_amount", [])) \
            or any(_money_figure(c) and f"{c.reading.value:.2f}" == result.value for c in found_in[index].get("tendered", []))
        return (paid > 0, summed, cents, labelled, paid, sure, rank[index] if rank else (), -index)

    scored = [(support(r, i), r) for i, r in enumerate(results) if r is not None]
    return max(scored, key=lambda item: item[0])[1]


def _restated(layout: Layout, found: dict[str, list[Candidate]], total: ExtractedField) -> ExtractedField:
    """The total as two of the slip's other statements of it say, where the figure read on the
    total's line is said by none of them (a digit misread on the total's line: "TOTAL 131.79" over
    "CASH 140.00 / CHANGE 8.81", after "SUB TOTAL 123.76 / SST 6% 7.43"), sent to review. Where
    only one says otherwise, and by one digit, the total goes to review: either line may be the
    misread one."""
    value = Decimal(total.value)
    # Printed twice (a subtotal, "Nett Total"): items that do not add up to it are the misread ones.
    twice = _printed_with_cents(layout, value) >= 2
    paid = _paid(found)[0]
    exact = set() if any(_money_figure(c) for c in found.get("change", [])) else {
        c.reading.value for c in found.get("tendered", []) if c.reading.value > 0 and _money_figure(c)}
    chain = None if twice or not total.raw else chain_total(layout, total.raw, value)
    statements = [{paid} if paid is not None else set(), exact, {chain} if chain is not None else set(),
                  table_grosses(layout), _rounded_above(layout, found, total)]
    other = restated(value, statements)
    if other is None:
        # One other line says it with a digit otherwise: which is misread? (The payment lines'
        # own contradictions are weighed after the vote, with the other readings' payment lines.)
        if not any(says(figure, value) for said in statements for figure in said) \
                and any(one_digit_apart(value, figure, total.raw) for said in statements[2:] for figure in said):
            return _doubted(total)
        if chain is not None and 0 < abs(value - chain) <= _ROUNDING_MAX and value % _ROUNDING_STEP:
            return _doubted(total)  # within a rounding of the lines above, yet not rounded: a misread cent
        return total
    # Still a person's call: the photo disagrees with itself.
    return ExtractedField(value=f"{other:.2f}", raw=f"{total.raw} (the slip's other lines: {other:.2f})",
                          confidence=_DOUBTED, page=total.page)


def _rounded_above(layout: Layout, found: dict[str, list[Candidate]], total: ExtractedField) -> set[Decimal]:
    """What the figure printed just above the rounding line and the adjustment come to, where the
    total was read under the rounding line ("Total Incl GST 250.53 / Rounding Adj 0.02 / Total
    Rounded 250.25" says 250.55)."""
    rounding = [c for c in found.get("rounding", []) if abs(c.reading.value) <= _ROUNDING_MAX
                and _WITH_CENTS.search(c.reading.raw)]
    if not rounding:
        return set()
    line = max(rounding, key=lambda c: c.order)
    if not any(c.order > line.order and f"{c.reading.value:.2f}" == total.value for c in found.get("total_amount", [])):
        return set()
    own = {id(w) for w in line.span.words}
    above = [amount for span in layout.spans()
             if span.words and (span.page.number, span.top) < line.order[:2]
             and not any(id(w) in own for w in span.words)
             for amount, raw, _ in find_amounts(span.text)[-1:] if _WITH_CENTS.search(raw)]
    return {above[-1] + line.reading.value} if above and above[-1] > 0 else set()


def _net_plus_tax(readings: list[Layout]) -> set[Decimal]:
    """What the lines printing a net amount and its tax side by side ("Total : 10.94 0.66", a
    tax summary's row) add up to, in any reading: a second, independent statement of the total
    where the readings disagree on its figure."""
    out = set()
    for layout in readings:
        for span in layout.spans():
            figures = [value for value, raw, _ in find_amounts(span.text) if _WITH_CENTS.search(raw)]
            if len(figures) >= 2 and 0 < figures[-1] < figures[-2]:
                out.add(figures[-2] + figures[-1])
    return out


def _readings_differ_by_a_digit(total: ExtractedField, totals: list[ExtractedField | None], readings: list[Layout],
                                found_in: list[dict[str, list[Candidate]]]) -> bool:
    """Another reading of the photo read the same figure with one digit otherwise ("19,16" and
    "19,46"), and nothing on the slip backs the chosen one: it is not printed again (a card line,
    a tax summary) nor is it what cash minus change or a payment line says. Which digit OCR got
    right is a person's call."""
    value = Decimal(total.value)
    for layout, found in zip(readings, found_in):
        printed = _printed_with_cents(layout, value)
        paid = _paid(found)[0]
        paying = any(c.reading.value == value and _money_figure(c) for c in found.get("tendered", []))
        if printed >= 2 or paid == value or paying:
            return False
    digits = total.value.replace(".", "")
    return any(other is not None and len(other.value) == len(total.value)
               and sum(a != b for a, b in zip(other.value.replace(".", ""), digits)) == 1 for other in totals)


def _figure_sure(layout: Layout, field: ExtractedField | None) -> bool:
    """Whether OCR read the total's own figure surely. A field's confidence is its whole line's
    weakest word, and the leader dots between "TOTAL" and its figure ("TOTAL.....: 60.31") come
    out as junk read at a few per cent: that says nothing about the figure. A figure with others
    after it on its line ("SUMME 2,33 17,44", a tax table's row) is not surely the total."""
    if field is None:
        return False
    for span in layout.spans():
        if span.page.number != field.page or not span.words or field.raw not in span.text:
            continue
        words = value_words(span.words, field.raw)
        if field.box is None or box_of(span.page, words) == field.box:
            if find_amounts(span.text.rpartition(field.raw)[2]):
                return False
            return min(w.conf for w in words) / 100 >= _SURE_VOTE
    return (field.confidence or 0) >= _SURE_VOTE


# -- total -------------------------------------------------------------------------------------
def _read_elsewhere(found_in: list[dict[str, list[Candidate]]], index: int) -> set[Decimal]:
    """The labelled totals, read with their cents, of the photo's other readings."""
    return {c.reading.value for i, found in enumerate(found_in) if i != index
            for c in found.get("total_amount", []) if c.reading.value > 0 and _WITH_CENTS.search(c.reading.raw)}


def _total(layout: Layout, found: dict[str, list[Candidate]], labels: int,
           elsewhere: set[Decimal] = frozenset()) -> ExtractedField | None:
    """The amount paid. ``labels`` is how many total labels the vocabulary has: a label's rank
    among them lowers the confidence a little (a generic "TOTAL" below "GRAND TOTAL"), never to
    nothing (it was counted out of 8, so a plain "TOTAL", ranked 29th, sent every slip to review).
    ``elsewhere``: the totals other readings of the same photo read."""
    # A rate between the label and the figure may make it a tax line ("Total incl. GST 6%: 1.42")
    # or name the tax the total includes ("TOTAL INCL. GST @6% 18.80"): the slip's figures decide.
    totals = [c for c in found.get("total_amount", []) if c.reading.value > 0 and not _tax_at_rate(layout, c)]
    # "Item Qty Total" heads the items table: the figure under its "Total" is the first item's.
    totals = [c for c in totals if not _column_heading(c)] or totals
    paid, money_lines = _paid(found, totals)
    if paid is not None:
        for c in sorted(totals, key=lambda c: c.order, reverse=True):
            if c.reading.value == paid:
                return to_field(c, label_count=labels, confidence=min(1.0, 0.95 * (c.span.confidence or 1.0)))
        for c in sorted(totals, key=lambda c: c.order, reverse=True):
            # The total's decimal point read as a colon ("29:75" read as 29) or lost ("RM2840"): cash
            # minus change says it, as surely as when the total line is not read at all.
            if (raw := paid_with_a_colon(c.span.text, paid)) is not None:
                return make_field(Reading(paid, raw), c.span, max(0.5, 0.8 * (c.span.confidence or 1.0)))
        # No labelled total agrees. Labelled totals read without their decimal point ("3100" for
        # 31.00) do not count against the amount paid.
        sound = [c for c in totals if not _lost_point(c, paid) and not _one_decimal(c)]
        largest = max((c.reading.value for c in sound), default=None)
        # This reading's total may be the misread one ("80,31" for 60.31, paid 60.30): another
        # reading's total that the amount paid rounds also lets the bare figure count.
        if largest is None or any(-v * Decimal("0.05") <= paid - v <= v * Decimal("0.10") for v in {largest} | elsewhere):
            # The amount paid printed without a label (a bare figure after the rounding line).
            for span in reversed(layout.spans()):
                if (span.page.number, span.top) in money_lines:
                    continue
                for value, raw, _ in find_amounts(span.text):
                    if value == paid:
                        return make_field(Reading(value, raw), span, 0.6 * (span.confidence or 1.0))
            if not sound and _cash_read_cleanly(found):
                # What the customer paid is the total, even where the total line is unreadable;
                # but where the slip's lines add up to another figure, the cash or the change was
                # misread ("39.20" for 29.20): a guess a person confirms, not a total filed as sure.
                added = lines_add_up_to(layout)
                confidence = 0.5 if added is None or added == paid else _CONTRADICTED
                return ExtractedField(value=f"{paid:.2f}", raw=CASH_MINUS_CHANGE, confidence=confidence)
    rounding = found.get("rounding", [])
    if rounding and totals:
        # After "Rounding adj." comes the amount to pay: the total below it, or the last total
        # above it plus the adjustment.
        line = max(rounding, key=lambda c: c.order)
        after = [c for c in totals if c.order > line.order]
        before = [c for c in totals if c.order < line.order]
        if after:
            first = min(after, key=lambda c: c.order)
            rounded = _rounded_misread(layout, first, line)
            if rounded is not None:
                return rounded
            return to_field(first, label_count=labels)
        if before and not _WITH_CENTS.search(line.reading.raw):
            # The adjustment itself is unreadable ("-0,.04" read as "-0"): the amount to pay is
            # the figure under the rounding line that the total above rounds to.
            rounded = _rounded_below(layout, line, max(before, key=lambda c: c.order).reading.value)
            if rounded is not None:
                return rounded
        if before and line.reading.value == 0 and _WITH_CENTS.search(line.reading.raw):
            # "Rounding adj 0.00": nothing to add, the total above is what was paid, as printed.
            return to_field(_most_supported(layout, before), label_count=labels)
        if before and abs(line.reading.value) <= _ROUNDING_MAX:
            last = max(before, key=lambda c: c.order)
            rounded = last.reading.value + line.reading.value
            for span in layout.spans():
                if span.words and (span.page.number, span.top) > line.order[:2]:
                    for value, raw, _ in find_amounts(span.text):
                        if value == rounded:
                            return make_field(Reading(value, raw), span, 0.6 * (span.confidence or 1.0))
            if rounded > 0:
                # The rounded amount is not printed: what was paid is the total plus the
                # adjustment, surer when cash minus change says the same.
                confidence = (0.8 if paid == rounded else 0.5) * (last.span.confidence or 1.0)
                return ExtractedField(value=f"{rounded:.2f}", raw=f"{last.reading.raw} {line.reading.raw}",
                                      confidence=round(confidence, 3), page=last.span.page.number)
    if not totals:
        # A payment word in a name ("BAR CENTRALE") reads the next line's number: not money.
        tendered = [c for c in found.get("tendered", []) if c.reading.value > 0 and _money_figure(c)]
        if tendered and not found.get("change"):
            # Paid exactly, no change: the cash or card line is the total, as sure as the item
            # lines make it where they add up to it too.
            line = to_field(max(tendered, key=lambda c: c.order), label_count=labels, confidence=0.4)
            summed = _unlabelled_total(layout, found)
            if summed is not None and summed.value == line.value and summed.confidence > line.confidence:
                return line.model_copy(update={"confidence": summed.confidence})
            return line
        return _unlabelled_total(layout, found)
    return to_field(_most_supported(layout, totals), label_count=labels)


def _rounded_misread(layout: Layout, total: Candidate, rounding: Candidate) -> ExtractedField | None:
    """The rounded total under the rounding line with its decimal point misread: lost ("12975"),
    read as a digit ("130275") or as punctuation ("130-75", read as 130). The figure printed just
    above the rounding line (the total or subtotal it rounds) plus a readable adjustment says what
    it is; the printed figure, read the same way, must agree."""
    if not _WITH_CENTS.search(rounding.reading.raw) or abs(rounding.reading.value) > _ROUNDING_MAX \
            or _WITH_CENTS.search(total.reading.raw):
        return None
    # Lines above the rounding line, not the rounding line itself (on a tilted photo its own words
    # may start a little higher than its label).
    own = {id(w) for w in rounding.span.words}
    above = [amount for span in layout.spans()
             if span.words and (span.page.number, span.top) < rounding.order[:2] and not any(id(w) in own for w in span.words)
             for amount, raw, _ in find_amounts(span.text)[-1:] if _WITH_CENTS.search(raw)]
    if not above:
        return None
    value = above[-1] + rounding.reading.value
    whole, cents = f"{value:.2f}".split(".")
    printed = total.span.text.split()[-1] if total.span.text.split() else ""
    if value <= 0 or not re.fullmatch(rf"{whole}(?:\d|[^\w\s])?{cents}", printed):
        return None
    return make_field(Reading(value, printed), total.span, 0.6 * (total.span.confidence or 1.0))


def _confirmed_by_payment(layout: Layout, found: dict[str, list[Candidate]], total: ExtractedField | None,
                          found_in: list[dict[str, list[Candidate]]]) -> ExtractedField | None:
    """The total that what was paid confirms, where the reading's own total disagrees.

    - Cash minus change, as another reading of the slip read them, equals a figure under a total
      label here ("SUB TOTAL 18.80" over a "TOTAL" misread "16,00"): two printed lines agree.
    - The cash handed over was taken for the total (its label misread as a total's, the total's
      own label lost): a round figure that, less the change printed under it, leaves a figure
      printed above it with its cents. That figure is the total."""
    if total is None:
        return None
    value = Decimal(total.value)
    totals = [c for c in found.get("total_amount", []) if c.reading.value > 0 and _WITH_CENTS.search(c.reading.raw)]
    own_paid = _paid(found, totals)[0]
    if own_paid == value:
        return total
    # Only where this reading could not read its own cash and change: where it could, the total's
    # own rules have weighed them already.
    paid = {p for f in found_in if (p := _paid(f)[0]) is not None}
    if value not in paid and own_paid is None:
        agreeing = [c for c in totals if c.reading.value in paid]
        if agreeing:
            best = max(agreeing, key=lambda c: c.order)
            return to_field(best, label_count=1, confidence=0.6 * (best.span.confidence or 1.0))
        payment = min((c.order for key in ("tendered", "change") for c in found.get(key, []) if _money_figure(c)),
                      default=None)
        for span in layout.spans():
            if payment is not None and (span.page.number, span.top) >= payment[:2]:
                break
            # Printed above the payment lines under a label the vocabulary does not take for the
            # total ("SUB TOTAL (Inc GST) 18.80").
            for amount, raw, _ in find_amounts(span.text):
                if amount in paid and _WITH_CENTS.search(raw):
                    return make_field(Reading(amount, raw), span, 0.5 * (span.confidence or 1.0))
    # The line must be a payment line too ("TOTAL CASH 20.00"): a round total over a change line
    # whose cash line OCR lost is still the total.
    paying = {(c.span.page.number, c.span.top) for c in found.get("tendered", [])}
    own = [c for c in totals if c.reading.value == value and (c.span.page.number, c.span.top) in paying]
    if value % 1 or not own:
        return total
    given = max(own, key=lambda c: c.order)
    back = min((c for c in found.get("change", []) if c.order > given.order and c.reading.value > 0
                and _money_figure(c)), key=lambda c: c.order, default=None)
    if back is None:
        return total
    bought = value - back.reading.value
    if bought <= 0 or bought % 1 == 0:
        return total
    for span in layout.spans():
        if (span.page.number, span.top) >= given.order[:2]:
            break
        for amount, raw, _ in find_amounts(span.text):
            if amount == bought and _WITH_CENTS.search(raw):
                return make_field(Reading(amount, raw), span, 0.5 * (span.confidence or 1.0))
    return total


# Cash is rounded to 5 cents where tills round at all (Malaysia, Switzerland, the Nordics).
_ROUNDING_STEP = Decimal("0.05")


def _rounded_below(layout: Layout, line: Candidate, total: Decimal) -> ExtractedField | None:
    """The first figure printed with cents under the rounding line that is the total rounded to
    5 cents: within a rounding's reach of it, a whole number of 5 cents."""
    for span in layout.spans():
        if not span.words or (span.page.number, span.top) <= line.order[:2]:
            continue
        for value, raw, _ in find_amounts(span.text):
            if _WITH_CENTS.search(raw) and value > 0 and abs(value - total) <= _ROUNDING_MAX \
                    and value % _ROUNDING_STEP == 0:
                return make_field(Reading(value, raw), span, 0.6 * (span.confidence or 1.0))
    return None


def _tax_at_rate(layout: Layout, c: Candidate) -> bool:
    """A figure printed after a rate under a total's label is a tax or a charge ("Total incl. GST
    6%: 1.42", "Total Svc Chg 10% 4.06") unless it is the largest figure printed with cents above
    it: then the rate names the tax the total includes ("TOTAL INCL. GST @6% 18.80"). At a zero
    rate nothing is taxed: the figure is the total (receipt_totals.zero_rated)."""
    label = c.span.text.split(c.reading.raw)[0]
    if not rates(label) or zero_rated(label):
        return False
    above = [amount for span in layout.spans() if (span.page.number, span.top) < c.order[:2]
             for amount, raw, _ in find_amounts(span.text) if _WITH_CENTS.search(raw)]
    return not above or c.reading.value < max(above)


# Below the review threshold: a total the slip's payment lines contradict is a person's call.
_DOUBTED = 0.45


def _contradicted(value: Decimal, found: dict[str, list[Candidate]], paid: Decimal | None) -> bool:
    """What the customer paid says otherwise: cash minus change is another figure, or the card or
    cash line of a slip without change prints another amount (one of the two is misread)."""
    if paid is not None:
        return paid != value
    if any(_money_figure(c) for c in found.get("change", [])):
        return False
    return any(c.reading.value > 0 and _money_figure(c) and c.reading.value != value for c in found.get("tendered", []))


def _contradicted_by_payment(value: Decimal, found_in: list[dict[str, list[Candidate]]]) -> bool:
    """The first reading's payment lines contradict the total; or, where that reading could not
    read them at all, another reading's do (the second look re-reads a slip's payment lines when
    the first reading left them garbled, and a card line it reads otherwise than the total is
    the same contradiction)."""
    first = found_in[0]
    if _contradicted(value, first, _paid(first)[0]):
        return True
    if _paid(first)[0] is not None or any(_money_figure(c) for c in first.get("tendered", [])):
        return False
    return any(_contradicted(value, found, _paid(found)[0]) for found in found_in[1:])


def _change_unread(value: Decimal, found: dict[str, list[Candidate]], layout: Layout) -> bool:
    """The only payment figures that disagree with the total are whole amounts above it, on a slip
    where no change line was read: cash handed over ("CASH 50.00" under "TOTAL 28.30") whose change
    line OCR lost, not a misread of either figure. A change line whose label was read and its
    figure not ("RESTO 2:75") was printed: what was handed back is unknown, and the cash above
    the total confirms nothing (a misread "122,25" under "CONTANTE 130,00" stays a person's call)
    unless the slip prints the total twice ("SUBTOTALE 54,39 / TOTALE EURO 54,39")."""
    if _paid(found)[0] is not None:
        return False
    if found.get("change") and _printed_with_cents(layout, value) < 2:
        return False
    other = [c.reading.value for c in found.get("tendered", []) if _money_figure(c) and c.reading.value != value]
    return bool(other) and all(v > value and v % 1 == 0 for v in other)


def _printed_with_cents(layout: Layout, value: Decimal) -> int:
    """How many times the slip prints ``value`` with its cents (a total and its repetitions)."""
    return sum(amount == value and bool(_WITH_CENTS.search(raw))
               for span in layout.spans() for amount, raw, _ in find_amounts(span.text))


def _paid_in(found_in: list[dict[str, list[Candidate]]], value: Decimal) -> int:
    """How many readings read cash minus change as ``value``."""
    return sum(_paid(found)[0] == value for found in found_in)


def _doubted(field: ExtractedField) -> ExtractedField:
    """The field as a person's call: its confidence no higher than the review threshold allows."""
    return field.model_copy(update={"confidence": min(field.confidence, _DOUBTED)})


def _paid_as_read_again(value: Decimal, found_in: list[dict[str, list[Candidate]]]) -> bool:
    """Another reading of the payment lines says what the total says: cash minus change, or a
    card or exact-cash line on a slip without change. A photo's further readings re-read exactly
    the lines that disagreed (the second look asks for the total's and the payment's lines), so
    the first reading's payment figure, not the total, is then the misread ("39.20" for "9.20"
    under a total of 9.20): no contradiction left for a person to settle."""
    for found in found_in[1:]:
        paid = _paid(found)[0]
        if paid is not None:
            if paid == value:
                return True
        elif not any(_money_figure(c) for c in found.get("change", [])) and any(
                _money_figure(c) and c.reading.value == value for c in found.get("tendered", [])):
            return True
    return False


def _paid_over_short_total(layout: Layout, found: dict[str, list[Candidate]],
                           total: ExtractedField) -> ExtractedField | None:
    """A total smaller than a figure printed above it (an item, the subtotal), on a slip with no
    discount, cannot be what was paid: OCR misread it ("20.25" under "SUB TOTAL 21.00" and the
    GST). The card or exact-cash line without change, at or a tax's worth above that figure, is
    then the amount paid. Still a person's call: it goes to review like any contradicted total."""
    if found.get("change"):
        return None
    value = Decimal(total.value)
    line = next((c for c in found.get("total_amount", []) if f"{c.reading.value:.2f}" == total.value), None)
    if line is None:
        return None
    above = [amount for span in layout.spans() if (span.page.number, span.top) < line.order[:2]
             for amount, raw, _ in find_amounts(span.text) if _WITH_CENTS.search(raw)]
    if not above or any(amount < -_ROUNDING_MAX for amount in above) or value >= max(above):
        return None  # a discount may bring the total under the lines above it
    highest = max(above)
    paying = [c for c in found.get("tendered", []) if _money_figure(c) and c.order > line.order
              and highest <= c.reading.value <= highest * Decimal("1.10")]
    if not paying:
        return None
    given = min(paying, key=lambda c: c.order)
    return to_field(given, label_count=1, confidence=_DOUBTED)


# A rounding line adjusts by cents (to the nearest 0.05 or 0.10); a bigger figure beside the
# label is something else (a misread, the rounded total itself).
_ROUNDING_MAX = Decimal("0.10")
_WITH_CENTS = re.compile(r"\d[.,]\s?\d\d-?$")


def _unlabelled_total(layout: Layout, found: dict[str, list[Candidate]]) -> ExtractedField | None:
    """The total of a slip whose total label OCR lost: the figure that sums the item lines
    above it, else the largest figure printed twice (the total and its payment line), else the
    largest figure printed with cents (items, tax and subtotals are parts of what is paid) on a
    slip with no cash or change line. The last is a guess: sent to review."""
    spans = layout.spans()
    lines = [(span, amounts[-1]) for span in spans
             if (amounts := [(v, raw) for v, raw, _ in find_amounts(span.text) if _WITH_CENTS.search(raw)])]
    # The subtotal, or the total the service charge, tax, discount and rounding after it come to.
    at = running_total([value for _, (value, _) in lines])
    if at is not None:
        span, (value, raw) = lines[at]
        return make_field(Reading(value, raw), span, 0.5 * (span.confidence or 1.0))
    printed: dict[Decimal, list[tuple[Span, str]]] = {}
    for span in spans:
        for value, raw, _ in find_amounts(span.text):
            if value > 0 and _WITH_CENTS.search(raw):
                printed.setdefault(value, []).append((span, raw))
    repeated = [value for value, seen in printed.items() if len(seen) >= 2]
    if repeated:
        value = max(repeated)
        span, raw = printed[value][-1]
        return make_field(Reading(value, raw), span, 0.4 * (span.confidence or 1.0))
    if any(_money_figure(c) for key in ("tendered", "change") for c in found.get(key, [])):
        return None  # cash and change that do not add up to any figure: nothing to trust
    priced = [(value, span, raw) for value, seen in printed.items() for span, raw in seen]
    if not priced:
        return None
    value, span, raw = max(priced, key=lambda item: item[0])
    return make_field(Reading(value, raw), span, min(0.3, 0.3 * (span.confidence or 1.0)))


def _most_supported(layout: Layout, totals: list[Candidate]) -> Candidate:
    """The grand total among the labelled candidates: the figure the slip repeats (total, card
    or cash line, tax summary) or prints right after its label, not a single misread one; then
    the largest, since subtotals are smaller. A whole number where the slip prints cents is a misread decimal point."""
    printed: dict[Decimal, int] = {}
    with_cents = 0
    for span in layout.spans():
        for value, raw, _ in find_amounts(span.text):
            printed[value] = printed.get(value, 0) + 1
            with_cents += bool(re.search(r"[.,]\s?\d\d$", raw))

    def support(c: Candidate) -> tuple:
        whole = not re.search(r"\d[.,]\s?\d", c.reading.raw)
        misread = whole and with_cents >= 3
        # Either sign counts once: a figure the slip repeats, or one printed right after its label.
        evidence = int(_direct(c)) + int(printed.get(c.reading.value, 0) >= 2)
        return (not misread, evidence, c.reading.value, -c.rank, c.order)

    return max(totals, key=support)


# What may stand between a total's label and its figure: leaders, a currency, the rate of the tax
# it includes ("TOTAL INCL. GST @6% 18.80": a tax line's rate never gets this far).
_LEADER = re.compile(r"^(?:[\s:=.\-—–_*#()]|rm|eur|euro|€|\$|£|chf|usd|gbp|sgd|myr|@?\s?\d{1,2}(?:[.,]\d{1,2})?\s?%)*$",
                     re.IGNORECASE)


def _column_heading(c: Candidate) -> bool:
    """A total's label read over a figure below it, after other words on its line: a column of
    the items table's heading ("Item Qty Total", "Qty Price Total"), not the slip's total."""
    return not c.beside and c.hit is not None and c.hit.start > 0 \
        and any(any(ch.isalpha() for ch in w.text) for w in c.hit.line[:c.hit.start])


def _direct(c: Candidate) -> bool:
    """The figure is the label's own: nothing but a leader or a currency between them, and no
    other figure after it. "Total 0% supplies: 26.61" and a tax table's "Summe 0,47 6,69 7,16"
    print a total's label over something else."""
    before, _, after = c.span.text.partition(c.reading.raw)
    return bool(_LEADER.match(before)) and not find_amounts(after)


def _cash_read_cleanly(found: dict[str, list[Candidate]]) -> bool:
    """No cash or change figure read as thousands: a figure nothing else on the slip confirms is
    trusted only when read cleanly ("106.006" is a misread 100.00, not a hundred thousand)."""
    return not any(re.search(r"\d[.,]\d{3}-?$", c.reading.raw)
                   for key in ("tendered", "change") for c in found.get(key, []))


def _money_figure(c: Candidate) -> bool:
    """Cash and change are printed with their cents and no rate: "Serv Charge 10% 4.06" (read
    as "change") and "005" or a barcode beside "Balance" are not what was handed back."""
    before = c.span.text.partition(c.reading.raw)[0]
    return "%" not in before and bool(re.search(r"\d[.,]\s?\d{1,2}-?$", c.reading.raw))


def _one_decimal(c: Candidate) -> bool:
    """A figure with one decimal digit ("1,0}") is a misread: receipts print cents."""
    return bool(re.search(r"\d[.,]\d$", c.reading.raw))


def _lost_point(c: Candidate, paid: Decimal) -> bool:
    """A whole number that is the amount paid with its decimal point lost ("3100" for 31.00)."""
    return "." not in c.reading.raw and "," not in c.reading.raw and c.reading.value == paid * 100


def _paid(found: dict[str, list[Candidate]], totals: list[Candidate] | None = None) -> tuple[Decimal | None, set]:
    """Cash handed over minus change given back, when both are printed, and where they are.
    Without a cash line, the amount printed just above the change is what was handed over."""
    tendered = [c for c in found.get("tendered", []) if c.reading.value > 0 and _money_figure(c)]
    # No change at all may be printed "00".
    change = [c for c in found.get("change", []) if c.reading.value == 0 or (c.reading.value > 0 and _money_figure(c))]
    if not tendered and totals and change and max(c.reading.value for c in change) > 0:
        first_change = min(change, key=lambda c: c.order)
        above = [c for c in totals if c.order < first_change.order]
        tendered = [max(above, key=lambda c: c.order)] if above else []
    if not tendered or not change:
        return None, set()
    # The last cash line that has a change line after it: a payment summary further down the
    # slip ("CONTANTI 50,00" under "RESTO") repeats the cash without its change.
    pairs = [(given, min((c for c in change if c.order > given.order), key=lambda c: c.order, default=None))
             for given in tendered]
    pairs = [(given, back) for given, back in pairs if back is not None]
    if not pairs:
        return None, set()
    given, back = max(pairs, key=lambda pair: pair[0].order)
    paid = given.reading.value - back.reading.value
    lines = {(c.span.page.number, c.span.top) for c in (given, back)}
    return (paid if paid > 0 else None), lines


# -- merchant and address ----------------------------------------------------------------------
_SPACED_LETTERS = re.compile(r"\b(?:[A-Za-z] ){2,}[A-Za-z]\b")
_SPACED_PAIRS = re.compile(r"^[A-Z]{1,2}(?: [A-Z]{1,2})+$")
# A line that starts with a label of a word or two and its colon ("INV NO: CS0225…", "Kasse:"),
# or ends in one: the value is a number, a person, a time; the name is never labelled so.
_LABEL_END = re.compile(r"^\W{0,2}(?:[^\W\d_]+\.?\s?){1,2}:|[^\W\d_]{2,}\.?\s?:\s*$")
_NOT_NAME = re.compile(r"^\W*$|\d{4,}|@|www\.|https?:|:|\btel\b|\bfax\b", re.I)


def _merchant(layout: Layout, vocab: Vocabulary) -> tuple[ExtractedField, int | None] | None:
    """The merchant: the best-looking name among the slip's first lines and the lines that end
    in a legal form ("... SDN BHD", "Kaufhaus Berg GmbH & Co. KG", often printed at the bottom)."""
    rules = vocab.rules("receipt", "merchant")
    skip = [compact(s) for s in rules.get("not_names", [])]
    columns = {fold(w) for w in rules.get("column_words", [])}
    address_words = {w.casefold() for w in rules.get("address_words", [])}
    spans = layout.spans()
    suffixes = vocab.rules("receipt", "legal_forms").get("suffixes", [])
    legal = {id(s) for s in spans for _, found in company_names(layout, suffixes)
             if found.words and found.words[0] in s.words}
    best: tuple[float, int] | None = None
    legal_keys = sorted({compact(s) for s in suffixes if compact(s)}, key=len, reverse=True)
    site = _named_elsewhere(layout, rules)
    # The first word of each name printed elsewhere: a short brand over the address that one
    # starts with is confirmed by it ("AL DI" over "… Aldi GmbH & Co. KG").
    named_elsewhere = {compact(text.split()[0]) for text in
                       [s.text for s in spans[_HEADER_LINES:] if id(s) in legal] + ([site.value] if site else [])
                       if text.split()}
    continued = _address_continuations(spans[:_HEADER_LINES], address_words, legal, legal_keys)
    # The name comes before its address: below a street line, a line over the registration
    # number is the address's last line ("MALAYSIA"), not a name.
    first_street = min([i for i, s in enumerate(spans[:_HEADER_LINES]) if _is_street(s.text, address_words)],
                       default=_HEADER_LINES)
    # Where the address starts (a street and its number): under a graphical logo the address heads
    # the slip, and what follows it (opening hours, items) names nothing; a line that ends in a
    # legal form ("real GmbH") may still be the name there.
    first_address = min([i for i, s in enumerate(spans[:_HEADER_LINES]) if _starts_address(spans, i, address_words)],
                        default=_HEADER_LINES)
    header_legal = any(_is_legal_line(s, legal, legal_keys) for s in spans[:first_address])
    branch_words = rules.get("branch_words", [])
    # The line the address stands under, a branch line or a company or tax number between passed
    # over ("ROC: 1026984-X"); none without an address.
    above_address = first_address - 1 if first_address < min(_HEADER_LINES, len(spans)) else -1
    while above_address > 0 and (is_branch(spans[above_address].text, branch_words)
                                 or _REGISTRATION_LINE.search(spans[above_address].text)
                                 or re.search(r"\d{5,}", spans[above_address].text)):
        above_address -= 1
    for index, span in enumerate(spans):
        legal_form = _is_legal_line(span, legal, legal_keys)
        if index >= _HEADER_LINES and id(span) not in legal:
            continue
        if index in continued or (index < _HEADER_LINES and index + 1 < len(spans)
                                  and street_above_postcode(spans[index].text, spans[index + 1].text)):
            continue
        # With a legal name or a web address elsewhere on the slip to fall back on, neither a
        # logo's misread nor a line under the address is taken for the name.
        if _REGISTRATION_LINE.search(span.text):
            continue  # "P.IVA: 0751…", "USt-IdNr. DE…": the tax number's line, whatever is left of it
        if _column_headings(span.text, columns) or (index < _HEADER_LINES and is_branch(span.text, branch_words)):
            continue  # the items' headings; a branch line names where the shop is, not whose it is
        if (legal or site is not None) and not legal_form and ((first_address < index < _HEADER_LINES) or _logo_misread(span)):
            continue
        # A graphical logo read as a short fragment over the address ("LDL", "Wii"): read
        # unsurely, never a name; read fairly surely, not over a name printed elsewhere.
        fragment = index < first_address and not legal_form and logo_fragment(
            _clean_name(span.text), [(w.text, w.conf) for w in span.words])
        if fragment == "unsure" or (fragment and (legal or site is not None)
                                    and compact(_clean_name(span.text)) not in named_elsewhere):
            continue  # (the brand the legal name or the web address starts with stays: "ALDI")
        if _LABEL_END.search(span.text) and not legal_form:
            continue  # "INV NO: CS…", "Kassierer:": a label and its value
        text = _clean_name(span.text)
        # A legal-form line in the header block is the name under a graphical logo; one in the
        # footer ("Kaufhaus Berg GmbH & Co. KG, Filiale …") only when the header offers nothing better.
        bonus = (3.0 if index < _HEADER_LINES else 1.0) if id(span) in legal else 0.0
        if index < first_street and index + 1 < len(spans) and _REGISTRATION_LINE.search(spans[index + 1].text) \
                and not (index > 0 and _is_legal_line(spans[index - 1], legal, legal_keys)):
            # The legal name is printed just above the business's registration (VAT) number,
            # with or without a legal form (a sole trader has none) — unless a legal name heads
            # the line: then the line between is its branch ("FILIALE DI MONZA", "OUTLET: …").
            bonus = max(bonus, 2.5)
        if index == above_address and not header_legal:
            bonus = max(bonus, ABOVE_ADDRESS)  # "Il gusto di una volta / Panificio di Mario Rossi / Via Roma 12"
        score = _name_score(text, span, index, bonus, skip, address_words)
        if score is not None and (best is None or score > best[0]):
            best = (score, index)
    if best is None:
        return (site, None) if site is not None else None
    index = best[1]
    span = spans[index]
    name = _clean_name(span.text, legal_keys)
    confidence = min(0.9, 0.15 * best[0]) * (span.confidence or 1.0)
    if index >= _HEADER_LINES:
        # The legal name in the foot, under a graphical logo: said plainly, but not where a name
        # heads the slip, and filed as less sure than one ("Aldi GmbH & Co. KG, Schloß Holte":
        # its seat after the comma is no part of it).
        name = _without_seat(name, legal_keys)
        # As surely as the name's own words were read, not the seat's ("Schlo®" at 19 %).
        confidence = max(confidence, _FOOT_NAME * min(w.conf for w in span.words[:len(name.split())]) / 100)

    def name_like(i: int) -> bool:
        line = spans[i]
        return i not in continued and not _REGISTRATION_LINE.search(line.text) \
            and not _column_headings(line.text, columns) \
            and _name_score(_clean_name(line.text), line, i, 0.0, skip, address_words) is not None

    pair = trading_pair([s.text for s in spans], index, limit=min(first_street, _HEADER_LINES), is_name=name_like,
                        is_legal=lambda i: _is_legal_line(spans[i], legal, legal_keys),
                        is_brand=lambda i: name_like(i) and not sentence_like(spans[i].text)
                        and read_surely([(w.text, w.conf) for w in spans[i].words]))
    if pair is not None:
        # The brand over the company that runs the shop: both name the merchant.
        above, below = (spans[i] for i in pair)
        name = f"{_clean_name(above.text)} {_clean_name(below.text, legal_keys)}"
        span = Span(span.page, above.words + below.words, f"{above.text} {below.text}")
    elif index > 0 and _continues_name(name, suffixes):
        # "PASARAYA BORONG PINTAR / SDN BHD": a name broken over two lines.
        above = spans[index - 1]
        head = _clean_name(above.text)
        if _name_score(head, above, index - 1, 0.0, skip, address_words) is not None and not re.search(r"\d", head) \
                and not sentence_like(head):  # a slogan over the name ("Frisch und lecker") is not its start
            name = f"{head} {name}"
            span = Span(span.page, above.words + span.words, f"{above.text} {span.text}")
    return make_field(Reading(name, span.text), span, confidence), index


def _column_headings(text: str, columns: set[str]) -> bool:
    """The items table's headings ("DESCRIZIONE IVA EURO", "ITEM QTY U/P(RM)"): two or more words,
    every one a column word (single letters, as in "U/P", left aside)."""
    words = [fold(w) for w in re.findall(r"[^\W\d_]{2,}", text)]
    return len(words) >= 2 and all(w in columns for w in words)


def _starts_address(spans: list[Span], index: int, address_words: set[str]) -> bool:
    text = spans[index].text
    following = spans[index + 1].text if index + 1 < len(spans) else ""
    return bool(STREET_LINE.search(text)) or street_above_postcode(text, following) \
        or (_is_street(text, address_words) and bool(re.search(r"\d", text)))


def _is_legal_line(span: Span, legal: set[int], keys: list[str]) -> bool:
    # Cleaned: "SANYU SHOP SDN BHD (464868-W) È:" ends in its legal form once the number and specks go.
    return id(span) in legal or _ends_in_legal_form(span.text, keys) or _ends_in_legal_form(_clean_name(span.text), keys)


def _ends_in_legal_form(text: str, keys: list[str]) -> bool:
    """The line ends in a legal form, whatever the case of the name before it ("real GmbH"),
    or in one OCR misread a letter of ("SON BHD")."""
    words = [compact(w) for w in repair_legal_form(text, keys).split()]
    return len(words) >= 2 and any("".join(words[-n:]) in keys for n in range(1, min(4, len(words) - 1) + 1))


# A word read this unsurely is OCR of a graphical logo, not a printed name ("HlunbeLD" at 5 %).
_LOGO_CONFIDENCE = 20


def _logo_misread(span: Span) -> bool:
    return any(w.conf < _LOGO_CONFIDENCE and sum(ch.isalpha() for ch in w.text) >= 3 for w in span.words)


# How sure a name is that the slip gives only in its foot: its legal name, a greeting naming
# it, its web or mail address (below a header name's; review sees them as unsure).
_FOOT_NAME, _GREETING_NAME, _DOMAIN_NAME = 0.45, 0.4, 0.3


def _named_elsewhere(layout: Layout, rules: dict) -> ExtractedField | None:
    """The merchant as the slip names it outside its header, when no line there prints it (a
    graphical logo): a greeting ("Vielen Dank für Ihren Einkauf bei BACKSTUBE KORN") before a
    web or mail address ("www.roller.de" → "ROLLER"); a mail provider's or a service's domain
    ("gmx.de", "ingenico.de") names no shop."""
    greetings, after = rules.get("greetings", []), rules.get("greeting_name_after", [])
    not_names = rules.get("greeting_not_names", [])
    services = [s.casefold() for s in rules.get("not_merchant_domains", [])]
    site = None
    for span in layout.spans():
        name = named_in_greeting(span.text, greetings, after, not_names) if greetings else None
        if name is not None:
            name = _clean_name(name)
            if name and compact(name) not in services:  # "Danke! Besuchen Sie uns bei Facebook"
                # As surely as the name's words were read, not the greeting's ("fiir" at 69 %).
                read = min(w.conf for w in span.words[-len(name.split()):]) / 100
                return make_field(Reading(name, span.text), span, _GREETING_NAME * read)
        if site is None:
            found = domain_brand(span.text, services)
            if found is not None:
                site = make_field(Reading(*found), span, _DOMAIN_NAME * (span.confidence or 1.0))
    return site


def _without_seat(name: str, legal_keys: list[str]) -> str:
    """A legal name without the town of its seat printed after it: "Aldi GmbH & Co. KG, Schloß
    Holte" → "Aldi GmbH & Co. KG"."""
    head, comma, tail = name.rpartition(",")
    if comma and _ends_in_legal_form(head, legal_keys) and not re.search(r"\d", tail) and len(tail.split()) <= 4:
        return head.strip()
    return name


def _continues_name(name: str, suffixes: list[str]) -> bool:
    """A line that can only be the end of a name: a legal form alone or after a word or two,
    or a bracketed branch ("(SEMENYIH) SDN BHD")."""
    keys = {compact(s) for s in suffixes}
    words = name.split()
    if name.startswith("(") or (words and compact(words[0]) in keys and len(words) <= 3):
        return True  # "SDN BHD", "BHD (KL)"; a longer line starting "RESTORAN …" is a name of its own
    return len(words) <= 3 and any(compact(" ".join(words[i:])) in keys for i in range(len(words)))


# The business's registration line: VAT or tax number, company number ("P.IVA 0123…",
# "USt-IdNr. DE…", "VAT No GB…", "GST Reg No", "Co. Reg", a bare "(562007-D)").
_REGISTRATION_LINE = re.compile(
    r"(?i)^\W{0,2}(?:p\.?\s?iva|partita\s+iva|c\.?\s?f\.?\s|cod(?:ice)?\.?\s?fisc|ust[\s.-]*id|st[\s.-]*nr|steuer"
    r"|vat\s+(?:no|reg|number)|gst\s+(?:reg|id|no)|co\.?\s?reg|company\s+(?:reg|no)|roc\s+no|tva|btw"
    r"|[({\[]\s?[a-z]{0,3}\d{5,}(?:\s?-\s?[a-z])?\W{0,3}$)")


def _address_continuations(header: list[Span], address_words: set[str], legal: set[int],
                           legal_keys: list[str]) -> set[int]:
    """Header lines that continue an address: the line under a street line when it carries a
    number (postcode and town, "Bath BA1 1SU") or is a word or two (the town without a postcode,
    "MILANO"); a district line between the street and the
    postcode ("Kirkstall", "TAMAN JOHOR JAYA,"); the state or country under the postcode line
    ("SELANGOR DARUL EHSAN"). Under a graphical logo the address heads the slip, and these look
    like names."""
    out: set[int] = set()
    for index, span in enumerate(header[:-1]):
        if (_is_street(span.text, address_words) or index - 1 in out) \
                and re.search(r"\d", header[index + 1].text) and not PRICED.search(header[index + 1].text):
            out.add(index + 1)
        elif _is_street(span.text, address_words) and len(header[index + 1].text.split()) <= 2 \
                and header[index + 1].text.isupper() and not re.search(r"\d", header[index + 1].text) \
                and id(header[index + 1]) not in legal and not _ends_in_legal_form(header[index + 1].text, legal_keys):
            out.add(index + 1)  # the town alone under the street ("VIA ROMA, 12" / "MILANO")
    for index, span in enumerate(header):
        if not (_is_street(span.text, address_words)
                or (index + 1 < len(header) and street_above_postcode(span.text, header[index + 1].text))):
            continue
        for end in range(index + 1, min(index + 4, len(header))):
            if POSTCODE.search(header[end].text):
                out.update(i for i in range(index + 1, end + 1)
                           if id(header[i]) not in legal and not _ends_in_legal_form(header[i].text, legal_keys))
                state = header[end + 1] if end + 1 < len(header) else None
                if state is not None and id(state) not in legal and not re.search(r"\d", state.text) \
                        and len(state.text.split()) <= 3:
                    out.add(end + 1)
                break
    return out


def _is_street(text: str, address_words: set[str]) -> bool:
    return bool(STREET_LINE.search(text)) or bool({w.casefold().strip(",.") for w in text.split()} & address_words)


def _name_score(text: str, span: Span, index: int, legal_bonus: float, skip: list[str],
                address_words: set[str]) -> float | None:
    """How much a line looks like the merchant's name; None when it cannot be one."""
    words = text.split()
    letters = sum(ch.isalpha() for ch in text)
    key = compact(text)
    if letters < 3 or _NOT_NAME.search(text) or not words or STREET_LINE.search(text) or PRICED.search(text):
        return None
    if key in skip or any(k and len(k) > 4 and k in key for k in skip) or currency_code(text) == text.strip().upper():
        return None
    # OCR of a logo or a stamp: short fragments, few real words, low confidence.
    tokens = [w for w in words if any(ch.isalnum() for ch in w)] or words
    wordlike = sum(1 for w in tokens if sum(ch.isalpha() for ch in w) >= 2 or (len(w) == 1 and w.isupper())
                   or w.isdigit()) / len(tokens)
    confidence = sum(w.conf for w in span.words) / len(span.words) / 100 if span.words else 0.5
    if wordlike < 0.6 or confidence < unsure_name_floor(legal_bonus):
        return None
    score = 2.0 * wordlike + 2.0 * confidence
    score += legal_bonus
    score += 1.0 if text.isupper() else 0.0
    score += 0.5 if 2 <= len(words) <= 7 else 0.0
    streets = sum(1 for w in words if w.casefold().strip(",.") in address_words)
    if streets and re.search(r"(?<![\d.,])\d{1,4}[a-zA-Z]?\b(?![.,]\d)", text):
        return None  # a street and its house number ("77 Station Road", "NO 8, JALAN PERDANA")
    score -= 2.0 * streets
    score -= 0.25 * index  # the name heads the slip
    return score


def _clean_name(text: str, legal_keys: list[str] | None = None) -> str:
    """The name on a line without what OCR and the till print around it; with ``legal_keys``
    letters OCR read as digits ("0MEGA") and its legal form misread by a letter ("SON BHD") put right."""
    text = _SPACED_LETTERS.sub(lambda m: m.group(0).replace(" ", ""), text)  # "B E R G" -> "BERG"
    if _SPACED_PAIRS.match(text):
        text = text.replace(" ", "")  # a letter-spaced word OCR read in pairs: "AL DI", "KO RN HA US"
    # Specks a photo's edge leaves after the registration number ("… SDN BHD (464868-W) È:") go with it.
    text = re.sub(r"([({][^(){}]*\d{3,}[^(){}]*[)}])(?:\s++[^\w\s]*+\w{0,2}+[^\w\s]*+(?!\S))++$", r"\1", text)
    text = re.sub(r"(?<!\s)\s*+[({][^(){}]*\d{3,}[^(){}]*[)}]?\s*$", "", text)  # "(562007-D)": a registration no.
    # "OMEGA TRADING SDN BHD CO. NO: 123456-X": the company number printed with its label after the name.
    text = re.sub(r"(?i)(?<=\S)\s+[(\[]?(?:co(?:mpany)?\.?\s*(?:reg(?:n)?\.?\s*)?no|roc(?:\s*no)?)\b\.?\s*[:.]?\s*"
                  r"[A-Z]{0,3}\d[\w-]*[)\]]?(?:\s++[^\w\s]*+\w{0,2}+[^\w\s]*+(?!\S))*+\s*$", "", text)
    words = text.split()
    if len(words) > 1 and is_registration(words[-1]):
        text = " ".join(words[:-1])  # "KEDAI MAJU 002043319-W": the company number after the name
    text = re.sub(r"^[^\w(]+", "", text)
    text = re.sub(r"(?<!\W)(?=[^\w|]*\|)\W*+$", "", text)  # as "\W*\|\W*$", without a quadratic search
    # Specks read as letters around the name: "x WAN HING ...", "... SDN BHD i".
    # Written so that no run of blanks or punctuation is split every possible way (a line of
    # 5,000 dashes took minutes): the same matches as "^(?:[a-z]{1,2}|\W+\w?\W*)\s+(?=[A-Z0-9])"
    # and "\s+(?:[a-z]|\W+)$".
    text = re.sub(r"^(?:[a-z]{1,2}\s++|(?=\W\W)\W++(?:\w\W++)?|\W++\w\W++)(?<=\s)(?=[A-Z0-9])", "", text)
    text = re.sub(r"(?<!\s)\s++[a-z]$|(?<!\s)(?=\s\W)\s++\W*+$", "", text)
    text = " ".join(text.split()).strip(" ,:;*-_=~'\"")
    if legal_keys:
        text = repair_legal_form(letters_for_digits(text), legal_keys)
    last = text.split()[-1].lower() if text.split() else ""
    if text.endswith(".") and not ("." in last[:-1] or last[:-1] in ("inc", "ltd", "co", "corp", "bhd", "coop")):
        text = text.rstrip(".")  # a full stop, not the end of "S.r.l." or "Inc."
    return text.strip()


# -- payment -----------------------------------------------------------------------------------
def _payment(layout: Layout, vocab: Vocabulary) -> ExtractedField | None:
    """How the customer paid: the first payment word printed on the slip ("CASH", "VISA",
    "Bancomat"), as "cash" or "card"."""
    methods: dict[str, list[str]] = vocab.rules("receipt", "payment_methods")
    method_of = {word: method for method, words in methods.items() for word in words}
    hits = layout.find(list(method_of))
    if not hits:
        return None
    first = min(hits, key=lambda h: h.order)
    span = layout.line_span(first)
    return make_field(Reading(method_of[first.label], span.text), span, 0.6 * (span.confidence or 1.0))
