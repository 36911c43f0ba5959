"""Generated Italian contracts as positioned words, with the fields they state: parties in a
prose preamble, a label table or role rows; signature, effective and end dates in the forms
Italian contracts print them (numeric, in words, a range, a duration, "dalla data di
sottoscrizione"); renewal and governing-law clauses; a court clause and birth dates as
distractors. Names and clauses come from pools written here, not from any corpus document."""

from __future__ import annotations

import calendar
import datetime as dt
import random
from dataclasses import dataclass, field

from pipeline.records import Page, Word

COMPANIES = ["Arcobaleno Servizi S.r.l.", "Ferro & Legno S.p.A.", "Tecnoverde S.r.l.s.", "Lumina Logistica S.p.A.",
             "Orsini Costruzioni S.n.c.", "Nordest Imballaggi S.r.l.", "Gallo Informatica S.r.l.",
             "Valpadana Alimenti S.p.A.", "Marino Trasporti S.a.s.", "Solaria Energia S.r.l."]
PEOPLE = ["Giulia Fontana", "Marco Esposito", "Elena Ricci", "Davide Colombo", "Sara Greco", "Luca Bruno"]
CITIES = ["Milano", "Torino", "Bologna", "Padova", "Bari", "Genova", "Verona", "Ancona"]
MONTHS = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
          "ottobre", "novembre", "dicembre"]
WORDS = {1: "uno", 2: "due", 3: "tre", 4: "quattro", 5: "cinque", 6: "sei", 12: "dodici", 18: "diciotto",
         24: "ventiquattro", 36: "trentasei"}
ROLES = [("Fornitore", "Cliente"), ("Locatore", "Conduttore"), ("Committente", "Appaltatore"),
         ("Licenziante", "Licenziatario"), ("Comodante", "Comodatario")]


@dataclass
class Contract:
    rows: list[list[tuple[str, float]]] = field(default_factory=list)
    fields: dict = field(default_factory=dict)

    def line(self, text: str, x: float = 40) -> None:
        self.rows.append(_words(text, x))

    def prose(self, text: str) -> None:
        words, current = text.split(), []
        for word in words:
            if sum(len(w) + 1 for w in current) + len(word) > 90:
                self.line(" ".join(current))
                current = []
            current.append(word)
        if current:
            self.line(" ".join(current))

    def cells(self, *cells: tuple[str, float]) -> None:
        row: list[tuple[str, float]] = []
        for text, x in cells:
            row += _words(text, x)
        self.rows.append(row)

    def page(self) -> Page:
        words, height = [], 20
        for r, row in enumerate(self.rows):
            y = 100 + 30 * r
            for text, x in row:
                words.append(Word(text, x, y, x + 9 * len(text), y + height, 95.0, r))
        return Page(number=1, width=1200, height=100 + 30 * len(self.rows) + 100, words=words, method="text")


def _words(text: str, x: float) -> list[tuple[str, float]]:
    out = []
    for word in text.split():
        out.append((word, x))
        x += 9 * len(word) + 9
    return out


def printed(date: dt.date, rng: random.Random) -> str:
    style = rng.randrange(4)
    if style == 0:
        return date.strftime("%d/%m/%Y")
    if style == 1:
        return date.strftime("%d-%m-%Y")
    day = "1°" if date.day == 1 and style == 3 else str(date.day)
    return f"{day} {MONTHS[date.month - 1]} {date.year}"


def count_words(n: int, rng: random.Random) -> str:
    word = WORDS.get(n)
    style = rng.randrange(3) if word else 0
    return [str(n), f"{n} ({word})", f"{word} ({n})"][style]


def end_of_term(start: dt.date, months: int) -> dt.date:
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return dt.date(year, month + 1, day) - dt.timedelta(days=1)


def contract(seed: int) -> Contract:
    rng = random.Random(seed)
    c = Contract()
    first, second = rng.sample(COMPANIES + PEOPLE[:2], 2)
    roles = rng.choice(ROLES)
    city, court = rng.sample(CITIES, 2)
    signed = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(700))
    c.fields["parties"] = [first, second]
    c.fields["agreement_date"] = signed.isoformat()

    c.line(rng.choice(["CONTRATTO DI FORNITURA", "CONTRATTO DI LOCAZIONE AD USO COMMERCIALE",
                       "CONTRATTO DI APPALTO DI SERVIZI", "CONTRATTO DI LICENZA D'USO"]))
    layout = rng.randrange(3)
    if layout == 0:
        c.prose(f"Il presente contratto è stipulato tra {first}, con sede in Via Roma 12, {city}, P.IVA 01234567897, "
                f"in persona del legale rappresentante pro tempore Sig. {rng.choice(PEOPLE)}, nato a {court} il "
                f"{printed(dt.date(1970 + rng.randrange(20), 3, 14), rng)} (di seguito il «{roles[0]}»)")
        c.prose(f"e {second}, con sede in Corso Italia 5, {court} (di seguito il «{roles[1]}»).")
    elif layout == 1:
        c.line("TRA LE PARTI")
        c.cells((f"Denominazione: {first}", 40), (f"Denominazione: {second}", 600))
        c.cells(("Sede legale: Via Roma 12", 40), ("Sede legale: Corso Italia 5", 600))
    else:
        c.line("CONDIZIONI PARTICOLARI")
        c.cells((roles[0], 40), (f"{first}, con sede in Via Roma 12, {city}, P.IVA 01234567897", 260))
        c.cells((roles[1], 40), (f"{second}, con sede in Corso Italia 5, {court}", 260))

    c.prose("Art. 1 – Oggetto. Le Parti convengono quanto segue, ai sensi del D.Lgs. 9 ottobre 2002, n. 231.")
    # The term.
    effective = signed if rng.random() < 0.3 else signed + dt.timedelta(days=rng.randrange(1, 60))
    months = rng.choice([6, 12, 18, 24, 36])
    years = months // 12 if months % 12 == 0 and rng.random() < 0.6 else None
    duration = f"{count_words(years, rng)} {'anno' if years == 1 else 'anni'}" if years else f"{count_words(months, rng)} mesi"
    end = end_of_term(effective, months)
    style = rng.randrange(4)
    if style == 0 and effective == signed:
        c.prose(f"Art. 2 – Durata. Il contratto decorre dalla data di sottoscrizione e ha una durata di {duration}.")
    elif style == 1:
        c.prose(f"Art. 2 – Durata. Il contratto ha validità dal {printed(effective, rng)} al {printed(end, rng)}.")
    elif style == 2:
        c.prose(f"Art. 2 – Durata. Il contratto ha effetto dal {printed(effective, rng)} e resterà in vigore "
                f"fino al {printed(end, rng)}.")
    else:
        c.prose(f"Art. 2 – Durata. Con decorrenza dal {printed(effective, rng)}, il contratto avrà una durata di "
                f"{duration}.")
    c.fields["effective_date"] = effective.isoformat()
    c.fields["expiration_date"] = end.isoformat()
    # Renewal.
    renewal = rng.randrange(4)
    if renewal == 0:
        c.prose("Alla scadenza il contratto si rinnoverà tacitamente di anno in anno, salvo disdetta da inviarsi con "
                "preavviso di tre mesi.")
        c.fields["renewal_term"] = "successive 1 year"
    elif renewal == 1:
        n = rng.choice([1, 2, 3])
        c.prose(f"In mancanza di disdetta il contratto si intenderà tacitamente rinnovato per successivi periodi di "
                f"{count_words(n, rng)} {'anno' if n == 1 else 'anni'} ciascuno.")
        c.fields["renewal_term"] = f"successive {n} year{'s' if n > 1 else ''}"
    elif renewal == 2:
        n = rng.choice([1, 2])
        c.prose(f"Alla scadenza il contratto potrà essere prorogato per un ulteriore periodo di {count_words(n, rng)} "
                f"{'anno' if n == 1 else 'anni'}.")
        c.fields["renewal_term"] = f"{n} year{'s' if n > 1 else ''}"
    else:
        c.prose("Alla scadenza il contratto cesserà senza necessità di disdetta, essendo escluso il tacito rinnovo.")
    # Law and court.
    law = rng.randrange(5)
    sentence = ["Il presente contratto è regolato dalla legge italiana.",
                "Il presente accordo è soggetto alla legislazione italiana.",
                "Il contratto è retto dal diritto italiano.",
                "Il presente contratto è sottoposto alla legge della Repubblica Italiana.",
                None][law]
    if sentence:
        c.prose(f"Art. 8 – Legge applicabile. {sentence}")
        c.fields["governing_law"] = "Italy"
    c.prose(f"Art. 9 – Foro competente. Per ogni controversia sarà competente in via esclusiva il Foro di {court}.")
    c.line("Letto, approvato e sottoscritto.")
    if rng.random() < 0.5:
        c.line(f"{city}, lì {printed(signed, rng)}")
    else:
        c.line(f"Luogo e data: {city}, {printed(signed, rng)}")
    c.cells((f"Per il {roles[0]}", 40), (f"Per il {roles[1]}", 600))
    return c
