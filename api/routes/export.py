"""/api/export/{format}: the graph for other tools (AIF, Argdown, GraphML, Cytoscape, tables,
causal-loop diagram), with its media type and a download file name; /ontology.html: the
ontology's documentation for browsers (`dist/ontology.html` when built, else generated)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Request, Response

from argraph.api.deps import SettingsDep, StoreDep
from argraph.graph.analysis._sparql import local_name
from argraph.graph.exports import EXPORTS, export

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
async def export_graph(fmt: str, request: Request, store: StoreDep) -> Response:
    text = await anyio.to_thread.run_sync(export, fmt, store)  # NotFound for an unknown format
    spec = EXPORTS[fmt]
    docs: list[str] = request.app.state.documents
    stem = local_name(docs[0]) if docs else "argraph"
    charset = "" if spec.media_type == "application/json" else "; charset=utf-8"
    return Response(
        text.encode("utf-8"),
        media_type=spec.media_type + charset,
        headers={"Content-Disposition": f'attachment; filename="{stem}.{spec.extension}"'},
    )


@router.get("/ontology.html", summary="The ontology's documentation", response_class=Response)
async def ontology_html(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    built = Path(settings.dist) / "ontology.html"
    body: bytes | None
    if built.exists():
        body = built.read_bytes()
    else:
        body = getattr(request.app.state, "ontology_html", None)
        if body is None:
            from argraph.graph.ontology_docs import render_ontology_docs

            html = await anyio.to_thread.run_sync(render_ontology_docs, store)
            body = html.encode("utf-8")
            request.app.state.ontology_html = body
    return Response(
        body,
        media_type="text/html; charset=utf-8",
        headers={"Cache-Control": "public, max-age=300"},
    )
