"""Queries that proved fast run in the web process, and only where it has left the network.

The web process binds its listening socket, then enters a network namespace of its own
(`listen_then_isolate`): the socket keeps accepting, nothing it opens reaches out. The process
is a child here (a test must not take pytest's own process off the network). A query that gets
past the guard with SERVICE to a loopback listener, run on the in-process path, reaches nothing:
the listener sees no connection. A process that is not isolated never runs queries itself."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from graph.store import OxigraphStore
from graph.stores import isolation
from graph.stores.execute import Answer, QueryJob
from graph.stores.inprocess import InProcess
from graph.stores.pool import NICE_WORKER, ProcessPool, make_runner
from tests.conftest import Built

REPO = Path(__file__).resolve().parent.parent


class Listener:
    """A loopback TCP listener that counts the connections it accepts."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()


@contextmanager
def listening() -> Iterator[Listener]:
    listener = Listener()
    try:
        yield listener
    finally:
        listener.sock.close()


CHILD = r"""
import json, sys
from pathlib import Path

import anyio

from graph.stores.isolation import listen_then_isolate, process_isolated

sock, problem = listen_then_isolate("127.0.0.1", 0)
print(json.dumps({"port": sock.getsockname()[1], "problem": problem}), flush=True)
conn, _ = sock.accept()  # the socket bound before leaving still accepts
conn.sendall(b"still listening")
conn.close()
try:
    socket_out = __import__("socket").create_connection(("127.0.0.1", int(sys.argv[2])), 5)
    reached = True
except OSError:
    reached = False

from errors import ArgraphError
from graph.store import OxigraphStore
from graph.stores.pool import QueryJob, make_runner

store = OxigraphStore()
store.load_nquads(Path(sys.argv[1]))
runner = make_runner(store, isolation="process", size=2, timeout_s=10.0, retry_after_s=1)
runner.max_seconds = runner.evict_after = 60.0  # a busy machine: learn whatever answered
url = f"http://127.0.0.1:{sys.argv[2]}"
out = {"runner": type(runner).__name__, "isolated": process_isolated(), "reached": reached}
out["worker_nice"] = runner.pool.worker_nice


def outcome(run, job):
    try:
        return ["ok", run(job).body.decode()]
    except ArgraphError as exc:
        return ["error", exc.status]
    except OSError as exc:
        return ["oserror", str(exc)]


lookup = QueryJob("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", None, None, 100)
silent = QueryJob(f"SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}", None, None, 100)
loud = QueryJob(f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}", None, None, 100)
out["worker"] = [outcome(runner.run, job) for job in (lookup, silent, loud)]
before = runner.answered
# the same jobs again: the fast ones now run here (the thread path and the event loop's)
out["here"] = [outcome(runner.run, job) for job in (lookup, silent, loud)]
out["loop"] = outcome(lambda job: anyio.run(runner.run_async, job), lookup)
out["answered_here"] = runner.answered - before
# SERVICE past the guard and past the learning: forced onto the in-process path
out["forced"] = outcome(lambda job: runner._here(job, ("forced",)), loud)
out["status"] = runner.status()
runner.close()
print(json.dumps(out), flush=True)
"""


def test_the_isolated_web_process_runs_fast_queries_itself_and_reaches_nothing(
    mini_built: Built,
) -> None:
    with listening() as listener:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(mini_built.dist / "graph.nq"), str(listener.port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        try:
            assert child.stdout is not None
            first = json.loads(child.stdout.readline())
            assert first["problem"] is None, first
            with socket.create_connection(("127.0.0.1", first["port"]), timeout=30) as conn:
                assert conn.recv(100) == b"still listening"
            out, err = child.communicate(timeout=120)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
        assert child.returncode == 0, err
        result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
        assert listener.connections == 0, result
    assert result["reached"] is False
    assert result["runner"] == "InProcess" and result["isolated"] is True
    assert result["worker_nice"] == NICE_WORKER  # the fast queries here come first
    lookup, silent, loud = result["worker"]
    assert lookup[0] == "ok" and silent[0] == "ok", result
    assert loud[0] == "error" and 400 <= loud[1] < 600, result
    # the same answers from this process
    assert result["here"][:2] == [lookup, silent]
    assert result["loop"] == lookup
    assert result["here"][2][0] == "error"
    assert result["answered_here"] == 3  # lookup twice, SERVICE SILENT once; never the failure
    assert result["forced"][0] in ("error", "oserror"), result
    assert result["status"]["in_process"]["network_isolated"] is True


def test_a_process_with_threads_is_not_isolated_and_keeps_its_network() -> None:
    stop = threading.Event()
    helper = threading.Thread(target=stop.wait, daemon=True)
    helper.start()
    try:
        before = isolation.network_namespace()
        problem = isolation.isolate_process()
        assert problem is not None and "threads" in problem
        assert isolation.network_namespace() == before
        assert not isolation.process_isolated()
        assert isolation.process_isolation_problem() == problem
    finally:
        stop.set()
        helper.join()


def test_an_unisolated_process_sends_every_query_to_the_workers(mini_built: Built) -> None:
    store = OxigraphStore()
    store.load_nquads(mini_built.dist / "graph.nq")
    runner = make_runner(store, isolation="process", size=1, timeout_s=10.0, retry_after_s=1)
    try:
        assert isinstance(runner, ProcessPool)
        # even wrapped by hand, nothing runs here while this process has the network
        hybrid = InProcess(runner, store)
        job = QueryJob("ASK { ?s ?p ?o }", None, None, 10)
        assert hybrid.run(job) == hybrid.run(job)
        assert hybrid.answered == 0
    finally:
        runner.close()


class _Pool:
    admission = None


def test_only_fast_small_answers_are_learned() -> None:
    store = OxigraphStore()
    hybrid = InProcess(_Pool(), store, max_seconds=0.01, max_bytes=100)  # type: ignore[arg-type]
    fast = QueryJob("ASK { ?s ?p ?o }", None, None, 10)
    slow = QueryJob("ASK { ?s ?p ?o . ?o ?q ?r }", None, None, 10)
    big = QueryJob("SELECT * { ?s ?p ?o }", None, None, 10)
    hybrid.learn(fast, Answer(b"{}", "application/json", 0, seconds=0.001))
    hybrid.learn(slow, Answer(b"{}", "application/json", 0, seconds=0.5))
    hybrid.learn(big, Answer(b"x" * 101, "application/json", 0, seconds=0.001))
    long = QueryJob("ASK { ?s ?p ?o }" + " " * hybrid.max_text, None, None, 10)
    hybrid.learn(long, Answer(b"{}", "application/json", 0, seconds=0.001))
    assert hybrid.known == 1
    # another dataset, format or cap is another job
    other = QueryJob("ASK { ?s ?p ?o }", ["urn:g"], None, 10)
    assert hybrid._took(("x",)) is None
    from graph.stores.inprocess import key_of

    assert hybrid._took(key_of(fast)) == pytest.approx(0.001)
    assert hybrid._took(key_of(other)) is None
    hybrid._forget(key_of(fast))
    assert hybrid._took(key_of(fast)) is None and hybrid.forgotten == 1
