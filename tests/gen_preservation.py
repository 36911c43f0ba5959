"""Generated filed documents for the preservation tests: invoices, receipts and contracts with the
names, codici fiscali, partite IVA and dates DM 17 giugno 2014 asks to search by.

Documents are filed the way the pipeline files them (incoming → original with the retention its
rule gives → record → index) without reading: these tests are about what happens after filing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from pathlib import Path

from stdnum import luhn
from stdnum.it import codicefiscale

from pipeline.config import Settings
from pipeline.index import SearchIndex
from pipeline.records import ArchiveCopy, ExtractedField, Record, Source
from pipeline.store import Archive, filing_retention

UTC = dt.timezone.utc
COMPANIES = ["Enel Energia", "Tecnoservizi", "Ferramenta Rossi", "Studio Bianchi", "Edilnord", "Caffè Sport",
             "Farmacia Verdi", "Autofficina Neri"]
PEOPLE = [("MARIO", "ROSSI"), ("GIULIA", "BIANCHI"), ("LUCA", "VERDI"), ("ANNA", "NERI")]


def partita_iva(rng: random.Random) -> str:
    body = "".join(str(rng.randint(0, 9)) for _ in range(10))
    return body + luhn.calc_check_digit(body)  # a partita IVA ends in a Luhn check digit


def codice_fiscale(rng: random.Random, first: str, last: str) -> str:
    body = (last[:3] + first[:3] + f"{rng.randint(50, 99)}" + rng.choice("ABCDEHLMPRST") + f"{rng.randint(1, 28):02d}"
            + rng.choice("FHLM") + f"{rng.randint(100, 999)}")
    return body + codicefiscale.calc_check_digit(body)


def make_record(rng: random.Random, n: int, doc_class: str, date: dt.date, filed: dt.datetime,
                **fields: str | list[str]) -> tuple[Record, bytes]:
    data = f"%PDF-1.4 generated {doc_class} {n} {rng.random()}\n%%EOF\n".encode()
    sha = hashlib.sha256(data).hexdigest()
    base: dict[str, str | list[str]] = {"date": date.isoformat()} if doc_class != "contract" else \
        {"agreement_date": date.isoformat()}
    base.update(fields)
    record = Record(id=sha, sha256=sha, size=len(data), media_type="application/pdf", pages=1,
                    source=Source(filename=f"{doc_class}-{n:04d}.pdf", received_at=filed), **{"class": doc_class},
                    fields={k: ExtractedField(value=v, confidence=0.9) for k, v in base.items()},
                    ingested_at=filed, filed_at=filed, pipeline_version="test")
    return record, data


def generated(count: int, *, seed: int = 17, year: int = 2024) -> list[tuple[Record, bytes]]:
    """``count`` documents, a third each of invoices, receipts and contracts, dated through ``year``."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        date = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
        filed = dt.datetime.combine(date + dt.timedelta(days=rng.randint(1, 40)), dt.time(9), UTC)
        company = rng.choice(COMPANIES)
        first, last = rng.choice(PEOPLE)
        kind = ("invoice", "receipt", "contract")[n % 3]
        if kind == "invoice":
            fields = {"number": f"{n}/{year}", "vendor_name": company, "vendor_vat": "IT" + partita_iva(rng),
                      "customer_name": f"{first.title()} {last.title()}",
                      "customer_cf": codice_fiscale(rng, first, last), "total_amount": f"{rng.randint(10, 9999)}.00",
                      "currency": "EUR"}
        elif kind == "receipt":
            fields = {"merchant_name": company, "vendor_vat": "IT" + partita_iva(rng),
                      "total_amount": f"{rng.randint(1, 99)}.50"}
        else:
            fields = {"parties": [company, f"{first.title()} {last.title()}"],
                      "expiration_date": (date + dt.timedelta(days=365 * 3)).isoformat()}
        out.append(make_record(rng, n, kind, date, filed, **fields))
    return out


def file_documents(settings: Settings, archive: Archive, index: SearchIndex | None,
                   documents: list[tuple[Record, bytes]], tmp: Path, *, copies: bool = False) -> list[Record]:
    """File each (record, bytes) as the pipeline does; with ``copies`` give each an archive copy."""
    filed = []
    for record, data in documents:
        path = tmp / record.sha256
        path.write_bytes(data)
        archive.put_incoming(path, record.sha256, {"filename": record.source.filename})
        archive.file_original(record.sha256, {"class": record.doc_class, "filename": record.source.filename},
                              filing_retention(settings.retention, record))
        if copies:
            copy = b"%PDF-1.7 PDF/A copy of " + data
            key = f"copies/{record.sha256[:2]}/{record.sha256}.pdf"
            archive.store.put_bytes(key, copy, metadata={"sha256": hashlib.sha256(copy).hexdigest()})
            record = record.model_copy(update={"archive_copy": ArchiveCopy(
                key=key, sha256=hashlib.sha256(copy).hexdigest(), size=len(copy), format="PDF/A-2b")})
        archive.save_record(record)
        path.unlink()
        filed.append(record)
    if index is not None:
        index.upsert(filed)
    return filed
