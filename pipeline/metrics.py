"""Prometheus metrics of the watcher, the workers and the API.

Pages per minute is ``rate(archivio_pages_total[5m]) * 60`` in Prometheus; a worker's prefork
children write to a shared folder (``PROMETHEUS_MULTIPROC_DIR``, set by ``archivio worker``)
that its /metrics endpoint adds up.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

DOCUMENTS = Counter("archivio_documents_total", "Documents finished, by outcome and class", ["outcome", "doc_class"])
PAGES = Counter("archivio_pages_total", "Pages read, by method (text layer or OCR)", ["method"])
STAGE = Histogram("archivio_stage_seconds", "Time spent in each stage of one document (ocr: per page)", ["stage"],
                  buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 40, 80, 160, 320, 640))
QUEUE_DEPTH = Gauge("archivio_queue_depth", "Documents waiting to be read", multiprocess_mode="max")
WORKERS_ALIVE = Gauge("archivio_workers_alive", "Workers answering the broker's ping", multiprocess_mode="max")


def document_done(outcome: str, doc_class: str | None = None) -> None:
    DOCUMENTS.labels(outcome, doc_class or "").inc()


def pages_read(pages) -> None:
    for page in pages:
        PAGES.labels(page.method).inc()


def ocr_pages(pages, seconds: float) -> None:
    """The "ocr" stage, per page: a document's reading time spread over its OCR pages (Tesseract
    runs page by page inside one reading, which is timed as a whole)."""
    ocr = sum(1 for page in pages if page.method == "ocr")
    for _ in range(ocr):
        STAGE.labels("ocr").observe(seconds / ocr)


@contextlib.contextmanager
def timed(stage: str) -> Iterator[None]:
    started = time.monotonic()
    try:
        yield
    finally:
        STAGE.labels(stage).observe(time.monotonic() - started)


def serve(port: int) -> None:
    """/metrics on ``port`` (all addresses: Prometheus scrapes from another machine or pod)."""
    if not port:
        return
    registry = None
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    start_http_server(port, registry=registry) if registry else start_http_server(port)
