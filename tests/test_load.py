"""A bounded load test on loopback against a real `argraph serve`: mixed SPARQL and REST requests
(300 at concurrency 32, over keep-alive connections, every kind of route in the mix), zero
errors, latency percentiles printed (how fast is bench/'s question, `python -m bench endpoint`),
and the graph's hash identical before and after."""

from __future__ import annotations

import asyncio
import statistics
import time
import urllib.parse
from collections.abc import Iterator

import pytest

from argraph import selftest
from tests.api_fixtures import run_in_own_loop
from tests.conftest import Built

REQUESTS = 300
CONCURRENCY = 32
SPARQL = [
    "ASK { ?s ?p ?o }",
    "PREFIX arg: <https://w3id.org/argraph/ontology#> "
    "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a arg:Claim }",
    "SELECT ?g WHERE { GRAPH ?g { } }",
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "SELECT ?s ?l WHERE { ?s rdfs:label ?l } LIMIT 20",
]
# the REST routes run in the web process (about 100 ms each for the list routes on 2 cores):
# a mix that fits the CI budget, with every kind of route in it
REST = [
    "/api/loops",
    "/dumps",
    "/id/liu-tong-2021/c-mech-uneven-opening",
    "/api/stats",
    "/api/claims",
]
PATHS = [
    *(f"/sparql?{urllib.parse.urlencode({'query': q})}" for q in SPARQL),
    *REST,
]


async def _worker(
    host: str, port: int, jobs: asyncio.Queue[str], out: list[tuple[str, int, float]]
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while True:
            try:
                path = jobs.get_nowait()
            except asyncio.QueueEmpty:
                return
            start = time.perf_counter()
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: */*\r\n\r\n".encode("ascii")
            )
            await writer.drain()
            status_line = await reader.readline()
            status = int(status_line.split()[1])
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            await reader.readexactly(length)
            out.append((path, status, time.perf_counter() - start))
    finally:
        writer.close()


async def _load(base_url: str, n: int, concurrency: int) -> list[tuple[str, int, float]]:
    url = urllib.parse.urlsplit(base_url)
    jobs: asyncio.Queue[str] = asyncio.Queue()
    for i in range(n):
        jobs.put_nowait(PATHS[i % len(PATHS)])
    out: list[tuple[str, int, float]] = []
    await asyncio.gather(
        *(_worker(url.hostname or "", url.port or 80, jobs, out) for _ in range(concurrency))
    )
    return out


@pytest.fixture(scope="module")
def server(built_paper: Built) -> Iterator[selftest.Served]:
    # concurrency 32 from one client queues (no 503, no client retries here): a queued request
    # waits for its turn however busy the machine is, instead of the default 5 s
    with selftest.serve_subprocess(
        str(built_paper.dist), settings={"queue_wait_s": "300"}
    ) as served:
        yield served


def test_load(server: selftest.Served) -> None:
    before = selftest.graph_hash(server.url)
    run_in_own_loop(_load(server.url, 50, 8))  # warm up: workers started, caches filled
    start = time.perf_counter()
    results = run_in_own_loop(_load(server.url, REQUESTS, CONCURRENCY))
    elapsed = time.perf_counter() - start
    after = selftest.graph_hash(server.url)
    errors = [(p, s) for p, s, _ in results if s != 200]
    latencies = sorted(t for _, _, t in results)
    q = statistics.quantiles(latencies, n=100)
    print(
        f"\nload: {len(results)} requests, concurrency {CONCURRENCY}, {elapsed:.1f} s, "
        f"{len(results) / elapsed:.0f} req/s; latency p50 {q[49] * 1000:.0f} ms, "
        f"p90 {q[89] * 1000:.0f} ms, p99 {q[98] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms; "
        f"errors {len(errors)}"
    )
    assert len(results) == REQUESTS
    assert errors == []
    assert after == before
