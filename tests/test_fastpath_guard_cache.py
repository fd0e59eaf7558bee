"""The guard remembers short queries that passed without FROM, and only those: the same text,
base and caps get the same verdict, as a copy; a query with FROM is checked against the store's
graphs every time; a refused query is refused every time."""

from __future__ import annotations

import pytest

from errors import QueryRefused, ReadOnly
from graph import sparql_guard
from graph.sparql_guard import guard_query

GRAPH = "https://example.org/graph/a"


def check(text: str, known: list[str] | None = None, base: str = "http://h/sparql") -> object:
    return guard_query(text, known_graphs=known or [], base_iri=base)


def test_the_same_query_gets_the_same_verdict_as_a_copy() -> None:
    text = "SELECT * WHERE { ?s ?p ?o } LIMIT 3"
    first = check(text)
    again = check(text)
    assert first == again and first is not again
    assert isinstance(again, sparql_guard.GuardedQuery)
    assert again.star_order is not None
    again.star_order.append("tampered")
    again.from_default.append("urn:tampered")
    third = check(text)
    assert isinstance(third, sparql_guard.GuardedQuery)
    assert third == first and "tampered" not in (third.star_order or [])
    assert not third.has_dataset
    # another base IRI (Host) is another verdict
    other = check(text, base="http://other/sparql")
    assert isinstance(other, sparql_guard.GuardedQuery)
    assert other.text.startswith("BASE <http://other/sparql>")


def test_a_query_with_from_is_checked_against_the_graphs_every_time() -> None:
    text = f"SELECT * FROM <{GRAPH}> WHERE {{ ?s ?p ?o }}"
    assert check(text, known=[GRAPH]).has_dataset  # type: ignore[attr-defined]
    with pytest.raises(QueryRefused):
        check(text, known=[])


def test_a_refused_query_is_refused_every_time() -> None:
    for _ in range(2):
        with pytest.raises(QueryRefused):
            check("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
        with pytest.raises(ReadOnly):
            check("INSERT DATA { <urn:a> <urn:b> <urn:c> }")


def test_long_queries_are_not_remembered() -> None:
    pad = " " * sparql_guard.CACHED_CHARS
    text = f"ASK {{ ?s ?p ?o }}{pad}"
    check(text)
    key = (text, "http://h/sparql", 64, 200_000, 1000)
    assert key not in sparql_guard._passed
