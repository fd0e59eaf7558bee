"""/id/... dereferencing, /graph/..., /ontology and /dumps with ETags."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from graph.results import SelectResult
from graph.store import OxigraphStore
from tests.api_fixtures import client_for, error_of, parse
from tests.conftest import Built

BASE = "https://w3id.org/argraph/"
CLAIM = BASE + "id/liu-tong-2021/c-mech-uneven-opening"
ARG = "https://w3id.org/argraph/ontology#"


@pytest.fixture(scope="module")
def client(built_paper: Built) -> Iterator[TestClient]:
    with client_for(built_paper.dist) as c:
        yield c


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_item_by_content_negotiation(client: TestClient, accept: str, fmt: str) -> None:
    r = client.get("/id/liu-tong-2021/c-mech-uneven-opening", headers={"accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    assert "Accept" in r.headers["vary"]
    g = parse(r.content, fmt)
    assert (URIRef(CLAIM), RDF.type, URIRef(ARG + "Claim")) in g
    # its anchor (a fragment IRI) comes with it
    anchor = URIRef(CLAIM + "#anchor")
    assert (URIRef(CLAIM), URIRef(ARG + "anchor"), anchor) in g
    assert (anchor, None, None) in g


def test_all_formats_are_the_same_graph(client: TestClient) -> None:
    graphs = [
        parse(
            client.get("/id/liu-tong-2021/c-mech-uneven-opening", headers={"accept": a}).content, f
        )
        for a, f in [
            ("text/turtle", "turtle"),
            ("application/ld+json", "json-ld"),
            ("application/n-triples", "nt"),
        ]
    ]
    assert isomorphic(graphs[0], graphs[1]) and isomorphic(graphs[0], graphs[2])


def test_browser_gets_html(client: TestClient) -> None:
    r = client.get(
        "/id/liu-tong-2021/c-mech-uneven-opening",
        headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
    )
    assert r.headers["content-type"].startswith("text/html")
    assert "地区间的不平衡开放" in r.text
    assert 'href="/id/liu-tong-2021/sec-2"' in r.text


PER_KIND = 2
"""IRIs dereferenced per kind (rdf:type and path shape): every kind of minted IRI is tried, and
the same code answers every IRI of a kind (the 3,700 of the paper one by one took minutes; four
a kind took 10-25 s)."""


def test_every_minted_iri_dereferences(client: TestClient, paper_store: OxigraphStore) -> None:
    rows = paper_store.query(
        f"SELECT DISTINCT ?s ?t WHERE {{ ?s ?p ?o OPTIONAL {{ ?s a ?t }} "
        f"FILTER(STRSTARTS(STR(?s), '{BASE}id/')) }}"
    ).rows  # type: ignore[union-attr]
    kinds: dict[tuple[str, str, bool], set[str]] = {}
    for r in rows:
        iri = r["s"].value
        item, _, fragment = iri.partition("#")
        shape = item.removeprefix(BASE).count("/")
        kind = (r["t"].value if "t" in r else "", str(shape), bool(fragment))
        kinds.setdefault(kind, set()).add(item)
    items = {i for members in kinds.values() for i in sorted(members)[:PER_KIND]}
    assert len(kinds) > 20 and len(items) > 50
    for item in sorted(items):
        r = client.get("/" + item.removeprefix(BASE), headers={"accept": "application/n-triples"})
        assert r.status_code == 200, item
        assert (URIRef(item) in set(parse(r.content, "nt").subjects())) or "#" in item


def test_graphs_dereference(client: TestClient, paper_store: OxigraphStore) -> None:
    r = client.get("/graph/liu-tong-2021/bibliography", headers={"accept": "application/n-triples"})
    g = parse(r.content, "nt")
    result = paper_store.query(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{BASE}graph/liu-tong-2021/bibliography> "
        "{ ?s ?p ?o } }"
    )
    assert isinstance(result, SelectResult)
    n = result.rows[0]["n"].value
    assert len(g) == int(n) > 0
    error_of(client.get("/graph/liu-tong-2021/nope"), 404, "not_found")


def test_unknown_item_404(client: TestClient) -> None:
    error_of(client.get("/id/liu-tong-2021/no-such-thing"), 404, "not_found")
    error_of(client.get("/id/liu-tong-2021/x", headers={"accept": "image/png"}), 404)


def test_ontology_at_its_iri(client: TestClient) -> None:
    r = client.get("/ontology", headers={"accept": "text/turtle"})
    g = parse(r.content, "turtle")
    assert (URIRef(ARG + "Claim"), None, None) in g
    assert "Accept" in r.headers["vary"]


def test_dumps_with_etags(client: TestClient, built_paper: Built) -> None:
    listing = client.get("/dumps").json()
    assert {d["name"] for d in listing["data"]} >= {"graph.ttl", "graph.nq", "graph.jsonld"}
    r = client.get("/dumps/graph.ttl")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    content = (built_paper.dist / "graph.ttl").read_bytes()
    assert r.content == content
    assert r.headers["etag"] == f'"{hashlib.sha256(content).hexdigest()}"'
    again = client.get("/dumps/graph.ttl", headers={"if-none-match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    error_of(client.get("/dumps/secret.txt"), 404, "not_found")
    error_of(client.get("/dumps/..%2Fmanifest.json"), 404)


XSS = '<img src=x onerror="alert(1)">'


def test_html_escapes_labels_and_quotes(tmp_path: Path) -> None:
    item = URIRef(BASE + "id/evil/item")
    g = Graph()
    g.add((URIRef(BASE + "id/evil"), RDF.type, URIRef(ARG + "Document")))
    g.add((item, RDFS.label, Literal(XSS, lang="en")))
    g.add((item, URIRef(ARG + "quote"), Literal("</td><script>alert(2)</script>")))
    g.add((item, RDFS.seeAlso, URIRef("javascript:alert(3)")))
    src = tmp_path / "evil.nq"
    src.write_text(
        "".join(f"{s.n3()} {p.n3()} {o.n3()} <{BASE}graph/evil/assertions> .\n" for s, p, o in g),
        encoding="utf-8",
    )
    store = OxigraphStore()
    store.load_nquads(src)
    with client_for(tmp_path, store, query_isolation="thread") as c:
        r = c.get("/id/evil/item", headers={"accept": "text/html"})
    assert r.status_code == 200
    assert "<img" not in r.text and "<script>" not in r.text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in r.text
    assert 'href="javascript:' not in r.text
