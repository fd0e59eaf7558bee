"""Section [J]: the query path under pressure, against argraph as deployed (default settings).

- *fast ASK under attack*: a fast ASK's latency, alone and then while other clients run 2 heavy
  CONSTRUCTs (10,000 triples as Turtle) and 4 runaway queries (a cross product that only the
  time limit stops) in a loop. The attackers connect from other loopback addresses
  (127.0.0.2, 127.0.0.3): to the server they are other clients, as they would be.
- *memory with maximum-size results in flight*: 4 clients at once ask for a result just under
  `max_result_bytes`, then 4 for one far over it (refused while written); the web process's
  peak resident memory (VmHWM) and the query workers' are read from /proc.
- *ready time*: from starting a server over an on-disk store already loaded (the largest
  synthetic corpus) to its first answer.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import peers
from bench.load import LoadResult, Request, fetch, run_load

JSON = "application/sparql-results+json"
ASK = Request("fast ask", "ASK { ?s ?p ?o }", JSON)
HEAVY = Request(
    "heavy construct",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 10000",
    "text/turtle",
)
RUNAWAY = Request(
    "runaway",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    JSON,
)
MAX_RESULT_BYTES = 20_000_000
"""the default `max_result_bytes`"""


def sized(target_bytes: int, rows: int = 10_000) -> Request:
    """A SELECT whose JSON answer is about `target_bytes` (long literals on `rows` rows)."""
    pad = max(1, target_bytes // rows - 260)
    return Request(
        f"~{target_bytes / 1e6:.0f} MB",
        f'SELECT ?s ?p ?o ?x WHERE {{ ?s ?p ?o BIND(CONCAT("{"x" * pad}", STR(?o)) AS ?x) }} '
        f"LIMIT {rows}",
        JSON,
    )


def _status(pid: int, field_name: str) -> int:
    """A memory figure of /proc/<pid>/status, in bytes (0 when the process is gone)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1]) * 1024
    return 0


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (the forkserver and the query workers below it)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    out: list[int] = []
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


@dataclass
class Attack:
    idle: LoadResult = field(default_factory=LoadResult)
    busy: LoadResult = field(default_factory=LoadResult)
    attackers: dict[str, dict[int, int]] = field(default_factory=dict)


def _loop(url: str, req: Request, n: int, seconds: float, source: str, out: dict[int, int]) -> None:
    res = run_load(url, [req], requests=10**9, concurrency=n, max_seconds=seconds, source=source)
    for k, v in res.statuses.items():
        out[k] = out.get(k, 0) + v
    if res.errors > sum(res.statuses.values()) - res.statuses.get(200, 0):
        out[0] = out.get(0, 0) + res.errors


def fast_ask_under_attack(url: str, requests: int, seconds: float) -> Attack:
    out = Attack()
    run_load(url, [ASK], requests=50, concurrency=1)
    out.idle = run_load(url, [ASK], requests=requests, concurrency=1, max_seconds=seconds)
    threads = []
    for req, n, source in ((RUNAWAY, 4, "127.0.0.2"), (HEAVY, 2, "127.0.0.3")):
        counts: dict[int, int] = {}
        out.attackers[req.name] = counts
        t = threading.Thread(
            target=_loop, args=(url, req, n, seconds + 3, source, counts), daemon=True
        )
        threads.append(t)
        t.start()
    time.sleep(1.5)  # the runaway queries are running (and demoted) by now
    out.busy = run_load(url, [ASK], requests=requests, concurrency=1, max_seconds=seconds)
    for t in threads:
        t.join(seconds + 40)
    return out


@dataclass
class Memory:
    web_before: int = 0
    web_peak: int = 0
    worker_peak: int = 0
    workers_total_peak: int = 0
    workers: int = 0
    body_bytes: int = 0
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)


def memory_in_flight(url: str, pid: int, cap: int = MAX_RESULT_BYTES) -> Memory:
    m = Memory(web_before=_status(pid, "VmRSS"))
    under = sized(int(cap * 0.9))
    over = sized(cap * 4, rows=10_000)
    status, body = fetch(url, under, timeout=120)
    m.body_bytes = len(body) if status == 200 else -status
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            rss = [_status(p, "VmRSS") for p in descendants(pid)]
            workers = [r for r in rss if r]
            m.workers = max(m.workers, len(workers))
            m.workers_total_peak = max(m.workers_total_peak, sum(workers))
            m.worker_peak = max(m.worker_peak, max(workers, default=0))
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    for req in (under, over):
        res = run_load(url, [req], requests=8, concurrency=4, max_seconds=120)
        m.statuses[req.name] = dict(res.statuses)
    stop.set()
    sampler.join(5)
    m.web_peak = _status(pid, "VmHWM")
    return m


def ready_time(workdir: Path, dist: Path, store_path: Path) -> dict[str, Any]:
    """Seconds from starting argraph over an on-disk store already loaded to its first answer."""
    t0 = time.perf_counter()
    server = peers.start_python(
        "argraph", workdir / "ready", cpu=None, dist=dist, store_path=store_path, timeout=600
    )
    ready = time.perf_counter() - t0
    try:
        status, _ = fetch(server.url, ASK)
        return {"ready_s": ready, "status": status, "store": str(store_path)}
    finally:
        server.stop()


def run(url: str, pid: int, *, quick: bool, say: Any = print) -> dict[str, Any]:
    say("  fast ASK alone, then under 2 heavy CONSTRUCTs and 4 runaway queries")
    attack = fast_ask_under_attack(url, 150 if quick else 400, 12 if quick else 30)
    say("  web-process memory with 4 maximum-size results in flight")
    memory = memory_in_flight(url, pid)
    return {"attack": attack, "memory": memory, "cpus": os.cpu_count()}
