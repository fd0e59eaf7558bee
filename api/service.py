"""Helpers shared by the routes: the query runner held by the app, `answer` (every query of
every route goes through it), the service description."""

from __future__ import annotations

import gc
import threading

import anyio
import anyio.to_thread
from fastapi import FastAPI, Request
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from api.settings import Settings
from errors import ServiceBusy
from graph.store import Store
from graph.stores.execute import Answer, QueryJob
from graph.stores.pool import Runner, make_runner

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = "http://www.w3.org/ns/formats/"

_lock = threading.Lock()


def runner_of(app: FastAPI, store: Store, settings: Settings) -> Runner:
    """The app's query runner, made on first use (a process pool snapshots the store and starts
    its first worker: call it from a thread, or before serving, not on the event loop)."""
    runner: Runner | None = getattr(app.state, "runner", None)
    if runner is None:
        with _lock:
            runner = getattr(app.state, "runner", None)
            if runner is None:
                runner = make_runner(
                    store,
                    isolation=settings.query_isolation,
                    size=settings.max_concurrent_queries,
                    timeout_s=settings.query_timeout_s,
                    retry_after_s=settings.retry_after_s,
                    per_client=settings.max_queries_per_client,
                    queue_wait_s=settings.queue_wait_s,
                    max_queue=settings.max_queued_queries,
                    require_network_isolation=settings.require_network_isolation,
                    worker_memory_mb=settings.worker_memory_mb,
                )
                app.state.runner = runner
    return runner


def start_serving(app: FastAPI) -> Runner:
    """What a server process does between making the app and serving it: start the query
    runner (its first worker opens the store; a pool that must be isolated and cannot be fails
    here), then move every object made so far out of the garbage collector's way (`gc.freeze`:
    the store, the modules and the app are never scanned again, so no full collection of them
    lands on a request)."""
    runner = runner_of(app, app.state.store, app.state.settings)
    gc.freeze()
    return runner


def _threads(app: FastAPI, runner: Runner) -> anyio.CapacityLimiter:
    """Threads for queries: one per running or queued query, apart from the default pool (the
    other routes' threads), so queued queries never starve them."""
    limiter: anyio.CapacityLimiter | None = getattr(app.state, "query_threads", None)
    if limiter is None:
        admission = runner.admission
        limiter = anyio.CapacityLimiter(admission.size + admission.max_queue)
        app.state.query_threads = limiter
    return limiter


async def answer(request: Request, job: QueryJob) -> Answer:
    """Run `job` for this request: fair admission (the client is the remote host), a worker,
    the time limit; off the event loop. Raises the typed errors of errors/__init__.py."""
    app = request.app
    runner: Runner | None = getattr(app.state, "runner", None)
    if runner is None:
        runner = await anyio.to_thread.run_sync(runner_of, app, app.state.store, app.state.settings)
    client = request.client.host if request.client else ""
    fast = getattr(runner, "run_async", None)
    if fast is not None:  # a free slot and an idle worker: no thread at all
        quick: Answer | None = await fast(job, client)
        if quick is not None:
            return quick
    limiter = _threads(app, runner)
    if limiter.available_tokens <= 0:
        admission = runner.admission
        raise ServiceBusy(
            f"{admission.size} queries are running and {admission.max_queue} waiting, the most "
            "this endpoint queues; retry in a moment",
            retry_after=admission.retry_after_s,
        )
    result: Answer = await anyio.to_thread.run_sync(runner.run, job, client, limiter=limiter)
    return result


def service_description(request: Request, settings: Settings, graphs: list[str]) -> Graph:
    g = Graph()
    g.bind("sd", SD)
    endpoint = URIRef(str(request.url.replace(query="", fragment="")))
    service = BNode("service")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, endpoint))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for fmt in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
    ):
        g.add((service, SD.resultFormat, URIRef(FORMATS + fmt)))
    dataset = BNode("dataset")
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    default = BNode("default-graph")
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    for i, name in enumerate(graphs):
        ng = BNode(f"named-graph-{i}")
        g.add((dataset, SD.namedGraph, ng))
        g.add((ng, RDF.type, SD.NamedGraph))
        g.add((ng, SD.name, URIRef(name)))
    g.add(
        (
            service,
            URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
            Literal(
                f"argraph, read-only; timeout {settings.query_timeout_s:g} s, "
                f"at most {settings.max_rows} rows",
                lang="en",
            ),
        )
    )
    return g
