"""The argument layer read from any store through SPARQL: its statements and their relations.

A statement is any node that is a claim or takes part in a relation (`arg:supports`,
`arg:challenges`, `arg:qualifies`, and `arg:rationale`, read as "the rationale supports the
recommendation"). Everything is sorted, so exporters built on it are deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from graph.query_rows import Queryable, lang_pick, local_name, select, value

Relation = Literal["supports", "challenges", "qualifies"]

# Most specific first: the first class a node has names its kind.
KINDS = [
    ("PolicyRecommendation", "policy"),
    ("Thesis", "thesis"),
    ("EmpiricalClaim", "empirical"),
    ("CausalClaim", "causal"),
    ("NormativeClaim", "normative"),
    ("DefinitionalClaim", "definitional"),
    ("Claim", "claim"),
    ("Statistic", "statistic"),
    ("Evidence", "evidence"),
    ("Explanation", "explanation"),
    ("CausalLink", "link"),
    ("FeedbackLoop", "loop"),
]
_ARG = "https://w3id.org/argraph/ontology#"


@dataclass
class Statement:
    iri: str
    id: str
    kind: str = "statement"
    en: str | None = None
    zh: str | None = None
    quote: str | None = None
    start: int | None = None
    thesis: bool = False
    types: set[str] = field(default_factory=set)

    @property
    def text(self) -> str:
        return self.en or self.zh or self.id


@dataclass(frozen=True, order=True)
class Edge:
    source: str
    relation: Relation
    target: str


@dataclass
class Argument:
    statements: dict[str, Statement]
    edges: list[Edge]
    rationale: dict[str, list[str]] = field(default_factory=dict)
    """recommendation IRI -> the claims given as its rationale (also `supports` edges)"""

    def ordered(self) -> list[Statement]:
        """Statements in reading order (their quote's position), then by IRI."""
        return sorted(self.statements.values(), key=_order)


_RELATIONS: list[tuple[Relation, str]] = [
    ("supports", "SELECT ?s ?o WHERE { ?s arg:supports ?o }"),
    ("challenges", "SELECT ?s ?o WHERE { ?s arg:challenges ?o }"),
    ("qualifies", "SELECT ?s ?o WHERE { ?s arg:qualifies ?o }"),
    # A recommendation's rationale supports it.
    ("supports", "SELECT ?s ?o WHERE { ?o a arg:PolicyRecommendation ; arg:rationale ?s }"),
]
_NODES = """
SELECT ?x ?type ?label ?quote ?start WHERE {
  { ?x a arg:Claim } UNION { ?x a arg:PolicyRecommendation } UNION { ?x a arg:Explanation }
  UNION { ?x arg:supports|arg:challenges|arg:qualifies [] }
  UNION { [] arg:supports|arg:challenges|arg:qualifies|arg:rationale ?x }
  OPTIONAL { ?x a ?type FILTER(STRSTARTS(STR(?type), STR(arg:))) }
  OPTIONAL { ?x rdfs:label ?label }
  OPTIONAL { ?x arg:quote ?quote }
  OPTIONAL { ?x arg:anchor/oa:hasSelector/oa:start ?start }
}
"""


def load_argument(store: Queryable) -> Argument:
    statements: dict[str, Statement] = {}
    for row in select(store, _NODES):
        iri = value(row, "x")
        assert iri is not None
        s = statements.setdefault(iri, Statement(iri=iri, id=local_name(iri)))
        t = value(row, "type")
        if t:
            s.types.add(t.removeprefix(_ARG))
        s.en = lang_pick(s.en, row.get("label"), "en")
        s.zh = lang_pick(s.zh, row.get("label"), "zh")
        quote = value(row, "quote")
        if quote is not None and (s.quote is None or quote < s.quote):
            s.quote = quote
        start = value(row, "start")
        if start is not None and (s.start is None or int(start) < s.start):
            s.start = int(start)
    for s in statements.values():
        s.kind = next((k for cls, k in KINDS if cls in s.types), "statement")
        s.thesis = "Thesis" in s.types
        if s.kind == "thesis":
            s.kind = next((k for cls, k in KINDS[2:] if cls in s.types), "claim")
    edges = sorted(
        {
            Edge(str(value(r, "s")), relation, str(value(r, "o")))
            for relation, query in _RELATIONS
            for r in select(store, query)
        }
    )
    rationale: dict[str, list[str]] = {}
    for r in select(store, _RELATIONS[-1][1]):
        rationale.setdefault(str(value(r, "o")), []).append(str(value(r, "s")))
    return Argument(
        dict(sorted(statements.items())),
        edges,
        {p: sorted(cs, key=lambda c: _order(statements[c])) for p, cs in sorted(rationale.items())},
    )


def _order(s: Statement) -> tuple[int, str]:
    return (s.start if s.start is not None else 1 << 62, s.iri)


def paper_name(store: Queryable) -> str:
    """The local name of the (first) document, for titles and file names."""
    rows = select(store, "SELECT ?d WHERE { ?d a arg:Document } ORDER BY ?d LIMIT 1")
    return local_name(value(rows[0], "d") or "argraph") if rows else "argraph"


def paper_title(store: Queryable) -> tuple[str, str | None]:
    """(title in English or the IRI's name, received date or None)."""
    rows = select(
        store,
        "SELECT ?d ?t ?r WHERE { ?d a arg:Document OPTIONAL { ?d dcterms:title ?t } "
        "OPTIONAL { ?d arg:received ?r } } ORDER BY ?d",
    )
    title: str | None = None
    received: str | None = None
    for row in rows:
        title = lang_pick(title, row.get("t"), "en")
        received = received or value(row, "r")
    return title or paper_name(store), received
