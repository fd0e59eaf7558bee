"""A browser opening /sparql gets the SPARQL editor; SPARQL clients still get the service
description (W3C SPARQL 1.1 Service Description) for any RDF type or */*."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.settings import Settings
from argraph.app import create_app
from graph.store import OxigraphStore

from .conftest import Built

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_browser_is_sent_to_the_editor(built_paper: Built, paper_store: OxigraphStore) -> None:
    client = TestClient(create_app(Settings(dist=built_paper.dist), paper_store))
    r = client.get("/sparql", headers={"Accept": BROWSER}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/query"
    for accept in ("*/*", "text/turtle", "application/rdf+xml"):
        sd = client.get("/sparql", headers={"Accept": accept})
        assert sd.status_code == 200
        assert "sparql-service-description" in sd.text or "ns/sparql-service" in sd.text
