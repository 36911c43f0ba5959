"""The embedded search index: one SQLite file with an FTS5 table, no server.

Words are matched accent-insensitively (``citta`` finds ``città``) and through Italian and
English Snowball stems kept in a column of their own (``fatture`` finds ``fattura``,
``contracts`` finds ``contract``). Identifiers (invoice number, VAT id, IBAN) sit in a column
that outweighs the body, so an exact identifier hit ranks first.
"""

from __future__ import annotations

import fcntl
import functools
import json
import logging
import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path

import snowballstemmer

from ..errors import IndexError_, InvalidCursorError
from ..records import Record
from ..textnorm import fold, words
from .base import (FACET_SIZES, HIGHLIGHT, Hit, IndexReport, SearchQuery, SearchResults, decode_cursor,
                   encode_cursor, identifier_values, index_document, month_facet, subject_key, tag_facet,
                   title_text, correspondent_facet)
from .query import Term, parse, tag_key, vat_forms

# 2: each FTS row shares its rowid with its docs row, so replacing, deleting and joining a
#    document are lookups by rowid instead of scans of the whole FTS table (an UNINDEXED column
#    cannot be searched any other way).
# 3: each document's tags and correspondents (counterparty key and name, as JSON) for the hit
#    line and their facets; correspondent keys in ``subjects`` (kind 'party') for the filter.
#    A v2 file gains the columns in place and is refilled from the store (see ``_refill``).
_SCHEMA_VERSION = 3
_DOC_COLUMNS = ("id, class, language, needs_review, filename, folder, date, total, total_num, currency, number, "
                "vendor, vendor_vat, iban, ingested_at, version, tags, correspondents")
_MAX_POSITION = 1 << 40  # far beyond any archive, far below SQLite's 64-bit limit
# bm25 column weights: id (unindexed), ids, title, body, stems
_WEIGHTS = "0.0, 12.0, 4.0, 1.0, 0.6"
_WORD = re.compile(r"[^\W_]+")
log = logging.getLogger(__name__)
_STEMMERS = {lang: snowballstemmer.stemmer(lang) for lang in ("italian", "english")}


def stems(tokens: Iterable[str]) -> set[str]:
    # A document repeats its words: each is stemmed once, all of them in one call per language
    # (PyStemmer's C loop; a call per word cost more than the stemming).
    distinct = [token for token in set(tokens) if not token.isdigit()]
    out: set[str] = set()
    for stemmer in _STEMMERS.values():
        out.update(stemmer.stemWords(distinct))
    return out


@functools.lru_cache(maxsize=65536)
def _stems_of(token: str) -> tuple[str, ...]:
    return tuple(stemmer.stemWord(token) for stemmer in _STEMMERS.values())


class SqliteIndex:
    name = "sqlite"

    def __init__(self, path: Path, *, own: Iterable[str] = (),
                 upgrade_from: Callable[[], Iterable[Record]] | None = None):
        """``own``: the archive's own company's correspondent keys (left out of that facet).
        ``upgrade_from``: the stored records, read when a file written by an older Archivio
        lacks what this one indexes (open_index passes the archive's records)."""
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.own = tuple(own)
        self._local = threading.local()
        # Bumped by every write through this object: PRAGMA data_version only tells about commits
        # made through other connections.
        self._writes = 0
        self._ensure_schema(self._db())
        self._migrate(self._db())
        self._refill(upgrade_from)

    # -- connection -----------------------------------------------------------------------
    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            try:
                db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
            except sqlite3.Error as exc:
                raise IndexError_(f"cannot open the search index {self.path}: {exc}", path=str(self.path)) from None
            db.row_factory = sqlite3.Row
            self._local.db = db
        return db

    def _ensure_schema(self, db: sqlite3.Connection, suffix: str = "") -> None:
        db.executescript(
            f"""
            CREATE TABLE IF NOT EXISTS docs{suffix} (
                id TEXT PRIMARY KEY, class TEXT NOT NULL, language TEXT, needs_review INTEGER NOT NULL,
                filename TEXT, folder TEXT, date TEXT, total TEXT, total_num REAL, currency TEXT,
                number TEXT, vendor TEXT, vendor_vat TEXT, iban TEXT, ingested_at TEXT,
                version INTEGER NOT NULL, tags TEXT, correspondents TEXT
            );
            CREATE VIRTUAL TABLE IF NOT EXISTS fts{suffix} USING fts5(
                id UNINDEXED, ids, title, body, stems,
                tokenize = 'unicode61 remove_diacritics 2'
            );
            CREATE TABLE IF NOT EXISTS subjects{suffix} (id TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS subjects{suffix}_value ON subjects{suffix} (kind, value);
            CREATE INDEX IF NOT EXISTS subjects{suffix}_id ON subjects{suffix} (id);
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
            INSERT OR IGNORE INTO meta VALUES ('schema', '{_SCHEMA_VERSION}');
            """
        )

    @staticmethod
    def _migrate(db: sqlite3.Connection) -> None:
        """Bring an index file written by an older Archivio to the current layout, in place."""
        if int(db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0]) >= _SCHEMA_VERSION:
            return
        db.execute("BEGIN IMMEDIATE")  # one process migrates; the others then find it done
        try:
            version = int(db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0])
            if version < 2:
                db.execute("DROP TABLE IF EXISTS fts_v2")
                db.execute("CREATE VIRTUAL TABLE fts_v2 USING fts5(id UNINDEXED, ids, title, body, stems, "
                           "tokenize = 'unicode61 remove_diacritics 2')")
                db.execute("INSERT INTO fts_v2 (rowid, id, ids, title, body, stems) "
                           "SELECT d.rowid, f.id, f.ids, f.title, f.body, f.stems FROM fts f JOIN docs d ON d.id = f.id")
                db.execute("DROP TABLE fts")
                db.execute("ALTER TABLE fts_v2 RENAME TO fts")
            if version < 3:
                # Searching works at once (the new columns are empty); what was indexed before has
                # no tags or correspondents until the records are read again.
                have = {row[1] for row in db.execute("PRAGMA table_info(docs)")}
                for column in ("tags", "correspondents"):
                    if column not in have:
                        db.execute(f"ALTER TABLE docs ADD COLUMN {column} TEXT")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('refill', ?)", (str(version),))
            if version < _SCHEMA_VERSION:
                db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(_SCHEMA_VERSION),))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _needs_refill(self) -> bool:
        return self._db().execute("SELECT 1 FROM meta WHERE key = 'refill'").fetchone() is not None

    def _refill(self, records: Callable[[], Iterable[Record]] | None) -> None:
        """Rebuild a migrated file from the stored records, once, whoever opens it first."""
        if not self._needs_refill():
            return
        if records is None:
            log.warning("the search index %s was written by an older Archivio: tags and correspondents of the "
                        "documents indexed before appear after `archivio reindex`", self.path)
            return
        with open(self.path.with_name(self.path.name + ".upgrade"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # the API and the watcher may open it at the same time
            if not self._needs_refill():
                return
            log.info("rebuilding the search index %s for this version of Archivio", self.path)
            report = self.rebuild(records())
            for doc_id, reason in report.failed:
                log.warning("not indexed %s: %s", doc_id, reason)
            self._db().execute("DELETE FROM meta WHERE key = 'refill'")

    # -- writing --------------------------------------------------------------------------
    def upsert(self, records: Iterable[Record]) -> IndexReport:
        return self._write(self._db(), records, "")

    def _write(self, db: sqlite3.Connection, records: Iterable[Record], suffix: str) -> IndexReport:
        self._writes += 1
        report = IndexReport()
        db.execute("BEGIN IMMEDIATE")
        try:
            for record in records:
                try:
                    if self._put(db, index_document(record), suffix):
                        report.indexed += 1
                    else:
                        report.stale += 1
                except (sqlite3.Error, ValueError) as exc:
                    report.failed.append((record.id, str(exc)))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return report

    @staticmethod
    def _put(db: sqlite3.Connection, doc: dict, suffix: str) -> bool:
        total: Decimal | None = doc["total"]
        previous = db.execute(f"SELECT rowid, version FROM docs{suffix} WHERE id = ?", (doc["id"],)).fetchone()
        if previous is not None and previous[1] > doc["version"]:
            return False  # a late write (a redelivered task, a catch-up) never replaces a newer record
        if previous is not None:
            db.execute(f"DELETE FROM fts{suffix} WHERE rowid = ?", (previous[0],))
        rowid = db.execute(
            f"""INSERT OR REPLACE INTO docs{suffix} ({_DOC_COLUMNS}) VALUES
                ({", ".join(":" + c for c in _DOC_COLUMNS.split(", "))})""",
            {**doc, "needs_review": int(doc["needs_review"]), "total": str(total) if total is not None else None,
             "total_num": float(total) if total is not None else None,
             "tags": json.dumps(doc["tags"], ensure_ascii=False),
             "correspondents": json.dumps(doc["correspondents"], ensure_ascii=False)},
        ).lastrowid
        db.execute(f"DELETE FROM subjects{suffix} WHERE id = ?", (doc["id"],))
        db.executemany(f"INSERT INTO subjects{suffix} (id, kind, value) VALUES (?, ?, ?)",
                       [(doc["id"], kind, value) for kind, value in doc["subjects"]]
                       + [(doc["id"], "party", key) for key, _ in doc["correspondents"]])
        title = title_text(doc)
        body = doc["text"]
        db.execute(
            f"INSERT INTO fts{suffix} (rowid, id, ids, title, body, stems) VALUES (?, ?, ?, ?, ?, ?)",
            (rowid, doc["id"], " ".join([*identifier_values(doc), *doc["keys"]]), title, body,
             " ".join(sorted(stems(words(title + " " + body))))),
        )
        return True

    def delete(self, doc_id: str) -> None:
        self._writes += 1
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        db.execute("DELETE FROM fts WHERE rowid IN (SELECT rowid FROM docs WHERE id = ?)", (doc_id,))
        db.execute("DELETE FROM docs WHERE id = ?", (doc_id,))
        db.execute("DELETE FROM subjects WHERE id = ?", (doc_id,))
        db.execute("COMMIT")

    def rebuild(self, records: Iterable[Record]) -> IndexReport:
        """Fill fresh tables beside the live ones, then swap them in one transaction."""
        db = self._db()
        db.executescript("DROP TABLE IF EXISTS docs_new; DROP TABLE IF EXISTS fts_new; DROP TABLE IF EXISTS subjects_new;")
        self._ensure_schema(db, "_new")
        report = self._write(db, records, "_new")
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("DROP TABLE docs")
            db.execute("DROP TABLE fts")
            db.execute("ALTER TABLE docs_new RENAME TO docs")
            db.execute("ALTER TABLE fts_new RENAME TO fts")
            db.execute("DROP TABLE IF EXISTS subjects")
            db.execute("ALTER TABLE subjects_new RENAME TO subjects")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self._writes += 1
        return report

    # -- reading --------------------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResults:
        terms = parse(query.text)
        results = self._search(query, self._match_expression(terms))
        if not results.total and len(terms) > 1:  # (a later page of partial matches too)
            # Nobody has every word: the documents that have the most of them, and say so.
            results = self._search(query, self._match_expression(terms, every=False))
            results.partial = bool(results.total)
        return results

    def _search(self, query: SearchQuery, match: str) -> SearchResults:
        db = self._db()
        where, params = self._filters(query)
        ranked = bool(match)  # words to rank by; a tag alone is a filter, the listing stays newest first
        if query.tag:
            tag = f'ids:"{tag_key(query.tag)}"'
            match = f"({match}) AND {tag}" if match else tag
        position = decode_cursor(self.name, query)
        if position is not None and (type(position) is not int or not 0 <= position <= _MAX_POSITION):
            # A forged cursor (1e30, -1, "x") is refused, never handed to SQLite to overflow.
            raise InvalidCursorError("the page cursor is damaged; start the search again without it")
        offset = position if position is not None else min(max(query.offset, 0), _MAX_POSITION)
        if match:
            source, condition = "fts JOIN docs d ON d.rowid = fts.rowid", f"fts MATCH ? {where}"
            params = [match, *params]
            score = f"bm25(fts, {_WEIGHTS})"
        else:
            # No words: the documents table alone; the text is read for the page's rows only.
            source, condition, score = "docs d", f"1 = 1 {where}", ""
        base = f"FROM {source} WHERE {condition}"
        order = {
            "relevance": "score, d.ingested_at DESC, d.id" if ranked else "d.ingested_at DESC, d.id",
            "date": "d.date IS NULL, d.date, d.id",
            "-date": "d.date IS NULL, d.date DESC, d.id",
            "amount": "d.total_num IS NULL, d.total_num, d.id",
            "-amount": "d.total_num IS NULL, d.total_num DESC, d.id",
        }[query.sort]
        try:
            if query.facets:
                total, facets, names = self._facets_once(db, base, params, later_page=bool(query.cursor or offset))
            elif match and not where:
                # Every FTS row has its docs row: without filters the match alone is the count.
                total, facets, names = db.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", [match]).fetchone()[0], {}, {}
            else:
                total, facets, names = db.execute(f"SELECT count(*) {base}", params).fetchone()[0], {}, {}
            if match:
                rows = db.execute(
                    f"SELECT d.*, {score} AS score, snippet(fts, 3, '{HIGHLIGHT[0]}', '{HIGHLIGHT[1]}', '…', 20) AS snip, "
                    f"fts.body AS body {base} ORDER BY {order} LIMIT ? OFFSET ?",
                    [*params, query.size, offset],
                ).fetchall()
            else:
                # The page's rowids first, then the text of those rows only: joining the text in the
                # same query reads it for every filtered document before the sort.
                page = [r[0] for r in db.execute(f"SELECT d.rowid {base} ORDER BY {order} LIMIT ? OFFSET ?",
                                                 [*params, query.size, offset])]
                rows = self._listed_rows(db, page)
        except sqlite3.OperationalError as exc:
            raise IndexError_(f"search failed: {exc}") from None
        hits = [
            Hit(
                id=r["id"], score=round(-float(r["score"]), 4), doc_class=r["class"], filename=r["filename"],
                folder=r["folder"] or "", date=r["date"], total=r["total"], currency=r["currency"],
                vendor=r["vendor"], number=r["number"], needs_review=bool(r["needs_review"]),
                snippet=" ".join(self._snippet(r["snip"] or "", r["body"], query.text).split()),
                tags=tuple(json.loads(r["tags"] or "[]")),
            )
            for r in rows
        ]
        next_cursor = encode_cursor(self.name, query, offset + len(hits)) if offset + len(hits) < total else None
        return SearchResults(total=total, hits=hits, facets=facets, next_cursor=next_cursor, names=names)

    @staticmethod
    def _listed_rows(db: sqlite3.Connection, rowids: list[int]) -> list[sqlite3.Row]:
        """Records and the start of their text for a listing page, in the page's order."""
        if not rowids:
            return []
        found = {row["rowid"]: row for row in db.execute(
            f"SELECT d.rowid AS rowid, d.*, 0.0 AS score, substr(fts.body, 1, 200) AS snip, NULL AS body "
            f"FROM docs d JOIN fts ON fts.rowid = d.rowid WHERE d.rowid IN ({', '.join('?' * len(rowids))})", rowids)}
        return [found[r] for r in rowids if r in found]

    @staticmethod
    def _snippet(snip: str, body: str | None, text: str) -> str:
        """FTS5 marks words matched as written; a word found only through its stem ('fatture'
        finding 'Fattura') is marked here, in a window around its first occurrence."""
        if body is None or HIGHLIGHT[0] in snip:
            return snip
        wanted = set(words(text))
        wanted_stems = stems(wanted)
        tokens = list(_WORD.finditer(body))
        hits = [i for i, t in enumerate(tokens) if (w := fold(t.group())) in wanted or wanted_stems & set(_stems_of(w))]
        if not hits:
            return snip
        first = max(hits[0] - 8, 0)
        last = min(first + 20, len(tokens)) - 1
        out, at = [], tokens[first].start()
        for i in range(first, last + 1):
            t = tokens[i]
            out.append(body[at:t.start()])
            out.append(f"{HIGHLIGHT[0]}{t.group()}{HIGHLIGHT[1]}" if i in hits else t.group())
            at = t.end()
        return ("…" if first else "") + "".join(out) + ("…" if last < len(tokens) - 1 else "")

    @staticmethod
    def _filters(q: SearchQuery) -> tuple[str, list]:
        clauses: list[str] = []
        params: list = []

        def add(sql: str, *values) -> None:
            clauses.append(sql)
            params.extend(values)

        if q.doc_class:
            add("d.class = ?", q.doc_class)
        if q.date_from:
            add("d.date >= ?", q.date_from.isoformat())
        if q.date_to:
            add("d.date <= ?", q.date_to.isoformat())
        if q.min_total is not None:
            add("d.total_num >= ?", float(q.min_total))
        if q.max_total is not None:
            add("d.total_num <= ?", float(q.max_total))
        if q.vendor:
            add("d.vendor LIKE ?", f"%{q.vendor}%")
        if q.vat and (forms := vat_forms(q.vat)):
            # The vendor's VAT id in either form; any subject's partita IVA (DM 17/6/2014).
            vat = subject_key("vat", q.vat)
            add(f"(d.vendor_vat IN ({', '.join('?' * len(forms))}) OR d.id IN (SELECT id FROM subjects "
                "WHERE kind IN ('vat', 'cf') AND value = ?))", *forms, vat)
        if q.taxcode:
            code = subject_key("cf", q.taxcode)
            kinds = "('cf', 'vat')" if code.isdigit() else "('cf')"  # a company's codice fiscale is its P.IVA
            add(f"d.id IN (SELECT id FROM subjects WHERE kind IN {kinds} AND value = ?)", code)
        if q.name:
            name = subject_key("name", q.name).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            add("(d.id IN (SELECT id FROM subjects WHERE kind = 'name' AND value LIKE ? ESCAPE '\\') "
                "OR d.vendor LIKE ?)", f"%{name}%", f"%{q.name}%")
        if q.correspondent:
            add("d.id IN (SELECT id FROM subjects WHERE kind = 'party' AND value = ?)", q.correspondent)
        if q.needs_review is not None:
            add("d.needs_review = ?", int(q.needs_review))
        if q.folder:
            add("(d.folder = ? OR d.folder LIKE ?)", q.folder, q.folder.rstrip("/") + "/%")
        return "".join(f" AND {c}" for c in clauses), params

    @staticmethod
    def _match_expression(terms: list[Term], *, every: bool = True) -> str:
        """Every term must match (or, with ``every=False``, any): a word as written, through a
        stem or as an identifier; a value (amount, date, VAT id) as printed or through its key.

        An identifier typed in pieces ('IT 0751 5280 159') matches as a whole as well.
        """
        options_per_term: list[list[str]] = []
        for term in terms:
            if term.kind == "words":
                # each word of a chunk is a term of its own ('Rossi-Bianchi' needs both)
                for token in words(term.typed):
                    options = [f'{col}:"{token}"' for col in ("body", "title", "ids")]
                    options_per_term.append(options + [f'stems:"{s}"' for s in sorted(stems([token]))])
                continue
            options = [f'{col}:"{phrase}"' for phrase in term.phrases for col in ("body", "title", "ids")]
            if term.kind in ("month", "year") and len(words(term.typed)) == 1:  # a word like any other too
                options += [f'stems:"{s}"' for s in sorted(stems(words(term.typed)))]
            options_per_term.append(options + [f'ids:"{key}"' for key in term.keys])
        expression = (" AND " if every else " OR ").join("(" + " OR ".join(o) + ")" for o in options_per_term)
        tokens = words(" ".join(t.typed for t in terms))
        if len(tokens) > 1:
            expression = f'({expression}) OR ids:"{"".join(tokens)}"'
        return expression

    def _facets_once(self, db: sqlite3.Connection, base: str, params: list, *, later_page: bool):
        """Count and facets of a search, computed on its first page and reused by its later pages
        while the index is unchanged: paging through a listing costs the page, not a pass over
        every match again. A first page always counts afresh."""
        key = (base, tuple(params))
        version = (db.execute("PRAGMA data_version").fetchone()[0], self._writes)
        kept = getattr(self._local, "facets", None)
        if kept is None or kept[0] != version:
            kept = self._local.facets = (version, {})
        if later_page and key in kept[1]:
            return kept[1][key]
        found = self._count_and_facets(db, base, params, self.own)
        if len(kept[1]) >= 32:
            kept[1].clear()
        kept[1][key] = found
        return found

    @staticmethod
    def _count_and_facets(db: sqlite3.Connection, base: str, params: list, own: Iterable[str] = ()
                          ) -> tuple[int, dict[str, list[tuple[str, int]]], dict[str, str]]:
        """The number of matches and their facets from one pass over the matches.

        A GROUP BY per facet would run the full-text match once per facet; on a broad query over
        a large archive that repetition dominates the search time.
        """
        counters: dict[str, Counter] = {"class": Counter(), "vendor": Counter(), "month": Counter()}
        total = 0
        parties: Counter = Counter()
        tags: Counter = Counter()
        cursor = db.cursor()
        cursor.row_factory = None  # plain tuples: Counter tallies them in C, a row at a time in Python is slow
        cursor.execute(f"SELECT d.class, d.vendor, substr(d.date, 1, 7), d.tags, d.correspondents {base}", params)
        for (doc_class, vendor, month, doc_tags, doc_parties), n in Counter(cursor).items():
            total += n
            if doc_tags and doc_tags != "[]":
                for tag in set(json.loads(doc_tags)):
                    tags[tag] += n
            if doc_parties and doc_parties != "[]":
                for key, name in json.loads(doc_parties):
                    parties[(key, name)] += n
            for name, key in (("class", doc_class), ("vendor", vendor), ("month", month)):
                if key is not None:
                    counters[name][key] += n
        facets = {name: sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[: FACET_SIZES[name]]
                  for name, counter in counters.items() if name != "month"}
        facets["month"] = month_facet(counters["month"].items())
        facets["correspondent"], names = correspondent_facet(((k, n or None, c) for (k, n), c in parties.items()), own)
        facets["tag"] = tag_facet(tags.items())
        return total, facets, names

    def ids(self) -> Iterator[tuple[str, int]]:
        for row in self._db().execute("SELECT id, version FROM docs ORDER BY id"):
            yield row["id"], row["version"]

    def count(self) -> int:
        return self._db().execute("SELECT count(*) FROM docs").fetchone()[0]

    def check(self) -> None:
        self._db().execute("SELECT 1 FROM docs LIMIT 1")

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None
