"""log.format = "json": one object a line, with the document id on every line logged for it."""

from __future__ import annotations

import json
import logging

from support import make_settings

from pipeline.cli.main import setup_logging
from pipeline.logjson import document


def test_json_lines_carry_the_document_id(tmp_path, capsys):
    settings = make_settings(tmp_path, **{"log.format": "json", "log.file": str(tmp_path / "a.log")})
    setup_logging(settings, verbose=0, quiet=False)
    log = logging.getLogger("pipeline.test")
    try:
        with document("ab" * 32):
            log.warning("quarantined %s", "rotto.pdf")
        log.warning("not about a document")
    finally:
        logging.basicConfig(force=True, handlers=[logging.NullHandler()])
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [(l["document"], l["message"]) for l in lines] == [("ab" * 32, "quarantined rotto.pdf"),
                                                              (None, "not about a document")]
    in_file = [json.loads(line) for line in (tmp_path / "a.log").read_text().splitlines()]
    assert in_file[0]["document"] == "ab" * 32 and in_file[0]["level"] == "WARNING"


def test_text_format_stays_the_default(tmp_path):
    assert make_settings(tmp_path).log.format == "text"
