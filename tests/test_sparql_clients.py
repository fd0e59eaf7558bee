"""Real clients over real HTTP: SPARQLWrapper and rdflib's SPARQLStore against uvicorn."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from urllib.error import HTTPError

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper

from argraph.app import create_app
from graph.store import OxigraphStore
from tests.api_fixtures import live_server, settings_for
from tests.conftest import Built

CLAIM = "https://w3id.org/argraph/id/liu-tong-2021/c-mech-uneven-opening"
ARG = "https://w3id.org/argraph/ontology#"


@pytest.fixture(scope="module")
def endpoint(built_paper: Built) -> Iterator[str]:
    with live_server(create_app(settings_for(built_paper.dist))) as url:
        yield url + "/sparql"


def _claim_count(store: OxigraphStore) -> int:
    rows = store.query(f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a <{ARG}Claim> }}").rows  # type: ignore[union-attr]
    return int(rows[0]["n"].value)


def test_sparqlwrapper_select_json_xml_csv(endpoint: str, paper_store: OxigraphStore) -> None:
    q = f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a <{ARG}Claim> }}"
    sw = SPARQLWrapper(endpoint)
    sw.setQuery(q)
    sw.setReturnFormat(JSON)
    doc = sw.query().convert()
    assert int(doc["results"]["bindings"][0]["n"]["value"]) == _claim_count(paper_store)  # type: ignore[index,call-overload]
    sw.setReturnFormat(XML)
    xml = sw.query().convert()
    assert xml.getElementsByTagName("literal")[0].firstChild.data == str(  # type: ignore[union-attr]
        _claim_count(paper_store)
    )
    sw.setReturnFormat(CSV)
    sw.setMethod(POST)
    csv_text = sw.query().convert()
    assert csv_text.decode().splitlines()[1] == str(_claim_count(paper_store))  # type: ignore[union-attr]


def test_sparqlwrapper_construct_turtle(endpoint: str) -> None:
    sw = SPARQLWrapper(endpoint)
    sw.setQuery(f"CONSTRUCT {{ <{CLAIM}> ?p ?o }} WHERE {{ <{CLAIM}> ?p ?o }}")
    sw.setReturnFormat(TURTLE)
    data = sw.query().convert()
    g = Graph().parse(data=data, format="turtle")  # type: ignore[arg-type]
    assert (URIRef(CLAIM), RDF.type, URIRef(ARG + "Claim")) in g


def test_sparqlwrapper_update_is_refused(endpoint: str) -> None:
    sw = SPARQLWrapper(endpoint)
    sw.setMethod(POST)
    sw.setQuery("INSERT DATA { <http://a> <http://b> <http://c> }")
    with pytest.raises(HTTPError) as info:
        sw.query()
    assert info.value.code == 403
    assert json.loads(info.value.read())["error"]["code"] == "read_only"


def test_rdflib_sparqlstore(endpoint: str, paper_store: OxigraphStore) -> None:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        store = SPARQLStore(endpoint, returnFormat="xml")
        g = Graph(store=store)
        rows = list(g.query(f"SELECT ?c WHERE {{ ?c a <{ARG}Claim> }}"))
        assert len({r[0] for r in rows}) == _claim_count(paper_store)  # type: ignore[index]
        assert (URIRef(CLAIM), RDF.type, URIRef(ARG + "Claim")) in g
        ask = g.query(f"ASK {{ <{CLAIM}> a <{ARG}Claim> }}")
        assert ask.askAnswer is True
