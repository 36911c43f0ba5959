"""Generated "other" documents — forms, brochures, letters, bank and tax forms — in Italian and
English, as the text the reading stage returns (one line per printed line, pages split by form
feeds).

They are built to be hard for a classifier that knows only invoices, receipts and contracts:
each one carries words those classes also use (Tel, IBAN, data, importo, cash, thank you, prices
in a brochure, a "Totale" on a tax form) next to the words of its own kind. Every document is
drawn from pools by a seed, so a test covers many combinations, not one template.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

FIRST = ["Mario", "Giulia", "Luca", "Francesca", "Paolo", "Anna", "John", "Sarah", "David", "Emma", "Marco", "Laura"]
LAST = ["Rossi", "Bianchi", "Esposito", "Romano", "Colombo", "Ricci", "Smith", "Jones", "Taylor", "Brown", "Conti"]
CITY_IT = ["Milano", "Torino", "Bologna", "Firenze", "Padova", "Bari", "Verona", "Genova"]
CITY_EN = ["London", "Leeds", "Bristol", "Manchester", "Dublin", "Glasgow", "Cardiff", "York"]
STREET_IT = ["Via Roma", "Corso Italia", "Via Garibaldi", "Piazza Duomo", "Viale Mazzini", "Via Verdi"]
STREET_EN = ["High Street", "Church Road", "Station Road", "Victoria Street", "Park Lane", "Mill Road"]
ORG_IT = ["Comune di {c}", "Istituto Comprensivo {c} 2", "Associazione Sportiva {c}", "ASL {c}", "Biblioteca civica di {c}",
          "Banca Popolare di {c}", "Cassa di Risparmio di {c}", "Ordine degli Ingegneri di {c}"]
ORG_EN = ["{c} City Council", "{c} Community Library", "{c} Sports Club", "{c} Building Society", "{c} Dental Practice",
          "University of {c}", "{c} Housing Association"]


@dataclass(frozen=True)
class OtherDoc:
    kind: str  # form, brochure, letter, bank_form, tax_form
    language: str
    text: str


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _date(rng: random.Random, language: str) -> str:
    d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2019, 2026)
    return f"{d:02d}/{m:02d}/{y}" if language == "it" else rng.choice([f"{d:02d}/{m:02d}/{y}", f"{d} March {y}"])


def _phone(rng: random.Random) -> str:
    return f"0{rng.randint(2, 99)} {rng.randint(100000, 9999999)}"


def _price(rng: random.Random, language: str) -> str:
    value = f"{rng.randint(5, 499)}{',' if language == 'it' else '.'}{rng.choice(['00', '90', '99', '50'])}"
    return f"€ {value}" if language == "it" else rng.choice([f"£{value}", f"€{value}"])


def _form_it(rng: random.Random) -> list[str]:
    city = rng.choice(CITY_IT)
    org = rng.choice(ORG_IT).format(c=city)
    title = rng.choice(["MODULO DI RICHIESTA", "DOMANDA DI ISCRIZIONE", "DICHIARAZIONE SOSTITUTIVA DI CERTIFICAZIONE",
                        "MODULO DI ADESIONE", "RICHIESTA DI RIMBORSO SPESE", "DOMANDA DI PARTECIPAZIONE AL BANDO",
                        "AUTOCERTIFICAZIONE"])
    lines = [org, f"{STREET_IT[rng.randrange(len(STREET_IT))]} {rng.randint(1, 90)} - {city}",
             f"Tel. {_phone(rng)} - www.{city.lower()}.it", "", title,
             rng.choice(["(art. 46 e 47 D.P.R. 28 dicembre 2000, n. 445)", "(compilare in stampatello)",
                         "Da consegnare all'ufficio protocollo entro il " + _date(rng, "it")]),
             "", "Il/La sottoscritto/a ____________________________",
             f"nato/a a ______________ il ____/____/______", "codice fiscale |_|_|_|_|_|_|_|_|_|_|_|_|_|_|_|_|",
             f"residente in ______________ via ______________ n. ___", "Tel. ______________ e-mail ______________"]
    lines += rng.sample([
        "CHIEDE", "DICHIARA", "consapevole delle sanzioni penali previste in caso di dichiarazioni mendaci",
        "di essere iscritto/a al corso di ______________", "[ ] di essere residente nel Comune di " + city,
        "[ ] di non aver riportato condanne penali", "il rimborso delle spese sostenute pari a euro ________",
        "l'iscrizione del/della proprio/a figlio/a al servizio di mensa scolastica",
        "Allega copia del documento di identità in corso di validità",
        "Barrare la casella che interessa", "Spazio riservato all'ufficio", "Protocollo n. ______ del ______",
        "Informativa sul trattamento dei dati personali ai sensi del Regolamento UE 2016/679",
        "I dati forniti saranno trattati esclusivamente per le finalità connesse alla presente domanda",
    ], k=rng.randint(6, 10))
    lines += ["", "Luogo e data ______________", "Firma del richiedente", "______________________"]
    return lines


def _form_en(rng: random.Random) -> list[str]:
    city = rng.choice(CITY_EN)
    org = rng.choice(ORG_EN).format(c=city)
    title = rng.choice(["APPLICATION FORM", "MEMBERSHIP APPLICATION", "REGISTRATION FORM", "CHANGE OF ADDRESS FORM",
                        "CLAIM FORM", "PATIENT REGISTRATION FORM", "REQUEST FOR INFORMATION"])
    lines = [org, f"{rng.randint(1, 200)} {rng.choice(STREET_EN)}, {city}", f"Tel {_phone(rng)}", "", title,
             "Please complete in BLOCK CAPITALS and return to the address above", "",
             "Section 1 - Your details", "Title: Mr / Mrs / Ms / Dr", "Surname: ______________",
             "First name(s): ______________", "Date of birth: __/__/____", "Address: ______________",
             "Postcode: ________  Telephone: ______________", "Email: ______________"]
    lines += rng.sample([
        "Section 2 - Declaration", "I declare that the information given on this form is correct and complete",
        "Please tick the boxes that apply", "[ ] I would like to receive the newsletter",
        "Check the appropriate box: [ ] new member [ ] renewal", "If yes, give details below",
        "Instructions: print or type all answers",
        "Office use only", "Reference: ________", "National Insurance number: ________",
        "If you need help completing this form please call us", "Continue on a separate sheet if necessary",
        "How did you hear about us?", "Emergency contact name and telephone number",
        "We will process your personal data in accordance with our privacy notice",
    ], k=rng.randint(6, 9))
    lines += ["", "Signature: ______________   Date: __________"]
    return lines


def _brochure_it(rng: random.Random) -> list[str]:
    city = rng.choice(CITY_IT)
    shop = rng.choice(["Arredamenti", "Ottica", "Palestra", "Agenzia Viaggi", "Centro Estetico", "Scuola di Lingue"])
    name = f"{shop} {rng.choice(LAST)}"
    lines = [name.upper(), rng.choice(["Scopri la nuova collezione", "Le nostre offerte di primavera",
                                        "Vieni a trovarci!", "Il benessere che meriti"]), ""]
    lines += rng.sample([
        f"Prezzi a partire da {_price(rng, 'it')}", "Offerta valida fino ad esaurimento scorte",
        f"Promozione valida dal {_date(rng, 'it')} al {_date(rng, 'it')}", "Sconti fino al 50% su tutta la collezione",
        "Prenota subito la tua prova gratuita", "Qualità e convenienza da oltre 30 anni", "Seguici su Facebook e Instagram",
        "Scarica la nostra app", "Iscriviti alla newsletter e ricevi un buono sconto", "Consegna e montaggio gratuiti",
        f"Pacchetto famiglia {_price(rng, 'it')} a persona", "Le immagini sono puramente indicative",
        "Finanziamento a tasso zero", "Parcheggio gratuito per i clienti", "Grazie per averci scelto",
    ], k=rng.randint(6, 10))
    lines += ["", f"{rng.choice(STREET_IT)} {rng.randint(1, 90)}, {city}", f"Tel. {_phone(rng)}",
              f"www.{name.split()[-1].lower()}.it", rng.choice(["Orari: lun-sab 9-19", "Aperto anche la domenica", ""])]
    return lines


def _brochure_en(rng: random.Random) -> list[str]:
    city = rng.choice(CITY_EN)
    name = f"{rng.choice(LAST)} {rng.choice(['Kitchens', 'Fitness', 'Travel', 'Garden Centre', 'Language School'])}"
    lines = [name.upper(), rng.choice(["Discover our new range", "Spring offers", "Your dream holiday starts here",
                                        "Feel better, live better"]), ""]
    lines += rng.sample([
        f"Prices from {_price(rng, 'en')}", "Offer ends soon - while stocks last", "Save up to 50% this season",
        "Book your free trial today", "Family run since 1985", "Follow us on Instagram", "Download our app",
        "Sign up to our newsletter for exclusive deals", "Free delivery and installation", "Terms and conditions apply",
        f"Family package {_price(rng, 'en')} per person", "Images for illustration only", "0% finance available",
        "Free parking for customers", "Thank you for choosing us", "Visit our showroom", "Call us today",
    ], k=rng.randint(6, 10))
    lines += ["", f"{rng.randint(1, 200)} {rng.choice(STREET_EN)}, {city}", f"Tel {_phone(rng)}",
              f"www.{name.split()[0].lower()}.co.uk"]
    return lines


def _letter_it(rng: random.Random) -> list[str]:
    city = rng.choice(CITY_IT)
    org = rng.choice(ORG_IT).format(c=city)
    lines = [org, f"{rng.choice(STREET_IT)} {rng.randint(1, 90)} - {city}", f"Tel. {_phone(rng)}", "",
             f"{city}, {_date(rng, 'it')}", "", rng.choice(["Gentile", "Egregio Sig.", "Spett.le"]) + f" {_person(rng)}",
             f"{rng.choice(STREET_IT)} {rng.randint(1, 90)}", f"{rng.randint(10000, 98000)} {rng.choice(CITY_IT)}", "",
             "Oggetto: " + rng.choice(["comunicazione variazione orari", "convocazione assemblea dei soci",
                                       "esito della Sua richiesta", "invito all'inaugurazione", "avviso di trasloco"]),
             "", rng.choice(["Gentile Cliente,", "Egregio Signore,", "Gentile Socio,"])]
    lines += rng.sample([
        "con la presente La informiamo che a partire dal prossimo mese i nostri uffici osserveranno un nuovo orario.",
        "Le comunichiamo che la Sua richiesta è stata accolta.",
        "La invitiamo a partecipare all'assemblea che si terrà presso la nostra sede.",
        "Per qualsiasi chiarimento il nostro personale resta a Sua disposizione.",
        "Nel ringraziarLa per la fiducia accordataci, cogliamo l'occasione per porgerLe i nostri migliori auguri.",
        "In allegato trova il programma dettagliato dell'iniziativa.",
        "Restiamo in attesa di un Suo cortese riscontro.",
    ], k=rng.randint(3, 6))
    lines += ["", rng.choice(["Cordiali saluti", "Distinti saluti", "Con i migliori saluti"]), _person(rng),
              rng.choice(["Il Direttore", "Il Presidente", "L'Ufficio Relazioni con il Pubblico"])]
    return lines


def _letter_en(rng: random.Random) -> list[str]:
    city = rng.choice(CITY_EN)
    org = rng.choice(ORG_EN).format(c=city)
    lines = [org, f"{rng.randint(1, 200)} {rng.choice(STREET_EN)}", city, f"Tel {_phone(rng)}", "", _date(rng, "en"), "",
             _person(rng), f"{rng.randint(1, 200)} {rng.choice(STREET_EN)}", rng.choice(CITY_EN), "",
             "Re: " + rng.choice(["your enquiry", "change of opening hours", "annual general meeting",
                                  "your application", "moving to new premises"]), "",
             rng.choice(["Dear Sir or Madam,", "Dear Member,", f"Dear Mr {rng.choice(LAST)},"])]
    lines += rng.sample([
        "Thank you for your letter of last week.",
        "I am writing to let you know that our offices will open at new times from next month.",
        "We are pleased to inform you that your application has been successful.",
        "You are warmly invited to attend our annual meeting at our main hall.",
        "Please do not hesitate to contact us if you have any questions.",
        "I enclose a leaflet with further information.",
        "We look forward to hearing from you.",
    ], k=rng.randint(3, 6))
    lines += ["", rng.choice(["Yours sincerely,", "Yours faithfully,", "Kind regards,"]), _person(rng),
              rng.choice(["Head of Customer Services", "Secretary", "Practice Manager"])]
    return lines


def _bank_form_it(rng: random.Random) -> list[str]:
    bank = rng.choice(["Banca Popolare di {c}", "Cassa di Risparmio di {c}", "Credito Cooperativo di {c}"]).format(
        c=rng.choice(CITY_IT))
    title = rng.choice(["MODULO DI AUTORIZZAZIONE ALL'ADDEBITO DIRETTO SEPA", "RICHIESTA DI APERTURA CONTO CORRENTE",
                        "MODULO DI DISPOSIZIONE DI BONIFICO", "RICHIESTA CARTA DI DEBITO"])
    lines = [bank, title, "", "Dati del titolare del conto", "Cognome e nome ______________",
             "Codice fiscale ______________", "Indirizzo ______________", "IBAN  IT __ _ _____ _____ ____________",
             "Codice BIC ______________"]
    lines += rng.sample([
        "Il sottoscritto autorizza la banca ad addebitare sul proprio conto le disposizioni del creditore",
        "Importo ________ euro", "Data di esecuzione ____/____/______", "Causale ______________",
        "Tipo di pagamento: [ ] ricorrente [ ] singolo", "Codice identificativo del creditore ______________",
        "Il titolare ha diritto di essere rimborsato dalla propria banca", "Foglio informativo disponibile in filiale",
        "Documento di riconoscimento: tipo ______ numero ______", "Spazio riservato alla filiale",
    ], k=rng.randint(5, 8))
    lines += ["", "Luogo e data ______________", "Firma del titolare ______________"]
    return lines


def _bank_form_en(rng: random.Random) -> list[str]:
    bank = f"{rng.choice(CITY_EN)} {rng.choice(['Building Society', 'Savings Bank', 'Credit Union'])}"
    title = rng.choice(["Instruction to your bank or building society to pay by Direct Debit", "ACCOUNT OPENING FORM",
                        "STANDING ORDER MANDATE", "CHANGE OF BANK DETAILS"])
    lines = [bank, title, "", "Name(s) of account holder(s) ______________", "Bank/building society account number",
             "_ _ _ _ _ _ _ _", "Branch sort code  __ - __ - __", "IBAN ______________  BIC ______________"]
    lines += rng.sample([
        "Please pay the originator Direct Debits from the account detailed in this instruction",
        "subject to the safeguards assured by the Direct Debit Guarantee", "Amount £ ________",
        "Date of first payment __/__/____", "Frequency: monthly / quarterly / annually", "Reference ______________",
        "Service user number", "Banks and building societies may not accept Direct Debit instructions for some types of account",
        "Please return this form to the address overleaf", "For bank use only",
    ], k=rng.randint(5, 8))
    lines += ["", "Signature(s) ______________", "Date __________"]
    return lines


def _tax_form_it(rng: random.Random) -> list[str]:
    lines = [rng.choice(["MODELLO F24", "MODELLO F24 SEMPLIFICATO", "DICHIARAZIONE IMU", "MODELLO 730/2024"]),
             "AGENZIA DELLE ENTRATE", rng.choice(["DELEGA IRREVOCABILE A:", "Dichiarazione dei redditi"]),
             "CONTRIBUENTE", "CODICE FISCALE ______________", "DATI ANAGRAFICI  cognome, denominazione o ragione sociale",
             "nome  data di nascita  sesso  comune di nascita  prov."]
    rows = [f"{rng.randint(1000, 3999)}  {rng.randint(1, 12):04d}  {rng.randint(2019, 2025)}  "
            f"{rng.randint(10, 999)},{rng.randint(0, 99):02d}" for _ in range(rng.randint(2, 4))]
    lines += rng.sample([
        "SEZIONE ERARIO", "codice tributo  rateazione/regione/prov./mese rif.  anno di riferimento  importi a debito versati",
        "SEZIONE IMU E ALTRI TRIBUTI LOCALI", "codice ente/codice comune", "ravv.  immob. variati  acc.  saldo  numero immobili",
        "Quadro RW - Investimenti e attività finanziarie all'estero", "Redditi dei terreni e dei fabbricati",
        "oneri detraibili e deducibili", "Firma del contribuente",
    ], k=rng.randint(4, 7)) + rows
    lines += [f"SALDO FINALE  EURO  {rng.randint(50, 3000)},{rng.randint(0, 99):02d}",
              "ESTREMI DEL VERSAMENTO (DA COMPILARE A CURA DI BANCA/POSTE/AGENTE DELLA RISCOSSIONE)",
              f"DATA {_date(rng, 'it')}  CODICE BANCA/POSTE/AGENTE DELLA RISCOSSIONE"]
    return lines


def _tax_form_en(rng: random.Random) -> list[str]:
    lines = [rng.choice(["Self Assessment Tax Return SA100", "P60 End of Year Certificate", "Council Tax Reduction Claim",
                         "Form W-9 Request for Taxpayer Identification Number"]),
             rng.choice(["HM Revenue & Customs", "Department of the Treasury - Internal Revenue Service",
                         f"{rng.choice(CITY_EN)} City Council"]),
             "Tax year 6 April 2023 to 5 April 2024", "Your name and address", "Unique Taxpayer Reference (UTR)",
             "National Insurance number"]
    lines += rng.sample([
        "Complete these boxes if you had income from employment", "Pay from this employment - the total from your P45 or P60",
        f"Total pay in this employment £{rng.randint(10000, 90000)}.{rng.randint(0, 99):02d}",
        f"Tax deducted £{rng.randint(1000, 20000)}.{rng.randint(0, 99):02d}", "Employer PAYE reference",
        "Part I Taxpayer Identification Number (TIN)", "Part II Certification", "Under penalties of perjury, I certify that",
        "Student loan deductions", "If you need more space, use the additional information box",
        "Tick if you are a director of the company", "Read the notes before completing this page",
        f"OMB No. {rng.randint(1000, 1999)}-{rng.randint(1, 999):04d}", "See separate instructions",
    ], k=rng.randint(5, 8))
    lines += ["Declaration: the information I have given on this tax return is correct and complete",
              "Signature __________  Date DD MM YYYY"]
    return lines


BUILDERS = {
    ("form", "it"): _form_it, ("form", "en"): _form_en,
    ("brochure", "it"): _brochure_it, ("brochure", "en"): _brochure_en,
    ("letter", "it"): _letter_it, ("letter", "en"): _letter_en,
    ("bank_form", "it"): _bank_form_it, ("bank_form", "en"): _bank_form_en,
    ("tax_form", "it"): _tax_form_it, ("tax_form", "en"): _tax_form_en,
}
KINDS = sorted({k for k, _ in BUILDERS})


def other_document(seed: int, kind: str | None = None, language: str | None = None) -> OtherDoc:
    rng = random.Random(seed)
    kind = kind or rng.choice(KINDS)
    language = language or rng.choice(["it", "en"])
    lines = [line for line in BUILDERS[(kind, language)](rng)]
    return OtherDoc(kind, language, "\n".join(lines) + "\n")
