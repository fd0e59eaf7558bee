"""Policy targeting: what each recommendation acts on, its leverage, and the mechanism's gaps.

- *leverage* of a target = the number of simple root-to-outcome paths (bounded length) that run
  through it (a factor anywhere on the path, or the link itself);
- a mechanism link is *addressed* when a recommendation targets the link, its cause or its
  effect; the others are the gaps;
- a target is *outside the causal model* when it is neither a link nor a factor with a link;
  a factor outside it whose broader factor (skos:broader, e.g. a step of internal opening) is in
  the model takes that factor's leverage, and says so (`via_broader`);
- each target has its own *aim* (`arg:PolicyTarget`: strengthen, weaken, create, break), and,
  for one outcome, its *effect on the outcome*: a factor moved the way the policy aims moves the
  outcome along every root-to-outcome path through it by the product of the polarities from the
  factor to the outcome (`lowers`, `raises`, or `mixed` when paths disagree; `none` off the
  paths); a link aimed to break or weaken `cuts` the paths through it, one aimed to strengthen
  or create `strengthens` them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from errors import BadRequest, NotFound
from graph.analysis.causal_graph import CausalGraph, FactorRef, Link
from graph.analysis.chains import (
    DEFAULT_MAX_LENGTH,
    mechanism_link_iris,
    mechanism_paths,
    target_outcomes,
)
from graph.query_rows import Queryable, lang_pick, local_name, select, value


class Policy(BaseModel):
    model_config = ConfigDict(frozen=True)

    iri: str
    id: str
    en: str | None = None
    zh: str | None = None
    aim: str | None = None
    """the aim of every target, when they share one (None when they differ)"""
    aims: dict[str, str] = {}
    """each target's aim (local name: Strengthen, Weaken, Create, Break)"""
    inferred_targets: list[str] = []
    """the targets that are our reading of the policy's words (basis inferred), not named by it"""
    instrument: str | None = None
    part_of: str | None = None
    actors: list[str] = []
    targets: list[str] = []


OutcomeEffect = Literal["lowers", "raises", "mixed", "none", "cuts", "strengthens"]
_AIM_SIGN = {"Strengthen": 1, "Create": 1, "Weaken": -1, "Break": -1}


class Target(BaseModel):
    model_config = ConfigDict(frozen=True)

    iri: str
    id: str
    kind: Literal["factor", "link", "other"]
    label: str | None
    in_model: bool
    on_mechanism: bool
    leverage: int
    via_broader: str | None = None
    """the broader factor whose leverage a target outside the model takes"""
    aim: str | None = None
    """what the policy means to do to this target (Strengthen, Weaken, Create, Break)"""
    effect_on_outcome: OutcomeEffect | None = None
    """for one outcome: what achieving the aim does to it along the paths through the target"""


class PolicyReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    policy: Policy
    targets: list[Target]
    leverage: int


class PolicyAnalysis(BaseModel):
    model_config = ConfigDict(frozen=True)

    outcome: list[FactorRef]
    total_paths: int
    policies: list[PolicyReport]


class PolicyGaps(BaseModel):
    model_config = ConfigDict(frozen=True)

    outcome: list[FactorRef]
    mechanism_links: int
    unaddressed_links: list[Link]
    outside_model: list[PolicyReport]


_MAIN = """
SELECT ?p ?label ?instrument ?partOf WHERE {
  ?p a arg:PolicyRecommendation .
  OPTIONAL { ?p rdfs:label ?label }
  OPTIONAL { ?p arg:instrument ?instrument }
  OPTIONAL { ?p arg:partOf ?partOf }
}
"""
_TARGETS = "SELECT ?p ?x WHERE { ?p a arg:PolicyRecommendation ; arg:targets ?x }"
_AIMS = """
SELECT ?p ?x ?aim ?basis WHERE {
  ?p a arg:PolicyRecommendation ; arg:hasTarget ?t . ?t arg:item ?x ; arg:aim ?aim
  OPTIONAL { ?t arg:basis ?basis }
}
"""
_ACTORS = "SELECT ?p ?x WHERE { ?p a arg:PolicyRecommendation ; arg:actor ?x }"


def load_policies(store: Queryable) -> list[Policy]:
    """Every `arg:PolicyRecommendation` of the store with its targets (each with its aim) and
    actors."""
    base: dict[str, dict[str, str | None]] = {}
    for row in select(store, _MAIN):
        iri = value(row, "p")
        assert iri is not None
        d = base.setdefault(iri, dict.fromkeys(("en", "zh", "instrument", "part_of")))
        d["en"] = lang_pick(d["en"], row.get("label"), "en")
        d["zh"] = lang_pick(d["zh"], row.get("label"), "zh")
        d["instrument"] = lang_pick(d["instrument"], row.get("instrument"), "en")
        d["part_of"] = d["part_of"] or value(row, "partOf")
    targets = _pairs(store, _TARGETS)
    actors = _pairs(store, _ACTORS)
    aims: dict[str, dict[str, str]] = {}
    inferred: dict[str, set[str]] = {}
    for row in select(store, _AIMS):
        p, x, aim = value(row, "p"), value(row, "x"), value(row, "aim")
        assert p is not None and x is not None and aim is not None
        aims.setdefault(p, {})[x] = local_name(aim)
        if value(row, "basis") == "inferred":
            inferred.setdefault(p, set()).add(x)
    return [
        Policy(
            iri=iri,
            id=local_name(iri),
            en=d["en"],
            zh=d["zh"],
            aim=_common(aims.get(iri, {}), targets.get(iri, set())),
            aims=dict(sorted(aims.get(iri, {}).items())),
            inferred_targets=sorted(inferred.get(iri, set())),
            instrument=d["instrument"],
            part_of=d["part_of"],
            actors=sorted(actors.get(iri, set())),
            targets=sorted(targets.get(iri, set())),
        )
        for iri, d in sorted(base.items())
    ]


def _common(aims: dict[str, str], targets: set[str]) -> str | None:
    """The one aim every target has, if they share one."""
    found = {aims.get(t) for t in targets}
    return found.pop() if len(found) == 1 else None


def _pairs(store: Queryable, query: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for row in select(store, query):
        p, x = value(row, "p"), value(row, "x")
        assert p is not None and x is not None
        out.setdefault(p, set()).add(x)
    return out


def _touched(path: list[Link]) -> frozenset[str]:
    """Every link and factor on a path."""
    return frozenset(item for link in path for item in (link.iri, link.cause, link.effect))


def analyse_policies(
    g: CausalGraph,
    policies: list[Policy],
    outcome: str | None = None,
    max_length: int = DEFAULT_MAX_LENGTH,
) -> PolicyAnalysis:
    """Each recommendation's targets with their leverage over the root-to-outcome paths."""
    raw_paths = mechanism_paths(g, outcome, max_length)
    paths = [_touched(path) for path in raw_paths]
    mech = set(mechanism_link_iris(g, outcome))
    mech_factors = {g.links[i].cause for i in mech} | {g.links[i].effect for i in mech}
    reports = []
    for p in policies:
        targets = []
        for t in p.targets:
            if t in g.links:
                kind: Literal["factor", "link", "other"] = "link"
                label = g.links[t].mechanism
                in_model, on_mech = True, t in mech
            elif t in g.factors:
                kind, label = "factor", g.factors[t].en
                in_model, on_mech = g.in_model(t), t in mech_factors
            else:
                kind, label, in_model, on_mech = "other", None, False, False
            via = None if in_model or kind != "factor" else _in_model_broader(g, t)
            counted = via or t
            leverage = sum(1 for path in paths if counted in path) if in_model or via else 0
            aim = p.aims.get(t)
            effect = None
            if outcome is not None and aim is not None and kind != "other":
                effect = _effect(raw_paths, counted, kind, aim)
            targets.append(
                Target(
                    iri=t,
                    id=local_name(t),
                    kind=kind,
                    label=label,
                    in_model=in_model,
                    on_mechanism=on_mech or (via is not None and via in mech_factors),
                    leverage=leverage,
                    via_broader=via,
                    aim=aim,
                    effect_on_outcome=effect,
                )
            )
        wanted = set(p.targets) | {t.via_broader for t in targets if t.via_broader}
        total = sum(1 for path in paths if wanted & path)
        reports.append(PolicyReport(policy=p, targets=targets, leverage=total))
    return PolicyAnalysis(
        outcome=g.refs(target_outcomes(g, outcome)), total_paths=len(paths), policies=reports
    )


def _effect(paths: list[list[Link]], target: str, kind: str, aim: str) -> OutcomeEffect:
    """What reaching the aim on the target does to the outcome the paths end in."""
    if kind == "link":
        on_paths = any(link.iri == target for path in paths for link in path)
        if not on_paths:
            return "none"
        return "cuts" if _AIM_SIGN[aim] < 0 else "strengthens"
    signs = set()
    for path in paths:
        starts = [i for i, link in enumerate(path) if link.cause == target]
        if starts:
            sign = 1
            for link in path[starts[0] :]:
                sign *= link.polarity
            signs.add(sign * _AIM_SIGN[aim])
        elif path and path[-1].effect == target:
            signs.add(_AIM_SIGN[aim])
    if not signs:
        return "none"
    if len(signs) > 1:
        return "mixed"
    return "lowers" if signs.pop() < 0 else "raises"


def _in_model_broader(g: CausalGraph, factor: str) -> str | None:
    """The nearest broader factor (breadth first, by IRI) that has causal links."""
    seen = {factor}
    frontier = [factor]
    while frontier:
        nxt = []
        for f in frontier:
            for wide in g.broader.get(f, []):
                if wide in seen:
                    continue
                if g.in_model(wide):
                    return wide
                seen.add(wide)
                nxt.append(wide)
        frontier = sorted(nxt)
    return None


def policy_gaps(
    g: CausalGraph,
    policies: list[Policy],
    outcome: str | None = None,
    max_length: int = DEFAULT_MAX_LENGTH,
) -> PolicyGaps:
    """Mechanism links no recommendation addresses; recommendations aimed outside the model."""
    analysis = analyse_policies(g, policies, outcome, max_length)
    targeted = {t for p in policies for t in p.targets}
    mech = mechanism_link_iris(g, outcome)
    gaps = [g.links[i] for i in mech if not {i, g.links[i].cause, g.links[i].effect} & targeted]
    return PolicyGaps(
        outcome=analysis.outcome,
        mechanism_links=len(mech),
        unaddressed_links=gaps,
        outside_model=[
            r
            for r in analysis.policies
            if any(not t.in_model and t.via_broader is None for t in r.targets)
        ],
    )


def pick_policy(pool: list[Policy], ref: str, paper: str | None = None) -> Policy:
    """A recommendation of `pool` by its IRI or local id: NotFound when none, BadRequest when
    the id names several (`paper`: the item prefix the pool was selected by, for the message)."""
    hits = [p for p in pool if p.iri == ref] or [p for p in pool if p.id == ref]
    if not hits:
        raise NotFound(f"no policy recommendation {ref!r}" + (f" in {paper}" if paper else ""))
    if len(hits) > 1:
        raise BadRequest(
            f"policy id {ref!r} is ambiguous: give the full IRI", candidates=[p.iri for p in hits]
        )
    return hits[0]
