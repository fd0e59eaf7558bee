"""graph/stores/execute.py: what a query worker writes, its caps and its row counts, on every
store (answers compared across the embedded store and rdflib)."""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import Path
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from errors import NotFound, ResultTooLarge
from graph.results import NotRepresentable
from graph.store import OxigraphStore, Store
from graph.stores.execute import Answer, QueryJob, _held, execute
from graph.stores.rdflib_store import RdflibStore
from graph.stores.sink import Count, CsvRows, JsonRows, Sink

G = "http://example.org/g"
EX = "http://example.org/"
JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
NASTY = [
    'a,{"b":{}},{',
    "[{}],{},",
    'quote " and \\ backslash \\" \\\\',
    "line\r\nbreak,comma",
    "<result></result>",
    "中文,{标签}",
    "\t tab",
    "",
]


def _store(kind: str, tmp: Path, labels: list[str]) -> Store:
    lines = [
        f'<{EX}s{n}> <{EX}label> "{_nt(text)}" <{G}> .\n'
        + f'<{EX}s{n}> <{EX}n> "{n}"^^<http://www.w3.org/2001/XMLSchema#integer> <{G}> .\n'
        for n, text in enumerate(labels)
    ]
    dump = tmp / f"{kind}.nq"
    dump.write_text("".join(lines), encoding="utf-8")
    store: Store = OxigraphStore() if kind == "oxigraph" else RdflibStore()
    store.load_nquads(dump)
    return store


def _nt(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )


def _run(store: Store, q: str, media: str = JSON, **kw: object) -> Answer:
    job = QueryJob(q, None, None, kw.pop("max_rows", None), media=media, **kw)  # type: ignore[arg-type]
    return execute(store, job)


def _rows(answer: Answer, media: str) -> list[dict[str, str]]:
    """The rows as {variable: value}, parsed back from the bytes."""
    text = answer.body.decode("utf-8")
    if media == JSON:
        doc = json.loads(text)
        return [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]
    if media == XML:
        ns = "{http://www.w3.org/2005/sparql-results#}"
        root = ElementTree.fromstring(answer.body)
        return [
            {b.attrib["name"]: "".join(b.itertext()) for b in r.iter(f"{ns}binding")}
            for r in root.iter(f"{ns}result")
        ]
    if media == CSV:
        rows = list(csv.reader(io.StringIO(text, newline="")))
        return [{k: v for k, v in zip(rows[0], r, strict=True) if v} for r in rows[1:]]
    lines = text.split("\n")[:-1]
    head = [h[1:] for h in lines[0].split("\t")]
    return [{k: v for k, v in zip(head, line.split("\t"), strict=True) if v} for line in lines[1:]]


@pytest.fixture(params=["oxigraph", "rdflib"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    return _store(request.param, tmp_path, NASTY)


SELECT = f"SELECT ?s ?l WHERE {{ ?s <{EX}label> ?l }} ORDER BY ?s"


@pytest.mark.parametrize("media", [JSON, XML, CSV, TSV])
def test_rows_are_counted_exactly_and_answers_parse(store: Store, media: str) -> None:
    answer = _run(store, SELECT, media)
    if media == JSON and isinstance(store, OxigraphStore):
        # below the cap, an upper bound (labels here hold `[{` and `,{`); at the cap, exact
        assert answer.rows >= len(NASTY)
        assert _run(store, SELECT, media, max_rows=len(NASTY)).rows == len(NASTY)
    else:
        assert answer.rows == len(NASTY)
    assert answer.media.startswith(media)
    rows = _rows(answer, media)
    assert len(rows) == len(NASTY)
    if media in (JSON, XML, CSV):
        # the same labels in the same order, whatever the store
        assert [r.get("l", "") for r in rows] == [NASTY[i] for i in _order()]


def _order() -> list[int]:
    return sorted(range(len(NASTY)), key=lambda n: f"{EX}s{n}")


@pytest.mark.parametrize("media", [JSON, XML, CSV, TSV])
def test_row_cap_is_exact(store: Store, media: str) -> None:
    n = len(NASTY)
    assert _run(store, SELECT, media, max_rows=n).rows == n
    with pytest.raises(ResultTooLarge) as err:
        _run(store, SELECT, media, max_rows=n - 1)
    assert err.value.detail["max_rows"] == n - 1


@pytest.mark.parametrize("media", ["text/turtle", "application/n-triples", "application/rdf+xml"])
def test_construct_row_cap(store: Store, media: str) -> None:
    q = f"CONSTRUCT {{ ?s <{EX}label> ?l }} WHERE {{ ?s <{EX}label> ?l }}"
    ok = _run(store, q, media, max_rows=len(NASTY))
    assert ok.rows == len(NASTY)
    fmt = {"text/turtle": "turtle", "application/n-triples": "nt"}.get(media, "xml")
    g = Graph().parse(data=ok.body, format=fmt)
    assert sorted(str(o) for o in g.objects()) == sorted(NASTY)
    with pytest.raises(ResultTooLarge):
        _run(store, q, media, max_rows=len(NASTY) - 1)


def test_byte_cap_stops_the_writer(store: Store) -> None:
    full = _run(store, SELECT)
    with pytest.raises(ResultTooLarge) as err:
        _run(store, SELECT, max_bytes=len(full.body) - 1)
    assert err.value.detail["max_result_bytes"] == len(full.body) - 1
    assert _run(store, SELECT, max_bytes=len(full.body)).body == full.body


def test_sink_refuses_as_soon_as_the_cap_is_passed() -> None:
    sink = Sink(10)
    sink.write(b"0123456789")
    with pytest.raises(ResultTooLarge):
        sink.write(b"x")
    assert sink.body() == b"0123456789"  # the chunk that passed the cap was never kept


@pytest.mark.parametrize("media", [CSV, TSV])
def test_ask_in_csv_and_tsv_is_jenas_form(store: Store, media: str) -> None:
    yes = _run(store, f"ASK {{ ?s <{EX}label> ?l }}", media).body
    no = _run(store, f"ASK {{ ?s <{EX}nothing> ?l }}", media).body
    if media == CSV:
        assert (yes, no) == (b"_askResult\r\ntrue\r\n", b"_askResult\r\nfalse\r\n")
    else:
        assert (yes, no) == (b"?_askResult\ntrue\n", b"?_askResult\nfalse\n")


@pytest.mark.parametrize("media", [JSON, XML])
def test_ask_in_json_and_xml(store: Store, media: str) -> None:
    body = _run(store, "ASK {}", media).body
    if media == JSON:
        assert json.loads(body) == {"head": {}, "boolean": True}
    else:
        ns = "{http://www.w3.org/2005/sparql-results#}"
        assert ElementTree.fromstring(body).find(f"{ns}boolean").text == "true"  # type: ignore[union-attr]


@pytest.mark.parametrize("media", [JSON, XML, CSV, TSV])
def test_select_star_columns_follow_the_query(store: Store, media: str) -> None:
    q = f"SELECT * WHERE {{ ?z <{EX}n> ?a . ?z <{EX}label> ?m }}"
    answer = _run(store, q, media, star_order=("z", "a", "m"))
    text = answer.body.decode("utf-8")
    if media == JSON:
        assert json.loads(text)["head"]["vars"] == ["z", "a", "m"]
    elif media == XML:
        ns = "{http://www.w3.org/2005/sparql-results#}"
        root = ElementTree.fromstring(answer.body)
        assert [v.attrib["name"] for v in root.iter(f"{ns}variable")] == ["z", "a", "m"]
    elif media == CSV:
        assert text.split("\r\n")[0] == "z,a,m"
    else:
        assert text.split("\n")[0] == "?z\t?a\t?m"
    assert len(_rows(answer, media)) == len(NASTY)


def test_select_star_with_unicode_variables() -> None:
    q = "SELECT * WHERE { BIND(1 AS ?变量) BIND(2 AS ?a) }"
    for media in (JSON, XML, CSV, TSV):
        body = _run(OxigraphStore(), q, media, star_order=("变量", "a")).body
        if media == JSON:
            assert json.loads(body)["head"]["vars"] == ["变量", "a"]
        elif media == XML:
            ns = "{http://www.w3.org/2005/sparql-results#}"
            root = ElementTree.fromstring(body)
            assert [v.attrib["name"] for v in root.iter(f"{ns}variable")] == ["变量", "a"]
        else:
            assert body.decode("utf-8").splitlines()[0] in ("变量,a", "?变量\t?a")


def test_xml_refuses_characters_xml_cannot_carry(tmp_path: Path) -> None:
    for kind in ("oxigraph", "rdflib"):
        store = _store(kind, tmp_path, ["bell \x07 here", "fine"])
        with pytest.raises(NotRepresentable) as err:
            _run(store, SELECT, XML)
        assert err.value.status == 406 and err.value.detail["character"] == "U+0007"
        q = f"CONSTRUCT WHERE {{ ?s <{EX}label> ?l }}"
        with pytest.raises(NotRepresentable):
            _run(store, q, "application/rdf+xml")
        # JSON carries it escaped, TSV as it is (legal in a Turtle string)
        assert b"\\u0007" in _run(store, SELECT).body
        labels = [r["l"] for r in json.loads(_run(store, SELECT).body)["results"]["bindings"]]
        assert {"value": "bell \x07 here", "type": "literal"} in labels
        assert '"bell \x07 here"' in _run(store, SELECT, TSV).body.decode("utf-8")


TRIPLE = f"<<( <{EX}a> <{EX}b> <{EX}c> )>>"


def test_triple_terms_are_written_where_the_format_has_them(tmp_path: Path) -> None:
    store = OxigraphStore()
    q = f"SELECT ?t WHERE {{ BIND({TRIPLE} AS ?t) }}"
    doc = json.loads(_run(store, q).body)
    assert doc["results"]["bindings"][0]["t"]["type"] == "triple"
    assert b"<triple>" in _run(store, q, XML).body
    assert _run(store, q, TSV).body.decode().splitlines()[1] == TRIPLE
    c = f"CONSTRUCT {{ <{EX}x> <{EX}y> ?t }} WHERE {{ BIND({TRIPLE} AS ?t) }}"
    assert TRIPLE.encode() in _run(store, c, "application/n-triples").body
    assert TRIPLE.encode() in _run(store, c, "text/turtle").body
    with pytest.raises(NotRepresentable) as err:
        _run(store, c, "application/ld+json")
    assert err.value.status == 406


def test_pages_and_missing_items(tmp_path: Path) -> None:
    store = _store("oxigraph", tmp_path, ["one"])
    q = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ BIND(<{EX}s0> AS ?s) <{EX}s0> ?p ?o }}"
    extra = (("focus", f"{EX}s0"), ("base_iri", EX), ("missing", "nothing here"))
    job = QueryJob(q, None, None, None, media="text/html", render="page", extra=extra)
    page = execute(store, job)
    assert page.media.startswith("text/html") and b"one" in page.body and page.rows == 2
    turtle = execute(store, QueryJob(q, None, None, None, "text/turtle", None, None, "page", extra))
    assert len(Graph().parse(data=turtle.body, format="turtle")) == 2
    empty = q.replace("s0", "nobody")
    with pytest.raises(NotFound, match="nothing here"):
        execute(store, QueryJob(empty, None, None, None, "text/html", None, None, "page", extra))


def test_exports_run_as_jobs(paper_store: OxigraphStore) -> None:
    job = QueryJob("", None, None, None, "text/csv", render="export", extra=(("format", "aif"),))
    answer = execute(paper_store, job)
    assert answer.media.startswith("application/json") and json.loads(answer.body)
    with pytest.raises(ResultTooLarge):
        execute(paper_store, QueryJob("", None, None, None, "x", 100, None, "export", job.extra))


# The counters on arbitrary text cut into arbitrary chunks: exact, whatever is in the strings.
_text = st.text(alphabet=st.sampled_from([*'ab,{}[]"\\\r\n\t<>/', "中"]), max_size=12)


def _chunked(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts} | {0, len(data)})
    return [data[a:b] for a, b in itertools.pairwise(points)]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.lists(st.lists(st.one_of(st.none(), _text), min_size=2, max_size=2), max_size=6),
    st.lists(st.integers(min_value=0, max_value=10_000), max_size=8),
)
def test_counters_are_exact_on_any_chunking(rows: list[list[str | None]], cuts: list[int]) -> None:
    solutions = [
        {v: ox.Literal(x) for v, x in zip(("a", "b"), row, strict=True) if x is not None}
        for row in rows
    ]
    variables = [ox.Variable("a"), ox.Variable("b")]
    for fmt, counter in (
        (ox.QueryResultsFormat.JSON, lambda: JsonRows(0)),
        (ox.QueryResultsFormat.XML, lambda: Count(b"<result>")),
        (ox.QueryResultsFormat.CSV, CsvRows),
        (ox.QueryResultsFormat.TSV, lambda: Count(b"\n", header=1)),
    ):
        data = _serialize(variables, solutions, fmt)
        rows_counter = counter()
        n = 0
        for chunk in _chunked(data, cuts):
            n = rows_counter.feed(chunk)
        assert n == len(rows), (fmt, data)


def _serialize(
    variables: list[ox.Variable], solutions: list[dict[str, ox.Literal]], fmt: ox.QueryResultsFormat
) -> bytes:
    """Solutions written by pyoxigraph's writer (a VALUES query over an empty store)."""
    values = " ".join(
        "(" + " ".join(str(s[v.value]) if v.value in s else "UNDEF" for v in variables) + ")"
        for s in solutions
    )
    q = f"SELECT ?a ?b WHERE {{ VALUES (?a ?b) {{ {values} }} }}"
    result = ox.Store().query(q)
    assert isinstance(result, ox.QuerySolutions)
    out = result.serialize(format=fmt)
    assert out is not None
    return out


def test_rdflib_pages_hold_a_bounded_number_of_triples(tmp_path: Path) -> None:
    store = _store("oxigraph", tmp_path, [f"label {n}" for n in range(50)])
    q = "CONSTRUCT WHERE { ?s ?p ?o }"
    extra = (("focus", f"{EX}s0"), ("base_iri", EX))
    for media in ("text/html", "application/ld+json"):
        # 100 triples, room for 64: refused before rdflib holds them all
        with pytest.raises(ResultTooLarge):
            execute(store, QueryJob(q, None, None, None, media, 64 * 32, None, "page", extra))
    taken: list[ox.Triple] = []
    triples = [
        ox.Triple(ox.NamedNode(f"{EX}s"), ox.NamedNode(f"{EX}p"), ox.Literal(str(n)))
        for n in range(100)
    ]
    with pytest.raises(ResultTooLarge):
        taken.extend(_held(triples, 64 * 32))
    assert len(taken) == 64  # the 65th is refused before it is handed over
    assert len(list(_held(triples[:64], 64 * 32))) == 64
