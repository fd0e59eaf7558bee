"""Checks on a SPARQL request before any engine sees it; whatever it cannot fully read, it refuses.

The text is decoded (codepoint escapes) and cut into the grammar's terminals by a strict lexer
(`graph/sparql_lexer.py`); nothing is skipped that an engine might read. On those tokens:

- only queries (SELECT, CONSTRUCT, DESCRIBE, ASK) pass; updates, LOAD, CLEAR... raise `ReadOnly`;
- Virtuoso's built-in functions (`bif:`, `sql:`, by prefix or IRI) are refused: a remote store
  on Virtuoso would run them (`bif:http_get`, `bif:file_to_string`);
- SERVICE is refused: the endpoint never calls other servers; so is any word or prefix that an
  engine could read as SERVICE, FROM or NAMED (pyoxigraph reads `SERVICE:x` as SERVICE `:x`;
  rdflib reads `ſERVICE` as SERVICE);
- FROM / FROM NAMED must name graphs already in the store (rdflib would fetch them otherwise);
  they are cut from the text and returned as an explicit dataset, so every store gets the
  same dataset semantics without resolving anything itself;
- caps on nesting depth ({, ( and [ together) and on the number of operators (OPTIONAL, UNION,
  BIND, VALUES, MINUS, FILTER..., and expression and path operators): pyoxigraph's recursive
  parser crashes the whole process near 1,000 nested groups, and its algebra near 3,000
  chained BINDs or 7,000 flat OPTIONALs; rdflib's hits Python's recursion limit earlier;
- a cap on the query's size, raw and decoded.

The engines get the decoded text with comments blanked, so they read exactly what was checked.
Parsing the query instead (rdflib's parser) costs 2-30 ms a query against about 0.1 ms here;
the property test (tests/test_guard_property.py) checks this lexer against both engines.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass, field
from urllib.parse import urljoin

from errors import BadRequest, QueryRefused, ReadOnly
from graph.sparql_lexer import (
    UPDATE_WORDS,
    Token,
    decode_escapes,
    keyword_inside,
    lex,
)

__all__ = ["GuardedQuery", "Token", "guard_query", "nesting_depth", "tokens", "update_refused"]

QUERY_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}
OPERATOR_WORDS = {"OPTIONAL", "UNION", "MINUS", "BIND", "VALUES", "FILTER", "GRAPH", "EXISTS"}
_PLAIN = frozenset(
    [
        "SELECT",
        "CONSTRUCT",
        "DESCRIBE",
        "ASK",
        "WHERE",
        "PREFIX",
        "BASE",
        "DISTINCT",
        "REDUCED",
        "AS",
        "A",
        "FILTER",
        "OPTIONAL",
        "UNION",
        "MINUS",
        "BIND",
        "VALUES",
        "GRAPH",
        "LIMIT",
        "OFFSET",
        "ORDER",
        "BY",
        "GROUP",
        "HAVING",
        "ASC",
        "DESC",
        "NOT",
        "EXISTS",
        "IN",
        "STR",
        "LANG",
        "COUNT",
        "SUM",
        "MIN",
        "MAX",
        "AVG",
        "SAMPLE",
        "GROUP_CONCAT",
        "SEPARATOR",
        "TRUE",
        "FALSE",
        "UNDEF",
        "REGEX",
        "CONTAINS",
        "STRSTARTS",
        "ISIRI",
        "ISURI",
        "ISLITERAL",
        "ISBLANK",
        "BOUND",
        "IF",
        "COALESCE",
        "LANGMATCHES",
    ]
)
"""Common keywords: no further check needed (none is or starts like a dangerous one)."""
OPERATORS = {"||", "&&", "=", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "|", "^", "!"}


@dataclass
class GuardedQuery:
    """A query that passed the guard: its text without FROM clauses, and its dataset."""

    text: str
    form: str
    from_default: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    star_order: list[str] | None = None
    """for SELECT *, the variables in order of appearance (engines may order them otherwise)"""

    @property
    def has_dataset(self) -> bool:
        return bool(self.from_default or self.from_named)


def tokens(text: str) -> list[Token]:
    """The tokens of `text` (escapes decoded, comments dropped); `BadRequest` if it cannot."""
    return lex(decode_escapes(text)).tokens


def nesting_depth(toks: list[Token]) -> int:
    depth = deepest = 0
    for t in toks:
        if t.kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif t.kind == "close":
            depth = max(0, depth - 1)
    return deepest


CACHED_CHARS = 4_096
"""queries up to this length are remembered once they passed (`guard_query`)"""
CACHE_SIZE = 1024
_passed: OrderedDict[tuple[str, str | None, int, int, int], GuardedQuery] = OrderedDict()
_passed_lock = threading.Lock()


def guard_query(
    text: str,
    *,
    known_graphs: Collection[str],
    max_nesting: int = 64,
    max_query_bytes: int = 200_000,
    base_iri: str | None = None,
    max_operators: int = 1000,
) -> GuardedQuery:
    """Check a query; raise `ReadOnly`, `QueryRefused` or `BadRequest` if it must not run.

    A short query that passed without FROM clauses (whose verdict depends on its text, the base
    IRI and the caps only, not on the store's graphs) is remembered: the same query again gets
    the same verdict without being read again (a copy of it)."""
    key = (text, base_iri, max_nesting, max_query_bytes, max_operators)
    if len(text) <= CACHED_CHARS:
        with _passed_lock:
            seen = _passed.get(key)
            if seen is not None:
                _passed.move_to_end(key)
        if seen is not None:
            return _copy(seen)
    guarded = _guard(
        text,
        known_graphs=known_graphs,
        max_nesting=max_nesting,
        max_query_bytes=max_query_bytes,
        base_iri=base_iri,
        max_operators=max_operators,
    )
    if len(text) <= CACHED_CHARS and not guarded.has_dataset:
        with _passed_lock:
            _passed[key] = _copy(guarded)
            while len(_passed) > CACHE_SIZE:
                _passed.popitem(last=False)
    return guarded


def _copy(g: GuardedQuery) -> GuardedQuery:
    star = None if g.star_order is None else list(g.star_order)
    return GuardedQuery(g.text, g.form, list(g.from_default), list(g.from_named), star)


def _guard(
    text: str,
    *,
    known_graphs: Collection[str],
    max_nesting: int,
    max_query_bytes: int,
    base_iri: str | None,
    max_operators: int,
) -> GuardedQuery:
    _check_size(text, max_query_bytes)
    decoded = decode_escapes(text)
    _check_size(decoded, max_query_bytes)
    lexed = lex(decoded)
    toks = lexed.tokens
    depth = nesting_depth(toks)
    if depth > max_nesting:
        raise QueryRefused(
            f"the query nests groups {depth} deep; this endpoint accepts at most {max_nesting}",
            max_nesting=max_nesting,
        )
    _check_words(toks)
    operators = sum(
        1
        for t in toks
        if (t.kind == "op" and t.text in OPERATORS)
        or (t.kind == "word" and t.text.upper() in OPERATOR_WORDS)
    )
    if operators > max_operators:
        raise QueryRefused(
            f"the query has {operators} operators (OPTIONAL, UNION, BIND, FILTER, +, |, ...); "
            f"this endpoint accepts at most {max_operators}",
            max_operators=max_operators,
        )
    base, prefixes, i = _prologue(toks, base_iri)
    if i >= len(toks):
        raise BadRequest("SPARQL syntax error: no query after the prologue")
    first = toks[i]
    word = first.text.upper() if first.kind == "word" else ""
    if word not in QUERY_FORMS:
        raise BadRequest(
            f"SPARQL syntax error: expected SELECT, CONSTRUCT, DESCRIBE or ASK, found {first.text!r}"
        )
    from_default, from_named, cut = _dataset(toks, i, base, prefixes, known_graphs)
    out = lexed.text
    for start, end in reversed(cut):
        out = out[:start] + " " * (end - start) + out[end:]
    star_order = None
    rest = toks[i + 1 : i + 3]
    if word == "SELECT" and any(t.text == "*" for t in rest):
        star_order = list(dict.fromkeys(t.text[1:] for t in toks[i:] if t.kind == "var"))
    if base_iri is not None:
        # The protocol's base IRI (the endpoint), for relative IRIs; the query's own BASE wins.
        # It comes from the request (its Host header): checked like any IRI of the query, or a
        # Host of `a> SELECT ... SERVICE <...> { #` would write the engine's text.
        if not _IRI_BODY.fullmatch(base_iri):
            raise BadRequest(
                f"the request's URL {base_iri!r} (its Host header) is not a valid IRI",
                base_iri=base_iri,
            )
        out = f"BASE <{base_iri}>\n" + out
    return GuardedQuery(out, word, from_default, from_named, star_order)


def _check_size(text: str, max_query_bytes: int) -> None:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_query_bytes:
        raise QueryRefused(
            f"the query is {size} bytes long; this endpoint accepts at most {max_query_bytes}",
            max_query_bytes=max_query_bytes,
        )


def _check_words(toks: list[Token]) -> None:
    """Refuse SERVICE, updates, and words or prefixes an engine could read as one of them."""
    for t in toks:
        if t.kind == "word":
            upper = t.text.upper()
            if upper in _PLAIN:
                continue
            if upper in UPDATE_WORDS:
                raise ReadOnly(f"{upper}: this endpoint is read-only and never runs updates")
            if upper in ("FROM", "NAMED"):
                continue
            if upper == "TRIPLE":
                raise BadRequest(
                    "TRIPLE(): SPARQL 1.2 triple terms are not served here (the graph has none, "
                    "and the SPARQL 1.1 result formats cannot carry them)"
                )
            kw = keyword_inside(t.text)
            if kw == "SERVICE" and upper == "SERVICE":
                raise QueryRefused(
                    "SERVICE is not allowed: this endpoint never queries other servers"
                )
            if kw is not None:
                raise QueryRefused(
                    f"{t.text!r} holds the keyword {kw}, which an engine may read apart from "
                    "the rest (pyoxigraph reads trueSERVICE as true SERVICE): separate them"
                )
        elif t.kind == "iri" and _VIRTUOSO_BUILTINS.search(t.text):
            raise QueryRefused(_VIRTUOSO_REFUSED.format(t.text))
        elif t.kind == "pname":
            prefix = t.text.partition(":")[0]
            if prefix.lower() in ("bif", "sql"):
                raise QueryRefused(_VIRTUOSO_REFUSED.format(t.text))
            kw = keyword_inside(prefix) if prefix else None
            if kw is not None:
                raise QueryRefused(
                    f"the prefixed name {t.text!r}: an engine may read its prefix as the keyword "
                    f"{kw}; choose another prefix name",
                    keyword=kw,
                )
            _check_local(t.text)


_IRI_BODY = re.compile(r'[^<>"{}|^`\\\x00-\x20]*')
_VIRTUOSO_BUILTINS = re.compile(r"^<(?:bif|sql):|openlinksw\.com/schemas/(?:bif|sql)#", re.I)
_VIRTUOSO_REFUSED = (
    "{}: Virtuoso's built-in functions (bif:, sql:) can read files and fetch URLs; this endpoint "
    "refuses them whatever the store"
)


def _check_local(pname: str) -> None:
    """A local name with a keyword after a dot or an escape: refused, in case an engine ends the
    name there (older parsers do), as `ex:a.SERVICE <...> {...}` would then call out."""
    local = pname.partition(":")[2]
    for sep in (".", "\\", "%"):
        for piece in local.split(sep)[1:]:
            head = piece[2:] if sep == "%" else piece[1:] if sep == "\\" else piece
            kw = keyword_inside(head) if head else None
            if kw == "SERVICE" or kw in UPDATE_WORDS:
                raise QueryRefused(
                    f"the prefixed name {pname!r} holds the keyword {kw} after {sep!r}; "
                    "write the IRI in full (<...>)",
                    keyword=kw,
                )


def _dataset(
    toks: list[Token], i: int, base: str | None, prefixes: dict[str, str], known: Collection[str]
) -> tuple[list[str], list[str], list[tuple[int, int]]]:
    cut: list[tuple[int, int]] = []
    from_default: list[str] = []
    from_named: list[str] = []
    j = i
    while j < len(toks):
        t = toks[j]
        if t.kind == "word" and t.text.upper() == "NAMED":
            raise BadRequest("SPARQL syntax error: NAMED without FROM")
        if t.kind == "word" and t.text.upper() == "FROM":
            named = (
                j + 1 < len(toks)
                and toks[j + 1].kind == "word"
                and (toks[j + 1].text.upper() == "NAMED")
            )
            k = j + 2 if named else j + 1
            if k >= len(toks) or toks[k].kind not in ("iri", "pname"):
                raise BadRequest("SPARQL syntax error: FROM must be followed by a graph IRI")
            iri = _resolve(toks[k], base, prefixes)
            if iri not in known:
                raise QueryRefused(
                    f"FROM{' NAMED' if named else ''} <{iri}>: not a graph in this store; the "
                    "endpoint never fetches remote graphs (list them with "
                    "SELECT DISTINCT ?g { GRAPH ?g {} })",
                    graph=iri,
                )
            (from_named if named else from_default).append(iri)
            cut.append((t.start, toks[k].end))
            j = k + 1
            continue
        j += 1
    return from_default, from_named, cut


def _prologue(toks: list[Token], base: str | None) -> tuple[str | None, dict[str, str], int]:
    prefixes: dict[str, str] = {}
    i = 0
    while i < len(toks) and toks[i].kind == "word":
        kw = toks[i].text.upper()
        if kw == "BASE" and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            iri = toks[i + 1].text[1:-1]
            base = urljoin(base, iri) if base else iri
            i += 2
        elif (
            kw == "PREFIX"
            and i + 2 < len(toks)
            and toks[i + 1].kind == "pname"
            and toks[i + 1].text.endswith(":")
            and toks[i + 2].kind == "iri"
        ):
            iri = toks[i + 2].text[1:-1]
            prefixes[toks[i + 1].text[:-1]] = urljoin(base, iri) if base else iri
            i += 3
        else:
            break
    return base, prefixes, i


def _resolve(tok: Token, base: str | None, prefixes: dict[str, str]) -> str:
    if tok.kind == "iri":
        iri = tok.text[1:-1]
        return urljoin(base, iri) if base else iri
    prefix, _, local = tok.text.partition(":")
    if prefix not in prefixes:
        raise BadRequest(f"SPARQL syntax error: undefined prefix {prefix!r}")
    return prefixes[prefix] + _unescape_local(local)


def _unescape_local(local: str) -> str:
    out = []
    k = 0
    while k < len(local):
        if local[k] == "\\" and k + 1 < len(local):
            out.append(local[k + 1])
            k += 2
        else:
            out.append(local[k])
            k += 1
    return "".join(out)


def update_refused(text: str) -> ReadOnly:
    """The error for anything sent as an update (the text is only read for its first word)."""
    try:
        words = [t.text.upper() for t in tokens(text) if t.kind == "word"]
    except BadRequest:
        words = []
    first = next((w for w in words if w not in ("PREFIX", "BASE")), "update")
    return ReadOnly(f"{first}: this endpoint is read-only and never runs SPARQL updates")
