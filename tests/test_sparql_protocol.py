"""/sparql: the protocol, content negotiation, error answers and the guards."""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient
from rdflib import URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from api.routes.sparql import INLINE_GUARD_CHARS
from graph.results import GraphResult
from graph.store import OxigraphStore
from tests.api_fixtures import client_for, error_of, parse
from tests.conftest import Built

ASSERTIONS = "https://w3id.org/argraph/graph/liu-tong-2021/assertions"
COUNT_CLAIMS = (
    "PREFIX arg: <https://w3id.org/argraph/ontology#> "
    "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a arg:Claim }"
)
CONSTRUCT_LINKS = (
    "PREFIX obo: <http://purl.obolibrary.org/obo/> "
    "CONSTRUCT { ?a obo:RO_0002411 ?b } WHERE { ?a obo:RO_0002411 ?b }"
)
SD = "http://www.w3.org/ns/sparql-service-description#"


@pytest.fixture(scope="module")
def client(built_paper: Built) -> Iterator[TestClient]:
    with client_for(built_paper.dist) as c:
        yield c


def _claims(paper_store: OxigraphStore) -> int:
    result = paper_store.query(COUNT_CLAIMS)
    return int(result.rows[0]["n"].value)  # type: ignore[union-attr]


def test_get_post_form_and_post_direct_agree(
    client: TestClient, paper_store: OxigraphStore
) -> None:
    expected = _claims(paper_store)
    answers = [
        client.get("/sparql", params={"query": COUNT_CLAIMS}),
        client.post("/sparql", data={"query": COUNT_CLAIMS}),
        client.post(
            "/sparql", content=COUNT_CLAIMS, headers={"content-type": "application/sparql-query"}
        ),
    ]
    for r in answers:
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith("application/sparql-results+json")
        assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == expected > 0


def test_select_formats_by_accept(client: TestClient) -> None:
    q = "SELECT ?g WHERE { GRAPH ?g { } } ORDER BY ?g"
    params = {"query": q}
    j = client.get("/sparql", params=params, headers={"accept": "application/sparql-results+json"})
    graphs = [b["g"]["value"] for b in j.json()["results"]["bindings"]]
    assert ASSERTIONS in graphs
    x = client.get("/sparql", params=params, headers={"accept": "application/sparql-results+xml"})
    assert x.headers["content-type"].startswith("application/sparql-results+xml")
    ns = "{http://www.w3.org/2005/sparql-results#}"
    root = ElementTree.fromstring(x.content)
    assert [u.text for u in root.iter(f"{ns}uri")] == graphs
    c = client.get("/sparql", params=params, headers={"accept": "text/csv"})
    rows = list(csv.reader(io.StringIO(c.text)))
    assert rows[0] == ["g"] and [r[0] for r in rows[1:]] == graphs
    t = client.get("/sparql", params=params, headers={"accept": "text/tab-separated-values"})
    lines = t.text.splitlines()
    assert lines[0] == "?g" and lines[1:] == [f"<{g}>" for g in graphs]
    assert "Accept" in j.headers["vary"]


def test_ask(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": f"ASK {{ GRAPH <{ASSERTIONS}> {{ ?s ?p ?o }} }}"})
    assert r.json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_formats_parse_to_the_same_graph(
    client: TestClient, paper_store: OxigraphStore, accept: str, fmt: str
) -> None:
    direct = paper_store.query(CONSTRUCT_LINKS)
    assert isinstance(direct, GraphResult)
    expected = parse(direct.ntriples, "nt")
    assert len(expected) > 0
    r = client.get("/sparql", params={"query": CONSTRUCT_LINKS}, headers={"accept": accept})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(accept)
    assert isomorphic(parse(r.content, fmt), expected)


def test_describe(client: TestClient) -> None:
    item = "https://w3id.org/argraph/id/liu-tong-2021/c-mech-uneven-opening"
    r = client.get(
        "/sparql", params={"query": f"DESCRIBE <{item}>"}, headers={"accept": "text/turtle"}
    )
    g = parse(r.content, "turtle")
    assert (URIRef(item), RDF.type, URIRef("https://w3id.org/argraph/ontology#Claim")) in g


def test_service_description(client: TestClient) -> None:
    r = client.get("/sparql", headers={"accept": "text/turtle"})
    assert r.status_code == 200
    g = parse(r.content, "turtle")
    endpoints = list(g.objects(None, URIRef(SD + "endpoint")))
    assert endpoints == [URIRef("http://testserver/sparql")]
    assert (None, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Query")) in g
    assert URIRef(ASSERTIONS) in set(g.objects(None, URIRef(SD + "name")))


def test_protocol_dataset_only_names_graphs_in_the_store(client: TestClient) -> None:
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    unknown = client.get(
        "/sparql", params={"query": q, "default-graph-uri": "http://example.org/x"}
    )
    assert unknown.json()["results"]["bindings"][0]["n"]["value"] == "0"
    one = client.get("/sparql", params={"query": q, "default-graph-uri": ASSERTIONS})
    everything = client.get("/sparql", params={"query": q})
    assert (
        0
        < int(one.json()["results"]["bindings"][0]["n"]["value"])
        < int(everything.json()["results"]["bindings"][0]["n"]["value"])
    )


def test_from_a_graph_in_the_store_is_honoured(client: TestClient) -> None:
    q = f"SELECT (COUNT(*) AS ?n) FROM <{ASSERTIONS}> WHERE {{ ?s ?p ?o }}"
    via_from = client.get("/sparql", params={"query": q})
    via_protocol = client.get(
        "/sparql",
        params={
            "query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
            "default-graph-uri": ASSERTIONS,
        },
    )
    assert via_from.status_code == 200, via_from.text
    assert via_from.json() == via_protocol.json()


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "query_refused"),
        ("SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }", "query_refused"),
        (
            "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
            "query_refused",
        ),
        ("PREFIX e: <http://example.org/> SELECT * FROM e:x WHERE { ?s ?p ?o }", "query_refused"),
        ("LOAD <http://example.org/data.ttl>", "read_only"),
        ("INSERT DATA { <http://a> <http://b> <http://c> }", "read_only"),
        ("# comment\nPREFIX a: <http://a/> CLEAR ALL", "read_only"),
        ("SELECT * WHERE " + "{" * 2000 + "}" * 2000, "query_refused"),
        ("SELECT * WHERE { ?s ?p ?o ", "bad_request"),
    ],
)
def test_guard_refuses_before_any_engine(client: TestClient, query: str, code: str) -> None:
    r = client.get("/sparql", params={"query": query})
    error_of(r, 403 if code == "read_only" else 400, code)


def test_keywords_inside_strings_and_iris_are_not_refused(client: TestClient) -> None:
    q = 'SELECT ("SERVICE LOAD FROM <x>" AS ?x) WHERE { BIND(<http://e/SERVICE> AS ?y) }'
    assert client.get("/sparql", params={"query": q}).status_code == 200


def test_protocol_errors(client: TestClient) -> None:
    error_of(client.get("/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D"), 400, "bad_request")
    r = client.put("/sparql", params={"query": "ASK {}"})
    error_of(r, 405)
    assert set(r.headers["allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "POST", "OPTIONS"}
    error_of(
        client.post("/sparql", content="ASK {}", headers={"content-type": "text/plain"}),
        415,
        "unsupported_media_type",
    )
    error_of(client.post("/sparql", content="ASK {}"), 415)
    error_of(
        client.post(
            "/sparql",
            content="ASK {}".encode("utf-16"),
            headers={"content-type": "application/sparql-query; charset=UTF-16"},
        ),
        415,
    )
    error_of(
        client.post(
            "/sparql", content=b"ASK { \xff }", headers={"content-type": "application/sparql-query"}
        ),
        400,
    )
    error_of(
        client.get("/sparql", params={"query": "ASK {}"}, headers={"accept": "image/png"}),
        406,
        "not_acceptable",
    )
    error_of(
        client.get("/sparql", params={"query": CONSTRUCT_LINKS}, headers={"accept": "text/csv"}),
        406,
    )
    error_of(client.get("/sparql", params={"update": "CLEAR ALL"}), 403, "read_only")
    error_of(client.post("/sparql", data={"update": "CLEAR ALL"}), 403, "read_only")
    error_of(
        client.post(
            "/sparql", content="CLEAR ALL", headers={"content-type": "application/sparql-update"}
        ),
        403,
    )


def test_cors_for_reads_without_credentials(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"origin": "https://x.example"})
    assert r.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in r.headers
    pre = client.options(
        "/sparql",
        headers={
            "origin": "https://x.example",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert pre.status_code == 200
    assert "POST" in pre.headers["access-control-allow-methods"]


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# The limits below are the service's, not the graph's: they are tested over the small corpus
# (tests/data/mini, 1,631 quads: the cross product above is still 4 x 10^9 rows), whose pool
# starts in a fraction of the paper's time; the paper itself is served by `client` above.


def test_runaway_query_is_stopped_and_the_service_goes_on(mini_built: Built) -> None:
    with client_for(mini_built.dist, query_timeout_s=1.5) as c:
        assert c.get("/sparql", params={"query": "ASK {}"}).status_code == 200
        err = error_of(c.get("/sparql", params={"query": RUNAWAY}), 503, "query_timeout")
        assert err["timeout_s"] == 1.5
        assert c.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True
        assert c.app.state.runner.kills == 1  # type: ignore[attr-defined]


def test_beyond_the_concurrency_bound_503_with_retry_after(mini_built: Built) -> None:
    """A query waits for a slot at most `queue_wait_s`, then 503 with Retry-After."""
    settings: dict[str, Any] = {
        "query_timeout_s": 3,
        "max_concurrent_queries": 1,
        "queue_wait_s": 0.2,
    }
    with client_for(mini_built.dist, **settings) as c:
        c.get("/sparql", params={"query": "ASK {}"})
        t = threading.Thread(target=lambda: c.get("/sparql", params={"query": RUNAWAY}))
        t.start()
        import time

        time.sleep(0.5)
        r = c.get("/sparql", params={"query": "ASK {}"})
        error_of(r, 503, "busy")
        assert int(r.headers["retry-after"]) >= 1
        t.join()


def test_row_and_byte_caps(mini_built: Built) -> None:
    with client_for(mini_built.dist, max_rows=5) as c:
        error_of(
            c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}),
            422,
            "result_too_large",
        )
        ok = c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"})
        assert len(ok.json()["results"]["bindings"]) == 5
    with client_for(mini_built.dist, max_result_bytes=2000) as c:
        error_of(
            c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 500"}),
            422,
            "result_too_large",
        )


def test_too_long_query(mini_built: Built) -> None:
    with client_for(mini_built.dist, max_query_bytes=100) as c:
        error_of(c.get("/sparql", params={"query": "ASK {}" + " " * 200}), 400, "query_refused")


def test_a_long_query_is_guarded_off_the_event_loop_as_strictly(client: TestClient) -> None:
    """Past INLINE_GUARD_CHARS the guard runs in a thread: same answers, same refusals."""
    padding = " " * (INLINE_GUARD_CHARS + 10)
    assert client.get("/sparql", params={"query": "ASK {}" + padding}).status_code == 200
    hidden = "ASK {" + padding + "SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    error_of(client.get("/sparql", params={"query": hidden}), 400, "query_refused")


def test_operator_cap_is_a_setting(mini_built: Built) -> None:
    query = "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o } " * 5 + "} LIMIT 1"
    with client_for(mini_built.dist, max_operators=3) as c:
        error_of(c.get("/sparql", params={"query": query}), 400, "query_refused")
    with client_for(mini_built.dist, max_operators=10) as c:
        assert c.get("/sparql", params={"query": query}).status_code == 200


def test_results_json_is_valid_json_for_chinese_text(client: TestClient) -> None:
    q = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?l WHERE "
        "{ ?s rdfs:label ?l FILTER(lang(?l) = 'zh') } LIMIT 3"
    )
    r = client.get("/sparql", params={"query": q})
    labels = [b["l"] for b in json.loads(r.content)["results"]["bindings"]]
    assert labels and all(b["xml:lang"] == "zh" for b in labels)
