"""Net, VAT and total of Italian fee invoices (parcelle) whose total is not net + VAT: stamp duty
added, withholding tax and discounts taken off, a pension-fund contribution printed beside them.
Generated amounts on word layouts; the arithmetic, not the layout, must decide."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from docgen import it_amount
from pipeline.config import config_dir
from pipeline.extract import invoice
from pipeline.extract.layout import Layout
from pipeline.extract.vocabulary import load_vocabulary

from test_extract_reading import page


def row(label: str, value: str) -> list[tuple[str, float]]:
    out, x = [], 40
    for word in label.split():
        out.append((word, x))
        x += 9 * len(word) + 9
    return out + [(value, 600)]


@pytest.mark.parametrize("seed", range(12))
def test_fee_invoice_net_is_the_taxable_base_and_the_total_checks_with_its_adjustments(seed):
    rng = random.Random(seed)
    fee = Decimal(rng.randint(200, 5000))
    cassa = (fee * Decimal("0.04")).quantize(Decimal("0.01"))
    base = fee + cassa
    vat = (base * Decimal("0.22")).quantize(Decimal("0.01"))
    stamp = Decimal("2.00") if rng.random() < 0.5 else Decimal("0")
    withholding = (fee * Decimal("0.20")).quantize(Decimal("0.01"))
    total = base + vat + stamp
    rows = [row("Fattura n. FPR 12/24", ""), row("Data 15/03/2024", "")]
    lines = [row("Contributo cassa 4%", it_amount(cassa)),
             row("Ritenuta d'acconto 20%", "-" + it_amount(withholding)),
             row("Totale imponibile", it_amount(base)),
             row("Totale IVA", it_amount(vat))]
    if stamp:
        lines.append(row("Importo bollo", it_amount(stamp)))
    rng.shuffle(lines)
    rows += lines + [row("Totale documento", it_amount(total)),
                     row("Netto a pagare", it_amount(total - withholding))]
    vocab = load_vocabulary(config_dir() / "fields.toml")
    fields = invoice.extract(Layout([page(rows)]), vocab, language="it", today=dt.date(2025, 1, 1))
    assert fields["net_amount"].value == f"{base:.2f}"
    assert fields["vat_amount"].value == f"{vat:.2f}"
    assert fields["total_amount"].value == f"{total:.2f}"
    assert fields["total_amount"].valid is True  # adds up once the stamp duty is counted


def test_totals_that_add_up_with_nothing_printed_are_sent_to_review():
    rows = [row("Fattura n. A-77", ""), row("Totale imponibile", "1.000,00"), row("Totale IVA", "220,00"),
            row("Totale documento", "9.220,00")]
    vocab = load_vocabulary(config_dir() / "fields.toml")
    fields = invoice.extract(Layout([page(rows)]), vocab, language="it", today=dt.date(2025, 1, 1))
    assert fields["total_amount"].valid is False and "not the total" in fields["total_amount"].error
