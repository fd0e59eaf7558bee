"""The guard fails closed: every way found to make a lexer and an engine disagree about a token
is refused with a 400 that names the cause, and ordinary queries (keywords inside strings,
IRIs, comments and language tags) still pass and reach the engine as they were meant."""

from __future__ import annotations

import pytest

from errors import ArgraphError, BadRequest, QueryRefused, ReadOnly
from graph.sparql_guard import guard_query, tokens, update_refused

L = "http://127.0.0.1:9/sparql"
P = f"PREFIX : <{L}/> PREFIX e: <http://e/> "


def guard(q: str, **kw: object) -> str:
    return guard_query(q, known_graphs=["http://g/1"], **kw).text  # type: ignore[arg-type]


REFUSED: list[tuple[str, str, type[ArgraphError]]] = [
    # keywords in disguise
    ("SERVICE", f"SELECT * WHERE {{ SERVICE <{L}> {{ ?s ?p ?o }} }}", QueryRefused),
    ("lower case", f"SELECT * WHERE {{ service <{L}> {{ ?s ?p ?o }} }}", QueryRefused),
    ("\\u escape", f"SELECT * WHERE {{ \\u0053ERVICE <{L}> {{ ?s ?p ?o }} }}", QueryRefused),
    ("\\U escape", f"SELECT * WHERE {{ \\U00000053ERVICE <{L}> {{}} }}", QueryRefused),
    ("\\U with 4 digits", f"SELECT * WHERE {{ \\U0053ERVICE <{L}> {{}} }}", BadRequest),
    ("\\u with 8 digits", f"SELECT * WHERE {{ \\u00000053ERVICE <{L}> {{}} }}", BadRequest),
    ("long s", f"SELECT * WHERE {{ \u017fERVICE <{L}> {{}} }}", BadRequest),
    ("dotless i", f"SELECT * WHERE {{ SERV\u0131CE <{L}> {{}} }}", BadRequest),
    ("fullwidth", f"SELECT * WHERE {{ \uff33ERVICE <{L}> {{}} }}", BadRequest),
    ("prefix SERVICE:", P + "SELECT * WHERE { SERVICE:sparql { ?s ?p ?o } }", QueryRefused),
    ("prefix SERVICEé:", P + "SELECT * WHERE { SERVICE\u00e9:x { ?s ?p ?o } }", QueryRefused),
    ("prefix ſERVICE:", P + "SELECT * WHERE { \u017fERVICE:x { ?s ?p ?o } }", QueryRefused),
    ("glued trueSERVICE", f"SELECT * WHERE {{ ?s ?p trueSERVICE <{L}> {{}} }}", QueryRefused),
    ("glued trueSERVICE:x", P + "SELECT * WHERE { ?s ?p trueSERVICE:x {} }", QueryRefused),
    ("glued SERVICESILENT", f"SELECT * WHERE {{ SERVICESILENT<{L}>{{}} }}", QueryRefused),
    ("FROM:x", P + "SELECT * FROM:g.ttl WHERE { ?s ?p ?o }", QueryRefused),
    ("FROMé:x", P + "SELECT * FROM\u00e9:g.ttl WHERE { ?s ?p ?o }", QueryRefused),
    ("FROM NAMED:x", P + "SELECT * FROM NAMED:g WHERE { ?s ?p ?o }", QueryRefused),
    ("local .SERVICE", P + f"SELECT * WHERE {{ ?s ?p e:a.SERVICE <{L}> {{}} }}", QueryRefused),
    ("bif:", "SELECT (bif:http_get('http://x/') AS ?x) {}", QueryRefused),
    ("SQL: in upper case", "SELECT (SQL:f() AS ?x) {}", QueryRefused),
    ("<bif:...>", "SELECT (<bif:file_to_string>('/etc/passwd') AS ?x) {}", QueryRefused),
    (
        "bif namespace by PREFIX",
        "PREFIX f: <http://www.openlinksw.com/schemas/bif#> SELECT (f:http_get('x') AS ?x) {}",
        QueryRefused,
    ),
    # escapes and backslashes
    ("backslash outside", f"SELECT * WHERE {{ ?s ?p \\# SERVICE <{L}> {{}} }}", BadRequest),
    ('pname \\"', P + 'SELECT * WHERE { ?s ?p e:a\\" }', BadRequest),
    ("escape into escape", "SELECT * WHERE { ?s ?p '\\u005Cu0041' }", BadRequest),
    ("\\\\u in a string", "SELECT * WHERE { ?s ?p '\\\\u0041' }", BadRequest),
    ("unknown string escape", "SELECT * WHERE { ?s ?p 'a\\q' }", BadRequest),
    ("surrogate", "SELECT * WHERE { ?s ?p '\\uD800' }", BadRequest),
    ("backslash in an IRI", "SELECT * WHERE { ?s ?p <http://a/\\#> }", BadRequest),
    (
        "escaped quote ends",
        f"SELECT * WHERE {{ ?s ?p '\\u0027 }} SERVICE <{L}> {{}} #' }}",
        QueryRefused,
    ),
    # whitespace and characters no terminal covers
    ("form feed", "SELECT * WHERE {\x0c?s ?p ?o }", BadRequest),
    ("no-break space", "SELECT * WHERE {\u00a0?s ?p ?o }", BadRequest),
    ("NUL", "SELECT * WHERE { ?s ?p ?o }\x00", BadRequest),
    ("triple term", "SELECT * WHERE { BIND(<<( <a:s> <a:p> <a:o> )>> AS ?t) }", BadRequest),
    ("TRIPLE()", "SELECT (TRIPLE(<a:s>, <a:p>, <a:o>) AS ?t) {}", BadRequest),
    ("reifier", "SELECT * WHERE { << <a:s> <a:p> <a:o> ~ ?r >> ?p ?o }", BadRequest),
    # updates
    ("INSERT DATA", "INSERT DATA { <a:s> <a:p> <a:o> }", ReadOnly),
    ("LOAD", f"LOAD <{L}>", ReadOnly),
    ("\\u-escaped DROP", "\\u0044ROP ALL", ReadOnly),
    ("update after a query", "SELECT * WHERE {} ; CLEAR ALL", ReadOnly),
    # size and shape
    ("1,000 nested groups", "SELECT * WHERE " + "{" * 1000 + "}" * 1000, QueryRefused),
    (
        "nesting after a desync attempt",
        "SELECT * WHERE { ?s ?p e:a\\# " + "{" * 3000 + "}" * 3000 + " }",
        QueryRefused,
    ),
    (
        "7,000 flat OPTIONALs",
        "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o } " * 7000 + "}",
        QueryRefused,
    ),
    ("3,000 BINDs", "SELECT * WHERE { " + "BIND(1 AS ?x) " * 3000 + "}", QueryRefused),
    ("7,000 additions", "SELECT (" + "+".join(["1"] * 7000) + " AS ?x) {}", QueryRefused),
]


@pytest.mark.parametrize(("name", "query", "error"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused(name: str, query: str, error: type[ArgraphError]) -> None:
    with pytest.raises(error) as info:
        guard(query, max_query_bytes=1_000_000)
    assert info.value.message, name


def test_nesting_is_counted_on_the_decoded_text() -> None:
    q = "SELECT * WHERE " + "\\u007B" * 100 + "\\u007D" * 100
    with pytest.raises(QueryRefused, match="nests groups 100 deep"):
        guard(q)


def test_errors_name_the_place_and_the_character() -> None:
    with pytest.raises(BadRequest) as info:
        guard("SELECT * WHERE {\n  \u017fERVICE <x> {} }")
    assert "U+017F LATIN SMALL LETTER LONG S" in info.value.message
    assert "line 2, column 3" in info.value.message


ACCEPTED = [
    ('"x"@load', 'SELECT * WHERE { BIND("x"@load AS ?x) }'),
    ('"x"@service', 'SELECT * WHERE { BIND("x"@service AS ?x) }'),
    ("SERVICE in a string", "SELECT * WHERE { ?s ?p 'SERVICE <http://x/> {}' }"),
    ("SERVICE in a long string", "SELECT * WHERE { ?s ?p '''a''b \n SERVICE''' }"),
    ("SERVICE in an IRI", "SELECT * WHERE { ?s ?p <http://e/SERVICE> }"),
    ("SERVICE in a comment", "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/> {}"),
    ("a local name", P + "SELECT * WHERE { ?s e:service e:LOAD }"),
    ("a variable", "SELECT ?service WHERE { ?service ?insert ?drop }"),
    ("escaped pname", P + "SELECT * WHERE { ?s ?p e:a\\#b\\.c%41 }"),
    ("escaped string", "SELECT * WHERE { ?s ?p 'caf\\u00e9 \\'q\\' \\\\ \\n' }"),
    ("escaped IRI", "SELECT * WHERE { ?s ?p <http://e/\\u00e9> }"),
    ("comparisons", "SELECT * WHERE { ?s ?p ?o FILTER(?o<3 && ?o>=1.5e0 || ?o != -2) }"),
    ("paths", "SELECT * WHERE { ?s (<http://e/p>|^<http://e/q>)*/<http://e/r>? ?o }"),
    ("typed", "SELECT * WHERE { ?s ?p '1'^^<http://www.w3.org/2001/XMLSchema#int> }"),
    ("blank nodes", "SELECT * WHERE { _:b.1 ?p [ ?q () ] }"),
]


@pytest.mark.parametrize(("name", "query"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_accepted(name: str, query: str) -> None:
    guard(query)


def test_engines_get_the_decoded_text_without_comments() -> None:
    out = guard("SELECT ?x # a comment\nWHERE { BIND('caf\\u00e9' AS ?x) }")
    assert out == "SELECT ?x " + " " * len("# a comment") + "\nWHERE { BIND('café' AS ?x) }"


def test_from_is_cut_and_resolved() -> None:
    g = guard_query(
        "PREFIX g: <http://g/> SELECT * FROM g:1 FROM NAMED <http://g/1> WHERE { ?s ?p ?o }",
        known_graphs=["http://g/1"],
    )
    assert g.from_default == ["http://g/1"] and g.from_named == ["http://g/1"]
    assert "FROM" not in g.text and "g:1 " not in g.text.split("SELECT")[1]
    with pytest.raises(QueryRefused, match="not a graph in this store"):
        guard(f"SELECT * FROM <{L}> WHERE {{}}")


def test_star_order_and_base() -> None:
    g = guard_query("SELECT * WHERE { ?b ?a $c }", known_graphs=[], base_iri="http://h/sparql")
    assert g.star_order == ["b", "a", "c"]
    assert g.text.startswith("BASE <http://h/sparql>\n")


def test_update_refused_names_the_update() -> None:
    assert "INSERT" in update_refused("PREFIX e: <http://e/> INSERT DATA {}").message
    assert update_refused("\\uZZZZ").code == "read_only"


def test_tokens_for_other_modules() -> None:
    assert [t.kind for t in tokens("ASK { ?s <p:x> 'y' }")] == [
        "word",
        "open",
        "var",
        "iri",
        "string",
        "close",
    ]


def test_a_base_iri_from_a_hostile_host_header_is_refused() -> None:
    host = f"a> SELECT * WHERE {{ SERVICE <{L}> {{ ?s ?p ?o }} {{ #"
    with pytest.raises(BadRequest, match="Host header"):
        guard_query("SELECT * {} } }", known_graphs=[], base_iri=f"http://{host}/sparql")
