"""What-if: cut causal links or remove factors, and see which outcomes and loops survive.

A recommendation is an intervention too (`policy_intervention`): by the aim it has for each
target, it cuts the links it means to break or weaken, and holds still (removes from the
propagation) the factors it moves in the direction that lowers the outcome on every path through
them. Targets it strengthens the other way, or whose paths disagree, change nothing here.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
from pydantic import BaseModel, ConfigDict

from errors import BadRequest
from graph.analysis.causal_graph import CausalGraph, FactorRef, from_parts
from graph.analysis.chains import (
    DEFAULT_MAX_LENGTH,
    mechanism_paths,
    outcome_iris,
    root_iris,
)
from graph.analysis.loops import DEFAULT_MAX_LOOP_LENGTH, Loop, find_loops, loops_through
from graph.analysis.policies import Policy, analyse_policies


class InterventionResult(BaseModel):
    """The effect of an intervention on the mechanism's reach and its loops."""

    model_config = ConfigDict(frozen=True)

    cut_links: list[str]
    removed_factors: list[str]
    roots: list[FactorRef]
    outcomes_before: list[FactorRef]
    outcomes_after: list[FactorRef]
    lost_outcomes: list[FactorRef]
    paths_before: int
    paths_after: int
    broken_loops: list[Loop]
    surviving_loops: list[Loop]
    policy: str | None = None
    """the recommendation whose aims gave the cuts and removals, if any"""


def without(
    g: CausalGraph, cut_links: Iterable[str] = (), removed: Iterable[str] = ()
) -> CausalGraph:
    """The graph with those links cut and those factors (and their links) removed."""
    cut, gone = set(cut_links), set(removed)
    links = [
        link
        for link in g.links.values()
        if link.iri not in cut and link.cause not in gone and link.effect not in gone
    ]
    factors = [f for f in g.factors.values() if f.iri not in gone]
    return from_parts(factors, links)


def _reachable(g: CausalGraph, roots: list[str]) -> set[str]:
    simple = g.simple()
    seen: set[str] = set()
    for r in roots:
        if r in simple:
            seen |= nx.descendants(simple, r) | {r}
    return seen


def intervene(
    g: CausalGraph,
    cut_links: Iterable[str] = (),
    removed_factors: Iterable[str] = (),
    root: str | None = None,
    max_length: int = DEFAULT_MAX_LENGTH,
    max_loop_length: int = DEFAULT_MAX_LOOP_LENGTH,
) -> InterventionResult:
    """Which outcomes stop being reachable from the root cause(s), and which loops break.

    The roots and outcomes are those of the intact graph (`root` narrows to one root); an
    outcome is lost when no root still reaches it once the links are cut and factors removed.
    """
    cut = sorted(set(cut_links))
    removed = sorted(set(removed_factors))
    if not cut and not removed:
        raise BadRequest("give at least one link to cut or factor to remove")
    for iri in cut:
        if iri not in g.links:
            raise BadRequest(f"unknown causal link {iri}")
    for iri in removed:
        if iri not in g.factors:
            raise BadRequest(f"unknown factor {iri}")
    from graph.analysis import decline_outcome  # the package imports this module

    roots = root_iris(g) if root is None else [root]
    targets = set(outcome_iris(g))
    decline = decline_outcome(g)
    if decline is not None:
        targets.add(decline)  # the decline outcome counts even when it has effects of its own
    before = targets & _reachable(g, roots)
    after_graph = without(g, cut, removed)
    alive = [r for r in roots if r not in removed]
    after = before & _reachable(after_graph, alive)
    paths = [
        p for p in mechanism_paths(g, max_length=max_length) if root is None or p[0].cause == root
    ]
    hit = set(cut)
    gone = set(removed)
    paths_after = sum(
        1
        for p in paths
        if not any(link.iri in hit or link.cause in gone or link.effect in gone for link in p)
    )
    loops = find_loops(g, max_loop_length)
    broken = loops_through(loops, set(removed), set(cut))
    broken_ids = {tuple(lp.link_iris) for lp in broken}
    return InterventionResult(
        cut_links=cut,
        removed_factors=removed,
        roots=g.refs(roots),
        outcomes_before=g.refs(sorted(before)),
        outcomes_after=g.refs(sorted(after)),
        lost_outcomes=g.refs(sorted(before - after)),
        paths_before=len(paths),
        paths_after=paths_after,
        broken_loops=broken,
        surviving_loops=[lp for lp in loops if tuple(lp.link_iris) not in broken_ids],
    )


def policy_intervention(
    g: CausalGraph, policy: Policy, outcome: str, max_length: int = DEFAULT_MAX_LENGTH
) -> tuple[list[str], list[str]]:
    """The links a recommendation cuts and the factors it holds, by its aim for each target."""
    (report,) = analyse_policies(g, [policy], outcome, max_length).policies
    cut = [t.iri for t in report.targets if t.effect_on_outcome == "cuts"]
    held = [
        t.iri
        for t in report.targets
        if t.kind == "factor" and t.effect_on_outcome == "lowers" and t.iri in g.factors
    ]
    return sorted(cut), sorted(held)


def intervene_policy(
    g: CausalGraph,
    policy: Policy,
    outcome: str,
    max_length: int = DEFAULT_MAX_LENGTH,
    max_loop_length: int = DEFAULT_MAX_LOOP_LENGTH,
) -> InterventionResult:
    """What the recommendation does to the mechanism if it reaches its aims (see the module)."""
    cut, held = policy_intervention(g, policy, outcome, max_length)
    if not cut and not held:
        raise BadRequest(
            f"{policy.id} neither cuts a link nor holds a factor on the paths to the outcome"
        )
    result = intervene(g, cut, held, max_length=max_length, max_loop_length=max_loop_length)
    return result.model_copy(update={"policy": policy.iri})
