"""The field vocabulary loader: an office's own fields.toml is checked, not silently half-read."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from pipeline.config import config_dir
from pipeline.errors import ConfigError
from pipeline.extract.vocabulary import RULE_TABLES, load_vocabulary

ROOT = Path(__file__).resolve().parent.parent


def test_the_shipped_vocabulary_has_no_table_that_nothing_reads(caplog):
    load_vocabulary.cache_clear()
    with caplog.at_level(logging.WARNING, logger="pipeline.extract.vocabulary"):
        vocab = load_vocabulary(config_dir() / "fields.toml")
    assert not caplog.records
    assert {c: frozenset(t) for c, t in vocab.extra.items()} == RULE_TABLES


def test_a_rule_table_no_extractor_reads_is_named_in_a_warning(tmp_path, caplog):
    own = tmp_path / "fields.toml"
    own.write_text((config_dir() / "fields.toml").read_text()
                   + '\n[contract.renewal_term]\nexpressions = ["successive"]\n')
    with caplog.at_level(logging.WARNING, logger="pipeline.extract.vocabulary"):
        load_vocabulary(own)
    [warning] = caplog.records
    assert "[contract.renewal_term]" in warning.getMessage() and str(own) in warning.getMessage()


def test_every_rule_table_the_code_asks_for_is_registered():
    asked = set()
    for source in (ROOT / "pipeline").rglob("*.py"):
        asked |= set(re.findall(r'\.rules\("(\w+)",\s*"(\w+)"\)', source.read_text()))
    assert asked and all(name in RULE_TABLES[cls] for cls, name in asked), asked


def test_a_field_with_an_unknown_kind_is_refused(tmp_path):
    own = tmp_path / "fields.toml"
    own.write_text('[invoice.number]\nlabels = ["n."]\nkind = "colour"\n')
    with pytest.raises(ConfigError, match="kind must be one of"):
        load_vocabulary(own)
