"""Run endpoint queries in worker processes, with a time limit and fair admission.

pyoxigraph releases the GIL while it evaluates (other threads keep running), but a query that
aggregates a huge join never returns from its first step and cannot be interrupted from Python.
So the embedded stores answer queries in worker processes (forked from a forkserver; what a
worker does is in graph/stores/worker.py): a worker answers one job at a time and is killed and
replaced (in the background, a spare is kept ready) when a query runs past the deadline or when
it crashes. The worker serialises the answer itself (graph/stores/execute.py) and sends bytes.

Admission (graph/stores/admission.py) bounds how many queries run and how many one client runs;
a query waits a little for a slot rather than being refused at once. Once admitted, a query's
time limit covers everything after: waiting for a worker to start (after a runaway query was
killed, say) counts, so a client never waits longer than the queue wait plus the time limit.

Where the web process answers the queries that proved fast itself (graph/stores/inprocess.py),
workers run at a slightly lower CPU priority than it (nice 5, `NICE_WORKER`): the event loop and
those queries come first on a small machine (elsewhere workers keep the web process's priority). A query running longer than `demote_after_s` has
its worker's priority lowered further (nice 19): the fast queries of other clients keep their
latency while the slow ones share what is left. The worker is restored (or, without the right
to raise priority again, replaced) when the query ends.

Remote stores (whose client has its own HTTP timeout) and tests may use `ThreadRunner`, which
admits the same way but cannot stop a runaway query.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import signal
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Protocol

from errors import (
    ArgraphError,
    QueryTimeout,
    StoreError,
    WorkerCrashed,
)
from graph import select_cache
from graph.store import OxigraphStore, Store
from graph.stores.admission import Admission
from graph.stores.execute import Answer, QueryJob, execute
from graph.stores.isolation import process_isolated
from graph.stores.worker import Source, error_reply, serve

__all__ = ["Answer", "ProcessPool", "QueryJob", "Runner", "ThreadRunner", "make_runner"]

log = logging.getLogger("argraph.pool")

NICE_WORKER = 5
"""how much lower a worker's CPU priority (nice) is than the web process's, where the web
process answers fast queries itself"""
NICE_SLOW = 19
PRELOAD = [
    "graph.stores.worker",
    "graph.stores.execute",
    "graph.stores.rdflib_store",
    "graph.stores.render",
    "graph.stores.page_html",
]
"""Modules the forkserver imports once, so that a new worker starts with them loaded (the
renderers of /id and /graph pages included)."""


class Runner(Protocol):
    admission: Admission

    def run(self, job: QueryJob, client: str = "") -> Answer: ...

    def status(self) -> dict[str, Any]: ...

    def close(self) -> None: ...


class ThreadRunner:
    """Runs in the calling thread; admits fairly but cannot stop a runaway query."""

    def __init__(self, store: Store, size: int, retry_after_s: int = 2, **admission: Any) -> None:
        self.store = store
        self.admission = Admission(size, retry_after_s=retry_after_s, **admission)

    def run(self, job: QueryJob, client: str = "") -> Answer:
        self.admission.enter(client)
        try:
            try:
                return execute(self.store, job)
            except Exception as exc:
                # A fresh error, without the traceback, cause or context of the failure: those
                # hold pyoxigraph's result objects, which may only be dropped in this thread (the
                # failure is freed here, when this block ends; the fresh error goes to the caller).
                _, (cls, message, detail) = error_reply(exc)
                fresh = _rebuild(cls, message, detail)
            raise fresh
        finally:
            self.admission.leave(client)

    def status(self) -> dict[str, Any]:
        return {"isolation": "thread", "network_isolated": False, **self.admission.status()}

    def close(self) -> None:
        return None


class _Worker:
    def __init__(
        self,
        ctx: Any,
        source: Source,
        isolate: bool,
        start_timeout: float,
        max_memory_bytes: int | None = None,
        base_nice: int = 0,
    ) -> None:
        self.conn, child = mp.Pipe()
        self.process = ctx.Process(
            target=serve,
            args=(child, source, isolate, max_memory_bytes, base_nice, os.getpid()),
            daemon=True,
            name="argraph-query",
        )
        self.process.start()
        child.close()
        self.niced = False
        self.base_nice = base_nice
        self.status: dict[str, Any] = {}
        try:
            if not self.conn.poll(max(start_timeout, 0.01)):
                raise EOFError(f"not ready within {start_timeout:.1f} s")
            kind, payload = self.conn.recv()
        except (OSError, EOFError) as exc:
            self.kill()
            raise StoreError(f"a query worker did not start: {exc}") from None
        if kind != "ready":
            self.kill()
            raise StoreError(f"a query worker could not open the store: {payload}")
        self.status = payload
        self.base_nice = int(payload.get("nice", base_nice))
        """the priority the worker runs at, and returns to after a slow query"""

    @property
    def pid(self) -> int:
        pid: int = self.process.pid
        return pid

    def kill(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def nice(self, value: int) -> bool:
        """Set the worker's CPU priority; False when the system does not allow it."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.pid, value)
        except OSError:
            return False
        self.niced = value > self.base_nice
        return True


def _source(store: Store, folder: Path) -> Source:
    path = getattr(store, "path", None)
    if store.kind == "oxigraph-disk" and path is not None:
        return Source("oxigraph-disk", str(path))
    dump = folder / "snapshot.nq"
    store.dump_nquads(dump)
    if isinstance(store, OxigraphStore) and store.path is None:
        # The same quads loaded from another file sit in another order (blank nodes get other
        # ids), and a query without ORDER BY answers in store order: reloaded from the workers'
        # snapshot, this process's store answers a page (LIMIT/OFFSET) exactly as they do, which
        # matters once queries that proved fast run here (graph/stores/inprocess.py).
        store.load_own_nquads(dump.read_bytes())  # as the workers load it (worker.py)
        select_cache.forget(store)
    return Source("rdflib" if store.kind == "rdflib" else "oxigraph", str(dump))


class ProcessPool:
    """Worker processes over the store (a snapshot, or the on-disk store read-only), started on
    demand and reused; killed and replaced after a timeout or a crash."""

    def __init__(
        self,
        store: Store,
        size: int,
        timeout_s: float,
        retry_after_s: int = 2,
        *,
        isolate_network: bool = True,
        require_network_isolation: bool = False,
        demote_after_s: float = 0.5,
        start_timeout_s: float = 120.0,
        worker_memory_mb: int | None = None,
        worker_nice: int = 0,
        **admission: Any,
    ) -> None:
        self.max_memory_bytes = worker_memory_mb * 1024**2 if worker_memory_mb else None
        self.worker_nice = worker_nice
        """added to the nice a worker inherits: how far below the web process workers run"""
        self.timeout_s = timeout_s
        self.retry_after_s = retry_after_s
        self.admission = Admission(size, retry_after_s=retry_after_s, **admission)
        self.size = size
        self.max_workers = size + 1
        """one spare beyond the slots: a query that comes while every other worker is busy, or
        just after a kill, finds a worker ready rather than waiting for one to start"""
        self.isolate = isolate_network
        self.require_isolation = require_network_isolation
        self.demote_after_s = demote_after_s
        self.start_timeout_s = start_timeout_s
        self._tmp = tempfile.TemporaryDirectory(prefix="argraph-pool-")
        self.source = _source(store, Path(self._tmp.name))
        # forkserver: a worker forks from a server that has imported pyoxigraph already (about
        # 0.2 s to start, against 1-1.5 s spawned), and never inherits the web server's threads.
        self._ctx = mp.get_context("forkserver")
        self._ctx.set_forkserver_preload(PRELOAD)
        self._idle: list[_Worker] = []
        self._lock = threading.Condition()
        self._closed = False
        self._spawners: list[threading.Thread] = []
        self._workers = 0
        """workers alive or starting"""
        self.kills = 0
        self.crashes = 0
        self.network_isolated: bool | None = None
        self.isolation_problem: str | None = None
        # The first worker starts now, in the caller: a store that cannot be opened, or a
        # network that cannot be cut when that is required, fails here rather than on a query.
        try:
            first = self._start(self.start_timeout_s)
        except BaseException:
            self._tmp.cleanup()
            raise
        with self._lock:
            self._workers += 1
            self._idle.append(first)

    def _start(self, timeout: float) -> _Worker:
        worker = _Worker(
            self._ctx, self.source, self.isolate, timeout, self.max_memory_bytes, self.worker_nice
        )
        isolated = bool(worker.status.get("isolated"))
        if self.network_isolated is None or (self.network_isolated and not isolated):
            self.network_isolated = isolated
            self.isolation_problem = worker.status.get("problem")
            if not isolated:
                log.warning("query workers are NOT network-isolated: %s", self.isolation_problem)
                if self.require_isolation:
                    worker.kill()
                    raise StoreError(
                        "require_network_isolation is set, but query workers cannot leave the "
                        f"network: {self.isolation_problem}"
                    )
            else:
                log.info("query workers run without a network (own network namespace)")
        return worker

    def _spawn_spare(self, replacement: bool = False) -> None:
        """Start a worker in the background: a spare when none is idle and none is starting
        (one at a time: a burst of requests does not start a worker each), or the replacement
        of one killed (at once, beside others: after a kill, every query wants a worker)."""
        with self._lock:
            if self._closed or self._workers >= self.max_workers:
                return
            if not replacement and (self._idle or self._spawners):
                return
            self._workers += 1
            thread = threading.Thread(target=self._add_spare, daemon=True, name="argraph-spawn")
            self._spawners.append(thread)
        thread.start()

    def _lost(self, worker: _Worker) -> None:
        """Kill a worker (timed out, crashed or broken) and start its replacement."""
        worker.kill()
        with self._lock:
            self._workers -= 1
            self._lock.notify_all()
        self._spawn_spare(replacement=True)

    def _add_spare(self) -> None:
        worker: _Worker | None = None
        try:
            worker = self._start(self.start_timeout_s)
        except Exception:  # a spare that cannot start is not fatal: queries start their own
            log.warning("a spare query worker did not start", exc_info=True)
        with self._lock:
            self._spawners.remove(threading.current_thread())
            if worker is None:
                self._workers -= 1
            elif not self._closed:
                self._idle.append(worker)
                worker = None
            self._lock.notify_all()
        if worker is not None:
            worker.kill()

    def _timeout(self, message: str) -> QueryTimeout:
        return QueryTimeout(
            message.format(limit=f"{self.timeout_s:g} s"),
            timeout_s=self.timeout_s,
            retry_after=self.retry_after_s,
        )

    def _leaves_last(self, client: str) -> bool:
        """True when taking an idle worker would take the last one from a client that already
        runs other queries while replacements are starting: it waits for one of those instead,
        and the last idle worker stays for a client with nothing running (after a runaway
        client's queries are killed, its next ones do not take the fast client's worker)."""
        return len(self._idle) == 1 and bool(self._spawners) and self.admission.running[client] > 1

    def _take(self, deadline: float, client: str = "") -> _Worker:
        """An idle worker, or one started for this query; waiting counts in the deadline."""
        with self._lock:
            while (
                not self._idle and (self._spawners or self._workers >= self.max_workers)
            ) or self._leaves_last(client):
                # a worker already starting is ready sooner than a new one
                left = deadline - time.monotonic()
                if left <= 0:
                    raise self._timeout(
                        "no query worker was ready within the time limit of {limit}"
                    )
                self._lock.wait(left)
            if self._idle:
                worker = self._idle.pop()
            else:
                self._workers += 1
                worker = None
        if worker is None:
            try:
                worker = self._start(deadline - time.monotonic())
            except StoreError:
                with self._lock:
                    self._workers -= 1
                if time.monotonic() >= deadline:
                    raise self._timeout(
                        "no query worker was ready within the time limit of {limit}"
                    ) from None
                raise
        self._spawn_spare()
        return worker

    def _wait(self, worker: _Worker, deadline: float) -> bool:
        """Wait for the worker's reply until the deadline, lowering its priority once slow."""
        first = min(self.demote_after_s, deadline - time.monotonic())
        if worker.conn.poll(max(first, 0)):
            return True
        if time.monotonic() >= deadline:
            return False
        worker.nice(NICE_SLOW)
        return worker.conn.poll(max(deadline - time.monotonic(), 0))

    def run(self, job: QueryJob, client: str = "") -> Answer:
        self.admission.enter(client)
        try:
            deadline = time.monotonic() + self.timeout_s
            worker = self._take(deadline, client)
            try:
                worker.conn.send(job)
                ready = self._wait(worker, deadline)
            except (OSError, EOFError) as exc:
                self._lost(worker)
                raise StoreError(f"a query worker failed: {exc}") from None
            if not ready:
                self.kills += 1
                self._lost(worker)
                raise self._timeout("the query ran longer than {limit} and was stopped")
            try:
                reply = worker.conn.recv()
            except (OSError, EOFError):
                raise self._crashed(worker) from None
            self._release(worker)
            return self._outcome(reply)
        finally:
            self.admission.leave(client)

    async def run_async(self, job: QueryJob, client: str = "") -> Answer | None:
        """`run` on the event loop when a slot and an idle worker are free right now (no thread
        hop: graph/stores/fastpath.py); None when the job must wait (then call `run` in a
        thread)."""
        from graph.stores import fastpath

        return await fastpath.run(self, job, client)

    def _try_take(self, client: str = "") -> _Worker | None:
        with self._lock:
            if not self._idle or self._leaves_last(client):
                return None
            worker = self._idle.pop()
        self._spawn_spare()
        return worker

    @staticmethod
    def _outcome(reply: tuple[str, Any]) -> Answer:
        status, payload = reply
        if status == "error":
            cls, message, detail = payload
            raise _rebuild(cls, message, detail)
        result: Answer = payload
        return result

    def _crashed(self, worker: _Worker) -> WorkerCrashed:
        worker.process.join(2)
        code = worker.process.exitcode
        self.crashes += 1
        self._lost(worker)
        if code is not None and code < 0:
            try:
                how = f"killed by {signal.Signals(-code).name}"
            except ValueError:
                how = f"killed by signal {-code}"
        else:
            how = f"exit status {code}"
        log.warning("a query worker crashed (%s); replaced", how)
        cap = ""
        if self.max_memory_bytes:
            cap = f"; a worker may use {self.max_memory_bytes // 1024**2} MB of memory"
        return WorkerCrashed(
            f"the query worker crashed while running this query ({how}{cap}) and was "
            "replaced; the query engine cannot run this query",
            exit=how,
        )

    def _release(self, worker: _Worker) -> None:
        if worker.niced and not worker.nice(worker.base_nice):
            # without the right to raise a priority again, a fresh worker replaces a slow one
            self._lost(worker)
            return
        with self._lock:
            if not self._closed:
                self._idle.append(worker)
                self._lock.notify_all()
                return
        _stop(worker)  # the pool was closed while it ran a query: it ends now, not at exit

    def status(self) -> dict[str, Any]:
        with self._lock:
            workers = self._workers
        return {
            "isolation": "process",
            "network_isolated": bool(self.network_isolated),
            "network_isolation_problem": self.isolation_problem,
            "workers": workers,
            "killed": self.kills,
            "crashed": self.crashes,
            **self.admission.status(),
        }

    def close(self) -> None:
        with self._lock:
            self._closed = True
            spawners = list(self._spawners)
        for thread in spawners:
            thread.join(60)
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            _stop(worker)
        # (a worker running a query now ends when its query does: `_release`, or `_lost` at the
        # query's time limit)
        self._tmp.cleanup()


def _stop(worker: _Worker) -> None:
    """Ask a worker to end, and kill it when it has not within 2 s."""
    with contextlib.suppress(OSError):
        worker.conn.send(None)
    worker.process.join(2)
    if worker.process.is_alive():
        worker.kill()
    else:
        worker.conn.close()


def _rebuild(cls: type[ArgraphError], message: str, detail: dict[str, Any]) -> ArgraphError:
    exc = cls.__new__(cls)
    ArgraphError.__init__(exc, message, **detail)
    return exc


def make_runner(
    store: Store,
    *,
    isolation: str,
    size: int,
    timeout_s: float,
    retry_after_s: int,
    **options: Any,
) -> Runner:
    """A process pool for the embedded stores under `isolation="process"`, else threads.
    `options`: admission (`per_client`, `queue_wait_s`, `max_queue`) and, for the pool,
    `isolate_network`, `require_network_isolation`, `demote_after_s`, `worker_memory_mb`."""
    admission = {k: options[k] for k in ("per_client", "queue_wait_s", "max_queue") if k in options}
    if isolation == "process" and store.kind in ("oxigraph", "oxigraph-disk", "rdflib"):
        if store.kind != "rdflib" and process_isolated():
            # this process has no network either: queries that proved fast run here, first
            from graph.stores.inprocess import InProcess

            pool = ProcessPool(
                store, size, timeout_s, retry_after_s, worker_nice=NICE_WORKER, **options
            )
            return InProcess(pool, store)
        return ProcessPool(store, size, timeout_s, retry_after_s, **options)
    return ThreadRunner(store, size, retry_after_s, **admission)
