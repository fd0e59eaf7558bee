"""The JSON-LD context of argraph's vocabulary, for clients compacting or expanding its JSON-LD."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from ontology import CONTEXT_JSONLD

router = APIRouter(tags=["linked data"])


@router.get("/context.jsonld", response_class=Response, summary="The JSON-LD context")
def context() -> Response:
    return Response(
        CONTEXT_JSONLD.read_bytes(),
        media_type="application/ld+json",
        headers={"Cache-Control": "public, max-age=3600"},
    )
