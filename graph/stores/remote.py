"""Any SPARQL 1.1 server (Virtuoso, Fuseki, GraphDB...): loaded through the Graph Store Protocol
or SPARQL Update, queried through the protocol. Standard library HTTP only.

The default graph of a query without a dataset is the union of the graphs this store loaded
(given as default-graph-uri and named-graph-uri), never the server's own system graphs.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from argraph.graph.errors import BadRequest, RemoteTimeout, StoreError
from argraph.graph.results import AskResult, GraphResult, QueryResult, SelectResult, Term
from argraph.graph.sparql_guard import tokens
from argraph.graph.store import too_many

CHUNK = 400


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
    ) -> None:
        self.query_url = query_url
        self.update_url = update_url
        self.graph_store_url = graph_store_url
        self.timeout_s = timeout_s
        self._graphs: list[str] | None = None
        handlers: list[Any] = []
        if user is not None:
            mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in (update_url, graph_store_url):
                if url:
                    mgr.add_password(None, url, user, password or "")
            handlers += [
                urllib.request.HTTPDigestAuthHandler(mgr),
                urllib.request.HTTPBasicAuthHandler(mgr),
            ]
        self.opener = urllib.request.build_opener(*handlers)

    # -- HTTP ------------------------------------------------------------------------------------

    def _send(self, req: urllib.request.Request) -> tuple[str, bytes]:
        try:
            with self.opener.open(req, timeout=self.timeout_s) as resp:
                return resp.headers.get("Content-Type", ""), resp.read()
        except urllib.error.HTTPError as exc:
            text = exc.read().decode("utf-8", "replace")[:500]
            if exc.code == 400:
                raise BadRequest(f"the SPARQL server refused the query: {text}") from None
            raise StoreError(f"the SPARQL server answered {exc.code}: {text}") from None
        except TimeoutError:
            raise RemoteTimeout(
                f"the SPARQL server did not answer within {self.timeout_s:g} s",
                timeout_s=self.timeout_s,
            ) from None
        except urllib.error.URLError as exc:
            raise StoreError(f"cannot reach the SPARQL server: {exc.reason}") from None

    def _post_form(self, url: str, fields: list[tuple[str, str]], accept: str) -> tuple[str, bytes]:
        body = urllib.parse.urlencode(fields).encode("utf-8")
        req = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )
        return self._send(req)

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
        self._graphs = sorted(by_graph)

    def _replace_graph(self, graph: str, lines: list[str]) -> None:
        if self.graph_store_url:
            url = self.graph_store_url + "?" + urllib.parse.urlencode({"graph": graph})
            req = urllib.request.Request(
                url,
                data="\n".join(lines).encode("utf-8"),
                method="PUT",
                headers={"Content-Type": "text/turtle"},
            )
            self._send(req)
            return
        if not self.update_url:
            raise StoreError("loading a remote store needs an update or graph store URL")
        self._update(f"DROP SILENT GRAPH <{graph}>")
        for i in range(0, len(lines), CHUNK):
            body = "\n".join(lines[i : i + CHUNK])
            self._update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}")

    def _update(self, sparql: str) -> None:
        assert self.update_url is not None
        self._post_form(self.update_url, [("update", sparql)], "*/*")

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
        if self._graphs is None:
            rows = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", None, None)
            found = rows.rows if isinstance(rows, SelectResult) else []
            self._graphs = sorted(r["g"].value for r in found if "g" in r)
        return list(self._graphs)

    def __len__(self) -> int:
        result = self._select(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", [], self.graph_names()
        )
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
            default_graphs = named_graphs = self.graph_names()
        form = query_form(sparql)
        if form in ("CONSTRUCT", "DESCRIBE"):
            fields = self._fields(sparql, default_graphs, named_graphs)
            _, body = self._post_form(self.query_url, fields, "application/n-triples, text/plain")
            g = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
            lines = [f"{t.subject} {t.predicate} {t.object} .\n" for t in g]
            if max_rows is not None and len(lines) > max_rows:
                raise too_many(max_rows)
            return GraphResult("".join(lines))
        result = self._select(sparql, default_graphs, named_graphs)
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

    def _select(
        self, sparql: str, default: Sequence[str] | None, named: Sequence[str] | None
    ) -> SelectResult | AskResult:
        _, body = self._post_form(
            self.query_url, self._fields(sparql, default, named), "application/sparql-results+json"
        )
        try:
            doc = json.loads(body)
        except ValueError:
            raise StoreError("the SPARQL server sent invalid JSON results") from None
        if "boolean" in doc:
            return AskResult(bool(doc["boolean"]))
        variables = doc.get("head", {}).get("vars", [])
        rows = [
            {k: _term(v) for k, v in b.items()} for b in doc.get("results", {}).get("bindings", [])
        ]
        return SelectResult(variables, rows)


def _term(v: dict[str, str]) -> Term:
    kind = v["type"]
    if kind == "uri":
        return Term("uri", v["value"])
    if kind == "bnode":
        return Term("bnode", v["value"])
    lang = v.get("xml:lang")
    datatype = v.get("datatype")
    if datatype is None and not lang:
        datatype = "http://www.w3.org/2001/XMLSchema#string"
    return Term("literal", v["value"], lang, datatype)
