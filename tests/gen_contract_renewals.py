"""Generated renewal clauses and party openings, English and Italian, with the values they state
(issue 15): durations in words and digits ("one (1) year", "12-month", "dodici mesi"), renewals
that repeat ("automatically renew for successive one-year periods", "renew for additional terms of
one (1) year each", "continue for successive 12 month periods", "for an additional one year
period on each anniversary", "si rinnoverà tacitamente per periodi di un anno ciascuno") or happen
once ("renew for an additional one (1) year term", "prorogato per un ulteriore periodo di 2
anni"), whatever notice of non-renewal comes with them; and preambles whose parties hide behind
an abbreviation before their alias, a description that mentions "this Agreement", or an
employee's undertaking that names only the employer.

Clauses are written here for the kinds of wording, not copied from any corpus document.
"""

from __future__ import annotations

import datetime as dt
import random

from gen_contracts_it import Contract, end_of_term

WORDS_EN = {1: "one", 2: "two", 3: "three", 6: "six", 12: "twelve", 15: "fifteen", 18: "eighteen", 24: "twenty-four",
            48: "forty-eight"}
WORDS_IT = {1: "un", 2: "due", 3: "tre", 6: "sei", 12: "dodici", 15: "quindici", 18: "diciotto", 24: "ventiquattro",
            48: "quarantotto"}
NOTICE_EN = ["unless either party gives notice of non-renewal at least sixty (60) days before the end of the "
             "then-current term", "unless terminated by either party", "subject to the fee adjustments in Schedule B",
             ""]
COMPANIES = ["Larkspur Micro Devices, Inc.", "Ostrander Coatings LLC", "Pellworth Biologics Corp.",
             "Summit Reach Media, Inc.", "Kestrel Bay Logistics Ltd", "Norvale Instruments Corporation"]
PEOPLE = ["Dana Kowalczyk", "Femi Adeyemi", "Lorna Beckett", "Ivo Santangelo"]
PLACES = [("Toronto", "Ont."), ("Boston", "Mass."), ("San Jose", "Calif."), ("Harrisburg", "Penn.")]


def _unit(n: int, unit: str) -> str:
    return f"{n} {unit}{'s' if n > 1 else ''}"


def _amount_en(n: int, unit: str, rng: random.Random, *, plural: bool) -> str:
    """"one (1) year", "1 year", "one-year", "twelve (12) months" — as an adjective when not plural."""
    style = rng.randrange(3)
    noun = unit + ("s" if plural and n > 1 else "")
    if style == 0:
        return f"{WORDS_EN[n]} ({n}) {noun}"
    if style == 1:
        return f"{n} {noun}"
    return f"{WORDS_EN[n]}-{unit}" if not plural else f"{WORDS_EN[n]} {noun}"


# (sentence, the amount written as a plural noun, the renewal repeats)
_RENEWALS_EN = [
    ("Thereafter this Agreement shall automatically renew for successive {amount} periods{tail}", False, True),
    ("Thereafter, this Agreement shall renew for additional terms of {amount} each{tail}", True, True),
    ("The Agreement will be automatically renewed for additional {amount} terms{tail}", False, True),
    ("Upon expiry of the Initial Term this Agreement shall continue for successive {amount} periods{tail}", False,
     True),
    ("This Agreement shall renew automatically for successive renewal terms of {amount} each{tail}", True, True),
    ("Unless either party gives notice of non-renewal at least ninety (90) days prior to the end of the Initial Term, "
     "this Agreement shall automatically renew for an additional {amount} term.", False, False),
    ("This Agreement shall be automatically renewed for an additional {amount} period on each anniversary of the "
     "Effective Date{tail}", False, True),
    ("The term shall automatically renew for subsequent {amount} terms{tail}", False, True),
    ("This Agreement shall automatically be extended for an additional term of {amount}, and thereafter from time "
     "to time for like periods{tail}", True, True),
    ("This Agreement shall be extended by {amount} unless either party objects in writing.", True, False),
    ("This Agreement shall renew for an additional {amount} period and shall continue to renew for like periods "
     "thereafter{tail}", False, True),
]


def renewal_en(seed: int) -> tuple[str, str | None]:
    """An English renewal sentence and the renewal term it states (None: it renews nothing)."""
    rng = random.Random(seed)
    n, unit = rng.choice([(1, "year"), (2, "year"), (6, "month"), (12, "month"), (3, "year")])
    notice = rng.choice(NOTICE_EN)
    tail = f", {notice}." if notice else "."
    kind = seed % (len(_RENEWALS_EN) + 2)
    if kind < len(_RENEWALS_EN):
        template, plural, repeats = _RENEWALS_EN[kind]
        sentence = template.format(amount=_amount_en(n, unit, rng, plural=plural), tail=tail)
        return sentence, f"successive {_unit(n, unit)}" if repeats else _unit(n, unit)
    if kind == len(_RENEWALS_EN):
        return ("Thereafter this Agreement shall renew on a year-to-year basis unless either party gives notice of "
                "non-renewal.", "successive 1 year")
    return (rng.choice(["This Agreement shall not renew automatically and either party may decline any extension.",
                        "There shall be no automatic renewal of this Agreement."]), None)


def renewal_it(seed: int) -> tuple[str, str | None]:
    rng = random.Random(seed)
    n, unit = rng.choice([(1, "anno"), (2, "anni"), (6, "mesi"), (12, "mesi"), (3, "anni")])
    english_unit = "year" if unit.startswith("ann") else "month"
    count = rng.choice([str(n), f"{n} ({WORDS_IT[n]})", WORDS_IT[n]]) if n > 1 else rng.choice(["un", "1 (uno)"])
    kind = seed % 9
    if kind == 5:
        length, value = rng.choice([("biennio", "2 years"), ("triennio", "3 years"), ("semestre", "6 months")])
        return f"Il contratto è rinnovabile per un ulteriore {length}, previo accordo scritto.", value
    if kind == 6:
        return f"Il contratto sarà prorogato di {count} {unit}, salvo disdetta.", _unit(n, english_unit)
    if kind == 7:
        return (f"Alla scadenza il contratto si rinnova automaticamente per un periodo di {count} {unit} e così "
                f"{rng.choice(['di seguito', 'successivamente'])}.", f"successive {_unit(n, english_unit)}")
    if kind == 8:
        months = n * 12 if english_unit == "year" else n
        every = rng.choice([str(months), WORDS_IT.get(months, str(months))])
        return f"Il contratto si rinnova di {every} mesi in {every} mesi.", f"successive {_unit(months, 'month')}"
    if kind == 0:
        return (f"Alla scadenza il contratto si rinnoverà tacitamente per periodi di {count} {unit} ciascuno, salvo "
                f"disdetta da comunicarsi con lettera raccomandata.", f"successive {_unit(n, english_unit)}")
    if kind == 1:
        return (f"Il contratto si intende tacitamente rinnovato per successivi periodi di {count} {unit}.",
                f"successive {_unit(n, english_unit)}")
    if kind == 2:
        return (f"Il contratto potrà essere prorogato per un ulteriore periodo di {count} {unit}, previo accordo "
                f"scritto.", _unit(n, english_unit))
    if kind == 3:
        return ("In mancanza di disdetta il contratto si rinnoverà tacitamente di anno in anno.", "successive 1 year")
    return ("Alla scadenza il contratto cesserà senza necessità di disdetta e non si rinnoverà tacitamente.", None)


def contract_en(seed: int) -> Contract:
    """An English contract with a renewal clause and an opening of one of three kinds."""
    rng = random.Random(seed)
    c = Contract()
    first, second = rng.sample(COMPANIES, 2)
    signed = dt.date(2014, 1, 1) + dt.timedelta(days=rng.randrange(2000))
    opening = seed % 3
    c.line(rng.choice(["CONSULTING AGREEMENT", "HOSTING AGREEMENT", "CONFIDENTIALITY AGREEMENT"]))
    if opening == 0:
        city, state = rng.choice(PLACES)
        c.prose(f"This Agreement is made and entered into as of {signed:%B} {signed.day}, {signed.year} by and between "
                f"{first}, with an address at {rng.randrange(10, 999)} King Street, {city} {state} (the "
                f"\u201cConsultant\u201d), and {second}, with an address at 40 Mill Road, {city} (\u201cCompany\u201d).")
        c.fields["parties"] = [first, second]
    elif opening == 1:
        c.prose(f"THIS AGREEMENT is entered into as of {signed:%B} {signed.day}, {signed.year} between {first}, whose "
                f"main offices are located at 12 Harbor Way, for itself and its subsidiaries, each of which shall be "
                f"bound by this Agreement as if it had executed this Agreement, (collectively \u201cDiscloser\u201d), "
                f"and {second}, located at 77 Elm Street. WHEREAS, the parties wish to explore a transaction.")
        c.fields["parties"] = [first, second]
    else:
        person = rng.choice(PEOPLE)
        c.prose(rng.choice([
            f"In consideration of your employment (or continued employment) with or provision of services to {first} "
            f"and its affiliates (collectively, the \u201cCompany\u201d), you agree as follows:",
            f"As a condition of my relationship with {first}, its subsidiaries, successors or assigns (together the "
            f"\u201cCompany\u201d), I agree to the following terms:",
            f"THIS AGREEMENT is made as of {signed:%B} {signed.day}, {signed.year}, by the undersigned employee "
            f"(hereinafter called \u201cEmployee\u201d) of {first} (the \u201cCompany\u201d), a Delaware corporation."]))
        c.fields["employer"] = first
    start = signed + dt.timedelta(days=rng.randrange(0, 20))
    end = dt.date(start.year + 2, start.month, 1) - dt.timedelta(days=1)
    c.prose(f"1. Term. The term of this Agreement is the period commencing on {start:%B} {start.day}, {start.year} "
            f"and concluding {end:%B} {end.day}, {end.year}.")
    c.fields["effective_date"] = start.isoformat()
    c.fields["expiration_date"] = end.isoformat()
    sentence, value = renewal_en(seed)
    c.prose(sentence)
    if value:
        c.fields["renewal_term"] = value
    c.prose("2. Governing Law. This Agreement shall be governed by the laws of the State of Ohio.")
    return c


MONTHS_IT = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
             "novembre", "dicembre"]


def _date_it(date: dt.date, rng: random.Random) -> str:
    return rng.choice([f"{date:%d/%m/%Y}", f"{date:%d.%m.%Y}",
                       f"{'1°' if date.day == 1 else date.day} {MONTHS_IT[date.month - 1]} {date.year}"])


def _last_day(start: dt.date, months: int, *, anniversary: bool) -> dt.date:
    end = end_of_term(start, months)  # the day before the anniversary
    return end + dt.timedelta(days=1) if anniversary else end


ORDINALS_EN = {1: "first", 2: "second", 3: "third"}
SUFFIX = {1: "st", 2: "nd", 3: "rd"}


def term_clause(seed: int, language: str) -> tuple[str, str, str, dt.date, dt.date]:
    """(opening with its signature date, term sentence, closing, effective date, end date): a term
    stated as a start and a duration, a start and an end, or a duration from the signature, in the
    ways Italian and English contracts print them."""
    rng = random.Random(seed)
    signed = dt.date(2016, 1, 3) + dt.timedelta(days=rng.randrange(1500))
    start = signed + dt.timedelta(days=rng.randrange(1, 40))
    n, unit = rng.choice([(1, "year"), (2, "year"), (3, "year"), (6, "month"), (24, "month")])
    months = n * 12 if unit == "year" else n
    kind = seed % (6 if language == "it" else 12)
    if language == "en" and kind >= 9 and unit != "year":
        kind %= 3  # an anniversary is of whole years
    if language == "it":
        end = _last_day(start, months, anniversary=False)
        word = {"year": "anni" if n > 1 else "anno", "month": "mesi"}[unit]
        count = rng.choice([str(n), WORDS_IT.get(n, str(n)) if n > 1 else "un"])
        opening = (f"CONTRATTO DI SERVIZI Il presente contratto è stipulato in data {_date_it(signed, rng)} tra "
                   f"Alfa Servizi S.r.l., con sede in Verona, e Beta Impianti S.p.A., con sede in Pisa.")
        sentence = [
            f"Il presente contratto ha una durata di {word} {count} con decorrenza {_date_it(start, rng)}.",
            f"Il contratto avrà validità dal {_date_it(start, rng)} al {_date_it(end, rng)}.",
            f"La durata del contratto è fissata in {count} {word} decorrenti dal {_date_it(start, rng)}.",
            f"Il contratto ha efficacia a partire dal {_date_it(start, rng)} e scade il {_date_it(end, rng)}.",
            f"Il contratto resterà in vigore fino al {_date_it(end, rng)}, con decorrenza dal {_date_it(start, rng)}.",
            f"Il contratto decorre dal giorno {_date_it(start, rng)} e ha durata di {count} {word}.",
        ][kind]
        closing = "Il contratto è regolato dalla legge italiana."
        if kind == 0 and count == "un":
            sentence = f"Il presente contratto ha una durata di mesi {months} con decorrenza {_date_it(start, rng)}."
        return opening, sentence, closing, start, end
    end = _last_day(start, months, anniversary=True)
    amount = f"{WORDS_EN.get(n, str(n))} ({n}) {unit}{'s' if n > 1 else ''}"
    when = f"{start:%B} {start.day}, {start.year}"
    opening = (f"SERVICES AGREEMENT This Services Agreement is made as of {signed:%B} {signed.day}, {signed.year} by and "
               f"between Alder Grove Systems, Inc. (\"Provider\") and Wrenfield Retail LLC (\"Client\").")
    last = end - dt.timedelta(days=1)  # a printed end date is the term's last day
    sentence = [
        f"This Agreement shall have an initial term of {amount} beginning {when}.",
        f"This Agreement shall commence on {when} and end {amount} thereafter.",
        f"This Agreement shall become effective on {when} and shall remain in force until "
        f"{last:%B} {last.day}, {last.year}.",
        f"The Services shall begin on {when}; this Agreement will continue in full force and effect through "
        f"{last:%B} {last.day}, {last.year}.",
        f"This Agreement takes effect on {when} (the \"Effective Date\") and shall expire {amount} after the "
        f"Effective Date.",
        f"The term of this Agreement shall commence on {when} and continue for {amount}.",
        f"This Agreement shall be effective for a period of {amount} from {when}.",
        f"The Term shall commence on {when} and end on the date that is {amount} thereafter.",
        f"The term of this Agreement shall begin on {when} and expire at midnight on {last:%B} {last.day}, "
        f"{last.year}.",
        f"This Agreement commences on {when} and expires on the {ORDINALS_EN.get(n, '')} ({n}{SUFFIX.get(n, '')}) anniversary of "
        f"such date.",
        f"This Agreement shall commence on {when} and shall remain in effect through the {ORDINALS_EN.get(n, '')} "
        f"anniversary thereof.",
        f"This Agreement shall remain in effect from {when} until the {ORDINALS_EN.get(n, '')} anniversary of the "
        f"Effective Date.",
    ][kind]
    if kind in (2, 3, 8):
        end = last
    return opening, sentence, "This Agreement shall be governed by the laws of the State of Ohio.", start, end


ADVISERS = ["Halvorsen Brothers & Co.", "Tamsin Capital Markets LLC", "Greyfield Partners LP"]
SENDERS = ["Corvane Therapeutics, Inc.", "Ellison Park Holdings Corp.", "Marlow Ridge Industries, Inc."]
ADDRESSEES = ["Brightwater Partners PLC", "Oakhurst Capital LLC", "Fenwick Lane Group Inc."]


def letter_en(seed: int) -> Contract:
    """A confidentiality letter: the sender's date and the addressee at the top, an adviser defined
    by its own short name in the body, signed by the sender ("Very truly yours, … By:") and
    countersigned by the addressee ("Accepted and Agreed …: … By:"). Its parties: the two signers."""
    rng = random.Random(seed)
    sender, addressee, adviser = rng.choice(SENDERS), rng.choice(ADDRESSEES), rng.choice(ADVISERS)
    short = adviser.split()[0]
    c = Contract()
    c.line("CONFIDENTIALITY AGREEMENT")
    c.line(f"{rng.choice(MONTHS_IT).capitalize()} {rng.randrange(1, 28)}, 20{rng.randrange(10, 25)}")
    c.line(addressee)
    c.line(f"{rng.randrange(10, 99)} Harbour Road")
    c.prose(f"{rng.choice(['Dear Sirs:', 'Ladies and Gentlemen:', 'Dear Mr. Pike:'])} In connection with your possible "
            f"interest in a transaction involving {sender} (the \u201cCompany\u201d), you have requested information "
            f"about the Company. {adviser} (\u201c{short}\u201d) is acting as financial adviser to the Company.")
    c.prose("You agree to keep the information confidential and to use it only to evaluate the transaction.")
    c.prose(f"{rng.choice(['Very truly yours,', 'Sincerely,'])} {sender.upper()} By: /s/ {rng.choice(PEOPLE)} "
            f"Name: {rng.choice(PEOPLE)} Title: General Counsel")
    c.prose(f"Accepted and Agreed as of the date first written above: {addressee.upper()} By: /s/ "
            f"{rng.choice(PEOPLE)} Name: {rng.choice(PEOPLE)} Title: Director")
    c.fields["parties"] = [sender, addressee]
    return c


# More wordings of the same two kinds: (sentence with {amount} as an adjective or {count}, the
# value; "{n}" / "{unit}" filled from the amount drawn).
_MORE_EN = [
    ("This Agreement shall automatically renew for {amount} renewal periods{tail}", "successive"),
    ("The term will renew automatically for an unlimited number of successive {amount} terms{tail}", "successive"),
    ("This Agreement shall automatically renew for additional, successive {amount} terms{tail}", "successive"),
    ("This Agreement shall be automatically renewed for {times} successive {amount} terms{tail}", "successive"),
    ("Thereafter, the term shall be automatically renewed for consecutive {amount} terms{tail}", "successive"),
    ("This Agreement shall be automatically renewed for a further period of {amount}{tail}", "once"),
]


def renewal_more_en(seed: int) -> tuple[str, str | None]:
    """English renewal sentences the first pool does not print, and the renewal term they state:
    "{N} renewal periods", "an unlimited number of successive …", "additional, successive …",
    "five (5) successive …", "consecutive …", "a further period of …", "on a month-to-month
    basis", "on an annual basis", day periods; a cure period extended by days renews nothing."""
    rng = random.Random(seed)
    n, unit = rng.choice([(1, "year"), (2, "year"), (6, "month"), (12, "month")])
    notice = rng.choice(NOTICE_EN)
    tail = f", {notice}." if notice else "."
    kind = seed % (len(_MORE_EN) + 4)
    if kind < len(_MORE_EN):
        template, repeats = _MORE_EN[kind]
        once = repeats == "once"
        times = rng.choice(["five (5)", "two (2)", "three (3)"])
        sentence = template.format(amount=_amount_en(n, unit, rng, plural=once), tail=tail, times=times)
        return sentence, _unit(n, unit) if once else f"successive {_unit(n, unit)}"
    kind -= len(_MORE_EN)
    if kind == 0:
        return f"Thereafter this Agreement shall continue on a month-to-month basis{tail}", "successive 1 month"
    if kind == 1:
        return f"This Agreement will automatically renew on an annual basis{tail}", "successive 1 year"
    if kind == 2:
        days = rng.choice([30, 90])
        word = {30: "thirty", 90: "ninety"}[days]
        return (f"This Agreement shall automatically renew for successive {word} ({days}) day periods{tail}",
                f"successive {days} days")
    return "Either party may extend the cure period for thirty (30) days by written notice.", None


def renewal_more_it(seed: int) -> tuple[str, str | None]:
    """Italian renewal sentences the first pool does not print: "per un ulteriore anno, e così di
    seguito", "per uguale / pari / eguale durata" (the initial term again: three years here),
    "si rinnova tacitamente ogni anno", "per periodi successivi di anni due", "di mese in mese"."""
    rng = random.Random(seed)
    notice = rng.choice(["salvo disdetta da inviarsi con raccomandata A/R almeno tre mesi prima della scadenza",
                         "salvo disdetta di una delle Parti", "in mancanza di disdetta"])
    kind = seed % 6
    if kind == 0:
        unit, value = rng.choice([("anno", "successive 1 year"), ("mese", "successive 1 month")])
        return (f"Alla scadenza, {notice}, il contratto si rinnoverà tacitamente per un ulteriore {unit}, e così "
                f"{rng.choice(['di seguito', 'successivamente'])}.", value)
    if kind == 1:
        same = rng.choice(["per uguale durata", "per pari durata", "per un periodo di pari durata",
                           "per eguale periodo", "per una durata identica"])
        return f"Il contratto, {notice}, si intende rinnovato {same}.", "successive 3 years"
    if kind == 2:
        return f"Il contratto si rinnova tacitamente ogni anno, {notice}.", "successive 1 year"
    if kind == 3:
        n = rng.choice([2, 3])
        return (f"Il presente contratto, {notice}, si intende rinnovato per periodi successivi di anni "
                f"{WORDS_IT[n]}.", f"successive {n} years")
    if kind == 4:
        return f"Scaduto il termine, il contratto si rinnova di mese in mese, {notice}.", "successive 1 month"
    return f"Il contratto cesserà alla scadenza senza alcun rinnovo, {notice}.", None


def term_more(seed: int, language: str) -> tuple[str, str, str, dt.date, dt.date]:
    """Like term_clause, for the term wordings it does not print; the contract takes effect when it
    is made. Italian: "validità di 24 mesi a decorrere dalla sottoscrizione", "resterà in vigore
    per 2 anni", "scadrà decorsi 12 mesi", "efficacia per un periodo di tre anni", "durata sino a
    tutto il …", "stipulato per un periodo di 36 mesi", "durerà due anni". English: "continue
    through …", "end at 11:59 p.m. on …", "until the date that is two (2) years after the Effective
    Date", "valid through …", "through and including …", "effective until …" (an end, not a
    start), "run until", "from the Effective Date to …", "terminate automatically on", "until the
    expiration of N months following", "a period of fifteen (15) years"."""
    rng = random.Random(seed)
    start = dt.date(2016, 1, 3) + dt.timedelta(days=rng.randrange(1500))
    n, unit = rng.choice([(1, "year"), (2, "year"), (3, "year"), (6, "month"), (24, "month")])
    if seed % 4 == 3:
        n, unit = rng.choice([(15, "year"), (48, "month")])  # counts past the first dozen, in words
    months = n * 12 if unit == "year" else n
    if language == "it":
        end = _last_day(start, months, anniversary=False)
        word = {"year": "anni" if n > 1 else "anno", "month": "mesi"}[unit]
        count = rng.choice([str(n), WORDS_IT.get(n, str(n))]) if n > 1 else "un"
        opening = (f"CONTRATTO DI SERVIZI Il presente contratto è stipulato in data {_date_it(start, rng)} tra "
                   f"Alfa Servizi S.r.l., con sede in Verona, e Beta Impianti S.p.A., con sede in Pisa.")
        sentence = [
            f"Il contratto avrà validità di {count} {word} a decorrere dalla data di sottoscrizione.",
            f"Il contratto resterà in vigore per {count} {word} dalla sottoscrizione.",
            f"Il contratto scadrà decorsi {count} {word} dalla data di sottoscrizione.",
            f"Il contratto avrà efficacia per un periodo di {count} {word}.",
            f"Il contratto avrà durata sino a tutto il {_date_it(end, rng)}.",
            f"Il contratto è stipulato per un periodo di {months} mesi.",
            f"Il contratto durerà {count} {word}.",
        ][seed % 7]
        return opening, sentence, "Il contratto è regolato dalla legge italiana.", start, end
    end = _last_day(start, months, anniversary=True)
    last = end - dt.timedelta(days=1)
    amount = f"{WORDS_EN.get(n, str(n))} ({n}) {unit}{'s' if n > 1 else ''}"
    opening = (f"SERVICES AGREEMENT This Services Agreement is entered into as of {start:%B} {start.day}, {start.year} "
               f"(the \u201cEffective Date\u201d) by and between Alder Grove Systems, Inc. and Wrenfield Retail LLC.")
    printed = f"{last:%B} {last.day}, {last.year}"
    kind = seed % 11
    sentence = [
        f"Unless terminated earlier, this Agreement shall continue through {printed}.",
        f"The Term shall end at 11:59 p.m. on {printed}.",
        f"This Agreement shall remain in force until the date that is {amount} after the Effective Date.",
        f"This Agreement shall be valid through {printed}.",
        f"The Agreement shall be in effect from the Effective Date through and including {printed}.",
        f"This Agreement shall be effective until {printed}.",
        f"The term of this Agreement shall run until {printed}.",
        f"The initial term of this Agreement shall be from the Effective Date to {printed}.",
        f"This Agreement will terminate automatically on {printed}.",
        f"Unless earlier terminated, this Agreement shall continue in effect until the expiration of {amount} "
        f"following the Effective Date.",
        f"The term of this Agreement shall be a period of {amount}.",
    ][kind]
    return opening, sentence, "This Agreement shall be governed by the laws of the State of Ohio.", start, \
        end if kind in (2, 9, 10) else last
