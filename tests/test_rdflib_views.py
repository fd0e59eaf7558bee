"""The rdflib store keeps the datasets it copies for graph-scoped queries, and forgets them on a
load: a scoped query never answers from data the store no longer holds."""

from __future__ import annotations

from pathlib import Path

from graph.results import SelectResult
from graph.stores.rdflib_store import RdflibStore

G = "https://example.org/g"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _nq(path: Path, n: int) -> Path:
    path.write_text(
        "".join(
            f'<https://example.org/s{i}> <https://example.org/p> "{i}" <{G}> .\n' for i in range(n)
        ),
        encoding="utf-8",
    )
    return path


def _count(
    store: RdflibStore,
    default_graphs: list[str] | None = None,
    named_graphs: list[str] | None = None,
) -> int:
    result = store.query(COUNT, default_graphs=default_graphs, named_graphs=named_graphs)
    assert isinstance(result, SelectResult)
    return int(result.rows[0]["n"].value)


def test_scoped_queries_see_the_last_load(tmp_path: Path) -> None:
    store = RdflibStore()
    store.load_nquads(_nq(tmp_path / "a.nq", 3))
    assert _count(store, default_graphs=[G]) == 3
    assert _count(store, default_graphs=[G]) == 3  # from the kept copy
    assert _count(store, default_graphs=[]) == 0
    store.load_nquads(_nq(tmp_path / "b.nq", 5))
    assert _count(store, default_graphs=[G]) == 5
    assert _count(store) == 5


def test_few_copies_are_kept(tmp_path: Path) -> None:
    store = RdflibStore()
    store.load_nquads(_nq(tmp_path / "a.nq", 2))
    for i in range(10):
        assert _count(store, default_graphs=[G], named_graphs=[f"https://example.org/n{i}"]) == 2
    assert len(store._views) <= 4
