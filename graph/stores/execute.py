"""What a query worker runs and returns: a job in, the serialised answer out (bytes).

The worker serialises the answer itself, in the negotiated format, so the web process only sends
bytes: it never parses a result to write it again. On the embedded store (pyoxigraph) the
answer is written by pyoxigraph's own writers (SPARQL results JSON, XML, CSV, TSV; Turtle,
N-Triples, RDF/XML) straight into a bounded sink; rdflib and remote stores are written by
`graph/results.py`, row by row, into the same sink (`graph/stores/sink.py`), which counts
bytes and rows while it is written and stops at the caps; CONSTRUCT triples are counted as
they are written.

Kinds of job (`QueryJob.render`):
- "query": SPARQL results (or an RDF graph for CONSTRUCT/DESCRIBE) in `media`;
- "page": a linked-data page, the triples of a CONSTRUCT as HTML (`graph/stores/page_html.py`), Turtle,
  JSON-LD (compacted with argraph's context), N-Triples or RDF/XML; `extra` gives the page's
  `focus` IRI and the service's `base_iri`, and `missing` (a message) makes an empty page 404;
- "export": one of the exports of `graph/exports` (`extra`: `format`);
- "ontology-docs": the ontology's documentation page, its examples read from the store.

Formats and what they cannot carry (decided here, one typed error, 406 `not_representable`):
- XML 1.0 cannot carry the control characters U+0000-U+0008, U+000B, U+000C, U+000E-U+001F,
  nor U+FFFE/U+FFFF, even as character references; no faithful escape exists, so a SPARQL XML
  or RDF/XML answer that would contain one is refused (406, naming JSON, TSV, Turtle or
  N-Triples, which carry them), never sent ill-formed. A carriage return, which XML
  readers would turn into a line feed, is written `&#13;`.
- A triple term (RDF 1.2 `<<( s p o )>>`) is written where the format defines it: SPARQL JSON
  and XML results (`"type": "triple"`, `<triple>`), TSV, Turtle, N-Triples and RDF/XML 1.2.
  JSON-LD 1.1 has no triple terms: refused (406). CSV writes the triple's three values.
- ASK as CSV or TSV: Apache Jena's form, one `_askResult` column (see `graph/results.py`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import IO, cast

import pyoxigraph as ox

from errors import ArgraphError, NotFound, StoreError
from graph.namespaces import PREFIXES
from graph.results import (
    AskResult,
    GraphResult,
    NotRepresentable,
    QueryResult,
    SelectResult,
)
from graph.store import OxigraphStore, Store, convert, too_many
from graph.stores.sink import Sink, counter, too_big

__all__ = ["Answer", "NotRepresentable", "QueryJob", "content_type", "execute"]

log = logging.getLogger("argraph.execute")

SPARQL_JSON = "application/sparql-results+json"

RESULTS_FORMAT = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
_OX_RESULTS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
RDF_FORMAT = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/xml": ox.RdfFormat.RDF_XML,
}
HTML = "text/html"


@dataclass(frozen=True, slots=True)
class QueryJob:
    """A query to run and how to answer it (see the module's docstring for `render`)."""

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
    """solutions or triples written (0 for ASK and exports); in SPARQL JSON below the row cap,
    an upper bound (see `sink.JsonRows`: the cap itself is exact)"""
    seconds: float = field(default=0.0, compare=False)
    """the CPU time the job took in the thread that ran it (query and writing): its work, which
    a busy machine does not inflate as it does the wall-clock time"""


def content_type(media_type: str) -> str:
    if media_type.startswith("text/") or media_type.endswith(("json", "xml", "triples")):
        return f"{media_type}; charset=utf-8"
    return media_type


QUICK_S = 0.001
"""a job done within this wall-clock time took at most as much CPU time (no need to ask)"""


def execute(store: Store, job: QueryJob) -> Answer:
    """Run `job` on `store` and serialise its answer within the job's caps.

    An error leaves without its traceback: the traceback's frames hold the engine's result
    objects, which pyoxigraph forbids dropping in another thread than the one that made them
    (a thread runner re-raises the error on the event loop). Unexpected errors are logged here,
    with their traceback, first."""
    error: BaseException
    cpu, wall = time.thread_time(), time.perf_counter()
    try:
        answer = _dispatch(store, job)
        # a thread's CPU time is at most the wall-clock time: read it only when that is long
        wall = time.perf_counter() - wall
        took = wall if wall < QUICK_S else time.thread_time() - cpu
        return replace(answer, seconds=took)
    except ArgraphError as exc:
        error = exc
    except OSError as exc:
        error = _write_error(exc)
    except Exception as exc:
        log.exception("a query job failed: %s", job.render)
        error = exc
    error.__traceback__ = None
    error.__context__ = None
    error.__cause__ = None
    raise error


def _dispatch(store: Store, job: QueryJob) -> Answer:
    if job.render == "query":
        return _query(store, job)
    if job.render == "page":
        return _page(store, job)
    if job.render == "export":
        return _export(store, job)
    if job.render == "ontology-docs":
        return _ontology_docs(store, job)
    raise StoreError(f"unknown kind of job {job.render!r}")


def _write_error(exc: OSError) -> ArgraphError:
    text = str(exc)
    if "RDF 1.2" in text or "triple term" in text.lower():
        return NotRepresentable(
            f"the answer holds a triple term, which this format cannot carry ({text}): "
            "ask for Turtle or N-Triples",
        )
    return StoreError(f"the store failed while writing the answer: {text}")


def _query(store: Store, job: QueryJob) -> Answer:
    if isinstance(store, OxigraphStore):
        result = store.evaluate(job.sparql, job.default_graphs, job.named_graphs)
        if isinstance(result, ox.QueryTriples):
            return _graph(job, _capped(result, job.max_rows))
        fmt = _results_format(job.media)
        if isinstance(result, ox.QueryBoolean):
            return _write_result(job, AskResult(bool(result)), fmt)
        order = _star(result.variables, job.star_order)
        if order is not None and fmt in ("csv", "tsv"):
            # columns follow the query: rows go through graph/results (as the other stores')
            select = convert(result, job.max_rows)
            assert isinstance(select, SelectResult)
            select.variables = order
            return _write_result(job, select, fmt)
        sink = Sink(job.max_bytes, job.max_rows, counter(fmt, job.max_rows), xml=fmt == "xml")
        result.serialize(cast("IO[bytes]", sink), _OX_RESULTS[fmt])
        if order is not None:
            _reorder_head(sink, [v.value for v in result.variables], order, fmt)
        return Answer(sink.body(), content_type(job.media), sink.rows)
    answer = store.query(
        job.sparql,
        default_graphs=job.default_graphs,
        named_graphs=job.named_graphs,
        max_rows=job.max_rows,
    )
    if isinstance(answer, GraphResult):
        return _graph(job, _capped(_parse_nt(answer), job.max_rows))
    fmt = _results_format(job.media)
    if isinstance(answer, SelectResult):
        order = _star_names(answer.variables, job.star_order)
        if order is not None:
            answer.variables = order
    return _write_result(job, answer, fmt)


def _results_format(media: str) -> str:
    fmt = RESULTS_FORMAT.get(media)
    if fmt is None:
        raise NotRepresentable(f"{media} is not a SPARQL results format")
    return fmt


def _write_result(job: QueryJob, result: QueryResult, fmt: str) -> Answer:
    sink = Sink(job.max_bytes, xml=fmt == "xml")
    assert isinstance(result, SelectResult | AskResult)
    sink.write_text(result.chunks(fmt))
    rows = len(result.rows) if isinstance(result, SelectResult) else 0
    return Answer(sink.body(), content_type(job.media), rows)


def _star(variables: list[ox.Variable], star_order: tuple[str, ...] | None) -> list[str] | None:
    return _star_names([v.value for v in variables], star_order)


def _star_names(names: list[str], star_order: tuple[str, ...] | None) -> list[str] | None:
    """SELECT *: the result's variables in the query's order, or None when they already are."""
    if not star_order:
        return None
    rank = {v: n for n, v in enumerate(star_order)}
    ordered = sorted(names, key=lambda v: rank.get(v, len(rank)))
    return ordered if ordered != names else None


def _reorder_head(sink: Sink, names: list[str], order: list[str], fmt: str) -> None:
    """Rewrite the variable list in the head (JSON and XML bind by name: only the head moves).
    Variable names hold no character that JSON or XML escapes, so the head is known exactly."""
    if fmt == "json":
        old = ("[" + ",".join(f'"{v}"' for v in names) + "]").encode("utf-8")
        new = ("[" + ",".join(f'"{v}"' for v in order) + "]").encode("utf-8")
    else:
        old = "".join(f'<variable name="{v}"/>' for v in names).encode("utf-8")
        new = "".join(f'<variable name="{v}"/>' for v in order).encode("utf-8")
    taken, size = 0, 0
    while size < 512 + len(old) and taken < len(sink.chunks):
        size += len(sink.chunks[taken])
        taken += 1
    head = b"".join(sink.chunks[:taken])
    at = head.find(old)
    if at < 0:
        raise StoreError("the results writer's head is not the expected one")
    sink.chunks[:taken] = [head[:at] + new + head[at + len(old) :]]


def _capped(triples: Iterable[ox.Triple], max_rows: int | None) -> Iterator[ox.Triple]:
    for n, triple in enumerate(triples):
        if max_rows is not None and n >= max_rows:
            raise too_many(max_rows)
        yield triple


def _parse_nt(result: GraphResult) -> Iterator[ox.Triple]:
    """A store's CONSTRUCT answer as N-Triples (rdflib, remote), read in the worker."""
    for quad in ox.parse(result.ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES):
        yield quad.triple


def _rdf_format(media: str) -> ox.RdfFormat:
    fmt = RDF_FORMAT.get(media)
    if fmt is None:
        raise NotRepresentable(f"{media} is not an RDF format")
    return fmt


def _graph(job: QueryJob, triples: Iterator[ox.Triple]) -> Answer:
    fmt = _rdf_format(job.media)
    counted = _Counted(triples)
    if fmt == ox.RdfFormat.JSON_LD:
        from graph.stores.render import jsonld

        sink = Sink(job.max_bytes)
        sink.write(jsonld(_held(counted, job.max_bytes)))
        return Answer(sink.body(), content_type(job.media), counted.n)
    sink = Sink(job.max_bytes, xml=fmt == ox.RdfFormat.RDF_XML)
    prefixes = PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    ox.serialize(counted, cast("IO[bytes]", sink), fmt, prefixes=prefixes)
    return Answer(sink.body(), content_type(job.media), counted.n)


class _Counted:
    def __init__(self, triples: Iterator[ox.Triple]) -> None:
        self.triples = triples
        self.n = 0

    def __iter__(self) -> Iterator[ox.Triple]:
        for triple in self.triples:
            self.n += 1
            yield triple


def _construct(store: Store, job: QueryJob) -> Iterator[ox.Triple]:
    if isinstance(store, OxigraphStore):
        result = store.evaluate(job.sparql, job.default_graphs, job.named_graphs)
        if not isinstance(result, ox.QueryTriples):
            raise StoreError("a page's query must be a CONSTRUCT")
        return _capped(result, job.max_rows)
    answer = store.query(
        job.sparql,
        default_graphs=job.default_graphs,
        named_graphs=job.named_graphs,
        max_rows=job.max_rows,
    )
    if not isinstance(answer, GraphResult):
        raise StoreError("a page's query must be a CONSTRUCT")
    return _parse_nt(answer)


def _page(store: Store, job: QueryJob) -> Answer:
    extra = dict(job.extra)
    triples = _construct(store, job)
    first = next(triples, None)
    if first is None and "missing" in extra:
        raise NotFound(extra["missing"], iri=extra.get("focus"))
    everything = _chain(first, triples)
    if job.media != HTML:
        return _graph(job, everything)
    from graph.stores.render import html_page

    counted = _Counted(everything)
    sink = Sink(job.max_bytes)
    sink.write(html_page(_held(counted, job.max_bytes), extra["focus"], extra["base_iri"]))
    return Answer(sink.body(), content_type(HTML), counted.n)


MIN_TRIPLE_BYTES = 32
"""JSON-LD and HTML are written by rdflib from a graph held whole: at most one triple per this
many bytes of the byte cap is held (625,000 triples under the default 20 MB)"""


def _held(triples: Iterable[ox.Triple], max_bytes: int | None) -> Iterator[ox.Triple]:
    """Triples for rdflib (JSON-LD, HTML), refused as too large past `max_bytes //
    MIN_TRIPLE_BYTES` before they are all in memory (a page that large is no page to read)."""
    limit = None if max_bytes is None else max_bytes // MIN_TRIPLE_BYTES
    for n, triple in enumerate(triples):
        if limit is not None and n >= limit:
            raise too_big(max_bytes or 0)
        yield triple


def _chain(first: ox.Triple | None, rest: Iterator[ox.Triple]) -> Iterator[ox.Triple]:
    if first is not None:
        yield first
    yield from rest


def _export(store: Store, job: QueryJob) -> Answer:
    from graph.exports import EXPORTS, export

    name = dict(job.extra)["format"]
    text = export(name, store)  # NotFound for an unknown format
    spec = EXPORTS[name]
    sink = Sink(job.max_bytes)
    sink.write(text.encode("utf-8"))
    charset = "" if spec.media_type == "application/json" else "; charset=utf-8"
    return Answer(sink.body(), spec.media_type + charset, 0)


def _ontology_docs(store: Store, job: QueryJob) -> Answer:
    from graph.ontology_docs import render_ontology_docs

    sink = Sink(job.max_bytes)
    sink.write(render_ontology_docs(store).encode("utf-8"))
    return Answer(sink.body(), content_type(HTML), 0)
