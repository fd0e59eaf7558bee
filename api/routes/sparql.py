"""/sparql: the SPARQL 1.1 Protocol, read-only and guarded.

GET ?query=, POST form-encoded, POST application/sparql-query; default-graph-uri and
named-graph-uri name graphs of the store only (absent ones are empty, nothing is fetched); the
result format by content negotiation; a service description on GET without a query.
"""

from __future__ import annotations

import functools
from urllib.parse import parse_qsl

import anyio.to_thread
from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import URL

from api.conneg import RDF_TYPES, content_type, negotiate, render_graph, result_offers
from api.errors import PayloadTooLarge, UnsupportedMediaType
from api.service import answer, service_description
from errors import BadRequest, QueryRefused
from graph.sparql_guard import guard_query, update_refused
from graph.stores.execute import QueryJob

router = APIRouter(tags=["sparql"])

INLINE_GUARD_CHARS = 4_096
"""Queries up to this length are checked on the event loop (microseconds); longer ones in a thread."""

_DOC = {
    "parameters": [
        {
            "name": "query",
            "in": "query",
            "schema": {"type": "string"},
            "description": "a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE)",
        },
        {
            "name": "default-graph-uri",
            "in": "query",
            "schema": {"type": "array", "items": {"type": "string"}},
        },
        {
            "name": "named-graph-uri",
            "in": "query",
            "schema": {"type": "array", "items": {"type": "string"}},
        },
    ]
}


def _media(header: str | None) -> tuple[str, dict[str, str]]:
    if not header:
        return "", {}
    parts = [p.strip() for p in header.split(";")]
    params = {}
    for p in parts[1:]:
        name, _, value = p.partition("=")
        params[name.strip().lower()] = value.strip().strip('"').lower()
    return parts[0].lower(), params


def _body_limit(max_query_bytes: int) -> int:
    """The largest body read: a form-encoded query may take three bytes per byte, plus fields."""
    return 3 * max_query_bytes + 65_536


async def _read_body(request: Request, limit: int) -> bytes:
    """The body, refused (413) as soon as it passes `limit`: never held whole in memory."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise PayloadTooLarge(
            f"the request body is {length} bytes; this endpoint reads at most {limit}",
            max_body_bytes=limit,
        )
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(
                f"the request body is larger than {limit} bytes", max_body_bytes=limit
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _check_dataset(graphs: list[str], known: list[str]) -> None:
    """Protocol dataset IRIs name graphs of the store; one that is not there is an empty graph,
    but a non-web IRI (file:, ftp:, jar:, a relative path...) is refused outright."""
    for g in graphs:
        if g not in known and not g.lower().startswith(("http://", "https://", "urn:")):
            raise QueryRefused(
                f"<{g}>: not a graph in this store; the endpoint never reads files or remote "
                "graphs (list the store's graphs with SELECT DISTINCT ?g { GRAPH ?g {} })",
                graph=g,
            )


def _endpoint_iri(request: Request) -> str:
    """The URL of this endpoint as requested (no query): the base IRI of relative IRIs."""
    scope = request.scope
    host = next((v for k, v in scope["headers"] if k == b"host"), None)
    server = scope.get("server")
    return _url(scope.get("scheme", "http"), host, tuple(server) if server else None, scope["path"])


@functools.lru_cache(maxsize=256)
def _url(scheme: str, host: bytes | None, server: tuple[str, int] | None, path: str) -> str:
    """Starlette's reading of the URL (Host header, else the server's address), cached."""
    headers = [(b"host", host)] if host is not None else []
    scope = {"type": "http", "scheme": scheme, "server": server, "path": path, "headers": headers}
    return str(URL(scope=scope))


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the request body is not valid UTF-8") from None


@router.get(
    "/sparql",
    response_class=Response,
    openapi_extra=_DOC,
    operation_id="sparql_get",
    summary="SPARQL 1.1 Protocol endpoint (read-only); no query: service description",
)
@router.post(
    "/sparql",
    response_class=Response,
    operation_id="sparql_post",
    summary="SPARQL query by POST (form-encoded or application/sparql-query)",
)
async def sparql(request: Request) -> Response:
    # the settings straight from the app (not a dependency): the cheapest path for every query
    settings = request.app.state.settings
    url = request.query_params
    default = url.getlist("default-graph-uri")
    named = url.getlist("named-graph-uri")
    if request.method == "GET":
        if "update" in url:
            raise update_refused(url["update"])
        queries = url.getlist("query")
        if not queries:
            accept = request.headers.get("accept")
            if negotiate(accept, [*RDF_TYPES, "text/html"]) == "text/html":
                # A browser asking for the endpoint itself gets the SPARQL editor.
                return RedirectResponse("/query", status_code=303, headers={"Vary": "Accept"})
            media = negotiate(accept, RDF_TYPES)
            sd = service_description(request, settings, request.app.state.graph_names)
            # a small graph of the service's own, written by rdflib: off the event loop
            body = await anyio.to_thread.run_sync(render_graph, sd, media)
            return Response(body, media_type=content_type(media), headers={"Vary": "Accept"})
    else:
        media, params = _media(request.headers.get("content-type"))
        charset = params.get("charset", "utf-8")
        if media and charset not in ("utf-8", "utf8"):
            raise UnsupportedMediaType(f"charset {charset}: SPARQL requests must be UTF-8")
        body = await _read_body(request, _body_limit(settings.max_query_bytes))
        if media == "application/x-www-form-urlencoded":
            form = parse_qsl(_decode(body), keep_blank_values=True)
            updates = [v for k, v in form if k == "update"]
            if updates:
                raise update_refused(updates[0])
            queries = url.getlist("query") + [v for k, v in form if k == "query"]
            default += [v for k, v in form if k == "default-graph-uri"]
            named += [v for k, v in form if k == "named-graph-uri"]
        elif media == "application/sparql-query":
            queries = [*url.getlist("query"), _decode(body)]
        elif media == "application/sparql-update":
            raise update_refused(_decode(body))
        else:
            raise UnsupportedMediaType(
                f"Content-Type {media or '(none)'}: POST a query as "
                "application/x-www-form-urlencoded or application/sparql-query",
            )
    _check_dataset(default + named, request.app.state.graph_names)
    if len(queries) != 1:
        raise BadRequest(f"exactly one query is expected, got {len(queries)}")
    check = functools.partial(
        guard_query,
        queries[0],
        known_graphs=request.app.state.graph_names,
        max_nesting=settings.max_nesting,
        max_query_bytes=settings.max_query_bytes,
        max_operators=settings.max_operators,
        base_iri=_endpoint_iri(request),
    )
    # The guard is linear in the query's size: a long query is checked off the event loop.
    guarded = (
        check() if len(queries[0]) <= INLINE_GUARD_CHARS else await anyio.to_thread.run_sync(check)
    )
    media = negotiate(request.headers.get("accept"), result_offers(guarded.form))
    if default or named:
        dataset: tuple[list[str] | None, list[str] | None] = (default, named)
    elif guarded.has_dataset:
        dataset = (guarded.from_default, guarded.from_named)
    else:
        dataset = (None, None)
    job = QueryJob(
        guarded.text,
        dataset[0],
        dataset[1],
        settings.max_rows,
        media=media,
        max_bytes=settings.max_result_bytes,
        star_order=tuple(guarded.star_order) if guarded.star_order else None,
    )
    # The worker writes the answer in `media`, within the caps; here it is only sent.
    result = await answer(request, job)
    return Response(result.body, media_type=result.media, headers={"Vary": "Accept"})
