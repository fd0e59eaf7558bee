"""/dumps/{file}: the build's dumps, with strong ETags (their SHA-256) and 304 answers.

Dumps are files written by the build: they are streamed from disk (FileResponse reads them in
chunks, off the event loop) and hashed once per version of the file in a worker thread, so a
large dump never holds the event loop."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import anyio
import anyio.to_thread
from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse

from api.deps import SettingsDep
from errors import NotFound
from graph.dumps import FORMATS

router = APIRouter(prefix="/dumps", tags=["dumps"])

MEDIA = {
    "graph.trig": "application/trig",
    "graph.ttl": "text/turtle",
    "graph.nt": "application/n-triples",
    "graph.nq": "application/n-quads",
    "graph.jsonld": "application/ld+json",
}
assert set(MEDIA) == set(FORMATS.values())
_etags: dict[tuple[str, int, int, int], str] = {}
_lock = threading.Lock()


def _etag(path: Path) -> str:
    """The file's SHA-256, read in blocks (never whole), cached by (path, inode, mtime, size)."""
    st = path.stat()
    key = (str(path), st.st_ino, st.st_mtime_ns, st.st_size)
    with _lock:
        known = _etags.get(key)
    if known is not None:
        return known
    with path.open("rb") as f:
        digest = hashlib.file_digest(f, "sha256").hexdigest()
    with _lock:
        _etags[key] = f'"{digest}"'
    return _etags[key]


@router.get("", summary="The dump files")
async def index(settings: SettingsDep) -> dict[str, object]:
    files = [name for name in MEDIA if await anyio.Path(Path(settings.dist) / name).exists()]
    return {
        "data": [{"name": n, "href": f"/dumps/{n}", "media_type": MEDIA[n]} for n in files],
        "count": len(files),
    }


@router.get("/{name}", summary="Download a dump", response_class=Response)
async def dump(name: str, request: Request, settings: SettingsDep) -> Response:
    if name not in MEDIA:
        raise NotFound(f"no dump {name!r}; available: {', '.join(MEDIA)}", name=name)
    path = Path(settings.dist) / name
    try:
        etag = await anyio.to_thread.run_sync(_etag, path)
    except FileNotFoundError:
        raise NotFound(f"{name} has not been built (no {path})", name=name) from None
    headers = {"ETag": etag, "Cache-Control": "public, max-age=300"}
    match = request.headers.get("if-none-match", "")
    if etag in [m.strip() for m in match.split(",")] or match.strip() == "*":
        return Response(status_code=304, headers=headers)
    return FileResponse(path, media_type=MEDIA[name], headers=headers, filename=name)
