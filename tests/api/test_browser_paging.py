"""Paging on the web page, in a real headless Chromium: 45 matching documents are all reached
through "next", on search and on the review queue (issue 11, item 5)."""

from __future__ import annotations

import pytest

from apitools import served_copy
from index_corpus import make_record
from pipeline.index import open_index
from pipeline.store import open_archive
from test_browser import browser  # noqa: F401 - the shared Chromium fixture

MANY = 45


@pytest.fixture(scope="module")
def paged_site(filed_office, tmp_path_factory):
    with served_copy(filed_office, tmp_path_factory.mktemp("paging-office")) as (server, tokens, office):
        records = [make_record(f"paging-{n}", "invoice", f"Fattura paginazione numero {n}", filename=f"p{n:02d}.pdf",
                               needs_review=True, minutes=n) for n in range(MANY)]
        archive = open_archive(office.settings)
        for record in records:
            archive.save_record(record)
        index = open_index(office.settings)
        index.upsert(records)
        index.close()
        yield server.url, tokens, {r.id for r in records}


def _follow_pages(page, start: str, hit_selector: str) -> tuple[list[str], int]:
    ids: list[str] = []
    pages = 0
    response = page.goto(start)
    while True:
        assert response is None or response.status == 200, f"page {pages + 1}: HTTP {response.status}"
        pages += 1
        ids += [href.rsplit("/", 1)[1] for href in page.eval_on_selector_all(
            hit_selector, "links => links.map(a => a.getAttribute('href'))")]
        following = page.locator("nav.pager a", has_text="→")
        if following.count() == 0 or pages > 10:
            return ids, pages
        with page.expect_navigation():
            following.click()
        response = None
        assert "500" not in page.title() and "404" not in page.title()


def test_all_45_results_and_the_whole_review_queue_are_reached_page_by_page(browser, paged_site):  # noqa: F811
    url, tokens, made = paged_site
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(f"{url}/login")
    page.fill("input#token", tokens.archivist)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/search")

    ids, pages = _follow_pages(page, f"{url}/search?q=paginazione", "ol.hits a.title")
    assert pages == 3
    assert len(ids) == len(set(ids)) == MANY and set(ids) == made

    queued, pages = _follow_pages(page, f"{url}/review", "table.queue td a")
    assert pages >= 3
    assert len(queued) == len(set(queued)) and made <= set(queued)
    context.close()
