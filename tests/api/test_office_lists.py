"""The result list through the API and the page: tags on each hit and as a facet, correspondents
as a facet and a filter; each person's saved searches kept on the server; FastAPI's own
validation errors said in one line in the reader's language."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient


def _tag(client, tokens, ids, *tags):
    answer = client.post("/api/documents/bulk", json={"ids": ids, "add_tags": list(tags)},
                         headers=tokens.header("archivist"))
    assert answer.status_code == 200 and not [d for d in answer.json() if d.get("error")], answer.text


def _signed_in(app, token: str) -> TestClient:
    """A browser of its own: a new client with its own session cookie."""
    browser = TestClient(app)
    assert browser.post("/login", data={"token": token, "next": "/search"}, follow_redirects=False).status_code == 303
    return browser


# -- tags and correspondents --------------------------------------------------------------------
def test_hits_carry_their_tags_and_the_facets_count_tags_and_correspondents(app, client, tokens, work_office):
    invoice = work_office.ids["fattura_11.pdf"]
    _tag(client, tokens, [invoice], "Da pagare")
    h = tokens.header("auditor")
    found = client.get("/api/search", params={"tag": "da pagare"}, headers=h).json()
    assert [hit["id"] for hit in found["hits"]] == [invoice] and found["hits"][0]["tags"] == ["Da pagare"]
    everything = client.get("/api/search", headers=h).json()
    assert ["Da pagare", 1] in [[f["value"], f["count"]] for f in everything["facets"]["tag"]]
    named = work_office.ids["fattura_13.pdf"]  # an invoice whose supplier's name was read
    fields = client.get(f"/api/documents/{named}", headers=h).json()["fields"]
    vendor_vat = fields["vendor_vat"]["value"]
    key = vendor_vat.removeprefix("IT")
    assert key in [p["value"] for p in everything["facets"]["correspondent"]]
    assert everything["names"][key] == fields["vendor_name"]["value"]
    # A VAT id in any spelling filters by that correspondent.
    for typed in (vendor_vat, "IT" + vendor_vat.removeprefix("IT"), vendor_vat.removeprefix("IT")):
        ids = [hit["id"] for hit in client.get("/api/search", params={"correspondent": typed}, headers=h).json()["hits"]]
        assert named in ids, typed
    # The page: a chip on the hit leading to the tag filter, the tag facet, correspondent links.
    with _signed_in(app, tokens.archivist) as browser:
        html = browser.get("/search", params={"lang": "it"}).text
    assert re.search(r'class="hit-tags"[^>]*><a class="tag" href="/search\?tag=Da\+pagare">Da pagare</a>', html)
    assert 'data-facet="tag"' in html and "<h3>Etichetta</h3>" in html
    assert 'href="/search?correspondent=' in html


def test_the_cli_hit_line_shows_the_tags(work_office, client, tokens):
    from click.testing import CliRunner

    from pipeline.cli import cli
    _tag(client, tokens, [work_office.ids["fattura_11.pdf"]], "Officina")
    root = work_office.root
    env = {f"ARCHIVIO_PATHS_{v}": str(root / v.lower()) for v in ("INBOX", "PROCESSED", "QUARANTINE", "DUPLICATES")}
    env["ARCHIVIO_PATHS_DATA"] = str(root / "data")
    result = CliRunner().invoke(cli, ["search", "--tag", "officina", "--facets"], env=env)
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if "fattura_11.pdf" in line)
    assert line.rstrip().endswith("#Officina")
    assert "by tag: Officina 1" in result.output and "by correspondent: " in result.output


# -- saved searches -----------------------------------------------------------------------------
def test_saved_searches_are_kept_per_person_on_the_server(app, client, tokens):
    archivist, auditor = tokens.header("archivist"), tokens.header("auditor")
    made = client.post("/api/saved-searches", json={"name": " Fatture  Brenta ",
                                                   "query": "/search?q=brenta&class=invoice&evil=1&lang=en"},
                       headers=archivist)
    assert made.status_code == 201, made.text
    search = made.json()
    assert search["name"] == "Fatture Brenta" and search["query"] == "q=brenta&class=invoice"
    assert [s["id"] for s in client.get("/api/saved-searches", headers=archivist).json()] == [search["id"]]
    assert client.get("/api/saved-searches", headers=auditor).json() == []  # someone else's are not yours
    assert client.patch(f"/api/saved-searches/{search['id']}", json={"name": "x"}, headers=auditor).status_code == 404
    renamed = client.patch(f"/api/saved-searches/{search['id']}", json={"name": "Brenta"}, headers=archivist)
    assert renamed.status_code == 200 and renamed.json()["name"] == "Brenta"
    # Another browser (a new session) finds it on the home page, leading only to /search.
    with _signed_in(app, tokens.archivist) as browser:
        page = browser.get("/search").text
    assert f'<li class="mine" data-id="{search["id"]}"><a href="/search?q=brenta&amp;class=invoice">Brenta</a>' in page
    assert "Fatture da rivedere" in page  # the office's own stay
    assert client.delete(f"/api/saved-searches/{search['id']}", headers=archivist).status_code == 204
    assert client.get("/api/saved-searches", headers=archivist).json() == []
    trail = client.get("/api/audit", headers=auditor).json()["entries"]
    actions = [e["action"] for e in trail if e["action"].startswith("search-")]
    assert actions == ["search-saved", "search-renamed", "search-deleted"]


def test_an_auditor_saves_searches_too_and_an_admin_does_not(client, tokens):
    assert client.post("/api/saved-searches", json={"name": "Esportati", "query": "class=receipt"},
                       headers=tokens.header("auditor")).status_code == 201
    assert client.get("/api/saved-searches", headers=tokens.header("admin")).status_code == 403


# -- FastAPI's own validation errors ------------------------------------------------------------
BAD_REQUESTS = [
    ("GET", "/api/search", {"size": "0"}, None, "size"),
    ("GET", "/api/search", {"size": "tanti", "sort": "caso"}, None, "sort"),
    ("GET", "/api/search", {"class": "fax"}, None, "class"),
    ("GET", "/api/review-queue", {"size": "1000"}, None, "size"),
    ("GET", "/api/audit", {"after": "ieri"}, None, "after"),
    ("GET", "/api/documents/zz/pages/uno", {}, None, "page"),
    ("POST", "/api/saved-searches", {}, {"name": ""}, "name"),
    ("POST", "/api/documents/bulk", {}, {"ids": 3}, "ids"),
]


@pytest.mark.parametrize("method,path,params,body,names", BAD_REQUESTS, ids=[f"{m} {p} {q}" for m, p, q, _, _ in BAD_REQUESTS])
def test_validation_errors_are_one_readable_line_in_the_readers_language(client, tokens, method, path, params, body,
                                                                          names):
    role = "auditor" if path == "/api/audit" else "archivist"
    said = {}
    for lang in ("it", "en"):
        answer = client.request(method, path, params=params, json=body,
                                headers={**tokens.header(role), "Accept-Language": f"{lang}-{lang.upper()},{lang};q=0.9"})
        assert answer.status_code == 422, answer.text
        assert set(answer.json()) == {"detail"}
        said[lang] = detail = answer.json()["detail"]
        assert isinstance(detail, str) and "\n" not in detail and f"'{names}'" in detail
        for internal in ("loc", "msg", "input", "pydantic", "Field required", "Input should", "type="):
            assert internal not in detail, detail
    assert said["it"] != said["en"]
    assert re.search(r"\b(deve|manca|non è|troppo)\b", said["it"]), said["it"]
    assert re.search(r"\b(must|missing|not valid|too)\b", said["en"]), said["en"]


def test_a_script_that_names_no_language_reads_english_and_a_bad_json_body_is_one_line(client, tokens):
    answer = client.get("/api/search", params={"size": "0"}, headers=tokens.header("archivist"))
    assert answer.json() == {"detail": "'size' must be at least 1"}
    broken = client.post("/api/documents/bulk", content=b"{not json", headers={**tokens.header("archivist"),
                         "content-type": "application/json", "Accept-Language": "it"})
    assert broken.status_code == 422 and broken.json() == {"detail": "Il corpo della richiesta non è JSON valido"}


def test_other_api_errors_follow_the_asked_language_too(client, tokens):
    missing = "/api/documents/" + "0" * 64
    english = client.get(missing, headers=tokens.header("auditor")).json()["detail"]
    italian = client.get(missing, headers={**tokens.header("auditor"), "Accept-Language": "it-IT"}).json()["detail"]
    assert english.startswith("no document ") and italian.startswith("nessun documento ")
    refused = client.get("/api/audit", headers={**tokens.header("archivist"), "Accept-Language": "it"})
    assert refused.status_code == 403 and refused.json()["detail"].startswith("serve il ruolo auditor; il token ")
