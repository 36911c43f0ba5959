"""The office-ready page in a real Chromium, in Italian and English: search as clerks type it
(amounts, VAT ids, dates), a page with no English left, upload, saved searches, thumbnails, a
low-confidence total landing in the review queue and leaving it once confirmed, the audit filter
and an export's CSV. One served archive and one browser for the whole module; screenshots go to
test-output/screenshots/ (names start with "office-")."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from decimal import Decimal

import pytest
from apitools import served_copy
from test_browser import browser, shot  # noqa: F401  (the module's shared Chromium)

import docgen
from pipeline.api.i18n import _WORDS
from pipeline.doubt import low_confidence_reasons

pytestmark = pytest.mark.slow

# Parts of a page that show the archive's data (document text, names, file names), not the page's words.
_DATA = ".snippet, .hit-sub, a.title, #doc-title, #doc-file, code, .facet[data-facet=vendor], .facet[data-facet=correspondent] a, .facet[data-facet=tag] a, .hit-tags, .actor, del, ins, " \
        "figure, input, textarea, select option:not(:checked), .saved li.mine, #upload-results"
_VISIBLE_TEXT = """(selector) => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll(selector).forEach((n) => n.remove());
  const attrs = Array.from(copy.querySelectorAll('[placeholder],[title],[aria-label],[alt]'))
    .flatMap((n) => ['placeholder', 'title', 'aria-label', 'alt'].map((a) => n.getAttribute(a) || ''));
  return copy.innerText + '\\n' + attrs.join('\\n') + '\\n' + document.title;
}"""


def leftover(page, lang: str) -> list[str]:
    """Catalogue strings of the other language that are still on the page."""
    other = 1 if lang == "it" else 0
    mine = 0 if lang == "it" else 1
    text = page.evaluate(_VISIBLE_TEXT, _DATA)
    found = []
    for key, pair in _WORDS.items():
        foreign, own = pair[other], pair[mine]
        if foreign == own or len(foreign) < 3 or foreign in own:
            continue
        if re.search(r"(?<!\w)" + re.escape(foreign) + r"(?!\w)", text):
            found.append(f"{key}: {foreign!r}")
    return found


@pytest.fixture(scope="module")
def office(filed_office, tmp_path_factory):
    with served_copy(filed_office, tmp_path_factory.mktemp("office-browser")) as (server, tokens, copy):
        yield server.url, tokens, copy, server.server.config.app.state.services


def sign_in(browser, url, token, locale="it-IT"):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale=locale, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{url}/login")
    page.fill("input#token", token)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/search")
    return context, page


def italian(amount: str) -> str:
    return f"{Decimal(amount):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")


def hit_ids(page) -> list[str]:
    return [href.rsplit("/", 1)[1] for href in page.eval_on_selector_all("a.title", "els => els.map(e => e.getAttribute('href'))")]


def test_search_by_every_amount_vat_and_date_form_a_clerk_types(browser, office):
    url, tokens, copy, svc = office
    doc_id = copy.ids["fattura_11.pdf"]
    record = svc.archive.get_record(doc_id)
    total, vat, day = record.field_value("total_amount"), record.field_value("vendor_vat"), record.field_value("date")
    bare = vat[2:] if vat.startswith("IT") else vat
    y, m, d = day.split("-")
    context, page = sign_in(browser, url, tokens.archivist)
    forms = {"amount-it": italian(total), "amount-plain": total, "amount-comma": total.replace(".", ","),
             "amount-euro": "€ " + italian(total), "vat-it": "IT" + bare, "vat-bare": bare, "date": f"{d}/{m}/{y}"}
    for name, typed in forms.items():
        page.fill("input[name=q]", typed)
        page.click("#search-button")
        page.wait_for_load_state()
        assert doc_id in hit_ids(page), f"{name}: {typed}"
        if name == "amount-euro":
            shot(page, "office-01-search-amount-euro")
    page.goto(f"{url}/search")
    page.fill("input[name=from]", f"{d}/{m}/{y}")
    page.fill("input[name=to]", f"{d}/{m}/{y}")
    page.fill("input[name=min_total]", italian(total))
    page.click("#filter-form button[type=submit]")
    page.wait_for_load_state()
    assert doc_id in hit_ids(page)
    assert page.locator("input[name=from]").input_value() == f"{d}/{m}/{y}"
    page.goto(f"{url}/search?min_total=mille")
    assert "non è un importo" in page.locator(".filter-problem").inner_text()  # said in Italian, no server error
    page.goto(f"{url}/search?q=ornitorinco+{bare}")
    assert page.locator("#partial").is_visible() and doc_id in hit_ids(page)
    shot(page, "office-02-partial-matches")
    context.close()


def test_the_italian_page_has_no_english_left_and_the_english_none_italian(browser, office):
    url, tokens, copy, svc = office
    doc_id = copy.ids["fattura_12.pdf"]
    context, page = sign_in(browser, url, tokens.archivist)
    page.goto(f"{url}/documents/{doc_id}")
    page.fill("#f-vendor_name", "Ditta Corretta Srl")
    page.click("#save")
    page.wait_for_selector("details.history li:has-text('Ditta Corretta Srl')")
    page.fill("#f-total_amount", "abc")
    page.click("#save")
    page.wait_for_selector("#form-message.bad")
    assert "Totale: 'abc' non è un importo" in page.locator("#form-message").inner_text()
    page.reload()
    title = page.locator("#doc-title").inner_text()
    assert title.startswith("Fattura ") and "Ditta Corretta Srl" in title and " — " in title
    assert page.locator("#doc-file").inner_text().endswith("fattura_12.pdf")  # the file name stays visible
    checked = {}
    for path in ("/search?q=fattura", f"/documents/{doc_id}", "/review", "/search?q=ornitorinco+fattura"):
        page.goto(url + path)
        checked[path] = leftover(page, "it")
    shot(page, "office-03-italian-search")
    page.goto(f"{url}/documents/{doc_id}")
    shot(page, "office-04-italian-document")
    assert checked == {path: [] for path in checked}
    context.close()

    context, page = sign_in(browser, url, tokens.archivist, locale="en-GB")
    english = {}
    for path in ("/search?q=fattura&lang=en", f"/documents/{doc_id}", "/review"):
        page.goto(url + path)
        english[path] = leftover(page, "en")
    shot(page, "office-05-english-review")
    assert english == {path: [] for path in english}
    context.close()


def test_upload_by_the_browser_takes_files_like_the_inbox(browser, office, tmp_path):
    url, tokens, copy, svc = office
    new = docgen.italian_invoice(tmp_path / "fattura-dal-browser.pdf", seed=142).path
    again = copy.docs["contratto.pdf"].path
    context, page = sign_in(browser, url, tokens.archivist)
    page.set_input_files("#upload input[type=file]", [str(new), str(again)])
    page.wait_for_selector("#upload-results li[data-file='contratto.pdf']")
    page.wait_for_selector("#upload-results li[data-file='fattura-dal-browser.pdf']")
    assert "in lettura" in page.locator("#upload-results li.queued").inner_text()
    assert "già in archivio" in page.locator("#upload-results li.duplicate").inner_text()
    shot(page, "office-06-upload")
    assert (copy.settings.paths.processed / "web" / "fattura-dal-browser.pdf").exists()
    context.close()


def test_saved_searches_and_thumbnails_on_the_home_page(browser, office):
    url, tokens, copy, svc = office
    context, page = sign_in(browser, url, tokens.archivist)
    assert page.locator("#saved-searches li.office a", has_text="Fatture da rivedere").is_visible()
    page.wait_for_function("() => [...document.querySelectorAll('img.thumb')].some(i => i.complete && i.naturalWidth > 0)")
    page.goto(f"{url}/search?class=invoice")
    correspondent = page.locator(".facet[data-facet=correspondent] a").first  # counterparties, by VAT id first
    expected = int(page.locator(".facet[data-facet=correspondent] .count").first.inner_text())
    correspondent.click()
    page.wait_for_url("**correspondent=**")
    assert page.locator(".hit").count() == expected
    page.goto(f"{url}/search?class=invoice")
    page.fill("#save-search input[name=name]", "Tutte le fatture")
    page.click("#save-search button")
    page.wait_for_selector("#saved-searches li.mine a:has-text('Tutte le fatture')")
    # A search saved in this browser's storage by the page before the server kept them moves over.
    page.evaluate("""() => localStorage.setItem('archivio.savedSearches',
        JSON.stringify([{name: 'Scontrini vecchi', href: '/search?class=receipt'}]))""")
    page.reload()
    page.wait_for_selector("#saved-searches li.mine a:has-text('Scontrini vecchi')")
    assert page.evaluate("() => localStorage.getItem('archivio.savedSearches')") is None
    context.close()

    # Another browser (a new context: no cookies, no storage) of the same person has them.
    context, page = sign_in(browser, url, tokens.archivist)
    page.click("#saved-searches li.mine a:has-text('Tutte le fatture')")
    page.wait_for_url("**/search?class=invoice")
    assert page.locator(".hit").count() >= 3
    page.once("dialog", lambda dialog: dialog.accept("Fatture, tutte"))
    page.locator("#saved-searches li.mine", has_text="Tutte le fatture").locator("button.rename").click()
    page.wait_for_selector("#saved-searches li.mine a:has-text('Fatture, tutte')")
    page.locator("#saved-searches li.mine", has_text="Scontrini vecchi").locator("button.remove").click()
    page.wait_for_selector("#saved-searches li.mine a:has-text('Scontrini vecchi')", state="detached")
    shot(page, "office-07-saved-search-thumbnails")
    context.close()
    # The auditor's list is their own.
    context, page = sign_in(browser, url, tokens.auditor)
    assert page.locator("#saved-searches li.mine").count() == 0
    context.close()


def test_bulk_edit_tags_and_reclassifies_a_selection_and_the_tag_filters(browser, office):
    url, tokens, copy, svc = office
    tagged = [copy.ids["fattura_11.pdf"], copy.ids["fattura_13.pdf"]]
    context, page = sign_in(browser, url, tokens.archivist)
    page.goto(f"{url}/search?class=invoice")
    for doc_id in tagged:
        page.check(f"input.pick[value='{doc_id}']")
    page.fill("#bulk input[name=add_tags]", "Da pagare, Officina")
    shot(page, "office-11-bulk-edit")
    page.click("#bulk-apply")
    page.wait_for_selector("#bulk-message:has-text('Documenti aggiornati: 2')")
    page.goto(f"{url}/search?tag=da+pagare")
    assert sorted(hit_ids(page)) == sorted(tagged)
    assert page.locator(".hit .hit-tags").first.locator("a.tag").all_inner_texts() == ["Da pagare", "Officina"]
    page.goto(f"{url}/search?class=invoice")
    page.locator(".facet[data-facet=tag] a", has_text="Officina").click()  # the tag facet filters
    page.wait_for_url("**tag=Officina**")
    assert sorted(hit_ids(page)) == sorted(tagged)
    page.goto(f"{url}/documents/{tagged[0]}")
    assert page.locator("#doc-tags a.tag").all_inner_texts() == ["Da pagare", "Officina"]
    assert page.locator("details.history li li:has-text('Etichette: – → Da pagare; Officina')").count() == 1

    contract = copy.ids["contratto.pdf"]
    page.goto(f"{url}/search?class=contract")
    page.check(f"input.pick[value='{contract}']")
    page.select_option("#bulk select[name=class]", "other")
    page.click("#bulk-apply")
    page.wait_for_selector("#bulk-message:has-text('Documenti aggiornati: 1')")
    assert svc.archive.get_record(contract).doc_class == "other"
    context.close()


def test_a_low_confidence_total_is_queued_and_leaves_the_queue_once_confirmed(browser, office):
    url, tokens, copy, svc = office
    doc_id = copy.ids["scontrino.pdf"]
    record = svc.archive.get_record(doc_id)
    total = record.fields["total_amount"]
    # Only the total in doubt (the generated slip's other fields may be doubted on their own: an
    # English slip's "02/08/2024" with nothing saying the country goes to review for its order).
    sure = {name: f.model_copy(update={"confidence": max(f.confidence, 0.9)}) for name, f in record.fields.items()}
    fields = {**sure, "total_amount": total.model_copy(update={"confidence": 0.08})}
    reasons = low_confidence_reasons(record.doc_class, fields, svc.settings.review.min_key_confidence)
    doubtful = record.model_copy(update={"fields": fields, "review_reasons": reasons, "needs_review": True,
                                         "version": record.version + 1})
    svc.archive.save_record(doubtful)
    svc.index.upsert([doubtful])

    context, page = sign_in(browser, url, tokens.archivist)
    page.goto(f"{url}/review")
    row = page.locator("table.queue tr", has=page.locator(f"a[href='/documents/{doc_id}']"))
    assert "Totale: letto con bassa affidabilità (8% < 50%)" in row.inner_text()
    shot(page, "office-08-queue-low-confidence")
    page.click(f"a[href='/documents/{doc_id}']")
    page.wait_for_selector("#queue-hint")
    assert page.locator("#f-total_amount").input_value() == italian(total.value)  # shown the Italian way
    # the clerk checks the paper and types the total again, in their own way: a confirmation
    page.fill("#f-total_amount", "€ " + total.value)
    page.click("#save")
    page.wait_for_selector("#form-message.good")
    assert "uscito dalla coda" in page.locator("#form-message").inner_text()
    page.wait_for_selector("details.history li:has-text('confermato')")
    assert page.locator("#needs-review").count() == 0
    shot(page, "office-09-confirmed-left-queue")
    page.goto(f"{url}/review")
    assert page.locator(f"a[href='/documents/{doc_id}']").count() == 0
    context.close()


def test_auditor_filters_the_audit_trail_and_exports_a_csv(browser, office, tmp_path):
    url, tokens, copy, svc = office
    doc_id = copy.ids["fattura_13.pdf"]
    context, page = sign_in(browser, url, tokens.auditor)
    page.goto(f"{url}/documents/{doc_id}")
    actions = page.eval_on_selector_all("#audit-trail li[data-action]", "els => els.map(e => e.dataset.action)")
    assert "filed" in actions and "viewed" not in actions and "previewed" not in actions
    page.click("#audit-trail a[data-audit=views]")
    page.wait_for_url("**audit=views**")
    actions = page.eval_on_selector_all("#audit-trail li[data-action]", "els => els.map(e => e.dataset.action)")
    assert actions and set(actions) <= {"viewed", "previewed", "text-read"}
    shot(page, "office-10-audit-views")

    page.goto(f"{url}/search?class=invoice")
    with page.expect_download() as download:
        page.click("a#export")
    bundle = zipfile.ZipFile(download.value.path())
    rows = list(csv.DictReader(io.StringIO(bundle.read("summary.csv").decode("utf-8-sig")), delimiter=";"))
    assert {row["id"] for row in rows} >= {doc_id}
    names = [n for n in bundle.namelist() if n.startswith(f"documents/{doc_id}/") and not n.endswith("record.json")]
    assert len(names) == 1 and "_Fattura_" in names[0]
    context.close()
