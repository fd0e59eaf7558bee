"""Queries that proved fast run in the web process itself, when it has no network.

A round trip to a query worker costs more than a small query: on one core, the pipe, two
context switches and the worker's cold caches cost several times the query (an IRI lookup:
about 0.05 ms of engine time, 0.5 ms of worker time). So a query whose answer a worker wrote
quickly and small (`max_seconds`, `max_bytes`) is remembered (its text, dataset, format and
caps), and when it comes again it runs on the web process's own store: in a thread of a small
pool, as the thread runner would, or, when it took less than `inline_seconds` (a lookup), on the
event loop itself, which costs less than handing it to a thread (it holds the loop about as long
as parsing its request does). Everything else, and every first run, goes to the workers,
which keep the time limit, the memory cap and the priority of slow queries.

Why this is safe to do:
- Only where the web process has left the network (graph/stores/isolation.py
  `listen_then_isolate`, checked for each thread that runs a query): a query that got past the
  guard reaches nothing there, as in a worker. Elsewhere this runner is not used.
- Only for the embedded pyoxigraph stores: a read-only query API (no update reaches them
  through `query`), no SERVICE that can connect, results made and dropped in one thread.
- A query runs here only after a worker answered it within `max_seconds` of CPU time (the
  work it does, which a busy machine does not inflate): the same text on the same store does the
  same work, so it cannot become a runaway. It still runs under the caps of its job (rows,
  bytes), and one that takes longer here than `evict_after` times the bound in CPU time (or
  `evict_wall_s` by the clock, which a busy machine alone does not reach), or fails, is forgotten
  and goes back to the workers.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

import anyio
import anyio.to_thread

from graph.store import Store
from graph.stores.admission import Admission
from graph.stores.execute import Answer, QueryJob, execute
from graph.stores.isolation import process_isolated
from graph.stores.pool import ProcessPool

Key = tuple[Any, ...]


def key_of(job: QueryJob) -> Key:
    """Everything that decides the work a job does."""
    default = None if job.default_graphs is None else tuple(job.default_graphs)
    named = None if job.named_graphs is None else tuple(job.named_graphs)
    return (
        job.sparql,
        default,
        named,
        job.max_rows,
        job.media,
        job.max_bytes,
        job.star_order,
        job.render,
        job.extra,
    )


class InProcess:
    """A process pool, with the queries that proved fast answered in this process."""

    def __init__(
        self,
        pool: ProcessPool,
        store: Store,
        *,
        max_seconds: float = 0.01,
        inline_seconds: float = 0.0005,
        max_bytes: int = 1 << 20,
        max_known: int = 4096,
        max_text: int = 8192,
        threads: int = 4,
        evict_after: float = 4.0,
        evict_wall_s: float = 1.0,
    ) -> None:
        self.pool = pool
        self.admission: Admission = pool.admission
        self.store = store
        self.max_seconds = max_seconds
        self.inline_seconds = inline_seconds
        self.max_bytes = max_bytes
        self.max_known = max_known
        self.max_text = max_text
        """longer queries are never remembered (the memory of known jobs stays small)"""
        self.threads = threads
        self.evict_after = evict_after
        self.evict_wall_s = evict_wall_s
        self._known: OrderedDict[Key, float] = OrderedDict()
        """known fast jobs: the time each took last"""
        self._lock = threading.Lock()
        self._limiter: anyio.CapacityLimiter | None = None
        self.answered = 0
        self.forgotten = 0

    # -- what is known to be fast ------------------------------------------------------------

    def _took(self, key: Key) -> float | None:
        """The time a known fast job took (None: not known)."""
        with self._lock:
            took = self._known.get(key)
            if took is not None:
                self._known.move_to_end(key)
            return took

    def learn(self, job: QueryJob, answer: Answer) -> None:
        """Remember `job` when a worker answered it fast and small."""
        if (
            answer.seconds > self.max_seconds
            or len(answer.body) > self.max_bytes
            or len(job.sparql) > self.max_text
        ):
            return
        key = key_of(job)
        with self._lock:
            self._known[key] = answer.seconds
            self._known.move_to_end(key)
            while len(self._known) > self.max_known:
                self._known.popitem(last=False)

    def _forget(self, key: Key) -> None:
        with self._lock:
            if self._known.pop(key, None) is not None:
                self.forgotten += 1

    # -- running -----------------------------------------------------------------------------

    def _here(self, job: QueryJob, key: Key) -> Answer | None:
        """Run `job` in the calling thread; None when this thread is not isolated."""
        if not process_isolated():
            return None
        start = time.perf_counter()
        try:
            answer = execute(self.store, job)
        except Exception:
            self._forget(key)
            raise
        wall = time.perf_counter() - start
        if answer.seconds > self.evict_after * self.max_seconds or wall > self.evict_wall_s:
            self._forget(key)
        else:
            self.learn(job, answer)  # its last time decides: thread or event loop
        self.answered += 1
        return answer

    def run(self, job: QueryJob, client: str = "") -> Answer:
        """In the calling thread (the thread path): here when known fast, else by a worker."""
        key = key_of(job)
        if self._took(key) is not None:
            here = self._here(job, key)
            if here is not None:
                return here
        answer = self.pool.run(job, client)
        self.learn(job, answer)
        return answer

    async def run_async(self, job: QueryJob, client: str = "") -> Answer | None:
        """On the event loop: a known fast job in a thread of this runner; else the pool's
        fast path (None when it must wait: then call `run` in a thread)."""
        key = key_of(job)
        took = self._took(key)
        if took is not None:
            if took <= self.inline_seconds:
                here = self._here(job, key)
            else:
                if self._limiter is None:
                    self._limiter = anyio.CapacityLimiter(self.threads)
                here = await anyio.to_thread.run_sync(self._here, job, key, limiter=self._limiter)
            if here is not None:
                return here
        answer = await self.pool.run_async(job, client)
        if answer is not None:
            self.learn(job, answer)
        return answer

    @property
    def known(self) -> int:
        """How many jobs are known fast."""
        with self._lock:
            return len(self._known)

    def status(self) -> dict[str, Any]:
        known = self.known
        return {
            **self.pool.status(),
            "in_process": {
                "network_isolated": process_isolated(),
                "known_fast": known,
                "answered": self.answered,
                "forgotten": self.forgotten,
            },
        }

    def close(self) -> None:
        self.pool.close()
