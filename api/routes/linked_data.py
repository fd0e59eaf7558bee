"""Linked data: every minted IRI dereferences here (`{base}id/...` -> `/id/...`, graphs under
`/graph/...`), as HTML for browsers or Turtle, JSON-LD, N-Triples, RDF/XML by negotiation;
the ontology at `/ontology`.

Item and graph pages are queries like any other: they run in a query worker, with a slot, the
time limit and the byte cap, and the worker writes the page (HTML included); the web process
only sends its bytes. The ontology is a file of the package, written once per format.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import anyio.to_thread
from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from rdflib import Graph

from api.conneg import content_type, negotiate, render_graph
from api.deps import SettingsDep
from api.errors import NotAcceptable
from api.service import answer
from errors import NotFound
from graph.namespaces import ONTOLOGY_IRI, PREFIXES
from graph.repo import iri
from graph.stores.execute import QueryJob

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


def _describe_where(subject: str) -> str:
    s = iri(subject)
    fragment = subject + "#"
    return f"""{{ {s} ?p ?o . BIND({s} AS ?s) }} UNION
        {{ ?s ?p ?o . FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{fragment}")) }}"""


def describe_query(subject: str) -> str:
    """The subject's triples and those of its fragments (`#anchor`, `#cite-9`, `#step-1`)."""
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {_describe_where(subject)} }}"


def _media(request: Request) -> str:
    wanted = request.query_params.get("format")
    return FORMAT_PARAM.get(wanted or "") or negotiate(request.headers.get("accept"), OFFERS)


def _headers(focus: str) -> dict[str, str]:
    return {"Vary": "Accept", "Link": f'<{focus}>; rel="canonical"'}


async def _page(
    request: Request, sparql: str, focus: str, max_rows: int | None, max_bytes: int, **extra: str
) -> Response:
    job = QueryJob(
        sparql,
        None,
        None,
        max_rows,
        media=_media(request),
        max_bytes=max_bytes,
        render="page",
        extra=(("focus", focus), ("base_iri", request.app.state.base_iri), *extra.items()),
    )
    result = await answer(request, job)
    return Response(result.body, media_type=result.media, headers=_headers(focus))


@router.get("/id/{path:path}", summary="Dereference an item IRI", response_class=Response)
async def item(path: str, request: Request, settings: SettingsDep) -> Response:
    subject = request.app.state.base_iri + "id/" + path
    missing = f"nothing is known about <{subject}>"
    try:
        _media(request)
    except NotAcceptable:
        # an unknown item is a 404 whatever the Accept header asks for
        ask = QueryJob(f"ASK {{ {_describe_where(subject)} }}", None, None, 1)
        if (await answer(request, ask)).body.find(b"true") < 0:
            raise NotFound(missing, iri=subject) from None
        raise
    return await _page(
        request,
        describe_query(subject),
        subject,
        settings.max_rows,
        settings.max_result_bytes,
        missing=missing,
    )


@router.get("/graph/{path:path}", summary="A named graph's content", response_class=Response)
async def named_graph(path: str, request: Request, settings: SettingsDep) -> Response:
    name = request.app.state.base_iri + "graph/" + path
    if name not in request.app.state.graph_names:
        raise NotFound(f"no graph <{name}>", iri=name)
    # A whole graph (the data series are tens of thousands of triples): no row cap, the byte cap.
    sparql = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {iri(name)} {{ ?s ?p ?o }} }}"
    return await _page(request, sparql, name, None, settings.max_result_bytes)


def ontology_graph() -> Graph:
    g = Graph()
    g.parse(data=files("ontology").joinpath("argraph.ttl").read_text("utf-8"), format="turtle")
    return g


@cache
def ontology_bytes(media: str) -> bytes:
    """The ontology in `media` (a file of the package: written once per format)."""
    g = ontology_graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return render_graph(g, media)


@router.get("/ontology", summary="The argraph ontology", response_class=Response)
async def ontology(request: Request) -> Response:
    media = _media(request)
    if media == "text/html":
        # Browsers get the generated documentation (every term, its alignment, an example).
        return RedirectResponse("/ontology.html", status_code=303, headers={"Vary": "Accept"})
    body = await anyio.to_thread.run_sync(ontology_bytes, media)
    return Response(body, media_type=content_type(media), headers=_headers(ONTOLOGY_IRI))
