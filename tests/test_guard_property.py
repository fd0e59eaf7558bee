"""Property: no query the guard lets through reaches the network or writes, whatever its
escapes, comments, IRIs, prefixed names and Unicode spellings of SERVICE, LOAD, INSERT, DELETE,
CLEAR, DROP and FROM.

For every generated query, either the guard refuses it, or: rdflib's parser, on the text the guard
hands on, finds no SERVICE, no update and no FROM outside the store; pyoxigraph and rdflib run it
on in-memory stores without a connection to a loopback listener the query points at; and the
stores are unchanged. The same generated queries then go through `create_app` over the
oxigraph, oxigraph-disk and rdflib stores.
"""

from __future__ import annotations

import contextlib
import gc
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from api.settings import Settings
from argraph.app import create_app
from argraph.selftest import Listener
from errors import ArgraphError
from graph.sparql_guard import GuardedQuery, guard_query
from tests.conftest import Built

GRAPH = "http://g.example/1"
LISTENER = Listener()  # one for the module: the URL is part of the generated text
URL = LISTENER.url
PROPERTY = settings(
    max_examples=150,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# -- the generator -------------------------------------------------------------------------------

LOOKALIKE = {"S": "\u017f", "I": "\u0131", "K": "\u212a", "E": "\uff25", "A": "\u00e0"}


@st.composite
def spelled(draw: st.DrawFn, word: str) -> str:
    """`word` in one of the spellings an engine might still read as the keyword."""
    how = draw(st.sampled_from(["plain", "lower", "mixed", "u", "U", "U4", "u8", "alike", "glued"]))
    if how == "lower":
        return word.lower()
    if how == "mixed":
        flags = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
        return "".join(c.lower() if f else c for c, f in zip(word, flags, strict=True))
    i = draw(st.integers(0, len(word) - 1))
    head, ch, tail = word[:i], word[i], word[i + 1 :]
    if how == "u":
        return f"{head}\\u{ord(ch):04X}{tail}"
    if how == "U":
        return f"{head}\\U{ord(ch):08x}{tail}"
    if how == "U4":
        return f"{head}\\U{ord(ch):04X}{tail}"
    if how == "u8":
        return f"{head}\\u{ord(ch):08X}{tail}"
    if how == "alike":
        return "".join(LOOKALIKE.get(c, c) if c.upper() in LOOKALIKE else c for c in word)
    if how == "glued":
        before = draw(st.sampled_from(["", "true", "false", "1"]))
        return before + word + draw(st.sampled_from(["", "SILENT", "\u00e9", "_"]))
    return word


ENDPOINTS = [
    f"<{URL}/sparql>",
    f"<{URL}\\u002Fsparql>",
    ":sparql",
    "l:sparql",
    "l:\\/sparql",
    "?u",
    f"<{URL}/x\\#>",
]
VALID_NOISE = [
    "",
    "# SERVICE <http://x/> {}\n",
    "#c\r",
    "# \\u000A SERVICE\n",
    "?s ?p e:a\\# .",
    "?s ?p e:a\\. .",
    "?s ?p e:a.b .",
    "?s ?p e:%41 .",
    'FILTER("\\\\" != "SERVICE")',
    "FILTER('\\'' != 'LOAD')",
    'FILTER("\\u0022" != "x")',
    "BIND('''a''b''' AS ?l0)",
    'BIND("x"@load AS ?l1)',
    'BIND("x"@service AS ?l2)',
    "_:b.c ?p ?o .",
    "?s ?p <http://e/#x> .",
    "FILTER(?s != 1.5e3)",
    "?s e:service e:LOAD .",
    "?service ?insert ?drop .",
    "OPTIONAL { ?s ?p ?o }",
]
"""Fragments of a group that parse, each with something a lexer could get wrong."""
DESYNC = [
    "\\ ",
    "\u00a0",
    "\x0c",
    "\\u0023 ",
    "\\u0027 ",
    "\\u003C ",
    "\\u007B ",
    '"\\u005C" ',
    '"\\\\u0022" ',
    "SERVICE:sparql ",
    "?s ?p e:a\\",
    "?s ?p '\\",
]
"""Fragments meant to make a lexer and an engine disagree about where a token ends."""
NOISE = VALID_NOISE * 3 + DESYNC
PROLOGUE = f"PREFIX : <{URL}/> PREFIX l: <{URL}/> PREFIX e: <http://e/> "
noise = st.lists(st.sampled_from(NOISE), max_size=3).map(" ".join)
between = st.sampled_from(["", " ", "# x\n", "#c\r"] * 6 + DESYNC)
"""what goes between two keywords: a comment, or something that desynchronises"""


@st.composite
def hostile_query(draw: st.DrawFn) -> str:
    shape = draw(st.sampled_from(["service", "service", "from", "update", "after-query", "inert"]))
    pre, mid, post = draw(noise), draw(between), draw(noise)
    if shape == "service":
        kw = draw(spelled("SERVICE"))
        silent = draw(st.sampled_from(["", " SILENT", " silent"]))
        ep = draw(st.sampled_from(ENDPOINTS))
        gap = draw(st.sampled_from([" ", "", "\n", "\t"]))
        return (
            f"{PROLOGUE}SELECT * WHERE {{ BIND(<{URL}/sparql> AS ?u) OPTIONAL {{ {pre} }} "
            f"{kw}{silent}{gap}{ep} {mid}{{ ?s ?p ?o }} OPTIONAL {{ {post} }} }}"
        )
    if shape == "inert":
        word = draw(st.sampled_from(["SERVICE", "LOAD", "INSERT", "DROP", "FROM"]))
        kw = draw(spelled(word))
        where = draw(st.sampled_from(['"{}"', "'''{}'''", "<http://e/{}>", "e:{}", "?{}"]))
        tag = draw(st.sampled_from(["", f" # {kw}\n", f' . BIND("x"@{word.lower()} AS ?t)']))
        return (
            f"{PROLOGUE}SELECT * WHERE {{ OPTIONAL {{ {pre} }} "
            f"BIND({where.format(kw)} AS ?v){tag} OPTIONAL {{ {post} }} }}"
        )
    if shape == "from":
        kw = draw(spelled("FROM"))
        named = draw(st.sampled_from(["", " NAMED", " named"]))
        ep = draw(st.sampled_from([e for e in ENDPOINTS if e != "?u"]))
        return f"{PROLOGUE}SELECT * {mid}{kw}{named} {ep} WHERE {{ {pre} }} {post}"
    word = draw(st.sampled_from(["LOAD", "INSERT", "DELETE", "CLEAR", "DROP"]))
    kw = draw(spelled(word))
    body = {
        "LOAD": f" <{URL}/g.ttl>",
        "INSERT": " DATA { <a:s> <a:p> <a:o> }",
        "DELETE": " WHERE { ?s ?p ?o }",
        "CLEAR": " ALL",
        "DROP": " ALL",
    }[word]
    update = f"{mid}{kw}{draw(between)}{body}{draw(between)}"
    if shape == "after-query":
        return f"{PROLOGUE}SELECT * WHERE {{ ?s ?p ?o }} ;\n{update}"
    return PROLOGUE + update


# -- the oracle ----------------------------------------------------------------------------------


def _quads() -> list[ox.Quad]:
    g = ox.NamedNode(GRAPH)
    return [
        ox.Quad(ox.NamedNode(f"http://e/s{i}"), ox.NamedNode("http://e/p"), ox.Literal(str(i)), g)
        for i in range(3)
    ] + [ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("d"))]


def _walk(node: Any) -> Iterator[str]:
    if isinstance(node, CompValue):
        yield node.name
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _walk(value)


def _connections_after(before: int) -> int:
    time.sleep(0.02)  # the listener's accept loop runs in a thread
    return LISTENER.connections - before


def check_one(query: str, guard: Callable[..., GuardedQuery] = guard_query) -> None:
    try:
        guarded = guard(query, known_graphs=[GRAPH])
    except ArgraphError as exc:
        assert exc.status in (400, 403), exc
        return
    text = guarded.text
    # rdflib's parser on what the engines get: no SERVICE, no update, no FROM
    try:
        algebra = translateQuery(parseQuery(text))
    except Exception:
        algebra = None
    if algebra is not None:
        names = set(_walk(algebra.algebra))
        assert "ServiceGraphPattern" not in names or guard is not guard_query, query
        assert not getattr(algebra.prologue, "datasetClause", None), query
    before = LISTENER.connections
    # pyoxigraph runs it over an in-memory store
    store = ox.Store()
    store.extend(_quads())
    snapshot = set(store)
    with contextlib.suppress(Exception):
        result = store.query(
            text,
            default_graph=[ox.NamedNode(g) for g in guarded.from_default] or None,
            named_graphs=[ox.NamedNode(g) for g in guarded.from_named] or None,
        )
        if isinstance(result, ox.QueryBoolean):
            bool(result)
        else:
            list(result)
        del result
    # pyoxigraph's results may only be dropped in the thread that made them: any left in a
    # reference cycle by a failed evaluation are collected here, not later by another thread.
    gc.collect()
    assert set(store) == snapshot, query
    # rdflib runs it over an in-memory dataset
    ds = rdflib.Dataset()
    ds.graph(rdflib.URIRef(GRAPH)).add(
        (rdflib.URIRef("http://e/s"), rdflib.URIRef("http://e/p"), rdflib.Literal("x"))
    )
    size = len(ds)
    with contextlib.suppress(Exception), warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's Dataset.default_context
        list(ds.query(text))
    assert len(ds) == size, query
    assert _connections_after(before) == 0, f"the listener was called: {query!r}"


@PROPERTY
@given(hostile_query())
def test_no_generated_query_reaches_out_or_writes(query: str) -> None:
    check_one(query)


def test_the_oracle_sees_a_query_that_reaches_out() -> None:
    """Positive control: with a guard that lets everything through, the oracle catches the call."""

    def no_guard(query: str, known_graphs: list[str]) -> GuardedQuery:
        return GuardedQuery(query, "SELECT")

    with pytest.raises(AssertionError, match="listener was called"):
        check_one(f"{PROLOGUE}SELECT * WHERE {{ SERVICE:sparql {{ ?s ?p ?o }} }}", no_guard)
    # pyoxigraph does not decode \\u outside strings and IRIs: only rdflib's evaluator calls out
    with pytest.raises(AssertionError, match="listener was called"):
        check_one(f"SELECT * WHERE {{ \\u0053ERVICE <{URL}/sparql> {{ ?s ?p ?o }} }}", no_guard)


# -- end to end, through the app -----------------------------------------------------------------


def _client(dist: Path, store: str, tmp: Path) -> TestClient:
    extra: dict[str, Any] = {"store": store}
    if store == "oxigraph-disk":
        extra["store_path"] = tmp / "store"
    return TestClient(create_app(Settings(dist=dist, query_timeout_s=10, **extra)))


def _count(client: TestClient) -> str:
    r = client.get(
        "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200, r.text
    return str(r.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("store", ["oxigraph", "oxigraph-disk", "rdflib"])
def test_generated_queries_through_the_app(mini_built: Built, tmp_path: Path, store: str) -> None:
    with _client(mini_built.dist, store, tmp_path) as client:
        before_count = _count(client)
        before = LISTENER.connections
        statuses: list[int] = []

        @settings(
            max_examples=25,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(hostile_query(), st.sampled_from(["get", "form", "body"]))
        def send(query: str, how: str) -> None:
            if how == "get":
                r = client.get("/sparql", params={"query": query})
            elif how == "form":
                r = client.post("/sparql", data={"query": query})
            else:
                r = client.post(
                    "/sparql",
                    content=query.encode("utf-8"),
                    headers={"content-type": "application/sparql-query"},
                )
            statuses.append(r.status_code)
            assert r.status_code < 500 or r.status_code == 503, (query, r.status_code, r.text)

        send()
        assert _connections_after(before) == 0
        assert _count(client) == before_count
        assert any(s in (400, 403) for s in statuses)
