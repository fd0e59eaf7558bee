"""The embedded store (pyoxigraph): load a built dataset, answer SPARQL.

Named graphs hold everything; the default graph of a query is their union, so queries without
GRAPH see the whole paper.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from argraph.graph.errors import BadRequest, StoreError
from argraph.graph.results import AskResult, GraphResult, QueryResult, SelectResult, Term


def to_term(term: object) -> Term:
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        return Term("literal", term.value, term.language, term.datatype.value)
    raise StoreError(f"unsupported term in a result: {type(term).__name__}")


class OxigraphStore:
    """pyoxigraph, in memory (path=None) or on disk."""

    kind = "oxigraph"

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        try:
            self.store = ox.Store(str(path)) if path is not None else ox.Store()
        except OSError as exc:
            raise StoreError(f"cannot open the store at {path}: {exc}") from None

    def load_nquads(self, path: Path) -> None:
        """Replace the store's content with the dataset in an N-Quads file."""
        self.store.clear()
        self.store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        self.store.optimize() if self.path is not None else None

    def __len__(self) -> int:
        return len(self.store)

    def query(self, sparql: str) -> QueryResult:
        try:
            result = self.store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise BadRequest(f"SPARQL syntax error: {exc}") from None
        return convert(result)


def convert(result: object) -> QueryResult:
    if isinstance(result, ox.QueryBoolean):
        return AskResult(bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = []
        for solution in result:
            row = {}
            for v in variables:
                value = solution[v]
                if value is not None:
                    row[v] = to_term(value)
            rows.append(row)
        return SelectResult(variables, rows)
    if isinstance(result, ox.QueryTriples):
        data = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)
        return GraphResult(data.decode("utf-8") if isinstance(data, bytes) else str(data))
    raise StoreError(f"unexpected query result {type(result).__name__}")


def open_built(dist: Path) -> OxigraphStore:
    """An in-memory store loaded from a build's N-Quads dump."""
    dump = Path(dist) / "graph.nq"
    if not dump.exists():
        raise StoreError(f"no built graph at {dump}: run `argraph build` first")
    store = OxigraphStore()
    store.load_nquads(dump)
    return store
