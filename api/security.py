"""HTTP hygiene for every route, in one ASGI middleware (`Hygiene`):

- security headers on every response: `X-Content-Type-Options: nosniff`, `Referrer-Policy`,
  `X-Frame-Options: DENY` and a Content-Security-Policy (`CSP`; a route may send its own, as
  /docs does for Swagger UI's one inline script);
- HEAD wherever GET is served: the request runs as GET and the body is dropped, headers kept;
- a 405 names every method the path allows (`Allow`), not only those of the first route that
  matched its path; a plain OPTIONS (not a CORS preflight) answers 204 with the same `Allow`;
- `update=` in the URL of any request is refused (403 `read_only`): the service never writes;
- a path with NUL or another control character is not found (404), before any route sees it.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, unquote_plus

from starlette.datastructures import Headers, MutableHeaders
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_body
from graph.sparql_guard import update_refused

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": CSP,
}


_RAW_HEADERS = [
    (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()
]


def csp_with_script_hashes(*hashes: str) -> str:
    """The global CSP, allowing in addition inline scripts of these `sha256-...` hashes."""
    extra = " ".join(f"'{h}'" for h in hashes)
    return CSP.replace("script-src 'self'", f"script-src 'self' {extra}")


def allowed_methods(scope: Scope) -> list[str]:
    """The methods some route fully matches on this path (HEAD with GET; OPTIONS always)."""
    routes = scope["app"].router.routes
    allowed = [
        m
        for m in ("GET", "POST")
        if any(r.matches({**scope, "method": m})[0] == Match.FULL for r in routes)
    ]
    if "GET" in allowed:
        allowed.insert(1, "HEAD")
    return [*allowed, "OPTIONS"]


def _update_of(query_string: bytes) -> str | None:
    """The first `update=` of a URL's query, read as `parse_qsl` reads it, or None. Only the
    names are decoded (a query's value, which can be long, is decoded only when named update)."""
    for part in query_string.split(b"&"):
        name = part.split(b"=", 1)[0]
        if b"%" in name or b"+" in name:
            if unquote_plus(name.decode("latin-1")) != "update":
                continue
        elif name != b"update":
            continue
        pairs = parse_qsl(part.decode("latin-1"), keep_blank_values=True)
        if pairs:
            return pairs[0][1]
    return None


def _has_control(path: str) -> bool:
    return any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in path)


class Hygiene:
    """The middleware; outermost, so that its headers are on every answer (errors included)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        head = method == "HEAD"
        if _has_control(scope["path"]):
            body = error_body("not_found", "no such path (it holds a control character)")
            await _json(send, 404, body, head)
            return
        update = _update_of(scope.get("query_string", b""))
        if update is not None:
            await _json(send, 403, update_refused(update).to_dict(), head)
            return
        if method == "OPTIONS" and "access-control-request-method" not in Headers(scope=scope):
            allow = ", ".join(allowed_methods(scope))
            await _send(send, 204, b"", [(b"allow", allow.encode())])
            return
        if head:
            scope = dict(scope, method="GET")

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                # raw (name, value) pairs: the headers a route set itself are kept
                raw = list(message.get("headers", ()))
                present = {name.lower() for name, _ in raw}
                raw += [pair for pair in _RAW_HEADERS if pair[0] not in present]
                message = {**message, "headers": raw}
                if message["status"] == 405:
                    headers = MutableHeaders(scope=message)
                    headers["Allow"] = ", ".join(allowed_methods(scope))
            elif message["type"] == "http.response.body" and head:
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, wrapped)


async def _json(send: Send, status: int, body: dict[str, object], head: bool) -> None:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await _send(send, status, data, [(b"content-type", b"application/json")], head)


async def _send(
    send: Send, status: int, data: bytes, extra: list[tuple[bytes, bytes]], head: bool = False
) -> None:
    headers = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
    headers += [*extra, (b"content-length", str(len(data)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else data})
