"""/api/export/{format}: the graph for other tools (AIF, Argdown, GraphML, Cytoscape, tables,
causal-loop diagram), with its media type and a download file name; /ontology.html: the
ontology's documentation for browsers (`dist/ontology.html` when built, else generated).

An export reads the whole graph, every loaded paper (with several, the file is named
`argraph-corpus.<ext>`). It runs as a query job (a slot, the time limit, the byte cap) in a
query worker, which writes it; the web process only sends the bytes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
from fastapi import APIRouter, Request, Response

from api.deps import SettingsDep
from api.service import answer
from errors import NotFound
from graph.exports import EXPORTS
from graph.query_rows import local_name
from graph.stores.execute import QueryJob

router = APIRouter(tags=["export"])


@router.get("/api/export", summary="The export formats")
async def formats() -> dict[str, Any]:
    data = [
        {
            "format": f.name,
            "media_type": f.media_type,
            "extension": f.extension,
            "description": f.description,
            "href": f"/api/export/{f.name}",
        }
        for f in EXPORTS.values()
    ]
    return {"data": data, "count": len(data)}


@router.get("/api/export/{fmt}", summary="Export the graph", response_class=Response)
async def export_graph(fmt: str, request: Request, settings: SettingsDep) -> Response:
    spec = EXPORTS.get(fmt)
    if spec is None:
        raise NotFound(f"no export format {fmt!r}; available: {', '.join(EXPORTS)}", format=fmt)
    job = QueryJob(
        "",
        None,
        None,
        None,
        media=spec.media_type,
        max_bytes=settings.max_result_bytes,
        render="export",
        extra=(("format", fmt),),
    )
    result = await answer(request, job)
    docs: list[str] = request.app.state.documents
    # one paper: its id; several: the export holds them all (the corpus)
    stem = local_name(docs[0]) if len(docs) == 1 else "argraph-corpus"
    return Response(
        result.body,
        media_type=result.media,
        headers={"Content-Disposition": f'attachment; filename="{stem}.{spec.extension}"'},
    )


@router.get("/ontology.html", summary="The ontology's documentation", response_class=Response)
async def ontology_html(request: Request, settings: SettingsDep) -> Response:
    built = anyio.Path(Path(settings.dist) / "ontology.html")
    body: bytes | None
    if await built.exists():
        body = await built.read_bytes()
    else:
        body = getattr(request.app.state, "ontology_html", None)
        if body is None:
            job = QueryJob(
                "",
                None,
                None,
                None,
                media="text/html",
                max_bytes=settings.max_result_bytes,
                render="ontology-docs",
            )
            body = (await answer(request, job)).body
            request.app.state.ontology_html = body
    return Response(
        body,
        media_type="text/html; charset=utf-8",
        headers={"Cache-Control": "public, max-age=300"},
    )
