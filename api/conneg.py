"""Content negotiation and the serialisation of query results for the wire."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from rdflib import Graph

from argraph.api.errors import NotAcceptable
from argraph.graph.namespaces import PREFIXES
from argraph.graph.results import AskResult, GraphResult, QueryResult, SelectResult

# Offers in the server's order of preference (the first is the default for */*).
RESULT_TYPES = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/json",
    "application/xml",
    "text/xml",
]
RDF_TYPES = [
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "application/x-turtle",
    "text/plain",
    "application/json",
    "application/xml",
]
RDFLIB_FORMAT = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/ld+json": "json-ld",
    "application/json": "json-ld",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
}


@dataclass(frozen=True, slots=True)
class _Range:
    type: str
    subtype: str
    q: float


def _ranges(accept: str) -> list[_Range]:
    out = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        if media == "*":
            media = "*/*"
        kind, _, sub = media.partition("/")
        q = 1.0
        for f in fields[1:]:
            name, _, value = f.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        out.append(_Range(kind, sub or "*", q))
    return out


def negotiate(accept: str | None, offers: list[str]) -> str:
    """The offer the client prefers most (ties: the server's order), else 406."""
    if not accept or not accept.strip():
        return offers[0]
    ranges = _ranges(accept)
    best: tuple[float, int, str] | None = None
    for index, offer in enumerate(offers):
        kind, _, sub = offer.partition("/")
        q, specificity = 0.0, -1
        for r in ranges:
            if r.type == kind and r.subtype == sub:
                s = 2
            elif r.type == kind and r.subtype == "*":
                s = 1
            elif r.type == "*":
                s = 0
            else:
                continue
            if s > specificity:
                q, specificity = r.q, s
        if q > 0 and (best is None or q > best[0]):
            best = (q, -index, offer)
    if best is None:
        raise NotAcceptable(
            f"none of the types in Accept ({accept}) can be produced here",
            available=offers,
        )
    return best[2]


def result_offers(result_kind: str) -> list[str]:
    return RDF_TYPES if result_kind in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES


def render_result(result: QueryResult, media_type: str) -> bytes:
    if isinstance(result, GraphResult):
        return render_ntriples(result.ntriples, media_type)
    assert isinstance(result, SelectResult | AskResult)
    if media_type in ("application/sparql-results+json", "application/json"):
        return result.to_json().encode("utf-8")
    if media_type in ("application/sparql-results+xml", "application/xml", "text/xml"):
        return result.to_xml().encode("utf-8")
    if media_type == "text/csv":
        return result.to_csv().encode("utf-8")
    return result.to_tsv().encode("utf-8")


def render_ntriples(ntriples: str, media_type: str) -> bytes:
    fmt = RDFLIB_FORMAT[media_type]
    if fmt == "nt":
        return ntriples.encode("utf-8")
    return render_graph(parse_ntriples(ntriples), media_type)


def parse_ntriples(ntriples: str) -> Graph:
    g = Graph()
    for prefix, iri in PREFIXES.items():
        g.bind(prefix, iri)
    if ntriples.strip():
        g.parse(data=ntriples, format="nt")
    return g


def render_graph(g: Graph, media_type: str) -> bytes:
    fmt = RDFLIB_FORMAT[media_type]
    if fmt == "json-ld":
        # Compacted with argraph's context (ontology/context.jsonld, served at /context.jsonld).
        return g.serialize(
            format=fmt, encoding="utf-8", context=jsonld_context(), auto_compact=True
        )
    return g.serialize(format=fmt, encoding="utf-8")


@cache
def jsonld_context() -> dict[str, object]:
    from argraph.ontology import CONTEXT_JSONLD

    context: dict[str, object] = json.loads(CONTEXT_JSONLD.read_text(encoding="utf-8"))["@context"]
    return context


def content_type(media_type: str) -> str:
    if media_type.startswith("text/") or media_type.endswith(("json", "xml", "triples")):
        return f"{media_type}; charset=utf-8"
    return media_type
