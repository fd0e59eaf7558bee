"""Helpers shared by the routes: the query runner held by the app, the service description."""

from __future__ import annotations

import threading

from fastapi import FastAPI, Request
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from argraph.graph.store import Store
from argraph.graph.stores.pool import Runner, make_runner
from argraph.settings import Settings

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = "http://www.w3.org/ns/formats/"

_lock = threading.Lock()


def runner_of(app: FastAPI, store: Store, settings: Settings) -> Runner:
    """The app's query runner, made on first use (a process pool snapshots the store)."""
    runner: Runner | None = getattr(app.state, "runner", None)
    if runner is None:
        with _lock:
            runner = getattr(app.state, "runner", None)
            if runner is None:
                runner = make_runner(
                    store,
                    isolation=settings.query_isolation,
                    size=settings.max_concurrent_queries,
                    timeout_s=settings.query_timeout_s,
                    retry_after_s=settings.retry_after_s,
                )
                app.state.runner = runner
    return runner


def service_description(request: Request, settings: Settings, graphs: list[str]) -> Graph:
    g = Graph()
    g.bind("sd", SD)
    endpoint = URIRef(str(request.url.replace(query="", fragment="")))
    service = BNode("service")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, endpoint))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for fmt in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
    ):
        g.add((service, SD.resultFormat, URIRef(FORMATS + fmt)))
    dataset = BNode("dataset")
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    default = BNode("default-graph")
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    for i, name in enumerate(graphs):
        ng = BNode(f"named-graph-{i}")
        g.add((dataset, SD.namedGraph, ng))
        g.add((ng, RDF.type, SD.NamedGraph))
        g.add((ng, SD.name, URIRef(name)))
    g.add(
        (
            service,
            URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
            Literal(
                f"argraph, read-only; timeout {settings.query_timeout_s:g} s, "
                f"at most {settings.max_rows} rows",
                lang="en",
            ),
        )
    )
    return g
