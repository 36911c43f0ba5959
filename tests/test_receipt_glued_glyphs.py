"""A total whose first figure OCR read as a glyph glued to the rest ("§3.55" for 53.55, "B4.10"
for 84.10): generated slips of every kind (tests/gen_receipts.py) without payment lines, so that
nothing else on the slip states the total.

That reading's figure is no total: where another reading of the slip reads the figure, its value
is filed; read alone, the slip never files the shortened figure as sure.
"""

from __future__ import annotations

import datetime as dt

import pytest

from gen_receipts import KINDS, slip
from pipeline.config import config_dir
from pipeline.extract import receipt
from pipeline.extract.vocabulary import load_vocabulary
from test_extract_reading import readings

TODAY = dt.date(2025, 1, 15)
VOCAB = load_vocabulary(config_dir() / "fields.toml")
REVIEW_BELOW = 0.5  # config/archivio.toml [review] min_key_confidence
# A figure and the glyphs OCR reads for it on thermal print.
GLYPHS = {"5": "§S", "8": "B", "1": "lI", "2": "Z", "0": "O"}


def _glued(kind: str):
    """(printed total, rows as printed, rows with its first figure read as ``glyph``, glyph) for
    slips of ``kind``."""
    cases = []
    for seed in range(30):
        s = slip(seed, kind, payment="none")
        total = s.fields["total_amount"]
        for glyph in GLYPHS.get(total[0], ""):
            done = False
            rows = []
            for row in s.rows:
                new = []
                for text, x in row:
                    if not done and text.replace(",", ".") == total:
                        text, done = glyph + text[1:], True
                    new.append((text, x))
                rows.append(new)
            if done:
                cases.append((total, s.rows, rows, glyph))
    return cases


def _total(*rows_per_reading):
    return receipt.extract(readings(*rows_per_reading), VOCAB, language=None, today=TODAY).get("total_amount")


@pytest.mark.parametrize("kind", KINDS)
def test_a_total_glued_to_a_glyph_is_read_from_the_reading_that_read_its_figure(kind):
    cases = _glued(kind)
    assert len(cases) >= 5
    for total, printed, glued, _ in cases:
        assert _total(glued, printed).value == total, glued
        alone = _total(glued)
        assert alone is None or alone.value == total or alone.confidence < REVIEW_BELOW, glued


def test_every_glyph_is_drawn():
    drawn = {glyph for kind in KINDS for *_, glyph in _glued(kind)}
    assert "§" in drawn and len(drawn) >= 4
