"""The viewer's pages, assets and /api/view endpoints, without a browser."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.settings import Settings
from argraph.app import ROUTERS
from errors import AnnotationError
from graph.data.check_spec import read_spec
from graph.store import OxigraphStore, Store
from tests.browser.conftest import nodata_app, nodata_dist, viewer_app
from tests.conftest import DATA_DIR, PAPER_CORPUS, PAPER_SOURCE, Built
from web import detail
from web import routes as web_routes
from web.layout import layered, spread
from web.routes import PAGES as PAGES_OF_VIEWER
from web.viewgraph import RELATIONS, within

__all__ = ["nodata_dist"]  # a fixture, shared with the browser tests
needs_data = pytest.mark.skipif(not DATA_DIR.is_dir(), reason=f"no public data at {DATA_DIR}")

PAGES = [
    "/",
    "/explore",
    "/chains",
    "/compare",
    "/policies",
    "/evidence",
    "/read",
    "/query",
    "/corpus",
]


@pytest.fixture(scope="module")
def client(built_paper: Built, paper_store: Store) -> Iterator[TestClient]:
    app = viewer_app(built_paper.dist, paper_store, source=PAPER_SOURCE, query_isolation="thread")
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def no_source(built_paper: Built, paper_store: Store) -> Iterator[TestClient]:
    app = viewer_app(built_paper.dist, paper_store, source=None, query_isolation="thread")
    with TestClient(app) as c:
        yield c


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_local_assets_only(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    refs = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    assert refs and all(ref.startswith(("/", "#")) for ref in refs), refs
    for ref in refs:
        if ref.startswith(("/static/", "/vendor/")):
            assert client.get(ref).status_code == 200, ref


def test_vendor_refuses_paths_outside_packages(client: TestClient) -> None:
    for bad in [
        "/vendor/vis/../../../../etc/passwd",
        "/vendor/vis/%2e%2e/%2e%2e/network.py",
        "/static/../viewgraph.py",
        "/vendor/nope/x.js",
    ]:
        assert client.get(bad).status_code == 404, bad


def test_npm_packages_are_installed() -> None:
    # scripts/setup runs `npm install`; the SPARQL editor and the charts depend on it.
    modules = Settings().node_modules
    assert modules is not None, "node_modules/ missing: run scripts/setup"
    assert (modules / "@zazuko" / "yasgui" / "build" / "yasgui.min.js").is_file()
    assert (modules / "echarts" / "dist" / "echarts.min.js").is_file()


def test_item_has_quote_place_and_passage(client: TestClient) -> None:
    item = client.get("/api/view/item/rust-belt").json()
    assert item["kind"] == "factor" and item["label"]["zh"] and item["label"]["en"]
    assert item["quote"] and item["anchor"]["start"] < item["anchor"]["end"]
    text = PAPER_SOURCE.read_text(encoding="utf-8")
    assert text[item["anchor"]["start"] : item["anchor"]["end"]] == item["passage"]["text"]
    names = {r["name"] for r in item["relations"]}
    assert "caused_by" in names


def test_claim_detail_lists_citations_and_support(client: TestClient) -> None:
    found = client.get("/api/view/search", params={"q": "expl-institutional"}).json()["data"]
    assert found and found[0]["kind"] == "explanation"
    item = client.get("/api/view/item/expl-institutional").json()
    assert {f["name"] for f in item["facts"]} >= {"verdict", "family"}
    assert any(r["name"] == "posits" for r in item["relations"])


def test_source_text_only_when_configured(no_source: TestClient) -> None:
    item = no_source.get("/api/view/item/rust-belt").json()
    assert item["anchor"] is not None and item["passage"] is None
    assert item["source_available"] is False
    reader = no_source.get("/api/view/reader").json()
    assert reader == {"available": False, "blocks": [], "items": {}}


def test_reader_passages_keep_offsets_and_render_markdown(client: TestClient) -> None:
    data = client.get("/api/view/reader").json()
    text = PAPER_SOURCE.read_text(encoding="utf-8")
    assert data["available"] and data["spans"] > 100
    pieces = [p for b in data["blocks"] for p in b["pieces"]]
    # every piece is the source at its offset; markup became flags, not text
    assert all(text[p["start"] : p["start"] + len(p["text"])] == p["text"] for p in pieces)
    assert not any(m in p["text"] for p in pieces for m in ("<sup>", "</sup>", "**"))
    assert any(p.get("sup") for p in pieces) and any(p.get("bold") for p in pieces)
    headings = [b for b in data["blocks"] if b["level"]]
    assert headings and not any(b["pieces"][0]["text"].startswith("#") for b in headings)
    # passages are named by their offset, so that each can be linked to
    assert all(b["id"] == f"c{b['start']}" for b in data["blocks"])
    assert len({b["id"] for b in data["blocks"]}) == len(data["blocks"])
    used = {i for p in pieces for i in p.get("items", [])}
    assert used == set(data["items"]) and all(v["label"] for v in data["items"].values())


def test_network_never_exceeds_the_cap(client: TestClient) -> None:
    kinds = "factor,thesis,claim,policy,statistic,evidence,explanation,reference,entity"
    data = client.get("/api/view/network", params={"kinds": kinds}).json()
    assert len(data["nodes"]) <= data["max_nodes"] <= 300
    assert data["truncated"] and data["total"] > len(data["nodes"])
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])
    factors = client.get("/api/view/network").json()
    assert {e["polarity"] for e in factors["edges"]} == {"increases", "decreases"}


def test_neighbourhood_and_filters(client: TestClient) -> None:
    hood = client.get("/api/view/neighbourhood/rust-belt").json()
    assert hood["focus"] == "rust-belt" and 1 < len(hood["nodes"]) <= 300
    sec = client.get(
        "/api/view/network", params={"section": "sec-4", "kinds": "factor,policy"}
    ).json()
    assert any(n["kind"] == "policy" for n in sec["nodes"])
    exp = client.get(
        "/api/view/network",
        params={"explanation": "expl-institutional", "kinds": "factor,explanation"},
    ).json()
    assert any(n["id"] == "expl-institutional" for n in exp["nodes"])
    assert client.get("/api/view/neighbourhood/no-such-item").status_code == 404


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("铁锈地带", "rust-belt"),
        ("RUST BELT", "rust-belt"),
        ("铁锈 地带", "rust-belt"),  # spaces in a Chinese query
        ("segmentaton", "market-segmentation"),  # a typo
        ("innovaton capacity", "ne-innovation-capacity"),
    ],
)
def test_search_in_both_languages(client: TestClient, q: str, expected: str) -> None:
    hits = client.get("/api/view/search", params={"q": q}).json()["data"]
    assert expected in [h["id"] for h in hits]


def test_vicious_cycle_is_reinforcing(client: TestClient) -> None:
    loops = {lp["id"]: lp for lp in client.get("/api/view/loops").json()["data"]}
    cycle = loops["loop-vicious-cycle"]
    assert cycle["kind"] == "reinforcing" and len(cycle["links"]) >= 3
    ends = [(lk["cause"]["id"], lk["effect"]["id"]) for lk in cycle["links"]]
    assert all(a[1] == b[0] for a, b in zip(ends, ends[1:] + ends[:1], strict=True))


def test_policy_map_groups_and_gaps(client: TestClient) -> None:
    data = client.get("/api/view/policies").json()
    counts = client.get("/api/view/meta").json()["counts"]
    assert len(data["policies"]) == counts["policy"] > 40
    labelled = [p for p in data["policies"].values() if p["aim"]]
    assert labelled and all(p["aim_label"]["zh"] and p["aim_label"]["en"] for p in labelled)
    assert data["by_target"] and data["by_actor"]
    assert 0 < len(data["gaps"]) <= data["mechanism_links"]
    assert all(g["kind"] == "link" for g in data["gaps"])


def test_regions_map_and_queries(client: TestClient, tmp_path: Path) -> None:
    regions = client.get("/api/view/regions").json()["data"]
    assert sum(r["division"] for r in regions) == 8
    assert all("Figure 1" in r["label"]["en"] for r in regions if r["division"])
    assert client.get("/api/view/geo/china").json()["type"] == "FeatureCollection"
    queries = client.get("/api/view/queries").json()["data"]
    assert any(q["name"] == "roots" and "SELECT" in q["query"] for q in queries)


@pytest.fixture(scope="module")
def without_data(nodata_dist: Path) -> Iterator[TestClient]:
    with TestClient(nodata_app(nodata_dist)) as c:
        yield c


@needs_data
def test_statistic_detail_carries_its_checks(client: TestClient) -> None:
    item = client.get("/api/view/item/stat-2015-rank-liaoning").json()
    (check,) = item["checks"]
    assert check["id"] == "rank-2015-liaoning" and check["verdict"] == "reproduced"
    assert check["verdict_label"] == {"zh": "复现", "en": "reproduced"}
    assert check["computed"] == check["paper_value"] == 1
    assert check["recipe"] and check["series"] == ["grp-index"]
    assert check["inputs"][0]["file"].endswith("province_gdp_index.csv")
    assert "2015" in (check["inputs"][0]["scope"] or "")
    # a claim with several checks, and an item with none
    claim = client.get("/api/view/item/s2-c-machine-tools-imports-displace-coast").json()
    assert {c["id"] for c in claim["checks"]} == {
        "mt-coast-falls-from-2001",
        "imports-quantity-after-2001",
    }
    assert client.get("/api/view/item/rust-belt").json()["checks"] == []


def test_verdicts_carry_both_languages(client: TestClient) -> None:
    data = client.get("/api/view/verdicts").json()["data"]
    by = {(v["kind"], v["key"]): v for v in data}
    assert by[("explanation", "SurfaceManifestation")]["label"]["zh"] == "真实问题但属外在表现"
    assert by[("explanation", "OwnMechanism")]["label"]["zh"] == "本文机制"
    assert by[("check", "reproduced")]["label"] == {"zh": "复现", "en": "reproduced"}
    assert by[("check", "not-checkable")]["label"]["zh"] == "无法核对"
    assert all(v["label"]["zh"] and v["label"]["en"] for v in data)
    # every verdict the comparison uses has a label here
    compare = client.get("/api/explanations/compare").json()["explanations"]
    assert {r["explanation"]["verdict"] for r in compare} <= {k for _, k in by}


@needs_data
def test_evidence_page_data_sources(client: TestClient) -> None:
    status = client.get("/api/data/status").json()
    assert status["loaded"] and status["geojson"]
    ids = {s["id"] for s in client.get("/api/data/series").json()["data"]}
    # the four public-series charts of the evidence page
    assert {"grp-index", "demand-potential", "mt-share-of-provinces"} <= ids
    assert "machine-tool-imports-value" in ids
    csv = client.get("/api/data/series/machine-tool-imports-value", params={"format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv") and "2001" in csv.text
    # what is charted comes from the paper's check file, not from the page's code
    charts = client.get("/api/view/charts").json()
    assert charts["evidence"] == [
        "grp-index",
        "demand-potential",
        "mt-share-of-provinces",
        "machine-tool-imports-value",
    ]
    how = {c["series"]: c for c in charts["series"]}
    assert set(charts["evidence"]) <= ids and set(charts["evidence"]) <= set(how)
    assert how["demand-potential"]["draw"] == "ratio"
    assert how["demand-potential"]["areas"] == ["region-northeast", "yangtze-river-delta"]
    assert how["grp-index"]["highlight"] == ["liaoning", "jilin", "heilongjiang"]
    assert all(c["title"]["zh"] and c["title"]["en"] for c in charts["series"])
    assert {c["section"] for c in charts["statistics"]} >= {"sec-2"}
    assert charts["division"]["en"].startswith("The paper's eight regions")
    assert [n["source"] for n in charts["no_public_data"]] == ["inter-regional-io-tables"]
    js = client.get("/static/evidence.js").text + client.get("/static/datacharts.js").text
    for paper_specific in ("region-northeast", "yangtze", "sec-2", "Figure 1", "liaoning"):
        assert paper_specific not in js, paper_specific
    assert "/api/data/regions.geojson" in js and "argraph build --data DIR" in js
    for name in ("datacharts.js", "checks.js"):
        assert client.get(f"/static/{name}").status_code == 200


def test_app_without_data(without_data: TestClient) -> None:
    status = without_data.get("/api/data/status").json()
    assert status["loaded"] is False and status["geojson"] is False
    assert status["messages"]
    assert without_data.get("/evidence").status_code == 200
    assert without_data.get("/api/data/series").json()["count"] == 0
    assert without_data.get("/api/data/regions.geojson").status_code == 404
    # the map falls back to the echarts package's provinces
    assert without_data.get("/api/view/geo/china").json()["type"] == "FeatureCollection"
    item = without_data.get("/api/view/item/stat-2015-rank-liaoning").json()
    assert [c["verdict"] for c in item["checks"]] == ["not-checkable"]
    assert item["checks"][0]["verdict_label"]["zh"] == "无法核对"


def test_first_screen_is_the_argument_from_the_analysis(client: TestClient) -> None:
    data = client.get("/api/view/argument").json()
    assert 15 <= len(data["nodes"]) <= 40
    roles = data["roles"]
    assert set(roles) == {n["id"] for n in data["nodes"]}
    assert {"root", "mechanism", "loop", "cycle", "outcome", "rival", "policy"} <= set(
        roles.values()
    )
    # derived from the analysis: the roots are the paper's own, the outcome the decline outcome
    meta = client.get("/api/view/meta").json()
    assert {i for i, r in roles.items() if r == "outcome"} == {meta["decline"]["id"]}
    assert {i for i, r in roles.items() if r == "root"} <= {f["id"] for f in meta["paper_roots"]}
    explanations = {e["id"] for e in meta["explanations"]}
    assert {i for i, r in roles.items() if r == "rival"} <= explanations
    # laid out on the server, left to right: the root left of the outcome, physics off
    x = {n["id"]: n["x"] for n in data["nodes"]}
    root = next(i for i, r in roles.items() if r == "root")
    outcome = next(i for i, r in roles.items() if r == "outcome")
    assert x[root] < x[outcome]
    assert data["options"]["physics"] == {"enabled": False}
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])
    spots = {(n["x"], n["y"]) for n in data["nodes"]}
    assert len(spots) == len(data["nodes"])  # no two nodes on the same spot
    assert client.get("/api/view/argument").json() == data


def test_the_paper_itself(client: TestClient) -> None:
    doc = client.get("/api/view/document").json()
    assert doc["title"]["zh"] and doc["title"]["en"] and doc["abstract"]["en"]
    assert [a["label"]["zh"] for a in doc["authors"]] == ["刘志彪", "仝文涛"]
    page = client.get("/").text
    assert '<h1 id="page-title"' in page and doc["title"]["en"] in page
    assert 'type="application/json" id="page-data"' in page
    assert "<script>" not in page  # no inline script: JSON data only
    zh = client.get("/", params={"lang": "zh"}).text
    assert f">{doc['title']['zh']}</h1>" in zh


def test_labels_of_items(client: TestClient) -> None:
    found = client.get("/api/view/labels", params={"ids": "rust-belt,no-such,c-mech-rust-belt"})
    data = found.json()["data"]
    assert [d["id"] for d in data] == ["rust-belt", "c-mech-rust-belt"]
    assert all(d["label"]["en"] and d["label"]["zh"] for d in data)


def test_favicon(client: TestClient) -> None:
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    for path in PAGES:
        assert 'rel="icon" href="/favicon.ico"' in client.get(path).text


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_heading_a_skip_link_and_search(client: TestClient, path: str) -> None:
    html = client.get(path).text
    assert html.count("<h1") == 1
    assert 'class="skip" href="#main"' in html and 'id="main"' in html
    assert '<label for="search"' in html and 'id="search"' in html
    # nothing the content security policy would block: no inline script, no inline handler
    scripts = re.findall(r"<script([^>]*)>", html)
    assert all("src=" in a or 'type="application/json"' in a for a in scripts), scripts
    assert not re.search(r"<[^>]+\son[a-z]+=", html)


def test_pages_load_only_the_libraries_they_use(client: TestClient) -> None:
    assert "vis-network" not in client.get("/compare").text
    assert "vis-network" not in client.get("/policies").text
    assert "echarts" not in client.get("/").text
    assert "yasgui" not in client.get("/").text and "yasgui" in client.get("/query").text
    assert "echarts" in client.get("/evidence").text


def test_neighbourhood_is_laid_out_the_same_every_time(client: TestClient) -> None:
    a = client.get("/api/view/neighbourhood/ne-market-share", params={"depth": 2}).json()
    b = client.get("/api/view/neighbourhood/ne-market-share", params={"depth": 2}).json()
    assert [(n["id"], n["x"], n["y"]) for n in a["nodes"]] == [
        (n["id"], n["x"], n["y"]) for n in b["nodes"]
    ]
    assert len({(n["x"], n["y"]) for n in a["nodes"]}) == len(a["nodes"])


def test_layered_layout_is_deterministic_and_left_to_right() -> None:
    edges = [("a", "b"), ("b", "c"), ("c", "d"), ("d", "b"), ("d", "e"), ("x", "e")]
    nodes = ["e", "d", "c", "b", "a", "x"]
    pos = layered(nodes, edges)
    assert pos == layered(list(reversed(nodes)), list(reversed(edges)))
    assert pos["a"][0] < pos["b"][0] and pos["d"][0] < pos["e"][0]
    ring = [pos[n] for n in ("b", "c", "d")]  # a loop: its members on a ring, apart
    assert len(set(ring)) == 3 and len({round(y) for _, y in ring}) > 1
    assert len(set(pos.values())) == len(nodes)
    tall = layered(
        [f"n{i}" for i in range(12)] + ["hub"], [(f"n{i}", "hub") for i in range(12)], max_rows=5
    )
    assert len({x for n, (x, _) in tall.items() if n != "hub"}) == 3  # wrapped in 3 columns
    row = spread([("a", 0.0), ("b", 10.0), ("c", 500.0)], 100.0)
    assert row["b"] - row["a"] >= 100 and row["c"] - row["b"] >= 100


def test_typo_distance() -> None:
    assert within("segmentaton", "segmentation", 1)
    assert within("ab", "ba", 1)  # a swap is one edit
    assert not within("kitten", "sitting", 2) and within("kitten", "sitting", 3)


def test_item_routes_find_the_items_of_every_loaded_paper(
    built_paper: Built, mini_built: Built, tmp_path: Path
) -> None:
    # one store holding two papers: an item id is looked up in each paper, first document first
    both = tmp_path / "both.nq"
    both.write_bytes(
        b"".join((b.dist / "graph.nq").read_bytes() for b in (built_paper, mini_built))
    )
    store = OxigraphStore()
    store.load_nquads(both)
    with TestClient(viewer_app(built_paper.dist, store, query_isolation="thread")) as c:
        mini = c.get("/api/claims/c-cycle")
        assert mini.status_code == 200 and mini.json()["iri"].endswith("/id/mini-paper/c-cycle")
        paper = c.get("/api/factors/rust-belt")
        assert paper.status_code == 200
        assert paper.json()["iri"].endswith("/id/liu-tong-2021/rust-belt")
        assert c.get("/api/claims/no-such-claim").status_code == 404
        # the viewer's item panel too, each paper's view graph built for its own items
        assert c.get("/api/view/item/c-cycle").json()["iri"].endswith("/mini-paper/c-cycle")
        assert c.get("/api/view/item/rust-belt").json()["iri"].endswith("/liu-tong-2021/rust-belt")
        # the API's title names no paper
        assert (
            isinstance(c.app, FastAPI)
            and c.app.summary == "argraph: causal arguments of papers as a knowledge graph"
        )


def test_detail_shows_the_relations_of_meaning_lists_and_grounding(client: TestClient) -> None:
    def rels(item: dict[str, Any], key: str) -> list[dict[str, Any]]:
        return [r["target"] for r in item["relations"] if f"{r['name']}.{r['direction']}" == key]

    def ids(item: dict[str, Any], key: str) -> set[str]:
        return {t["id"] for t in rels(item, key)}

    # oppositeOf is written both ways and shown as one relation from either pole
    decoupling = client.get("/api/view/item/ne-decoupling").json()
    assert ids(decoupling, "oppositeOf.out") == {"ne-domestic-market-linkage"}
    linkage = client.get("/api/view/item/ne-domestic-market-linkage").json()
    assert "ne-decoupling" in ids(linkage, "oppositeOf.out")
    # indicators of a factor, and the factor they indicate
    rust = client.get("/api/view/item/rust-belt").json()
    assert "population-outflow" in ids(rust, "indicatorOf.in")
    outflow = client.get("/api/view/item/population-outflow").json()
    assert ids(outflow, "indicatorOf.out") == {"rust-belt"}
    # what a policy acts through
    policy = client.get("/api/view/item/s4-p-subsidise-users").json()
    assert "s4-f-user-subsidies" in ids(policy, "actsThrough.out")
    # an enumeration's elements in the paper's order, with positions, instead of bare members
    enum = client.get("/api/view/item/enum-opening-timeline").json()
    elements = rels(enum, "element.out")
    assert [(e["position"], e["id"]) for e in elements] == [
        (1, "s2-e-coastal-strategy-1988"),
        (2, "s2-e-southern-tour-1992"),
        (3, "s2-e-wto-accession-2001"),
    ]
    assert not rels(enum, "member.out")
    member = client.get("/api/view/item/s2-e-southern-tour-1992").json()
    assert [(e["id"], e["position"]) for e in rels(member, "element.in")] == [
        ("enum-opening-timeline", 2)
    ]
    # an explanation's grounding claims come through arg:assertedBy; a statistic's qualifier
    explanations = client.get("/api/view/search", params={"q": "expl-"}).json()["data"]
    grounded = [
        client.get(f"/api/view/item/{e['id']}").json()
        for e in explanations
        if e["kind"] == "explanation"
    ]
    assert grounded and all(rels(x, "assertedBy.out") for x in grounded)
    stat = client.get("/api/view/item/stat-1990s-profit-rate-ratio").json()
    qualifier = [f for f in stat["facts"] if f["name"] == "qualifier"]
    assert qualifier and qualifier[0]["label"]["zh"] == "左右"
    # every relation and fact name has a label in both languages
    i18n = client.get("/static/i18n.js").text
    for key in ("oppositeOf.out", "indicatorOf.in", "indicatorOf.out", "actsThrough.out"):
        assert i18n.count(f'"rel.{key}"') == 2, key
    for key in ("element.out", "element.in", "related.out", "actsThrough.in"):
        assert i18n.count(f'"rel.{key}"') == 2, key
    for name in ("also_quoted", "qualifier"):
        assert i18n.count(f'"fact.{name}"') == 2, name


def test_every_relation_and_fact_of_the_detail_pane_has_labels_in_both_languages(
    client: TestClient,
) -> None:
    i18n = client.get("/static/i18n.js").text
    en, zh = i18n.split("\n  zh: {", 1)
    keys = {f"fact.{name}" for name in (*detail.FACTS.values(), *detail.NAMED.values())}
    names = {*RELATIONS.values(), *detail.MEANING.values(), *detail.QUALIFIED.values(), "element"}
    for name in names:
        keys.add(f"rel.{name}.out")
        if name not in detail.SYMMETRIC:
            keys.add(f"rel.{name}.in")
    keys |= {"rel.causes.out", "rel.caused_by.out", "basis.stated", "basis.inferred"}
    keys |= {f"rel.{r}_link.in" for r in ("targets", "supports", "challenges")}
    keys |= {f"aim.{a}" for a in ("Strengthen", "Weaken", "Create", "Break")}
    for key in sorted(keys):
        assert f'"{key}"' in en and f'"{key}"' in zh, key


def test_policy_map_gives_each_target_its_own_aim(client: TestClient) -> None:
    cards = client.get("/api/view/policies").json()["policies"]
    targets = [t for p in cards.values() for t in p["targets"]]
    # every target has its aim with labels in both languages (the policy-level aim is gone)
    assert targets and all(t["aim"] in {"Strengthen", "Weaken", "Create", "Break"} for t in targets)
    assert all(t["aim_label"]["en"] and t["aim_label"]["zh"] for t in targets)
    # a recommendation whose targets have different aims has no common aim
    mixed = cards["s4-p-service-government"]
    assert mixed["aim"] is None and mixed["aim_label"] is None
    by_id = {t["id"]: t for t in mixed["targets"]}
    assert by_id["market-mechanism"]["aim"] == "Strengthen"
    assert by_id["market-mechanism"]["outcome_effect"] == "lowers"
    # a link target is the relation cause -> effect, with the aim to break it
    link = by_id["s4-l-omnipotent-market"]
    assert link["kind"] == "link" and link["aim"] == "Break"
    assert link["cause"]["id"] == "s4-f-omnipotent-government" and link["effect"]["id"]
    assert link["outcome_effect"] == "cuts"
    # a shared aim stays on the card
    same = [p for p in cards.values() if len({t["aim"] for t in p["targets"]}) == 1]
    assert same and all(p["aim"] == p["targets"][0]["aim"] and p["aim_label"] for p in same)
    # our readings are marked: the targets the policy's words do not name
    inferred = {(p["id"], t["id"]) for p in cards.values() for t in p["targets"] if t["inferred"]}
    assert ("s4-p-classified-industrial-policy", "rust-belt") in inferred
    assert ("s4-p-service-government", "market-mechanism") not in inferred
    # the page's script shows each target's aim, the inferred mark and a link as cause -> effect
    script = client.get("/static/policies.js").text
    assert "target.aim" in script and "target.inferred" in script and "target.cause" in script


def test_detail_shows_posits_with_basis_and_targets_with_aim(client: TestClient) -> None:
    def rels(item: dict[str, Any], key: str) -> dict[str, dict[str, Any]]:
        return {
            r["target"]["id"]: r["target"]
            for r in item["relations"]
            if f"{r['name']}.{r['direction']}" == key
        }

    expl = client.get("/api/view/item/expl-decoupling").json()
    posits = rels(expl, "posits.out")
    assert posits["ne-decoupling"]["basis"] == "stated"
    assert posits["ne-decoupling"]["basis_quote"].startswith("造成东北形成脱离国内经济循环")
    assert all(p["basis"] in {"stated", "inferred"} for p in posits.values())
    # one relation per posited factor: the bare arg:posits triple is not shown beside it
    assert len([r for r in expl["relations"] if r["name"] == "posits"]) == len(posits)
    assert not [f for f in expl["facts"] if f["name"] == "posits_basis"]
    policy = client.get("/api/view/item/s4-p-service-government").json()
    targets = rels(policy, "targets.out")
    assert {k: (v["aim"], v["basis"]) for k, v in targets.items()} == {
        "market-mechanism": ("Strengthen", "stated"),
        "s4-l-omnipotent-market": ("Break", "stated"),
    }
    assert targets["s4-l-omnipotent-market"]["aim_label"] == {"zh": "切断", "en": "break"}
    assert targets["s4-l-omnipotent-market"]["cause"]["id"] == "s4-f-omnipotent-government"
    # from the factor's side: who targets it, with what aim and on what basis
    rust = rels(client.get("/api/view/item/rust-belt").json(), "targets.in")
    assert rust["s4-p-classified-industrial-policy"]["aim"] == "Weaken"
    assert rust["s4-p-classified-industrial-policy"]["basis"] == "inferred"


def test_the_corpus_page_is_one_of_the_pages(client: TestClient) -> None:
    assert PAGES_OF_VIEWER["corpus"] == "Papers compared"
    page = client.get("/corpus")
    assert page.status_code == 200 and '<script type="module" src="/static/corpus.js">' in page.text
    assert 'data-page-link="corpus"' in client.get("/policies").text
    # served once, by the viewer's page route
    routes = [
        (router, r)
        for router in ROUTERS
        for r in router.routes
        if getattr(r, "path", "") == "/corpus"
    ]
    assert [(router, r.name) for router, r in routes] == [(web_routes.router, "page_corpus")]  # type: ignore[attr-defined]
    i18n = client.get("/static/i18n.js").text
    for key in ("nav.corpus", "title.corpus"):
        assert i18n.count(f'"{key}"') == 2, key


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    - series: demand-realisation\n",
            "    - series: demand-realization\n",
            "unknown series",
        ),
        ("paper_check: demand-potential-ratio", "paper_check: no-such-check", "unknown check"),
        ("  evidence: [grp-index,", "  evidence: [population, grp-index,", "no entry under"),
    ],
)
def test_the_charts_section_is_checked(tmp_path: Path, old: str, new: str, message: str) -> None:
    # a renamed series or check in the charts section fails naming the file and line
    text = (PAPER_CORPUS / "data" / "checks.yaml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "checks.yaml").write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(AnnotationError, match=message) as err:
        read_spec(tmp_path)
    assert err.value.file is not None and err.value.line is not None
