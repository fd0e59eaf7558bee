"""Section 2: scale. Synthetic corpora of 1, 10, 100, 1,000 papers in each store.

Embedded stores (oxigraph on disk, rdflib) are measured in a fresh subprocess per corpus
(`python -m bench.scale oxigraph-disk corpus.nq N`), so that peak memory is that process's own
(ru_maxrss). Virtuoso runs as its server; its peak memory is the server's resident set, sampled.

Per store and size: load time, peak memory, p50/p95 of each query of the mix (on paper 0's IRIs),
chain analysis (one paper's causal graph read through SPARQL, scoped to its named graph, then
every chain from a root to the main outcome) and loop detection (per paper, and over the whole
corpus at once).
"""

from __future__ import annotations

import json
import math
import os
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.load import percentile

STORES = ("oxigraph-disk", "rdflib", "virtuoso")
RDFLIB_MAX = 100
"""rdflib keeps every triple as Python objects (~1.6 KB each): 1,000 papers (17M triples) would
need ~28 GB, more than this machine has; it is measured up to 100 papers and projected."""


class Scoped:
    """A store seen through one named graph as its default graph (one paper's assertions)."""

    def __init__(self, store: Any, graph: str) -> None:
        self.store, self.graph = store, graph

    def query(self, sparql: str) -> Any:
        return self.store.query(sparql, default_graphs=[self.graph])


def _timed(fn: Any, reps: int, budget: float) -> list[float]:
    out: list[float] = []
    t_end = time.perf_counter() + budget
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
        if time.perf_counter() > t_end:
            break
    return out


def _stats(values: list[float]) -> dict[str, float]:
    return {"p50": percentile(values, 50), "p95": percentile(values, 95), "n": len(values)}


def measure(store: Any, n: int, *, reps: int, budget: float) -> dict[str, Any]:
    """Queries and analyses on a loaded store (any argraph store: embedded, rdflib, remote)."""
    from bench import synthetic as sy
    from bench.queries import mix, synthetic_target
    from graph.analysis import chains, find_loops, load_causal_graph

    out: dict[str, Any] = {"queries": {}}
    for req in mix(synthetic_target(0)):
        out["queries"][req.name] = _stats(_timed(lambda q=req.query: store.query(q), reps, budget))
    samples = sorted({0, n // 3, (2 * n) // 3, n - 1} | set(range(0, n, max(1, n // 12))))
    chain_t: list[float] = []
    loop_t: list[float] = []
    t_end = time.perf_counter() + budget * 2
    chains_found = loops_found = 0
    for i in samples:
        scoped = Scoped(store, sy.graph_iri(sy.paper_id(i), "assertions"))
        t0 = time.perf_counter()
        g = load_causal_graph(scoped)
        chains_found = len(chains(g, sy.first_root(i), sy.main_outcome(i)))
        chain_t.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        g = load_causal_graph(scoped)
        loops_found = len(find_loops(g))
        loop_t.append(time.perf_counter() - t0)
        if time.perf_counter() > t_end:
            break
    out["chain_paper"] = _stats(chain_t) | {"found": chains_found}
    out["loops_paper"] = _stats(loop_t) | {"found": loops_found}
    t0 = time.perf_counter()
    g = load_causal_graph(store)
    t1 = time.perf_counter()
    loops = find_loops(g)
    t2 = time.perf_counter()
    out["loops_corpus"] = {
        "total": t2 - t0,
        "read": t1 - t0,
        "cycles": t2 - t1,
        "found": len(loops),
        "links": len(g.links),
    }
    return out


def worker(
    kind: str, nq: Path, n: int, reps: int, budget: float, store_dir: Path
) -> dict[str, Any]:
    """In a fresh process: load the corpus into the store, then measure."""
    t0 = time.perf_counter()
    if kind == "rdflib":
        from graph.stores.rdflib_store import RdflibStore

        store: Any = RdflibStore()
        store.load_nquads(nq)
    else:
        import pyoxigraph as ox

        from graph.store import OxigraphStore

        # OxigraphStore.load_nquads, in its two steps: bulk load, then optimize (compaction).
        store = OxigraphStore(store_dir)
        store.store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        t_bulk = time.perf_counter() - t0
        store.store.optimize()
    load = time.perf_counter() - t0
    triples = len(store)
    rss_after_load = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    out = {"load_s": load, "triples": triples, "rss_load": rss_after_load}
    if kind != "rdflib":
        out["bulk_s"] = t_bulk
    out |= measure(store, n, reps=reps, budget=budget)
    out["peak_rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return out


def run_embedded(
    kind: str,
    nq: Path,
    n: int,
    workdir: Path,
    *,
    reps: int,
    budget: float,
    timeout: float,
    keep: bool = False,
) -> dict[str, Any]:
    store_dir = workdir / f"store-{kind}-{n}"
    cmd = [
        sys.executable,
        "-m",
        "bench.scale",
        kind,
        str(nq),
        str(n),
        str(reps),
        str(budget),
        str(store_dir),
    ]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(__file__).resolve().parent.parent), env.get("PYTHONPATH", "")]
    )
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"error": f"not finished within {timeout:.0f} s"}
    finally:
        if not keep:
            subprocess.run(["rm", "-rf", str(store_dir)], check=False)
    if done.returncode != 0:
        return {
            "error": done.stderr.strip().splitlines()[-1]
            if done.stderr.strip()
            else f"exit {done.returncode}"
        }
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


class _RssSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        import psutil

        self.proc = psutil.Process(pid)
        self.peak = 0
        self.stop_flag = threading.Event()

    def run(self) -> None:
        while not self.stop_flag.is_set():
            try:
                self.peak = max(self.peak, self.proc.memory_info().rss)
            except Exception:  # the process is gone: keep the peak seen
                return
            time.sleep(0.2)

    def stop(self) -> int:
        self.stop_flag.set()
        self.join(2)
        return self.peak


def run_virtuoso(nq: Path, n: int, workdir: Path, *, reps: int, budget: float) -> dict[str, Any]:
    from bench import peers

    folder = workdir / f"virtuoso-{n}"
    subprocess.run(["rm", "-rf", str(folder)], check=False)
    server = peers.start_virtuoso(folder, nq.parent, cpu=None, memory_gb=3.0)
    sampler = _RssSampler(server.pid)
    sampler.start()
    try:
        t0 = time.perf_counter()
        server.load_nquads(nq)
        load = time.perf_counter() - t0
        store = _VirtuosoStore(server.url)
        out: dict[str, Any] = {"load_s": load, "triples": None}
        out |= measure(store, n, reps=reps, budget=budget)
        out["peak_rss"] = sampler.stop()
        return out
    finally:
        sampler.stop()
        server.stop()
        subprocess.run(["rm", "-rf", str(folder)], check=False)


class _VirtuosoStore:
    """argraph's RemoteStore, except that a query without a dataset is sent without one (Virtuoso's
    default graph is every graph). RemoteStore itself names every loaded graph in each request
    (3,001 graph IRIs at 1,000 papers), which measures the client rather than the server."""

    def __init__(self, url: str) -> None:
        from graph.stores.remote import RemoteStore

        self.remote = RemoteStore(url, timeout_s=300)

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        max_rows: int | None = None,
    ) -> Any:
        if default_graphs is None and named_graphs is None:
            default_graphs = []  # no graph parameters: the server's default, every graph
        return self.remote.query(
            sparql, default_graphs=default_graphs, named_graphs=named_graphs, max_rows=max_rows
        )


def growth_exponent(sizes: Sequence[int], values: Sequence[float | None]) -> float | None:
    """Least-squares slope of log(value) against log(size) (1.0 = linear)."""
    pts = [
        (math.log(s), math.log(v))
        for s, v in zip(sizes, values, strict=True)
        if v is not None and v > 0 and s > 0
    ]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    if sxx == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in pts) / sxx


def run(
    workdir: Path,
    sizes: Sequence[int],
    *,
    stores: Sequence[str],
    reps: int,
    budget: float,
    virtuoso_note: str | None,
    say: Any = print,
) -> dict[str, Any]:
    from bench import synthetic as sy

    cache = workdir.parent / "corpora"
    say(f"  generating corpora {list(sizes)} in {cache} (reused when present)")
    t0 = time.perf_counter()
    paths = sy.write_corpora(cache, sizes)
    gen_s = time.perf_counter() - t0
    results: dict[str, Any] = {
        "generate_s": gen_s,
        "sizes": list(sizes),
        "stores": {},
        "bytes": {n: paths[n].stat().st_size for n in sizes},
    }
    for kind in stores:
        per: dict[int, Any] = {}
        results["stores"][kind] = per
        for n in sizes:
            if kind == "rdflib" and n > RDFLIB_MAX:
                per[n] = {
                    "skipped": f"not measured: above {RDFLIB_MAX} papers rdflib needs more "
                    "memory than this machine has (see the projection)"
                }
                continue
            if kind == "virtuoso" and virtuoso_note:
                per[n] = {"skipped": virtuoso_note}
                continue
            say(f"  {kind}: {n} paper(s)")
            if kind == "virtuoso":
                try:
                    per[n] = run_virtuoso(paths[n], n, workdir, reps=reps, budget=budget)
                except Exception as exc:  # a failing peer is reported, not fatal
                    per[n] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
            else:
                keep = kind == "oxigraph-disk" and n == max(sizes)
                per[n] = run_embedded(
                    kind, paths[n], n, workdir, reps=reps, budget=budget, timeout=1500, keep=keep
                )
                if keep and "error" not in per[n]:
                    results["kept_store"] = str(workdir / f"store-{kind}-{n}")
            if "error" in per[n]:
                say(f"    error: {per[n]['error']}")
    return results


def main() -> None:
    kind, nq, n, reps, budget, store_dir = sys.argv[1:7]
    out = worker(kind, Path(nq), int(n), int(reps), float(budget), Path(store_dir))
    sys.stdout.write(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
