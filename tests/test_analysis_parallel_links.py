"""A step the paper states twice (same polarity) is one step of one loop, not two loops."""

from __future__ import annotations

from graph.analysis.causal_graph import FactorRef, Link, from_parts
from graph.analysis.loops import find_loops, loops_through

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


def test_a_loop_nothing_feeds_is_where_the_mechanism_starts() -> None:
    from graph.analysis.chains import root_iris

    # i <-> e (internal and external opening feed each other), i -> m -> out; r -> m.
    g = from_parts(
        [],
        [
            link("ie", "i", "e"),
            link("ei", "e", "i"),
            link("im", "i", "m"),
            link("rm", "r", "m"),
            link("mo", "m", "out"),
        ],
    )
    assert root_iris(g) == [X + "e", X + "i", X + "r"]
    assert root_iris(g, [X + "out"]) == [X + "e", X + "i", X + "r"]


def test_a_target_outside_the_model_takes_its_broader_factors_leverage() -> None:
    from graph.analysis.policies import Policy, analyse_policies

    step = FactorRef(iri=X + "step", id="step")  # a factor with no causal link of its own
    g = from_parts([step], [link("am", "a", "m"), link("mo", "m", "out")])
    g.broader[X + "step"] = [X + "m"]
    policy = Policy(iri=X + "p", id="p", targets=[X + "step"])
    (report,) = analyse_policies(g, [policy], X + "out").policies
    (target,) = report.targets
    assert not target.in_model and target.via_broader == X + "m" and target.leverage == 1
