"""The W3C SPARQL 1.1 protocol tests and result-format tests, run against /sparql.

The protocol tests' dataset graphs (http://kasei.us/...) are preloaded under those names: the
endpoint never dereferences IRIs. Update tests must be refused (read-only endpoint): their update
request gets a 4xx and the store is unchanged.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.util import from_n3

from graph.store import OxigraphStore
from tests.api_fixtures import W3C, client_for

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
PROTOCOL = W3C / "protocol"

if not W3C.exists():
    pytest.fail(f"the W3C tests are expected at {W3C}", pytrace=False)

MANIFEST = Graph().parse(PROTOCOL / "manifest.ttl", format="turtle")


def _tests() -> list[tuple[str, URIRef]]:
    entries = next(MANIFEST.objects(None, MF.entries))
    out = []
    for test in Collection(MANIFEST, entries):
        assert isinstance(test, URIRef)
        out.append((str(test).rsplit("#", 1)[-1], test))
    return out


TESTS = _tests()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = OxigraphStore()
    for n in (1, 2, 3):
        store.load_graph(
            PROTOCOL / f"data{n}.nt", f"http://kasei.us/2009/09/sparql/data/data{n}.rdf"
        )
    # Minimal document so the app has a paper to anchor its REST routes on.
    dist = tmp_path_factory.mktemp("w3c-dist")
    with client_for(dist, store) as c:
        yield c


def _requests(test: URIRef) -> list[dict[str, Any]]:
    action = next(MANIFEST.objects(test, MF.action))
    reqs = next(MANIFEST.objects(action, HT.requests))
    out = []
    for req in Collection(MANIFEST, reqs):
        headers = {}
        hlist = next(MANIFEST.objects(req, HT.headers), None)
        if hlist is not None:
            for h in Collection(MANIFEST, hlist):
                name = str(next(MANIFEST.objects(h, HT.fieldName)))
                headers[name] = str(next(MANIFEST.objects(h, HT.fieldValue)))
        body_node = next(MANIFEST.objects(req, HT.body), None)
        body: bytes | None = None
        if body_node is not None:
            chars = str(next(MANIFEST.objects(body_node, CNT.chars)))
            encoding = str(next(MANIFEST.objects(body_node, CNT.characterEncoding), "UTF-8"))
            body = chars.encode(encoding.lower())
        resp = next(MANIFEST.objects(req, HT.resp))
        out.append(
            {
                "method": str(next(MANIFEST.objects(req, HT.methodName))),
                "path": str(next(MANIFEST.objects(req, HT.absolutePath))).replace(
                    "/sparql/", "/sparql", 1
                ),
                "headers": headers,
                "body": body,
                "status": {
                    str(s).rsplit("#", 1)[-1] for s in MANIFEST.objects(resp, MF.expectedStatus)
                },
                "format": next((str(f) for f in MANIFEST.objects(resp, MF.expectedFormat)), None),
                "boolean": next(
                    (
                        bool(b.toPython())
                        for b in MANIFEST.objects(resp, MF.expectedBoolean)
                        if isinstance(b, Literal)
                    ),
                    None,
                ),
            }
        )
    return out


def _status_class(code: int) -> str:
    return f"StatusCode{code // 100}xx"


def _check_format(response: Any, fmt: str, boolean: bool | None) -> None:
    ctype = response.headers["content-type"].split(";")[0]
    if fmt == "boolean":
        assert ctype in ("application/sparql-results+json", "application/sparql-results+xml")
        if boolean is not None:
            assert response.json()["boolean"] is boolean
    elif fmt == "tabular":
        assert ctype in (
            "application/sparql-results+json",
            "application/sparql-results+xml",
            "text/csv",
            "text/tab-separated-values",
        )
        assert "results" in response.json()
    else:
        assert ctype in (
            "text/turtle",
            "application/n-triples",
            "application/rdf+xml",
            "application/ld+json",
        )
        Graph().parse(data=response.content, format="turtle")


@pytest.mark.parametrize(("name", "test"), TESTS, ids=[t[0] for t in TESTS])
def test_protocol(client: TestClient, name: str, test: URIRef) -> None:
    before = client.get(
        "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"}
    ).json()
    requests = _requests(test)
    if name.startswith("update_"):
        first = requests[0]
        r = client.request(
            first["method"], first["path"], headers=first["headers"], content=first["body"]
        )
        assert 400 <= r.status_code < 500, (name, r.status_code, r.text)
        assert r.json()["error"]["code"] == "read_only"
    else:
        for req in requests:
            r = client.request(
                req["method"], req["path"], headers=req["headers"], content=req["body"]
            )
            assert _status_class(r.status_code) in req["status"], (name, r.status_code, r.text)
            if r.status_code < 300 and req["format"]:
                _check_format(r, req["format"], req["boolean"])
            if r.status_code >= 400:
                assert set(r.json()) == {"error"}
    after = client.get(
        "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"}
    ).json()
    assert before == after


# -- result formats ---------------------------------------------------------------------------


def _format_tests(folder: str) -> list[tuple[str, Path, Path, Path]]:
    g = Graph().parse(W3C / folder / "manifest.ttl", format="turtle")
    out = []
    for test, action in g.subject_objects(MF.action):
        query = Path(str(next(g.objects(action, QT.query))).removeprefix("file://"))
        data = Path(str(next(g.objects(action, QT.data))).removeprefix("file://"))
        result = Path(str(next(g.objects(test, MF.result))).removeprefix("file://"))
        out.append((str(test).rsplit("#", 1)[-1], query, data, result))
    return sorted(out)


FORMAT_TESTS = _format_tests("json-res") + _format_tests("csv-tsv-res")
ACCEPT = {
    ".srj": "application/sparql-results+json",
    ".csv": "text/csv",
    ".tsv": "text/tab-separated-values",
}


def _same_term(a: Any, b: Any) -> bool:
    if a == b:
        return True
    if isinstance(a, Literal) and isinstance(b, Literal):
        try:
            return bool(a.eq(b)) or float(a) == float(b)
        except (TypeError, ValueError):
            return False
    return False


def _json_rows(doc: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for b in doc["results"]["bindings"]:
        row = {}
        for k, v in b.items():
            if v.get("datatype") == "http://www.w3.org/2001/XMLSchema#string":
                v = {kk: vv for kk, vv in v.items() if kk != "datatype"}
            if v["type"] == "bnode":
                v = {"type": "bnode"}
            row[k] = {**v, "type": "literal" if v["type"] == "typed-literal" else v["type"]}
        rows.append(row)
    return rows


@pytest.mark.parametrize(
    ("name", "query", "data", "expected"),
    FORMAT_TESTS,
    ids=[f"{t[0]}-{t[3].suffix[1:]}" for t in FORMAT_TESTS],
)
def test_result_format(tmp_path: Path, name: str, query: Path, data: Path, expected: Path) -> None:
    store = OxigraphStore()
    store.load_graph(data, "http://example.org/data")
    with client_for(tmp_path, store, query_isolation="thread") as c:
        r = c.get(
            "/sparql",
            params={"query": query.read_text("utf-8")},
            headers={"accept": ACCEPT[expected.suffix]},
        )
    assert r.status_code == 200, r.text
    want = expected.read_text("utf-8")
    if expected.suffix == ".srj":
        got_doc, want_doc = r.json(), json.loads(want)
        if "boolean" in want_doc:
            assert got_doc["boolean"] is want_doc["boolean"]
            return
        assert got_doc["head"]["vars"] == want_doc["head"]["vars"]
        got, exp = _json_rows(got_doc), _json_rows(want_doc)
        key = lambda row: json.dumps(row, sort_keys=True)  # noqa: E731
        assert sorted(map(key, got)) == sorted(map(key, exp))
    elif expected.suffix == ".csv":
        got_rows = list(csv.reader(io.StringIO(r.text)))
        want_rows = list(csv.reader(io.StringIO(want)))
        assert got_rows[0] == want_rows[0] and len(got_rows) == len(want_rows)
        for g_row, w_row in zip(got_rows[1:], want_rows[1:], strict=True):
            for g_cell, w_cell in zip(g_row, w_row, strict=True):
                assert (
                    g_cell == w_cell
                    or _floats_equal(g_cell, w_cell)
                    or (g_cell.startswith("_:") and w_cell.startswith("_:"))
                ), (g_row, w_row)
    else:
        got_lines = [ln.split("\t") for ln in r.text.splitlines()]
        want_lines = [ln.split("\t") for ln in want.splitlines()]
        assert got_lines[0] == want_lines[0] and len(got_lines) == len(want_lines)
        for g_row, w_row in zip(got_lines[1:], want_lines[1:], strict=True):
            for g_cell, w_cell in zip(g_row, w_row, strict=True):
                if g_cell.startswith("_:") and w_cell.startswith("_:"):
                    continue
                assert _same_term(from_n3(g_cell), from_n3(w_cell)), (g_cell, w_cell)


def _floats_equal(a: str, b: str) -> bool:
    try:
        return float(a) == float(b)
    except ValueError:
        return False
