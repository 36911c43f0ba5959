"""The production search index: Elasticsearch 8 through the official client.

The index design lives in ``config/elasticsearch/documents.json``, an index template this module
installs. Reads and writes go through one alias, ``<prefix>-documents``, that points at exactly
one concrete index ``<prefix>-documents-v<template version>-<time>``. ``rebuild`` fills a fresh
concrete index and moves the alias onto it in one atomic ``_aliases`` call, so a search always
sees a complete index, never an empty or half-built one.

Text is matched as ``SqliteIndex`` matches it: every word the user typed must occur somewhere,
as written, accent-folded (``citta`` finds ``città``) or through its Italian or English stem
(``fatture`` finds ``fattura``); identifiers (number, VAT id, IBAN) outweigh everything, and
an identifier typed exactly puts its document first.

Outages and overload become ``IndexUnavailableError`` with one line naming the host: the
dispatcher then leaves the document ``stored`` and indexes it once Elasticsearch is back.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from elasticsearch import (
    ApiError,
    AuthenticationException,
    AuthorizationException,
    BadRequestError,
    ConflictError,
    Elasticsearch,
    NotFoundError,
    TransportError,
    UnsupportedProductError,
    helpers,
)

from ..config import IndexSettings, config_dir
from ..errors import ConfigError, IndexError_, IndexUnavailableError, InvalidCursorError
from ..records import Record
from ..textnorm import compact, words
from .base import (
    FACET_SIZES,
    HIGHLIGHT,
    Hit,
    IndexReport,
    SearchQuery,
    SearchResults,
    cents,
    decode_cursor,
    encode_cursor,
    identifier_values,
    index_document,
    correspondent_facet,
    month_facet,
    subject_key,
    tag_facet,
    title_text,
)
from .query import Term, parse, tag_key, vat_forms

log = logging.getLogger(__name__)
# The client logs every failed attempt and retry with a stack trace; our error says it once, naming
# the host, and the dispatcher retries later.
for _noisy in ("elastic_transport.node_pool", "elastic_transport.transport"):
    logging.getLogger(_noisy).setLevel(logging.ERROR)

# Field boosts: an identifier outweighs the title fields, which outweigh the body. Stemmed
# variants weigh less than the words as written, so an exact word ranks above a relative.
TEXT_FIELDS = [
    "identifier_words^12",
    "title^4", "title.folded^4", "title.it^3", "title.en^3",
    "text", "text.folded", "text.it^0.6", "text.en^0.6",
]
IDENTIFIER_BOOST = 40.0
# Highlight from the field variant that matched; the first with a mark wins. The folded variant
# marks every word the plain one would (same tokenizer, only lower-cased and unaccented more), so
# the plain one is not highlighted too: each field highlighted costs its share of every search.
SNIPPET_FIELDS = ["text.folded", "text.it", "text.en"]
SNIPPET_CHARS = 160
MAX_QUERY_WORDS = 32
# Deep pages go through search_after; from+size is only for the first pages of a listing.
MAX_OFFSET = 10_000
SORTS: dict[str, list[Any]] = {
    "relevance": ["_score", {"ingested_at": "desc"}, {"id": "asc"}],
    "date": [{"date": {"order": "asc", "missing": "_last"}}, {"id": "asc"}],
    "-date": [{"date": {"order": "desc", "missing": "_last"}}, {"id": "asc"}],
    "amount": [{"total_cents": {"order": "asc", "missing": "_last"}}, {"id": "asc"}],
    "-amount": [{"total_cents": {"order": "desc", "missing": "_last"}}, {"id": "asc"}],
}
_HIT_SOURCE = ["id", "class", "filename", "folder", "date", "total", "currency", "vendor", "number", "needs_review", "tags"]
# A correspondent label is its key and its name in one keyword, so one aggregation gives both.
LABEL_SEPARATOR = "\u001f"
UPGRADE_LOCK_HOURS = 12  # longer than any rebuild; a lock this old was left by a process that died
_REFRESH: dict[str, Any] = {"wait_for": "wait_for", "true": True, "false": False}


@cache
def load_template() -> dict[str, Any]:
    path = config_dir() / "elasticsearch" / "documents.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read the Elasticsearch index template: {exc}", path=str(path)) from None


def connect(settings: IndexSettings) -> Elasticsearch:
    """A client for the configured cluster; nothing is sent until the first request."""
    options: dict[str, Any] = {
        "request_timeout": settings.request_timeout,
        "max_retries": settings.max_retries,
        "retry_on_timeout": True,
        "retry_on_status": (429, 502, 503, 504),
        "verify_certs": settings.verify_certs,
    }
    if settings.ca_certs:
        options["ca_certs"] = str(settings.ca_certs)
    if not settings.verify_certs:
        options["ssl_show_warn"] = False
    if settings.api_key:
        key = settings.api_key.get_secret_value()
        # Kibana shows the encoded form; the API returns id and key apart: accept "id:key" too.
        options["api_key"] = tuple(key.split(":", 1)) if ":" in key else key
    elif settings.username:
        options["basic_auth"] = (settings.username, settings.password.get_secret_value() if settings.password else "")
    try:
        return Elasticsearch(settings.hosts, **options)
    except ValueError as exc:
        raise ConfigError(f"index.hosts: {exc}") from None


class ElasticIndex:
    name = "elasticsearch"

    def __init__(self, settings: IndexSettings, *, client: Elasticsearch | None = None, own: Iterable[str] = (),
                 upgrade_from: Callable[[], Iterable[Record]] | None = None):
        """``own``: the archive's own company's correspondent keys (left out of that facet).
        ``upgrade_from``: the stored records, read when the index behind the alias was built
        with an older template (open_index passes the archive's records)."""
        self.settings = settings
        self.own = tuple(own)
        self._upgrade_from = upgrade_from
        self.alias = f"{settings.prefix}-documents"
        template = load_template()
        self.version: int = template["_meta"]["version"]
        self.client = client or connect(settings)
        self.hosts = ", ".join(_public(h) for h in settings.hosts)
        self._ready = False

    # -- errors -----------------------------------------------------------------------------
    @contextlib.contextmanager
    def _talking(self, doing: str) -> Iterator[None]:
        """Client exceptions become one line that names the cluster and what we were doing."""
        try:
            yield
        except AuthenticationException:
            raise IndexError_(f"Elasticsearch at {self.hosts} refused our credentials while trying to {doing}: "
                              "check index.api_key or index.username / index.password") from None
        except AuthorizationException as exc:
            raise IndexError_(f"Elasticsearch at {self.hosts} does not allow us to {doing}: {_reason(exc)}") from None
        except UnsupportedProductError:
            raise IndexError_(f"{self.hosts} does not answer as Elasticsearch 8: check index.hosts") from None
        except ApiError as exc:
            if exc.meta.status == 429 or exc.meta.status >= 500:
                raise IndexUnavailableError(f"Elasticsearch at {self.hosts} could not {doing} "
                                            f"({exc.meta.status}: {_reason(exc)}); it will be retried") from None
            raise IndexError_(f"Elasticsearch at {self.hosts} refused to {doing}: {_reason(exc)}") from None
        except TransportError as exc:  # refused connection, timeout, TLS failure
            raise IndexUnavailableError(f"cannot reach Elasticsearch at {self.hosts} to {doing}: {_cause(exc)}") from None

    # -- the alias and its concrete index -----------------------------------------------------
    def _ensure(self) -> None:
        """Install the template and, on a new cluster, the first index behind the alias."""
        if self._ready:
            return
        template = load_template()
        with self._talking("prepare the index"):
            try:
                installed = self.client.indices.get_index_template(name=self.alias).body["index_templates"]
            except NotFoundError:
                installed = []
            if not installed or installed[0]["index_template"].get("_meta", {}).get("version") != self.version:
                self.client.indices.put_index_template(
                    name=self.alias, index_patterns=[f"{self.alias}-*"], template=template["template"],
                    priority=template["priority"], meta=template["_meta"])
            if not self.client.indices.exists_alias(name=self.alias):
                first = f"{self.alias}-v{self.version}-initial"
                try:
                    self.client.indices.create(index=first, aliases={self.alias: {}},
                                               settings={"number_of_replicas": self.settings.replicas})
                except BadRequestError as exc:
                    if exc.error != "resource_already_exists_exception":
                        raise
                    # Another process created it first; make sure the alias is there too.
                    self.client.indices.put_alias(index=first, name=self.alias)
            outdated = [i for i in self._indices() if (_template_version(i) or self.version) < self.version]
            for index in outdated:
                # Writes of the new shape must not be refused meanwhile (the mapping is strict):
                # the new fields are added in place, empty for what was indexed before.
                known = self.client.indices.get_mapping(index=index).body[index]["mappings"].get("properties", {})
                missing = {k: v for k, v in template["template"]["mappings"]["properties"].items() if k not in known}
                if missing:
                    self.client.indices.put_mapping(index=index, properties=missing)
        self._ready = True
        if outdated and self._upgrade_from is not None:
            # Every API server and worker opens the index at start: one of them rebuilds, the
            # others search the old index (its mapping already extended) until the alias moves.
            if not self._take_upgrade_lock():
                log.info("another process is rebuilding the search index %s with index template v%d",
                         self.alias, self.version)
                return
            try:
                log.info("rebuilding the search index %s with index template v%d", self.alias, self.version)
                report = self.rebuild(self._upgrade_from())
                for doc_id, reason in report.failed:
                    log.warning("not indexed %s: %s", doc_id, reason)
            finally:
                with self._talking("finish the upgrade"):
                    self.client.options(ignore_status=404).indices.delete(index=self._upgrade_lock)
        elif outdated:
            log.warning("the search index %s was built with an older index template; run `archivio reindex` "
                        "to rebuild it with v%d", ", ".join(outdated), self.version)

    @property
    def _upgrade_lock(self) -> str:
        return f"{self.alias}-upgrading-v{self.version}"

    def _take_upgrade_lock(self) -> bool:
        """Creating an index is atomic in Elasticsearch: whoever creates the lock index rebuilds.
        A lock left by a process that died mid-rebuild is taken over after UPGRADE_LOCK_HOURS."""
        for _ in range(2):
            with self._talking("start the upgrade"):
                try:
                    self.client.indices.create(index=self._upgrade_lock, settings={"number_of_replicas": 0},
                                               mappings={"dynamic": False, "properties": {}})
                    return True
                except BadRequestError as exc:
                    if exc.error != "resource_already_exists_exception":
                        raise
                found = self.client.options(ignore_status=404).indices.get_settings(index=self._upgrade_lock).body
                created = int(found.get(self._upgrade_lock, {}).get("settings", {}).get("index", {})
                              .get("creation_date", 0) or 0)
                if created and dt.datetime.now(dt.timezone.utc).timestamp() * 1000 - created < UPGRADE_LOCK_HOURS * 3600e3:
                    return False
                log.warning("taking over the upgrade of %s left unfinished since %s", self.alias,
                            dt.datetime.fromtimestamp(created / 1000, dt.timezone.utc).isoformat() if created else "?")
                self.client.options(ignore_status=404).indices.delete(index=self._upgrade_lock)
        return False

    def _indices(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias).body)
        except NotFoundError:
            return []

    # -- writing ----------------------------------------------------------------------------
    def upsert(self, records: Iterable[Record]) -> IndexReport:
        self._ensure()
        return self._bulk(self.alias, records, refresh=_REFRESH[self.settings.refresh])

    def _bulk(self, index: str, records: Iterable[Record], *, refresh: Any) -> IndexReport:
        report = IndexReport()
        sent: dict[str, Record] = {}

        def actions() -> Iterator[dict[str, Any]]:
            for record in records:
                sent[record.id] = record
                try:
                    source = document(record)
                except ArithmeticError:  # decimal's errors read as class names, not as reasons
                    report.failed.append((record.id, "cannot be indexed: an amount is too large"))
                    continue
                except ValueError as exc:
                    report.failed.append((record.id, f"cannot be indexed: {exc}"))
                    continue
                # The record version orders writes from many workers and API servers: a late write
                # of an older version is refused by Elasticsearch itself (409), never applied.
                yield {"_op_type": "index", "_index": index, "_id": record.id, "_source": source,
                       "version": record.version, "version_type": "external_gte"}

        with self._talking("index documents"):
            for ok, item in helpers.streaming_bulk(
                self.client, actions(), chunk_size=self.settings.bulk_chunk, raise_on_error=False,
                max_retries=self.settings.max_retries, initial_backoff=1, max_backoff=30,
                retry_on_status=(429, 502, 503, 504), refresh=refresh,
            ):
                result = next(iter(item.values()))
                if ok:
                    report.indexed += 1
                elif result.get("status") == 409:
                    if self._older_indexed(index, sent[str(result.get("_id"))], refresh):
                        report.indexed += 1
                    else:
                        report.stale += 1  # a newer version is already indexed: nothing to do
                else:
                    report.failed.append((str(result.get("_id")), _item_reason(result)))
        return report

    def _older_indexed(self, index: str, record: Record, refresh: Any) -> bool:
        """After a version conflict: True when the record replaced an older copy after all.

        Copies indexed before writes carried the record version have Elasticsearch's own write
        count as ``_version``, which may exceed the record version: those are compared by the
        version in their source and replaced under optimistic concurrency (seq_no), so a
        concurrent newer write still wins."""
        for _ in range(3):
            with self._talking("index documents"):
                try:
                    current = self.client.get(index=index, id=record.id, source_includes=["version"]).body
                except NotFoundError:
                    return False
                if int(current["_source"].get("version") or 0) >= record.version:
                    return False
                try:
                    self.client.index(index=index, id=record.id, document=document(record), refresh=refresh,
                                      if_seq_no=current["_seq_no"], if_primary_term=current["_primary_term"])
                    return True
                except ConflictError:
                    continue
        return False

    def delete(self, doc_id: str) -> None:
        self._ensure()
        with self._talking("delete a document"):
            with contextlib.suppress(NotFoundError):
                self.client.delete(index=self.alias, id=doc_id, refresh=_REFRESH[self.settings.refresh])

    def rebuild(self, records: Iterable[Record]) -> IndexReport:
        """Fill a new concrete index, then move the alias onto it in one atomic step."""
        self._ensure()
        new = f"{self.alias}-v{self.version}-{dt.datetime.now(dt.timezone.utc):%Y%m%d%H%M%S%f}"
        with self._talking("create a new index"):
            # No replicas and no periodic refresh while loading: both are restored before the swap.
            self.client.indices.create(index=new, settings={"number_of_replicas": 0, "refresh_interval": "-1"})
        try:
            report = self._bulk(new, records, refresh=False)
            with self._talking("switch to the new index"):
                self.client.indices.put_settings(
                    index=new, settings={"number_of_replicas": self.settings.replicas, "refresh_interval": None})
                self.client.indices.refresh(index=new)
                self.client.cluster.health(index=new, wait_for_status="yellow", timeout="60s")
                old = self._indices()
                actions: list[dict[str, Any]] = [{"remove": {"index": i, "alias": self.alias}} for i in old]
                actions.append({"add": {"index": new, "alias": self.alias}})
                self.client.indices.update_aliases(actions=actions)
        except BaseException:
            with contextlib.suppress(Exception):
                self.client.indices.delete(index=new)
            raise
        for index in old:
            try:
                self.client.indices.delete(index=index)
            except (ApiError, TransportError) as exc:
                log.warning("could not delete the previous index %s (%s); delete it by hand", index, exc)
        return report

    # -- reading ----------------------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResults:
        terms = parse(query.text)
        results = self._search(query, search_query(query, terms))
        if not results.total and len(terms) > 1:  # (a later page of partial matches too)
            # Nobody has every word: the documents that have the most of them, and say so.
            results = self._search(query, search_query(query, terms, every=False))
            results.partial = bool(results.total)
        return results

    def _search(self, query: SearchQuery, es_query: dict[str, Any]) -> SearchResults:
        self._ensure()
        position = decode_cursor(self.name, query)
        body: dict[str, Any] = {
            "query": es_query,
            "sort": SORTS[query.sort],
            "size": query.size,
            "track_total_hits": True,
            "_source": _HIT_SOURCE,
            "highlight": {
                "pre_tags": [HIGHLIGHT[0]], "post_tags": [HIGHLIGHT[1]], "encoder": "default",
                "fields": {f: {"fragment_size": SNIPPET_CHARS, "number_of_fragments": 1,
                               **({"no_match_size": SNIPPET_CHARS} if f == SNIPPET_FIELDS[0] else {})}
                           for f in SNIPPET_FIELDS},
            },
        }
        if query.sort != "relevance":
            body["track_scores"] = True
        seen = 0
        if position is not None:
            if not (isinstance(position, dict) and isinstance(position.get("after"), list)
                    and len(position["after"]) <= 4 and type(position.get("seen")) is int
                    and 0 <= position["seen"] <= 1 << 40):
                raise InvalidCursorError("the page cursor is damaged; start the search again without it")
            body["search_after"], seen = position["after"], position["seen"]
        elif query.offset:
            if query.offset + query.size > MAX_OFFSET:
                raise IndexError_(f"pages beyond the first {MAX_OFFSET:,} results are reached by following "
                                  "next_cursor, not by page number")
            body["from"] = seen = query.offset
        if query.facets:
            body["aggs"] = {
                "class": {"terms": {"field": "class", "size": FACET_SIZES["class"]}},
                "vendor": {"terms": {"field": "vendor.raw", "size": FACET_SIZES["vendor"]}},
                "month": {"date_histogram": {"field": "date", "calendar_interval": "month", "format": "yyyy-MM",
                                             "min_doc_count": 1}},
                # both spellings of a VAT id are buckets of their own here; correspondent_facet merges them
                # one bucket per (party, spelling of its name); _facets merges the spellings
                "correspondent": {"terms": {"field": "correspondent_labels", "size": FACET_SIZES["correspondent"] * 10,
                                            **_excluding(self.own)}},
                "tag": {"terms": {"field": "tags", "size": FACET_SIZES["tag"] * 2}},
            }
        with self._talking("search"):
            response = self.client.search(index=self.alias, **body).body
        raw_hits = response["hits"]["hits"]
        total = response["hits"]["total"]["value"]
        hits = [_hit(h) for h in raw_hits]
        seen += len(hits)
        next_cursor = None
        if raw_hits and seen < total:
            next_cursor = encode_cursor(self.name, query, {"after": raw_hits[-1]["sort"], "seen": seen})
        facets, names = _facets(response.get("aggregations", {}), self.own) if query.facets else ({}, {})
        return SearchResults(total=total, hits=hits, facets=facets, next_cursor=next_cursor, names=names,
                             took_ms=float(response.get("took", 0)))

    def ids(self) -> Iterator[tuple[str, int]]:
        self._ensure()
        with self._talking("list the indexed documents"):
            for hit in helpers.scan(self.client, index=self.alias, query={"_source": ["version"]}, size=1000):
                yield hit["_id"], int(hit["_source"].get("version", 0))

    def count(self) -> int:
        self._ensure()
        with self._talking("count the documents"):
            return int(self.client.count(index=self.alias)["count"])

    def check(self) -> None:
        with self._talking("check the cluster"):
            health = self.client.cluster.health(timeout=f"{int(self.settings.request_timeout)}s")
        if health["status"] == "red":
            raise IndexUnavailableError(f"Elasticsearch at {self.hosts} reports cluster health red")
        self._ensure()

    def refresh(self) -> None:
        """Make everything written so far searchable now (benchmarks and tests)."""
        with self._talking("refresh the index"):
            self.client.indices.refresh(index=self.alias)

    def close(self) -> None:
        self.client.close()


# ---------------------------------------------------------------------------------------------
# Documents and queries
# ---------------------------------------------------------------------------------------------
_NON_WORD = re.compile(r"[\W_]+")


def document(record: Record) -> dict[str, Any]:
    """What Elasticsearch stores for a record: the shared flat view plus search helpers."""
    doc = index_document(record)
    total = doc.pop("total")
    # Subjects go into fields the mapping has (no new mapping, no reindex needed to keep filing):
    # names beside the contract parties, identifiers beside the other identifiers.
    subjects = doc.pop("subjects")
    names = [v for k, v in subjects if k == "name"]
    keys = doc.pop("keys")
    parties = doc.pop("correspondents")
    return {
        **doc,
        "parties": doc["parties"] + [n for n in names if n not in doc["parties"]],
        "total": str(total) if total is not None else None,
        "total_cents": cents(total) if total is not None else None,
        # Value keys (amounts, dates: query.document_keys) sit beside the identifiers, never clashing.
        "identifiers": sorted({compact(v) for v in identifier_values(doc) if compact(v)}
                              | {v for k, v in subjects if k != "name"} | set(keys)),
        "identifier_words": " ".join(identifier_values(doc)),
        # File names like 'fattura_123.pdf' are words for people; break them as the words they are.
        "title": _NON_WORD.sub(" ", title_text(doc)).strip(),
        "correspondents": [key for key, _ in parties],
        "correspondent_labels": [f"{key}{LABEL_SEPARATOR}{name}" for key, name in parties],
    }


def search_query(q: SearchQuery, terms: list[Term] | None = None, *, every: bool = True) -> dict[str, Any]:
    filters = search_filters(q)
    terms = (parse(q.text) if terms is None else terms)[:MAX_QUERY_WORDS]
    if not terms:
        return {"bool": {"filter": filters}} if filters else {"match_all": {}}
    # Each term must match (every=True) or any may (the fallback): a plain chunk in at least one
    # field variant, each field analysing it its own way; a value as printed or by its key.
    clauses = [_term_clause(term) for term in terms]
    matching = ({"bool": {"must": clauses}} if every else
                {"bool": {"should": clauses, "minimum_should_match": 1}})
    chunks = [t.typed for t in terms]
    whole = compact(q.text)
    exact_ids = sorted({whole, *(compact(c) for c in chunks)} - {""})
    identifier = {"terms": {"identifiers": exact_ids, "boost": IDENTIFIER_BOOST}}
    # An identifier typed with spaces ('IT 0751 5280 159') finds its document although its pieces
    # are not words of it; otherwise the exact identifier only lifts its document to the top.
    anyhow = [matching]
    if whole:
        anyhow.append({"term": {"identifiers": {"value": whole}}})
    return {"bool": {"must": [{"bool": {"should": anyhow, "minimum_should_match": 1}}],
                     "should": [identifier], "filter": filters}}


def _term_clause(term: Term) -> dict[str, Any]:
    if term.kind == "words":
        return {"multi_match": {"query": term.typed, "fields": TEXT_FIELDS, "type": "best_fields",
                                "operator": "and", "tie_breaker": 0.3}}
    options: list[dict[str, Any]] = [
        {"multi_match": {"query": phrase, "fields": ["text", "text.folded", "title", "title.folded", "identifier_words"],
                         "type": "phrase"}}
        for phrase in term.printed]
    if term.kind in ("month", "year") and len(words(term.typed)) == 1:  # a word like any other too
        options.append({"multi_match": {"query": term.typed, "fields": TEXT_FIELDS, "type": "best_fields",
                                        "operator": "and"}})
    if term.keys:
        options.append({"terms": {"identifiers": list(term.keys), "boost": 4.0}})
    return {"bool": {"should": options, "minimum_should_match": 1}}


def search_filters(q: SearchQuery) -> list[dict[str, Any]]:
    filters: list[dict[str, Any]] = []
    if q.doc_class:
        filters.append({"term": {"class": q.doc_class}})
    if q.date_from or q.date_to:
        bounds = {k: v.isoformat() for k, v in (("gte", q.date_from), ("lte", q.date_to)) if v}
        filters.append({"range": {"date": bounds}})
    if q.min_total is not None or q.max_total is not None:
        bounds = {k: cents(v) for k, v in (("gte", q.min_total), ("lte", q.max_total)) if v is not None}
        filters.append({"range": {"total_cents": bounds}})
    if q.vendor:
        pattern = "*" + re.sub(r"([*?\\])", r"\\\1", q.vendor) + "*"
        filters.append({"wildcard": {"vendor.raw": {"value": pattern, "case_insensitive": True}}})
    if q.vat and (forms := vat_forms(q.vat)):
        # The vendor's VAT id in either form, or any other subject's partita IVA (DM 17/6/2014).
        filters.append({"bool": {"should": [{"terms": {"vendor_vat": forms}},
                                            {"term": {"identifiers": subject_key("vat", q.vat)}}],
                                 "minimum_should_match": 1}})
    if q.taxcode:
        filters.append({"term": {"identifiers": subject_key("cf", q.taxcode)}})
    if q.name:
        pattern = "*" + re.sub(r"([*?\\])", r"\\\1", subject_key("name", q.name)) + "*"
        filters.append({"bool": {"should": [{"wildcard": {"parties.raw": {"value": pattern, "case_insensitive": True}}},
                                            {"wildcard": {"vendor.raw": {"value": pattern, "case_insensitive": True}}}],
                                 "minimum_should_match": 1}})
    if q.needs_review is not None:
        filters.append({"term": {"needs_review": q.needs_review}})
    if q.tag:
        filters.append({"term": {"identifiers": tag_key(q.tag)}})
    if q.correspondent:
        filters.append({"term": {"correspondents": q.correspondent}})
    if q.folder:
        filters.append({"bool": {"should": [{"term": {"folder": q.folder}},
                                            {"prefix": {"folder": q.folder.rstrip("/") + "/"}}],
                                 "minimum_should_match": 1}})
    return filters


def _hit(raw: dict[str, Any]) -> Hit:
    src = raw["_source"]
    marks = raw.get("highlight", {})
    fragments = [marks[f][0] for f in SNIPPET_FIELDS if marks.get(f)]
    snippet = next((f for f in fragments if HIGHLIGHT[0] in f), fragments[0] if fragments else "")
    return Hit(
        id=raw["_id"], score=round(float(raw.get("_score") or 0.0), 4), doc_class=src["class"],
        filename=src.get("filename") or "", folder=src.get("folder") or "", date=src.get("date"),
        total=src.get("total"), currency=src.get("currency"), vendor=src.get("vendor"), number=src.get("number"),
        needs_review=bool(src.get("needs_review")), snippet=" ".join(snippet.split()),
        tags=tuple(src.get("tags") or ()),
    )


def _facets(aggs: dict[str, Any], own: Iterable[str] = ()) -> tuple[dict[str, list[tuple[str, int]]], dict[str, str]]:
    out = {name: [(b["key"], b["doc_count"]) for b in aggs.get(name, {}).get("buckets", [])]
           for name in ("class", "vendor")}
    out["month"] = month_facet((b["key_as_string"], b["doc_count"]) for b in aggs.get("month", {}).get("buckets", []))
    labels = (b["key"].partition(LABEL_SEPARATOR) + (b["doc_count"],) for b in aggs.get("correspondent", {}).get("buckets", []))
    out["correspondent"], names = correspondent_facet(((key, name or None, n) for key, _, name, n in labels), own)
    out["tag"] = tag_facet((b["key"], b["doc_count"]) for b in aggs.get("tag", {}).get("buckets", []))
    return out, names


def _excluding(own: Iterable[str]) -> dict[str, str]:
    """A terms aggregation's ``exclude`` for the labels of the archive's own company."""
    keys = [re.sub(r"([^A-Za-z0-9])", r"\\\1", k) for k in own]
    return {"exclude": f"({'|'.join(keys)}){re.escape(LABEL_SEPARATOR)}.*"} if keys else {}


# ---------------------------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------------------------
def _public(url: str) -> str:
    """The host as a person names it, without credentials embedded in the URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}{':' + str(parts.port) if parts.port else ''}" if parts.hostname else url


def _reason(exc: ApiError) -> str:
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error")
    if isinstance(error, dict):
        cause = (error.get("root_cause") or [error])[0]
        return f"{cause.get('type', 'error')}: {cause.get('reason', '')}".strip()
    return str(error or exc.message)


def _cause(exc: TransportError) -> str:
    text = f"{exc} {getattr(exc, 'message', '')} {exc.__cause__ or ''}"
    for pattern, say in ((r"\[Errno -?\d+\] ([^)\]'\"]+)", None), (r"timed out", "timed out"),
                         (r"CERTIFICATE_VERIFY_FAILED|certificate verify failed", "its TLS certificate is not trusted "
                          "(set index.ca_certs)")):
        found = re.search(pattern, text)
        if found:
            return say or found.group(1).strip().lower()
    return type(exc).__name__


def _item_reason(result: dict[str, Any]) -> str:
    error = result.get("error")
    if isinstance(error, dict):
        reason = f"{error.get('type', 'error')}: {error.get('reason', '')}"
        caused = error.get("caused_by")
        if isinstance(caused, dict) and caused.get("reason"):
            reason += f" ({caused['reason']})"
        return reason
    return str(error or f"status {result.get('status')}")


def _template_version(index: str) -> int | None:
    found = re.search(r"-v(\d+)-", index)
    return int(found.group(1)) if found else None
