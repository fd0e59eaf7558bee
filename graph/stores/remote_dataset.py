"""How the remote store names its dataset to the server, decided once per store.

A query that names no dataset must see the union of the graphs argraph loaded, and nothing else
(`graph/store.py`). A SPARQL server answers a query with no dataset from its own default graph:
Virtuoso's is the union of all its graphs, its system graphs included (a fresh Virtuoso 7.2 counts
2,496 triples for `SELECT (COUNT(*) AS ?n) { ?s ?p ?o }`, 2,479 of them in
`http://www.openlinksw.com/schemas/virtrdf#`); Fuseki's is the dataset's default graph (the union
of its named graphs only with `tdb:unionDefaultGraph`). So, from the graphs the server holds
(asked once) and the graphs argraph loaded:

- `none`: the server holds exactly argraph's graphs (or argraph loaded nothing and serves what is
  there): queries go as written, with no dataset;
- `exclude`: a Virtuoso with a few other graphs (its system graphs): `DEFINE
  input:default-graph-exclude` / `input:named-graph-exclude` pragmas for those, prefixed once;
- `from`: otherwise, FROM and FROM NAMED clauses for argraph's graphs, composed once and put
  into the query text before its WHERE clause.

A query whose text names its own dataset (FROM) is sent as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from graph.sparql_lexer import Token, decode_escapes, lex

FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
Mode = Literal["none", "exclude", "from"]


@dataclass(frozen=True)
class DatasetPlan:
    mode: Mode
    clauses: str = ""
    """the pragmas (exclude) or the FROM clauses (from), composed once"""

    @classmethod
    def decide(
        cls, ours: Sequence[str], on_server: Sequence[str], *, virtuoso: bool
    ) -> DatasetPlan:
        extra = sorted(set(on_server) - set(ours))
        if not extra:
            return cls("none")
        if virtuoso and len(extra) <= len(ours):
            lines = [
                f"DEFINE input:{kind}-graph-exclude <{g}>"
                for g in extra
                for kind in ("default", "named")
            ]
            return cls("exclude", "\n".join(lines) + "\n")
        return cls.froms(ours)

    @classmethod
    def froms(cls, ours: Sequence[str]) -> DatasetPlan:
        """FROM and FROM NAMED clauses for `ours` (right whatever else the server holds)."""
        froms = [f"FROM <{g}>" for g in ours] + [f"FROM NAMED <{g}>" for g in ours]
        return cls("from", "\n" + "\n".join(froms) + "\n")

    def apply(self, sparql: str) -> str | None:
        """The query text to send, or None when it cannot carry the dataset in its text (no
        query form found): then the caller names the graphs in the protocol."""
        if self.mode == "none":
            return sparql
        if self.mode == "exclude":
            return self.clauses + sparql
        decoded = decode_escapes(sparql)
        lexed = lex(decoded)
        at = dataset_position(lexed.tokens)
        if at == "own":
            return sparql
        if at is not None:
            return lexed.text[:at] + self.clauses + lexed.text[at:]
        end = describe_end(lexed.tokens)
        if end is None:
            return None
        # DESCRIBE <x> is DESCRIBE <x> WHERE {}: the dataset clause needs the WHERE after it
        return lexed.text[:end] + self.clauses + " WHERE {}" + lexed.text[end:]


def dataset_position(ts: Sequence[Token]) -> int | Literal["own"] | None:
    """Where a dataset clause goes (the start of the WHERE clause), "own" when the query already
    has FROM, None when it has no WHERE clause."""
    i = next((k for k, t in enumerate(ts) if t.kind == "word" and t.text.upper() in FORMS), None)
    if i is None:
        return None
    k = i + 1
    if ts[i].text.upper() == "CONSTRUCT" and k < len(ts) and ts[k].text == "{":
        depth = 0
        while k < len(ts):
            if ts[k].kind == "open":
                depth += 1
            elif ts[k].kind == "close":
                depth -= 1
                if depth == 0:
                    k += 1
                    break
            k += 1
    depth = 0
    for t in ts[k:]:
        if t.kind == "open":
            if depth == 0 and t.text == "{":
                return t.start
            depth += 1
        elif t.kind == "close":
            depth -= 1
        elif depth == 0 and t.kind == "word":
            word = t.text.upper()
            if word == "FROM":
                return "own"
            if word == "WHERE":
                return t.start
    return None


def describe_end(ts: Sequence[Token]) -> int | None:
    """For a DESCRIBE without WHERE, where its resources end; None for any other query."""
    i = next((k for k, t in enumerate(ts) if t.kind == "word" and t.text.upper() in FORMS), None)
    if i is None or ts[i].text.upper() != "DESCRIBE":
        return None
    end = ts[i].end
    for t in ts[i + 1 :]:
        if t.kind not in ("iri", "pname", "var") and t.text != "*":
            break
        end = t.end
    return end
