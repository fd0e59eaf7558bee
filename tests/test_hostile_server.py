"""The hostile inputs of SECURITY.md against a real `argraph serve` in a child process: each is
refused as described, within the timeout plus a second, the server keeps its PID and a bounded
memory, no outbound connection is ever opened, other clients keep being served, and the graph's
hash is unchanged after all of it."""

from __future__ import annotations

import contextlib
import json
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib

from argraph import selftest
from errors import ArgraphError
from graph.store import open_built
from graph.stores.rdflib_store import RdflibStore
from tests.conftest import Built

TIMEOUT_S = 2.0
NAMES = [h.name for h in selftest.hostile_inputs("http://127.0.0.1:9")]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (the query workers), in MiB."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except FileNotFoundError:
            continue
        total += int(status.split("VmRSS:")[1].split()[0])
    return total / 1024


class Session:
    def __init__(self, served: selftest.Served, listener: selftest.Listener) -> None:
        self.url = served.url
        self.pid = served.pid
        self.listener = listener
        self.inputs = {h.name: h for h in selftest.hostile_inputs(listener.url)}
        self.hash_before = selftest.graph_hash(self.url)
        self.peak_mb = rss_mb(self.pid)


@pytest.fixture(scope="module")
def session(built_paper: Built) -> Iterator[Session]:
    settings = {"query_timeout_s": str(TIMEOUT_S)}
    with (
        selftest.serve_subprocess(str(built_paper.dist), settings=settings) as served,
        selftest.listening() as listener,
    ):
        yield Session(served, listener)


@pytest.mark.parametrize("name", NAMES)
def test_hostile_input(session: Session, name: str) -> None:
    h = session.inputs[name]
    limit = TIMEOUT_S + 1 if h.group == "expensive" else 5.0
    try:
        answer = selftest.send(session.url, h, timeout_s=60)
    except ConnectionResetError:
        assert h.closed_ok, f"{name}: the connection was reset"
    else:
        outcome = selftest.judge(h, answer, limit)
        assert outcome.ok, f"{name}: {outcome.problems}"
    session.peak_mb = max(session.peak_mb, rss_mb(session.pid))
    assert Path(f"/proc/{session.pid}").exists(), "the server process died"


def test_fast_queries_keep_being_served_while_hostile_queries_run(session: Session) -> None:
    """Every fast query is answered (none refused) while runaway queries hold workers; how fast
    is measured in bench/ (`python -m bench endpoint`: the fast ASK's p99, idle and under attack)."""
    fast = selftest.Hostile("fast", "load", params=(("query", "ASK { ?s ?p ?o }"),))
    hostile = [session.inputs[n] for n in ("triple cross product with COUNT", "huge GROUP_CONCAT")]
    statuses: list[int] = []
    stop = threading.Event()

    def attack(h: selftest.Hostile) -> None:
        while not stop.is_set():
            statuses.append(selftest.send(session.url, h, 30).status)

    threads = [threading.Thread(target=attack, args=(h,)) for h in hostile]
    for t in threads:
        t.start()
    time.sleep(0.3)
    answers = [selftest.send(session.url, fast, 30).status for _ in range(60)]
    stop.set()
    for t in threads:
        t.join(30)
    assert answers == [200] * 60
    assert statuses and set(statuses) <= {504, 503}


def test_the_listener_does_see_an_engine_that_follows_service(built_paper: Built) -> None:
    """Positive control: rdflib's evaluator, unguarded, does call out; so a count of zero above
    means something. The rdflib store itself refuses SERVICE (a second layer behind the guard)."""
    query = "SELECT * WHERE { SERVICE <%s/sparql> { ?s ?p ?o } }"
    with selftest.listening() as listener:
        # the listener answers nothing a SPARQL client can use: whatever rdflib raises is fine
        with contextlib.suppress(Exception), warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # Dataset.default_context
            list(rdflib.Dataset().query(query % listener.url))
        deadline = time.monotonic() + 5
        while listener.connections == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert listener.connections >= 1
    store = RdflibStore()
    store.load_nquads(built_paper.dist / "graph.nq")
    with selftest.listening() as listener:
        with pytest.raises(ArgraphError):
            store.query(query % listener.url)
        time.sleep(0.3)
        assert listener.connections == 0


@pytest.mark.parametrize("store", ["rdflib", "oxigraph-disk"])
def test_outbound_inputs_on_other_stores(built_paper: Built, tmp_path: Path, store: str) -> None:
    """The rdflib store would follow SERVICE and load FROM: the guard stops it before."""
    timeout = "30" if store == "rdflib" else "10"  # rdflib counts slowly, more so on a busy machine
    settings = {"query_timeout_s": timeout, "store": store}
    if store == "oxigraph-disk":
        settings["store_path"] = str(tmp_path / "store")
    with selftest.serve_subprocess(str(built_paper.dist), settings=settings) as served:
        report = selftest.run(
            served.url,
            query_timeout_s=float(timeout),
            only=lambda h: h.group in ("outbound", "write"),
            check_hash=False,
        )
        count = selftest.Hostile(
            "count", "check", params=(("query", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"),)
        )
        answer = selftest.send(served.url, count, 30)
    assert answer.status == 200, answer.body
    assert report.ok, "\n".join(report.lines())
    n = int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"])
    assert n == len(open_built(built_paper.dist))


def test_selftest_command_against_the_server(session: Session) -> None:
    import typer
    from typer.testing import CliRunner

    from argraph.cli_selftest import register

    app = typer.Typer()
    register(app)

    @app.command()
    def _other() -> None:  # a second command, so that `selftest` is addressed by name
        return None

    args = ["selftest", "--hostile", "--url", session.url, "--timeout", str(TIMEOUT_S)]
    result = CliRunner().invoke(app, [*args, "--group", "protocol", "--group", "write"])
    assert result.exit_code == 0, result.output
    assert "FAIL" not in result.output
    assert "PASS  [write] drop-all as GET ?update=" in result.output
    assert "graph unchanged" in result.output


def test_after_everything(session: Session) -> None:
    """Runs last in this module: same PID, bounded memory, no outbound call, graph unchanged."""
    assert Path(f"/proc/{session.pid}").exists()
    time.sleep(0.3)
    assert session.listener.connections == 0
    assert selftest.graph_hash(session.url) == session.hash_before
    # the server and its (at most max_concurrent_queries + 1) workers stay well bounded
    assert session.peak_mb < 3000, session.peak_mb
