"""Deterministic dumps: the same dataset gives the same bytes, whatever the hash seed.

The quads are sorted once (graph, subject, predicate, object) and written by pyoxigraph's
serialisers, which keep the order they are given (rdflib's writers follow set order, and its
Turtle writer is several times slower). JSON-LD is written here as flattened node objects
sorted by id and property.
"""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from graph.namespaces import PREFIXES

FORMATS = {
    "trig": "graph.trig",
    "turtle": "graph.ttl",
    "ntriples": "graph.nt",
    "nquads": "graph.nq",
    "jsonld": "graph.jsonld",
}


def named_graphs(ds: Dataset) -> list[Graph]:
    graphs = [g for g in ds.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)]
    return sorted(graphs, key=lambda g: str(g.identifier))


def union(ds: Dataset) -> Graph:
    """All named graphs merged into one graph (what the Turtle and N-Triples dumps hold)."""
    g = Graph()
    for prefix, iri in ds.namespaces():
        g.bind(prefix, iri)
    for named in named_graphs(ds):
        for triple in named:
            g.add(triple)
    return g


def _ox_term(term: Any) -> ox.NamedNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise ValueError("argraph graphs have no blank nodes")


def _sorted_quads(ds: Dataset) -> list[ox.Quad]:
    quads = [
        ox.Quad(_ox_term(s), _ox_term(p), _ox_term(o), ox.NamedNode(str(named.identifier)))  # type: ignore[arg-type]
        for named in named_graphs(ds)
        for s, p, o in named
    ]
    return sorted(
        quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))
    )


def _prefixes(ds: Dataset) -> dict[str, str]:
    return dict(sorted((p, str(iri)) for p, iri in ds.namespaces() if p))


def _text(data: bytes | None) -> str:
    assert data is not None
    return data.decode("utf-8")


def _term(term: Any) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"@id": str(term)}
    if isinstance(term, BNode):
        raise ValueError("argraph graphs have no blank nodes")
    assert isinstance(term, Literal)
    value: dict[str, str] = {"@value": str(term)}
    if term.language:
        value["@language"] = term.language
    elif term.datatype is not None and str(term.datatype) != PREFIXES["xsd"] + "string":
        value["@type"] = str(term.datatype)
    return value


def _sort_key(value: dict[str, str]) -> tuple[str, str, str, str]:
    return (
        value.get("@id", ""),
        value.get("@value", ""),
        value.get("@language", ""),
        value.get("@type", ""),
    )


def to_jsonld(ds: Dataset) -> str:
    graphs = []
    for named in named_graphs(ds):
        nodes: dict[str, dict[str, list[dict[str, str]]]] = {}
        for s, p, o in named:
            props = nodes.setdefault(str(s), {})
            if str(p) == PREFIXES["rdf"] + "type":
                props.setdefault("@type", []).append({"@id": str(o)})
            else:
                props.setdefault(str(p), []).append(_term(o))
        node_list = []
        for node_id in sorted(nodes):
            node: dict[str, Any] = {"@id": node_id}
            for prop in sorted(nodes[node_id]):
                values = sorted(nodes[node_id][prop], key=_sort_key)
                node[prop] = [v["@id"] for v in values] if prop == "@type" else values
            node_list.append(node)
        graphs.append({"@id": str(named.identifier), "@graph": node_list})
    doc = {"@context": dict(sorted(PREFIXES.items())), "@graph": graphs}
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def to_nquads(ds: Dataset) -> str:
    """The dataset as sorted N-Quads (what the store loads)."""
    return _text(ox.serialize(_sorted_quads(ds), format=ox.RdfFormat.N_QUADS))


def serialise_all(ds: Dataset) -> dict[str, str]:
    """File name -> content, for every dump format (the quads are sorted once)."""
    quads = _sorted_quads(ds)
    triples = sorted(
        {ox.Triple(q.subject, q.predicate, q.object) for q in quads},
        key=lambda t: (str(t.subject), str(t.predicate), str(t.object)),
    )
    prefixes = _prefixes(ds)
    return {
        FORMATS["trig"]: _text(ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes)),
        FORMATS["turtle"]: _text(
            ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
        ),
        FORMATS["ntriples"]: _text(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)),
        FORMATS["nquads"]: _text(ox.serialize(quads, format=ox.RdfFormat.N_QUADS)),
        FORMATS["jsonld"]: to_jsonld(ds),
    }
