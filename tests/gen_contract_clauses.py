"""Generated contracts (Italian and English) as positioned words, with the fields they state,
for the kinds of wording the first generator (gen_contracts_it.py) does not print:

- parties numbered in the preamble ("1) … 2) …"), introduced by "la società" / "il Sig.",
  "da una parte … dall'altra parte", "entered into by X (…) and Y (…)", "Party A: / Party B:";
  parties found only in the signature block ("Per il Fornitore | Per il Cliente" over the two
  names) or in a table whose label and value OCR put on separate lines;
- the signature date in a notarial opening written in words ("L'anno duemilaventicinque, il
  giorno tre del mese di marzo"), in "Fatto, letto e sottoscritto a … il …";
- start and end: "a far data dal", "a partire dal", "entrerà in vigore il", "sino al", "scadrà
  il", "durata triennale", "durata di anni 2", "commencing … and ending on …", "shall continue for
  a period of …", "expire on the second anniversary of the Effective Date";
- renewal: "di biennio in biennio", "per uguale periodo", "rinnovo automatico annuale",
  "automatically renew for successive one-year periods", "successive periods of twelve (12)
  months", renewal excluded in other words;
- governing law: "disciplinato dalla legge italiana", "la legge applicabile è quella italiana",
  "soggetto alle leggi della Repubblica Italiana", or only a court and the Codice Civile.

Names, places and clauses come from pools written here, not from any corpus document.
"""

from __future__ import annotations

import datetime as dt
import random

from gen_contracts_it import MONTHS, Contract, end_of_term

COMPANIES_IT = ["Brentella Meccanica S.r.l.", "Fonderie Calvi S.p.A.", "Studio Orione S.r.l.s.",
                "Cantieri Adriatici S.p.A.", "Pavan & Figli S.n.c.", "Verdemare Distribuzione S.r.l.",
                "Tessiture Lariane S.p.A.", "Quadrifoglio Software S.r.l.", "Bassi Impianti S.a.s."]
PEOPLE_IT = ["Chiara Benedetti", "Alberto Moretti", "Silvia Gatti", "Tommaso Ferraro", "Irene Marchetti"]
TITLES_IT = ["il Sig.", "la Sig.ra", "il Dott.", "la Dott.ssa", "l'Ing.", "l'Avv."]
CITIES_IT = ["Vicenza", "Brescia", "Lecce", "Parma", "Trento", "Perugia", "Cagliari", "Udine"]
ROLES_IT = [("Fornitore", "Cliente"), ("Committente", "Incaricato"), ("Concedente", "Utilizzatore"),
            ("Mandante", "Agente"), ("Prestatore", "Committente")]
DAYS_IT = ["", "primo", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove", "dieci", "undici",
           "dodici", "tredici", "quattordici", "quindici", "sedici", "diciassette", "diciotto", "diciannove",
           "venti", "ventuno", "ventidue", "ventitre", "ventiquattro", "venticinque", "ventisei", "ventisette",
           "ventotto", "ventinove", "trenta", "trentuno"]
YEARS_IT = {2023: "duemilaventitre", 2024: "duemilaventiquattro", 2025: "duemilaventicinque",
            2026: "duemilaventisei"}
LENGTH_IT = {12: "annuale", 24: "biennale", 36: "triennale"}

COMPANIES_EN = ["Harrow Bridge Analytics Ltd", "Pinecrest Labs, Inc.", "Osprey Freight LLC", "Meridian Optics Corp.",
                "Calder & Finch Holdings PLC", "Redwater Biologics, Inc.", "Tallis Media Group LLC"]
PEOPLE_EN = ["Dana Whitfield", "Marcus Lee", "Priya Raman", "Owen T. Gallagher", "Helen Okafor"]
ROLES_EN = [("Company", "Consultant"), ("Licensor", "Licensee"), ("Supplier", "Customer"), ("Provider", "Client")]
STATES = ["Delaware", "New York", "California", "Illinois", "Massachusetts"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
NUMBER_EN = {1: "one", 2: "two", 3: "three", 6: "six", 12: "twelve", 18: "eighteen", 24: "twenty-four"}
ORDINAL_EN = {1: "first", 2: "second", 3: "third", 5: "fifth"}


def _it_date(date: dt.date, rng: random.Random) -> str:
    style = rng.randrange(3)
    if style == 0:
        return date.strftime("%d/%m/%Y")
    if style == 1:
        return date.strftime("%d.%m.%Y")
    return f"{'1°' if date.day == 1 else date.day} {MONTHS[date.month - 1]} {date.year}"


def _en_date(date: dt.date) -> str:
    return f"{MONTHS_EN[date.month - 1]} {date.day}, {date.year}"


def _it_count(n: int, rng: random.Random) -> str:
    words = {1: "uno", 2: "due", 3: "tre", 6: "sei", 12: "dodici", 18: "diciotto", 24: "ventiquattro",
             36: "trentasei"}
    return rng.choice([str(n), f"{n} ({words[n]})"]) if n in words else str(n)


def italian(seed: int) -> Contract:
    rng = random.Random(seed)
    c = Contract()
    first, second = rng.sample(COMPANIES_IT, 2)
    roles = rng.choice(ROLES_IT)
    city, court = rng.sample(CITIES_IT, 2)
    signed = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(1000))
    layout = seed % 6
    person = rng.choice(PEOPLE_IT)
    parties = [first, second]
    c.line(rng.choice(["CONTRATTO DI AGENZIA", "CONTRATTO DI SERVIZI", "CONTRATTO DI NOLEGGIO",
                       "ACCORDO QUADRO DI FORNITURA"]))
    signature_names = False
    notarial = False
    if layout == 0:
        c.line("TRA")
        c.prose(f"1) {first}, con sede legale in Via Manin 4, {city}, codice fiscale e partita IVA 01234567897, "
                f"in persona del legale rappresentante {person}, d'ora in avanti denominata \"{roles[0]}\";")
        c.line("E")
        c.prose(f"2) {second}, con sede in Viale Europa 31, {court}, d'ora in avanti denominata \"{roles[1]}\".")
    elif layout == 1:
        c.prose(f"Con la presente scrittura privata, da valere ad ogni effetto di legge, tra la società {first}, "
                f"con sede in Via Manin 4, {city} (di seguito «{roles[0]}»), da una parte, e la società {second}, "
                f"con sede in Viale Europa 31, {court} (di seguito «{roles[1]}»), dall'altra parte,")
        c.line("si conviene e si stipula quanto segue.")
    elif layout == 2:
        # The parties table's label column lost by OCR: the described parties, then the signatures.
        c.line("SEZIONE A - DATI DEL CONTRATTO")
        c.prose(f"{first}, con sede in Via Manin 4, {city}, P.IVA 01234567897, legale rappresentante {person}")
        c.prose(f"{second}, con sede in Viale Europa 31, {court}, P.IVA 09876543217")
        signature_names = True
    elif layout == 3:
        # A parties table read by OCR with each label and its value on lines of their own.
        c.line("TRA")
        c.line("SOCIETÀ")
        c.line("Denominazione")
        c.line(first)
        c.line("Sede legale")
        c.line(f"Via Manin 4, {city}")
        c.line(roles[1].upper())
        c.line("Nome e cognome")
        c.line(person)
        c.line("Codice fiscale")
        c.line("RSSMRA80A01H501U")
        parties = [first, person]
    elif layout == 4:
        title = rng.choice(TITLES_IT)
        c.prose(f"Il presente contratto è concluso tra {title} {person}, nato a {court} il 14/03/1971, residente in "
                f"Via Garibaldi 9, {court}, C.F. RSSMRA80A01H501U (di seguito il «{roles[0]}») e la società "
                f"{second}, con sede in Viale Europa 31, {city} (di seguito il «{roles[1]}»).")
        parties = [person, second]
    else:
        notarial = True
        c.prose(f"L'anno {YEARS_IT[signed.year]}, il giorno {DAYS_IT[signed.day]} del mese di "
                f"{MONTHS[signed.month - 1]}, in {city}, tra {first}, con sede in Via Manin 4, {city} "
                f"(di seguito «{roles[0]}») e {second}, con sede in Viale Europa 31, {court} (di seguito "
                f"«{roles[1]}»), si conviene quanto segue.")
    c.fields["parties"] = parties
    c.fields["agreement_date"] = signed.isoformat()

    c.prose("Art. 1 - Oggetto. Le Parti convengono quanto segue, nel rispetto della L. 22 aprile 1941, n. 633.")
    effective = signed if rng.random() < 0.3 else signed + dt.timedelta(days=rng.randrange(1, 45))
    months = rng.choice([12, 24, 36, 6, 18])
    end = end_of_term(effective, months)
    start_words = rng.choice(["a far data dal", "con decorrenza dal", "a partire dal", "a decorrere dal"])
    style = rng.randrange(5)
    # How the initial term reads, for a renewal "per uguale periodo": as printed, else in years
    # when the dates span whole years.
    printed = (months // 12, "year") if months % 12 == 0 else (months, "month")
    if style == 0:
        c.prose(f"Art. 2 - Durata. Il presente contratto entrerà in vigore il {_it_date(effective, rng)} e "
                f"resterà valido sino al {_it_date(end, rng)}.")
    elif style == 1:
        c.prose(f"Art. 2 - Durata. Il contratto avrà efficacia {start_words} {_it_date(effective, rng)} e "
                f"scadrà il {_it_date(end, rng)}.")
    elif style == 2 and months in LENGTH_IT:
        c.prose(f"Art. 2 - Durata. Il contratto ha durata {LENGTH_IT[months]} {start_words} "
                f"{_it_date(effective, rng)}.")
    elif style == 3 and months % 12 == 0:
        c.prose(f"Art. 2 - Durata. La durata del contratto è stabilita in anni {months // 12}, "
                f"{start_words} {_it_date(effective, rng)}.")
    else:
        printed = (months, "month")
        c.prose(f"Art. 2 - Durata. Il contratto avrà una durata di {_it_count(months, rng)} mesi {start_words} "
                f"{_it_date(effective, rng)}, con scadenza il {_it_date(end, rng)}.")
    c.fields["effective_date"] = effective.isoformat()
    c.fields["expiration_date"] = end.isoformat()

    renewal = rng.randrange(6)
    if renewal == 0:
        c.prose("Alla scadenza il contratto si intenderà rinnovato di biennio in biennio, salvo disdetta scritta.")
        c.fields["renewal_term"] = "successive 2 years"
    elif renewal == 1:
        c.prose("In difetto di disdetta il contratto si rinnova tacitamente per uguale periodo.")
        c.fields["renewal_term"] = f"successive {printed[0]} {printed[1]}{'s' if printed[0] > 1 else ''}"
    elif renewal == 2:
        c.prose("È previsto il rinnovo automatico annuale del contratto, salvo disdetta con preavviso di sessanta "
                "giorni.")
        c.fields["renewal_term"] = "successive 1 year"
    elif renewal == 3:
        n = rng.choice([6, 12])
        c.prose(f"Il contratto si rinnoverà automaticamente per periodi successivi di {n} mesi ciascuno.")
        c.fields["renewal_term"] = f"successive {n} months"
    elif renewal == 4:
        c.prose(rng.choice(["Il contratto non è tacitamente rinnovabile.",
                            "Le Parti escludono espressamente ogni forma di rinnovo tacito.",
                            "Alla scadenza il contratto cesserà di avere effetto senza bisogno di disdetta."]))
    else:
        c.prose("Il contratto potrà essere prorogato, d'accordo tra le Parti, per un ulteriore anno.")
        c.fields["renewal_term"] = "1 year"

    law = rng.randrange(5)
    sentence = ["Il presente contratto è disciplinato dalla legge italiana.",
                "La legge applicabile al presente contratto è quella italiana.",
                "Il presente contratto è soggetto alle leggi della Repubblica Italiana.",
                "Il contratto sarà interpretato ed eseguito in conformità alla legge italiana.",
                None][law]
    if sentence:
        c.prose(f"Art. 7 - Legge applicabile. {sentence}")
        c.fields["governing_law"] = "Italy"
    else:
        c.prose("Art. 7 - Rinvio. Per quanto non espressamente previsto si rinvia alle norme del Codice Civile.")
    c.prose(f"Art. 8 - Foro competente. Per ogni controversia sarà competente in via esclusiva il Foro di {court}.")
    if not notarial:
        if rng.random() < 0.5:
            c.line(f"Fatto, letto e sottoscritto a {city} il {_it_date(signed, rng)}")
        else:
            c.line(f"{city}, addì {_it_date(signed, rng)}")
    else:
        c.line("Letto, confermato e sottoscritto.")
    if signature_names:
        c.cells((f"Per il {roles[0]}", 40), (f"Per il {roles[1]}", 600))
        c.cells((first, 40), (second, 600))
        c.cells(("Il legale rappresentante", 40), ("Il legale rappresentante", 600))
    else:
        c.cells((f"Il {roles[0]}", 40), (f"Il {roles[1]}", 600))
    return c


def english(seed: int) -> Contract:
    rng = random.Random(seed)
    c = Contract()
    first, second = rng.sample(COMPANIES_EN, 2)
    roles = rng.choice(ROLES_EN)
    signed = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(1500))
    layout = seed % 4
    person = rng.choice(PEOPLE_EN)
    c.line(rng.choice(["MASTER SERVICES AGREEMENT", "LICENSE AGREEMENT", "SUPPLY AGREEMENT"]))
    if layout == 0:
        c.prose(f"This Agreement is entered into as of {_en_date(signed)} by {first} (\"{roles[0]}\") and "
                f"{second} (\"{roles[1]}\").")
    elif layout == 1:
        witnessed = rng.random() < 0.5  # dated only where it is signed
        if not witnessed:
            c.prose(f"This Agreement is dated {_en_date(signed)}.")
        c.line(f"Party A: {first}")
        c.line(f"Party B: {second}")
    elif layout == 3:
        c.prose(f"This Confidentiality Agreement is made as of {_en_date(signed)} between {first} (the \"Company\") "
                f"and the employee whose name is set forth below (\"Employee\"). In consideration of your employment, "
                f"you agree as follows:")
        second = person
    else:
        c.prose(f"THIS AGREEMENT is made on {_en_date(signed)} BETWEEN: (1) {first}, a company incorporated in "
                f"England and Wales with company number 04512345 (\"{roles[0]}\"); and (2) {second}, a company "
                f"incorporated in {rng.choice(STATES)} (\"{roles[1]}\").")
    c.fields["parties"] = [first, second]
    c.fields["agreement_date"] = signed.isoformat()
    effective = signed + dt.timedelta(days=rng.randrange(0, 30))
    n, unit = rng.choice([(1, "year"), (2, "year"), (3, "year"), (6, "month"), (12, "month"), (18, "month")])
    months = n * 12 if unit == "year" else n
    end = end_of_term(effective, months) + dt.timedelta(days=1)  # US contracts: the anniversary
    number = f"{NUMBER_EN[n]} ({n})"
    style = rng.randrange(4)
    if style == 3:
        end = end - dt.timedelta(days=1)  # a range printed: its last day
        c.prose(f"2. TERM: {_en_date(effective)} to {_en_date(end)}")
    elif style == 0:
        c.prose(f"2. Term. This Agreement shall commence on {_en_date(effective)} and shall continue for a period "
                f"of {number} {unit}{'s' if n > 1 else ''}, unless terminated earlier as provided herein.")
    elif style == 1:
        end = end - dt.timedelta(days=1)  # an end date printed: the last day
        if rng.random() < 0.3:
            c.prose(f"2. Term. The term of this Agreement will begin on {_en_date(effective)} and end on "
                    f"{_en_date(end)}.")
        else:
            c.prose(f"2. Term. The term of this Agreement shall be {number} {unit}{'s' if n > 1 else ''}, "
                    f"commencing {_en_date(effective)} and ending on {_en_date(end)}.")
    else:
        c.prose(f"2. Term. This Agreement takes effect on {_en_date(effective)} (the \"Effective Date\").")
        if unit == "year" and n in ORDINAL_EN:
            c.prose(f"It shall expire on the {ORDINAL_EN[n]} anniversary of the Effective Date.")
        else:
            c.prose(f"The initial term of this Agreement is {n} months from the Effective Date.")
    c.fields["effective_date"] = effective.isoformat()
    c.fields["expiration_date"] = end.isoformat()
    renewal = rng.randrange(7)
    if renewal == 4:
        c.prose("Upon expiry the term renews automatically on the same conditions unless either party objects in "
                "writing.")
        c.fields["renewal_term"] = f"successive {n} {unit}{'s' if n > 1 else ''}"  # the initial term again
    elif renewal == 5:
        c.prose("The Services shall thereafter be automatically extended for one (1) or more three (3) month periods "
                "unless cancelled in writing.")
        c.fields["renewal_term"] = "successive 3 months"
    elif renewal == 6:
        c.prose("This Agreement may be renewed for one (1) additional six month period by written notice.")
        c.fields["renewal_term"] = "6 months"
    elif renewal == 0:
        c.prose("Thereafter this Agreement shall automatically renew for successive one-year periods unless either "
                "party gives notice of non-renewal at least sixty (60) days before the end of the then-current term.")
        c.fields["renewal_term"] = "successive 1 year"
    elif renewal == 1:
        c.prose("This Agreement will be automatically renewed for successive periods of twelve (12) months unless "
                "terminated by either party.")
        c.fields["renewal_term"] = "successive 12 months"
    elif renewal == 2:
        c.prose("This Agreement may be extended by mutual written agreement of the parties for one additional "
                "period of two (2) years.")
        c.fields["renewal_term"] = "2 years"
    else:
        c.prose("This Agreement shall not renew automatically.")
    state = rng.choice(STATES)
    c.prose(f"3. Governing Law. This Agreement shall be governed by and construed in accordance with the laws of the "
            f"State of {state}, without regard to its conflict of laws principles.")
    c.fields["governing_law"] = state
    if layout == 1 and witnessed:
        suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}.get(signed.day, "th")
        c.prose(f"IN WITNESS WHEREOF the parties have executed this Agreement on the {signed.day}{suffix} day of "
                f"{MONTHS_EN[signed.month - 1].upper()} , {signed.year}.")
    else:
        c.line("IN WITNESS WHEREOF, the parties have executed this Agreement as of the date first written above.")
    if layout == 3:
        # The company's officer signs "By:"; the employee signs under the role's label beside it.
        officer = rng.choice([p for p in PEOPLE_EN if p != person])
        c.cells((first.upper() + ":", 40), ("EMPLOYEE:", 600))
        if rng.random() < 0.5:
            c.cells((f"By: /s/ {officer}", 40), (f"/s/ {person}", 600))
            c.cells((officer, 40), (person, 600))
        else:
            c.cells((f"By: /s/ {officer}", 40), (f"{person} (Print Name)", 600))
        c.cells(("Title: Chief Executive Officer", 40), (f"Date: {signed.month}/{signed.day}/{signed.year}", 600))
    return c
