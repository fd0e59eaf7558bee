"""Run endpoint queries with a time limit and a bound on how many run at once.

pyoxigraph releases the GIL while it evaluates (other threads keep running), but a query that
aggregates a huge join never returns from its first step and cannot be interrupted from Python.
So the embedded stores answer /sparql in worker processes (forked from a forkserver): each worker
loads a snapshot of the store (an N-Quads dump) once, answers queries one at a time, and is
killed and replaced (in the background, a spare is kept ready) when a query runs past the
deadline. Remote stores (whose client has its own HTTP timeout) and tests
may use `ThreadRunner`, which bounds concurrency the same way but cannot stop a runaway query.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, Protocol

from argraph.graph.errors import ArgraphError, QueryTimeout, ServiceBusy, StoreError
from argraph.graph.results import QueryResult
from argraph.graph.store import OxigraphStore, Store

log = logging.getLogger("argraph.pool")


@dataclass(frozen=True, slots=True)
class QueryJob:
    sparql: str
    default_graphs: Sequence[str] | None
    named_graphs: Sequence[str] | None
    max_rows: int | None


class Runner(Protocol):
    def run(self, job: QueryJob) -> QueryResult: ...

    def close(self) -> None: ...


class _Slots:
    """A non-blocking counter: beyond `size` running queries, `ServiceBusy`."""

    def __init__(self, size: int, retry_after_s: int) -> None:
        self.size = size
        self.retry_after_s = retry_after_s
        self.active = 0
        self.lock = threading.Lock()

    def acquire(self) -> None:
        with self.lock:
            if self.active >= self.size:
                raise ServiceBusy(
                    f"{self.size} queries are already running; retry in a moment",
                    retry_after=self.retry_after_s,
                )
            self.active += 1

    def release(self) -> None:
        with self.lock:
            self.active -= 1


class ThreadRunner:
    """Runs in the calling thread; bounds concurrency only."""

    def __init__(self, store: Store, size: int, retry_after_s: int = 2) -> None:
        self.store = store
        self.slots = _Slots(size, retry_after_s)

    def run(self, job: QueryJob) -> QueryResult:
        self.slots.acquire()
        try:
            return self.store.query(
                job.sparql,
                default_graphs=job.default_graphs,
                named_graphs=job.named_graphs,
                max_rows=job.max_rows,
            )
        finally:
            self.slots.release()

    def close(self) -> None:
        return None


def _open_snapshot(kind: str, dump: str) -> Store:
    store: Store
    if kind == "rdflib":
        from argraph.graph.stores.rdflib_store import RdflibStore

        store = RdflibStore()
    else:
        store = OxigraphStore()
    store.load_nquads(Path(dump))
    return store


def _serve(conn: Connection, kind: str, dump: str) -> None:
    """A worker's main loop: one job in, one ("ok", result) or ("error", ...) out."""
    store = _open_snapshot(kind, dump)
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        try:
            result = store.query(
                job.sparql,
                default_graphs=job.default_graphs,
                named_graphs=job.named_graphs,
                max_rows=job.max_rows,
            )
            conn.send(("ok", result))
        except ArgraphError as exc:
            conn.send(("error", (type(exc), exc.message, exc.detail)))


class _Worker:
    def __init__(self, ctx: Any, kind: str, dump: str, start_timeout: float) -> None:
        self.conn, child = mp.Pipe()
        self.process: BaseProcess = ctx.Process(
            target=_serve, args=(child, kind, dump), daemon=True, name="argraph-query"
        )
        self.process.start()
        child.close()
        try:
            if not self.conn.poll(start_timeout):
                raise EOFError("no answer")
            self.conn.recv()
        except (OSError, EOFError) as exc:
            self.kill()
            raise StoreError(f"a query worker did not start: {exc}") from None

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class ProcessPool:
    """Worker processes over a snapshot of the store, started on demand and reused."""

    def __init__(self, store: Store, size: int, timeout_s: float, retry_after_s: int = 2) -> None:
        self.kind = "rdflib" if store.kind == "rdflib" else "oxigraph"
        self.timeout_s = timeout_s
        self.slots = _Slots(size, retry_after_s)
        self._tmp = tempfile.TemporaryDirectory(prefix="argraph-pool-")
        self.dump = str(Path(self._tmp.name) / "snapshot.nq")
        store.dump_nquads(Path(self.dump))
        # forkserver: a worker forks from a server that has imported pyoxigraph already (about
        # 0.2 s to start, against 1-1.5 s spawned), and never inherits the web server's threads.
        self._ctx = mp.get_context("forkserver")
        self._ctx.set_forkserver_preload(["argraph.graph.stores.pool"])
        self._idle: list[_Worker] = []
        self._lock = threading.Condition()
        self._closed = False
        self._spawners: list[threading.Thread] = []
        self._workers = 0
        """workers alive or starting"""
        self.kills = 0
        # A spare worker is started in the background whenever none is idle, and a replacement
        # for each one killed: the query after a runaway one does not wait for a worker to start.
        self._spawn_spare()

    def _spawn_spare(self) -> None:
        with self._lock:
            if self._closed or self._idle or self._workers >= self.slots.size:
                return
            self._workers += 1
            thread = threading.Thread(target=self._add_spare, daemon=True, name="argraph-spawn")
            self._spawners.append(thread)
        thread.start()

    def _lost(self, worker: _Worker) -> None:
        """Kill a worker (timed out or broken) and start its replacement."""
        worker.kill()
        with self._lock:
            self._workers -= 1
        self._spawn_spare()

    def _add_spare(self) -> None:
        worker: _Worker | None = None
        try:
            worker = _Worker(self._ctx, self.kind, self.dump, start_timeout=60)
        except Exception:  # a spare that cannot start is not fatal: queries start their own
            log.warning("a spare query worker did not start", exc_info=True)
        with self._lock:
            self._spawners.remove(threading.current_thread())
            if worker is None:
                self._workers -= 1
            elif not self._closed:
                self._idle.append(worker)
                worker = None
            self._lock.notify()
        if worker is not None:
            worker.kill()

    def _take(self) -> _Worker:
        with self._lock:
            if not self._idle and self._spawners:
                # a worker already starting is ready sooner than a new one
                self._lock.wait_for(lambda: self._idle or not self._spawners, timeout=60)
            worker = self._idle.pop() if self._idle else None
        if worker is None:
            worker = _Worker(self._ctx, self.kind, self.dump, start_timeout=60)
            with self._lock:
                self._workers += 1
        self._spawn_spare()
        return worker

    def run(self, job: QueryJob) -> QueryResult:
        self.slots.acquire()
        try:
            worker = self._take()
            try:
                worker.conn.send(job)
                ready = worker.conn.poll(self.timeout_s)
            except (OSError, EOFError) as exc:
                self._lost(worker)
                raise StoreError(f"a query worker failed: {exc}") from None
            if not ready:
                self.kills += 1
                self._lost(worker)
                raise QueryTimeout(
                    f"the query ran longer than {self.timeout_s:g} s and was stopped",
                    timeout_s=self.timeout_s,
                )
            try:
                status, payload = worker.conn.recv()
            except (OSError, EOFError):
                self._lost(worker)
                raise StoreError("a query worker died while answering") from None
            with self._lock:
                self._idle.append(worker)
            if status == "error":
                cls, message, detail = payload
                raise _rebuild(cls, message, detail)
            result: QueryResult = payload
            return result
        finally:
            self.slots.release()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            spawners = list(self._spawners)
        for thread in spawners:
            thread.join(60)
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
            worker.process.join(2)
            if worker.process.is_alive():
                worker.kill()
        self._tmp.cleanup()


def _rebuild(cls: type[ArgraphError], message: str, detail: dict[str, Any]) -> ArgraphError:
    exc = cls.__new__(cls)
    ArgraphError.__init__(exc, message, **detail)
    return exc


def make_runner(
    store: Store, *, isolation: str, size: int, timeout_s: float, retry_after_s: int
) -> Runner:
    if isolation == "process" and store.kind in ("oxigraph", "oxigraph-disk", "rdflib"):
        return ProcessPool(store, size, timeout_s, retry_after_s)
    return ThreadRunner(store, size, retry_after_s)
