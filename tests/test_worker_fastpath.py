"""The event-loop path to a worker (graph/stores/fastpath.py) answers as the thread path does:
the same bytes, the same typed errors (400, crash, time limit), large answers read whole; and it
steps aside (None) when a query would have to wait for a slot or a worker."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from errors import BadRequest, QueryTimeout, WorkerCrashed
from graph.store import OxigraphStore
from graph.stores.execute import Answer
from graph.stores.pool import ProcessPool, QueryJob
from tests.api_fixtures import run_in_own_loop

ASK = QueryJob("ASK { ?s ?p ?o }", None, None, 10)
ALL = QueryJob("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o", None, None, 100_000)
CRASHER = QueryJob("SELECT * {" + " OPTIONAL { ?a ?b ?c }" * 7000 + " }", None, None, 10)
RUNAWAY = QueryJob(
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n0 ?o }",
    None,
    None,
    10,
)


@pytest.fixture(scope="module")
def pool(mini_store: OxigraphStore) -> Iterator[ProcessPool]:
    runner = ProcessPool(mini_store, 2, 2.5)  # the runaway below waits this out
    yield runner
    runner.close()


def fast(pool: ProcessPool, job: QueryJob, client: str = "c") -> Answer | None:
    """The fast path, once a worker is idle (a replacement may still be starting)."""
    waited = threading.Event()
    for _ in range(600):
        if pool._idle:
            break
        waited.wait(0.1)

    async def go() -> Answer | None:
        return await pool.run_async(job, client)

    result: Answer | None = run_in_own_loop(go())
    return result


def answered(pool: ProcessPool, job: QueryJob) -> Answer:
    answer = fast(pool, job)
    assert answer is not None, "an idle worker and a free slot: the fast path answers"
    return answer


def test_the_same_answer_as_the_thread_path(pool: ProcessPool) -> None:
    assert answered(pool, ASK) == pool.run(ASK)
    assert answered(pool, ALL) == pool.run(ALL)


def test_a_large_answer_is_read_whole(pool: ProcessPool) -> None:
    pad = "x" * 3000
    big = QueryJob(
        f'SELECT ?s ?x WHERE {{ ?s ?p ?o BIND(CONCAT("{pad}", STR(?o)) AS ?x) }} ORDER BY ?s ?x',
        None,
        None,
        100_000,
    )
    answer = answered(pool, big)
    assert len(answer.body) > 1 << 20  # larger than a pipe's buffer, many times
    assert answer == pool.run(big)


def test_typed_errors_crash_and_time_limit(pool: ProcessPool) -> None:
    with pytest.raises(BadRequest):
        fast(pool, QueryJob("SELECT * {", None, None, 10))
    with pytest.raises(WorkerCrashed):
        fast(pool, CRASHER)
    status: dict[str, Any] = pool.status()
    assert status["crashed"] >= 1 and status["running"] == 0
    assert pool.run(ASK).body
    with pytest.raises(QueryTimeout):
        fast(pool, RUNAWAY)
    assert pool.run(ASK).body
    assert pool.status()["running"] == 0


def test_it_steps_aside_when_the_client_is_at_its_share(pool: ProcessPool) -> None:
    share = pool.admission.per_client
    for _ in range(share):
        assert pool.admission.try_enter("busy")
    try:
        assert fast(pool, ASK, client="busy") is None
        assert fast(pool, ASK, client="other") is not None
    finally:
        for _ in range(share):
            pool.admission.leave("busy")


def test_workers_keep_their_priority_unless_asked(
    pool: ProcessPool, mini_store: OxigraphStore
) -> None:
    """Workers run at the web process's priority, or at `worker_nice` (NICE_WORKER where the
    web process answers fast queries itself: it comes first on a busy core)."""
    from graph.stores.pool import NICE_WORKER

    pool.run(ASK)
    assert os.getpriority(os.PRIO_PROCESS, pool._idle[0].pid) == os.getpriority(os.PRIO_PROCESS, 0)
    below = ProcessPool(mini_store, 1, 5.0, worker_nice=NICE_WORKER)
    try:
        below.run(ASK)
        mine = os.getpriority(os.PRIO_PROCESS, 0)
        assert os.getpriority(os.PRIO_PROCESS, below._idle[0].pid) == min(19, mine + NICE_WORKER)
    finally:
        below.close()
