"""Causal chains, reach, root causes and outcomes.

Definitions (the SPARQL queries in corpus/liu-tong-2021/queries/ use the same ones):
- a *root cause* is a factor with at least one outgoing causal link and no incoming one from a
  factor it does not itself reach (so every factor of a loop that nothing outside feeds); given an
  outcome, only the roots from which that outcome can be reached;
- an *outcome* is a factor with no outgoing causal link that can be reached from a root cause
  (a terminal effect of the mechanism; the factor a paper explains, its main outcome, is one);
- the *mechanism* (for a set of outcomes) is every link that lies on some walk from a root
  cause to one of those outcomes: its cause is a root or downstream of one, and its effect is
  the outcome or upstream of it.
Every factor of a loop that nothing outside feeds is a root (it is where the mechanism starts).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

import networkx as nx
from pydantic import BaseModel, ConfigDict

from errors import BadRequest
from graph.analysis.causal_graph import CausalGraph, FactorRef, Link

DEFAULT_MAX_LENGTH = 16
MAX_LENGTH_LIMIT = 24


class Chain(BaseModel):
    """A simple causal path: its factors in order, its links, and their combined polarity."""

    model_config = ConfigDict(frozen=True)

    factors: list[FactorRef]
    links: list[Link]
    polarity: Literal[1, -1]
    effect: Literal["increases", "decreases"]
    length: int


class Reached(BaseModel):
    """A factor upstream or downstream of another, at a distance in links."""

    model_config = ConfigDict(frozen=True)

    factor: FactorRef
    distance: int


def check_length(max_length: int) -> int:
    if not 1 <= max_length <= MAX_LENGTH_LIMIT:
        raise BadRequest(f"max_length must be between 1 and {MAX_LENGTH_LIMIT}")
    return max_length


def chain_sign(
    links: list[Link],
) -> tuple[Literal[1], Literal["increases"]] | tuple[Literal[-1], Literal["decreases"]]:
    """The sign of a chain of links (the product of their polarities), as +1/-1 and as the
    effect the chain's start has on its end."""
    polarity = 1
    for link in links:
        polarity *= link.polarity
    return (1, "increases") if polarity > 0 else (-1, "decreases")


def make_chain(g: CausalGraph, links: list[Link]) -> Chain:
    polarity, effect = chain_sign(links)
    factors = [links[0].cause, *(link.effect for link in links)] if links else []
    return Chain(
        factors=g.refs(factors),
        links=links,
        polarity=polarity,
        effect=effect,
        length=len(links),
    )


def edge_paths(
    g: CausalGraph, source: str, target: str, max_length: int = DEFAULT_MAX_LENGTH
) -> Iterator[list[Link]]:
    """Every simple path of links from source to target (parallel links give separate paths)."""
    if source == target or source not in g.graph or target not in g.graph:
        return
    for path in nx.all_simple_edge_paths(g.graph, source, target, cutoff=max_length):
        yield [g.links[key] for _u, _v, key in path]


def chains(
    g: CausalGraph, source: str, target: str, max_length: int = DEFAULT_MAX_LENGTH
) -> list[Chain]:
    """All simple causal chains from source to target of at most max_length links."""
    check_length(max_length)
    found = [make_chain(g, p) for p in edge_paths(g, source, target, max_length)]
    return sorted(found, key=lambda c: (c.length, [link.iri for link in c.links]))


def _reach(graph: nx.DiGraph, start: str, max_distance: int | None) -> dict[str, int]:
    if start not in graph:
        return {}
    dist = nx.single_source_shortest_path_length(graph, start, cutoff=max_distance)
    return {n: d for n, d in dist.items() if n != start}


def _reached(g: CausalGraph, dist: dict[str, int]) -> list[Reached]:
    return [
        Reached(factor=g.ref(n), distance=d)
        for n, d in sorted(dist.items(), key=lambda kv: (kv[1], kv[0]))
    ]


def downstream(g: CausalGraph, factor: str, max_distance: int | None = None) -> list[Reached]:
    """Every effect reachable from the factor, with its distance (fewest links)."""
    return _reached(g, _reach(g.simple(), factor, max_distance))


def upstream(g: CausalGraph, factor: str, max_distance: int | None = None) -> list[Reached]:
    """Every cause from which the factor can be reached, with its distance."""
    return _reached(g, _reach(g.simple().reverse(copy=False), factor, max_distance))


def root_iris(g: CausalGraph, outcomes: Iterable[str] | None = None) -> list[str]:
    """Factors with outgoing links in a source component of the graph: no link comes in from a
    factor they do not themselves reach. A lone factor with no incoming link is one; so is every
    factor of a loop that nothing outside feeds (internal and external opening, say)."""
    simple = g.simple()
    condensed = nx.condensation(simple)
    component = condensed.graph["mapping"]
    sources = {c for c in condensed if condensed.in_degree(c) == 0}
    roots = [n for n in simple if component[n] in sources and simple.out_degree(n) > 0]
    if outcomes is None:
        return sorted(roots)
    wanted = set(outcomes)
    return sorted(r for r in roots if wanted & nx.descendants(simple, r))


def outcome_iris(g: CausalGraph) -> list[str]:
    graph = g.graph
    reachable: set[str] = set()
    simple = g.simple()
    for r in root_iris(g):
        reachable |= nx.descendants(simple, r)
    return sorted(n for n in reachable if graph.out_degree(n) == 0)


def root_causes(g: CausalGraph, outcome: str | None = None) -> list[FactorRef]:
    """Root causes (see `root_iris`); with `outcome`, only those that reach it."""
    return g.refs(root_iris(g, None if outcome is None else [outcome]))


def outcomes(g: CausalGraph) -> list[FactorRef]:
    """Outcomes: factors with no outgoing link that a root cause reaches."""
    return g.refs(outcome_iris(g))


def target_outcomes(g: CausalGraph, outcome: str | None) -> list[str]:
    """The outcome asked for, or every outcome."""
    return [outcome] if outcome is not None else outcome_iris(g)


def mechanism_link_iris(g: CausalGraph, outcome: str | None = None) -> list[str]:
    """Links on some walk from a root cause to the outcome (every outcome by default)."""
    simple = g.simple()
    targets = target_outcomes(g, outcome)
    roots = root_iris(g, targets)
    after: set[str] = set(roots)
    for r in roots:
        after |= nx.descendants(simple, r)
    before: set[str] = set(targets)
    for t in targets:
        if t in simple:
            before |= nx.ancestors(simple, t)
    return sorted(
        iri for iri, link in g.links.items() if link.cause in after and link.effect in before
    )


def mechanism_paths(
    g: CausalGraph, outcome: str | None = None, max_length: int = DEFAULT_MAX_LENGTH
) -> list[list[Link]]:
    """Every simple root-to-outcome path of links (bounded), the basis of leverage counts."""
    targets = [t for t in target_outcomes(g, outcome) if t in g.graph]
    paths: list[list[Link]] = []
    for r in root_iris(g, targets):
        ends = [t for t in targets if t != r]
        if ends:
            for path in nx.all_simple_edge_paths(g.graph, r, ends, cutoff=max_length):
                paths.append([g.links[key] for _u, _v, key in path])
    return paths
