"""A fixed, small archive of records for the index tests: what extraction would have filed for a
few Italian invoices, English receipts, contracts and a letter.

Each record's text is written for the behaviour a test proves: only the singular "fattura" and
"contratto" appear (plurals must come through stemming), "Città" only with its accent, one
invoice number and one VAT id unique to one document.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from docgen import valid_italian_iban, valid_partita_iva

from pipeline.records import ExtractedField, Record, Source

_rng = random.Random(20240501)
VAT_ROSSI = valid_partita_iva(_rng)
VAT_BIANCHI = valid_partita_iva(_rng)
IBAN_ROSSI = valid_italian_iban(_rng)
BASE_TIME = dt.datetime(2024, 6, 1, 9, 0, tzinfo=dt.timezone.utc)


def make_record(key: str, doc_class: str, text: str, *, filename: str, folder: str = "", language: str = "it",
                needs_review: bool = False, minutes: int = 0, version: int = 1, **fields: object) -> Record:
    sha = hashlib.sha256(key.encode()).hexdigest()
    return Record(
        id=sha, sha256=sha, size=len(text), media_type="application/pdf",
        source=Source(filename=filename, folder=folder, received_at=BASE_TIME),
        **{"class": doc_class}, class_confidence=0.9, language=language, pages=1, text=text,
        fields={name: ExtractedField(value=value, raw=str(value), confidence=0.9) for name, value in fields.items()},
        needs_review=needs_review, ingested_at=BASE_TIME + dt.timedelta(minutes=minutes), version=version,
    )


def records() -> list[Record]:
    return [
        make_record(
            "inv-rossi", "invoice",
            f"Cartoleria Rossi S.r.l.\nVia Garibaldi 12, Città di Castello\nP.IVA {VAT_ROSSI}\nFATTURA\n"
            "Fattura n. 123/FE\nData: 15/03/2024\nSpett.le Comune di Bergamo\nRisma carta A4 5 4,50 22,50\n"
            f"Toner nero 2 606,00 1.212,00\nTotale documento € 1.234,50\nIBAN: {IBAN_ROSSI}",
            filename="fattura_123.pdf", folder="fornitori/2024", minutes=1,
            number="123/FE", date="2024-03-15", total_amount="1234.50", currency="EUR", vendor_vat=VAT_ROSSI,
            vendor_name="Cartoleria Rossi S.r.l.", iban=IBAN_ROSSI),
        make_record(
            "inv-bianchi", "invoice",
            f"Idraulica Bianchi S.n.c.\nVia Roma 3, Torino\nP.IVA {VAT_BIANCHI}\nFattura n. 45/A\nData: 02/04/2024\n"
            "Manutenzione impianto termico 1 250,00\nTotale documento € 305,00\nPagamento: bonifico bancario",
            filename="scan_0042.pdf", folder="fornitori/2024", needs_review=True, minutes=2,
            number="45/A", date="2024-04-02", total_amount="305.00", currency="EUR", vendor_vat=VAT_BIANCHI,
            vendor_name="Idraulica Bianchi S.n.c."),
        make_record(
            "inv-verdi", "invoice",
            "Tipografia Verdi S.p.A.\nFattura n. 7/2024\nData: 20/04/2024\nStampa brochure 500 copie\n"
            "Totale documento € 89,90",
            filename="verdi.pdf", folder="fornitori-vecchi", minutes=3,
            number="7/2024", date="2024-04-20", total_amount="89.90", currency="EUR",
            vendor_name="Tipografia Verdi S.p.A."),
        make_record(
            "rcpt-grocer", "receipt",
            "CORNER GROCER LTD\n12 High Street\nRECEIPT\nMilk 1L 1.20\nBread loaf 2.10\nApples 1kg 3.10\n"
            "Coffee beans 6.00\nTOTAL 12.40\nCard payment\nThank you for shopping with us",
            filename="receipt-grocer.jpg", folder="scontrini", language="en", minutes=4,
            date="2024-03-03", total_amount="12.40", currency="GBP", merchant_name="Corner Grocer Ltd"),
        make_record(
            "rcpt-cafe", "receipt",
            "GREEN LEAF CAFE\nRECEIPT\nFlat white 3.20\nCoffee beans 4.60\nTOTAL 7.80\nThank you",
            filename="cafe.png", folder="scontrini", language="en", minutes=5,
            date="2024-05-10", total_amount="7.80", currency="GBP", merchant_name="Green Leaf Cafe"),
        make_record(
            "ctr-locazione", "contract",
            "CONTRATTO DI LOCAZIONE\nTra Hotel Miramare S.r.l. e Comune di Bergamo si conviene quanto segue.\n"
            "Art. 1 Il presente contratto ha durata di quattro anni.\nArt. 2 Il canone è pagato in città di "
            "Milano.\nLe parti firmano il contratto.",
            filename="locazione.pdf", folder="contratti", minutes=6,
            agreement_date="2024-01-10", parties=["Hotel Miramare S.r.l.", "Comune di Bergamo"]),
        make_record(
            "ctr-service", "contract",
            "SERVICE AGREEMENT\nThis agreement is made between Blue Harbour Books and Studio Gallo & Associati.\n"
            "1. Term. The agreement runs for two years.\n2. Fees are invoiced monthly.",
            filename="service-agreement.pdf", folder="contratti", language="en", minutes=7,
            agreement_date="2024-02-01", parties=["Blue Harbour Books", "Studio Gallo & Associati"]),
        make_record(
            "other-lettera", "other",
            "Gentile cliente, la informiamo che il nostro ufficio resterà chiuso ad agosto. Cordiali saluti.",
            filename="lettera.pdf", folder="", minutes=8),
    ]


KEYS = ("inv-rossi", "inv-bianchi", "inv-verdi", "rcpt-grocer", "rcpt-cafe", "ctr-locazione", "ctr-service",
        "other-lettera")


def by_key(*extra: str) -> dict[str, str]:
    """Record ids by the key they were made from (the corpus's and ``extra``), for readable assertions."""
    return {key: hashlib.sha256(key.encode()).hexdigest() for key in (*KEYS, *extra)}
