"""Reading items back from any store with plain SPARQL (store-neutral), for the REST routes and
the viewer; `Labels`, `ItemRef` and `Anchor` are the shapes both serve."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from pydantic import BaseModel

from errors import NotFound
from graph.namespaces import ARG, OA
from graph.results import Term
from graph.select_cache import select_rows
from graph.store import Store


class Labels(BaseModel):
    zh: str | None = None
    en: str | None = None


class ItemRef(BaseModel):
    id: str
    iri: str
    label: Labels


class Anchor(BaseModel):
    exact: str
    prefix: str | None = None
    suffix: str | None = None
    start: int
    end: int


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@dataclass
class Node:
    iri: str
    props: dict[str, list[Term]] = field(default_factory=lambda: defaultdict(list))

    def values(self, prop: str) -> list[str]:
        return sorted(t.value for t in self.props.get(prop, []))

    def first(self, prop: str) -> str | None:
        vals = self.values(prop)
        return vals[0] if vals else None

    def lang(self, prop: str, lang: str) -> str | None:
        vals = sorted(t.value for t in self.props.get(prop, []) if (t.lang or "") == lang)
        return vals[0] if vals else None

    def labels(self, prop: str = RDFS_LABEL) -> Labels:
        return Labels(zh=self.lang(prop, "zh"), en=self.lang(prop, "en"))

    def types(self) -> list[str]:
        return sorted(
            v.removeprefix(str(ARG)) for v in self.values(RDF_TYPE) if v.startswith(str(ARG))
        )

    def text(self) -> str:
        """Everything searchable: labels, quote, note, mechanism."""
        keep = (RDFS_LABEL, str(ARG.quote), str(ARG.note), str(ARG.mechanism), str(ARG.measure))
        return "\n".join(t.value for p in keep for t in self.props.get(p, []))


def select(store: Store, sparql: str) -> list[dict[str, Term]]:
    """Rows of a SELECT (kept per store: see graph/select_cache.py). Do not mutate them."""
    return select_rows(store, sparql)


class _HasIri(Protocol):
    @property
    def iri(self) -> str: ...


ItemT = TypeVar("ItemT", bound=_HasIri)


def pick(items: Iterable[ItemT], iri_: str, what: str, item_id: str) -> ItemT:
    """The item with this IRI from a listing, or NotFound naming it."""
    for item in items:
        if item.iri == iri_:
            return item
    raise NotFound(f"no {what} {item_id!r}", id=item_id)


def iri(value: str) -> str:
    if any(c in value for c in '<>"{}|^`\\ \n\t'):
        raise NotFound(f"not an IRI of this graph: {value!r}")
    return f"<{value}>"


def nodes_of_class(store: Store, cls: str) -> dict[str, Node]:
    rows = select(store, f"SELECT ?s ?p ?o WHERE {{ ?s a {iri(cls)} ; ?p ?o }}")
    out: dict[str, Node] = {}
    for row in rows:
        s = row["s"].value
        out.setdefault(s, Node(s)).props[row["p"].value].append(row["o"])
    return dict(sorted(out.items()))


def node(store: Store, subject: str) -> Node:
    rows = select(store, f"SELECT ?p ?o WHERE {{ {iri(subject)} ?p ?o }}")
    if not rows:
        raise NotFound(f"no item {subject}")
    n = Node(subject)
    for row in rows:
        n.props[row["p"].value].append(row["o"])
    return n


def incoming(store: Store, target: str) -> list[tuple[str, str]]:
    """(subject, predicate) of every triple pointing at `target`."""
    rows = select(store, f"SELECT ?s ?p WHERE {{ ?s ?p {iri(target)} }}")
    return sorted({(r["s"].value, r["p"].value) for r in rows if r["s"].kind == "uri"})


def labels_of(store: Store, iris: set[str]) -> dict[str, Labels]:
    if not iris:
        return {}
    values = " ".join(iri(i) for i in sorted(iris))
    rows = select(
        store,
        f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }} OPTIONAL {{ ?s <{RDFS_LABEL}> ?l }} }}",
    )
    found: dict[str, Node] = {i: Node(i) for i in iris}
    for row in rows:
        if "l" in row:
            found[row["s"].value].props[RDFS_LABEL].append(row["l"])
    return {i: n.labels() for i, n in found.items()}


def anchor_of(store: Store, subject: str) -> Anchor | None:
    rows = select(
        store,
        f"""SELECT ?exact ?prefix ?suffix ?start ?end WHERE {{
          {iri(subject)} {iri(str(ARG.anchor))} ?a .
          ?a {iri(str(OA.hasSelector))} ?tq, ?tp .
          ?tq {iri(str(OA.exact))} ?exact .
          OPTIONAL {{ ?tq {iri(str(OA.prefix))} ?prefix }}
          OPTIONAL {{ ?tq {iri(str(OA.suffix))} ?suffix }}
          ?tp {iri(str(OA.start))} ?start ; {iri(str(OA.end))} ?end .
        }} ORDER BY ?start LIMIT 1""",
    )
    if not rows:
        return None
    r = rows[0]
    return Anchor(
        exact=r["exact"].value,
        prefix=r["prefix"].value if "prefix" in r else None,
        suffix=r["suffix"].value if "suffix" in r else None,
        start=int(r["start"].value),
        end=int(r["end"].value),
    )


def short_id(value: str) -> str:
    return value.rsplit("/", 1)[-1]


def ref(value: str, labels: dict[str, Labels]) -> ItemRef:
    return ItemRef(id=short_id(value), iri=value, label=labels.get(value, Labels()))


def matches(text: str, q: str | None) -> bool:
    return q is None or q.casefold() in text.casefold()
