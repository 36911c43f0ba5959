"""Generated slip headers where the merchant's name is hard to take whole: a brand printed over
the company that runs the shop, with or without a speck or a logo's misread between, and a legal
form OCR misread by a letter ("SON BHD"). Built on ``gen_slips`` (the variety of real tills), as
positioned words with each word's reading confidence, so that a rule is tested on many slips of
the kind rather than on one real document.

``head_slip(seed, kind, ...)`` returns the rows (``[(text, x, conf)]`` per line) and the fields
the slip should give (the merchant as the rules should file it, the address as printed):
- ``between``: what stands between the brand and the legal line: None, "speck" (a line of one
  or two marks a logo's edge leaves, "@", "2").
- ``brand``: "printed" (a brand line read surely over the legal name), "logo_misread" (the
  logo read as letters at a few tens of per cent, "| N on ee ee A": no brand), or None.
- ``form_read``: how OCR read the legal form: "plain" or "misread" (a letter confused the way
  small till print is: "SON BHD", "SDN BND", "GMBN", "TRAD1NG").
- ``name_read``: "sure", "unsure" (the legal line, printed large or bold, read right at 28–44 %
  confidence, as Tesseract reads big print) or "digit" (a letter of an upper-case word of the
  name read as the digit it resembles: "0JC MARKETING", "BE5TARI RUNCIT").
"""

from __future__ import annotations

import random

from gen_slips import _KINDS, rows as text_rows, slip

# A form, and how OCR misreads it on small print (one confusion each).
MISREADS = {
    "SDN BHD": ["SON BHD", "SDN BND", "5DN BHD", "SDN 8HD"],
    "SDN. BHD.": ["SON. BHD.", "SDN. BND."],
    "SDN.BHD": ["SON.BHD", "SDN.8HD"],
    "ENTERPRISE": ["ENTERPRlSE", "ENTERPR1SE"],
    "TRADING": ["TRAD1NG", "TRADlNG"],
    "GmbH": ["GmbN", "GmhH"],
    "GMBH": ["GMBN", "6MBH"],
    "GmbH & Co. KG": ["GmbN & Co. KG"],
}  # the short forms ("AG", "SRL") are left alone by the rule: ordinary words are as near to them
# A graphical logo as OCR reads it: letters at a few tens of per cent.
LOGO_MISREADS = ["| N on ee ee A", "ia as", "Ll ee D"]
SPECKS = ["@", "2", "è", "* ."]

Row = list[tuple[str, float, float]]


def _row(text: str, conf: float = 91.0, x: float = 40) -> Row:
    out: Row = []
    for word in text.split():
        out.append((word, x, conf))
        x += 9 * len(word) + 12
    return out


def head_slip(seed: int, kind: str, *, brand: str | None = "printed", between: str | None = None,
              form_read: str = "plain", name_read: str = "sure") -> tuple[list[Row], dict[str, str]]:
    """A slip whose header is [brand] [between] legal name, then the rest of a ``gen_slips``
    slip of the same seed; and its merchant and address."""
    rng = random.Random(seed * 7 + len(kind))
    k = _KINDS[kind]
    forms = [f for f in k["forms"] if f in MISREADS] if form_read == "misread" else k["forms"]
    base = slip(seed, kind, head="none", regno="none", form=rng.choice(forms))
    legal = base.fields["merchant_name"]
    lines = list(base.lines)
    assert lines[0] == legal
    rows: list[Row] = []
    name = legal
    if brand == "printed":
        head = rng.choice(k["heads"])
        rows.append(_row(head))
        name = f"{head} {legal}"
    elif brand == "logo_misread":
        # Each word read at a few tens of per cent, as OCR reads a graphical logo's strokes.
        rows.append([(w, x, rng.choice([17.0, 24.0, 29.0, 40.0])) for w, x, _ in _row(rng.choice(LOGO_MISREADS))])
    if between == "speck":
        rows.append(_row(rng.choice(SPECKS), conf=60.0))
    printed = legal
    if form_read == "misread":
        form = base.traits["form"]
        printed = legal[: -len(form)] + rng.choice(MISREADS[form])
    if name_read == "digit":
        printed = _letter_as_digit(printed, len(base.traits["form"].split()))
    rows.append(_row(printed, conf=rng.choice([28.0, 35.0, 44.0]) if name_read == "unsure" else 91.0))
    rows += [[(w, x, 91.0) for w, x in row] for row in text_rows(lines[1:])]
    return rows, {"merchant_name": name, "address": base.fields["address"]}


_AS_DIGIT = {"O": "0", "S": "5", "B": "8", "I": "1"}


def _letter_as_digit(name: str, form_words: int) -> str:
    """The first O, S, B or I inside an upper-case word of the name (not its legal form, not a
    word's last letter) read as 0, 5, 8 or 1."""
    words = name.split()
    for i, word in enumerate(words[:-form_words]):
        if word.isalpha() and word.isupper() and len(word) >= 3:
            for j, ch in enumerate(word[:-1]):
                if ch in _AS_DIGIT:
                    words[i] = word[:j] + _AS_DIGIT[ch] + word[j + 1:]
                    return " ".join(words)
    return name


# Sole traders (no legal form) and the slogans printed over them under a graphical logo.
TRADERS = {"it": ["Panificio di Mario Rossi", "Macelleria Conti Giuseppe", "Tabaccheria Neri Anna"],
           "de": ["Backerei Korn Inh. Karl Korn", "Kiosk Yilmaz Inh. A. Yilmaz", "Blumen Haas"],
           "my": ["KEDAI RUNCIT AH SENG", "RESTORAN NASI KANDAR ALI", "KEDAI KOPI HOCK LEE"]}
SLOGANS = {"it": ["Il gusto di una volta", "Dal 1962 al vostro servizio", "la qualita di sempre"],
           "de": ["Frisch und lecker", "frisch aus dem Ofen", "Gut und günstig"],
           "my": ["Sedap dan Murah", "sedap dan murah setiap hari", "Halal dan Bersih"]}
TRADER_KINDS = tuple(TRADERS)


def trader_slip(seed: int, kind: str, *, slogan: bool = True, branch: bool = False,
                legal: bool = False) -> tuple[list[Row], dict[str, str]]:
    """A slip whose header is [slogan] name [branch line] over the address, no registration number
    above the address: ``legal`` False, the name is a sole trader's (no legal form), True the
    ``gen_slips`` legal name. A slogan here reads as a sentence (most words lower-case)."""
    rng = random.Random(seed * 11 + len(kind))
    base = slip(seed, kind, head="none", regno="none", taxid="below_address")
    name = base.fields["merchant_name"] if legal else rng.choice(TRADERS[kind])
    rows: list[Row] = []
    if slogan:
        rows.append(_row(rng.choice([s for s in SLOGANS[kind] if sum(w[0].islower() for w in s.split()) * 2
                                     > len(s.split())] if legal else SLOGANS[kind])))
    rows.append(_row(name))
    if branch:
        rows.append(_row(rng.choice(_KINDS[kind]["branches"])))
    rows += [[(w, x, 91.0) for w, x in row] for row in text_rows(base.lines[1:])]
    return rows, {"merchant_name": name, "address": base.fields["address"]}


# -- a graphical logo and the other places a slip names its merchant ------------------------------
# A logo OCR reads as a short fragment: a word of a few letters ("LDL", "Wii", "LoD."), read
# "sure" (at 55–65 %, as a bold logo's strokes sometimes are) or "unsure" (at 15–45 %).
FRAGMENTS = ["LDL", "Wii", "LoD.", "LèDIL", "Ll", "OBl", "AEN"]
# The thank-you line that names the shop, per kind; "{name}" is the brand as printed.
THANKS = {"it": ["Grazie per aver scelto {name}", "GRAZIE PER AVER SCELTO {name}!", "Grazie per aver acquistato da {name}"],
          "de": ["Vielen Dank für Ihren Einkauf bei {name}!", "Danke für Ihren Einkauf bei {name}",
                 "Vielen Dank fiir Ihren Einkauf bei {name}"],
          "my": ["THANK YOU FOR SHOPPING AT {name}", "Thank you for shopping with {name}!",
                 "THANK YOU FOR DINING AT {name}"]}
_TLD = {"it": "it", "de": "de", "my": "com.my"}
# Where a web or mail address names the mail provider or the card terminal's, not the shop.
PROVIDERS = {"it": ["{slug}@libero.it", "{slug}@gmail.com", "www.lotteriadegliscontrini.gov.it"],
             "de": ["{slug}@t-online.de", "{slug}@gmx.de", "www.ingenico.de/datenschutz"],
             "my": ["{slug}@gmail.com", "{slug}@yahoo.com", "www.myeg.com.my"]}
EVIDENCE = ("foot_legal", "foot_legal_seat", "thanks", "web", "email", "provider", "none")
# The town a company is registered in, printed after its legal name on the foot line
# ("Aldi GmbH & Co. KG, Schloß Holte").
_SEATS = {"it": ["Milano", "Bologna"], "de": ["Schloß Holte", "Mülheim an der Ruhr", "Neckarsulm"],
          "my": ["Petaling Jaya", "Johor Bahru"]}


def logo_slip(seed: int, kind: str, *, evidence: str, fragment: str | None = None) -> tuple[list[Row], dict[str, str]]:
    """A slip under a graphical logo: no line over the address prints the name (``fragment``:
    None, or what OCR made of the logo, "sure" or "unsure"); what names the merchant is
    ``evidence``, printed in the foot:
    - "foot_legal": the company's legal name ("Korn Backwaren GmbH"), the name to file;
      "foot_legal_seat": followed by its seat (", Schloß Holte"), which is no part of it;
    - "thanks": a thank-you line naming the brand ("… Einkauf bei BACKSTUBE KORN");
    - "web" / "email": the shop's own web or mail address ("www.backstube-korn.de",
      "info@backstube-korn.de"): the brand, words joined by a hyphen in the address;
    - "provider": only a mail provider's or a service's address ("korn@gmx.de"): no name;
    - "none": nothing names it.
    Returns the rows and the merchant the rules should file (absent: none)."""
    lines, want = logo_lines(seed, kind, evidence=evidence)
    rng = random.Random(seed * 17 + len(kind))
    rows: list[Row] = []
    if fragment is not None:
        confs = [55.0, 59.0, 65.0] if fragment == "sure" else [16.0, 28.0, 31.0, 45.0]
        rows.append(_row(rng.choice(FRAGMENTS), conf=rng.choice(confs)))
    rows += [[(w, x, 91.0) for w, x in row] for row in text_rows(lines)]
    return rows, want


def logo_lines(seed: int, kind: str, *, evidence: str) -> tuple[list[str], dict[str, str]]:
    """``logo_slip``'s slip as printed lines (the logo prints no text), for a photograph."""
    rng = random.Random(seed * 13 + len(kind) + EVIDENCE.index(evidence))
    base = slip(seed, kind, head="none", regno="none", taxid="below_address")
    legal = base.fields["merchant_name"]
    lines = list(base.lines[1:])  # the address heads the slip
    brand = rng.choice(_KINDS[kind]["heads"])
    slug = "-".join("".join(ch for ch in w.lower() if ch.isalnum()) for w in brand.split())
    want: dict[str, str] = {"address": base.fields["address"]}
    foot: list[str] = []
    if evidence in ("foot_legal", "foot_legal_seat"):
        foot.append(f"{legal}, {rng.choice(_SEATS[kind])}" if evidence == "foot_legal_seat" else legal)
        want["merchant_name"] = legal
    elif evidence == "thanks":
        foot.append(rng.choice(THANKS[kind]).format(name=brand))
        want["merchant_name"] = brand
    elif evidence == "web":
        foot.append(f"www.{slug}.{_TLD[kind]}")
        want["merchant_name"] = slug.replace("-", " ").upper()  # the brand's words, its stops lost
    elif evidence == "email":
        foot.append(f"{rng.choice(['info', 'shop', 'servizio.clienti' if kind == 'it' else 'kontakt'])}@{slug}.{_TLD[kind]}")
        want["merchant_name"] = slug.replace("-", " ").upper()
    elif evidence == "provider":
        foot.append(rng.choice(PROVIDERS[kind]).format(slug=slug.replace("-", "")))
    lines[-1:-1] = foot  # over the slip's last line, its greeting
    return lines, want
