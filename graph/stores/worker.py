"""A query worker process: it opens its store, then answers one job at a time, forever.

At start the worker leaves the network (graph/stores/isolation.py) and, on the rdflib store,
replaces rdflib's SERVICE evaluation with one that raises. Then it opens its store:

- in-memory stores (`oxigraph`, `rdflib`): a private copy, loaded from an N-Quads snapshot the
  pool wrote once;
- the on-disk store (`oxigraph-disk`): the same store the web process serves, opened read-only,
  so start-up does not grow with the corpus and N workers do not hold N copies. A reload makes a
  new generation (graph/store.py): before each job the worker compares the `live` link with the
  generation it opened and reopens when it changed.

A worker does not outlive the process that started it (its owner: the web process). Its
parent is the forkserver, which lives on while any worker does, so it watches its owner
itself, in a thread (pyoxigraph releases the GIL while it evaluates): when the owner is gone (a
crash, the OOM killer, a SIGKILL), the worker exits at once, instead of running a runaway query
to its end with nobody left to stop it.

Every exception becomes an answer: the typed errors of errors/__init__.py as they are, the engine's
syntax and value errors as 400, anything else as a 500 `engine_error` that names it. The worker
never dies of a query it can answer; one that crashes (a signal) is replaced by the pool.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from errors import ArgraphError, BadRequest, EngineError
from graph.store import LIVE, OxigraphStore, Store
from graph.stores.execute import Answer, QueryJob, execute
from graph.stores.isolation import isolate_network

Reply = tuple[str, Any]


@dataclass(frozen=True, slots=True)
class Source:
    """What a worker opens: `kind` is the store's kind; `path` an N-Quads snapshot (in-memory
    kinds) or the root of the on-disk store."""

    kind: str
    path: str


class _Opened:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.generation = ""
        self.store = self._open()

    def _live(self) -> str:
        return os.readlink(Path(self.source.path) / LIVE)

    def _open(self) -> Store:
        source = self.source
        if source.kind == "oxigraph-disk":
            self.generation = self._live()
            return OxigraphStore(Path(source.path), read_only=True)
        if source.kind == "rdflib":
            from graph.stores.rdflib_store import RdflibStore

            store = RdflibStore()
            store.load_nquads(Path(source.path))
            return store
        # the pool's snapshot (pool.py), written by the service's own store into its own folder:
        # loaded leniently, as the service's store reloads it, so both answer in one order
        oxigraph = OxigraphStore()
        oxigraph.load_own_nquads(Path(source.path).read_bytes())
        return oxigraph

    def current(self) -> Store:
        """The store, reopened first when the on-disk store has a new live generation."""
        if self.source.kind == "oxigraph-disk" and self._live() != self.generation:
            self.store = self._open()
        return self.store


def error_reply(exc: BaseException) -> Reply:
    """A typed error for any exception a job raised."""
    err: ArgraphError
    if isinstance(exc, ArgraphError):
        err = exc
    elif isinstance(exc, SyntaxError):
        err = BadRequest(f"SPARQL syntax error: {exc}")
    elif isinstance(exc, RecursionError):
        err = BadRequest("the query is nested too deeply for the query engine")
    elif isinstance(exc, ValueError | UnicodeError):
        err = BadRequest(f"the query engine refused the query: {exc}")
    elif isinstance(exc, MemoryError):
        err = EngineError("the query engine ran out of memory on this query", cause="MemoryError")
    else:
        name = type(exc).__name__
        err = EngineError(f"the query engine failed: {name}: {exc}", cause=name)
    return ("error", (type(err), err.message, err.detail))


def answer(opened: _Opened, job: QueryJob) -> Reply:
    try:
        result: Answer = execute(opened.current(), job)
    except Exception as exc:  # every failure is an answer; see the module docstring
        return error_reply(exc)
    return ("ok", result)


def _data_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmData:"):
            return int(line.split()[1]) * 1024
    return 0


def limit_memory(max_bytes: int | None) -> None:
    """Let this process's data memory (heap and private writable mappings: RLIMIT_DATA) grow by
    at most `max_bytes` beyond what it holds now, the opened store included. The engine (Rust)
    aborts on an allocation past the cap, Python raises MemoryError: either way the query ends
    there and the pool answers for it."""
    if max_bytes is None:
        return
    import resource

    cap = _data_bytes() + max_bytes
    resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))


OWNER_POLL_S = 0.5
"""how often a worker looks for its owner where the system cannot tell it (no pidfd)"""


def _exit_when_gone(owner: int) -> None:
    """Wait until the process `owner` ends, then end this one at once."""
    try:
        fd = os.pidfd_open(owner)
    except ProcessLookupError:
        os._exit(0)
    except (AttributeError, OSError):  # no pidfd (an older system): look now and then
        while True:
            try:
                os.kill(owner, 0)
            except ProcessLookupError:
                os._exit(0)
            except OSError:
                pass  # alive, under another user
            time.sleep(OWNER_POLL_S)
    waiter = select.poll()  # poll, not select: no limit on the descriptor's number
    waiter.register(fd, select.POLLIN)
    while not waiter.poll():  # readable once the process has ended
        pass
    os._exit(0)


def watch_owner(owner: int | None) -> None:
    """End this process when `owner` does (see the module docstring)."""
    if owner is not None:
        threading.Thread(target=_exit_when_gone, args=(owner,), daemon=True).start()


def serve(
    conn: Connection,
    source: Source,
    isolate: bool,
    max_memory_bytes: int | None = None,
    nice: int = 0,
    owner: int | None = None,
) -> None:
    """A worker's main loop: ("ready", status) once, then one job in, one reply out. `owner`
    is the pid of the process the worker must not outlive."""
    problem = isolate_network() if isolate else "network isolation switched off"
    watch_owner(owner)  # after: a process must be single-threaded to enter a user namespace
    if source.kind == "rdflib":
        from graph.stores.rdflib_store import refuse_service

        refuse_service()
    try:
        opened = _Opened(source)
        limit_memory(max_memory_bytes)
    except Exception as exc:
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    if nice:  # below the web process (graph/stores/pool.py)
        with contextlib.suppress(OSError):
            os.nice(nice)
    status = {"pid": os.getpid(), "isolated": problem is None, "problem": problem}
    conn.send(("ready", {**status, "nice": os.getpriority(os.PRIO_PROCESS, 0)}))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        reply = answer(opened, job)
        try:
            conn.send(reply)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            conn.send(error_reply(exc))
