"""Checks on a SPARQL request before any engine sees it.

A light lexer (comments, strings and IRIs are skipped, so keywords inside them do not count) is
enough to decide what matters here, without a full parse:

- only queries (SELECT, CONSTRUCT, DESCRIBE, ASK) pass; updates, LOAD, CLEAR... raise `ReadOnly`;
- SERVICE is refused: the endpoint never calls other servers;
- FROM / FROM NAMED must name graphs already in the store (rdflib would fetch them otherwise);
  they are cut from the text and returned as an explicit dataset, so every store gets the
  same dataset semantics without resolving anything itself;
- a cap on nesting depth ({, ( and [ together): pyoxigraph's recursive parser crashes the whole
  process near 1,000 nested groups, and rdflib's hits Python's recursion limit earlier;
- a cap on the query's size.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from urllib.parse import urljoin

from argraph.graph.errors import BadRequest, QueryRefused, ReadOnly

QUERY_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}
UPDATE_WORDS = {
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "DROP",
    "CREATE",
    "ADD",
    "MOVE",
    "COPY",
    "WITH",
}
# Words that can never occur in a query (so finding one after a query form means an update).
NEVER_IN_QUERY = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP"}

_PN = r"[A-Za-z\u00C0-\uFFFF][\w\-.\u00B7-\uFFFF]*"
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00B7-\uFFFF]+)
  | (?P<pname>(?:"""
    + _PN
    + r""")?:(?:[\w\-.%\\:\u00B7-\uFFFF]*[\w\-%:\u00B7-\uFFFF])?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str
    start: int
    end: int


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
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        out.append(Token(kind, m.group(), m.start(), m.end()))
    return out


def nesting_depth(toks: list[Token]) -> int:
    depth = deepest = 0
    for t in toks:
        if t.kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif t.kind == "close":
            depth = max(0, depth - 1)
    return deepest


def guard_query(
    text: str,
    *,
    known_graphs: Collection[str],
    max_nesting: int = 64,
    max_query_bytes: int = 200_000,
    base_iri: str | None = None,
) -> GuardedQuery:
    """Check a query; raise `ReadOnly`, `QueryRefused` or `BadRequest` if it must not run."""
    size = len(text.encode("utf-8"))
    if size > max_query_bytes:
        raise QueryRefused(
            f"the query is {size} bytes long; this endpoint accepts at most {max_query_bytes}",
            max_query_bytes=max_query_bytes,
        )
    toks = tokens(text)
    depth = nesting_depth(toks)
    if depth > max_nesting:
        raise QueryRefused(
            f"the query nests groups {depth} deep; this endpoint accepts at most {max_nesting}",
            max_nesting=max_nesting,
        )
    base, prefixes, i = _prologue(toks, base_iri)
    if i >= len(toks):
        raise BadRequest("SPARQL syntax error: no query after the prologue")
    first = toks[i]
    word = first.text.upper() if first.kind == "word" else ""
    if word in UPDATE_WORDS:
        raise ReadOnly(f"{word}: this endpoint is read-only and runs queries only, never updates")
    if word not in QUERY_FORMS:
        raise BadRequest(
            f"SPARQL syntax error: expected SELECT, CONSTRUCT, DESCRIBE or ASK, found {first.text!r}"
        )
    words = [t for t in toks[i:] if t.kind == "word"]
    for t in words:
        upper = t.text.upper()
        if upper == "SERVICE":
            raise QueryRefused("SERVICE is not allowed: this endpoint never queries other servers")
        if upper in NEVER_IN_QUERY:
            raise ReadOnly(f"{upper}: this endpoint is read-only and never runs updates")
    known = set(known_graphs)
    cut: list[tuple[int, int]] = []
    from_default: list[str] = []
    from_named: list[str] = []
    j = i
    while j < len(toks):
        t = toks[j]
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
    out = text
    for start, end in reversed(cut):
        out = out[:start] + " " * (end - start) + out[end:]
    star_order = None
    rest = toks[i + 1 : i + 3]
    if word == "SELECT" and any(t.text == "*" for t in rest):
        star_order = list(dict.fromkeys(t.text[1:] for t in toks[i:] if t.kind == "var"))
    if base_iri is not None:
        # The protocol's base IRI (the endpoint), for relative IRIs; the query's own BASE wins.
        out = f"BASE <{base_iri}>\n" + out
    return GuardedQuery(out, word, from_default, from_named, star_order)


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
    return prefixes[prefix] + local.replace("\\", "")


def update_refused(text: str) -> ReadOnly:
    """The error for anything sent as an update."""
    first = next((t.text.upper() for t in tokens(text) if t.kind == "word"), "update")
    return ReadOnly(f"{first}: this endpoint is read-only and never runs SPARQL updates")
