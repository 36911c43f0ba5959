"""The Prometheus figures the watcher and workers publish."""

from __future__ import annotations

from prometheus_client import REGISTRY

from pipeline import metrics
from pipeline.records import Page


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_ocr_time_is_per_ocr_page_and_documents_count_by_outcome_and_class():
    before = value("archivio_stage_seconds_count", stage="ocr")
    pages = [Page(number=1, width=1, height=1, method="ocr"), Page(number=2, width=1, height=1, method="ocr"),
             Page(number=3, width=1, height=1, method="text")]
    metrics.ocr_pages(pages, 3.0)
    assert value("archivio_stage_seconds_count", stage="ocr") == before + 2
    filed = value("archivio_documents_total", outcome="filed", doc_class="invoice")
    metrics.document_done("filed", "invoice")
    assert value("archivio_documents_total", outcome="filed", doc_class="invoice") == filed + 1
    text = value("archivio_pages_total", method="text")
    metrics.pages_read(pages)
    assert value("archivio_pages_total", method="text") == text + 1
