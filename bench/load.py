"""A small HTTP/1.1 load generator on raw asyncio sockets (keep-alive, bounded request counts).

Raw sockets rather than httpx: the client must cost far less than the fastest server it drives,
and it runs pinned to its own core. `run_load` keeps `concurrency` connections busy with GETs
until `requests` have been sent (or `max_seconds` passed) and returns every latency.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit


@dataclass(frozen=True)
class Request:
    name: str
    query: str
    accept: str


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    """seconds, successful requests only"""
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    elapsed: float = 0.0
    bytes: int = 0

    @property
    def ok(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0

    def pct(self, p: float) -> float:
        return percentile(self.latencies, p)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=1000, method="inclusive")[max(0, int(p * 10) - 1)]


class _Conn:
    """One keep-alive connection; `source` is the local address to connect from (another
    127.x.y.z address on loopback looks like another client to the server)."""

    def __init__(self, host: str, port: int, source: str | None = None) -> None:
        self.host, self.port = host, port
        self.source = source
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        local = (self.source, 0) if self.source else None
        self.reader, self.writer = await asyncio.open_connection(
            self.host, self.port, local_addr=local
        )

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def get(self, target: str, accept: str) -> tuple[int, bytes]:
        if self.writer is None:
            await self.open()
        assert self.reader is not None and self.writer is not None
        self.writer.write(
            f"GET {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAccept: {accept}\r\n"
            "User-Agent: argraph-bench\r\n\r\n".encode("latin-1")
        )
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = bytearray()
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")
                    break
                body += await self.reader.readexactly(size)
                await self.reader.readexactly(2)
            data = bytes(body)
        elif "content-length" in headers:
            data = await self.reader.readexactly(int(headers["content-length"]))
        else:
            data = await self.reader.read()
            self.close()
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, data


def target_of(url: str, query: str) -> tuple[str, int, str]:
    parts = urlsplit(url)
    path = parts.path or "/"
    return parts.hostname or "127.0.0.1", parts.port or 80, f"{path}?query={quote(query, safe='')}"


async def _run(
    url: str,
    mix: list[Request],
    requests: int,
    concurrency: int,
    max_seconds: float,
    source: str | None = None,
) -> LoadResult:
    host, port, _ = target_of(url, "")
    targets = [(target_of(url, r.query)[2], r.accept) for r in mix]
    result = LoadResult()
    counter = iter(range(requests))
    deadline = time.perf_counter() + max_seconds

    async def worker() -> None:
        conn = _Conn(host, port, source)
        try:
            for n in counter:
                if time.perf_counter() > deadline:
                    return
                target, accept = targets[n % len(targets)]
                t0 = time.perf_counter()
                try:
                    status, data = await conn.get(target, accept)
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    conn.close()
                    result.errors += 1
                    continue
                dt = time.perf_counter() - t0
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if status == 200:
                    result.latencies.append(dt)
                    result.bytes += len(data)
                else:
                    result.errors += 1
        finally:
            conn.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    result.elapsed = time.perf_counter() - t0
    return result


def run_load(
    url: str,
    mix: list[Request],
    *,
    requests: int,
    concurrency: int,
    max_seconds: float = 60.0,
    source: str | None = None,
) -> LoadResult:
    """Send `requests` GETs (the mix round-robin) over `concurrency` keep-alive connections."""
    return asyncio.run(_run(url, mix, requests, concurrency, max_seconds, source))


def fetch(
    url: str, req: Request, timeout: float = 60.0, source: str | None = None
) -> tuple[int, bytes]:
    """One request (for checks): status and body."""

    async def one() -> tuple[int, bytes]:
        host, port, target = target_of(url, req.query)
        conn = _Conn(host, port, source)
        try:
            return await asyncio.wait_for(conn.get(target, req.accept), timeout)
        finally:
            conn.close()

    return asyncio.run(one())
