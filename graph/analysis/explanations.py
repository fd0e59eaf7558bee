"""Rival explanations: what each posits, and where its factors sit in the paper's causal model.

The *root cause* here is the paper's own: the factors that start the mechanism of the explanation
whose verdict is `arg:OwnMechanism` (the causes among its `arg:hasMechanismLink` links that no
other of those links leads to). Only when no explanation is the paper's own do all root causes
of the outcome count.

An explanation is *subsumed* by the paper's mechanism when it posits at least one factor and
every factor it posits is a downstream effect of that root cause (distance >= 1): the mechanism
then explains the rival's factors, through the links of the shortest chain from the root cause
to each of them (`subsuming_links`). A factor the root cause does not reach stays outside: the
paper may call it a surface manifestation, but its own causal model does not derive it.
"""

from __future__ import annotations

import itertools

import networkx as nx
from pydantic import BaseModel, ConfigDict

from graph.analysis.causal_graph import CausalGraph, FactorRef, Link
from graph.analysis.chains import Chain, make_chain, root_iris, target_outcomes
from graph.query_rows import Queryable, lang_pick, local_name, select, value


class Cited(BaseModel):
    model_config = ConfigDict(frozen=True)

    iri: str
    number: int | None = None
    label: str | None = None


class Support(BaseModel):
    """A claim, statistic or evidence item the explanation rests on or is supported by."""

    model_config = ConfigDict(frozen=True)

    iri: str
    id: str
    label: str | None = None
    quote: str | None = None


class Explanation(BaseModel):
    model_config = ConfigDict(frozen=True)

    iri: str
    id: str
    en: str | None = None
    zh: str | None = None
    family: str | None = None
    verdict: str | None = None
    verdict_label: str | None = None
    verdict_claim: str | None = None
    verdict_quote: str | None = None
    posits: list[str] = []
    posit_basis: dict[str, str] = {}
    """each posited factor's basis: stated (the paper names it for this explanation) or inferred"""
    posit_quotes: dict[str, str] = {}
    """the words that state a posited factor, for those stated"""
    mechanism_links: list[str] = []
    references: list[Cited] = []
    evidence: list[Support] = []


class FactorPlace(BaseModel):
    """Where a posited factor sits in the paper's causal model."""

    model_config = ConfigDict(frozen=True)

    factor: FactorRef
    in_model: bool
    is_root: bool
    distance_from_root: int | None
    nearest_root: FactorRef | None
    on_decline_path: bool
    distance_to_outcome: int | None
    chain_from_root: Chain | None
    via_indicator: FactorRef | None = None
    """for a factor outside the causal model that is a feature or measure of one inside it
    (arg:indicatorOf): that factor, whose place this is"""
    basis: str | None = None
    """whether the explanation's attribution of this factor is stated or our reading (inferred)"""
    quote: str | None = None
    """the words that state the attribution, when stated"""


class ExplanationReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    explanation: Explanation
    factors: list[FactorPlace]
    mechanism_links: list[Link]
    subsumed: bool
    subsuming_links: list[Link]
    link_factors: list[FactorRef] = []
    """the factors at the ends of the mechanism links, with their labels"""


class Overlap(BaseModel):
    """Pairwise counts: shared posited factors, and shared upstream causes of those factors."""

    model_config = ConfigDict(frozen=True)

    explanations: list[str]
    shared_factors: list[list[int]]
    shared_upstream: list[list[int]]


class Comparison(BaseModel):
    model_config = ConfigDict(frozen=True)

    outcome: list[FactorRef]
    roots: list[FactorRef]
    explanations: list[ExplanationReport]
    overlap: Overlap


_MAIN = """
SELECT ?e ?label ?family ?verdict ?vlabel ?vclaim ?vquote WHERE {
  ?e a arg:Explanation .
  OPTIONAL { ?e rdfs:label ?label }
  OPTIONAL { ?e arg:family ?family }
  OPTIONAL { ?e arg:verdict ?verdict OPTIONAL { ?verdict rdfs:label ?vlabel } }
  OPTIONAL { ?e arg:verdictStatedBy ?vclaim OPTIONAL { ?vclaim arg:quote ?vquote } }
}
"""
_POSITS = "SELECT ?e ?x WHERE { ?e a arg:Explanation ; arg:posits ?x }"
_POSIT_BASIS = """
SELECT ?e ?x ?basis ?quote WHERE {
  ?e a arg:Explanation ; arg:hasPosit ?p . ?p arg:item ?x ; arg:basis ?basis .
  OPTIONAL { ?p arg:quote ?quote }
}
"""
_MECH = "SELECT ?e ?x WHERE { ?e a arg:Explanation ; arg:hasMechanismLink ?x }"
_REFS = """
SELECT ?e ?x ?number ?label WHERE {
  ?e a arg:Explanation ; cito:cites ?x .
  OPTIONAL { ?x arg:number ?number }
  OPTIONAL { ?x rdfs:label ?label }
}
"""
_EVIDENCE = """
SELECT ?e ?x ?label ?quote WHERE {
  ?e a arg:Explanation .
  { ?e arg:assertedBy ?x FILTER NOT EXISTS { ?e arg:verdictStatedBy ?x } } UNION { ?x arg:supports ?e }
  OPTIONAL { ?x rdfs:label ?label }
  OPTIONAL { ?x arg:quote ?quote }
}
"""


def load_explanations(store: Queryable) -> list[Explanation]:
    """Every `arg:Explanation` of the store, with its posits, references and evidence."""
    base: dict[str, dict[str, str | None]] = {}
    for row in select(store, _MAIN):
        iri = value(row, "e")
        assert iri is not None
        d = base.setdefault(
            iri, dict.fromkeys(("en", "zh", "family", "verdict", "vlabel", "vclaim", "vquote"))
        )
        d["en"] = lang_pick(d["en"], row.get("label"), "en")
        d["zh"] = lang_pick(d["zh"], row.get("label"), "zh")
        d["family"] = d["family"] or value(row, "family")
        d["verdict"] = d["verdict"] or value(row, "verdict")
        d["vlabel"] = lang_pick(d["vlabel"], row.get("vlabel"), "en")
        d["vclaim"] = d["vclaim"] or value(row, "vclaim")
        d["vquote"] = d["vquote"] or value(row, "vquote")
    posits = _pairs(store, _POSITS)
    basis: dict[str, dict[str, str]] = {}
    quotes: dict[str, dict[str, str]] = {}
    for row in select(store, _POSIT_BASIS):
        e, x, b, q = value(row, "e"), value(row, "x"), value(row, "basis"), value(row, "quote")
        assert e is not None and x is not None and b is not None
        basis.setdefault(e, {})[x] = b
        if q is not None:
            quotes.setdefault(e, {})[x] = q
    mech = _pairs(store, _MECH)
    refs: dict[str, dict[str, Cited]] = {}
    for row in select(store, _REFS):
        e, x = value(row, "e"), value(row, "x")
        assert e is not None and x is not None
        old = refs.setdefault(e, {}).get(x)
        number = value(row, "number")
        label = lang_pick(old.label if old else None, row.get("label"), "zh")
        refs[e][x] = Cited(iri=x, number=int(number) if number else None, label=label)
    evidence: dict[str, dict[str, Support]] = {}
    for row in select(store, _EVIDENCE):
        e, x = value(row, "e"), value(row, "x")
        assert e is not None and x is not None
        prev = evidence.setdefault(e, {}).get(x)
        evidence[e][x] = Support(
            iri=x,
            id=local_name(x),
            label=lang_pick(prev.label if prev else None, row.get("label"), "en"),
            quote=(prev.quote if prev else None) or value(row, "quote"),
        )
    out = []
    for iri, d in sorted(base.items()):
        out.append(
            Explanation(
                iri=iri,
                id=local_name(iri),
                en=d["en"],
                zh=d["zh"],
                family=d["family"],
                verdict=local_name(d["verdict"]) if d["verdict"] else None,
                verdict_label=d["vlabel"],
                verdict_claim=d["vclaim"],
                verdict_quote=d["vquote"],
                posits=sorted(posits.get(iri, set())),
                posit_basis=dict(sorted(basis.get(iri, {}).items())),
                posit_quotes=dict(sorted(quotes.get(iri, {}).items())),
                mechanism_links=sorted(mech.get(iri, set())),
                references=sorted(refs.get(iri, {}).values(), key=lambda c: (c.number or 0, c.iri)),
                evidence=sorted(evidence.get(iri, {}).values(), key=lambda s: s.iri),
            )
        )
    return out


def _pairs(store: Queryable, query: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for row in select(store, query):
        e, x = value(row, "e"), value(row, "x")
        assert e is not None and x is not None
        out.setdefault(e, set()).add(x)
    return out


def _chain_along(g: CausalGraph, nodes: list[str]) -> Chain | None:
    if len(nodes) < 2:
        return None
    links = [g.links[min(g.graph[u][v])] for u, v in itertools.pairwise(nodes)]
    return make_chain(g, links)


def place_factor(g: CausalGraph, factor: str, roots: list[str], targets: list[str]) -> FactorPlace:
    """Distance from the nearest root cause, and whether the factor is on a path to decline.

    A factor outside the causal model that is an indicator of one inside it (the rust belt's
    features) takes that factor's place and says so (`via_indicator`)."""
    indicated = g.indicates.get(factor)
    if not g.in_model(factor) and indicated is not None and g.in_model(indicated):
        inner = place_factor(g, indicated, roots, targets)
        return inner.model_copy(
            update={"factor": g.ref(factor), "in_model": False, "via_indicator": g.ref(indicated)}
        )
    simple = g.simple()
    in_model = g.in_model(factor)
    chain: Chain | None = None
    distance: int | None = None
    nearest: FactorRef | None = None
    to_outcome: int | None = None
    if in_model:
        live_roots = [r for r in roots if r in simple]
        if factor in live_roots:
            distance, nearest = 0, g.ref(factor)
        elif live_roots:
            try:
                dist, path = nx.multi_source_dijkstra(simple, set(live_roots), target=factor)
            except nx.NetworkXNoPath:
                pass
            else:
                distance, nearest = int(dist), g.ref(path[0])
                chain = _chain_along(g, list(path))
        lengths = nx.single_source_shortest_path_length(simple, factor)
        reached = [lengths[t] for t in targets if t in lengths]
        to_outcome = min(reached) if reached else None
    return FactorPlace(
        factor=g.ref(factor),
        in_model=in_model,
        is_root=distance == 0,
        distance_from_root=distance,
        nearest_root=nearest,
        on_decline_path=distance is not None and to_outcome is not None,
        distance_to_outcome=to_outcome,
        chain_from_root=chain,
    )


def report(
    g: CausalGraph, e: Explanation, roots: list[str], targets: list[str]
) -> ExplanationReport:
    places = [
        place_factor(g, f, roots, targets).model_copy(
            update={"basis": e.posit_basis.get(f), "quote": e.posit_quotes.get(f)}
        )
        for f in e.posits
    ]
    subsumed = bool(places) and all((p.distance_from_root or 0) >= 1 for p in places)
    used: dict[str, Link] = {}
    if subsumed:
        for p in places:
            for link in p.chain_from_root.links if p.chain_from_root else []:
                used[link.iri] = link
    mech = [g.links[i] for i in e.mechanism_links if i in g.links]
    ends = sorted({end for link in mech for end in (link.cause, link.effect)})
    return ExplanationReport(
        explanation=e,
        factors=places,
        mechanism_links=mech,
        link_factors=g.refs(ends),
        subsumed=subsumed,
        subsuming_links=[used[k] for k in sorted(used)],
    )


def overlap(g: CausalGraph, explanations: list[Explanation]) -> Overlap:
    simple = g.simple()
    upstream: list[set[str]] = []
    for e in explanations:
        seen: set[str] = set()
        for f in e.posits:
            if f in simple:
                seen |= nx.ancestors(simple, f)
        upstream.append(seen)
    posits = [set(e.posits) for e in explanations]
    n = len(explanations)
    return Overlap(
        explanations=[e.id for e in explanations],
        shared_factors=[[len(posits[i] & posits[j]) for j in range(n)] for i in range(n)],
        shared_upstream=[[len(upstream[i] & upstream[j]) for j in range(n)] for i in range(n)],
    )


def paper_roots(g: CausalGraph, explanations: list[Explanation]) -> list[str]:
    """The factors that start the paper's own mechanism (empty when it has none)."""
    causes: set[str] = set()
    effects: set[str] = set()
    for e in explanations:
        if e.verdict != "OwnMechanism":
            continue
        for link_iri in e.mechanism_links:
            link = g.links.get(link_iri)
            if link is not None:
                causes.add(link.cause)
                effects.add(link.effect)
    return sorted(causes - effects)


def compare(
    g: CausalGraph, explanations: list[Explanation], outcome: str | None = None
) -> Comparison:
    """Every explanation located in the causal model, and their pairwise overlap."""
    targets = target_outcomes(g, outcome)
    roots = paper_roots(g, explanations) or root_iris(g, targets)
    return Comparison(
        outcome=g.refs(targets),
        roots=g.refs(roots),
        explanations=[report(g, e, roots, targets) for e in explanations],
        overlap=overlap(g, explanations),
    )
