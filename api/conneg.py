"""Content negotiation, and the writing of the service's own small graphs (the service
description, the ontology). Query results are written by the query workers
(`graph/stores/execute.py`): nothing here parses a result."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

from api.errors import NotAcceptable
from graph.results import AskResult, GraphResult, QueryResult, SelectResult
from graph.stores.execute import RESULTS_FORMAT, content_type
from graph.stores.render import jsonld_context

__all__ = ["RDF_TYPES", "RESULT_TYPES", "content_type", "negotiate", "render_graph"]

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
    """A store-neutral result in `media_type` (the CLI and benchmarks; the endpoint's workers
    write their answers with graph/stores/execute.py)."""
    if isinstance(result, GraphResult):
        if RDFLIB_FORMAT[media_type] == "nt":
            return result.ntriples.encode("utf-8")
        g = Graph()
        if result.ntriples.strip():
            g.parse(data=result.ntriples, format="nt")
        return render_graph(g, media_type)
    assert isinstance(result, SelectResult | AskResult)
    return "".join(result.chunks(RESULTS_FORMAT[media_type])).encode("utf-8")


def render_graph(g: Graph, media_type: str) -> bytes:
    fmt = RDFLIB_FORMAT[media_type]
    if fmt == "json-ld":
        # Compacted with argraph's context (ontology/context.jsonld, served at /context.jsonld).
        return g.serialize(
            format=fmt, encoding="utf-8", context=jsonld_context(), auto_compact=True
        )
    return g.serialize(format=fmt, encoding="utf-8")
