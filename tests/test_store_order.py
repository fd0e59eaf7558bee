"""A store loaded again answers in the same order as a new store loaded from the same file: the
web process's store and its query workers' copies agree on every page of a query without ORDER
BY (the web process answers queries that proved fast itself, graph/stores/inprocess.py)."""

from __future__ import annotations

from pathlib import Path

from graph.results import SelectResult
from graph.store import OxigraphStore
from tests.conftest import Built


def _pages(store: OxigraphStore) -> list[list[tuple[str, ...]]]:
    out = []
    for offset in range(0, 40000, 8000):
        result = store.query(
            f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT 500 OFFSET {offset}"
        )
        assert isinstance(result, SelectResult)
        out.append(
            [
                tuple("_" if t.kind == "bnode" else t.value for t in row.values())
                for row in result.rows
            ]
        )
    return out


def test_a_reloaded_store_pages_like_a_new_one(built_paper: Built, tmp_path: Path) -> None:
    served = OxigraphStore()
    served.load_nquads(built_paper.dist / "graph.nq")
    snapshot = tmp_path / "snapshot.nq"
    served.dump_nquads(snapshot)
    served.load_nquads(snapshot)  # as the process pool does before its workers load the copy
    worker = OxigraphStore()
    worker.load_nquads(snapshot)
    assert _pages(served) == _pages(worker)
    assert all(len(p) == 500 for p in _pages(served))
