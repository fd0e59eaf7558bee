"""Deterministic dumps: the same dataset gives the same bytes, whatever the hash seed.

The quads are sorted once (graph, subject, predicate, object, each in its N-Triples form) and
written by pyoxigraph's serialisers, which keep the order they are given (rdflib's writers follow
set order, and its Turtle writer is several times slower). JSON-LD is written here as flattened
node objects sorted by id and property, in the layout of `json.dumps(indent=1)` (by a writer made
for the shapes it holds: the standard library's indenting encoder is pure Python, and took half of
the JSON-LD dump's time on the real paper).
"""

from __future__ import annotations

from json.encoder import encode_basestring as _encode_string
from operator import itemgetter
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


def _sorted_quads(ds: Dataset) -> list[tuple[tuple[str, str, str, str], ox.Quad]]:
    """Every quad of the named graphs with its sort key, in order. Each distinct term is made
    into a pyoxigraph term (and its N-Triples form, the key) once: the graph names, predicates
    and most subjects and objects come back thousands of times."""
    made: dict[Any, tuple[str, ox.NamedNode | ox.Literal]] = {}

    def term(t: Any) -> tuple[str, ox.NamedNode | ox.Literal]:
        # IRIs are looked up by their plain string (compared in C; rdflib's terms compare in
        # Python), literals by themselves
        key = str(t) if type(t) is URIRef else t
        found = made.get(key)
        if found is None:
            o = _ox_term(t)
            found = made[key] = (str(o), o)
        return found

    keyed = []
    for named in named_graphs(ds):
        graph = ox.NamedNode(str(named.identifier))
        graph_key = str(graph)
        for s, p, o in named:
            (sk, so), (pk, po), (ok, oo) = term(s), term(p), term(o)
            keyed.append(((graph_key, sk, pk, ok), ox.Quad(so, po, oo, graph)))  # type: ignore[arg-type]
    keyed.sort(key=itemgetter(0))
    return keyed


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


def _json_lines(value: Any, out: list[str], indent: str) -> None:
    """`value` (str, dict and list only) as `json.dumps(value, ensure_ascii=False, indent=1)`
    writes it, appended to `out`."""
    if isinstance(value, str):
        out.append(_encode_string(value))
        return
    if not value:
        out.append("{}" if isinstance(value, dict) else "[]")
        return
    inner = indent + " "
    between = ",\n" + inner
    if isinstance(value, dict):
        out.append("{\n" + inner)
        for i, (key, item) in enumerate(value.items()):
            if i:
                out.append(between)
            out.append(_encode_string(key) + ": ")
            _json_lines(item, out, inner)
        out.append("\n" + indent + "}")
    else:
        out.append("[\n" + inner)
        for i, item in enumerate(value):
            if i:
                out.append(between)
            _json_lines(item, out, inner)
        out.append("\n" + indent + "]")


def indented_json(value: Any) -> str:
    """`json.dumps(value, ensure_ascii=False, indent=1)` for values made of str, dict and list."""
    out: list[str] = []
    _json_lines(value, out, "")
    return "".join(out)


def to_jsonld(ds: Dataset) -> str:
    graphs = []
    rdf_type = PREFIXES["rdf"] + "type"
    for named in named_graphs(ds):
        nodes: dict[str, dict[str, list[dict[str, str]]]] = {}
        for s, p, o in named:
            props = nodes.setdefault(str(s), {})
            if str(p) == rdf_type:
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
    return indented_json(doc) + "\n"


def to_nquads(ds: Dataset) -> str:
    """The dataset as sorted N-Quads (what the store loads)."""
    quads = [quad for _, quad in _sorted_quads(ds)]
    return _text(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))


def serialise_all(ds: Dataset) -> dict[str, str]:
    """File name -> content, for every dump format (the quads are sorted once)."""
    keyed = _sorted_quads(ds)
    quads = [quad for _, quad in keyed]
    # the union of the graphs: one triple for the quads that differ only by graph, in order
    unique: dict[tuple[str, str, str], ox.Triple] = {}
    for (_, *triple_key), q in keyed:
        unique.setdefault(tuple(triple_key), ox.Triple(q.subject, q.predicate, q.object))  # type: ignore[arg-type]
    triples = [unique[key] for key in sorted(unique)]
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
