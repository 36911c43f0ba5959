"""Generated contracts (English and Italian) as positioned words, for the ways a contract states
WHEN it was made that the earlier generators do not print, with the date it states:

- preambles: "dated as of", "made and entered into effective as of", "made this 15th day of
  March 2019" (no comma), "is dated 15 March 2019", a "Dated:" / "Date:" line under the title,
  "this Agreement, effective …, is between";
- the date only by the signatures: "IN WITNESS WHEREOF, the parties hereto have caused this
  Agreement to be executed by their duly authorized officers as of …", "… to be duly executed on
  their behalf this 15th day of …", "Executed on …", "Dated as of …" above the blocks, "Signed at
  London on …", a "Date:" line under each signature; "as of the day and year first above written"
  pointing back at the preamble;
- Italian: "Letto, confermato e sottoscritto. Milano, 12 marzo 2024" on one line, "Data: …" and
  "Data …" beside the signatures, "Stipulato in Milano il …", "Redatto in duplice originale a …
  il …", "Oggi, …, in …", a scanned "lì" read as "Iì" / "li";
- OCR damage of a scanned contract's date: l / I for 1 and O for 0 among the digits, a space
  inside the year, one letter of the month misread ("gennato", "Marcb", "rnarzo"); a decree's
  "D.Lgs." read "D.Lys.".

Distractor dates sit before and after (laws, notices, another agreement's date in a recital).
Names and clauses come from pools written here, not from any corpus document.
"""

from __future__ import annotations

import datetime as dt
import random

from gen_contracts_it import MONTHS as MONTHS_IT
from gen_contracts_it import Contract

COMPANIES_EN = ["Bellhaven Robotics, Inc.", "Corwin Pharma Ltd", "Driftwood Data LLC", "Emberly Foods Corp.",
                "Falconer Marine Holdings PLC", "Greyfield Power, Inc.", "Hollis & Vane LLP"]
COMPANIES_IT = ["Acquaviva Trasporti S.r.l.", "Bellini Arredi S.p.A.", "Colle Verde Agricola S.s.",
                "Dolomiti Software S.r.l.", "Euganea Ceramiche S.p.A.", "Fiordaliso Servizi S.r.l.s."]
CITIES_IT = ["Milano", "Treviso", "Napoli", "Cremona", "Rimini", "Lucca", "Sassari", "Pescara"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
TITLES_EN = ["DISTRIBUTION AGREEMENT", "SERVICES AGREEMENT", "JOINT DEVELOPMENT AGREEMENT", "MARKETING AGREEMENT"]
TITLES_IT = ["CONTRATTO DI SERVIZI", "CONTRATTO DI FORNITURA", "CONTRATTO DI CONSULENZA", "CONTRATTO DI AGENZIA"]


def _suffix(day: int) -> str:
    return "th" if 10 < day % 100 < 14 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


DAY_WORDS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
             "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth",
             "nineteenth", "twentieth"] + [f"twenty-{w}" for w in ("first", "second", "third", "fourth", "fifth",
                                                                   "sixth", "seventh", "eighth", "ninth")] + \
            ["thirtieth", "thirty-first"]


def en_date(date: dt.date, rng: random.Random) -> str:
    """A date as US and UK contracts print it, figures or formally spelled ("the first day of
    July, 2010", "the 2d day of", "the 2nd of January 2011", "A.D. 2011", "in the year 2011")."""
    month, nth = MONTHS_EN[date.month - 1], f"{date.day}{_suffix(date.day)}"
    legal = f"{date.day}d" if date.day % 10 in (2, 3) and date.day not in (12, 13) else nth
    return [f"{month} {date.day}, {date.year}", f"{date.day} {month} {date.year}", f"{month} {nth}, {date.year}",
            f"{date.month}/{date.day}/{date.year}", f"the {nth} day of {month}, {date.year}",
            f"the {DAY_WORDS[date.day - 1]} day of {month}, {date.year}", f"the {legal} day of {month}, {date.year}",
            f"the {nth} of {month} {date.year}", f"the {nth} day of {month}, A.D. {date.year}",
            f"the {nth} day of {month} in the year {date.year}"][rng.randrange(10)]


def it_date(date: dt.date, rng: random.Random) -> str:
    return [f"{date:%d/%m/%Y}", f"{date:%d.%m.%Y}", f"{date:%d-%m-%Y}",
            f"{'1°' if date.day == 1 else date.day} {MONTHS_IT[date.month - 1]} {date.year}"][rng.randrange(4)]


# One letter of a month's name as OCR misreads it (seen reading generated contracts rendered as
# rough 200-dpi scans: "gennato" for "gennaio").
MONTH_MISREADS = {"i": "t", "h": "b", "m": "rn", "o": "0", "e": "c"}


def damaged(printed: str, rng: random.Random) -> str:
    """The date as OCR reads a scan of it: one of l / I for a 1, O for a 0, a space after the
    year's second digit, or one letter of the month's name misread. A printed date with none of
    these is left alone."""
    digits = [i for i, ch in enumerate(printed) if ch in "10"]
    year = next((i for i in range(len(printed) - 3) if printed[i : i + 4].isdigit() and printed[i : i + 2] in
                 ("19", "20")), None)
    kind = rng.randrange(4)
    month = next((m for m in MONTHS_EN + MONTHS_IT if len(m) >= 5 and m in printed), None)
    if kind == 3 and month:
        at = [i for i, ch in enumerate(month) if ch in MONTH_MISREADS and i > 0]
        if at:
            i = rng.choice(at)
            return printed.replace(month, month[:i] + MONTH_MISREADS[month[i]] + month[i + 1 :], 1)
    if kind == 2 and year is not None:
        return printed[: year + 2] + " " + printed[year + 2 :]
    if not digits:
        return printed
    i = rng.choice(digits)
    swap = {"1": rng.choice("lI"), "0": "O"}[printed[i]]
    return printed[:i] + swap + printed[i + 1 :]


def _signature_blocks(c: Contract, first: str, second: str, *, dated: str | None = None) -> None:
    c.cells((first.upper(), 40), (second.upper(), 600))
    c.cells(("By: ______________________", 40), ("By: ______________________", 600))
    c.cells(("Name: Laura Fenwick", 40), ("Name: Arjun Mehta", 600))
    c.cells(("Title: President", 40), ("Title: Chief Financial Officer", 600))
    if dated:
        c.cells((f"Date: {dated}", 40), (f"Date: {dated}", 600))


# How the date is stated, English: (preamble, closing). {d} is the date; None: not printed there.
SIGNING_EN = [
    ("This {title} (this \u201cAgreement\u201d) is dated as of {d}, and is entered into by and between {a} and {b}.",
     None),
    ("This {title} (the \u201cAgreement\u201d) is made and entered into effective as of {d} by and between {a} "
     "(\u201cCompany\u201d) and {b} (\u201cPartner\u201d).", None),
    ("THIS {TITLE} is made {d} by and between {a} and {b}.", None),
    ("THIS {TITLE} is dated {d} and is made BETWEEN {a} and {b}.", None),
    ("Dated: {d}\nThis {title} is between {a} (\u201cCompany\u201d) and {b} (\u201cPartner\u201d).", None),
    ("This {title}, effective {d}, is between {a} and {b}.", None),
    ("This {title} is entered into by and between {a} and {b}.",
     "IN WITNESS WHEREOF, the parties hereto have caused this Agreement to be executed by their duly authorized "
     "officers as of {d}."),
    ("This {title} is entered into by and between {a} and {b}.",
     "IN WITNESS WHEREOF, the parties have caused this Agreement to be duly executed on their behalf {d}."),
    ("This {title} is made by and between {a} and {b}.", "Executed on {d}."),
    ("This {title} is made by and between {a} and {b}.", "Dated as of {d}"),
    ("This {title} is made by and between {a} and {b}.", "Signed at London on {d}."),
    ("This {title} is made by and between {a} and {b}.", "DATE: {d}"),
    ("This {title} is made by and between {a} and {b}.",
     "IN WITNESS WHEREOF, the parties have executed this Agreement this {d}."),
    ("This {title} is made as of {d} by and between {a} and {b}.",
     "IN WITNESS WHEREOF, the parties have executed this Agreement as of the day and year first above written."),
    ("THIS {TITLE} is made as at {d} between {a} and {b}.", None),
    ("Agreement Date: {d}\nParties: {a} and {b}.", None),
    ("This {title} is executed on {d} by and between {a} and {b}.", None),
    ("The Supply Agreement executed on June 30, 2003 between {a} and {b} is amended as follows. This {title} is "
     "dated as of {d}.", None),
]


def signing_en(seed: int, *, scanned: bool = False) -> Contract:
    """An English contract dated in one of SIGNING_EN's ways; ``scanned`` damages the date as OCR
    would. ``fields["agreement_date"]`` is the date stated."""
    rng = random.Random(seed)
    c = Contract()
    a, b = rng.sample(COMPANIES_EN, 2)
    title = rng.choice(TITLES_EN)
    signed = dt.date(2005, 1, 1) + dt.timedelta(days=rng.randrange(5000))
    preamble, closing = SIGNING_EN[seed % len(SIGNING_EN)]
    printed = en_date(signed, rng)
    if closing and ("this {d}" in closing or "behalf {d}" in closing):
        # "executed … this 15th day of March, 2019"
        printed = f"{signed.day}{_suffix(signed.day)} day of {MONTHS_EN[signed.month - 1]}, {signed.year}"
        printed = "this " + printed if "behalf {d}" in closing else printed
    elif closing and closing.startswith("DATE:") and printed.startswith("the "):
        printed = f"{MONTHS_EN[signed.month - 1]} {signed.day}, {signed.year}"  # a form's field, not prose
    if scanned:
        printed = damaged(printed, rng)
    c.line(title)
    text = preamble.format(title=title.title(), TITLE=title, a=a, b=b, d=printed if "{d}" in preamble else "")
    for part in text.split("\n"):
        c.prose(part)
    c.prose("1. Appointment. Company appoints Partner on the terms of this Agreement, in compliance with the "
            "Securities Act of 1933 and the rules adopted on June 30, 2003.")
    c.prose("2. Notices. Any notice shall be given in writing within thirty (30) days.")
    c.prose("3. Governing Law. This Agreement shall be governed by the laws of the State of New York.")
    if closing and "{d}" in closing and not closing.startswith("DATE:"):
        c.prose(closing.format(d=printed))
        _signature_blocks(c, a, b)
    elif closing and closing.startswith("DATE:"):
        c.prose("IN WITNESS WHEREOF, the parties have executed this Agreement.")
        _signature_blocks(c, a, b, dated=printed)
    else:
        c.prose(closing or "IN WITNESS WHEREOF, the parties have executed this Agreement as of the date first "
                           "written above.")
        _signature_blocks(c, a, b)
    c.fields["parties"] = [a, b]
    c.fields["agreement_date"] = signed.isoformat()
    return c


# Italian: (opening, closing). The opening names the parties; {d} the date, {city} the place.
SIGNING_IT = [
    ("Il presente contratto è concluso tra {a}, con sede in {city}, e {b}.",
     "Letto, confermato e sottoscritto. {city}, {d}"),
    ("Il presente contratto è concluso tra {a}, con sede in {city}, e {b}.", "Data: {d}"),
    ("Il presente contratto è concluso tra {a}, con sede in {city}, e {b}.", "Data {d}"),
    ("Stipulato in {city} il {d} tra {a} e {b}.", None),
    ("Il presente contratto è concluso tra {a}, con sede in {city}, e {b}.",
     "Redatto in duplice originale a {city} il {d}."),
    ("Oggi, {d}, in {city}, tra {a} e {b} si conviene quanto segue.", None),
    ("Il presente contratto è concluso tra {a}, con sede in {city}, e {b}.", "{city}, Iì {d}"),
    ("Il presente contratto è concluso tra {a}, con sede in {city}, e {b}.", "{city}, li {d}"),
    ("Il presente contratto è concluso tra {a}, con sede in {city}, e {b}.",
     "Letto, confermato e sottoscritto in {city}, il {d}."),
    ("Il presente contratto è concluso tra {a}, con sede in {city}, e {b}.", "Firmato in data {d}"),
]


def signing_it(seed: int, *, scanned: bool = False) -> Contract:
    """An Italian contract dated in one of SIGNING_IT's ways (see signing_en)."""
    rng = random.Random(seed)
    c = Contract()
    a, b = rng.sample(COMPANIES_IT, 2)
    city, court = rng.sample(CITIES_IT, 2)
    signed = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(3000))
    opening, closing = SIGNING_IT[seed % len(SIGNING_IT)]
    printed = it_date(signed, rng)
    if scanned:
        printed = damaged(printed, rng)
    c.line(rng.choice(TITLES_IT))
    c.prose(opening.format(a=a, b=b, city=city, d=printed))
    c.prose("Premesso che le Parti hanno sottoscritto in data 12/01/2015 un accordo di riservatezza, si conviene "
            "quanto segue.")
    # OCR reads the decree's abbreviation "D.Lgs." as "D.Lys."; the first delivery is dated after signing.
    decree = "D.Lys." if scanned else "D.Lgs."
    c.prose(f"Art. 1 - Oggetto. Le prestazioni sono rese ai sensi del {decree} 9 aprile 2008, n. 81. La prima "
            f"consegna è prevista entro il {it_date(signed + dt.timedelta(days=20), rng)}.")
    c.prose("Art. 2 - Recesso. Ciascuna Parte può recedere con preavviso di 30 (trenta) giorni.")
    c.prose(f"Art. 3 - Foro competente. Per ogni controversia è competente il Foro di {court}.")
    if closing:
        c.line(closing.format(city=city, d=printed))
    else:
        c.line("Letto, confermato e sottoscritto.")
    c.cells((f"Per {a}", 40), (f"Per {b}", 600))
    c.cells(("Il legale rappresentante", 40), ("Il legale rappresentante", 600))
    c.fields["parties"] = [a, b]
    c.fields["agreement_date"] = signed.isoformat()
    return c


# Label and role words as OCR misread them on rendered scans: "mi" / "in" read "m" / "nu", "ri" read "n".
LABEL_MISREADS = [("mi", "m"), ("in", "nu"), ("ri", "n")]


def damaged_labels(doc: Contract, rng: random.Random) -> Contract:
    """The same contract with each long label or role word of its parties table misread once
    ("Denommazione:", "Licenziatano"), as OCR reads a rough scan's table."""
    from gen_contracts_it import ROLES

    words = {"Denominazione:"} | {role for pair in ROLES for role in pair if len(role) >= 10}
    out = Contract(fields=doc.fields)
    for row in doc.rows:
        new = []
        for text, x in row:
            if text in words:
                at = [(i, a, b) for a, b in LABEL_MISREADS for i in range(1, len(text)) if text.startswith(a, i)]
                if at:
                    i, a, b = rng.choice(at)
                    text = text[:i] + b + text[i + len(a):]
            new.append((text, x))
        out.rows.append(new)
    return out
