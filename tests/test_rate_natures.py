"""The net of an invoice whose VAT summary has rows without VAT (an exempt, non-taxable or
out-of-scope base printed with its nature: "N4", "Esente art. 10", "Non imponibile art. 8",
"Exempt", "steuerfrei") beside its taxed rates: every base counts towards the net, only the taxed
rows towards the VAT (issue 15), on generated layouts (tests/gen_rate_natures.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from gen_invoices_multi import words
from gen_rate_natures import summary_with_natures
from pipeline.config import config_dir
from pipeline.extract import invoice
from pipeline.extract.layout import Layout
from pipeline.extract.vocabulary import load_vocabulary

from test_extract_reading import page
from test_invoices_multi import _printed


def _amounts(layout):
    vocab = load_vocabulary(config_dir() / "fields.toml")
    fields = invoice.extract(Layout([page(layout.rows)]), vocab, language=layout.language, today=dt.date(2025, 6, 1))
    return {k: fields[k].value for k in ("net_amount", "vat_amount", "total_amount") if k in fields}, fields


@pytest.mark.parametrize("table", [False, True], ids=["lines", "table"])
@pytest.mark.parametrize("language", ("it", "en", "de"))
@pytest.mark.parametrize("seed", range(5))
def test_nature_rows_count_towards_the_net_and_not_the_vat(seed, language, table):
    layout = summary_with_natures(seed, language, table=table)
    got, fields = _amounts(layout)
    assert got == layout.expected, layout.rows
    assert fields["total_amount"].valid is True


def test_a_nature_outside_the_summary_block_is_not_added():
    """An exempt line elsewhere on the page (a note above the items) is no row of the summary."""
    layout = summary_with_natures(3, "it", table=False)
    rows = list(layout.rows)
    rows.insert(3, words("Nota: operazione esente art. 15 su richiesta") + [("2,00", 560)])
    got, _ = _amounts(type(layout)(layout.language, rows, layout.expected))
    assert got["net_amount"] == layout.expected["net_amount"]


def test_printed_summary_with_natures(tmp_path):
    for language in ("it", "de"):
        for table in (False, True):
            layout = summary_with_natures(7, language, table=table)
            fields = _printed(layout, tmp_path / f"nat-{language}-{table}.pdf")
            got = {k: fields[k].value for k in ("net_amount", "vat_amount", "total_amount") if k in fields}
            assert got == layout.expected, (language, table)
