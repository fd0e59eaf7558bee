"""Deterministic dumps: the same dataset gives the same bytes, whatever the hash seed.

rdflib's Turtle writer sorts subjects and predicates; its TriG, JSON-LD and N-Quads writers follow
set order, which changes run to run. So TriG is written graph by graph (sorted by graph IRI) from
the Turtle writer, N-Triples and N-Quads are sorted lines, and JSON-LD is written here as
flattened node objects sorted by id and property.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from argraph.graph.namespaces import PREFIXES

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


def _bound(graph: Graph, ds: Dataset) -> Graph:
    for prefix, iri in ds.namespaces():
        graph.bind(prefix, iri, override=True)
    return graph


def to_turtle(ds: Dataset) -> str:
    return _bound(union(ds), ds).serialize(format="turtle")


def to_trig(ds: Dataset) -> str:
    prefixes = sorted((p, str(iri)) for p, iri in ds.namespaces() if p)
    out = [f"@prefix {p}: <{iri}> .\n" for p, iri in prefixes]
    for named in named_graphs(ds):
        g = Graph()
        for prefix, iri in prefixes:
            g.bind(prefix, iri, override=True)
        for triple in named:
            g.add(triple)
        body = g.serialize(format="turtle")
        lines = [ln for ln in body.splitlines() if not ln.startswith("@prefix")]
        # Not indented: Turtle's multi-line literals would take the indentation as content.
        text = "\n".join(lines).strip("\n")
        out.append(f"\n<{named.identifier}> {{\n{text}\n}}\n")
    return "".join(out)


def to_ntriples(ds: Dataset) -> str:
    lines = union(ds).serialize(format="nt").splitlines()
    return "".join(sorted({ln + "\n" for ln in lines if ln.strip()}))


def to_nquads(ds: Dataset) -> str:
    lines = set()
    for named in named_graphs(ds):
        for line in named.serialize(format="nt").splitlines():
            line = line.strip()
            if line:
                lines.add(f"{line.removesuffix('.').rstrip()} <{named.identifier}> .\n")
    return "".join(sorted(lines))


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


WRITERS = {
    "trig": to_trig,
    "turtle": to_turtle,
    "ntriples": to_ntriples,
    "nquads": to_nquads,
    "jsonld": to_jsonld,
}


def serialise_all(ds: Dataset) -> dict[str, str]:
    """File name -> content, for every dump format."""
    return {FORMATS[fmt]: writer(ds) for fmt, writer in WRITERS.items()}
