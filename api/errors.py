"""One JSON error shape for every error the service returns: `{"error": {"code", "message", ...}}`.

Errors of argraph's hierarchy carry their status; Starlette's HTTP errors (404 for an unknown
path, 405 for a wrong method) and request validation errors are reshaped to the same body.
Unexpected exceptions become a 500 with a generic message: internals never leak.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from errors import ArgraphError, ServiceBusy

log = logging.getLogger("api")


class NotAcceptable(ArgraphError):
    status = 406
    code = "not_acceptable"


class PayloadTooLarge(ArgraphError):
    status = 413
    code = "payload_too_large"


class UnsupportedMediaType(ArgraphError):
    status = 415
    code = "unsupported_media_type"


def error_body(code: str, message: str, **detail: object) -> dict[str, object]:
    return {"error": {"code": code, "message": message, **detail}}


def _argraph(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ArgraphError)
    headers = {}
    if isinstance(exc, ServiceBusy):
        headers["Retry-After"] = str(exc.detail.get("retry_after", 1))
    return JSONResponse(exc.to_dict(), status_code=exc.status, headers=headers)


def _http(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    try:
        phrase = HTTPStatus(exc.status_code).phrase
    except ValueError:
        phrase = "error"
    code = phrase.lower().replace(" ", "_").replace("-", "_")
    message = exc.detail if isinstance(exc.detail, str) else phrase
    return JSONResponse(error_body(code, message), status_code=exc.status_code, headers=exc.headers)


def _validation(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"loc": [str(p) for p in err.get("loc", ())], "message": str(err.get("msg", ""))}
        for err in exc.errors()
    ]
    first = problems[0] if problems else {"loc": [], "message": "invalid request"}
    message = f"{'.'.join(first['loc'])}: {first['message']}"
    return JSONResponse(error_body("invalid_request", message, problems=problems), status_code=422)


def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    # Answered by Starlette's outermost middleware, outside api.security's: its headers go here.
    from api.security import SECURITY_HEADERS

    log.exception("unexpected error", exc_info=exc)
    body = error_body("internal_error", "internal server error")
    return JSONResponse(body, status_code=500, headers=SECURITY_HEADERS)


def install(app: FastAPI) -> None:
    app.add_exception_handler(ArgraphError, _argraph)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(Exception, _unexpected)
