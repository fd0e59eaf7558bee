"""The JSON-LD context: every term names a declared property, and compacted JSON-LD round-trips."""

from __future__ import annotations

import json

import pyoxigraph as ox
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF

from api.settings import Settings
from argraph.app import create_app
from graph.namespaces import ARG
from graph.store import OxigraphStore
from ontology import CONTEXT_JSONLD, load_ontology

from .conftest import Built


def test_every_argraph_term_is_declared_in_the_ontology() -> None:
    context = json.loads(CONTEXT_JSONLD.read_text(encoding="utf-8"))["@context"]
    onto = load_ontology()
    declared = set(onto.subjects(RDF.type, OWL.ObjectProperty)) | set(
        onto.subjects(RDF.type, OWL.DatatypeProperty)
    )
    for term, definition in context.items():
        iri = definition["@id"] if isinstance(definition, dict) else definition
        if isinstance(iri, str) and iri.startswith("arg:"):
            assert URIRef(str(ARG) + iri.removeprefix("arg:")) in declared, term


def test_linked_data_json_ld_is_compacted_and_round_trips(
    built_paper: Built, paper_store: OxigraphStore
) -> None:
    with TestClient(create_app(Settings(dist=built_paper.dist), paper_store)) as client:
        iri = "/id/liu-tong-2021/l-share-profitability"
        as_jsonld = client.get(iri, headers={"Accept": "application/ld+json"})
        as_turtle = client.get(iri, headers={"Accept": "text/turtle"})
        assert as_jsonld.status_code == 200 and as_turtle.status_code == 200
        body = as_jsonld.json()
        assert "@context" in body and "cause" in json.dumps(body)  # compact terms, not full IRIs
        # pyoxigraph parses the JSON-LD (rdflib's JSON-LD parser warns about its own internals).
        quads = ox.parse(as_jsonld.content, format=ox.RdfFormat.JSON_LD)
        nt = ox.serialize(
            [ox.Triple(q.subject, q.predicate, q.object) for q in quads],
            format=ox.RdfFormat.N_TRIPLES,
        )
        assert nt is not None
        g1 = Graph().parse(data=nt.decode("utf-8"), format="nt")
        g2 = Graph().parse(data=as_turtle.text, format="turtle")
        assert isomorphic(g1, g2)
        ctx = client.get("/context.jsonld")
        assert ctx.status_code == 200 and ctx.headers["content-type"].startswith(
            "application/ld+json"
        )
