"""Which figure on a till slip is its total: the rules that read a photographed receipt, on
positioned words laid out as the kinds of slip users photograph (German, Italian, Malaysian)."""

from __future__ import annotations

import datetime as dt

from pipeline.config import config_dir
from pipeline.extract import receipt
from pipeline.extract.layout import Layout
from pipeline.extract.vocabulary import load_vocabulary

from test_extract_reading import page

TODAY = dt.date(2025, 1, 15)


def total_of(rows) -> str | None:
    vocab = load_vocabulary(config_dir() / "fields.toml")
    fields = receipt.extract(Layout([page(rows)]), vocab, language="en", today=TODAY)
    field = fields.get("total_amount")
    return field.value if field is not None else None


def test_a_tax_table_row_under_a_total_label_does_not_beat_the_amount_to_pay():
    # The VAT table repeats its tax figure; its "Summe" row prints two figures in a row.
    assert total_of([
        [("Emmentaler", 40), ("5,18", 500)],
        [("Bulgur", 40), ("1,98", 500)],
        [("zu", 40), ("zahlen", 80), ("7,16", 500)],
        [("MWST", 40), ("Netto", 320)],
        [("A", 40), ("7%", 80), ("0,47", 200), ("6,69", 320)],
        [("Summe", 40), ("0,47", 200), ("6,69", 320)],
    ]) == "7.16"


def test_a_total_label_over_another_figure_loses_to_the_amount_payable():
    assert total_of([
        [("WHITE", 40), ("BREAD", 120), ("26.61", 500)],
        [("Total", 40), ("zero-rated", 110), ("supplies:", 230), ("26.61", 500)],
        [("Total", 40), ("standard-rated", 110), ("supplies:", 270), ("8.40", 500)],
        [("Total", 40), ("Payable:", 110), ("35.01", 500)],
    ]) == "35.01"


def test_the_cash_line_paired_with_the_change_gives_the_total_when_the_total_line_is_unreadable():
    # The payment summary further down repeats the cash without a change line.
    assert total_of([
        [("POMODORI", 40), ("1,79", 500)],
        [("TOTALE", 40), ("ARTICOLI:", 140), ("10", 500)],
        [("TOTALE", 40), ("COMPLESSIVO", 140), ("EURO", 300), ("1,0}", 500)],
        [("Pagamento", 40), ("contante", 170), ("50,00", 500)],
        [("RESTO", 40), ("37,97", 500)],
        [("DETTAGLIO", 40), ("PAGAMENTI:", 180)],
        [("CONTANTI", 40), ("50,00", 500)],
    ]) == "12.03"


def test_a_service_charge_is_not_the_change_and_a_cash_figure_read_as_thousands_is_not_trusted():
    assert total_of([
        [("NASI", 40), ("LEMAK", 110), ("9.80", 500)],
        [("Serv", 40), ("Charge", 100), ("10%", 200), ("0.98", 500)],
        [("TOTAL", 40), ("10.78", 500)],
    ]) == "10.78"
    # "106.006" is a misread 100.00: cash minus change would make a total of 105,934.64.
    assert total_of([
        [("SALTED", 40), ("RICE", 120), ("8.50", 500)],
        [("CASH", 40), ("106.006", 500)],
        [("CHANGE", 40), ("71.36", 500)],
    ]) is None


def test_a_one_decimal_total_is_a_lost_digit_not_a_lost_decimal_point():
    # "11.6" (a trailing zero lost) still outranks the tax summary's net figure printed twice.
    assert total_of([
        [("COFFEE", 40), ("2.30", 500)],
        [("TEA", 40), ("2.40", 500)],
        [("Total", 40), ("GST", 110), ("0.66", 500)],
        [("TOTAL", 40), ("11.6", 500)],
        [("SR", 40), ("6", 100), ("10.94", 300), ("0.66", 500)],
        [("Total", 40), (":", 100), ("10.94", 300), ("0.66", 500)],
    ]) == "11.60"


def test_a_total_no_other_figure_can_account_for_is_sent_to_review():
    vocab = load_vocabulary(config_dir() / "fields.toml")
    rows = [[("CAFFE", 40), ("1,20", 500)], [("CORNETTO", 40), ("1,30", 500)],
            [("TOTALE", 40), ("EURO", 140), ("2500", 500)]]  # "25,00"? "2,50" with its point lost
    fields = receipt.extract(Layout([page(rows)]), vocab, language="it", today=TODAY)
    total = fields["total_amount"]
    assert total.valid is False and "other figures" in total.error and total.confidence <= 0.5
    rows[-1][-1] = ("2,50", 500)
    fields = receipt.extract(Layout([page(rows)]), vocab, language="it", today=TODAY)
    assert fields["total_amount"].value == "2.50" and fields["total_amount"].valid is not False


def _address_of(rows):
    vocab = load_vocabulary(config_dir() / "fields.toml")
    fields = receipt.extract(Layout([page(rows)]), vocab, language="en", today=TODAY)
    return fields["address"].value if "address" in fields else None


def test_address_leaves_out_the_registration_number_and_steps_over_a_registration_line():
    name = [("KEDAI", 40), ("MAJU", 120), ("JAYA", 200), ("SDN", 280), ("BHD", 330)]
    street = [("12,", 40), ("JALAN", 80), ("MERANTI", 150), ("3,", 240), ("TAMAN", 270), ("SERI,", 340)]
    town = [("81200", 40), ("JOHOR", 110), ("BAHRU", 180)]
    phone = [("TEL:", 40), ("07-1234567", 100)]
    assert _address_of([name, [("(JM0517726)", 40)] + street, town, phone]) == \
        "12, JALAN MERANTI 3, TAMAN SERI, 81200 JOHOR BAHRU"
    assert _address_of([name, [("{1935623-T)}", 40)], street, town, phone]) == \
        "12, JALAN MERANTI 3, TAMAN SERI, 81200 JOHOR BAHRU"
    assert _address_of([name, [("CO.", 40), ("REG", 70), ("NO:", 110), ("123456-X", 150)], street, town, phone]) == \
        "12, JALAN MERANTI 3, TAMAN SERI, 81200 JOHOR BAHRU"
    assert _address_of([name, phone, street]) is None  # a phone line ends the header


def test_a_street_line_under_a_graphical_logo_is_not_the_merchant():
    vocab = load_vocabulary(config_dir() / "fields.toml")
    for street in (["Pohlweg", "110"], ["Warburger", "StraBe", "130"], ["Senefelder", "Strafe", "2"],
                   ["Am", "Marktplatz", "7a"]):
        rows = [[(w, 40 + 90 * i) for i, w in enumerate(street)], [("12345", 40), ("Paderborn", 110)],
                [("Frischemarkt", 40), ("GmbH", 160)], [("Milch", 40), ("1,09", 500)], [("Summe", 40), ("1,09", 500)]]
        fields = receipt.extract(Layout([page(rows)]), vocab, language="de", today=TODAY)
        assert fields["merchant_name"].value == "Frischemarkt GmbH", street


def test_a_zero_rounding_line_leaves_the_total_as_printed():
    # Tills print "Rounding Adj 0.00" when nothing is rounded: the total keeps its own reading
    # (its raw figure and confidence), not a sum of itself and nothing.
    vocab = load_vocabulary(config_dir() / "fields.toml")
    rows = [[("TEH", 40), ("TARIK", 100), ("2.30", 500)], [("NASI", 40), ("LEMAK", 100), ("10.00", 500)],
            [("TOTAL", 40), ("12.30", 500)]]
    plain = receipt.extract(Layout([page(rows)]), vocab, language="en", today=TODAY)["total_amount"]
    # A plain "TOTAL" read cleanly is not sent to review for its label being generic.
    assert plain.confidence >= 0.5
    for zero in ("0.00", "-0.00"):
        total = receipt.extract(Layout([page(rows + [[("ROUNDING", 40), ("ADJ", 150), (zero, 500)]])]), vocab,
                                language="en", today=TODAY)["total_amount"]
        assert (total.value, total.raw, total.confidence) == ("12.30", "12.30", plain.confidence), total
