"""The merchant of a slip under a graphical logo, where no line over the address prints the name
(tests/gen_merchant_heads.logo_slip): the slip names it in its foot, by its legal name, a
greeting ("Vielen Dank für Ihren Einkauf bei …", "Grazie per aver scelto …", "THANK YOU FOR
SHOPPING AT …"), or its own web or mail address; a logo misread as a short word ("LDL", "Wii")
is no name beside such evidence, and a slip that names no one gets no merchant. Rules of the
kind, on many generated slips of every layout, never on one real document."""

from __future__ import annotations

import pytest

from gen_merchant_heads import logo_slip
from gen_slips import KINDS
from pipeline.config import config_dir
from pipeline.extract.vocabulary import load_vocabulary
from test_receipt_merchant_heads import extracted, fields_of

SEEDS = range(12)
VOCAB = load_vocabulary(config_dir() / "fields.toml")
RULES = VOCAB.rules("receipt", "merchant")


def merchant_field(rows):
    return extracted(rows).get("merchant_name")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("evidence", ["thanks", "web", "email"])
@pytest.mark.parametrize("fragment", [None, "sure", "unsure"])
def test_a_logo_slip_is_named_by_its_greeting_or_its_own_web_or_mail_address(kind, evidence, fragment):
    # "Vielen Dank für Ihren Einkauf bei BACKSTUBE KORN", "info@bar-centrale.it": nothing was
    # filed, or a label under the address ("INV NO"), or the logo's misread ("LDL").
    for seed in SEEDS:
        rows, want = logo_slip(seed, kind, evidence=evidence, fragment=fragment)
        assert fields_of(rows) == want, [" ".join(w for w, _, _ in r) for r in rows]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("evidence", ["foot_legal", "foot_legal_seat"])
@pytest.mark.parametrize("fragment", [None, "sure", "unsure"])
def test_a_legal_name_in_the_foot_beats_a_logos_misread_and_leaves_its_seat(kind, evidence, fragment):
    # "LDL" over the address beat "… GmbH" in the foot; "Aldi GmbH & Co. KG, Schloß Holte" was
    # filed with the town of its seat.
    for seed in SEEDS:
        rows, want = logo_slip(seed, kind, evidence=evidence, fragment=fragment)
        assert fields_of(rows) == want, [" ".join(w for w, _, _ in r) for r in rows]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("evidence", ["none", "provider"])
@pytest.mark.parametrize("fragment", [None, "unsure"])
def test_a_slip_that_names_no_one_gets_no_merchant(kind, evidence, fragment):
    # A mail provider's or a service's address ("korn@gmx.de", "www.lotteriadegliscontrini.gov.it")
    # names no shop; nor does a logo read at a few tens of per cent ("Wii"), a title under the
    # address ("Rechnung") or a labelled number ("INV NO: CS0225…").
    for seed in SEEDS:
        rows, want = logo_slip(seed, kind, evidence=evidence, fragment=fragment)
        assert "merchant_name" not in want
        assert fields_of(rows) == want, [" ".join(w for w, _, _ in r) for r in rows]


@pytest.mark.parametrize("kind", KINDS)
def test_a_name_from_the_foot_is_filed_less_sure_than_a_printed_one(kind):
    # Under a graphical logo the name is inferred: review must see it as unsure (below the
    # review threshold, 0.5), yet not as nothing (a foot legal name came out at 0.0).
    for seed in SEEDS:
        for evidence in ("foot_legal_seat", "thanks", "web", "email"):
            found = merchant_field(logo_slip(seed, kind, evidence=evidence)[0])
            assert 0.2 <= found.confidence < 0.5, (evidence, found)


def test_a_short_brand_over_the_address_stays_when_the_foot_confirms_it():
    # "AL DI" read at 60 % over the address, "Aldi GmbH & Co. KG, Schloß Holte" in the foot: the
    # brand, as the label convention files it; "LDL" over the same foot is a logo's misread.
    for seed in SEEDS:
        rows, want = logo_slip(seed, "de", evidence="foot_legal_seat")
        brand = want["merchant_name"].split()[0]
        short = "ALDI" if len(brand) > 5 else brand
        rows = [[(w, x, c) for w, x, c in row] for row in rows]
        for row in rows:
            if row and row[0][0] == brand:
                row[0] = (short.title(), row[0][1], row[0][2])
        assert fields_of([[(short, 40.0, 60.0)]] + rows)["merchant_name"] == short
        assert fields_of([[("LDL", 40.0, 60.0)]] + rows)["merchant_name"] != "LDL"


@pytest.mark.parametrize("text, name", [
    ("Vielen Dank für Ihren Einkauf bei real,- Paderborn", "real"),
    ("Vielen Dank fiir Ihren Einkauf bei HORNBACH!", "HORNBACH"),
    ("Grazie per aver scelto Conad City", "Conad City"),
    ("THANK YOU FOR SHOPPING AT MR. D.I.Y.", "MR. D.I.Y."),
    ("THANK YOU FOR SHOPPING AT THE BODY SHOP", "THE BODY SHOP"),
    ("Herzlich willkommen bei Backstube Korn", "Backstube Korn"),
    ("Thank you for shopping with us!", None),
    ("Thank you for shopping at the store near you", None),
    ("GRAZIE E ARRIVEDERCI", None),
    ("Vielen Dank für Ihren Einkauf!", None),
    ("Grazie per aver scelto i nostri prodotti", None),
    ("Besuchen Sie uns bei Facebook", None),  # no greeting
])
def test_the_name_a_greeting_gives(text, name):
    from pipeline.extract.receipt_merchant import named_in_greeting
    assert named_in_greeting(text, RULES["greetings"], RULES["greeting_name_after"],
                             RULES["greeting_not_names"]) == name


@pytest.mark.parametrize("text, brand", [
    ("www.roller.de", "ROLLER"),
    ("Besuchen Sie uns auch online unter ww.roller.de", "ROLLER"),
    ("info@rossi-ferramenta.it", "ROSSI FERRAMENTA"),
    ("https://www.majumart.com.my", "MAJUMART"),
    ("kontakt@shop.backstube-korn.de", "BACKSTUBE KORN"),
    ("ferramenta.rossi@libero.it", None),
    ("MAJUJAYA@GMAIL.COM", None),
    ("www.lotteriadegliscontrini.gov.it", None),
    ("Services www.ingenico.de/datenschutz", None),
    # As OCR reads till print: a blank after "www." or around a dot, a dot doubled; a provider
    # misread by a letter; a misread word after a dot is no top-level domain.
    ("www. aeon.com.my", "AEON"),
    ("www. frischemarkt .de", "FRISCHEMARKT"),
    ("www .99-speed-mart.com.my", "99 SPEED MART"),
    ("www, 99-speed-mart .com. my", "99 SPEED MART"),
    ("Kontakt@99-speed-mart.. com.my", "99 SPEED MART"),
    ("panificiorossi@gmaii.com si", None),
    ("| S@rvizio.eliant i@hav_nanculy aL", None),
])
def test_the_brand_a_web_or_mail_address_names(text, brand):
    from pipeline.extract.receipt_merchant import domain_brand
    found = domain_brand(text, [s.casefold() for s in RULES["not_merchant_domains"]])
    assert (found[0] if found else None) == brand


@pytest.mark.parametrize("kind, name", [
    ("it", "Coop Lombardia Soc. Coop."), ("it", "Conad Centro Nord Soc. Coop. a r.l."),
    ("it", "Nova Coop Società Cooperativa"), ("it", "Unicoop Tirreno S.c.a r.l."),
    ("de", "Merck KGaA"), ("de", "Kiosk Sonne UG (haftungsbeschränkt)"),
])
def test_a_cooperative_or_a_less_common_form_in_the_foot_names_the_shop(kind, name):
    # Italy's supermarket chains are cooperatives: "Soc. Coop." was no legal form, so the foot
    # line under a graphical logo named nothing.
    from gen_merchant_heads import logo_lines
    from gen_slips import rows as text_rows
    for seed in range(4):
        lines, want = logo_lines(seed, kind, evidence="foot_legal")
        lines = [name if line == want["merchant_name"] else line for line in lines]
        rows = [[(w, x, 91.0) for w, x in row] for row in text_rows(lines)]
        assert fields_of(rows) == {**want, "merchant_name": name}, lines


def test_a_greeting_that_sends_the_customer_to_a_service_names_no_shop():
    from gen_merchant_heads import logo_lines
    from gen_slips import rows as text_rows
    for kind in KINDS:
        for seed in range(4):
            lines, want = logo_lines(seed, kind, evidence="none")
            lines.insert(-1, "Danke! Besuchen Sie uns bei Facebook")
            assert "merchant_name" not in fields_of([[(w, x, 91.0) for w, x in row] for row in text_rows(lines)])


@pytest.mark.parametrize("name", ["B & BEST RESTAURANT", "A & W RESTAURANT", "M & S FOOD SDN BHD"])
def test_an_initial_and_an_ampersand_that_start_the_name_stay(name):
    # A guard (it held before): the junk a logo's edge leaves before a name is cut ("> & BEST"
    # loses its lost initial's "&"), a printed initial is not.
    rows, want = logo_slip(0, "my", evidence="none")
    rows.insert(0, [(w, 40.0 + 40 * i, 91.0) for i, w in enumerate(name.split())])
    assert fields_of(rows)["merchant_name"] == name
