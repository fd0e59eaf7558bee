"""/api/...: typed REST answers over the paper, the same suite for every store.

The embedded store and rdflib run here; the remote store (Virtuoso) runs the same checks in
tests/test_stores_remote.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from graph.store import OxigraphStore
from graph.stores.rdflib_store import RdflibStore
from tests.api_fixtures import client_for, error_of
from tests.conftest import Built

CLAIM = "c-mech-uneven-opening"


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def client(request: pytest.FixtureRequest, built_paper: Built) -> Iterator[TestClient]:
    store = OxigraphStore() if request.param == "oxigraph" else RdflibStore()
    store.load_nquads(built_paper.dist / "graph.nq")
    with client_for(built_paper.dist, store, query_isolation="thread") as c:
        yield c


def check_rest_suite(c: TestClient, paper_store: OxigraphStore) -> None:
    """Every REST check, callable against any store's app (the remote suite reuses it)."""
    claims = c.get("/api/claims", params={"limit": 1000}).json()
    n_claims = int(
        paper_store.query(  # type: ignore[union-attr]
            "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a <https://w3id.org/argraph/ontology#Claim> }"
        )
        .rows[0]["n"]
        .value
    )
    assert claims["count"] == len(claims["data"]) == n_claims
    page = c.get("/api/claims", params={"limit": 2, "offset": 1}).json()
    assert page["count"] == n_claims and [x["id"] for x in page["data"]] == [
        x["id"] for x in claims["data"][1:3]
    ]
    theses = c.get("/api/claims", params={"type": "Thesis"}).json()
    assert theses["count"] > 0 and all("Thesis" in x["types"] for x in theses["data"])
    sec = c.get("/api/claims", params={"section": "sec-2"}).json()
    assert sec["count"] > 0 and all(x["section"] == "sec-2" for x in sec["data"])
    zh = c.get("/api/claims", params={"q": "不平衡开放"}).json()
    assert CLAIM in [x["id"] for x in zh["data"]]
    en = c.get("/api/claims", params={"q": "UNEVEN OPENING"}).json()
    assert CLAIM in [x["id"] for x in en["data"]]
    assert c.get("/api/claims", params={"q": "no such words anywhere"}).json() == {
        "data": [],
        "count": 0,
    }
    one = c.get(f"/api/claims/{CLAIM}").json()
    assert one["iri"].endswith(f"/{CLAIM}") and one["section"] == "sec-2"
    assert one["quote"] and one["label"]["zh"] and one["label"]["en"]
    assert one["anchor"]["end"] > one["anchor"]["start"] >= 0
    names = {(r["name"], r["direction"]) for r in one["relations"]}
    assert ("supports", "out") in names and ("about", "out") in names
    assert ("supports", "in") in names
    cited = [x for x in claims["data"] if x["id"]]
    assert cited
    error_of(c.get("/api/claims/no-such-claim"), 404, "not_found")
    error_of(c.get("/api/claims", params={"type": "bogus"}), 422, "invalid_request")
    factors = c.get("/api/factors", params={"limit": 1000}).json()
    assert factors["count"] > 0
    linked = [f for f in factors["data"] if f["causes"]]
    assert linked, "some factor is causally upstream of another"
    f = c.get(f"/api/factors/{linked[0]['id']}").json()
    assert f == linked[0]
    stats = c.get("/api/statistics").json()
    assert stats["count"] > 0 and all(s["measure"]["en"] for s in stats["data"])
    assert c.get("/api/evidence").status_code == 200
    refs = c.get("/api/references").json()
    assert refs["count"] > 0
    assert [r["number"] for r in refs["data"]] == sorted(r["number"] for r in refs["data"])
    assert any(r["cited_by"] for r in refs["data"])
    ref = c.get(f"/api/references/{refs['data'][0]['id']}").json()
    assert ref == refs["data"][0]
    s = c.get("/api/stats").json()
    assert s["counts"]["claims"] == n_claims and s["triples"] == len(paper_store)
    assert c.get("/sparql", params={"query": "ASK {}"}).status_code == 200
    workers = c.get("/api/stats").json()["query_workers"]
    assert workers["slots"] > 0 and "network_isolated" in workers


def test_rest_suite(client: TestClient, paper_store: OxigraphStore) -> None:
    check_rest_suite(client, paper_store)


def test_claim_citations(client: TestClient) -> None:
    """A claim that a reference lists among the items citing it lists that reference among its
    citations: both ends of the relation agree."""
    claims = {x["id"] for x in client.get("/api/claims", params={"limit": 1000}).json()["data"]}
    refs = client.get("/api/references", params={"limit": 1000}).json()["data"]
    pairs = [(r["id"], by["id"]) for r in refs for by in r["cited_by"] if by["id"] in claims]
    assert pairs, "some claim cites a reference"
    ref_id, claim_id = pairs[0]
    claim = client.get(f"/api/claims/{claim_id}").json()
    cites = [x for x in claim["citations"] if x["reference"]["id"] == ref_id]
    assert cites and ref_id.startswith("ref-")
    assert all(x["function"].startswith("cites") for x in cites)


def test_openapi_and_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/claims",
        "/api/claims/{claim_id}",
        "/api/factors",
        "/api/statistics",
        "/api/references",
        "/api/stats",
        "/sparql",
    ):
        assert path in spec["paths"], path
    assert client.get("/docs").status_code == 200


def test_error_shape_for_unknown_paths_and_methods(client: TestClient) -> None:
    error_of(client.get("/api/nothing-here"), 404, "not_found")
    error_of(client.delete("/api/claims"), 405, "method_not_allowed")
