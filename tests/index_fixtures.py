"""Index fixtures: the same tests run against the embedded SqliteIndex and a real Elasticsearch.

Test modules import the fixtures they use from here (a nested conftest.py would shadow the
shared one, which other test modules import as ``conftest``).

``loaded`` is an index holding the fixed corpus (one per backend per module, read-only tests);
``fresh`` is an empty index per test. Each Elasticsearch fixture works under its own name prefix
and removes its indices and template afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from support import make_settings, need_service
from index_corpus import records

from pipeline.config import Settings
from pipeline.index import SearchIndex, open_index

BACKENDS = ["sqlite", "elasticsearch"]
HOW_TO_START = ("start it with `eval \"$(tests/services/elasticsearch/service.sh start)\"` "
                "(scripts/test does this for you)")


def es_url() -> str:
    return need_service("Elasticsearch", "ARCHIVIO_TEST_ES_URL", HOW_TO_START)


def backend_settings(backend: str, root: Path, **overrides) -> Settings:
    if backend == "elasticsearch":
        overrides = {"index.backend": "elasticsearch", "index.hosts": [es_url()],
                     "index.prefix": f"test-{uuid.uuid4().hex[:10]}", "index.replicas": 0,
                     "index.request_timeout": 20.0, **overrides}
    return make_settings(root, **overrides)


def drop_elastic(index) -> None:
    client = index.client
    client.indices.delete(index=f"{index.alias}-*", ignore_unavailable=True, allow_no_indices=True)
    client.options(ignore_status=404).indices.delete_index_template(name=index.alias)


@pytest.fixture
def open_backend(tmp_path: Path):
    """Open an index of a backend under tmp_path; Elasticsearch ones are removed afterwards."""
    opened: list[SearchIndex] = []

    def opener(backend: str, **overrides) -> SearchIndex:
        index = open_index(backend_settings(backend, tmp_path / f"office{len(opened)}", **overrides))
        opened.append(index)
        return index

    yield opener
    for index in opened:
        if index.name == "elasticsearch":
            drop_elastic(index)
        index.close()


@pytest.fixture(params=BACKENDS)
def fresh(request, open_backend) -> SearchIndex:
    return open_backend(request.param)


@pytest.fixture(scope="module", params=BACKENDS)
def loaded(request, tmp_path_factory) -> Iterator[SearchIndex]:
    settings = backend_settings(request.param, tmp_path_factory.mktemp(request.param))
    index = open_index(settings)
    report = index.upsert(records())
    assert report.failed == [] and report.indexed == len(records())
    yield index
    if index.name == "elasticsearch":
        drop_elastic(index)
    index.close()
