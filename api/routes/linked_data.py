"""Linked data: every minted IRI dereferences here (`{base}id/...` -> `/id/...`, graphs under
`/graph/...`), as HTML for browsers or Turtle, JSON-LD, N-Triples, RDF/XML by negotiation;
the ontology at `/ontology`."""

from __future__ import annotations

from importlib.resources import files

import anyio.to_thread
from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from rdflib import Graph

from argraph.api import html
from argraph.api.conneg import content_type, negotiate, parse_ntriples, render_graph
from argraph.api.deps import StoreDep
from argraph.api.repo import iri
from argraph.graph.errors import NotFound
from argraph.graph.namespaces import ONTOLOGY_IRI, PREFIXES
from argraph.graph.results import GraphResult
from argraph.graph.store import Store

router = APIRouter(tags=["linked data"])

OFFERS = [
    "text/turtle",
    "text/html",
    "application/ld+json",
    "application/n-triples",
    "application/rdf+xml",
]
FORMAT_PARAM = {
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "html": "text/html",
}


def _construct(store: Store, where: str) -> Graph:
    result = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}")
    assert isinstance(result, GraphResult)
    return parse_ntriples(result.ntriples)


def describe(store: Store, subject: str) -> Graph:
    """The subject's triples and those of its fragments (`#anchor`, `#cite-9`, `#step-1`)."""
    s = iri(subject)
    fragment = subject + "#"
    return _construct(
        store,
        f"""
        {{ {s} ?p ?o . BIND({s} AS ?s) }} UNION
        {{ ?s ?p ?o . FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{fragment}")) }}""",
    )


def _respond(request: Request, g: Graph, focus: str) -> Response:
    wanted = request.query_params.get("format")
    media = FORMAT_PARAM.get(wanted or "") or negotiate(request.headers.get("accept"), OFFERS)
    headers = {"Vary": "Accept", "Link": f'<{focus}>; rel="canonical"'}
    if media == "text/html":
        body = html.render(g, focus, request.app.state.base_iri).encode("utf-8")
    else:
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        body = render_graph(g, media)
    return Response(body, media_type=content_type(media), headers=headers)


@router.get("/id/{path:path}", summary="Dereference an item IRI", response_class=Response)
async def item(path: str, request: Request, store: StoreDep) -> Response:
    subject = request.app.state.base_iri + "id/" + path
    g = await anyio.to_thread.run_sync(describe, store, subject)
    if len(g) == 0:
        raise NotFound(f"nothing is known about <{subject}>", iri=subject)
    return _respond(request, g, subject)


@router.get("/graph/{path:path}", summary="A named graph's content", response_class=Response)
async def named_graph(path: str, request: Request, store: StoreDep) -> Response:
    name = request.app.state.base_iri + "graph/" + path
    if name not in request.app.state.graph_names:
        raise NotFound(f"no graph <{name}>", iri=name)
    where = f"GRAPH {iri(name)} {{ ?s ?p ?o }}"
    g = await anyio.to_thread.run_sync(_construct, store, where)
    return _respond(request, g, name)


def ontology_graph() -> Graph:
    g = Graph()
    g.parse(
        data=files("argraph.ontology").joinpath("argraph.ttl").read_text("utf-8"), format="turtle"
    )
    return g


@router.get("/ontology", summary="The argraph ontology", response_class=Response)
async def ontology(request: Request) -> Response:
    wanted = request.query_params.get("format")
    if (
        FORMAT_PARAM.get(wanted or "") or negotiate(request.headers.get("accept"), OFFERS)
    ) == "text/html":
        # Browsers get the generated documentation (every term, its alignment, an example).
        return RedirectResponse("/ontology.html", status_code=303, headers={"Vary": "Accept"})
    g = await anyio.to_thread.run_sync(ontology_graph)
    return _respond(request, g, ONTOLOGY_IRI)
