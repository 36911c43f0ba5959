"""What only the Elasticsearch backend has: its alias and versioned indices, its failure modes, and
the commands that drive it. Runs against the real node started by tests/services/elasticsearch."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
from index_corpus import make_record, records
from index_fixtures import backend_settings, drop_elastic, es_url, open_backend  # noqa: F401  (fixture)

from pipeline.cli import main
from pipeline.config import load_settings
from pipeline.errors import IndexError_, IndexUnavailableError
from pipeline.index import SearchQuery, open_index
from pipeline.index.elastic import ElasticIndex, load_template
from pipeline.store import open_archive


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def behind_alias(index: ElasticIndex) -> list[str]:
    return sorted(index.client.indices.get_alias(name=index.alias).body)


def test_documents_live_in_a_versioned_index_behind_the_alias(open_backend):
    index = open_backend("elasticsearch")
    index.upsert(records())
    version = load_template()["_meta"]["version"]
    assert behind_alias(index) == [f"{index.alias}-v{version}-initial"]
    template = index.client.indices.get_index_template(name=index.alias).body["index_templates"][0]
    assert template["index_template"]["_meta"]["version"] == version
    mapping = index.client.indices.get_mapping(index=index.alias).body
    properties = next(iter(mapping.values()))["mappings"]["properties"]
    assert properties["text"]["fields"]["it"]["analyzer"] == "italian"
    assert properties["date"]["type"] == "date" and properties["total_cents"]["type"] == "long"


def test_rebuild_moves_the_alias_to_a_new_index_and_drops_the_old_one(open_backend):
    index = open_backend("elasticsearch")
    index.upsert(records())
    before = behind_alias(index)
    index.rebuild(records()[:2])
    after = behind_alias(index)
    assert len(after) == 1 and after != before
    assert not index.client.indices.exists(index=before[0])
    assert index.count() == 2
    settings = index.client.indices.get_settings(index=after[0]).body[after[0]]["settings"]["index"]
    assert settings["number_of_replicas"] == "0" and "refresh_interval" not in settings  # restored after loading


def test_search_answers_from_the_old_index_until_the_new_one_is_complete(open_backend):
    index = open_backend("elasticsearch")
    index.upsert(records())
    counts: list[int] = []
    loading = threading.Event()

    def slow_records():
        for record in records():
            loading.set()
            time.sleep(0.15)
            yield record

    rebuild = threading.Thread(target=index.rebuild, args=(slow_records(),))
    rebuild.start()
    loading.wait(5)
    while rebuild.is_alive():
        counts.append(index.search(SearchQuery(facets=False)).total)
        time.sleep(0.05)
    rebuild.join()
    assert len(counts) >= 5
    assert set(counts) == {8}


def test_unreachable_cluster_is_one_line_that_names_the_host(tmp_path):
    port = closed_port()
    settings = backend_settings("elasticsearch", tmp_path, **{
        "index.hosts": [f"http://127.0.0.1:{port}"], "index.max_retries": 0, "index.request_timeout": 3.0})
    index = open_index(settings)
    for attempt in (index.check, lambda: index.upsert(records()[:1]), lambda: index.search(SearchQuery(text="x"))):
        with pytest.raises(IndexUnavailableError) as caught:
            attempt()
        message = str(caught.value)
        assert f"127.0.0.1:{port}" in message and "\n" not in message
        assert "connection refused" in message
        assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_document_the_index_refuses_is_listed_and_the_others_are_indexed(open_backend):
    index = open_backend("elasticsearch")
    garbage = make_record("garbage", "invoice", "Fattura illeggibile", filename="rotto.pdf",
                          total_amount="100000000000000000.00")  # more cents than a long holds
    report = index.upsert([*records()[:3], garbage])
    assert report.indexed == 3
    assert [doc_id for doc_id, _ in report.failed] == [garbage.id]
    assert "total_cents" in report.failed[0][1]
    assert index.count() == 3


def test_garbage_identifier_does_not_keep_its_document_out_of_the_index(open_backend):
    index = open_backend("elasticsearch")
    garbled = make_record("garbled", "invoice", "Fattura con numero illeggibile", filename="rotto.pdf",
                          number="9" * 40_000)  # far longer than Lucene takes as one term
    assert index.upsert([garbled]).failed == []
    assert [h.id for h in index.search(SearchQuery(text="illeggibile")).hits] == [garbled.id]


def test_host_credentials_never_appear_in_messages(tmp_path):
    port = closed_port()
    settings = backend_settings("elasticsearch", tmp_path, **{
        "index.hosts": [f"http://archivist:s3cret@127.0.0.1:{port}"], "index.max_retries": 0})
    with pytest.raises(IndexUnavailableError) as caught:
        open_index(settings).check()
    assert "s3cret" not in str(caught.value) and f"127.0.0.1:{port}" in str(caught.value)


# -- settings and commands ------------------------------------------------------------------------
def test_index_settings_come_from_the_environment_and_secrets_stay_hidden(tmp_path):
    settings = load_settings(env={
        "ARCHIVIO_INDEX_BACKEND": "elasticsearch", "ARCHIVIO_INDEX_HOSTS": "https://es1:9200, https://es2:9200",
        "ARCHIVIO_INDEX_API_KEY": "c2VjcmV0OmtleQ==", "ARCHIVIO_INDEX_REFRESH": "false"}, cwd=tmp_path)
    assert settings.index.hosts == ["https://es1:9200", "https://es2:9200"]
    assert settings.index.api_key.get_secret_value() == "c2VjcmV0OmtleQ=="
    assert settings.index.refresh == "false"
    assert "c2VjcmV0" not in str(settings.model_dump(mode="json"))


def write_config(path: Path, root: Path, index: dict) -> Path:
    lines = ["[paths]"] + [f'{name} = "{root / name}"' for name in ("inbox", "processed", "quarantine", "duplicates",
                                                                    "data")]
    lines.append("[index]")
    for key, value in index.items():
        lines.append(f"{key} = {value!r}".replace("'", '"') if not isinstance(value, list)
                     else f"{key} = [{', '.join(repr(v).replace(chr(39), chr(34)) for v in value)}]")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_reindex_command_rebuilds_from_the_store_and_swaps_the_alias(tmp_path, capsys):
    settings = backend_settings("elasticsearch", tmp_path)
    archive = open_archive(settings)
    for record in records():
        archive.save_record(record)
    index = open_index(settings)
    try:
        index.upsert(records()[:2])
        before = behind_alias(index)
        config = write_config(tmp_path / "archivio.toml", tmp_path, {
            "backend": "elasticsearch", "hosts": [es_url()], "prefix": settings.index.prefix, "replicas": 0})
        assert main(["--config", str(config), "--quiet", "reindex"]) == 0
        assert "indexed 8 document(s)" in capsys.readouterr().out
        assert behind_alias(index) != before and index.count() == 8
        assert main(["--config", str(config), "search", "--facets", "contratti"]) == 0
        out = capsys.readouterr().out
        assert "locazione.pdf" in out and "by class: contract 1" in out
    finally:
        drop_elastic(index)


def test_search_command_says_in_one_line_that_the_cluster_is_unreachable(tmp_path, capsys):
    port = closed_port()
    config = write_config(tmp_path / "archivio.toml", tmp_path, {
        "backend": "elasticsearch", "hosts": [f"http://127.0.0.1:{port}"], "max_retries": 0})
    assert main(["--config", str(config), "search", "fattura"]) == 1
    err = capsys.readouterr().err
    assert err.strip().count("\n") == 0 and f"127.0.0.1:{port}" in err and "Traceback" not in err


def test_page_numbers_past_ten_thousand_results_point_to_the_cursor(open_backend):
    index = open_backend("elasticsearch")
    with pytest.raises(IndexError_, match="next_cursor"):
        index.search(SearchQuery(text="fattura", offset=10_000, size=20))
