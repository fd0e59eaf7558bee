"""Writers that need rdflib, run in the query worker: JSON-LD compacted with argraph's context
(pyoxigraph's JSON-LD writer does not compact) and the HTML page of an item or a graph."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graph.namespaces import PREFIXES
from graph.results import XSD_STRING, NotRepresentable


def to_rdflib(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == XSD_STRING else URIRef(datatype))
    if isinstance(term, ox.Triple):
        raise NotRepresentable(
            f"the answer holds a triple term ({term}), which JSON-LD and this page cannot "
            "carry: ask for Turtle or N-Triples"
        )
    raise NotRepresentable(f"a term of kind {type(term).__name__} cannot be written here")


def rdflib_graph(triples: Iterable[ox.Triple]) -> Graph:
    g = Graph()
    for prefix, iri in PREFIXES.items():
        g.bind(prefix, iri)
    for t in triples:
        g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return g


def jsonld(triples: Iterable[ox.Triple]) -> bytes:
    """Compacted with argraph's context (ontology/context.jsonld, served at /context.jsonld)."""
    return rdflib_graph(triples).serialize(
        format="json-ld", encoding="utf-8", context=jsonld_context(), auto_compact=True
    )


def html_page(triples: Iterable[ox.Triple], focus: str, base: str) -> bytes:
    from graph.stores import page_html

    return page_html.render(rdflib_graph(triples), focus, base).encode("utf-8")


@cache
def jsonld_context() -> dict[str, object]:
    from ontology import CONTEXT_JSONLD

    context: dict[str, object] = json.loads(CONTEXT_JSONLD.read_text(encoding="utf-8"))["@context"]
    return context
