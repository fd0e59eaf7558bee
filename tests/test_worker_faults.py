"""Workers answer instead of dying: a client's mistake is a 4xx, an engine failure a typed 500
from a worker that lives on, a crash a `worker_crashed` 500 and a fresh worker, a runaway query
a 503 with Retry-After; the pool keeps answering after each. The on-disk store's workers follow
a reload to the new generation."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from errors import (
    BadRequest,
    EngineError,
    QueryTimeout,
    WorkerCrashed,
)
from graph.store import OxigraphStore
from graph.stores.pool import ProcessPool, QueryJob, ThreadRunner
from graph.stores.worker import error_reply
from tests.conftest import Built

ASK = QueryJob("ASK { ?s ?p ?o }", None, None, 10)
RUNAWAY = QueryJob(
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n0 ?o }",
    None,
    None,
    10,
)
# thousands of flat OPTIONALs overflow the engine's stack: the worker dies of SIGSEGV
CRASHER = QueryJob("SELECT * {" + " OPTIONAL { ?a ?b ?c }" * 7000 + " }", None, None, 10)


@pytest.fixture(scope="module")
def pool(mini_store: OxigraphStore) -> Iterator[ProcessPool]:
    runner = ProcessPool(mini_store, 2, 2.5, retry_after_s=3)  # the runaway waits this out
    yield runner
    runner.close()


def pids(pool: ProcessPool) -> set[int]:
    return {w.pid for w in pool._idle}


def test_a_syntax_error_is_a_400_and_the_worker_lives_on(pool: ProcessPool) -> None:
    before = pool.status()["crashed"]
    with pytest.raises(BadRequest, match="syntax"):
        pool.run(QueryJob("SELECT * {", None, None, 10))
    assert pool.status()["crashed"] == before
    assert pool.run(ASK).body


def test_an_engine_failure_is_a_typed_error_not_a_dead_worker(pool: ProcessPool) -> None:
    """SERVICE fails inside a worker (it has no network): an OSError in the engine."""
    alive = pids(pool)
    crashed = pool.status()["crashed"]
    with pytest.raises(Exception) as info:
        pool.run(
            QueryJob("SELECT * { SERVICE <http://127.0.0.1:8080/> { ?s ?p ?o } }", None, None, 1)
        )
    assert getattr(info.value, "status", 0) >= 500, info.value
    assert "unreachable" in str(info.value)
    assert pool.status()["crashed"] == crashed
    assert pids(pool) & alive  # the worker that failed is idle again, not replaced


def test_every_exception_becomes_a_typed_reply() -> None:
    cases: list[tuple[BaseException, int, str]] = [
        (SyntaxError("bad"), 400, "bad_request"),
        (ValueError("bad IRI"), 400, "bad_request"),
        (RecursionError(), 400, "bad_request"),
        (OSError("disk"), 500, "engine_error"),
        (MemoryError(), 500, "engine_error"),
        (KeyError("x"), 500, "engine_error"),
    ]
    for exc, status, code in cases:
        kind, (cls, message, detail) = error_reply(exc)
        assert kind == "error" and cls.status == status and cls.code == code, exc
        assert message
    _, (cls, _, detail) = error_reply(OSError("disk full"))
    assert cls is EngineError and detail["cause"] == "OSError"


def test_a_crash_is_reported_and_the_worker_replaced(pool: ProcessPool) -> None:
    crashed = pool.status()["crashed"]
    with pytest.raises(WorkerCrashed, match="crashed") as info:
        pool.run(CRASHER)
    assert info.value.status == 500 and "SIG" in info.value.detail["exit"]
    assert pool.status()["crashed"] == crashed + 1
    assert pool.run(ASK).body == pool.run(ASK).body


def test_a_runaway_query_is_stopped_with_retry_after(pool: ProcessPool) -> None:
    kills = pool.status()["killed"]
    with pytest.raises(QueryTimeout) as info:
        pool.run(RUNAWAY)
    assert info.value.status == 503 and info.value.detail["retry_after"] == 3
    assert pool.status()["killed"] == kills + 1
    assert pool.run(ASK).body


def test_the_thread_runner_types_errors_the_same_way(mini_store: OxigraphStore) -> None:
    runner = ThreadRunner(mini_store, 2)
    with pytest.raises(BadRequest):
        runner.run(QueryJob("SELECT * {", None, None, 10))
    assert runner.run(ASK).body


def test_on_disk_workers_share_the_store_and_follow_a_reload(
    mini_built: Built, tmp_path: Path
) -> None:
    store = OxigraphStore(tmp_path / "store")
    store.load_nquads(mini_built.dist / "graph.nq")
    count = QueryJob("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }", None, None, 10)
    pool = ProcessPool(store, 2, 10.0)
    try:
        assert pool.source.kind == "oxigraph-disk"
        assert not (tmp_path / "store" / "snapshot.nq").exists()
        assert not any(Path(pool._tmp.name).iterdir())  # no snapshot written
        assert str(len(store)).encode() in pool.run(count).body
        bigger = tmp_path / "bigger.nq"
        extra = "".join(f'<urn:s:{i}> <urn:p> "{i}" <urn:g:extra> .\n' for i in range(50))
        bigger.write_text((mini_built.dist / "graph.nq").read_text("utf-8") + extra, "utf-8")
        store.load_nquads(bigger)  # a new generation; the old one is deleted
        assert str(len(store)).encode() in pool.run(count).body
    finally:
        pool.close()


def test_a_query_past_the_memory_cap_ends_its_worker_not_the_service(
    mini_store: OxigraphStore,
) -> None:
    """A worker may take `worker_memory_mb` beyond its store; a query that needs more is stopped (the
    engine aborts, or Python raises MemoryError) and the pool answers for it."""
    pad = "x" * 4000
    hog = QueryJob(
        f'SELECT (GROUP_CONCAT(CONCAT("{pad}", STR(?a), STR(?b))) AS ?x) '
        "WHERE { ?a ?p ?o . ?b ?q ?r }",
        None,
        None,
        10,
    )
    pool = ProcessPool(mini_store, 1, 60.0, worker_memory_mb=200)
    try:
        with pytest.raises((WorkerCrashed, EngineError)) as info:
            pool.run(hog)
        assert info.value.status == 500
        assert pool.run(ASK).body
    finally:
        pool.close()


def test_a_worker_busy_when_the_pool_closes_ends_with_its_query(mini_store: OxigraphStore) -> None:
    """close() stops the idle workers at once; one that is running a query then ends when the
    query does, instead of waiting idle in a closed pool until the process exits."""
    pool = ProcessPool(mini_store, 1, 10.0)
    busy = pool._take(time.monotonic() + 10)  # as run() takes it for a query
    idle = list(pool._idle)
    pool.close()
    assert all(not w.process.is_alive() for w in idle)
    assert busy.process.is_alive()
    pool._release(busy)  # its query answered
    assert not busy.process.is_alive()
    assert pool._idle == []
