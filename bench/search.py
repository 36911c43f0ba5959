"""Search benchmark: indexing throughput and query latency of each index backend.

Generates N synthetic but realistic records (Italian invoices, English receipts, Italian
contracts, a few letters; text of their real size), indexes them into each backend, then runs a
fixed mix of queries and prints one table:

* indexing: documents per second, bulk load (Elasticsearch: refresh off while loading, one
  refresh at the end, included in the time);
* filed -> searchable: one document upserted the way `archivio watch` does (Elasticsearch with
  refresh=wait_for), p50;
* query latency p50/p95/p99 per kind: full text (words, plurals, unaccented words), identifier
  (invoice number, VAT id, IBAN), filtered + faceted (class, date and amount range, words);
* for Elasticsearch, the `took` the server reports beside our client-side time, and our
  overhead (client p50 / server p50).

Usage:
    eval "$(tests/services/elasticsearch/service.sh start)"
    .venv/bin/python bench/search.py --sizes 10000,100000
    tests/services/elasticsearch/service.sh stop

Elasticsearch is reached at --es-url or $ARCHIVIO_TEST_ES_URL; without either only SQLite runs.

Building 100,000 documents costs minutes on a loaded machine, so a built index is kept in --cache
(default ~/.cache/archivio-bench/search) and reused by later runs: the SQLite file, and for
Elasticsearch an index left in the running node under a prefix named after the build. The cache
key is the size, the seed and a fingerprint of everything that decides what is written (the
generator, the flattening of a record, the SQLite schema and insert, the Elasticsearch document and
template), so a change to any of them builds afresh. `--no-cache` builds in a temporary folder and
deletes the Elasticsearch index at the end, as before.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import inspect
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from stdnum import iban as std_iban
from stdnum import luhn
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.config import config_dir, load_settings  # noqa: E402
from pipeline.extract.validate import italian_cin  # noqa: E402
from pipeline.index import SearchIndex, SearchQuery, open_index  # noqa: E402
from pipeline.index import base as index_base  # noqa: E402
from pipeline.index import query as index_query  # noqa: E402
from pipeline.index import sqlite as index_sqlite  # noqa: E402
from pipeline.records import ExtractedField, Record, Source  # noqa: E402

# ---------------------------------------------------------------------------------------------
# Synthetic archive
# ---------------------------------------------------------------------------------------------
VENDORS = ["Cartoleria Rossi", "Idraulica Bianchi", "Tipografia Verdi", "Studio Gallo & Associati", "Ferramenta Esposito",
           "Caffè Romano", "Elettrica Colombo", "Autofficina Ricci", "Farmacia Marino", "Edilizia Greco",
           "Informatica Bruno", "Trasporti Gallo", "Pulizie Conti", "Vivai De Luca", "Ottica Mancini"]
FORMS = ["S.r.l.", "S.p.A.", "S.n.c.", "S.a.s."]
CITIES = ["Milano", "Torino", "Bologna", "Firenze", "Napoli", "Città di Castello", "Forlì", "Cantù", "Bergamo", "Bari"]
ITEMS_IT = ["Risma carta A4", "Toner nero", "Manutenzione impianto termico", "Consulenza fiscale", "Stampa brochure",
            "Cancelleria varia", "Intervento tecnico urgente", "Sostituzione caldaia", "Noleggio stampante",
            "Pulizia uffici mensile", "Trasporto merci", "Licenza software gestionale", "Fornitura piante"]
ITEMS_EN = ["Milk 1L", "Bread loaf", "Coffee beans", "Batteries AA", "Notebook", "Apples 1kg", "Tea box", "Flat white",
            "Sandwich", "Orange juice", "Pasta 500g", "Olive oil", "Newspaper", "Chocolate bar"]
SHOPS = ["Corner Grocer Ltd", "Green Leaf Cafe", "City Hardware Store", "Blue Harbour Books", "Station Newsagent",
         "Riverside Pharmacy", "Market Street Deli"]
CLAUSES = [
    "Il presente contratto ha durata di {n} anni a decorrere dalla data di sottoscrizione.",
    "Il canone annuo è fissato in euro {amount}, da corrispondere in rate mensili anticipate.",
    "Le parti convengono che ogni controversia sarà devoluta al foro competente di {city}.",
    "Il fornitore si impegna a garantire la manutenzione ordinaria e straordinaria dei beni.",
    "Il recesso anticipato dovrà essere comunicato con preavviso di {n} mesi a mezzo raccomandata.",
    "Le fatture saranno emesse con cadenza trimestrale e pagate entro trenta giorni.",
    "Il locatore dichiara che l'immobile è conforme alle norme urbanistiche vigenti.",
    "Eventuali modifiche al presente accordo avranno efficacia solo se approvate per iscritto.",
    "Le parti si obbligano al rispetto della normativa sulla protezione dei dati personali.",
    "Il corrispettivo è comprensivo di ogni onere accessorio, IVA esclusa.",
]
LETTER = ["Gentile cliente, le comunichiamo la variazione delle coordinate bancarie.",
          "Si informa che gli uffici resteranno chiusi nel mese di agosto.",
          "In allegato la documentazione richiesta per la pratica in oggetto.",
          "Restiamo a disposizione per ogni chiarimento. Cordiali saluti."]


def partita_iva(rng: random.Random) -> str:
    base = f"{rng.randint(1, 9999999):07d}{rng.randint(1, 100):03d}"
    return base + luhn.calc_check_digit(base)


def iban(rng: random.Random) -> str:
    abi, cab, account = f"{rng.randint(1000, 9999):05d}", f"{rng.randint(10000, 99999):05d}", f"{rng.randint(0, 10**12 - 1):012d}"
    bban = italian_cin(abi + cab + account) + abi + cab + account
    return "IT" + std_iban.calc_check_digits("IT00" + bban) + bban


def it_amount(value: Decimal) -> str:
    whole, cents = f"{value:.2f}".split(".")
    return f"{int(whole):,}".replace(",", ".") + "," + cents


@dataclass
class Probes:
    """Values the identifier queries look up, gathered while generating."""

    numbers: list[str] = field(default_factory=list)
    vats: list[str] = field(default_factory=list)
    ibans: list[str] = field(default_factory=list)


def synthetic_records(n: int, seed: int, probes: Probes) -> Iterator[Record]:
    rng = random.Random(seed)
    start = dt.datetime(2023, 1, 1, tzinfo=dt.timezone.utc)
    vendors = [(f"{v} {rng.choice(FORMS)}", partita_iva(rng), iban(rng)) for v in VENDORS for _ in range(20)]
    for i in range(n):
        kind = rng.choices(["invoice", "receipt", "contract", "other"], weights=[50, 30, 15, 5])[0]
        date = (start + dt.timedelta(days=rng.randint(0, 700))).date()
        fields: dict[str, object] = {"date": date.isoformat()}
        folder = ""
        if kind == "invoice":
            vendor, vat, account = rng.choice(vendors)
            number = f"{rng.randint(1, 9999)}/{rng.choice(['A', 'FE', 'PA', str(date.year)])}"
            lines = [(rng.choice(ITEMS_IT), rng.randint(1, 10), Decimal(rng.randint(300, 90000)) / 100)
                     for _ in range(rng.randint(2, 12))]
            net = sum((q * p for _, q, p in lines), Decimal(0)).quantize(Decimal("0.01"))
            total = net + (net * Decimal("0.22")).quantize(Decimal("0.01"))
            body = "\n".join(f"{d} {q} {it_amount(p)} {it_amount(p * q)}" for d, q, p in lines)
            text = (f"{vendor}\nVia Garibaldi {rng.randint(1, 99)}, {rng.choice(CITIES)}\nP.IVA {vat}\nFATTURA\n"
                    f"Fattura n. {number}\nData: {date:%d/%m/%Y}\nSpett.le Comune di {rng.choice(CITIES)}\n"
                    f"Descrizione Q.tà Prezzo Importo\n{body}\nImponibile € {it_amount(net)}\nIVA 22%\n"
                    f"Totale documento € {it_amount(total)}\nPagamento: bonifico bancario a 30 giorni\nIBAN: {account}")
            fields.update(number=number, total_amount=f"{total:.2f}", currency="EUR", vendor_name=vendor,
                          vendor_vat=vat, iban=account)
            folder = f"fornitori/{date.year}"
            if rng.random() < 0.02:
                probes.numbers.append(number)
                probes.vats.append(vat)
                probes.ibans.append(account)
        elif kind == "receipt":
            shop = rng.choice(SHOPS)
            lines = [(rng.choice(ITEMS_EN), Decimal(rng.randint(50, 1500)) / 100) for _ in range(rng.randint(2, 15))]
            total = sum((p for _, p in lines), Decimal(0))
            text = (f"{shop.upper()}\n{rng.randint(1, 200)} High Street\nRECEIPT\n"
                    + "\n".join(f"{d} {p:.2f}" for d, p in lines)
                    + f"\nTOTAL {total:.2f}\nCard payment\nThank you for shopping with us")
            fields.update(total_amount=f"{total:.2f}", currency="GBP", merchant_name=shop)
            folder = "scontrini"
        elif kind == "contract":
            parties = [rng.choice(vendors)[0], f"Comune di {rng.choice(CITIES)}"]
            clauses = [rng.choice(CLAUSES).format(n=rng.randint(1, 6), amount=it_amount(Decimal(rng.randint(1000, 90000))),
                                                  city=rng.choice(CITIES)) for _ in range(rng.randint(15, 60))]
            text = (f"CONTRATTO DI {rng.choice(['LOCAZIONE', 'FORNITURA', 'SERVIZIO', 'MANUTENZIONE'])}\n"
                    f"Tra {parties[0]} e {parties[1]} si conviene quanto segue.\n"
                    + "\n".join(f"Art. {k + 1} {c}" for k, c in enumerate(clauses)))
            fields = {"agreement_date": date.isoformat(), "parties": parties}
            folder = "contratti"
        else:
            text = " ".join(rng.choice(LETTER) for _ in range(rng.randint(3, 8)))
        sha = f"{seed:08x}{i:056x}"
        yield Record(
            id=sha, sha256=sha, size=len(text) * 40, media_type="application/pdf",
            source=Source(filename=f"scan_{i:06d}.pdf", folder=folder, received_at=start),
            **{"class": kind}, class_confidence=0.9, language="en" if kind == "receipt" else "it", pages=1,
            text=text, needs_review=rng.random() < 0.05, ingested_at=start + dt.timedelta(minutes=i),
            fields={k: ExtractedField(value=v, confidence=0.9) for k, v in fields.items()},
        )


def query_mix(probes: Probes, seed: int, per_kind: int) -> list[tuple[str, SearchQuery]]:
    rng = random.Random(seed)
    words = ["fattura", "fatture", "contratti locazione", "manutenzione impianto", "citta di castello", "coffee beans",
             "toner nero", "canone annuo", "receipt milk", "recesso anticipato", "consulenza fiscale", "forli"]
    mix: list[tuple[str, SearchQuery]] = []
    for _ in range(per_kind):
        mix.append(("full text", SearchQuery(text=rng.choice(words), facets=False)))
        probe = rng.choice([probes.numbers, probes.vats, probes.ibans])
        mix.append(("identifier", SearchQuery(text=rng.choice(probe), facets=False)))
        year = rng.choice([2023, 2024])
        mix.append(("filtered+faceted", SearchQuery(
            text=rng.choice(["", "fattura", "bonifico", "manutenzione"]), doc_class=rng.choice(["invoice", None]),
            date_from=dt.date(year, rng.randint(1, 6), 1), date_to=dt.date(year, rng.randint(7, 12), 28),
            min_total=Decimal(rng.choice([0, 100, 500])), sort=rng.choice(["relevance", "-date", "-amount"]),
            facets=True)))
    return mix


# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------
def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


@dataclass
class Row:
    backend: str
    docs: int
    index_seconds: float = 0.0
    failed: int = 0
    filed_ms: float = 0.0
    client: dict[str, list[float]] = field(default_factory=dict)
    # CPU time of this process per query: for SQLite, which runs in-process, what the wall time
    # would be on an idle machine (the shared machine's load makes wall times wait for a core).
    cpu: dict[str, list[float]] = field(default_factory=dict)
    server: dict[str, list[float]] = field(default_factory=dict)


def build_fingerprint(backend: str) -> str:
    """What decides the content of a built index: a change to any of it means a fresh build."""
    parts = [inspect.getsource(synthetic_records), inspect.getsource(index_base.index_document),
             inspect.getsource(index_base.subject_terms), inspect.getsource(index_base.identifier_values),
             inspect.getsource(index_query.document_keys)]
    if backend == "sqlite":
        parts += [inspect.getsource(index_sqlite.SqliteIndex._ensure_schema),
                  inspect.getsource(index_sqlite.SqliteIndex._put), str(index_sqlite._SCHEMA_VERSION)]
    else:
        from pipeline.index import elastic

        parts += [inspect.getsource(elastic.document),
                  (config_dir() / "elasticsearch" / "documents.json").read_text(encoding="utf-8")]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def run(backend: str, n: int, args: argparse.Namespace, work: Path) -> Row:
    key = f"{backend}-{n}-seed{args.seed}-{build_fingerprint(backend)}"
    place = work / key
    built = place / "built.json"  # written only once the whole build is in: its probes
    place.mkdir(parents=True, exist_ok=True)
    overrides: dict[str, object] = {"paths.data": str(place)}
    if backend == "elasticsearch":
        prefix = f"bench-{key}" if args.cache else f"bench-{uuid.uuid4().hex[:8]}"
        overrides.update({"index.backend": "elasticsearch", "index.hosts": [args.es_url], "index.replicas": 0,
                          "index.prefix": prefix, "index.refresh": "false",
                          "index.request_timeout": 120.0, "index.bulk_chunk": 500})
    index = open_index(load_settings(env={}, overrides=overrides, cwd=work))
    row = Row(backend, n)
    probes = Probes()
    try:
        reuse = args.cache and built.exists() and index.count() >= n
        if reuse:
            probes = Probes(**json.loads(built.read_text()))
            row.index_seconds = float("nan")
            print(f"{backend} {n:,}: reusing the index built in {place}", file=sys.stderr)
        else:
            if backend == "elasticsearch" and args.cache:  # a build cut short: start it again
                index.client.indices.delete(index=f"{index.alias}-*", ignore_unavailable=True, allow_no_indices=True)
                index._ready = False
            started = time.perf_counter()
            bar = tqdm(synthetic_records(n, args.seed, probes), total=n, unit="doc", desc=f"{backend} {n:,}",
                       file=sys.stderr, leave=False)
            report = index.upsert(bar)
            if backend == "elasticsearch":
                index.refresh()
            row.index_seconds = time.perf_counter() - started
            row.failed = len(report.failed)
            if args.cache:
                built.write_text(json.dumps(probes.__dict__))
        row.filed_ms = filed_to_searchable(index, backend, args)
        mix = query_mix(probes, args.seed, args.queries)
        for _, query in mix[: args.warmup]:
            index.search(query)
        for kind, query in mix:
            t0, c0 = time.perf_counter(), time.process_time()
            results = index.search(query)
            row.client.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
            row.cpu.setdefault(kind, []).append((time.process_time() - c0) * 1000)
            if results.took_ms is not None:
                row.server.setdefault(kind, []).append(results.took_ms)
    finally:
        if backend == "elasticsearch" and not args.cache:
            index.client.indices.delete(index=f"{index.alias}-*", ignore_unavailable=True, allow_no_indices=True)
            index.client.options(ignore_status=404).indices.delete_index_template(name=index.alias)
        index.close()
    return row


def filed_to_searchable(index: SearchIndex, backend: str, args: argparse.Namespace) -> float:
    """One record upserted as `archivio watch` does, until a search finds it; p50 of 20."""
    if backend == "elasticsearch":
        index.settings = index.settings.model_copy(update={"refresh": "wait_for"})
    times = []
    for i, record in enumerate(synthetic_records(20, args.seed + 1, Probes())):
        record = record.model_copy(update={"id": f"filed{i:059x}", "sha256": f"filed{i:059x}",
                                           "text": record.text + f" marcatore{i}"})
        t0 = time.perf_counter()
        index.upsert([record])
        times.append((time.perf_counter() - t0) * 1000)
        assert index.search(SearchQuery(text=f"marcatore{i}", facets=False)).total == 1
    return statistics.median(times)


def print_table(rows: list[Row]) -> None:
    kinds = ["full text", "identifier", "filtered+faceted"]
    header = (f"| backend | docs | index docs/s | filed→searchable p50 ms | query kind | client p50 / p95 / p99 ms "
              f"| client CPU p50 / p95 ms | server took p50 / p95 / p99 ms | overhead (client/server p50) |")
    print(header)
    print("|---|---:|---:|---:|---|---:|---:|---:|---:|")
    for row in rows:
        cached = row.index_seconds != row.index_seconds  # NaN: the index came from --cache
        rate = row.docs / row.index_seconds if row.index_seconds and not cached else 0
        for k, kind in enumerate(kinds):
            client = row.client.get(kind, [])
            server = row.server.get(kind, [])
            c = f"{pct(client, 50):.1f} / {pct(client, 95):.1f} / {pct(client, 99):.1f}"
            cpu = row.cpu.get(kind, [])
            c += f" | {pct(cpu, 50):.1f} / {pct(cpu, 95):.1f}"
            s = f"{pct(server, 50):.0f} / {pct(server, 95):.0f} / {pct(server, 99):.0f}" if server else "-"
            ratio = f"{pct(client, 50) / max(pct(server, 50), 0.5):.1f}x" if server else "-"
            first = k == 0
            print(f"| {row.backend if first else ''} | {f'{row.docs:,}' if first else ''} "
                  f"| {('cached' if cached else f'{rate:,.0f}') + (f' ({row.failed} failed)' if row.failed else '') if first else ''} "
                  f"| {f'{row.filed_ms:.0f}' if first else ''} | {kind} | {c} | {s} | {ratio} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated archive sizes (default 10000,100000)")
    parser.add_argument("--backends", default="sqlite,elasticsearch")
    parser.add_argument("--queries", type=int, default=100, help="queries of each kind (default 100)")
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--es-url", default=os.environ.get("ARCHIVIO_TEST_ES_URL"))
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "archivio-bench" / "search",
                        help="folder where built indices are kept and reused (default ~/.cache/archivio-bench/search)")
    parser.add_argument("--no-cache", dest="cache", action="store_const", const=None,
                        help="build every index afresh in a temporary folder and delete it at the end")
    args = parser.parse_args()
    backends = [b for b in args.backends.split(",") if b]
    if "elasticsearch" in backends and not args.es_url:
        print("no Elasticsearch (--es-url or ARCHIVIO_TEST_ES_URL): measuring SQLite only", file=sys.stderr)
        backends.remove("elasticsearch")
    rows = []
    started = time.perf_counter()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="archivio-bench-") as tmp:
        work = args.cache or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for n in (int(s) for s in args.sizes.split(",")):
            for backend in backends:
                rows.append(run(backend, n, args, work))
                if rows[-1].index_seconds == rows[-1].index_seconds:
                    print(f"{backend} {n:,}: indexed in {rows[-1].index_seconds:.1f}s", file=sys.stderr)
    print(f"\n{args.queries} queries of each kind after {args.warmup} warm-up queries; "
          f"{os.cpu_count()} cores; {time.perf_counter() - started:.0f}s in all; load average "
          f"{load_before[0]:.1f} at start, {os.getloadavg()[0]:.1f} at end\n")
    print_table(rows)


if __name__ == "__main__":
    main()
