"""Invoice fields: number, dates, the two parties (name, VAT id, tax code), the totals block,
currency and IBAN, each validated and cross-checked."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from ..records import ExtractedField
from . import identifiers, validate
from .amounts import currency_tokens
from .dates import find_dates
from .labelled import (Candidate, Reading, labelled_candidates, make_field, pick, read_iban, read_text, read_vat,
                       to_field)
from .layout import Layout, Span, value_words
from .header_block import anchors, header_first
from .names import company_names, name_after_heading
from .rate_rows import rate_rows
from .rate_sums import per_rate_sums
from .sections import Sections
from .totals import choose
from .vocabulary import Vocabulary

# Currency when nothing on the page names one: the currency of the seller's country.
_EURO_VAT_PREFIXES = {"AT", "BE", "CY", "DE", "EE", "EL", "ES", "FI", "FR", "HR", "IE", "IT", "LT", "LU", "LV",
                      "MT", "NL", "PT", "SI", "SK"}


def extract(layout: Layout, vocab: Vocabulary, *, language: str | None, today: dt.date) -> dict[str, ExtractedField]:
    month_first = language in vocab.rules("invoice", "dates").get("month_first_languages", [])
    found = labelled_candidates(layout, vocab.specs("invoice"), ignore=vocab.ignore("invoice"),
                                month_first=month_first, today=today, cells=True)
    sections = Sections(layout, vocab.sections("invoice"))
    fields: dict[str, ExtractedField] = {}

    best: dict[str, Candidate | None] = {}
    for name in ("date", "due_date", "number"):
        spec = vocab.spec("invoice", name)
        cands = found.get(name, [])
        if name == "number":
            header = vocab.rules("invoice", "number_header")
            # "Invoice to", "Rechnung an": a party's heading, not the number's label.
            cands = [c for c in cands if c.hit is None
                     or not sections.in_heading(c.hit.page.number, c.hit.line_index, c.hit.words[0].x0)]
            where = anchors(layout, best["date"], header.get("titles", []), sections)
            cands = header_first(_number_shaped(cands), where, generic=tuple(header.get("generic", ())),
                                 reach=float(header.get("reach", 4.0)))
        best[name] = pick(cands, spec.pick if spec else "first")
    for name in ("number", "date", "due_date"):
        if best[name] is not None:
            spec = vocab.spec("invoice", name)
            fields[name] = to_field(best[name], label_count=len(spec.labels) if spec else 1)
    if "date" not in fields:
        _first_date(fields, layout, month_first, today)

    _parties(fields, layout, found, sections, vocab)
    _totals(fields, layout, found, vocab)
    _currency(fields, layout, found)
    _iban(fields, layout, found)
    _check_dates(fields, today, layout.made)
    return fields


def _number_shaped(cands: list[Candidate]) -> list[Candidate]:
    """Candidates whose value looks like a document number: a lone digit ("Fattura 1 di 2",
    "Invoice  Page 1") is one only when nothing else is offered; a prefixed VAT id that passes
    its check is never one (OCR joins "FACTURE" to the "N° TVA FR…" beside it)."""
    cands = [c for c in cands if not _a_vat_id(c)]
    shaped = [c for c in cands if len(str(c.reading.value)) > 1]
    return shaped or cands


# A tax id's label before a value: what follows it is that id ("P.IVA 01234567890").
_TAX_LABEL = re.compile(r"(?i)(?<![A-Za-z])(?:p\.?\s?iva|partita\s+iva|vat(?:\s*(?:no|reg|number|id))?|n[°o]?\s*tva|tva|"
                        r"ust[\s.-]*id\w*|btw|c\.\s?f\.?|cod\.?\s?fisc\w*)(?![A-Za-z])")


def _a_vat_id(c: Candidate) -> bool:
    value = str(c.reading.value)
    if len(value) >= 10 and value[:2].isalpha() and value[2:4].isdigit() and validate.vat_id(value).valid:
        return True
    before = c.span.text[: max(c.span.text.find(c.reading.raw), 0)]
    return bool(_TAX_LABEL.search(before))


# -- parties -----------------------------------------------------------------------------------
def _role(sections: Sections, c: Candidate) -> str | None:
    if c.hit is not None:
        word = c.hit.words[0]
        return sections.role_at(c.order[0], word.x0, word.y0)
    return None


def _parties(fields: dict[str, ExtractedField], layout: Layout, found: dict[str, list[Candidate]],
             sections: Sections, vocab: Vocabulary) -> None:
    for kind, vendor_field, customer_field in (("vat_id", "vendor_vat", "customer_vat"),
                                               ("tax_code", "vendor_cf", "customer_cf")):
        cands = sorted(found.get(kind, []), key=lambda c: c.order)
        # Labels that name the party themselves ("Customer VAT") win over sections.
        own = {role: [c for c in found.get(f, [])] for role, f in (("vendor", vendor_field), ("customer", customer_field))}
        by_role: dict[str | None, list[Candidate]] = {"vendor": [], "customer": [], "neutral": [], None: []}
        for c in cands:
            by_role[_role(sections, c)].append(c)
        vendor = _first_valid(own["vendor"]) or _first_valid(by_role["vendor"])
        customer = _first_valid(own["customer"]) or _first_valid(by_role["customer"])
        footer = None
        if vendor is None and not by_role["vendor"]:
            # No seller heading: the seller prints its own id first, in the header, unless its
            # footer prints another (the buyer's window printed the first).
            loose = [c for c in by_role[None] if customer is None or c.reading.value != customer.reading.value]
            vendor = _first_valid(_footer_first(loose))
            if kind == "vat_id" and (vendor is None or not _in_footer(vendor)):
                footer = _footer_vat(layout, {c.reading.value for c in own["customer"] + by_role["customer"]}
                                     | ({vendor.reading.value} if vendor is not None else set()))
        if footer is not None:
            fields[vendor_field] = make_field(footer[0], footer[1], 0.6 * (footer[1].confidence or 1.0))
        elif vendor is not None:
            fields[vendor_field] = to_field(vendor, label_count=8)
        if customer is not None and (vendor is None or customer is not vendor):
            fields[customer_field] = to_field(customer, label_count=8)
    if "vendor_vat" not in fields:
        _unlabelled_vat(fields, layout, sections)

    for role, name_field in (("vendor", "vendor_name"), ("customer", "customer_name")):
        name = _party_name(layout, found, sections, role, vocab)
        if name is not None:
            fields[name_field] = name


# The page's footer: its bottom part, where the issuer prints its registration (REA, HRB, RCS,
# company number) and often its only VAT id.
_FOOTER = 0.85


def _in_footer(c: Candidate) -> bool:
    return bool(c.span.page.height) and c.order[1] >= _FOOTER * c.span.page.height


# An Italian registration line ("Cap. Soc. € 10.000 i.v. - REA MI-123456"): a bare 11-digit
# number on it that passes the Partita IVA check is the issuer's.
_REGISTRATION = re.compile(r"\b(?:REA|Cap\.?\s?Soc|C\.?C\.?I\.?A\.?A|Reg(?:istro|\.)\s?(?:delle\s)?Imp)", re.I)


def _footer_vat(layout: Layout, known: set[str]) -> tuple[Reading, Span] | None:
    """A valid VAT id in a page's footer, printed with or without a label, other than the ids
    already ``known`` (the buyer's, the header's)."""
    for span in layout.spans():
        if not span.page.height or span.top < _FOOTER * span.page.height:
            continue
        for reading in _prefixed_vats(span.text):
            if reading.value not in known:
                return reading, span
        if _REGISTRATION.search(span.text):
            for match in re.finditer(r"(?<![\dA-Za-z])\d{11}(?![\d])", span.text):
                check = validate.vat_id(match.group(0))
                if check.valid and check.value not in known:
                    return Reading(check.value, match.group(0), True, None), span
    return None


def _footer_first(cands: list[Candidate]) -> list[Candidate]:
    """With no heading to tell, ids that disagree: the one in the page's footer is the issuer's
    (an address window prints the buyer's id first, with no heading over it; no invoice prints
    its buyer's id in its footer)."""
    valid = {c.reading.value for c in cands if c.reading.valid}
    if len(valid) < 2:
        return cands
    footer = [c for c in cands if c.reading.valid and _in_footer(c)]
    return footer + [c for c in cands if c not in footer]


def _first_valid(cands: list[Candidate]) -> Candidate | None:
    """The first candidate that passed its check, else the first one that could not be checked,
    else the first at all (reported invalid)."""
    for wanted in (True, None, False):
        for c in cands:
            if c.reading.valid is wanted:
                return c
    return None


def _unlabelled_vat(fields: dict[str, ExtractedField], layout: Layout, sections: Sections) -> None:
    """A prefixed VAT id printed without a label (footers often do): the first valid one outside
    the buyer's section."""
    for span in layout.spans():
        for reading in _prefixed_vats(span.text):
            # Where the id itself is printed: a line of the reader may join two columns.
            word = value_words(span.words, reading.raw)[0]
            if sections.role_at(span.page.number, word.x0, word.y0) in ("customer", "neutral"):
                continue
            if reading.value == fields.get("customer_vat", ExtractedField(value=None)).value:
                continue
            fields["vendor_vat"] = make_field(reading, span, 0.5 * span.confidence if span.words else 0.5)
            return


# A prefix and a run of digits and capitals, the Swiss "CHE-123.456.788" included.
_PREFIXED = re.compile(r"\b[A-Z]{2,3}[\s.\-]?[0-9A-Z][0-9A-Z.\s\-]{6,14}[0-9A-Z]\b")


def _prefixed_vats(text: str):
    """The valid prefixed VAT ids of a line: cut by each country's grammar wherever one may
    start ("SIRET/TVA FR33178351482": the token run from "TVA" is no id, "FR…" is), then the
    token runs the grammar does not know."""
    if not _PREFIXED.search(text):
        return  # most lines: no capital pair before a long run of digits and capitals
    for value, raw in identifiers.vat_readings(text):
        check = validate.vat_id(value)
        if check.valid and not check.value[:2].isdigit():
            yield Reading(check.value, raw, True, None)
    for match in _PREFIXED.finditer(text):
        reading = read_vat(match.group(0))
        if reading is not None and reading.valid and not reading.value[:2].isdigit():
            yield reading


def _party_name(layout: Layout, found: dict[str, list[Candidate]], sections: Sections, role: str,
                vocab: Vocabulary) -> ExtractedField | None:
    own = [c for c in found.get(f"{role}_name", [])]
    if own:
        best = min(own, key=lambda c: (c.rank, c.order))
        return to_field(best, label_count=4)
    named = [c for c in found.get("party_name", []) if _role(sections, c) == role]
    if named:
        return to_field(min(named, key=lambda c: c.order), label_count=4)
    # A person: first name and surname on lines of their own ("Nome: Mario", "Cognome: Rossi").
    first = [c for c in found.get("party_first_name", []) if _role(sections, c) == role]
    last = [c for c in found.get("party_last_name", []) if _role(sections, c) == role]
    if first and last:
        given, family = min(first, key=lambda c: c.order), min(last, key=lambda c: c.order)
        text = f"{given.reading.value} {family.reading.value}"
        field = to_field(given, label_count=4)
        return field.model_copy(update={"value": text, "raw": f"{given.reading.raw} / {family.reading.raw}"})
    heading_name = name_after_heading(layout, sections, role, vocab.ignore("invoice"))
    if heading_name is not None:
        reading, span = heading_name
        return make_field(reading, span, 0.6 * (span.confidence or 1.0))
    if role == "vendor":
        customer_roles = {"customer", "neutral"}
        for reading, span in company_names(layout, vocab.rules("invoice", "legal_forms").get("suffixes", [])):
            word = span.words[0]
            if sections.role_at(span.page.number, word.x0, word.y0) not in customer_roles:
                return make_field(reading, span, 0.5 * (span.confidence or 1.0))
    return None


# -- amounts -----------------------------------------------------------------------------------
def _totals(fields: dict[str, ExtractedField], layout: Layout, found: dict[str, list[Candidate]],
            vocab: Vocabulary) -> None:
    sum_labels = tuple(l for name in ("net_amount", "vat_amount") for s in vocab.specs("invoice", name)
                       for l in s.sum_labels)
    nets, vats = found.get("net_amount", []), found.get("vat_amount", [])
    row_nets, row_vats = rate_rows(layout)
    chosen = choose(nets, vats, found.get("total_amount", []), sum_labels=sum_labels,
                    adjustments=found.get("adjustments", []),
                    per_rate=(per_rate_sums(layout, nets) + row_nets, per_rate_sums(layout, vats) + row_vats))
    for name, cand in (("net_amount", chosen.net), ("vat_amount", chosen.vat), ("total_amount", chosen.total)):
        if cand is not None:
            fields[name] = to_field(cand, label_count=10)
    net, vat, total = (fields.get(n) for n in ("net_amount", "vat_amount", "total_amount"))
    if total is not None and net is not None and vat is None and chosen.net is not None:
        difference = Decimal(total.value) - Decimal(net.value)
        if Decimal(0) <= difference < Decimal(total.value):
            fields["vat_amount"] = ExtractedField(value=f"{difference:.2f}", raw="total − net",
                                                  confidence=0.4, page=total.page)
    elif total is not None and vat is not None and net is None:
        difference = Decimal(total.value) - Decimal(vat.value)
        fields["net_amount"] = ExtractedField(value=f"{difference:.2f}", raw="total − VAT", confidence=0.4,
                                              page=total.page)
    net, vat, total = (fields.get(n) for n in ("net_amount", "vat_amount", "total_amount"))
    if net is not None and vat is not None and total is not None:
        error = validate.amounts_add_up(Decimal(net.value) + chosen.adjustment, Decimal(vat.value),
                                        Decimal(total.value))
        if error:
            fields["total_amount"] = total.model_copy(update={"valid": False, "error": error})
        else:
            fields["total_amount"] = total.model_copy(update={"valid": True})


# -- currency and IBAN -------------------------------------------------------------------------
def _currency(fields: dict[str, ExtractedField], layout: Layout, found: dict[str, list[Candidate]]) -> None:
    labelled = found.get("currency", [])
    if labelled:
        best = min(labelled, key=lambda c: (c.rank, c.order))
        fields["currency"] = to_field(best, label_count=4)
        return
    total = fields.get("total_amount")
    counts: dict[str, int] = {}
    first_span: dict[str, Span] = {}
    for span in layout.spans():
        for code, raw, _ in currency_tokens(span.text):
            weight = 3 if total is not None and total.raw and total.raw in span.text else 1
            counts[code] = counts.get(code, 0) + weight
            first_span.setdefault(code, span)
    if counts:
        code = max(counts, key=lambda c: counts[c])
        fields["currency"] = make_field(Reading(code, code), first_span[code], 0.7)
        return
    vat = fields.get("vendor_vat")
    if vat is not None and isinstance(vat.value, str) and vat.value[:2] in _EURO_VAT_PREFIXES:
        fields["currency"] = ExtractedField(value="EUR", raw="", confidence=0.3)


def _iban(fields: dict[str, ExtractedField], layout: Layout, found: dict[str, list[Candidate]]) -> None:
    labelled = found.get("iban", [])
    best = _first_valid(sorted(labelled, key=lambda c: (c.rank, c.order)))
    if best is not None and best.reading.valid:
        fields["iban"] = to_field(best, label_count=4)
        return
    # An IBAN printed without a label, or broken over two lines: any that passes its checks.
    spans = layout.spans()
    for index, span in enumerate(spans):
        reading = read_iban(span.text)
        if reading is not None and reading.valid:
            fields["iban"] = make_field(reading, span, 0.6 * (span.confidence or 1.0))
            return
        joined = _continued(layout, span, reading)
        if joined is not None:
            # Its raw text is both lines': the box is the first line's, where it starts.
            fields["iban"] = make_field(joined, span, 0.6 * (span.confidence or 1.0))
            return
    if best is not None:
        fields["iban"] = to_field(best, label_count=4)


_IBAN_START = re.compile(r"(?<![A-Z0-9])[A-Z]{2}\s?\d{2}(?:\s?[A-Z0-9]){4}")


def _continued(layout: Layout, span: Span, reading: Reading | None) -> Reading | None:
    """An IBAN whose groups run on to the next line ("IBAN: IT60 X054 2811 1010" over "0000 0123
    456"): the line's IBAN start joined with the line printed right under it, kept only when
    the whole passes its check. Only a line where an IBAN starts and none is complete is tried."""
    if reading is not None and reading.valid:
        return None
    match = _IBAN_START.search(span.text.upper())
    if match is None:
        return None
    lines = layout.lines[span.page.number]
    first = value_words(span.words, span.text[match.start():])[0]
    height = max(w.y1 - w.y0 for w in span.words) or 1.0
    bottom = max(w.y1 for w in span.words)
    for line in lines:
        top = min(w.y0 for w in line)
        if not bottom - 0.3 * height < top <= bottom + 1.5 * height:
            continue
        # Under the label or under the IBAN's first groups, not a column further right.
        left = min(span.words[0].x0, first.x0) - 2 * height
        under = [w for w in line if left <= w.x0 <= span.words[-1].x1]
        if not under:
            continue
        text = span.text[match.start():] + " " + " ".join(w.text for w in under)
        joined = read_iban(text)
        if joined is not None and joined.valid:
            return joined
    return None


# -- dates -------------------------------------------------------------------------------------
def _first_date(fields: dict[str, ExtractedField], layout: Layout, month_first: bool, today: dt.date) -> None:
    for span in layout.spans()[:40]:
        found = find_dates(span.text, month_first=month_first, today=today)
        if found:
            value, raw, _ = found[0]
            fields["date"] = make_field(Reading(value, raw), span, 0.4 * (span.confidence or 1.0))
            return


def _check_dates(fields: dict[str, ExtractedField], today: dt.date, made: dt.date | None) -> None:
    issued = fields.get("date")
    if issued is not None and isinstance(issued.value, str):
        day = dt.date.fromisoformat(issued.value)
        # A scanned invoice was issued before it was scanned.
        error = validate.issue_date(day, today=today) or validate.not_after_made(day, made)
        fields["date"] = issued.model_copy(update={"valid": error is None, "error": error})
    due = fields.get("due_date")
    if issued is not None and due is not None and re.fullmatch(r"\d{4}-\d\d-\d\d", str(due.value)):
        error = validate.due_not_before_issue(dt.date.fromisoformat(issued.value), dt.date.fromisoformat(due.value))
        fields["due_date"] = due.model_copy(update={"valid": error is None, "error": error})


__all__ = ["extract", "read_text"]
