"""Generated contracts (English and Italian) as positioned words, for WHO a contract binds, with the
parties as labelled (names as printed in the parties block, without aliases or titles):

- preambles naming one to five parties: "by and among A, a Delaware corporation ("Parent"), B, C
  and D (each a "Party")", numbered "(1) A and B, and (2) C, D and E", Italian "tra le società A,
  con sede in …, B … e C", "tra: 1) A …; 2) B …"; each party's legal form kept whole ("Inc.",
  "L.P.", "Co., Ltd.", "Incorporated", "S.r.l.", "S.p.A.", "S.n.c.");
- an individual who is a party ("and Jonathan R. Hale, an individual residing at …", "e il Sig.
  Mario Rossi, nato a …, C.F. …");
- a company named as the division of another ("Apex Media, a division of Marlow Analytics, Inc."):
  the company is the party;
- people who are not parties: officers signing "By: / Name: / Title:", a countersigner under
  "ACKNOWLEDGED AND AGREED: A, Inc. /s/ …", witnesses, a notary, the legal representative "in
  persona del legale rappresentante Sig. …", "per accettazione" signers of a company;
- defined terms that are not parties: a product, a brand, a show, premises ("the software known as
  Nimbus (hereinafter "Nimbus" or the "Software")", «Immobile», «Marchio»);
- a description "referred to in this Agreement as" that is not where the preamble ends.

Names and clauses come from pools written here, not from any corpus document.
"""

from __future__ import annotations

import random

from gen_contracts_it import Contract

COMPANIES_EN = ["Harbor Lane Capital, L.P.", "Kestrel Optics Co., Ltd.", "Marlow Analytics, Inc.",
                "Quillon Systems Incorporated", "Brightwater Holdings LLC", "Tamarind Foods Corporation",
                "Orchard Peak Partners L.P.", "Sable Ridge Ltd.", "Northgate Media PLC", "Verity Labs, Inc.",
                "Juniper Creek Energy, Inc.", "Halcyon Biotech Co., Ltd."]
DESCRIPTIONS_EN = ["a Delaware corporation", "a Delaware limited partnership", "a Japanese corporation",
                   "a Cayman Islands exempted company", "an Ohio corporation", "a New York limited liability company",
                   "a company organized under the laws of England and Wales"]
ALIASES_EN = ["Parent", "Buyer", "Seller", "Licensor", "Licensee", "Investor", "Guarantor"]
PEOPLE_EN = ["Jonathan R. Hale", "Maria Okafor", "Peter Lindqvist", "Susan K. Moreau", "Graham Whitlock"]
OFFICERS_EN = ["Laura Fenwick", "Arjun Mehta", "Daniel Brooks", "Claire Dubois", "Victor Ramsey"]
WITNESSES_EN = ["Helen Carter", "Oscar Nguyen", "Priya Raman"]
PRODUCTS_EN = [("software", "Nimbus", "Software"), ("television show", "Night Cast", "Show"),
               ("trademarks", "BlueHarbor", "Licensed Marks"), ("product line", "Everfresh", "Products")]

COMPANIES_IT = ["Arcobaleno Servizi S.r.l.", "Ferro & Legno S.p.A.", "Orsini Costruzioni S.n.c.",
                "Nordest Imballaggi S.r.l.", "Gallo Informatica S.r.l.", "Valpadana Alimenti S.p.A.",
                "Marino Trasporti S.a.s.", "Solaria Energia S.r.l.", "Tecnoverde S.r.l.s.", "Brenta Meccanica S.p.A."]
PEOPLE_IT = ["Mario Rossi", "Giulia Fontana", "Marco Esposito", "Elena Ricci", "Davide Colombo", "Sara Greco"]
CITIES_IT = ["Milano", "Torino", "Bologna", "Padova", "Bari", "Genova", "Verona", "Ancona"]
ROLES_IT = ["Fornitore", "Cliente", "Committente", "Appaltatore", "Garante", "Licenziante", "Licenziatario"]
PRODUCTS_IT = [("il software denominato «Gestio»", "Software"), ("il marchio «Fiorella»", "Marchio"),
               ("l'immobile sito in Via Garibaldi 8", "Immobile"), ("il prodotto «Lumen»", "Prodotto")]


def _english_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _sign_en(c: Contract, name: str, officer: str, rng: random.Random) -> None:
    c.line(name.upper() if rng.random() < 0.5 else name)
    c.line(f"By: /s/ {officer}")
    c.line(f"Name: {officer}")
    c.line(f"Title: {rng.choice(['President', 'Chief Executive Officer', 'General Partner', 'Director'])}")


def undertaking_en(seed: int, *, scanned: bool = False) -> Contract:
    """An employee's or a consultant's undertaking: the company named by the opening ("As a
    condition of my employment with ACME, Inc."), the individual only by their signature, which
    sits among people who are not parties: a witness, the company's officer countersigning under
    "ACKNOWLEDGED AND AGREED: ACME, Inc.", a notary. Both the company and the individual are parties.
    ``scanned``: the signature's initial read by OCR with a comma ("/s/ Jonathan R, Hale")."""
    rng = random.Random(seed)
    style = seed % 4
    c = Contract()
    company = rng.choice(COMPANIES_EN)
    person = rng.choice(PEOPLE_EN)
    officer, witness, notary = rng.sample(OFFICERS_EN + WITNESSES_EN, 3)
    c.line("CONFIDENTIAL INFORMATION AND INVENTION ASSIGNMENT AGREEMENT")
    c.prose(f"As a condition of my {rng.choice(['employment', 'relationship', 'consulting engagement'])} with "
            f"{company}, its subsidiaries, affiliates, successors or assigns (together the \u201cCompany\u201d), "
            f"and in consideration of the compensation paid to me by the Company, I agree to the following:")
    c.prose("1. Confidential Information. I agree at all times to hold in strictest confidence the Confidential "
            "Information of the Company. 2. Governing Law. This Agreement shall be governed by the laws of the "
            "State of California.")
    c.line("IN WITNESS WHEREOF, the undersigned has executed this Agreement as of March 27, 2013.")
    signed = person.replace(". ", ", ") if scanned else person
    if style == 0:
        c.line(f"Date: March 27, 2013 /s/ {signed.upper()}")
        c.line(f"Signature {person.upper()}")
    elif style == 1:
        c.line(f"By: /s/ {signed}")
        c.line(f"Name: {person}")
        c.line("Address: 12 Elm Street, Palo Alto")
    elif style == 2:
        c.line(f"/s/ {signed}")
        c.line(f"{person} (Print Name)")
    else:
        c.line(f"EMPLOYEE: /s/ {signed}")
    witnessing = rng.randrange(3)
    if witnessing == 0:
        c.line(f"Witness: /s/ {witness}")
        c.line(f"Signature {witness} Name (typed or printed)")
    elif witnessing == 1:
        c.line(f"Witness By: /s/ {witness}")
        c.line(f"Name: {witness}")
    if rng.random() < 0.6:
        c.line(f"ACKNOWLEDGED AND AGREED: {company}")
        c.line(f"/s/ {officer}")
    if rng.random() < 0.4:
        c.prose(f"Subscribed and sworn to before me this 3rd day of May, 2013. /s/ {notary} Notary Public")
    c.fields["parties"] = [company, person]
    return c


def parties_en(seed: int) -> Contract:
    """An English contract naming one to five parties in one of six preamble styles."""
    rng = random.Random(seed)
    style = seed % 6
    c = Contract()
    count = [4, 2, 5, 2, 2, 3][style] if seed % 12 < 6 else [3, 2, 5, 2, 2, 5][style]
    companies = rng.sample(COMPANIES_EN, count)
    person = rng.choice(PEOPLE_EN)
    officers = rng.sample(OFFICERS_EN, 5)
    title = rng.choice(["LICENSE AGREEMENT", "JOINT VENTURE AGREEMENT", "SPONSORSHIP AGREEMENT", "SERVICES AGREEMENT"])
    c.line(title)
    people: list[str] = []
    if style == 0:  # many companies, each described, some aliased, then the collective alias
        items = []
        for i, name in enumerate(companies):
            item = name
            if rng.random() < 0.7:
                item += f", {rng.choice(DESCRIPTIONS_EN)}"
            if i < len(ALIASES_EN) and rng.random() < 0.6:
                item += f" (\u201c{ALIASES_EN[i]}\u201d)"
            items.append(item)
        c.prose(f"This {title.title()} (this \u201cAgreement\u201d) is entered into as of March 3, 2019 by and "
                f"among {_english_list(items)} (each a \u201cParty\u201d and together the \u201cParties\u201d).")
        parties = companies
    elif style == 1:  # a company and an individual
        c.prose(f"This {title.title()} is made by and between {companies[0]}, {rng.choice(DESCRIPTIONS_EN)} "
                f"(the \u201cCompany\u201d), and {person}, an individual residing at 12 Elm Street, Boston, "
                f"Massachusetts (\u201cConsultant\u201d).")
        parties = [companies[0], person]
        people = [person]
    elif style == 2:  # numbered groups
        first, second = companies[:2], companies[2:]
        c.prose(f"This {title.title()} is made and entered into effective as of June 1, 2020 by and among (1) "
                f"{first[0]}, {rng.choice(DESCRIPTIONS_EN)} (\u201c{first[0].split()[0]}\u201d) and {first[1]}, "
                f"{rng.choice(DESCRIPTIONS_EN)}, and (2) {second[0]}, {rng.choice(DESCRIPTIONS_EN)} "
                f"(\u201c{second[0].split()[0]}\u201d), {second[1]}, {rng.choice(DESCRIPTIONS_EN)} "
                f"(\u201c{second[1].split()[0]} Holding\u201d) and {second[2]}, {rng.choice(DESCRIPTIONS_EN)}.")
        parties = companies
    elif style == 3:  # a division of a company
        division = rng.choice(["Apex Media", "Summit Creative", "Lantern Studios"])
        c.prose(f"This {title.title()} (\u201cAgreement\u201d) is entered into as of May 4, 2018, by and between "
                f"{division}, a division of {companies[0]} (\u201c{division.split()[0]}\u201d) with offices at 300 "
                f"Harbor Road, Toledo, Ohio and {companies[1]} (\u201c{companies[1].split()[0]}\u201d) with "
                f"offices at 41 Lake Street, Chicago.")
        parties = companies
    elif style == 4:  # described "referred to in this Agreement as"
        short = [n.split()[0] for n in companies]
        c.prose(f"THIS AGREEMENT made this 5th day of December, 2017, between {companies[0]}, "
                f"{rng.choice(DESCRIPTIONS_EN)}, whose principal place of business is located at 8 Mill Lane, "
                f"Springfield, Ohio, referred to in this Agreement as \u201cCompany\u201d or \u201c{short[0]}\u201d, and "
                f"{companies[1]}, {rng.choice(DESCRIPTIONS_EN)}, referred to in this Agreement as \u201cSponsor\u201d "
                f"or \u201c{short[1]}\u201d.")
        parties = companies
    else:  # plain list with a lower-case brand and a name ending in "Incorporated"
        names = companies[:-1] + ["e-volve interactive"]
        items = [f"{n}, {rng.choice(DESCRIPTIONS_EN)}" for n in names]
        c.prose(f"This {title.title()} is entered into by and among {_english_list(items)}.")
        parties = names
    kind, product, alias = rng.choice(PRODUCTS_EN)
    c.prose(f"WHEREAS, the Company owns the {kind} known as {product} (hereinafter \u201c{product}\u201d or the "
            f"\u201c{alias}\u201d);")
    c.prose("NOW, THEREFORE, the Parties agree as follows: 1. Grant. The Company grants the rights set out in "
            "this Agreement. 2. Governing Law. This Agreement shall be governed by the laws of the State of New York.")
    c.line("IN WITNESS WHEREOF, the parties have executed this Agreement as of the date first above written.")
    for i, name in enumerate(parties):
        if name in people:
            c.line(f"/s/ {name}")
            c.line(name)
            if rng.random() < 0.6:
                c.line(f"Witness: /s/ {rng.choice(WITNESSES_EN)}")
        else:
            _sign_en(c, name, officers[i], rng)
    if rng.random() < 0.5:
        c.line(f"ACKNOWLEDGED AND AGREED: {parties[0]}")
        c.line(f"/s/ {officers[-1]}")
    if rng.random() < 0.4:
        c.prose(f"Subscribed and sworn to before me this 3rd day of May, 2019. /s/ {rng.choice(WITNESSES_EN)} "
                f"Notary Public")
    c.fields["parties"] = parties
    return c


def _company_it(name: str, rng: random.Random, *, representative: bool = True) -> str:
    city = rng.choice(CITIES_IT)
    text = f"{name}, con sede in {city}, Via Roma {rng.randrange(1, 90)}, P.IVA 0{rng.randrange(10**9, 10**10)}"
    if representative:
        title = rng.choice(["Sig.", "Dott.", "Sig.ra", "Ing."])
        text += f", in persona del legale rappresentante pro tempore {title} {rng.choice(PEOPLE_IT)}"
    return text


# Names as Italian companies also print them: in capitals, the form without dots, a limited
# partnership named after its partner.
COMPANIES_IT_PRINTED = ["ROSSI IMPIANTI SRL", "Edilnord SpA", "Vetreria Moretti s.n.c.",
                        "Bianchi & Figli S.a.s. di Luca Bianchi & C.", "TERMOIDRAULICA BASSI S.R.L.",
                        "Cantine Serra Srl"]
NUMBERS_IT = ["duemilaventiquattro", "duemilaventicinque", "duemilaventisei"]


def parties_it(seed: int) -> Contract:
    """An Italian contract naming two to five parties in one of eight preamble styles: a list
    "tra le società A, B e C", a company and a person, a numbered list, a short list, a letter
    ("Spett.le B … con la presente A conferma a B"), a notarial deed ("sono comparsi: il Sig. X …
    in qualità di legale rappresentante della società A …; la Sig.ra Y …"), names printed in
    capitals or without dots, a guarantor joining ("con l'intervento di C … in qualità di garante")."""
    rng = random.Random(seed)
    style = seed % 8
    if style >= 4:
        return _parties_it_more(seed, style, rng)
    c = Contract()
    count = [3, 2, 4, 3][style] if seed % 16 < 8 else [4, 2, 5, 2][style]
    companies = rng.sample(COMPANIES_IT, count)
    person = rng.choice(PEOPLE_IT)
    roles = rng.sample(ROLES_IT, 5)
    c.line(rng.choice(["CONTRATTO DI FORNITURA", "CONTRATTO DI LICENZA", "ACCORDO QUADRO", "CONTRATTO DI APPALTO"]))
    if style == 0:  # "tra le società A, …, B, … e C, …"
        items = [f"{_company_it(n, rng)} (di seguito il «{roles[i]}»)" if rng.random() < 0.5 else _company_it(n, rng)
                 for i, n in enumerate(companies)]
        text = ", ".join(items[:-1]) + " e " + items[-1]
        c.prose(f"Il presente contratto è stipulato tra le società {text} (di seguito congiuntamente le «Parti»).")
        parties = companies
    elif style == 1:  # a company and an individual
        c.prose(f"Il presente contratto è stipulato tra {_company_it(companies[0], rng)} (di seguito il «{roles[0]}») "
                f"e il Sig. {person}, nato a {rng.choice(CITIES_IT)} il 3 marzo 1975, C.F. RSSMRA75C03A662X, "
                f"residente in {rng.choice(CITIES_IT)}, Via Verdi 4 (di seguito il «{roles[1]}»).")
        parties = [companies[0], person]
    elif style == 2:  # numbered
        items = [f"{i + 1}) {_company_it(n, rng)} (di seguito «{roles[i]}»)" for i, n in enumerate(companies)]
        c.line("TRA")
        for item in items:
            c.prose(item + ";")
        parties = companies
    else:  # short list
        c.prose(f"Con la presente scrittura privata, tra {', '.join(companies[:-1])} e {companies[-1]} si conviene "
                f"quanto segue.")
        parties = companies
    what, alias = rng.choice(PRODUCTS_IT)
    c.prose(f"Premesso che il {roles[0]} è titolare di {what} (di seguito il «{alias}»), si conviene quanto segue.")
    c.prose("Art. 1 – Oggetto. Le Parti convengono quanto segue. Art. 2 – Legge applicabile. Il presente "
            "contratto è regolato dalla legge italiana.")
    c.line("Letto, confermato e sottoscritto.")
    for name in parties:
        if name == person:
            c.line("Per accettazione")
            c.line(name)
        else:
            c.line(f"Per {name}")
            c.line(f"Il legale rappresentante Sig. {rng.choice(PEOPLE_IT)}")
    if rng.random() < 0.5:
        c.line("Per accettazione")
        c.line(f"{rng.choice(PEOPLE_IT)}")
    if rng.random() < 0.3:
        c.line(f"Visto per l'autentica delle firme: Dott. {rng.choice(PEOPLE_IT)}, Notaio in {rng.choice(CITIES_IT)}")
    c.fields["parties"] = parties
    return c


def _sign_it(c: Contract, parties: list[str], people: list[str], rng: random.Random) -> None:
    c.line("Letto, confermato e sottoscritto.")
    for name in parties:
        if name in people:
            c.line("Per accettazione")
            c.line(name)
        else:
            c.line(f"Per {name}")
            c.line(f"Il legale rappresentante Sig. {rng.choice(PEOPLE_IT)}")


def _parties_it_more(seed: int, style: int, rng: random.Random) -> Contract:
    c = Contract()
    city = rng.choice(CITIES_IT)
    people: list[str] = []
    if style == 4:  # a letter: the sender's head, "Spett.le" the addressee, "con la presente A conferma a B"
        a, b = rng.sample(COMPANIES_IT + COMPANIES_IT_PRINTED, 2)
        c.line(a)
        c.line(f"Via Trieste {rng.randrange(1, 99)}, {city} – P.IVA 0{rng.randrange(10**9, 10**10)}")
        c.line(f"Spett.le {b}")
        c.line(f"Via Manzoni {rng.randrange(1, 99)}, {rng.choice(CITIES_IT)}")
        c.line(f"{city}, 12/03/2025")
        c.line("Oggetto: Contratto di manutenzione")
        c.prose(f"Egregi Signori, con la presente {a} (di seguito il «Fornitore») conferma a {b} (di seguito il "
                f"«Committente») l'accordo raggiunto, alle condizioni che seguono.")
        parties = [a, b]
    elif style == 5:  # a notarial deed
        a = rng.choice(COMPANIES_IT + COMPANIES_IT_PRINTED)
        rep, person = rng.sample(PEOPLE_IT, 2)
        notary = rng.choice(["Paolo Neri", "Anna Ferraris", "Stefano Villa"])
        c.prose(f"L'anno {rng.choice(NUMBERS_IT)}, il giorno dodici del mese di marzo, in {city}, avanti a me Dott. "
                f"{notary}, Notaio in {city}, iscritto nel Collegio Notarile di {city}, sono comparsi: il Sig. {rep}, "
                f"nato a {rng.choice(CITIES_IT)} il 4 aprile 1968, il quale interviene al presente atto in qualità di "
                f"legale rappresentante della società {a}, con sede in {city}, P.IVA 0{rng.randrange(10**9, 10**10)} "
                f"(di seguito la «Parte Venditrice»); la Sig.ra {person}, nata a {rng.choice(CITIES_IT)} il 9 "
                f"settembre 1979, C.F. FNTGLI79P49F205Z, residente in {rng.choice(CITIES_IT)} (di seguito la «Parte "
                f"Acquirente»).")
        c.prose(f"Detti comparenti, della cui identità personale io Notaio sono certo, mi richiedono di ricevere il "
                f"presente atto.")
        parties = [a, person]
        people = [person]
    elif style == 6:  # names in capitals or without dots
        a, b = rng.sample(COMPANIES_IT_PRINTED, 2)
        c.prose(f"Il presente contratto è concluso tra {_company_it(a, rng)} (di seguito il «Fornitore») e "
                f"{_company_it(b, rng, representative=False)} (di seguito il «Cliente»).")
        parties = [a, b]
    else:  # a guarantor joins the two parties, a company in the preamble or a person in a sentence of its own
        a, b, g = rng.sample(COMPANIES_IT + COMPANIES_IT_PRINTED, 3)
        if seed % 16 == 7:
            c.prose(f"Il presente contratto di locazione è stipulato tra {_company_it(a, rng)} (di seguito il "
                    f"«Locatore») e {_company_it(b, rng)} (di seguito il «Conduttore»), con l'intervento di "
                    f"{_company_it(g, rng, representative=False)}, in qualità di fideiussore (di seguito il "
                    f"«Garante»).")
        else:
            g = rng.choice(PEOPLE_IT)
            c.prose(f"Il presente contratto di locazione è stipulato tra {_company_it(a, rng)} (di seguito il "
                    f"«Locatore») e {_company_it(b, rng)} (di seguito il «Conduttore»).")
            c.prose(f"Interviene al presente contratto, in qualità di fideiussore, il Sig. {g}, nato a "
                    f"{rng.choice(CITIES_IT)} il 2 febbraio 1960, C.F. RSSMRA60B02F205X, residente in "
                    f"{rng.choice(CITIES_IT)} (di seguito il «Garante»).")
            people = [g]
        parties = [a, b, g]
    what, alias = rng.choice(PRODUCTS_IT)
    c.prose(f"Premesso che il Fornitore è titolare di {what} (di seguito il «{alias}»), si conviene quanto segue.")
    c.prose("Art. 1 – Oggetto. Le Parti convengono quanto segue. Art. 2 – Legge applicabile. Il presente "
            "contratto è regolato dalla legge italiana.")
    _sign_it(c, parties, people, rng)
    c.fields["parties"] = parties
    return c


LONG_COMPANIES_IT = ["Costruzioni Meccaniche Riunite S.r.l.", "Nordest Imballaggi Industriali S.p.A.",
                     "Bianchi & Figli S.a.s. di Luca Bianchi & C.", "Cooperativa Agricola Valle Verde Soc. Coop.",
                     "Officine Elettromeccaniche Lombarde S.r.l.", "Trasporti Internazionali Adriatici S.p.A."]


def tables_it(seed: int) -> Contract:
    """An Italian contract whose parties sit in a table with names too long for their cell: the
    name wraps onto the next line ("Denominazione: Costruzioni Meccaniche" over "Riunite S.r.l.").
    Three layouts: label and name in one cell, label and name in cells side by side, a role
    row ("Fornitore | Costruzioni Meccaniche Riunite" over "S.r.l., con sede in …")."""
    rng = random.Random(seed)
    layout = seed % 3
    a, b = rng.sample(LONG_COMPANIES_IT, 2)

    def wrapped(name: str) -> tuple[str, str]:
        words = name.split()
        cut = len(words) - rng.choice([1, 2]) if len(words) > 3 else len(words) - 1
        return " ".join(words[:cut]), " ".join(words[cut:])

    (a1, a2), (b1, b2) = wrapped(a), wrapped(b)
    c = Contract()
    c.line(rng.choice(["CONTRATTO DI FORNITURA", "CONTRATTO DI APPALTO DI SERVIZI", "CONTRATTO DI LICENZA"]))
    if layout == 0:
        c.line("TRA LE PARTI")
        c.cells((f"Denominazione: {a1}", 40), (f"Denominazione: {b1}", 640))
        c.cells((a2, 40), (b2, 640))
        c.cells(("Sede legale: Via Roma 12, Milano", 40), ("Sede legale: Corso Italia 5, Bari", 640))
        c.cells(("P.IVA: 01234567897", 40), ("P.IVA: 09876543217", 640))
    elif layout == 1:
        c.line("TRA LE PARTI")
        c.cells(("Denominazione", 40), (a1, 260), ("Denominazione", 680), (b1, 860))
        c.cells((a2, 260), (b2, 860))
        c.cells(("Sede legale", 40), ("Via Roma 12", 260), ("Sede legale", 680), ("Corso Italia 5", 860))
    else:
        roles = rng.choice([("Fornitore", "Cliente"), ("Committente", "Appaltatore"), ("Licenziante", "Licenziatario"),
                            ("Ditta Manutentrice", "Committente")])
        c.line("CONDIZIONI PARTICOLARI")
        c.cells(("Contratto n.", 40), (f"{rng.randrange(2020, 2027)}/{rng.randrange(10, 999)}", 260))
        first, _, rest = roles[0].partition(" ")
        c.cells((first, 40), (a1, 260))  # a role of two words wraps with the name beside it
        c.cells(*([(rest, 40)] if rest else []), (f"{a2}, con sede in Via Roma 12, Milano, P.IVA 01234567897", 260))
        c.cells((roles[1], 40), (f"{b}, con sede in Corso Italia 5, Bari", 260))
    c.prose("Art. 1 – Oggetto. Le Parti convengono quanto segue. Art. 2 – Legge applicabile. Il presente "
            "contratto è regolato dalla legge italiana.")
    c.line("Letto, confermato e sottoscritto.")
    c.cells(("Per il Fornitore", 40), ("Per il Cliente", 600))
    c.fields["parties"] = [a, b]
    return c
