"""Any SPARQL 1.1 server (Virtuoso, Fuseki, GraphDB...): loaded through the Graph Store Protocol
(one PUT per graph) or SPARQL Update, queried through the protocol, over httpx (one connection
pool for the store's life; digest or basic auth for loading).

A query without a dataset sees the union of the graphs this store loaded, never the server's
other graphs (its system graphs): how the store says so is decided once, from the graphs the
server holds when the store loads or first queries (`graph/stores/remote_dataset.py`). If another
process adds or drops graphs on the server later, restart argraph (or reload) to decide again.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Generator, Sequence
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

from errors import BadRequest, RemoteTimeout, StoreError
from graph.results import (
    AskResult,
    GraphResult,
    NotRepresentable,
    QueryResult,
    SelectResult,
    Term,
)
from graph.sparql_guard import tokens
from graph.store import too_many
from graph.stores.remote_dataset import DatasetPlan

log = logging.getLogger(__name__)

CHUNK = 400
DISCOVER = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
"""the server's graphs: the same as SELECT DISTINCT ?g, which Virtuoso 7 plans 200 times slower
(12.7 s against 0.06 s at 300 graphs of 15 triples; over a minute at 1,000)"""
LOAD_TIMEOUT_S = 600.0
"""the time limit of loading a graph and of the one look at the server's graphs (it scans every
quad: 17 s at 1,000 papers on Virtuoso), which run at start-up rather than per query"""


def query_form(sparql: str) -> str:
    for t in tokens(sparql):
        if t.kind == "word" and t.text.upper() in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK"):
            return t.text.upper()
    return "SELECT"


class RemoteStore:
    kind = "remote"

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        user: str | None = None,
        password: str | None = None,
        timeout_s: float = 10.0,
        trust_default_graph: bool = False,
    ) -> None:
        """`trust_default_graph`: the server's default graph is exactly argraph's graphs (a
        server kept for argraph alone): queries go with no dataset, and nothing is discovered."""
        self.query_url = query_url
        self.update_url = update_url
        self.graph_store_url = graph_store_url
        self.timeout_s = timeout_s
        self._graphs: list[str] | None = None
        self._trusted = trust_default_graph
        self._plan: DatasetPlan | None = DatasetPlan("none") if trust_default_graph else None
        self._lock = threading.Lock()
        self._auth: httpx.Auth | None = None
        if user is not None:
            self._auth = _Either(user, password or "")
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout_s),
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=8),
        )

    def close(self) -> None:
        self._http.close()

    # -- HTTP ------------------------------------------------------------------------------------

    def _send(
        self,
        method: str,
        url: str,
        *,
        auth: bool = False,
        timeout_s: float | None = None,
        **kw: object,
    ) -> httpx.Response:
        limit = timeout_s or self.timeout_s
        try:
            resp = self._http.request(
                method,
                url,
                auth=self._auth if auth and self._auth is not None else httpx.USE_CLIENT_DEFAULT,
                timeout=httpx.Timeout(limit),
                **kw,  # type: ignore[arg-type]
            )
        except httpx.TimeoutException:
            raise RemoteTimeout(
                f"the SPARQL server did not answer within {limit:g} s", timeout_s=limit
            ) from None
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach the SPARQL server at {url}: {exc}") from None
        if resp.status_code >= 400:
            text = resp.text[:500]
            if resp.status_code == 400:
                raise BadRequest(f"the SPARQL server refused the query: {text}")
            raise StoreError(f"the SPARQL server answered {resp.status_code}: {text}")
        return resp

    def _post_form(
        self,
        url: str,
        fields: list[tuple[str, str]],
        accept: str,
        *,
        auth: bool = False,
        timeout_s: float | None = None,
    ) -> httpx.Response:
        return self._send(
            "POST",
            url,
            auth=auth,
            timeout_s=timeout_s,
            data=_form(fields),
            headers={"Accept": accept},
        )

    # -- loading ---------------------------------------------------------------------------------

    def load_nquads(self, path: Path) -> None:
        by_graph: dict[str, list[str]] = {}
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
            g = quad.graph_name
            if not isinstance(g, ox.NamedNode):
                raise StoreError("the remote store loads named graphs only")
            by_graph.setdefault(g.value, []).append(
                f"{quad.subject} {quad.predicate} {quad.object} ."
            )
        for graph, lines in sorted(by_graph.items()):
            self._replace_graph(graph, lines)
        with self._lock:
            self._graphs = sorted(by_graph)
            if not self._trusted:
                self._plan = None
        self.dataset_plan()

    def _replace_graph(self, graph: str, lines: list[str]) -> None:
        if self.graph_store_url:
            self._send(
                "PUT",
                self.graph_store_url,
                auth=True,
                timeout_s=max(self.timeout_s, LOAD_TIMEOUT_S),
                params={"graph": graph},
                content="\n".join(lines).encode("utf-8"),
                headers={"Content-Type": "text/turtle"},
            )
            return
        if not self.update_url:
            raise StoreError("loading a remote store needs an update or graph store URL")
        self._update(f"DROP SILENT GRAPH <{graph}>")
        for i in range(0, len(lines), CHUNK):
            body = "\n".join(lines[i : i + CHUNK])
            self._update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}")

    def _update(self, sparql: str) -> None:
        assert self.update_url is not None
        self._post_form(
            self.update_url,
            [("update", sparql)],
            "*/*",
            auth=True,
            timeout_s=max(self.timeout_s, LOAD_TIMEOUT_S),
        )

    def dump_nquads(self, path: Path) -> None:
        with Path(path).open("w", encoding="utf-8") as out:
            for graph in self.graph_names():
                result = self.query(
                    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                    default_graphs=[graph],
                    named_graphs=[],
                )
                assert isinstance(result, GraphResult)
                for line in result.ntriples.splitlines():
                    if line.strip():
                        out.write(f"{line.rstrip().removesuffix('.').rstrip()} <{graph}> .\n")

    def graph_names(self) -> list[str]:
        """The graphs this store loaded, or when it loaded none those the server holds (asked
        once, with the dataset plan, then kept)."""
        if self._graphs is None:
            if self._trusted:
                with self._lock:
                    if self._graphs is None:
                        self._graphs, _ = self._discover()
            else:
                self.dataset_plan()
        assert self._graphs is not None
        return list(self._graphs)

    def _discover(self) -> tuple[list[str], bool]:
        """The server's graphs, and whether it is a Virtuoso."""
        resp = self._post_form(
            self.query_url,
            [("query", DISCOVER)],
            "application/sparql-results+json",
            timeout_s=max(self.timeout_s, LOAD_TIMEOUT_S),
        )
        found = _results(resp)
        rows = found.rows if isinstance(found, SelectResult) else []
        virtuoso = resp.headers.get("server", "").lower().startswith("virtuoso")
        return sorted(r["g"].value for r in rows if "g" in r), virtuoso

    def dataset_plan(self) -> DatasetPlan:
        """How queries without a dataset name argraph's graphs, decided after a load (or at the
        first call: `create_app` asks for the graph names at start-up) from one look at the
        server's graphs."""
        if self._plan is None:
            with self._lock:
                if self._plan is None:
                    self._plan = self._decide()
        return self._plan

    def _decide(self) -> DatasetPlan:
        if self._graphs is None:
            on_server, virtuoso = self._discover()
            self._graphs = on_server
        else:
            try:
                on_server, virtuoso = self._discover()
            except (StoreError, RemoteTimeout, BadRequest) as exc:
                # FROM clauses name our graphs whatever else the server holds
                log.warning("cannot list the SPARQL server's graphs (%s): FROM clauses", exc)
                return DatasetPlan.froms(self._graphs)
        return DatasetPlan.decide(self._graphs, on_server, virtuoso=virtuoso)

    def __len__(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        if not isinstance(result, SelectResult) or not result.rows:
            return 0
        return int(result.rows[0]["n"].value)

    # -- queries ---------------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        if default_graphs is None and named_graphs is None:
            text = self.dataset_plan().apply(sparql)
            if text is None:  # no WHERE clause to put FROM before: name the graphs
                default_graphs = named_graphs = self.graph_names()
            else:
                sparql = text
        form = query_form(sparql)
        fields = self._fields(sparql, default_graphs, named_graphs)
        if form in ("CONSTRUCT", "DESCRIBE"):
            resp = self._post_form(self.query_url, fields, "application/n-triples, text/plain")
            try:
                g = ox.parse(resp.content, format=ox.RdfFormat.N_TRIPLES)
                lines = [f"{t.subject} {t.predicate} {t.object} .\n" for t in g]
            except SyntaxError as exc:
                raise StoreError(f"the SPARQL server sent invalid N-Triples: {exc}") from None
            if max_rows is not None and len(lines) > max_rows:
                raise too_many(max_rows)
            return GraphResult("".join(lines))
        result = _results(
            self._post_form(self.query_url, fields, "application/sparql-results+json")
        )
        if form == "ASK" and isinstance(result, SelectResult):
            result = _ask_as_select(result)
        if (
            isinstance(result, SelectResult)
            and max_rows is not None
            and len(result.rows) > max_rows
        ):
            raise too_many(max_rows)
        return result

    @staticmethod
    def _fields(
        sparql: str, default: Sequence[str] | None, named: Sequence[str] | None
    ) -> list[tuple[str, str]]:
        fields = [("query", sparql)]
        fields += [("default-graph-uri", g) for g in default or []]
        fields += [("named-graph-uri", g) for g in named or []]
        return fields


def _form(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in fields:
        out.setdefault(k, []).append(v)
    return out


def _results(resp: httpx.Response) -> SelectResult | AskResult:
    try:
        doc = json.loads(resp.content)
    except ValueError:
        raise StoreError("the SPARQL server sent invalid JSON results") from None
    if "boolean" in doc:
        return AskResult(bool(doc["boolean"]))
    variables = doc.get("head", {}).get("vars", [])
    rows = [{k: _term(v) for k, v in b.items()} for b in doc.get("results", {}).get("bindings", [])]
    return SelectResult(variables, rows)


def _ask_as_select(result: SelectResult) -> AskResult:
    """Virtuoso answers ASK in JSON as a table: one row, one column `__ASK_RETVAL` (1 or 0)."""
    if len(result.variables) != 1 or len(result.rows) > 1:
        raise StoreError("the SPARQL server answered an ASK query with a table")
    values = [t.value for row in result.rows for t in row.values()]
    return AskResult(bool(values) and values[0] not in ("0", "false"))


class _Either(httpx.Auth):
    """Digest auth, or basic when the server asks for basic (then basic from the start)."""

    requires_request_body = True

    def __init__(self, user: str, password: str) -> None:
        self._digest = httpx.DigestAuth(user, password)
        self._basic = httpx.BasicAuth(user, password)
        self._basic_only = False

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._basic_only:
            yield from self._basic.auth_flow(request)
            return
        flow = self._digest.auth_flow(request)
        response = yield next(flow)
        while True:
            try:
                retry = flow.send(response)
            except StopIteration:
                break
            response = yield retry
        challenge = response.headers.get("www-authenticate", "")
        if response.status_code == 401 and challenge.lower().startswith("basic"):
            self._basic_only = True
            yield from self._basic.auth_flow(request)


def _term(v: dict[str, Any]) -> Term:
    kind = v["type"]
    if kind == "triple":
        raise NotRepresentable(
            "the SPARQL server answered with a triple term, which argraph's results cannot "
            "carry: ask for the triples with CONSTRUCT"
        )
    if kind == "uri":
        return Term("uri", v["value"])
    if kind == "bnode":
        return Term("bnode", v["value"])
    lang = v.get("xml:lang")
    datatype = v.get("datatype")
    if datatype is None and not lang:
        datatype = "http://www.w3.org/2001/XMLSchema#string"
    return Term("literal", v["value"], lang, datatype)
