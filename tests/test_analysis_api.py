"""The causal REST endpoints, and the documented SPARQL queries that must return the same sets."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import errors
from api.routes.causal import router
from graph.query_rows import select, value
from graph.store import OxigraphStore
from tests.test_analysis_synthetic import BASE, iri, synthetic_store

QUERIES = Path(__file__).resolve().parent.parent / "corpus" / "liu-tong-2021" / "queries"
PAPER = "https://w3id.org/argraph/id/liu-tong-2021/"
# the paper's factors named in the queries, and their stand-ins in the synthetic graph
SYNTHETIC_NAMES = {"rust-belt": "O", "uneven-opening": "A", "coastal-development-strategy": "R"}


def client_for(store: OxigraphStore) -> TestClient:
    app = FastAPI()
    app.state.store = store
    # the loaded papers' document IRIs, as argraph.app finds them (for `?paper=`)
    app.state.documents = [
        value(r, "d") or "" for r in select(store, "SELECT DISTINCT ?d WHERE { ?d a arg:Document }")
    ]
    errors.install(app)
    app.include_router(router)
    return TestClient(app)


@pytest.fixture(scope="module")
def syn_store(tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    return synthetic_store(tmp_path_factory.mktemp("syn-api"))


@pytest.fixture(scope="module")
def syn(syn_store: OxigraphStore) -> Iterator[TestClient]:
    with client_for(syn_store) as client:
        yield client


@pytest.fixture(scope="module")
def paper(paper_store: OxigraphStore) -> Iterator[TestClient]:
    with client_for(paper_store) as client:
        yield client


def query_text(name: str, synthetic: bool) -> str:
    text = (QUERIES / name).read_text(encoding="utf-8")
    assert text.startswith("# "), f"{name} must start with a comment saying what it answers"
    if synthetic:
        text = re.sub(
            re.escape(PAPER) + r"([a-z0-9-]+)",
            lambda m: BASE + SYNTHETIC_NAMES[m.group(1)],
            text,
        )
    return text


def run(store: OxigraphStore, name: str, var: str, synthetic: bool) -> set[str]:
    return {value(row, var) or "" for row in select(store, query_text(name, synthetic))}


def ids(items: list[dict[str, str]]) -> set[str]:
    return {i["iri"] for i in items}


# -- REST on the synthetic graph -------------------------------------------------------------------


def test_chains_endpoint(syn: TestClient) -> None:
    r = syn.get("/api/chains", params={"from": "R", "to": "O", "max_length": 3})
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 4
    assert body["data"][0]["factors"][0]["id"] == "R"
    assert {c["polarity"] for c in body["data"]} == {1, -1}
    assert syn.get("/api/chains", params={"from": "R", "to": "nowhere"}).status_code == 404
    bad = syn.get("/api/chains", params={"from": "R", "to": "O", "max_length": 0})
    assert bad.status_code == 422


def test_reach_roots_outcomes_loops(syn: TestClient) -> None:
    down = syn.get("/api/factors/A/downstream").json()
    assert {d["factor"]["id"]: d["distance"] for d in down["data"]}["O"] == 2
    up = syn.get(f"/api/factors/{iri('O')}/upstream", params={"max_distance": 1}).json()
    assert {d["factor"]["id"] for d in up["data"]} == {"B", "C"}
    assert [f["id"] for f in syn.get("/api/roots").json()["data"]] == ["R", "R2"]
    assert [f["id"] for f in syn.get("/api/roots?outcome=O").json()["data"]] == ["R"]
    assert [f["id"] for f in syn.get("/api/outcomes").json()["data"]] == ["O", "O2"]
    loops = syn.get("/api/loops").json()
    assert sorted(lp["kind"] for lp in loops["data"]) == ["balancing", "balancing", "reinforcing"]
    assert syn.get("/api/loops?kind=reinforcing").json()["count"] == 1


def test_explanations_and_table(syn: TestClient) -> None:
    body = syn.get("/api/explanations?outcome=O").json()
    by = {r["explanation"]["id"]: r for r in body["explanations"]}
    assert by["e-sub"]["subsumed"] and not by["e-out"]["subsumed"]
    text = syn.get("/api/explanations/compare?outcome=O&format=csv")
    assert text.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(text.text)))
    assert [r["explanation"].split(" [")[0] for r in rows] == [
        "explanation e-out",
        "explanation e-root",
        "explanation e-sub",
    ]
    assert list(rows[0]) == [
        "explanation",
        "mechanism",
        "factors",
        "evidence",
        "references",
        "stance",
    ]
    assert "subsumed" in rows[2]["mechanism"] and "[1]" in rows[2]["references"]
    md = syn.get("/api/explanations/compare?outcome=O&format=markdown").text
    assert md.startswith("| explanation | mechanism |") and md.count("\n") == 5


def test_policies_and_interventions(syn: TestClient) -> None:
    pol = syn.get("/api/policies?outcome=O").json()
    assert pol["total_paths"] == 6
    gaps = syn.get("/api/policies/gaps?outcome=O").json()
    assert [r["policy"]["id"] for r in gaps["outside_model"]] == ["p-x"]
    res = syn.get("/api/interventions", params=[("cut_link", "l3"), ("cut_link", "l5")]).json()
    assert [f["id"] for f in res["lost_outcomes"]] == ["O"]
    res = syn.get("/api/interventions", params={"remove_factor": "D"}).json()
    assert len(res["broken_loops"]) == 2
    empty = syn.get("/api/interventions")
    assert empty.status_code == 400 and empty.json()["error"]["code"] == "bad_request"


# -- the SPARQL examples return the same sets as the REST endpoints --------------------------------


@pytest.mark.parametrize("synthetic", [True, False], ids=["synthetic", "paper"])
def test_sparql_examples_match_rest(
    synthetic: bool,
    syn_store: OxigraphStore,
    paper_store: OxigraphStore,
    syn: TestClient,
    paper: TestClient,
) -> None:
    store, client = (syn_store, syn) if synthetic else (paper_store, paper)
    name = (lambda k: SYNTHETIC_NAMES[k]) if synthetic else (lambda k: k)
    outcome, start = name("rust-belt"), name("uneven-opening")

    down = client.get(f"/api/factors/{start}/downstream").json()["data"]
    assert run(store, "downstream.rq", "factor", synthetic) == {d["factor"]["iri"] for d in down}
    up = client.get(f"/api/factors/{outcome}/upstream").json()["data"]
    assert run(store, "upstream.rq", "factor", synthetic) == {d["factor"]["iri"] for d in up}
    roots = client.get("/api/roots", params={"outcome": outcome}).json()["data"]
    assert run(store, "roots.rq", "root", synthetic) == ids(roots)
    assert run(store, "outcomes.rq", "outcome", synthetic) == ids(
        client.get("/api/outcomes").json()["data"]
    )
    loops = client.get("/api/loops", params={"max_length": 16}).json()["data"]
    assert run(store, "loop-factors.rq", "factor", synthetic) == {
        f["iri"] for lp in loops for f in lp["factors"]
    }
    gaps = client.get("/api/policies/gaps", params={"outcome": outcome}).json()
    assert run(store, "policy-gaps.rq", "link", synthetic) == ids(gaps["unaddressed_links"])
    assert len(run(store, "mechanism-links.rq", "link", synthetic)) == gaps["mechanism_links"]
    cmp = client.get("/api/explanations", params={"outcome": outcome}).json()
    rest = {
        (r["explanation"]["iri"], p["factor"]["iri"], (p["distance_from_root"] or 0) >= 1)
        for r in cmp["explanations"]
        for p in r["factors"]
    }
    rows = select(store, query_text("explanation-factors.rq", synthetic))
    got = {
        (value(r, "explanation"), value(r, "factor"), value(r, "subsumed") == "true") for r in rows
    }
    assert got == rest


def test_chain_factors_query_matches_chains_on_the_paper(
    paper_store: OxigraphStore, paper: TestClient
) -> None:
    body = paper.get(
        "/api/chains",
        params={"from": "coastal-development-strategy", "to": "rust-belt", "max_length": 20},
    ).json()
    on_chains = {f["iri"] for c in body["data"] for f in c["factors"]}
    walked = run(paper_store, "chain-factors.rq", "factor", False)
    assert on_chains and on_chains <= walked


def test_a_policy_as_an_intervention_on_the_paper(paper: TestClient) -> None:
    # a recommendation with two aims (a link to break, a factor to strengthen): the link it
    # breaks is cut, and the result names the policy
    one = {"policy": "s4-p-service-government", "paper": "liu-tong-2021"}
    res = paper.get("/api/interventions", params=one)
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["policy"] == PAPER + "s4-p-service-government"
    assert body["cut_links"] and all(x.startswith(PAPER) for x in body["cut_links"])
    assert body["paths_after"] < body["paths_before"]
    # the same by IRI, and without the paper parameter
    by_iri = paper.get("/api/interventions", params={"policy": PAPER + "s4-p-service-government"})
    assert by_iri.json() == body
    # a recommendation aimed outside the paths, an unknown one, one of a paper not loaded
    outside = paper.get("/api/interventions", params={"policy": "s4-p-public-goods"})
    assert outside.status_code == 400 and "neither cuts" in outside.json()["error"]["message"]
    unknown = paper.get("/api/interventions", params={"policy": "no-such-policy"})
    assert unknown.status_code == 404 and "no-such-policy" in unknown.json()["error"]["message"]
    other = paper.get("/api/interventions", params={**one, "paper": "no-such-paper"})
    assert other.status_code == 404
    # a policy and explicit cuts together are refused
    both = paper.get("/api/interventions", params={**one, "cut_link": "x"})
    assert both.status_code == 400


def test_the_comparison_table_gives_each_posits_basis(paper: TestClient) -> None:
    md = paper.get("/api/explanations/compare", params={"format": "markdown"}).text
    assert "[stated] " in md and "[inferred] " in md
    body = paper.get("/api/explanations").json()
    bases = {p["basis"] for r in body["explanations"] for p in r["factors"]}
    assert bases == {"stated", "inferred"}
