"""Small helpers to read SELECT answers from any store (embedded, rdflib or remote)."""

from __future__ import annotations

from typing import Protocol

from argraph.graph.errors import StoreError
from argraph.graph.namespaces import sparql_prologue
from argraph.graph.results import QueryResult, SelectResult, Term


class Queryable(Protocol):
    """Anything that answers a SPARQL 1.1 query string: every argraph store does."""

    def query(self, sparql: str) -> QueryResult: ...


Row = dict[str, Term]


def select(store: Queryable, body: str) -> list[Row]:
    """Run a SELECT (the argraph prefixes are prepended) and return its rows."""
    result = store.query(sparql_prologue() + body)
    if not isinstance(result, SelectResult):
        raise StoreError(f"expected a SELECT result, got {type(result).__name__}")
    return result.rows


def value(row: Row, name: str) -> str | None:
    term = row.get(name)
    return None if term is None else term.value


def lang_pick(current: str | None, term: Term | None, lang: str) -> str | None:
    """Keep the first literal in `lang` (lexicographically smallest, for determinism)."""
    if term is None or term.kind != "literal":
        return current
    if (term.lang or "").lower().split("-")[0] != lang:
        return current
    if current is None or term.value < current:
        return term.value
    return current


def local_name(iri: str) -> str:
    """The last segment of an IRI (after '#' or '/')."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
