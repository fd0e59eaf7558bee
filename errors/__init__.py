"""The one exception hierarchy of argraph, and the `Problem` a check reports.

The bottom layer: every other package may import it, it imports none of them.

Every error carries an HTTP status and a short machine-readable code, so the API turns any of them
into the same JSON body and the CLI into one readable line and an exit code. Build errors also
carry where they come from (file, line, field, item id).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar


class ArgraphError(Exception):
    """Base class. `status` is the HTTP status; `code` a stable identifier for clients."""

    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"

    def __init__(self, message: str, **detail: Any) -> None:
        super().__init__(message)
        self.message = message
        self.detail = {k: v for k, v in detail.items() if v is not None}

    def to_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, **self.detail}}


class AnnotationError(ArgraphError):
    """A problem in an annotation file (or an input read by the build), with its place."""

    status = 422
    code = "annotation_error"

    def __init__(
        self,
        message: str,
        *,
        file: Path | str | None = None,
        line: int | None = None,
        field: str | None = None,
        item: str | None = None,
    ) -> None:
        super().__init__(
            message, file=str(file) if file else None, line=line, field=field, item=item
        )
        self.file = str(file) if file else None
        self.line = line
        self.field = field
        self.item = item

    def __str__(self) -> str:
        place = self.file or "<input>"
        if self.line is not None:
            place += f":{self.line}"
        parts = [place]
        if self.item:
            parts.append(f"item '{self.item}'")
        if self.field:
            parts.append(f"field '{self.field}'")
        return f"{': '.join(parts)}: {self.message}"


class AnchorError(AnnotationError):
    """A quote that cannot be located, or located more than once, in the source text."""

    code = "anchor_error"


class SourceError(ArgraphError):
    """The source text given at build time cannot be used."""

    status = 422
    code = "source_error"


class BuildError(ArgraphError):
    """The build could not complete (I/O, a broken dump)."""

    code = "build_error"


class ValidationFailed(ArgraphError):
    """The built graph breaks SHACL shapes or the checks beyond SHACL."""

    status = 422
    code = "validation_failed"


class NotFound(ArgraphError):
    status = 404
    code = "not_found"


class BadRequest(ArgraphError):
    status = 400
    code = "bad_request"


class StoreError(ArgraphError):
    """The store cannot answer (a remote server down, a corrupt store)."""

    status = 502
    code = "store_error"


class QueryRefused(ArgraphError):
    """A query the endpoint will not run (SERVICE, a FROM outside the store, too deep, too long)."""

    status = 400
    code = "query_refused"


class ReadOnly(ArgraphError):
    """An update (or LOAD, CLEAR, ...) sent to the read-only endpoint."""

    status = 403
    code = "read_only"


class ResultTooLarge(ArgraphError):
    """The result exceeds the configured row or byte cap."""

    status = 422
    code = "result_too_large"


class ServiceBusy(ArgraphError):
    """The service cannot answer now; the client should retry after `retry_after` seconds.

    Every 503 argraph sends is one of these, so that each carries a `Retry-After` header:
    no free query slot within the admission wait, the admission queue full, a query stopped at
    the time limit."""

    status = 503
    code = "busy"


class QueryTimeout(ServiceBusy):
    """The query ran past the configured time limit and was stopped (503: the service will not
    answer this query; other queries are served)."""

    code = "query_timeout"


class RemoteTimeout(QueryTimeout):
    """The remote SPARQL server did not answer within the time limit (a gateway timeout)."""

    status = 504


class EngineError(ArgraphError):
    """The query engine failed on a query in a way argraph did not expect (an I/O error, an
    exception of unknown kind). The worker survives and says so; the cause is in `cause`."""

    status = 500
    code = "engine_error"


class WorkerCrashed(ArgraphError):
    """The worker process running the query died (a crash in the engine, killed by a signal).

    500, not 503: the service is available (the worker was replaced before this answer was
    sent), and a query that crashed the engine once will most likely crash it again, so the
    client is not invited to retry it."""

    status = 500
    code = "worker_crashed"


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding of a check (validation, label sanity): which check, on what, and why.

    Not an exception: checks collect problems and the caller decides whether they fail a build."""

    check: str
    focus: str
    message: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.focus}: {self.message}"
