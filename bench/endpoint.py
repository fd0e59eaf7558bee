"""Section 1: the endpoint against its peers: same graph, same queries, same client, same run.

Every server runs pinned to one core and the load generator to the other (taskset). After the
servers have settled (none burns CPU on its own), each measurement (a shape, the mix at 4 and 8,
the lookup alone) runs on every server in turn, the order rotating from round to round, so that
the machine's noise falls on all of them alike; the figures that matter are the ratios.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import peers
from bench.load import LoadResult, Request, fetch, run_load
from bench.queries import REAL, SHAPES, mix

SERVER_CPU, CLIENT_CPU = 1, 0
CONCURRENCY = 4
"""the fixed load of the per-shape figures"""
CONCURRENCY_HIGH = 8
"""the mix again with 8 clients (argraph's default settings must serve them all: no 503)"""


@dataclass
class Plan:
    rounds: int
    shape_requests: int
    mix_requests: int
    max_seconds: float
    warmup: int = 20


FULL = Plan(rounds=2, shape_requests=250, mix_requests=800, max_seconds=8)
QUICK = Plan(rounds=1, shape_requests=80, mix_requests=250, max_seconds=4)


@dataclass
class PeerFigures:
    name: str
    note: str | None = None
    shapes: dict[str, LoadResult] = field(default_factory=dict)
    mix: LoadResult = field(default_factory=LoadResult)
    mix_high: LoadResult = field(default_factory=LoadResult)
    lookup_c1: LoadResult = field(default_factory=LoadResult)
    rows: dict[str, int] = field(default_factory=dict)
    mix_cpu_s: float = 0.0
    """CPU time (user + system) the server and its child processes spent on the mix at
    concurrency 4: divided by the answers, the work per request, which a busy machine does not
    inflate as it does the throughput"""


def _merge(into: LoadResult, new: LoadResult) -> None:
    into.latencies += new.latencies
    into.errors += new.errors
    into.elapsed += new.elapsed
    into.bytes += new.bytes
    for k, v in new.statuses.items():
        into.statuses[k] = into.statuses.get(k, 0) + v


def count_rows(req: Request, body: bytes) -> int:
    if req.accept.endswith("json"):
        data: Any = json.loads(body)
        if "boolean" in data:
            return 1
        return len(data["results"]["bindings"])
    return sum(1 for line in body.decode("utf-8").splitlines() if line.strip())


def tree_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) of `pid` and every process below it, alive now."""
    from bench.query_path import descendants

    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for p in [pid, *descendants(pid)]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _measure(
    fig: PeerFigures, server: peers.Server, step: Request | str, requests: list[Request], plan: Plan
) -> None:
    """One measurement on one server: a shape, the mix (at 4 and 8) or the lookup alone."""
    if isinstance(step, Request):
        res = run_load(
            server.url,
            [step],
            requests=plan.shape_requests,
            concurrency=CONCURRENCY,
            max_seconds=plan.max_seconds,
        )
        _merge(fig.shapes.setdefault(step.name, LoadResult()), res)
    elif step == "mix":
        cpu = tree_cpu_s(server.pid)
        res = run_load(
            server.url,
            requests,
            requests=plan.mix_requests,
            concurrency=CONCURRENCY,
            max_seconds=plan.max_seconds,
        )
        fig.mix_cpu_s += tree_cpu_s(server.pid) - cpu
        _merge(fig.mix, res)
    elif step == "mix_high":
        res = run_load(
            server.url,
            requests,
            requests=plan.mix_requests,
            concurrency=CONCURRENCY_HIGH,
            max_seconds=plan.max_seconds,
        )
        _merge(fig.mix_high, res)
    else:
        res = run_load(
            server.url,
            requests[:1],
            requests=plan.shape_requests,
            concurrency=1,
            max_seconds=plan.max_seconds,
        )
        _merge(fig.lookup_c1, res)


def settle(servers: dict[str, peers.Server], say: Any, most_s: float = 30.0) -> None:
    """Wait (at most `most_s`) until no server burns CPU on its own (Virtuoso checkpoints after
    a load, say), so that the first measurements do not pay for another server's work."""
    deadline = time.monotonic() + most_s
    while time.monotonic() < deadline:
        before = {n: tree_cpu_s(s.pid) for n, s in servers.items()}
        time.sleep(1.0)
        busy = [n for n, s in servers.items() if tree_cpu_s(s.pid) - before[n] > 0.05]
        if not busy:
            return
    say(f"  still busy after {most_s:g} s: {', '.join(busy)} (measuring anyway)")


def pin_self() -> None:
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {CLIENT_CPU})


def run(
    workdir: Path,
    dist: Path,
    plan: Plan,
    *,
    allow_install: bool,
    say: Any = print,
    pressure: dict[str, Any] | None = None,
) -> dict[str, PeerFigures]:
    """The peers side by side; with `pressure` (a dict), argraph's [J] pressure figures
    (bench/query_path.py) are measured on the same server and stored in it."""
    nq = dist / "graph.nq"
    requests = mix(REAL)
    figures: dict[str, PeerFigures] = {}
    servers: dict[str, peers.Server] = {}
    two_cores = (os.cpu_count() or 1) > 1
    cpu = SERVER_CPU if two_cores else None
    try:
        say("  starting argraph")
        servers["argraph"] = peers.start_python("argraph", workdir / "argraph", cpu=cpu, dist=dist)
        say("  starting the minimal FastAPI + pyoxigraph endpoint")
        servers["minimal"] = peers.start_python("minimal", workdir / "minimal", cpu=cpu, nq=nq)
        why = peers.ensure_rdflib_endpoint(allow_install)
        if why is None:
            say("  starting rdflib-endpoint")
            servers["rdflib-endpoint"] = peers.start_python(
                "rdflib-endpoint", workdir / "rdflib-endpoint", cpu=cpu, nq=nq
            )
        else:
            figures["rdflib-endpoint"] = PeerFigures("rdflib-endpoint", note=why)
        why = peers.ensure_virtuoso(allow_install)
        if why is None:
            say("  starting Virtuoso and loading the graph")
            v = peers.start_virtuoso(workdir / "virtuoso", nq.parent, cpu=cpu, memory_gb=1)
            servers["virtuoso"] = v
            v.load_nquads(nq)
        else:
            figures["virtuoso"] = PeerFigures("virtuoso", note=why)
        if two_cores:
            pin_self()
        for name, server in servers.items():
            fig = figures.setdefault(name, PeerFigures(name))
            for req in requests:
                status, body = fetch(server.url, req)
                fig.rows[req.name] = count_rows(req, body) if status == 200 else -status
            run_load(
                server.url,
                requests,
                requests=plan.warmup * len(requests),
                concurrency=CONCURRENCY,
                max_seconds=30,
            )
        settle(servers, say)
        names = list(servers)
        for r in range(plan.rounds):
            say(f"  round {r + 1}/{plan.rounds}")
            # each measurement runs on every server in turn, the order rotating: no server is
            # always the first after another's load (or after Virtuoso's background work)
            steps: list[Request | str] = [*requests, "mix", "mix_high", "lookup_c1"]
            for i, step in enumerate(steps):
                for k in range(len(names)):
                    name = names[(k + i + r) % len(names)]
                    _measure(figures[name], servers[name], step, requests, plan)
                time.sleep(0.1)
        if pressure is not None and "argraph" in servers:
            from bench import query_path

            argraph = servers["argraph"]
            pressure |= query_path.run(argraph.url, argraph.pid, quick=plan is QUICK, say=say)
    finally:
        if two_cores and hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
        for server in servers.values():
            server.stop()
    order = ["argraph", "minimal", "rdflib-endpoint", "virtuoso"]
    return {k: figures[k] for k in order if k in figures}


__all__ = ["FULL", "QUICK", "SHAPES", "PeerFigures", "Plan", "run"]
