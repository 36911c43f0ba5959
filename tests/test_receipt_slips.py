"""Till slips with the variety real tills print (tests/gen_slips.py: legal forms, branch lines,
registration and tax numbers, 2–4 address lines, six date forms, ten totals blocks, item
counts), read as text and, for a few, photographed and read by the real OCR. Rules of the kind,
never of one real slip."""

from __future__ import annotations

import datetime as dt

import pytest

from gen_slips import KINDS, render, rows, slip
from pipeline.config import config_dir
from pipeline.extract import receipt
from pipeline.extract.layout import Layout
from pipeline.extract.vocabulary import load_vocabulary
from test_extract_reading import page

TODAY = dt.date(2025, 6, 1)
VOCAB = load_vocabulary(config_dir() / "fields.toml")


def fields_of(lines: list[str]) -> dict:
    return receipt.extract(Layout([page(rows(lines))]), VOCAB, language=None, today=TODAY)


@pytest.mark.parametrize("kind", KINDS)
def test_every_drawn_slip_gives_its_total_date_and_address(kind):
    for seed in range(30):
        s = slip(seed, kind)
        got = fields_of(s.lines)
        for name in ("total_amount", "date", "address"):
            assert name in got and got[name].value == s.fields[name], (name, s.traits, s.lines)


@pytest.mark.parametrize("kind", KINDS)
def test_a_branch_line_under_the_legal_name_is_not_the_name(kind):
    # "CAFFE AURORA S.r.l. / FILIALE DI MONZA / P.IVA …": the line over the tax number is the
    # branch, the name is the legal-form line above it.
    for seed in range(12):
        s = slip(seed, kind, head="branch", regno="none", taxid="above_address")
        got = fields_of(s.lines)
        assert got["merchant_name"].value == s.fields["merchant_name"], s.lines


@pytest.mark.parametrize("point", ["lost", "digit", "dash"])
@pytest.mark.parametrize("block", ["nett", "round_total", "sub_gst_round"])
@pytest.mark.parametrize("payment", ["cash", "card"])
def test_a_rounded_total_whose_decimal_point_ocr_misread(point, block, payment):
    for seed in range(6):
        s = slip(seed, "my", block=block, point=point, payment=payment)
        got = fields_of(s.lines)
        assert got["total_amount"].value == s.fields["total_amount"], s.lines


def test_a_figure_that_the_total_above_and_the_rounding_do_not_account_for_stays_as_read():
    # Guard: "NETT TOTAL 1307" under "SUB TOTAL 130.75" and "ROUNDING ADJ 0.00" is not 130.75
    # (its digits are not the rounded figure's): the rule repairs a decimal point, not a figure.
    lines = ["MAJU JAYA SDN BHD", "NO 8, JALAN PERDANA,", "43000 KAJANG", "DATE: 12/03/2018",
             "ROTI 130.75", "SUB TOTAL 130.75", "ROUNDING ADJ 0.00", "NETT TOTAL 1307", "THANK YOU"]
    got = fields_of(lines)
    assert got["total_amount"].value != "130.75"


def test_the_company_number_printed_after_the_name_with_its_label_is_not_part_of_it():
    # "OJC MARKETING SDN BHD CO. NO: 289639-P", "… ROC NO: 123456-X", "… (123456-X)".
    for seed in range(20):
        s = slip(seed, "my", regno="after", head="none")
        assert fields_of(s.lines)["merchant_name"].value == s.fields["merchant_name"], s.lines


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("space", ["before", "after"])
def test_a_year_first_date_with_a_space_ocr_put_beside_a_separator(kind, space):
    # "2017 -06-26" / "2017- 06-26": the ISO form as OCR read it off thermal print.
    for seed in range(8):
        s = slip(seed, kind, date="yyyy-mm-dd")
        printed = s.fields["date"]
        misread = printed.replace("-", " -" if space == "before" else "- ", 1)
        lines = [line.replace(printed, misread) for line in s.lines]
        assert lines != s.lines
        got = fields_of(lines)["date"]
        assert (got.value, got.raw) == (printed, misread), lines


# -- photographed and read by the real OCR -------------------------------------------------------
PHOTOGRAPHED = [
    # (kind, seed, traits): one slip of each rule's kind above, and plain ones of each country.
    ("my", 1, {"block": "round_total", "point": "lost", "payment": "card"}),
    ("my", 2, {"regno": "after", "head": "none", "block": "nett", "point": "dash"}),
    ("it", 3, {"head": "branch", "regno": "none", "taxid": "above_address"}),
    ("de", 4, {"date": "yyyy-mm-dd"}),
    ("my", 5, {}),
    # A thin Courier on a rough photo: specks after the company number, a branch line under it.
    ("my", 26, {"head": "branch", "regno": "after"}),
]
COURIER = "/usr/share/fonts/opentype/urw-base35/NimbusMonoPS-Regular.otf"


@pytest.mark.ocr
@pytest.mark.slow
def test_photographed_slips_read_through_the_pipeline(tmp_path):
    from pipeline.config import load_settings
    from pipeline.evaluate.score import compare
    from pipeline.process import analyse_pages, read_pages

    settings = load_settings()
    for kind, seed, traits in PHOTOGRAPHED:
        s = slip(seed, kind, **traits)
        look = {"rough": True, "font": COURIER} if seed == 26 else {"rough": seed % 2 == 1}
        photo = render(s, tmp_path / f"{kind}-{seed}.jpg", seed, **look)
        media_type, pages = read_pages(photo, settings)
        analysis = analyse_pages(media_type, pages, settings, today=TODAY)
        assert analysis.classification.doc_class == "receipt", (kind, seed, analysis.text)
        for name in ("total_amount", "date", "merchant_name"):
            got = analysis.fields.get(name)
            # The merchant as the corpus scores it (fuzzy); figures and dates exactly.
            assert compare(name, s.fields[name], got.value if got else None).fuzzy_tp == 1, \
                (name, s.fields[name], got, analysis.text)


@pytest.mark.parametrize("speck", ["È:", "i", "Zi", "| =", "4"])
def test_specks_after_the_company_number_leave_the_name_a_name(speck):
    # A photo's edge read after the name's line: "SANYU SHOP SDN BHD (464868-W) È:"; with a branch
    # line under it ("(JOHOR BAHRU BRANCH)") the branch was taken for the name, or nothing was.
    for seed in range(10):
        for head in ("none", "branch"):
            s = slip(seed, "my", regno="after", head=head)
            lines = [f"{line} {speck}" if line.startswith(s.fields["merchant_name"]) else line for line in s.lines]
            assert fields_of(lines)["merchant_name"].value == s.fields["merchant_name"], lines
