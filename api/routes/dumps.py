"""/dumps/{file}: the build's dumps, with strong ETags (their SHA-256) and 304 answers."""

from __future__ import annotations

import hashlib
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse

from argraph.api.deps import SettingsDep
from argraph.graph.dumps import FORMATS
from argraph.graph.errors import NotFound

router = APIRouter(prefix="/dumps", tags=["dumps"])

MEDIA = {
    "graph.trig": "application/trig",
    "graph.ttl": "text/turtle",
    "graph.nt": "application/n-triples",
    "graph.nq": "application/n-quads",
    "graph.jsonld": "application/ld+json",
}
assert set(MEDIA) == set(FORMATS.values())
_etags: dict[tuple[str, float, int], str] = {}


def _etag(path: Path) -> str:
    st = path.stat()
    key = (str(path), st.st_mtime, st.st_size)
    if key not in _etags:
        _etags[key] = '"' + hashlib.sha256(path.read_bytes()).hexdigest() + '"'
    return _etags[key]


@router.get("", summary="The dump files")
async def index(settings: SettingsDep) -> dict[str, object]:
    files = [name for name in MEDIA if (Path(settings.dist) / name).exists()]
    return {
        "data": [{"name": n, "href": f"/dumps/{n}", "media_type": MEDIA[n]} for n in files],
        "count": len(files),
    }


@router.get("/{name}", summary="Download a dump", response_class=Response)
async def dump(name: str, request: Request, settings: SettingsDep) -> Response:
    if name not in MEDIA:
        raise NotFound(f"no dump {name!r}; available: {', '.join(MEDIA)}", name=name)
    path = Path(settings.dist) / name
    if not path.exists():
        raise NotFound(f"{name} has not been built (no {path})", name=name)
    etag = _etag(path)
    headers = {"ETag": etag, "Cache-Control": "public, max-age=300"}
    match = request.headers.get("if-none-match", "")
    if etag in [m.strip() for m in match.split(",")] or match.strip() == "*":
        return Response(status_code=304, headers=headers)
    return FileResponse(path, media_type=MEDIA[name], headers=headers, filename=name)
