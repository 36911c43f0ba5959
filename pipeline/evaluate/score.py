"""Comparing predictions with labels, field by field, the way the corpus README proposes.

Exact after normalisation for dates, amounts, codes and identifiers; for names, addresses,
parties, governing law and renewal terms an exact comparison after case-folding, collapsing
spaces and stripping punctuation, plus a fuzzy one (token-set similarity ≥ 0.9). ``parties`` is
a set: each labelled party is matched by at most one predicted party.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from typing import Any

from ..textnorm import collapse, fold

FUZZY_THRESHOLD = 0.9

DATE_FIELDS = {"date", "due_date", "agreement_date", "effective_date", "expiration_date"}
AMOUNT_SUFFIX = "_amount"
ID_FIELDS = {"vendor_vat", "customer_vat", "vendor_cf", "customer_cf", "iban"}
TEXT_FIELDS = {"vendor_name", "customer_name", "merchant_name", "address", "governing_law", "renewal_term",
               "payment_method"}
SET_FIELDS = {"parties"}


def kind_of(name: str) -> str:
    if name in DATE_FIELDS:
        return "date"
    if name.endswith(AMOUNT_SUFFIX):
        return "amount"
    if name in ID_FIELDS:
        return "id"
    if name in SET_FIELDS:
        return "set"
    if name in TEXT_FIELDS:
        return "text"
    return "code"  # invoice number, currency, anything else: spaces out, upper case


def normalise(name: str, value: Any) -> str | None:
    """The comparable form of a value; None when it cannot be read as that kind."""
    if value is None:
        return None
    kind = kind_of(name)
    text = str(value).strip()
    if kind == "date":
        try:
            return dt.date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            return None
    if kind == "amount":
        try:
            return str(Decimal(text.replace(",", "")).quantize(Decimal("0.01")))
        except InvalidOperation:
            return None
    if kind == "id":
        return re.sub(r"[\s.\-/]", "", text).upper()
    if kind == "text":
        return text_key(text)
    return re.sub(r"\s+", "", text).upper()


def text_key(text: str) -> str:
    """Case-folded, accents and punctuation removed, spaces collapsed."""
    return collapse(re.sub(r"[^\w\s]|_", " ", fold(text)))


def token_set_similarity(a: str, b: str) -> float:
    """Similarity of two texts as sets of words (0..1): 1.0 when one's words all appear in the
    other's, so a brand ("Lidl") matches the legal name printed on the slip."""
    ta, tb = set(text_key(a).split()), set(text_key(b).split())
    if not ta or not tb:
        return 0.0
    common = " ".join(sorted(ta & tb))
    only_a = " ".join(sorted(ta - tb))
    only_b = " ".join(sorted(tb - ta))
    with_a = f"{common} {only_a}".strip()
    with_b = f"{common} {only_b}".strip()

    def ratio(x: str, y: str) -> float:
        if not x or not y:
            return 0.0
        return SequenceMatcher(None, x, y, autojunk=False).ratio()

    return max(ratio(common, with_a), ratio(common, with_b), ratio(with_a, with_b))


@dataclass
class Counts:
    """True positives, false positives and false negatives of one field (exact and fuzzy)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    fuzzy_tp: int = 0
    fuzzy_fp: int = 0
    fuzzy_fn: int = 0
    support: int = 0  # labelled values (documents, or parties for sets)

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def metrics(self, fuzzy: bool = False) -> dict[str, float]:
        tp, fp, fn = (self.fuzzy_tp, self.fuzzy_fp, self.fuzzy_fn) if fuzzy else (self.tp, self.fp, self.fn)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def compare(name: str, expected: Any, predicted: Any) -> Counts:
    """Counts for one labelled field of one document."""
    if kind_of(name) == "set":
        return _compare_sets(name, _as_list(expected), _as_list(predicted))
    c = Counts(support=1)
    want = normalise(name, expected)
    got = normalise(name, predicted)
    if got is None:
        c.fn = c.fuzzy_fn = 1
        return c
    exact = want is not None and want == got
    fuzzy = exact or (kind_of(name) == "text" and token_set_similarity(str(expected), str(predicted)) >= FUZZY_THRESHOLD)
    c.tp, c.fp, c.fn = (1, 0, 0) if exact else (0, 1, 1)
    c.fuzzy_tp, c.fuzzy_fp, c.fuzzy_fn = (1, 0, 0) if fuzzy else (0, 1, 1)
    return c


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if str(v).strip()]
    return [str(value)] if str(value).strip() else []


def _compare_sets(name: str, expected: list[str], predicted: list[str]) -> Counts:
    c = Counts(support=len(expected))
    c.tp = _match_count(expected, predicted, lambda a, b: text_key(a) == text_key(b))
    c.fuzzy_tp = _match_count(expected, predicted, lambda a, b: token_set_similarity(a, b) >= FUZZY_THRESHOLD)
    c.fp, c.fn = len(predicted) - c.tp, len(expected) - c.tp
    c.fuzzy_fp, c.fuzzy_fn = len(predicted) - c.fuzzy_tp, len(expected) - c.fuzzy_tp
    return c


def _match_count(expected: list[str], predicted: list[str], same) -> int:
    """Greedy one-to-one matching: each labelled item matched by at most one predicted item."""
    free = list(predicted)
    hits = 0
    for want in expected:
        for i, got in enumerate(free):
            if same(want, got):
                hits += 1
                del free[i]
                break
    return hits
