"""Feedback loops found in the causal layer, classified by the parity of their negative links.

A loop is reinforcing when it has an even number of decreasing links (a change comes back
amplified in the same direction) and balancing when the number is odd. Loops are found with
`networkx.simple_cycles` on the graph with parallel links collapsed, then expanded back into
one loop per choice of polarity between each pair, so two links of opposite polarity between the
same pair give one loop of each kind. Parallel links of the same polarity (the paper stating the
same link in two sections) do not make separate loops: the loop names the first of them (by IRI)
and lists the others as `parallel_links`.
"""

from __future__ import annotations

import itertools
from typing import Literal

import networkx as nx
from pydantic import BaseModel, ConfigDict

from errors import BadRequest
from graph.analysis.causal_graph import CausalGraph, FactorRef, Link

DEFAULT_MAX_LOOP_LENGTH = 8
MAX_LOOP_LENGTH_LIMIT = 16


class Loop(BaseModel):
    """A closed chain of links, starting at its factor with the smallest IRI."""

    model_config = ConfigDict(frozen=True)

    factors: list[FactorRef]
    links: list[Link]
    length: int
    negative_links: int
    kind: Literal["reinforcing", "balancing"]
    parallel_links: list[str] = []
    """other links stating the same step with the same polarity"""
    step_links: list[list[str]] = []
    """for each step, every link that states it with this polarity"""

    @property
    def factor_iris(self) -> list[str]:
        return [f.iri for f in self.factors]

    @property
    def link_iris(self) -> list[str]:
        return [link.iri for link in self.links]


def _rotate(cycle: list[str]) -> list[str]:
    start = cycle.index(min(cycle))
    return cycle[start:] + cycle[:start]


def find_loops(g: CausalGraph, max_length: int = DEFAULT_MAX_LOOP_LENGTH) -> list[Loop]:
    """Every feedback loop of at most max_length links, reinforcing or balancing."""
    if not 1 <= max_length <= MAX_LOOP_LENGTH_LIMIT:
        raise BadRequest(f"max_length must be between 1 and {MAX_LOOP_LENGTH_LIMIT}")
    loops: list[Loop] = []
    for cycle in nx.simple_cycles(g.simple(), length_bound=max_length):
        nodes = _rotate(list(cycle))
        pairs = list(zip(nodes, nodes[1:] + nodes[:1], strict=True))
        choices = [_by_polarity(g, sorted(g.graph[u][v])) for u, v in pairs]
        for groups in itertools.product(*choices):
            links = [g.links[group[0]] for group in groups]
            negatives = sum(1 for link in links if link.polarity < 0)
            loops.append(
                Loop(
                    factors=g.refs(nodes),
                    links=links,
                    length=len(links),
                    negative_links=negatives,
                    kind="balancing" if negatives % 2 else "reinforcing",
                    parallel_links=sorted(k for group in groups for k in group[1:]),
                    step_links=[list(group) for group in groups],
                )
            )
    return sorted(loops, key=lambda lp: (lp.length, lp.link_iris))


def _by_polarity(g: CausalGraph, keys: list[str]) -> list[list[str]]:
    """Parallel links grouped by polarity: one group per sign, links sorted by IRI."""
    groups: dict[int, list[str]] = {}
    for key in keys:
        groups.setdefault(g.links[key].polarity, []).append(key)
    return [groups[sign] for sign in sorted(groups, reverse=True)]


def loops_through(loops: list[Loop], factors: set[str], links: set[str]) -> list[Loop]:
    """The loops broken by removing the factors or cutting the links: a loop breaks when it
    uses a removed factor, or when every link of one of its steps is cut."""
    return [
        lp
        for lp in loops
        if factors & set(lp.factor_iris) or any(set(step) <= links for step in lp.step_links)
    ]


def loop_factor_iris(loops: list[Loop]) -> list[str]:
    return sorted({f for lp in loops for f in lp.factor_iris})


__all__ = ["Loop", "find_loops", "loop_factor_iris", "loops_through"]
