"""rdflib in memory: slow, but pure Python and a reference for the other stores.

rdflib's evaluator would fetch FROM graphs and follow SERVICE: the endpoint's guard cuts FROM
clauses and refuses SERVICE before a query gets here, and a dataset given explicitly is built
from the graphs already in memory. Behind the guard, the store itself refuses a query whose
algebra (rdflib's own parse, so no disagreement about tokens) holds a SERVICE pattern anywhere,
EXISTS and subqueries included; query workers also replace rdflib's SERVICE evaluation with one
that raises (`refuse_service`), and run without a network (graph/stores/isolation.py). Remote
graph loading is switched off as well.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib.plugins.sparql as rdflib_sparql
import rdflib.plugins.sparql.evaluate as rdflib_evaluate
from pyparsing import ParseBaseException
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.query import Result

from errors import BadRequest, QueryRefused, StoreError
from graph.results import AskResult, GraphResult, QueryResult, SelectResult, Term
from graph.store import too_many

rdflib_sparql.SPARQL_LOAD_GRAPHS = False

_SERVICE_REFUSED = "SERVICE: this endpoint never queries other servers"


def _no_service(_ctx: Any, _part: Any) -> Any:
    raise QueryRefused(_SERVICE_REFUSED)


def refuse_service() -> None:
    """Make rdflib's SERVICE evaluation raise in this process (query workers call it at start;
    rdflib's evaluator looks the function up in its module on every SERVICE pattern)."""
    setattr(rdflib_evaluate, "evalServiceQuery", _no_service)  # noqa: B010 (a typed patch)


def has_service(algebra: object) -> bool:
    """True when a SERVICE pattern appears anywhere in a translated query (walked without
    recursion: a deeply nested query does not overflow the stack here)."""
    stack = [algebra]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                return True
            stack.extend(node.values())
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)
    return False


class _Dataset(Dataset):
    """rdflib's Dataset, without the DeprecationWarning its own code triggers on every lookup
    (rdflib 7 reads `default_context` internally while deprecating it)."""

    @property
    def default_context(self) -> Graph:
        graph: Graph = self._default_context
        return graph

    @default_context.setter
    def default_context(self, value: Graph) -> None:
        self._default_context = value

    def contexts(self, triple: Any = None) -> Any:
        return self.graphs(triple)


def _node(term: object) -> Any:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise StoreError(f"unsupported term: {term!r}")


def to_term(node: object) -> Term:
    if isinstance(node, URIRef):
        return Term("uri", str(node))
    if isinstance(node, BNode):
        return Term("bnode", str(node))
    if isinstance(node, Literal):
        datatype = str(node.datatype) if node.datatype is not None else None
        if datatype is None and not node.language:
            datatype = "http://www.w3.org/2001/XMLSchema#string"
        return Term("literal", str(node), node.language, datatype)
    raise StoreError(f"unsupported term in a result: {type(node).__name__}")


_VIEWS_KEPT = 4
"""datasets of copies kept for queries scoped to some graphs (one paper's, say): building one
copies its graphs, which costs more than most queries on them"""


class RdflibStore:
    kind = "rdflib"

    def __init__(self) -> None:
        self.ds = _Dataset(default_union=True)
        self._views: OrderedDict[tuple[tuple[str, ...], tuple[str, ...]], Dataset] = OrderedDict()
        self._views_lock = threading.Lock()

    def _forget_views(self) -> None:
        with self._views_lock:
            self._views.clear()

    def load_nquads(self, path: Path) -> None:
        # pyoxigraph's parser: fast, and rdflib's N-Quads parser warns about its own deprecations.
        self._forget_views()
        self.ds = _Dataset(default_union=True)
        graphs: dict[str, Graph] = {}
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
            g = quad.graph_name
            name = g.value if isinstance(g, ox.NamedNode) else ""
            target = graphs.get(name)
            if target is None:
                target = self.ds.graph(URIRef(name)) if name else self.ds.default_graph
                graphs[name] = target
            target.add((_node(quad.subject), _node(quad.predicate), _node(quad.object)))

    def load_graph(self, path: Path, graph: str, fmt: str = "turtle") -> None:
        self._forget_views()
        self.ds.graph(URIRef(graph)).parse(str(path), format=fmt)

    def dump_nquads(self, path: Path) -> None:
        self.ds.serialize(destination=str(path), format="nquads", encoding="utf-8")

    def __len__(self) -> int:
        return sum(len(g) for g in self._named())

    def _named(self) -> list[Graph]:
        return [g for g in self.ds.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID]

    def graph_names(self) -> list[str]:
        return sorted(str(g.identifier) for g in self._named() if len(g))

    def _dataset(self, default: Sequence[str], named: Sequence[str]) -> Dataset:
        """A dataset of copies: the default graph merges `default`, plus the `named` graphs."""
        view = _Dataset(default_union=False)
        target = view.default_graph
        for name in default:
            for triple in self.ds.graph(URIRef(name)):
                target.add(triple)
        for name in named:
            g = view.graph(URIRef(name))
            for triple in self.ds.graph(URIRef(name)):
                g.add(triple)
        return view

    def _view(self, default: tuple[str, ...], named: tuple[str, ...]) -> Dataset:
        """The dataset for these graphs, made once and kept (the last few) until a load."""
        key = (default, named)
        with self._views_lock:
            view = self._views.get(key)
            if view is None:
                view = self._dataset(default, named)
                self._views[key] = view
                while len(self._views) > _VIEWS_KEPT:
                    self._views.popitem(last=False)
            else:
                self._views.move_to_end(key)
            return view

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        ds: Dataset = self.ds
        if default_graphs is not None or named_graphs is not None:
            ds = self._view(tuple(default_graphs or ()), tuple(named_graphs or ()))
        try:
            prepared = rdflib_sparql.prepareQuery(sparql)
        except ParseBaseException as exc:
            raise BadRequest(f"SPARQL syntax error: {exc}") from None
        if has_service(prepared.algebra):
            raise QueryRefused(_SERVICE_REFUSED)
        result = ds.query(prepared)
        return convert(result, max_rows)


def convert(result: Result, max_rows: int | None) -> QueryResult:
    if result.type == "ASK":
        return AskResult(bool(result.askAnswer))
    if result.type == "SELECT":
        variables = [str(v) for v in result.vars or []]
        rows: list[dict[str, Term]] = []
        for solution in result:
            if max_rows is not None and len(rows) >= max_rows:
                raise too_many(max_rows)
            row = {}
            for v, value in zip(variables, solution, strict=True):  # type: ignore[arg-type]
                if value is not None:
                    row[v] = to_term(value)
            rows.append(row)
        return SelectResult(variables, rows)
    graph = result.graph
    if graph is None:
        raise StoreError(f"unexpected query result {result.type}")
    if max_rows is not None and len(graph) > max_rows:
        raise too_many(max_rows)
    return GraphResult(graph.serialize(format="nt"))
