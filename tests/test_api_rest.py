"""/api/...: typed REST answers, the same suite for every store.

The embedded store runs it on the real paper; rdflib, a store variant, on the synthetic second
paper (tests/data/second-paper: every kind of item, a few dozen of them), which costs rdflib a
fraction of the real paper's 20,000 triples. The remote store (Virtuoso) runs the same checks in
tests/test_stores_remote.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from graph.store import OxigraphStore, open_built
from graph.stores.rdflib_store import RdflibStore
from ingest.models import CitationFunction
from tests.api_fixtures import client_for, error_of
from tests.conftest import Built
from tests.second_paper_fixtures import second_dist


@dataclass(frozen=True)
class Known:
    """What the suite looks up in one paper: a claim, words of its Chinese and English labels,
    its section, and the relations it has (name, direction)."""

    claim: str
    zh: str
    en: str
    section: str
    relations: frozenset[tuple[str, str]]


PAPER = Known(
    "c-mech-uneven-opening",
    "不平衡开放",
    "UNEVEN OPENING",
    "sec-2",
    frozenset({("supports", "out"), ("about", "out"), ("supports", "in")}),
)
SECOND = Known(
    "c-mechanism",
    "高技能岗位",
    "SKILLED JOBS",
    "sec-2",
    frozenset({("about", "out"), ("supports", "in")}),
)


@dataclass(frozen=True)
class Case:
    client: TestClient
    reference: OxigraphStore
    """the same graph in the embedded store: the counts the answers must agree with"""
    known: Known


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def case(
    request: pytest.FixtureRequest,
    built_paper: Built,
    paper_store: OxigraphStore,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Case]:
    if request.param == "oxigraph":
        dist, known, reference = built_paper.dist, PAPER, paper_store
        store: OxigraphStore | RdflibStore = OxigraphStore()
    else:
        dist, known = second_dist(tmp_path_factory), SECOND
        reference, store = open_built(dist), RdflibStore()
    store.load_nquads(dist / "graph.nq")
    with client_for(dist, store, query_isolation="thread") as c:
        yield Case(c, reference, known)


def check_rest_suite(c: TestClient, paper_store: OxigraphStore, known: Known = PAPER) -> None:
    """Every REST check, callable against any store's app (the remote suite reuses it);
    `paper_store` holds the same graph in the embedded store, `known` what to look up in it."""
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
    sec = c.get("/api/claims", params={"section": known.section}).json()
    assert sec["count"] > 0 and all(x["section"] == known.section for x in sec["data"])
    zh = c.get("/api/claims", params={"q": known.zh}).json()
    assert known.claim in [x["id"] for x in zh["data"]]
    en = c.get("/api/claims", params={"q": known.en}).json()
    assert known.claim in [x["id"] for x in en["data"]]
    assert c.get("/api/claims", params={"q": "no such words anywhere"}).json() == {
        "data": [],
        "count": 0,
    }
    one = c.get(f"/api/claims/{known.claim}").json()
    assert one["iri"].endswith(f"/{known.claim}") and one["section"] == known.section
    assert one["quote"] and one["label"]["zh"] and one["label"]["en"]
    assert one["anchor"]["end"] > one["anchor"]["start"] >= 0
    names = {(r["name"], r["direction"]) for r in one["relations"]}
    assert known.relations <= names, names
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


def test_rest_suite(case: Case) -> None:
    check_rest_suite(case.client, case.reference, case.known)


def test_claim_citations(case: Case) -> None:
    """A claim that a reference lists among the items citing it lists that reference among its
    citations: both ends of the relation agree."""
    client = case.client
    claims = {x["id"] for x in client.get("/api/claims", params={"limit": 1000}).json()["data"]}
    refs = client.get("/api/references", params={"limit": 1000}).json()["data"]
    pairs = [(r["id"], by["id"]) for r in refs for by in r["cited_by"] if by["id"] in claims]
    assert pairs, "some claim cites a reference"
    ref_id, claim_id = pairs[0]
    claim = client.get(f"/api/claims/{claim_id}").json()
    cites = [x for x in claim["citations"] if x["reference"]["id"] == ref_id]
    assert cites and ref_id.startswith("ref-")
    assert {x["function"] for x in cites} <= {f.value for f in CitationFunction}


def test_openapi_and_docs(case: Case) -> None:
    client = case.client
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


def test_error_shape_for_unknown_paths_and_methods(case: Case) -> None:
    client = case.client
    error_of(client.get("/api/nothing-here"), 404, "not_found")
    error_of(client.delete("/api/claims"), 405, "method_not_allowed")
