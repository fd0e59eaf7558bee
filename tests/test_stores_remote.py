"""The remote store against a real Virtuoso: load a paper through the Graph Store Protocol with
digest auth (dba/dba), then the same REST suite as the embedded and rdflib stores, and the SPARQL
endpoint in front of it; reload; SPARQL Update loading; the ways of naming the dataset.

A store variant, so on the synthetic second paper (tests/data/second-paper): the real paper goes
into Virtuoso by the remote-store guide, run as written by tests/test_guides.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from errors import StoreError
from graph.results import AskResult, GraphResult, NotRepresentable, SelectResult
from graph.store import OxigraphStore, open_built
from graph.stores.remote import RemoteStore, _term
from graph.stores.remote_dataset import DatasetPlan
from tests.api_fixtures import client_for
from tests.second_paper_fixtures import second_dist
from tests.test_api_rest import SECOND, check_rest_suite
from tests.virtuoso import Virtuoso, virtuoso_server

pytestmark = pytest.mark.remote

SYSTEM_GRAPH = "http://www.openlinksw.com/schemas/virtrdf#"
QUERIES = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "SELECT (COUNT(DISTINCT ?p) AS ?n) { ?s ?p ?o FILTER EXISTS { ?s a ?t } }",
    "ASK { ?s ?p ?o }",
    "ASK WHERE { ?s <urn:argraph:test:none> ?o }",
]


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as v:
        yield v


@pytest.fixture(scope="module")
def paper_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return second_dist(tmp_path_factory)


@pytest.fixture(scope="module")
def paper_store(paper_dist: Path) -> OxigraphStore:
    """The same paper in the embedded store: what every answer must agree with."""
    return open_built(paper_dist)


@pytest.fixture(scope="module")
def remote_store(virtuoso: Virtuoso, paper_dist: Path) -> Iterator[RemoteStore]:
    store = RemoteStore(
        virtuoso.query_url,
        graph_store_url=virtuoso.graph_store_url,
        user="dba",
        password="dba",
        timeout_s=60,
    )
    store.load_nquads(paper_dist / "graph.nq")
    yield store
    store.close()


@pytest.fixture(scope="module")
def client(remote_store: RemoteStore, paper_dist: Path) -> Iterator[TestClient]:
    with client_for(paper_dist, remote_store) as c:
        yield c


def triples(result: object) -> set[ox.Triple]:
    assert isinstance(result, GraphResult)
    return {q.triple for q in ox.parse(result.ntriples, format=ox.RdfFormat.N_TRIPLES)}


def count(result: object) -> int:
    assert isinstance(result, SelectResult)
    return int(result.rows[0]["n"].value)


def test_loaded_everything(remote_store: RemoteStore, paper_store: OxigraphStore) -> None:
    assert remote_store.graph_names() == paper_store.graph_names()
    assert len(remote_store) == len(paper_store)
    # Virtuoso's default graph holds its system graphs too: they are excluded, once per store
    plan = remote_store.dataset_plan()
    assert plan.mode == "exclude"
    assert SYSTEM_GRAPH in plan.clauses


def test_a_query_is_one_request_without_dataset_parameters(remote_store: RemoteStore) -> None:
    sent: list[httpx.Request] = []
    remote_store._http.event_hooks["request"] = [sent.append]
    try:
        for q in QUERIES:
            remote_store.query(q)
    finally:
        remote_store._http.event_hooks["request"] = []
    assert len(sent) == len(QUERIES)  # no discovery per query
    for request in sent:
        fields = parse_qs(request.content.decode("utf-8"))
        assert set(fields) == {"query"}
        assert len(request.content) < 2000


def test_rest_suite_on_virtuoso(client: TestClient, paper_store: OxigraphStore) -> None:
    check_rest_suite(client, paper_store, SECOND)


def test_sparql_endpoint_on_virtuoso(client: TestClient, paper_store: OxigraphStore) -> None:
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    r = client.get("/sparql", params={"query": q})
    assert r.status_code == 200, r.text
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == len(paper_store)
    refused = client.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://x> {} }"})
    assert refused.status_code == 400


def test_every_way_of_naming_the_dataset_gives_the_same_answers(
    remote_store: RemoteStore, paper_store: OxigraphStore, virtuoso: Virtuoso
) -> None:
    ours = remote_store.graph_names()
    row = paper_store.query("SELECT ?s WHERE { ?s a ?t } ORDER BY ?s LIMIT 1")
    assert isinstance(row, SelectResult)
    subject = row.rows[0]["s"].value
    on_server = [*ours, SYSTEM_GRAPH]
    ways = {
        "exclude": remote_store.dataset_plan(),
        "from": DatasetPlan.decide(ours, on_server, virtuoso=False),
        "from, when the server's graphs cannot be listed": DatasetPlan.froms(ours),
    }
    assert ways["from"].mode == "from"
    described: dict[str, set[ox.Triple]] = {}
    for mode, plan in ways.items():
        store = RemoteStore(virtuoso.query_url, timeout_s=60)
        store._graphs, store._plan = ours, plan
        try:
            for q in QUERIES:
                assert store.query(q) == paper_store.query(q), (mode, q)
            construct = "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t }"
            assert triples(store.query(construct)) == triples(paper_store.query(construct)), mode
            described[mode] = triples(store.query(f"DESCRIBE <{subject}>"))
        finally:
            store.close()
    # DESCRIBE is the engine's to define (Virtuoso's holds incoming triples, and differs with
    # FROM NAMED): each mode's names the subject
    node = ox.NamedNode(subject)
    assert all(any(node in (t.subject, t.object) for t in d) for d in described.values())
    # with no dataset at all the server's system graphs leak in: why the plan exists
    bare = RemoteStore(virtuoso.query_url, timeout_s=60, trust_default_graph=True)
    assert count(bare.query(QUERIES[0])) > len(paper_store)
    bare.close()


def test_a_store_that_loaded_nothing_serves_what_the_server_holds(
    remote_store: RemoteStore, virtuoso: Virtuoso
) -> None:
    store = RemoteStore(virtuoso.query_url, timeout_s=60)
    assert store.dataset_plan().mode == "none"
    names = store.graph_names()
    assert set(remote_store.graph_names()) < set(names)
    assert SYSTEM_GRAPH in names
    store.close()


def test_reload_replaces_the_graphs(
    remote_store: RemoteStore, paper_store: OxigraphStore, paper_dist: Path
) -> None:
    # loading the same build again replaces each graph: nothing is counted twice
    remote_store.load_nquads(paper_dist / "graph.nq")
    assert len(remote_store) == len(paper_store)
    assert remote_store.query("ASK { ?s ?p ?o }") == AskResult(True)


def test_sparql_update_loading(virtuoso: Virtuoso, tmp_path: Path) -> None:
    nq = tmp_path / "small.nq"
    nq.write_text(
        "".join(
            f'<urn:argraph:test:s{i}> <urn:argraph:test:p> "v{i}" <urn:argraph:test:g{i % 2}> .\n'
            for i in range(1000)
        ),
        encoding="utf-8",
    )
    store = RemoteStore(virtuoso.query_url, update_url=virtuoso.update_url, timeout_s=60)
    store.load_nquads(nq)
    store.load_nquads(nq)
    assert store.graph_names() == ["urn:argraph:test:g0", "urn:argraph:test:g1"]
    assert len(store) == 1000
    store.close()


def test_wrong_password_is_a_store_error(virtuoso: Virtuoso, tmp_path: Path) -> None:
    nq = tmp_path / "one.nq"
    nq.write_text("<urn:a> <urn:b> <urn:c> <urn:argraph:test:g> .\n", encoding="utf-8")
    store = RemoteStore(
        virtuoso.query_url,
        graph_store_url=virtuoso.graph_store_url,
        user="dba",
        password="not-the-password",
        timeout_s=60,
    )
    with pytest.raises(StoreError, match="401"):
        store.load_nquads(nq)
    store.close()


def test_a_triple_term_is_not_representable() -> None:
    triple = {
        "type": "triple",
        "value": {
            "subject": {"type": "uri", "value": "urn:a"},
            "predicate": {"type": "uri", "value": "urn:b"},
            "object": {"type": "uri", "value": "urn:c"},
        },
    }
    with pytest.raises(NotRepresentable):
        _term(triple)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT * FROM <urn:g> WHERE { ?s ?p ?o }"),
        ("SELECT * { ?s ?p ?o }", "SELECT * FROM <urn:g> { ?s ?p ?o }"),
        (
            "PREFIX x: <urn:x#> SELECT (EXISTS { ?s ?p ?o } AS ?b) WHERE {}",
            "PREFIX x: <urn:x#> SELECT (EXISTS { ?s ?p ?o } AS ?b) FROM <urn:g> WHERE {}",
        ),
        (
            "CONSTRUCT { ?s ?p [ ?q ?o ] } WHERE { ?s ?p ?o }",
            "CONSTRUCT { ?s ?p [ ?q ?o ] } FROM <urn:g> WHERE { ?s ?p ?o }",
        ),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT FROM <urn:g> WHERE { ?s ?p ?o }"),
        ("ASK { ?s ?p ?o }", "ASK FROM <urn:g> { ?s ?p ?o }"),
        ("DESCRIBE ?s WHERE { ?s ?p ?o }", "DESCRIBE ?s FROM <urn:g> WHERE { ?s ?p ?o }"),
        ("SELECT * FROM <urn:own> { ?s ?p ?o }", "SELECT * FROM <urn:own> { ?s ?p ?o }"),
        ("DESCRIBE <urn:x> ?y", "DESCRIBE <urn:x> ?y FROM <urn:g> WHERE {}"),
        ("DESCRIBE * LIMIT 2", "DESCRIBE * FROM <urn:g> WHERE {} LIMIT 2"),
    ],
)
def test_from_clauses_go_before_the_where_clause(query: str, expected: str | None) -> None:
    plan = DatasetPlan("from", " FROM <urn:g> ")
    got = plan.apply(query)
    assert (" ".join(got.split()) if got is not None else None) == expected
