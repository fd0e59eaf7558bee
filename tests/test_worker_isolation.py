"""Defence in depth: a query that gets past the guard still cannot reach the network.

The queries here go straight to the worker pool (no guard in front), with SERVICE pointed at a
loopback listener that counts connections. On every embedded store the query is refused or
answered without it, and the listener sees no connection: the workers live in a network
namespace of their own, and the rdflib store refuses SERVICE in its own algebra as well."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from argraph import selftest
from errors import ArgraphError, QueryRefused, StoreError
from graph.store import OxigraphStore, Store
from graph.stores.pool import ProcessPool, QueryJob
from graph.stores.rdflib_store import RdflibStore, has_service
from tests.conftest import Built

STORES = ["oxigraph", "oxigraph-disk", "rdflib"]


def make_store(kind: str, dump: Path, tmp: Path) -> Store:
    store: Store
    if kind == "rdflib":
        store = RdflibStore()
    elif kind == "oxigraph-disk":
        store = OxigraphStore(tmp / "store")
    else:
        store = OxigraphStore()
    store.load_nquads(dump)
    return store


@pytest.fixture(scope="module", params=STORES)
def pool(
    request: pytest.FixtureRequest, mini_built: Built, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ProcessPool]:
    store = make_store(request.param, mini_built.dist / "graph.nq", tmp_path_factory.mktemp("s"))
    runner = ProcessPool(store, 2, 10.0)
    yield runner
    runner.close()


def service_queries(url: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"ASK {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}/x> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}/y> {{ ?s ?p ?o }} }} }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    ]


def test_workers_live_in_a_network_namespace_of_their_own(pool: ProcessPool) -> None:
    status = pool.status()
    assert status["network_isolated"], status["network_isolation_problem"]
    worker = pool._idle[0]
    assert os.readlink(f"/proc/{worker.pid}/ns/net") != os.readlink("/proc/self/ns/net")


def test_service_from_inside_a_worker_never_connects(pool: ProcessPool) -> None:
    with selftest.listening() as listener:
        for query in service_queries(listener.url):
            try:
                answer = pool.run(QueryJob(query, None, None, 100))
            except ArgraphError as exc:
                assert 400 <= exc.status < 600, (query, exc)
                if pool.source.kind == "rdflib":
                    assert isinstance(exc, QueryRefused), (query, exc)
            else:  # SERVICE SILENT, EXISTS: an answer, made without the other server
                assert answer.body, query
        # the same query the listener did see from an unisolated engine (the control below)
        assert listener.connections == 0
    # the worker that refused is still the one answering
    assert pool.status()["crashed"] == 0
    assert pool.run(QueryJob("ASK { ?s ?p ?o }", None, None, 10)).body


def test_the_control_an_unisolated_engine_does_connect() -> None:
    """Without the namespace, pyoxigraph follows SERVICE: a count of zero above means something."""
    store = OxigraphStore()
    with selftest.listening() as listener:
        with pytest.raises(OSError):
            solutions = store.store.query(
                f"SELECT * {{ SERVICE <{listener.url}/sparql> {{ ?s ?p ?o }} }}"
            )
            assert isinstance(solutions, ox.QuerySolutions)
            list(solutions)
        assert listener.connections >= 1


def test_the_rdflib_store_finds_service_anywhere_in_the_algebra() -> None:
    from rdflib.plugins.sparql import prepareQuery

    for query in service_queries("http://127.0.0.1:9"):
        assert has_service(prepareQuery(query).algebra), query
    assert not has_service(prepareQuery("SELECT * { ?s ?p ?o OPTIONAL { ?o ?q ?r } }").algebra)
    with pytest.raises(QueryRefused):
        RdflibStore().query("ASK { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")


def test_a_pool_that_must_be_isolated_refuses_to_start_without_it(
    mini_store: OxigraphStore,
) -> None:
    """Where the kernel refuses a namespace (simulated: isolation switched off), the pool says
    so in its status, and `require_network_isolation` turns it into a start-up failure."""
    loose = ProcessPool(mini_store, 1, 10.0, isolate_network=False)
    try:
        status = loose.status()
        assert status["network_isolated"] is False
        assert "switched off" in status["network_isolation_problem"]
    finally:
        loose.close()
    with pytest.raises(StoreError, match="require_network_isolation"):
        ProcessPool(mini_store, 1, 10.0, isolate_network=False, require_network_isolation=True)


FALLBACK = """
import socket, sys
from graph.stores.isolation import CLONE_NEWNET, CLONE_NEWUSER, _unshare, network_namespace
before = network_namespace()
assert _unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0
assert network_namespace() != before
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
except OSError:
    print("refused")
"""


def test_the_user_namespace_fallback_also_cuts_the_network() -> None:
    """The way for a worker that is not root: a user namespace and a network namespace."""
    with selftest.listening() as listener:
        port = listener.url.rsplit(":", 1)[1]
        done = subprocess.run(
            [sys.executable, "-c", FALLBACK, port], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "refused"
        assert listener.connections == 0
