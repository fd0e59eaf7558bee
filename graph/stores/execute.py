"""What a query worker runs and returns: a job in, the serialised answer out (bytes).

The worker serialises the answer itself, in the negotiated format, and counts rows and bytes
while it writes, so the web process only sends bytes (it never parses a result again).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from argraph.graph.errors import ResultTooLarge
from argraph.graph.results import SelectResult
from argraph.graph.store import Store

SPARQL_JSON = "application/sparql-results+json"


@dataclass(frozen=True, slots=True)
class QueryJob:
    """A query to run and how to answer it.

    `render` says what to make of the result: "query" (SPARQL results or an RDF graph in
    `media`), "describe" (an item's page: its triples and its fragments'), "graph" (a named
    graph's page), "export" (an export format by name in `extra`)."""

    sparql: str
    default_graphs: Sequence[str] | None
    named_graphs: Sequence[str] | None
    max_rows: int | None
    media: str = SPARQL_JSON
    """the negotiated media type of the answer"""
    max_bytes: int | None = None
    """the result's byte cap, checked while writing"""
    star_order: tuple[str, ...] | None = None
    """SELECT *: the variables in the order they appear in the query"""
    render: str = "query"
    extra: tuple[tuple[str, str], ...] = ()
    """render-specific parameters"""


@dataclass(frozen=True, slots=True)
class Answer:
    body: bytes
    media: str
    """the Content-Type to send"""
    rows: int


def execute(store: Store, job: QueryJob) -> Answer:
    """Run `job` on `store` and serialise its answer (first version: through graph/results)."""
    from argraph.api.conneg import content_type, render_result

    result = store.query(
        job.sparql,
        default_graphs=job.default_graphs,
        named_graphs=job.named_graphs,
        max_rows=job.max_rows,
    )
    rows = 0
    if isinstance(result, SelectResult):
        rows = len(result.rows)
        if job.star_order:
            order = {v: n for n, v in enumerate(job.star_order)}
            result.variables.sort(key=lambda v: order.get(v, len(order)))
    body = render_result(result, job.media)
    if job.max_bytes is not None and len(body) > job.max_bytes:
        raise ResultTooLarge(
            f"the result is larger than {job.max_bytes} bytes: add a LIMIT",
            max_result_bytes=job.max_bytes,
        )
    return Answer(body, content_type(job.media), rows)
