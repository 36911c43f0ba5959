"""The web page in a real headless Chromium: sign in with a token, search, open a document,
correct a field, find the correction by searching; an auditor verifies and sees the export
button. A screenshot of each page is kept under test-output/screenshots/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from apitools import served_copy

CHROMIUM = os.environ.get("ARCHIVIO_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium is not installed at {CHROMIUM}: run scripts/setup test (apt package chromium)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site(filed_office, tmp_path_factory):
    with served_copy(filed_office, tmp_path_factory.mktemp("browser-office")) as (server, tokens, office):
        yield server.url, tokens, office


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_archivist_signs_in_searches_opens_corrects_and_finds_the_correction(browser, site):
    url, tokens, office = site
    doc_id = office.ids["fattura_11.pdf"]
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="it-IT")
    page = context.new_page()

    response = page.goto(f"{url}/search")
    assert response.status == 401
    assert page.locator("input#token").is_visible()
    shot(page, "01-login")

    page.fill("input#token", tokens.archivist)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/search")
    assert page.locator("#result-count").is_visible()
    shot(page, "02-search")

    page.fill("input[name=q]", "fattura")
    page.click("#search-button")
    page.wait_for_url("**/search?**q=fattura**")
    assert page.locator(".hit").count() >= 3
    assert page.locator(".snippet mark").count() >= 1
    assert page.locator(".facet[data-facet=class] .count").first.inner_text().strip().isdigit()
    shot(page, "03-results")

    page.click(f"a.title[href='/documents/{doc_id}']")
    page.wait_for_url(f"**/documents/{doc_id}")
    page.wait_for_function("() => { const i = document.querySelector('.page img'); return i && i.complete && i.naturalWidth > 0; }")
    assert page.locator("tr.field[data-field=vendor_vat] .why.good").is_visible()
    shot(page, "04-document")

    page.fill("#f-vendor_name", "Fornitore Corretto Srl")
    page.fill("#note", "nome del fornitore mancante")
    page.click("#save")
    page.wait_for_selector("details.history li:has-text('Fornitore Corretto Srl')")
    assert page.locator("#f-vendor_name").input_value() == "Fornitore Corretto Srl"
    shot(page, "05-corrected")

    page.goto(f"{url}/search?q=Corretto")
    hits = page.locator(".hit")
    assert hits.count() == 1
    assert "Fornitore Corretto Srl" in hits.first.inner_text()
    shot(page, "06-search-finds-correction")

    page.click("a[data-lang=en]")
    page.wait_for_selector("#search-button:has-text('Search')")
    assert page.locator("html").get_attribute("lang") == "en"
    shot(page, "07-english")

    page.click("nav a[href='/review']")
    page.wait_for_url(f"{url}/review")
    assert page.locator("h1").inner_text().startswith("Review queue")
    shot(page, "08-review-queue")
    context.close()


def test_stale_edit_in_a_second_tab_shows_the_conflict(browser, site):
    url, tokens, office = site
    doc_id = office.ids["scontrino.pdf"]
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-GB")
    context.new_page().goto(f"{url}/login")
    first, second = context.pages[0], context.new_page()
    first.fill("input#token", tokens.archivist)
    first.click("button[type=submit]")
    first.wait_for_url(f"{url}/search")
    for tab in (first, second):
        tab.goto(f"{url}/documents/{doc_id}")
    first.fill("#f-merchant_name", "Green Leaf Cafe Ltd")
    first.click("#save")
    first.wait_for_selector("details.history li:has-text('Green Leaf Cafe Ltd')")
    second.fill("#f-merchant_name", "Someone Else")
    second.click("#save")
    second.wait_for_selector("#form-message.bad")
    assert "Someone else changed the document" in second.locator("#form-message").inner_text()
    shot(second, "09-conflict")
    context.close()


def test_auditor_verifies_a_document_and_sees_the_export_button(browser, site):
    url, tokens, office = site
    doc_id = office.ids["fattura_scansionata.jpg"]
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="it-IT")
    page = context.new_page()
    page.goto(f"{url}/login")
    page.fill("input#token", tokens.auditor)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/search")
    page.goto(f"{url}/search?class=invoice")
    assert page.locator("a#export").is_visible()
    with page.expect_download() as download:
        page.click("a#export")
    assert download.value.suggested_filename.endswith(".zip")
    shot(page, "10-auditor-search")

    page.goto(f"{url}/documents/{doc_id}")
    assert page.locator("#save").count() == 0  # auditors change nothing
    page.click("#verify")
    page.wait_for_selector("#verify-result.good")
    assert "SHA-256" in page.locator("#verify-result").inner_text()
    page.wait_for_function("() => { const i = document.querySelector('.page img'); return i && i.complete && i.naturalWidth > 0; }")
    shot(page, "11-auditor-document")
    context.close()
