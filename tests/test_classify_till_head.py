"""Issue 15, receipts read as "other": a till slip photographed under uneven light (the shadow look
of ``gen_faded``) keeps, through OCR, only the shop's block at its head (name, legal name, tax
number label, address); its body comes out as letter noise or not at all, with no till word and
no price. Read by real Tesseract, 3 of 21 such generated slips were filed a sure "other" and lost
every field. The head's layout is the evidence left (``classify_shape.till_head``), while forms,
letters and brochures, even under a narrow letterhead printing a VAT number, stay "other"."""

from __future__ import annotations

import random

import pytest

import gen_receipts
from gen_other import BUILDERS, other_document
from pipeline.classify import classify_text
from pipeline.classify_shape import shapes
from pipeline.config import load_settings

# The kinds of gen_receipts whose slips print a tax number under the shop's name.
TAXED = ("it", "de", "en")


@pytest.fixture(scope="module")
def shipped():
    return load_settings()


def _noise(rng: random.Random, lines: int) -> list[str]:
    """What OCR makes of a print it cannot part from the shadow: short runs of letters, a stray
    capital or digit, lines about as wide as the roll."""
    out = []
    for _ in range(lines):
        words = ["".join(rng.choice("aeinorstuESIRAN") for _ in range(rng.randint(1, 5)))
                 for _ in range(rng.randint(2, 8))]
        out.append(" ".join(words))
    return out


def _half_read(seed: int, kind: str) -> str:
    rng = random.Random(seed)
    rows = gen_receipts.slip(seed, kind).rows
    head = [" ".join(word for word, _ in row) for row in rows[:5 + rng.randint(0, 1)]]
    return "\n".join(head + _noise(rng, rng.choice([0, 1, 2, 6, 20])))


@pytest.mark.parametrize("kind", TAXED)
def test_half_read_slips_are_receipts(kind, shipped):
    """Slips whose head alone was read are receipts, or at worst "other" below the confidence that
    files a class, so that they go to review (without ``till_head`` 21 of the 36 are a sure "other",
    up to 0.76; with it 33 are receipts). The learned model still leans to "other" on a few short
    Italian heads."""
    sure_other, doubtful = [], []
    for seed in range(12):
        text = _half_read(seed, kind)
        assert "till_head" in shapes(text), text
        got = classify_text(text, shipped)
        if got.doc_class != "receipt":
            sure = got.confidence >= shipped.classify.min_confidence
            (sure_other if sure else doubtful).append((seed, got.doc_class, got.confidence))
    assert not sure_other, sure_other
    assert len(doubtful) <= 3, doubtful


def _letterhead(rng: random.Random, language: str) -> list[str]:
    label = "P.IVA" if language == "it" else "VAT No"
    return ["Studio Bianchi S.r.l." if language == "it" else "Bianchi Partners Ltd",
            "Via Roma 12" if language == "it" else "14 High Street",
            "20121 Milano (MI)" if language == "it" else "York YO1 7HH",
            f"{label} {rng.randint(10**10, 10**11 - 1)}", "Tel. 02 1234567"]


@pytest.mark.parametrize("kind,language", sorted(BUILDERS))
def test_others_under_a_narrow_letterhead_stay_other(kind, language, shipped):
    """Forms, letters, brochures, bank and tax forms stay "other", as generated and with a
    letterhead printing the sender's tax number in narrow lines above them."""
    wrong = []
    for seed in range(6000, 6010):
        text = other_document(seed, kind, language).text
        headed = "\n".join(_letterhead(random.Random(seed), language)) + "\n" + text
        for variant, doc in (("plain", text), ("letterhead", headed)):
            got = classify_text(doc, shipped)
            if got.doc_class != "other":
                wrong.append((seed, variant, got.doc_class, got.confidence, sorted(shapes(doc))))
    assert not wrong, wrong
