"""Who may call what: every route of the app, generated from the app itself, refuses a missing
token with 401 and a token of the wrong role with 403, and names its roles in the schema."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute

from pipeline.api.app import PUBLIC_PATHS
from pipeline.api.auth import roles_of
from pipeline.tokens import ROLES

# The roles each route must admit: a change of the rules is a change of this table.
EXPECTED = {
    "GET /api/search": {"archivist", "auditor"},
    "GET /api/review-queue": {"archivist"},
    "GET /api/documents/{doc_id}": {"archivist", "auditor"},
    "GET /api/documents/{doc_id}/original": {"archivist", "auditor"},
    "GET /api/documents/{doc_id}/text": {"archivist", "auditor"},
    "GET /api/documents/{doc_id}/pages/{page}": {"archivist", "auditor"},
    "GET /api/documents/{doc_id}/copy": {"archivist", "auditor"},
    "PATCH /api/documents/{doc_id}": {"archivist"},
    "POST /api/documents/{doc_id}/reviewed": {"archivist"},
    "POST /api/documents/{doc_id}/verify": {"auditor"},
    "GET /api/documents/{doc_id}/audit": {"auditor"},
    "GET /api/audit": {"auditor"},
    "GET /api/audit/verify": {"auditor"},
    "GET /api/export": {"auditor"},
    "GET /api/admin/tokens": {"admin"},
    "POST /api/admin/tokens": {"admin"},
    "DELETE /api/admin/tokens/{token_id}": {"admin"},
    "GET /api/admin/documents/{doc_id}/retention": {"admin"},
    "PUT /api/admin/documents/{doc_id}/retention": {"admin"},
    "PUT /api/admin/documents/{doc_id}/legal-hold": {"admin"},
    "GET /api/admin/retention/report": {"admin"},
    "GET /api/admin/disposals": {"admin"},
    "POST /api/admin/disposals": {"admin"},
    "GET /api/admin/disposals/{list_id}": {"admin"},
    "POST /api/admin/disposals/{list_id}/approve": {"admin"},
    "POST /api/admin/disposals/{list_id}/reject": {"admin"},
    "GET /api/disposals/{list_id}/certificate": {"admin", "auditor"},
    "GET /api/packages": {"admin", "auditor"},
    "GET /admin/retention": {"admin"},
    "GET /api/documents/{doc_id}/thumbnail": {"archivist", "auditor"},
    "POST /api/upload": {"archivist"},
    "POST /api/documents/bulk": {"archivist"},
    "GET /api/saved-searches": {"archivist", "auditor"},
    "POST /api/saved-searches": {"archivist", "auditor"},
    "PATCH /api/saved-searches/{search_id}": {"archivist", "auditor"},
    "DELETE /api/saved-searches/{search_id}": {"archivist", "auditor"},
    "POST /api/documents/{doc_id}/boundary": {"archivist"},
    "POST /documents/{doc_id}/boundary": {"archivist"},
    "GET /api/admin/notes": {"admin"},
    "GET /search": {"archivist", "auditor"},
    "GET /documents/{doc_id}": {"archivist", "auditor"},
    "GET /review": {"archivist"},
}


def _routes(routes):
    """Every APIRoute, including those of included routers (newer FastAPI keeps them nested)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        nested = getattr(route, "original_router", None)
        if nested is not None:
            yield from _routes(nested.routes)


def _operations(app):
    found = False
    for route in _routes(app.routes):
        found = True
        for method in sorted(route.methods - {"HEAD"}):
            yield method, route
    assert found, "no routes found: has FastAPI changed how it keeps them?"


def _url(path: str, ids: dict[str, str]) -> str:
    values = {"doc_id": ids["doc"], "page": "1", "token_id": "0123456789", "list_id": "20260101-0123abcd",
              "search_id": "0123456789abcdef"}
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


def test_every_route_is_public_on_purpose_or_declares_its_roles(app):
    seen = {}
    for method, route in _operations(app):
        roles = roles_of(route)
        if roles is None:
            assert route.path in PUBLIC_PATHS, f"{method} {route.path} neither declares roles nor is public"
            continue
        assert set(roles) <= set(ROLES)
        seen[f"{method} {route.path}"] = set(roles)
    assert seen == EXPECTED


def test_every_protected_route_answers_401_without_a_token_and_403_to_other_roles(app, client, tokens, work_office):
    ids = {"doc": next(iter(work_office.ids.values()))}
    checked = 0
    for method, route in _operations(app):
        roles = roles_of(route)
        if roles is None:
            continue
        url = _url(route.path, ids)
        anonymous = client.request(method, url)
        assert anonymous.status_code == 401, f"{method} {url} without a token: {anonymous.status_code}"
        assert anonymous.headers.get("www-authenticate") == "Bearer" or not route.path.startswith("/api")
        bogus = client.request(method, url, headers={"Authorization": "Bearer arc_0123456789_" + "x" * 43})
        assert bogus.status_code == 401, f"{method} {url} with an unknown token: {bogus.status_code}"
        for role in set(ROLES) - set(roles):
            refused = client.request(method, url, headers=tokens.header(role))
            assert refused.status_code == 403, f"{method} {url} as {role}: {refused.status_code}"
            checked += 1
    assert checked >= len(EXPECTED)


def test_revoked_token_stops_working(app, client, tokens):
    svc = app.state.services
    assert client.get("/api/audit", headers=tokens.header("auditor")).status_code == 200
    token_id = tokens.auditor.split("_")[1]
    response = client.delete(f"/api/admin/tokens/{token_id}", headers=tokens.header("admin"))
    assert response.status_code == 200 and response.json()["active"] is False
    svc._token_cache.clear()  # the cache would let it live for up to 5 more seconds
    assert client.get("/api/audit", headers=tokens.header("auditor")).status_code == 401


def test_cookie_sign_in_needs_the_csrf_header_for_changes(client, tokens, work_office):
    doc_id = next(iter(work_office.ids.values()))
    login = client.post("/login", data={"token": tokens.archivist, "next": "/search"}, follow_redirects=False)
    assert login.status_code == 303 and login.headers["location"] == "/search"
    assert "httponly" in login.headers["set-cookie"].lower() and "samesite=strict" in login.headers["set-cookie"].lower()
    assert client.get("/search").status_code == 200  # the cookie signs in pages
    record = client.get(f"/api/documents/{doc_id}").json()
    forged = client.post(f"/api/documents/{doc_id}/reviewed", json={"version": record["version"]})
    assert forged.status_code == 403
    allowed = client.post(f"/api/documents/{doc_id}/reviewed", json={"version": record["version"]},
                          headers={"X-Requested-With": "archivio"})
    assert allowed.status_code == 200


def test_login_with_a_bad_token_is_refused_and_never_redirects_off_site(client, tokens):
    bad = client.post("/login", data={"token": "arc_nope", "next": "/search"})
    assert bad.status_code == 401
    off_site = client.post("/login", data={"token": tokens.auditor, "next": "//evil.example/"}, follow_redirects=False)
    assert off_site.headers["location"] == "/search"


@pytest.mark.parametrize("path", ["/login", "/openapi.json", "/static/app.css", "/healthz"])
def test_public_routes_need_no_token(client, path):
    assert client.get(path).status_code == 200
