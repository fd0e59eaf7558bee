"""/api/stats: counts that summarise the graph; /api/papers: the papers it holds."""

from __future__ import annotations

import anyio.to_thread
from fastapi import APIRouter, Request

from api.deps import StoreDep
from api.models import Page, Stats
from api.routes.papers import PaperOut, list_papers
from graph import repo
from graph.stats import COUNTED
from graph.store import Store

router = APIRouter(prefix="/api", tags=["stats"])


def graph_stats(store: Store, graphs: list[str]) -> Stats:
    counts = {}
    for name, cls in COUNTED.items():
        rows = repo.select(store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{cls}> }}")
        counts[name] = int(rows[0]["n"].value) if rows and "n" in rows[0] else 0
    rows = (
        repo.select(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        if not graphs
        else repo.select(
            store,
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
            f"VALUES ?g {{ {' '.join(repo.iri(g) for g in graphs)} }} }}",
        )
    )
    triples = int(rows[0]["n"].value) if rows and "n" in rows[0] else 0
    return Stats(store=store.kind, triples=triples, graphs=graphs, counts=counts)


@router.get("/stats", response_model=Stats, summary="Graph statistics")
async def stats(request: Request, store: StoreDep) -> Stats:
    graphs: list[str] = request.app.state.graph_names
    out = await anyio.to_thread.run_sync(graph_stats, store, graphs)
    runner = getattr(request.app.state, "runner", None)
    if runner is not None:
        out = out.model_copy(update={"query_workers": runner.status()})
    return out


@router.get("/papers", response_model=Page[PaperOut], summary="The loaded papers")
async def papers(request: Request, store: StoreDep) -> Page[PaperOut]:
    """Every paper in the store (IRI order), with its title, year and main outcome; `default` marks
    the one a route without `?paper=` speaks of."""
    documents: list[str] = request.app.state.documents
    found = await anyio.to_thread.run_sync(list_papers, store, documents)
    return Page[PaperOut](data=found, count=len(found))
