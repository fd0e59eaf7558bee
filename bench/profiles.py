"""Where the time goes: stage timings of one /sparql request and profiles of the slow analyses."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graph.store import OxigraphStore


def _median_ms(fn: Any, n: int = 300) -> float:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return statistics.median(out) * 1000


def request_breakdown(dist: Path) -> tuple[str, list[str]]:
    """The stages of argraph's /sparql for the lookup query, timed in-process (median ms), next
    to what the minimal endpoint does (query + serialise) and to a full request via TestClient."""
    from fastapi.testclient import TestClient

    from api.settings import Settings
    from argraph.app import create_app
    from bench.queries import JSON, REAL, mix
    from graph.sparql_guard import guard_query
    from graph.store import open_built
    from graph.stores.execute import execute
    from graph.stores.pool import ProcessPool, QueryJob, ThreadRunner

    q = mix(REAL)[0].query
    store = open_built(dist)
    settings = Settings(dist=dist)
    guarded = guard_query(
        q,
        known_graphs=store.graph_names(),
        max_nesting=64,
        max_query_bytes=200_000,
        base_iri="http://127.0.0.1/sparql",
    )
    job = QueryJob(
        guarded.text, None, None, settings.max_rows, media=JSON, max_bytes=settings.max_result_bytes
    )
    pool = ProcessPool(store, 1, 10)
    threads = ThreadRunner(store, 4)
    try:
        pool.run(job)
        stages = {
            "guard_query (Python tokenizer)": _median_ms(
                lambda: guard_query(
                    q,
                    known_graphs=store.graph_names(),
                    max_nesting=64,
                    max_query_bytes=200_000,
                    base_iri="http://127.0.0.1/sparql",
                )
            ),
            "ProcessPool.run (admission, pipe, worker: query + serialise, bytes back)": (
                _median_ms(lambda: pool.run(job))
            ),
            "ThreadRunner.run (admission, the same in-process)": _median_ms(
                lambda: threads.run(job)
            ),
            "execute (query + serialise, in-process)": _median_ms(lambda: execute(store, job)),
            "minimal: store.query + pyoxigraph serialise": _median_ms(lambda: _minimal(store, q)),
        }
    finally:
        pool.close()
    for isolation in ("process", "thread"):
        app = create_app(Settings(dist=dist, query_isolation=isolation))
        with TestClient(app) as client:
            client.get("/sparql", params={"query": q}, headers={"Accept": JSON})
            stages[f"whole request via TestClient, isolation={isolation}"] = _median_ms(
                lambda c=client: c.get("/sparql", params={"query": q}, headers={"Accept": JSON}),
                200,
            )
    text = "\n".join(f"{v:8.3f} ms  {k}" for k, v in stages.items())
    pool_ms = stages["ProcessPool.run (admission, pipe, worker: query + serialise, bytes back)"]
    thread_ms = stages["ThreadRunner.run (admission, the same in-process)"]
    notes = [
        f"- `/sparql` lookup: the process pool's round trip costs {pool_ms:.2f} ms against "
        f"{thread_ms:.2f} ms for the same job in-process; the guard "
        f"{stages['guard_query (Python tokenizer)']:.2f} ms. A served query pays the round trip "
        "on its first run only: once a worker answered it fast and small, the web process "
        "(without a network of its own) answers it itself (graph/stores/inprocess.py). See the "
        "stage table in Profiles (timed in the bench's own process, which keeps its network: "
        "every TestClient request there goes to the workers).",
    ]
    return text, notes


def loops_profile(store_path: Path) -> str:
    """pyinstrument (or cProfile) of reading every link of the corpus and finding the loops."""
    from graph.analysis import find_loops, load_causal_graph
    from graph.store import OxigraphStore

    store = OxigraphStore(store_path)

    def work() -> None:
        find_loops(load_causal_graph(store))

    try:
        from pyinstrument import Profiler
    except ImportError:
        import cProfile
        import io
        import pstats

        pr = cProfile.Profile()
        pr.runcall(work)
        buf = io.StringIO()
        pstats.Stats(pr, stream=buf).sort_stats("cumulative").print_stats(20)
        return buf.getvalue()
    p = Profiler(interval=0.005)
    p.start()
    work()
    p.stop()
    return str(p.output_text(unicode=False, color=False))


def _minimal(store: OxigraphStore, q: str) -> bytes | None:
    """What the minimal endpoint does for a SELECT: query, serialise as JSON."""
    import pyoxigraph as ox

    solutions = store.store.query(q, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    out: bytes | None = solutions.serialize(format=ox.QueryResultsFormat.JSON)
    return out
