"""Retention, disposal and packages over HTTP: two admins for four eyes, the admin page, and a
package an auditor downloads and verifies."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from fastapi.testclient import TestClient

from gen_preservation import file_documents, make_record
from services.tsa.plugin import tsa_server  # noqa: F401  (fixture)
from support import make_settings
from pipeline.audit import Actor
from pipeline.index import open_index
from pipeline.preservation.package import verify_package
from pipeline.store import open_archive

UTC = dt.timezone.utc
FILED = dt.datetime(2013, 2, 1, 9, tzinfo=UTC)


@pytest.fixture
def office_app(office, tsa_server):
    from pipeline.api import create_app

    settings = make_settings(office, **{"preservation.tsa_url": tsa_server.url})
    archive, index = open_archive(settings), open_index(settings)
    rng = random.Random(21)
    docs = [make_record(rng, n, "invoice", dt.date(2011, 6, n + 1), FILED, number=f"{n}/2011") for n in range(3)]
    docs.append(make_record(rng, 5, "receipt", dt.date(2024, 6, 1), FILED))
    filed = file_documents(settings, archive, index, docs, office)
    archive.set_legal_hold(filed[2].sha256, True)
    app = create_app(settings)
    svc = app.state.services
    secrets = {name: svc.tokens.create(name, role, by=Actor("setup"))[1]
               for name, role in (("anna", "admin"), ("bruno", "admin"), ("carla", "auditor"))}
    with TestClient(app) as client:
        yield client, {k: {"Authorization": f"Bearer {v}"} for k, v in secrets.items()}, filed, office


def test_four_eyes_over_http(office_app):
    client, auth, filed, office = office_app
    report = client.get("/api/admin/retention/report", headers=auth["anna"]).json()
    assert report["groups"] == [{"class": "invoice", "year": "2011", "count": 3}]
    assert [d["id"] for d in report["legal_holds"]] == [filed[2].id]

    proposed = client.post("/api/admin/disposals", json={"name": "scarto 2011"}, headers=auth["anna"])
    assert proposed.status_code == 201, proposed.text
    lst = proposed.json()
    assert {i["id"] for i in lst["items"]} == {filed[0].id, filed[1].id}  # the held one is left out

    same = client.post(f"/api/admin/disposals/{lst['id']}/approve", headers=auth["anna"])
    assert same.status_code == 403 and "four eyes" in same.json()["detail"]
    assert client.post(f"/api/admin/disposals/{lst['id']}/approve", headers=auth["carla"]).status_code == 403

    done = client.post(f"/api/admin/disposals/{lst['id']}/approve", headers=auth["bruno"])
    assert done.status_code == 200 and done.json()["status"] == "disposed"
    cert = client.get(f"/api/disposals/{lst['id']}/certificate", headers=auth["carla"]).json()
    assert cert["approved_by"] == "bruno" and len(cert["disposed"]) == 2
    again = client.post(f"/api/admin/disposals/{lst['id']}/approve", headers=auth["bruno"])
    assert again.status_code == 409
    held = client.post("/api/admin/disposals", json={"name": "x", "ids": [filed[2].id]}, headers=auth["anna"])
    assert held.status_code == 409 and "legal hold" in held.json()["detail"]
    assert client.get("/api/admin/disposals/../../x", headers=auth["anna"]).status_code in (404, 422)


def test_the_admin_page_shows_groups_and_holds(office_app):
    client, auth, filed, office = office_app
    signed_in = client.post("/login", data={"token": auth["anna"]["Authorization"].split()[1],
                                            "next": "/admin/retention"}, follow_redirects=False)
    assert signed_in.status_code == 303  # a server-side session, as the page always signs in
    page = client.get("/admin/retention?lang=it")
    assert page.status_code == 200
    html = page.text
    assert 'id="retention-groups"' in html and "2011" in html and filed[2].source.filename in html
    assert "Conservazione e scarto" in html
    client.cookies.clear()


def test_an_auditor_downloads_a_timestamped_package(office_app, tsa_server):
    client, auth, filed, office = office_app
    answer = client.get("/api/packages", params={"type": "invoice", "from": "2011-01-01", "to": "2011-12-31"},
                        headers=auth["carla"])
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/zip"
    path = office / "pdv.zip"
    path.write_bytes(answer.content)
    report = verify_package(path, tsa_ca=tsa_server.ca)
    assert report.ok and report.documents == 3 and report.timestamp
    none = client.get("/api/packages", params={"type": "contract"}, headers=auth["carla"])
    assert none.status_code == 404
