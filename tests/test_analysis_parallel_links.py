"""A step the paper states twice (same polarity) is one step of one loop, not two loops."""

from __future__ import annotations

from argraph.graph.analysis.causal_graph import Link, from_parts
from argraph.graph.analysis.loops import find_loops, loops_through

X = "http://example.org/"


def link(name: str, cause: str, effect: str, polarity: int = 1) -> Link:
    return Link(iri=X + name, id=name, cause=X + cause, effect=X + effect, polarity=polarity)  # type: ignore[arg-type]


def test_same_polarity_parallel_links_make_one_loop() -> None:
    g = from_parts([], [link("ab1", "a", "b"), link("ab2", "a", "b"), link("ba", "b", "a")])
    loops = find_loops(g)
    assert len(loops) == 1
    assert loops[0].link_iris == [X + "ab1", X + "ba"]
    assert loops[0].parallel_links == [X + "ab2"]
    # Cutting one of the two statements of a->b leaves the loop; cutting both breaks it.
    assert loops_through(loops, set(), {X + "ab1"}) == []
    assert loops_through(loops, set(), {X + "ab1", X + "ab2"}) == loops


def test_opposite_polarity_parallel_links_make_one_loop_of_each_kind() -> None:
    g = from_parts([], [link("ab+", "a", "b"), link("ab-", "a", "b", -1), link("ba", "b", "a")])
    kinds = sorted(lp.kind for lp in find_loops(g))
    assert kinds == ["balancing", "reinforcing"]
