"""The causal layer as a networkx MultiDiGraph, loaded from any store through SPARQL 1.1.

Nodes are factor IRIs; edges are causal links (key = the link's IRI), so two links between the
same pair of factors are both kept. Every analysis in this package is a pure function of a
`CausalGraph`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import networkx as nx
from pydantic import BaseModel, ConfigDict

from errors import BadRequest, NotFound
from graph.namespaces import ARG
from graph.query_rows import Queryable, Row, lang_pick, local_name, select, value

INCREASES = str(ARG.Increases)
DECREASES = str(ARG.Decreases)


class FactorRef(BaseModel):
    """A factor: its IRI and its labels."""

    model_config = ConfigDict(frozen=True)

    iri: str
    id: str
    en: str | None = None
    zh: str | None = None


class Link(BaseModel):
    """One causal link (an `arg:CausalLink`)."""

    model_config = ConfigDict(frozen=True)

    iri: str
    id: str
    cause: str
    effect: str
    polarity: Literal[1, -1]
    quote: str | None = None
    mechanism: str | None = None
    mechanism_zh: str | None = None
    basis: str | None = None
    asserted_by: str | None = None


@dataclass(frozen=True)
class CausalGraph:
    """The causal layer: factors, links, and the MultiDiGraph over them."""

    factors: dict[str, FactorRef]
    links: dict[str, Link]
    graph: nx.MultiDiGraph = field(repr=False)
    broader: dict[str, list[str]] = field(default_factory=dict, repr=False)
    """factor -> its skos:broader factors (part-whole and kind-of, not causal)"""
    indicates: dict[str, str] = field(default_factory=dict, repr=False)
    """factor -> the factor it is a feature or measure of (arg:indicatorOf, not causal)"""
    main_outcomes: list[str] = field(default_factory=list, repr=False)
    """the factors the loaded documents explain (arg:mainOutcome of each document), sorted"""

    def ref(self, iri: str) -> FactorRef:
        return self.factors.get(iri) or FactorRef(iri=iri, id=local_name(iri))

    def refs(self, iris: Iterable[str]) -> list[FactorRef]:
        return [self.ref(i) for i in iris]

    def resolve_factor(self, ref: str) -> str:
        """A factor's IRI from its IRI or its local id (e.g. `decline`)."""
        return _resolve(ref, self.factors.keys(), "factor")

    def resolve_link(self, ref: str) -> str:
        """A link's IRI from its IRI or its local id."""
        return _resolve(ref, self.links.keys(), "causal link")

    def in_model(self, factor: str) -> bool:
        """True when the factor is the cause or effect of at least one link."""
        return factor in self.graph and self.graph.degree(factor) > 0

    def simple(self) -> nx.DiGraph:
        """The same graph with parallel links collapsed (for reachability and cycles)."""
        return nx.DiGraph(self.graph)


def _resolve(ref: str, known: Iterable[str], what: str) -> str:
    ref = ref.strip()
    if not ref:
        raise BadRequest(f"no {what} given")
    pool = list(known)
    if ref in pool:
        return ref
    hits = [iri for iri in pool if local_name(iri) == ref]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise BadRequest(f"{what} id {ref!r} is ambiguous: give the full IRI", candidates=hits)
    raise NotFound(f"no {what} {ref!r} in the causal graph")


_FACTORS = """
SELECT ?f ?label WHERE {
  ?f a arg:Factor .
  OPTIONAL { ?f rdfs:label ?label }
}
"""

_LINKS = """
SELECT ?link ?cause ?effect ?polarity ?quote ?mechanism ?basis ?claim WHERE {
  ?link a arg:CausalLink ; arg:cause ?cause ; arg:effect ?effect ; arg:polarity ?polarity .
  OPTIONAL { ?link arg:quote ?quote }
  OPTIONAL { ?link arg:mechanism ?mechanism }
  OPTIONAL { ?link arg:basis ?basis }
  OPTIONAL { ?link arg:assertedBy ?claim }
}
"""


# `?b a arg:Factor` as a FILTER: rdflib's planner would otherwise start from both typed patterns at
# once (a cross product of every factor with every factor: seconds on one paper)
_BROADER = (
    "SELECT ?f ?b WHERE { ?f a arg:Factor ; skos:broader ?b . FILTER EXISTS { ?b a arg:Factor } }"
)
_INDICATES = (
    "SELECT ?f ?b WHERE { ?f a arg:Factor ; arg:indicatorOf ?b . "
    "FILTER EXISTS { ?b a arg:Factor } }"
)
_MAIN_OUTCOMES = "SELECT DISTINCT ?f WHERE { ?doc arg:mainOutcome ?f . ?f a arg:Factor }"


def load_causal_graph(store: Queryable) -> CausalGraph:
    """Read every factor and causal link of the store into a `CausalGraph`."""
    labels: dict[str, tuple[str | None, str | None]] = {}
    for row in select(store, _FACTORS):
        iri = value(row, "f")
        assert iri is not None
        en, zh = labels.get(iri, (None, None))
        labels[iri] = (lang_pick(en, row.get("label"), "en"), lang_pick(zh, row.get("label"), "zh"))
    links = _links(select(store, _LINKS))
    for link in links.values():
        for end in (link.cause, link.effect):
            labels.setdefault(end, (None, None))
    factors = {
        iri: FactorRef(iri=iri, id=local_name(iri), en=en, zh=zh)
        for iri, (en, zh) in sorted(labels.items())
    }
    g = from_parts(factors.values(), links.values())
    for row in select(store, _BROADER):
        narrow, wide = value(row, "f"), value(row, "b")
        if narrow is not None and wide is not None:
            g.broader.setdefault(narrow, []).append(wide)
    for wides in g.broader.values():
        wides.sort()
    for row in select(store, _INDICATES):
        feature, whole = value(row, "f"), value(row, "b")
        if feature is not None and whole is not None:
            g.indicates[feature] = min(whole, g.indicates.get(feature, whole))
    g.main_outcomes.extend(
        sorted({iri for row in select(store, _MAIN_OUTCOMES) if (iri := value(row, "f"))})
    )
    return g


def from_parts(factors: Iterable[FactorRef], links: Iterable[Link]) -> CausalGraph:
    """A `CausalGraph` from factors and links (links may name factors not listed)."""
    fmap = {f.iri: f for f in factors}
    lmap = {link.iri: link for link in sorted(links, key=lambda x: x.iri)}
    g: nx.MultiDiGraph = nx.MultiDiGraph()
    for iri in sorted(fmap):
        g.add_node(iri)
    for link in lmap.values():
        for end in (link.cause, link.effect):
            if end not in fmap:
                fmap[end] = FactorRef(iri=end, id=local_name(end))
        g.add_edge(link.cause, link.effect, key=link.iri, link=link)
    return CausalGraph(dict(sorted(fmap.items())), lmap, g)


def _links(rows: list[Row]) -> dict[str, Link]:
    acc: dict[str, dict[str, str | None]] = {}
    for row in rows:
        iri = value(row, "link")
        assert iri is not None
        polarity = value(row, "polarity")
        if polarity not in (INCREASES, DECREASES):
            continue
        d = acc.setdefault(
            iri,
            {
                "cause": value(row, "cause"),
                "effect": value(row, "effect"),
                "polarity": polarity,
                "quote": None,
                "mechanism": None,
                "mechanism_zh": None,
                "basis": None,
                "asserted_by": None,
            },
        )
        d["quote"] = _first(d["quote"], value(row, "quote"))
        d["mechanism"] = lang_pick(d["mechanism"], row.get("mechanism"), "en")
        d["mechanism_zh"] = lang_pick(d["mechanism_zh"], row.get("mechanism"), "zh")
        d["basis"] = _first(d["basis"], value(row, "basis"))
        d["asserted_by"] = _first(d["asserted_by"], value(row, "claim"))
    out: dict[str, Link] = {}
    for iri, d in acc.items():
        cause, effect = d["cause"], d["effect"]
        assert cause is not None and effect is not None
        out[iri] = Link(
            iri=iri,
            id=local_name(iri),
            cause=cause,
            effect=effect,
            polarity=1 if d["polarity"] == INCREASES else -1,
            quote=d["quote"],
            mechanism=d["mechanism"],
            mechanism_zh=d["mechanism_zh"],
            basis=d["basis"],
            asserted_by=d["asserted_by"],
        )
    return out


def _first(current: str | None, new: str | None) -> str | None:
    if new is None:
        return current
    return new if current is None or new < current else current
