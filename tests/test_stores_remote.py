"""The remote store against a real Virtuoso: load the paper over SPARQL Update, then the same
REST suite as the embedded and rdflib stores, and the SPARQL endpoint in front of it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from argraph.graph.store import OxigraphStore
from argraph.graph.stores.remote import RemoteStore
from tests.api_fixtures import client_for
from tests.conftest import Built
from tests.test_api_rest import check_rest_suite
from tests.virtuoso import Virtuoso, virtuoso_server

pytestmark = pytest.mark.remote


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as v:
        yield v


@pytest.fixture(scope="module")
def remote_store(virtuoso: Virtuoso, built_paper: Built) -> RemoteStore:
    store = RemoteStore(virtuoso.query_url, update_url=virtuoso.update_url, timeout_s=60)
    store.load_nquads(built_paper.dist / "graph.nq")
    return store


@pytest.fixture(scope="module")
def client(remote_store: RemoteStore, built_paper: Built) -> Iterator[TestClient]:
    with client_for(built_paper.dist, remote_store) as c:
        yield c


def test_loaded_everything(remote_store: RemoteStore, paper_store: OxigraphStore) -> None:
    assert remote_store.graph_names() == paper_store.graph_names()
    assert len(remote_store) == len(paper_store)


def test_rest_suite_on_virtuoso(client: TestClient, paper_store: OxigraphStore) -> None:
    check_rest_suite(client, paper_store)


def test_sparql_endpoint_on_virtuoso(client: TestClient, paper_store: OxigraphStore) -> None:
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    r = client.get("/sparql", params={"query": q})
    assert r.status_code == 200, r.text
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == len(paper_store)
    refused = client.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://x> {} }"})
    assert refused.status_code == 400
