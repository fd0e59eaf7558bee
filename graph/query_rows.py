"""Small helpers to read SELECT answers from any store (embedded, rdflib or remote)."""

from __future__ import annotations

from typing import Protocol

from graph.namespaces import sparql_prologue
from graph.results import QueryResult, Term
from graph.select_cache import select_rows


class Queryable(Protocol):
    """Anything that answers a SPARQL 1.1 query string: every argraph store does."""

    def query(self, sparql: str) -> QueryResult: ...


Row = dict[str, Term]


def select(store: Queryable, body: str) -> list[Row]:
    """Run a SELECT (the argraph prefixes are prepended) and return its rows."""
    return select_rows(store, sparql_prologue() + body)


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
