"""The merchant from a slip's header block when the name is printed over two lines or misread
(tests/gen_merchant_heads.py): a brand over the company that runs the shop names both, a
logo's misread over the legal name names nothing, a legal form OCR misread by a letter is put
right. Rules of the kind, on many generated slips of every layout, never on one real document."""

from __future__ import annotations

import datetime as dt

import pytest

from gen_merchant_heads import TRADER_KINDS, head_slip, trader_slip
from gen_slips import KINDS
from pipeline.config import config_dir
from pipeline.extract import receipt
from pipeline.extract.layout import Layout
from pipeline.extract.receipt_merchant import repair_legal_form, sentence_like, trading_pair
from pipeline.extract.vocabulary import load_vocabulary
from pipeline.records import Page, Word
from pipeline.textnorm import compact

TODAY = dt.date(2025, 6, 1)
VOCAB = load_vocabulary(config_dir() / "fields.toml")
KEYS = sorted({compact(s) for s in VOCAB.rules("receipt", "legal_forms")["suffixes"]}, key=len, reverse=True)
SEEDS = range(12)
COURIER = "/usr/share/fonts/opentype/urw-base35/NimbusMonoPS-Regular.otf"


def extracted(rows) -> dict:
    """The receipt fields of a slip given as rows of (word, x, confidence), as OCR would read it."""
    words = []
    for line, row in enumerate(rows):
        y = 100 + 40 * line
        words += [Word(text, x, y, x + 9 * len(text), y + 20, conf, line) for text, x, conf in row]
    return receipt.extract(Layout([Page(number=1, width=1200, height=1700, words=words, method="ocr")]), VOCAB,
                           language=None, today=TODAY)


def fields_of(rows) -> dict[str, str]:
    found = extracted(rows)
    return {name: found[name].value for name in ("merchant_name", "address") if name in found}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("between", [None, "speck"])
def test_a_brand_over_the_company_running_the_shop_names_both(kind, between):
    # "RESTORAN SERI MELATI / MELATI FOOD SERVICES SDN BHD", "Bar Centrale / @ / Centrale
    # Ristorazione S.r.l.": labellers take either line (Italian practice often both); one line
    # alone was filed, and which one depended on the legal line's length.
    for seed in SEEDS:
        rows, want = head_slip(seed, kind, brand="printed", between=between)
        assert fields_of(rows) == want, rows[:4]  # the address starts under the legal line, as before


@pytest.mark.parametrize("kind", KINDS)
def test_a_logo_read_as_letters_over_the_legal_name_is_not_a_brand(kind):
    # "| N on ee ee A" at 17–40 % over "AMANO MALAYSIA SDN BHD": not part of the name.
    for seed in SEEDS:
        rows, want = head_slip(seed, kind, brand="logo_misread")
        assert fields_of(rows) == want, rows[:4]


@pytest.mark.parametrize("kind", ["my", "de"])
@pytest.mark.parametrize("brand", [None, "printed"])
def test_a_legal_form_misread_by_a_letter_is_put_right(kind, brand):
    # "UNIHAKKA INTERNATIONAL SON BHD", "Frischemarkt Handels GmbN": the name filed as printed.
    for seed in SEEDS:
        rows, want = head_slip(seed, kind, brand=brand, form_read="misread")
        assert fields_of(rows) == want, rows[:4]


@pytest.mark.parametrize("greeting", ["SELAMAT DATANG", "MERCHANT COPY", "Herzlich Willkommen", "BENVENUTI"])
def test_a_greeting_or_a_copy_mark_over_the_legal_name_is_not_a_brand(greeting):
    for kind in KINDS:
        for seed in range(4):
            rows, want = head_slip(seed, kind, brand=None)
            rows.insert(0, [(w, 40.0 + 120 * i, 91.0) for i, w in enumerate(greeting.split())])
            assert fields_of(rows)["merchant_name"] == want["merchant_name"], rows[:3]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("brand", [None, "logo_misread"])
def test_a_legal_name_in_large_print_read_unsurely_is_still_the_name(kind, brand):
    # Big bold print reads right at a few tens of per cent; the line ends in its legal form, so
    # it names the shop: nothing was filed.
    for seed in SEEDS:
        rows, want = head_slip(seed, kind, brand=brand, name_read="unsure")
        assert fields_of(rows) == want, rows[:4]


@pytest.mark.parametrize("brand", [None, "printed"])
def test_a_letter_of_the_name_read_as_a_digit_is_put_back(brand):
    # "0JC MARKETING TRADING", "BE5TARI RUNCIT SDN BHD": with a brand joined over it, one such
    # misread took the name under the fuzzy score's bar.
    changed = 0
    for seed in SEEDS:
        rows, want = head_slip(seed, "my", brand=brand, name_read="digit")
        changed += any(ch.isdigit() for w, _, _ in rows[1 if brand else 0] for ch in w)
        assert fields_of(rows) == want, rows[:4]
    assert changed >= len(SEEDS) // 2  # the generator did misread most names


@pytest.mark.parametrize("text", ["3M", "U2 MARKET", "7-ELEVEN", "A4 PAPER", "KL8 CAFE", "N0.5", "Sh0p"])
def test_codes_and_figures_in_a_name_stay_as_printed(text):
    from pipeline.extract.receipt_merchant import letters_for_digits
    assert letters_for_digits(text) == text


@pytest.mark.parametrize("kind", TRADER_KINDS)
@pytest.mark.parametrize("branch", [False, True])
def test_a_sole_traders_name_over_its_address_under_a_slogan(kind, branch):
    # "Il gusto di una volta / Panificio di Mario Rossi / Via Roma 12": no legal form, no
    # registration number over the address: the name is the line the address stands under
    # (a branch line between passed over), not the slogan heading the slip.
    for seed in SEEDS:
        rows, want = trader_slip(seed, kind, branch=branch)
        assert fields_of(rows) == want, rows[:4]


@pytest.mark.parametrize("kind", TRADER_KINDS)
def test_a_branch_line_over_the_address_is_not_the_name(kind):
    # "Panificio di Mario Rossi / PUNTO VENDITA 042 / …": upper-case, it outscored the name.
    for seed in SEEDS:
        rows, want = trader_slip(seed, kind, slogan=False, branch=True)
        assert fields_of(rows) == want, rows[:4]


@pytest.mark.parametrize("name", ["SPORTS FACTORY OUTLET", "BRANCHETTI PELLETTERIE", "Blumen Filialweg"])
def test_a_name_holding_a_shop_word_or_a_branch_words_letters_is_still_a_name(name):
    rows, want = trader_slip(0, "my", slogan=False)
    rows[0] = [(w, 40.0 + 110 * i, 91.0) for i, w in enumerate(name.split())]
    assert fields_of(rows)["merchant_name"] == name, rows[:3]


@pytest.mark.parametrize("kind", TRADER_KINDS)
def test_a_slogan_over_the_legal_name_is_not_its_brand(kind):
    # "frisch aus dem Ofen / Korn Backwaren GmbH", "sedap dan murah setiap hari / MAJU JAYA SDN
    # BHD": a sentence is not a trading name, nor the start of the name under it.
    for seed in SEEDS:
        rows, want = trader_slip(seed, kind, legal=True)
        assert fields_of(rows) == want, rows[:4]


@pytest.mark.parametrize("text, slogan", [
    ("Il gusto di una volta", True), ("Fresh every day", True), ("frisch aus dem Ofen", True),
    ("tan woon yann", True), ("Bar del Corso", False), ("SERI MELATI JAPANESE RESTAURANT", False),
    ("FamilyMart", False), ("Owner by Castle Blue S/B", False),
])
def test_a_sentence_is_told_from_a_name_by_its_lower_case_words(text, slogan):
    assert sentence_like(text) is slogan


@pytest.mark.parametrize("text, repaired", [
    ("MAJU JAYA SON BHD", "MAJU JAYA SDN BHD"),
    ("WESTERN EASTERN STATIONERY SON. BHD", "WESTERN EASTERN STATIONERY SDN. BHD"),
    ("AMANO MALAYSIA SON BID", "AMANO MALAYSIA SDN BHD"),
    ("Korn Backwaren GmbN", "Korn Backwaren GmbH"),
    ("YONG TAT HARDWARE TRAD1NG", "YONG TAT HARDWARE TRADING"),
])
def test_a_misread_form_is_respelt_keeping_how_it_was_printed(text, repaired):
    assert repair_legal_form(text, KEYS) == repaired


@pytest.mark.parametrize("text", [
    "MAJU JAYA SDN BHD",            # already a form
    "KEDAI RUNCIT SRI",             # a word one letter from a short form ("SRL"): left alone
    "CAFFE ANG",                    # "AG" is as near to ordinary words
    "MAJU JAYA SOM BHO",            # three confusions: too far to be sure
    "PASARAYA BORONG",              # no form near
    "BHD",                          # a form alone is not a name to repair
])
def test_no_repair_where_no_form_is_near_enough(text):
    assert repair_legal_form(text, KEYS) == text


def test_the_brand_must_head_the_slip_and_stand_next_to_the_legal_line():
    texts = ["WELCOME", "BRAND", "@", "LEGAL SDN BHD", "NO 8, JALAN PERDANA", "43000 KAJANG"]
    legal = {3}

    def pair(index, names, brands=None, limit=4):
        return trading_pair(texts, index, limit=limit, is_legal=lambda i: i in legal,
                            is_name=lambda i: i in names,
                            is_brand=lambda i: i in (brands if brands is not None else names))
    assert pair(3, {1, 3}) == (1, 3)          # over one speck line
    assert pair(1, {1, 3}) == (1, 3)          # from the brand down
    assert pair(3, {0, 1, 3}) is None         # a name above the brand: it heads nothing
    assert pair(3, {1, 3}, brands={3}) is None  # the line above not read surely: no brand
    assert pair(3, {1, 3}, limit=3) is None   # the legal line under the address's start


# Brand over a legal line of four words and more (a shorter one was joined before as the name's
# continuation): photographed, one plain, one rough in a thin Courier as many tills print.
PHOTOGRAPHED = [("my", 8, {"head": "brand", "regno": "after"}, {"rough": True, "font": COURIER}),
                ("my", 4, {"head": "brand", "regno": "none", "form": "SDN BHD"}, {})]


@pytest.mark.ocr
@pytest.mark.slow
@pytest.mark.parametrize("kind, seed, traits, look", PHOTOGRAPHED)
def test_a_photographed_brand_over_its_company_reads_as_both(tmp_path, kind, seed, traits, look):
    from gen_slips import render, slip
    from pipeline.config import load_settings
    from pipeline.evaluate.score import text_key
    from pipeline.process import analyse_pages, read_pages

    s = slip(seed, kind, **traits)
    settings = load_settings()
    media_type, pages = read_pages(render(s, tmp_path / "slip.jpg", seed, **look), settings)
    got = analyse_pages(media_type, pages, settings, today=TODAY).fields.get("merchant_name")
    brand, legal = s.lines[0], s.fields["merchant_name"]
    assert legal.startswith(s.lines[1].split()[0])
    assert got is not None and set(text_key(f"{brand} {legal}").split()) <= set(text_key(got.value).split()), got
