"""Two papers in one store: the real paper and the synthetic fixture (tests/data/second-paper),
each built on its own, loaded together and served by one app. Every route that speaks of a
paper or of an item serves both; the routes are listed from the app, not by hand, so a new item
route must say here which kind of item it takes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from argraph.app import create_app
from graph.exports import EXPORTS
from graph.iris import DEFAULT_BASE
from graph.store import open_built
from tests.conftest import Built
from tests.second_paper_fixtures import two_papers

# Path parameters that name an item, and the kind of item each takes (item_id: by its route).
ITEM_PARAMS = {
    "claim_id": "claim",
    "factor_id": "factor",
    "factor": "factor",
    "ref_id": "reference",
}
ITEM_ID_KINDS = {
    "/api/evidence/": "evidence",
    "/api/statistics/": "statistic",
    "/api/view/": "claim",
}
CHECK_PARAMS = {"check_id"}
# Path parameters that name no paper's item: files, dumps, formats, public data series; IRIs
# (/id/, /graph/) are dereferenced in their own test.
OTHER_PARAMS = {"path", "name", "fmt", "series_id"}
# Routes about several papers at once: `paper` picks what involves it, other papers' items too.
CROSS_PAPER = ("/api/corpus",)
# Views a paper may have nothing for (the fixture names no regional division).
MAY_BE_EMPTY = {"/api/view/regions"}
# Query parameters a route needs besides `paper`, per paper (filled from the Sample).
NEEDS = {
    "/api/chains": lambda s: {"from": s.factor, "to": s.outcome},
    "/api/view/labels": lambda s: {"ids": s.claim},
    "/api/view/search": lambda s: {"q": s.factor_zh},
    "/api/interventions": lambda s: {"remove_factor": s.factor},
}


@dataclass
class Sample:
    """One item of each kind from one paper, found through the API (no id written here)."""

    paper: str
    prefix: str
    title: dict[str, str | None]
    outcome: str
    claim: str
    factor: str
    factor_zh: str
    evidence: str
    statistic: str
    reference: str
    check: str
    markers: set[str]
    """texts only this paper has (its factors' and claims' labels), to find it in an export"""


@dataclass
class Served:
    client: TestClient
    app: FastAPI
    samples: dict[str, Sample]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, built_paper: Built) -> Iterator[Served]:
    both = two_papers(tmp_path_factory, built_paper.dist)
    app = create_app(both.settings(query_isolation="thread"), open_built(both.dist))
    with TestClient(app) as client:
        yield Served(client, app, {s.paper: s for s in _samples(client)})


def _get(client: TestClient, url: str, **params: str) -> Any:
    r = client.get(url, params=params)
    assert r.status_code == 200, (url, params, r.text[:500])
    return r.json()


def _samples(client: TestClient) -> list[Sample]:
    out = []
    for paper in _get(client, "/api/papers")["data"]:
        p = paper["id"]
        checks = _get(client, "/api/data/checks", paper=p)["data"]
        loop = _get(client, "/api/loops", paper=p)["data"][0]
        factors = _get(client, "/api/factors", paper=p, limit="1000")["data"]
        claims = _get(client, "/api/claims", paper=p, limit="1000")["data"]
        out.append(
            Sample(
                paper=p,
                prefix=paper["iri"] + "/",
                title=paper["title"],
                outcome=paper["main_outcome"],
                claim=checks[0]["claims"][0]["id"],
                factor=loop["factors"][0]["id"],
                factor_zh=loop["factors"][0]["zh"],
                evidence=_get(client, "/api/evidence", paper=p)["data"][0]["id"],
                statistic=_get(client, "/api/statistics", paper=p)["data"][0]["id"],
                reference=_get(client, "/api/references", paper=p)["data"][0]["id"],
                check=checks[0]["id"],
                markers={v for i in factors + claims for v in i["label"].values() if v},
            )
        )
    for s in out:  # keep only what the other papers do not also have
        s.markers -= {m for o in out if o is not s for m in o.markers}
    return out


def _routes(app: FastAPI) -> list[tuple[str, set[str], set[str], set[str]]]:
    """(path, methods, path parameters, query parameters) of every route, dependencies too."""

    def params(dependant: Any, kind: str) -> set[str]:
        found = {p.alias for p in getattr(dependant, kind)}
        for sub in dependant.dependencies:
            found |= params(sub, kind)
        return found

    out = []
    for route in app.routes:
        # FastAPI 0.165 keeps an included router whole (its routes behind
        # `effective_route_contexts`); a route added to the app itself is an APIRoute
        if isinstance(route, APIRoute):
            contexts: list[Any] = [route]
        elif hasattr(route, "effective_route_contexts"):
            contexts = list(route.effective_route_contexts())
        else:
            contexts = []  # /openapi.json and other plain Starlette routes
        for c in contexts:
            dep = c.dependant
            out.append(
                (c.path, set(c.methods), params(dep, "path_params"), params(dep, "query_params"))
            )
    return out


def _get_routes(app: FastAPI) -> list[tuple[str, set[str], set[str]]]:
    return [(p, pp, qp) for p, methods, pp, qp in _routes(app) if "GET" in methods]


def _fill(path: str, sample: Sample) -> str | None:
    """The path for an item of the sample's paper, or None for a route of no paper's item."""
    names = set(re.findall(r"{(\w+)(?::\w+)?}", path))
    if not names:
        return path
    if names & OTHER_PARAMS:
        return None
    (name,) = names
    if name in ITEM_PARAMS:
        kind = ITEM_PARAMS[name]
    elif name in CHECK_PARAMS:
        kind = "check"
    else:
        assert name == "item_id", f"{path}: say which kind of item {{{name}}} takes"
        kind = next(k for prefix, k in ITEM_ID_KINDS.items() if path.startswith(prefix))
    value = {
        "claim": sample.claim,
        "factor": sample.factor,
        "reference": sample.reference,
        "evidence": sample.evidence,
        "statistic": sample.statistic,
        "check": sample.check,
    }[kind]
    return re.sub(r"{\w+(?::\w+)?}", quote(value, safe=""), path)


def test_both_papers_are_loaded(served: Served) -> None:
    papers = _get(served.client, "/api/papers")["data"]
    assert [p["id"] for p in papers] == ["liu-tong-2021", "wang-zhao-2022"]
    assert [p["default"] for p in papers] == [True, False]
    second = papers[1]
    assert second["title"]["zh"] == "营商环境、人才外流与老工业城市的衰退"
    assert second["main_outcome"] == second["iri"] + "/city-decline"


def test_every_route_is_classified(served: Served) -> None:
    """A GET route's path parameters name an item of a known kind, or no paper's item."""
    known = set(ITEM_PARAMS) | CHECK_PARAMS | OTHER_PARAMS | {"item_id"}
    for path, params, _ in _get_routes(served.app):
        if path.startswith(("/id/", "/graph/")):
            continue
        assert params <= known, f"{path}: which item or paper does {params - known} name?"


def test_every_item_and_paper_route_serves_each_paper(served: Served) -> None:
    tried = 0
    for path, params, query in _get_routes(served.app):
        if path.startswith(("/id/", "/graph/")) or not (params or "paper" in query):
            continue
        for sample in served.samples.values():
            url = _fill(path, sample)
            if url is None:
                continue
            extra = NEEDS.get(path, lambda s: {})(sample)
            r = served.client.get(url, params={"paper": sample.paper, **extra})
            assert r.status_code == 200, (url, sample.paper, r.text[:300])
            tried += 1
            _belongs(path, r, sample, list(served.samples.values()))
    assert tried >= 2 * 40


def _belongs(path: str, r: Any, sample: Sample, samples: list[Sample]) -> None:
    """The answer is about the sample's paper, and a list holds its items only."""
    others = [s.prefix for s in samples if s.prefix != sample.prefix]
    if r.headers["content-type"].startswith("text/html"):
        assert f'data-paper="{sample.paper}"' in r.text, path
        return
    if path == "/api/view/charts":
        return  # checked below: a paper's check file, without IRIs
    if path == "/api/view/reader":
        body = r.json()
        assert body["available"] is True, path
        return
    if path in MAY_BE_EMPTY and r.json() == {"data": [], "count": 0}:
        return
    assert sample.prefix.rstrip("/") in r.text, (path, sample.paper)
    body = r.json()
    if path.startswith(CROSS_PAPER):
        return
    if isinstance(body, dict) and isinstance(body.get("data"), list):
        iris = [d["iri"] for d in body["data"] if isinstance(d, dict) and "iri" in d]
        assert all(i.startswith(sample.prefix) for i in iris), (path, sample.paper, iris[:3])
        assert not any(i.startswith(o) for o in others for i in iris), path


def test_a_shared_id_is_the_first_papers_unless_the_paper_is_named(served: Served) -> None:
    c = served.client
    first, second = served.samples.values()
    assert _get(c, "/api/references/ref-1")["iri"] == first.prefix + "ref-1"
    assert _get(c, "/api/references/ref-1", paper=second.paper)["iri"] == second.prefix + "ref-1"
    # an id only the second paper has is found without naming it
    assert _get(c, "/api/claims/c-mechanism")["iri"] == second.prefix + "c-mechanism"
    r = c.get("/api/claims/c-mechanism", params={"paper": "no-such-paper"})
    assert r.status_code == 404
    assert "liu-tong-2021, wang-zhao-2022" in r.json()["error"]["message"]


def test_views_without_a_paper_show_the_first(served: Served) -> None:
    first = next(iter(served.samples.values()))
    assert _get(served.client, "/api/view/document")["iri"] == first.prefix.rstrip("/")
    assert _get(served.client, "/api/view/meta")["paper"] == first.paper


def test_each_papers_pages_carry_its_title_and_the_paper_list(served: Served) -> None:
    for sample in served.samples.values():
        html = served.client.get("/", params={"paper": sample.paper}).text
        assert (sample.title["en"] or "") in html
        for other in served.samples.values():
            assert f'data-paper-link="{other.paper}"' in html
        assert f'href="/explore?paper={sample.paper}"' in html


def test_each_papers_text_and_charts(served: Served) -> None:
    first, second = served.samples.values()
    for sample in (first, second):
        reader = _get(served.client, "/api/view/reader", paper=sample.paper)
        assert reader["spans"] > 10
        cut_at = {
            i for b in reader["blocks"] for piece in b["pieces"] for i in piece.get("items", [])
        }
        assert sample.claim in cut_at, sample.paper  # its own text, cut at its own anchors
        item = _get(served.client, f"/api/view/item/{sample.claim}", paper=sample.paper)
        assert item["passage"] is not None, sample.paper
    charts = _get(served.client, "/api/view/charts", paper=second.paper)
    assert charts["series"] == []
    assert [m["source"] for m in charts["no_public_data"]] == ["city-b-yearbook"]
    assert _get(served.client, "/api/view/charts", paper=first.paper)["series"]


def test_the_iris_of_both_papers_dereference(served: Served) -> None:
    graphs = served.app.state.graph_names
    for sample in served.samples.values():
        for iri in (sample.prefix.rstrip("/"), sample.prefix + sample.claim):
            path = iri.removeprefix(DEFAULT_BASE)
            r = served.client.get("/" + path, headers={"Accept": "text/turtle"})
            assert r.status_code == 200 and f"<{iri}>" in r.text, (path, r.text[:200])
            r = served.client.get("/" + path, headers={"Accept": "text/html"})
            assert r.status_code == 200 and "<html" in r.text
        mine = [g for g in graphs if f"/graph/{sample.paper}/" in g]
        assert len(mine) >= 3
        r = served.client.get(
            "/" + mine[0].removeprefix(DEFAULT_BASE), headers={"Accept": "text/turtle"}
        )
        assert r.status_code == 200 and sample.prefix in r.text


def test_sparql_sees_both_papers_graphs(served: Served) -> None:
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    r = served.client.get(
        "/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"}
    )
    assert r.status_code == 200
    found = [b["g"]["value"] for b in r.json()["results"]["bindings"]]
    for sample in served.samples.values():
        assert any(f"/graph/{sample.paper}/assertions" in g for g in found), found


@pytest.mark.parametrize("fmt", sorted(EXPORTS))
def test_every_export_holds_both_papers(served: Served, fmt: str) -> None:
    r = served.client.get(f"/api/export/{fmt}")
    assert r.status_code == 200
    assert f'filename="argraph-corpus.{EXPORTS[fmt].extension}"' in r.headers["content-disposition"]
    text = r.text
    if EXPORTS[fmt].media_type == "application/json":
        text = json.dumps(json.loads(text), ensure_ascii=False)
    for sample in served.samples.values():
        assert sample.prefix in text or any(m in text for m in sample.markers), (fmt, sample.paper)
