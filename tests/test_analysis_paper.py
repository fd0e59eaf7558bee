"""Causal analysis on the real paper: what the encoded core mechanism implies.

The encoding is still growing, so these tests assert the core mechanism (the decline chain and
the vicious cycle), never counts that other sections will change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from errors import AnnotationError
from graph.analysis import (
    CausalGraph,
    analyse_policies,
    chains,
    compare,
    decline_outcome,
    find_loops,
    from_parts,
    intervene,
    load_causal_graph,
    load_explanations,
    load_policies,
    mechanism_link_iris,
    outcomes,
    policy_gaps,
    root_causes,
    upstream,
)
from graph.build import build
from graph.iris import DEFAULT_BASE
from graph.query_rows import select, value
from graph.store import OxigraphStore, open_built

from .conftest import MINI_SOURCE

VICIOUS_CYCLE = {
    "ne-market-share",
    "ne-profitability",
    "ne-rd-spending",
    "ne-innovation-capacity",
    "ne-competitiveness",
}


@pytest.fixture(scope="module")
def g(paper_store: OxigraphStore) -> CausalGraph:
    return load_causal_graph(paper_store)


@pytest.fixture(scope="module")
def rust_belt(g: CausalGraph) -> str:
    iri = decline_outcome(g)
    assert iri is not None, "rust-belt must be the effect of a causal link"
    return iri


def test_rust_belt_is_an_outcome_and_the_coastal_strategy_a_root(
    g: CausalGraph, rust_belt: str
) -> None:
    # rust-belt is the decline outcome; its features (population outflow...) are indicators of
    # it (arg:indicatorOf), not effects the paper states, so they stay out of the causal layer.
    assert g.ref(rust_belt).id == "rust-belt"
    assert "rust-belt" in {f.id for f in outcomes(g)}
    assert not g.in_model(g.resolve_factor("population-outflow"))
    roots = {f.id for f in root_causes(g, rust_belt)}
    assert roots & {"coastal-development-strategy", "uneven-opening"}
    assert not any(f.id in VICIOUS_CYCLE for f in root_causes(g))


def test_a_chain_runs_from_uneven_opening_to_the_rust_belt(g: CausalGraph, rust_belt: str) -> None:
    start = g.resolve_factor("uneven-opening")
    found = chains(g, start, rust_belt)
    assert found
    for chain in found:
        assert chain.factors[0].id == "uneven-opening" and chain.factors[-1].id == "rust-belt"
        assert all(link.quote for link in chain.links)
        sign = 1
        for link in chain.links:
            sign *= link.polarity
        assert chain.polarity == sign
    # the decline runs through the loss of the Northeast's domestic market share
    assert any("ne-market-share" in [f.id for f in c.factors] for c in found)
    up = {r.factor.id: r.distance for r in upstream(g, rust_belt)}
    assert up["uneven-opening"] >= 2 and "ne-market-share" in up


def test_the_vicious_cycle_is_found_as_a_reinforcing_loop(
    g: CausalGraph, paper_store: OxigraphStore
) -> None:
    loops = [lp for lp in find_loops(g) if {f.id for f in lp.factors} == VICIOUS_CYCLE]
    assert len(loops) >= 1
    for lp in loops:
        assert lp.kind == "reinforcing" and lp.length == 5
        assert lp.negative_links % 2 == 0
    # the algorithm's loop is the one the annotators wrote down
    rows = select(
        paper_store,
        "SELECT ?loop ?link ?pol WHERE { ?loop a arg:FeedbackLoop ; arg:hasLink ?link ; "
        "arg:loopPolarity ?pol }",
    )
    annotated: dict[str, set[str]] = {}
    for row in rows:
        annotated.setdefault(value(row, "loop") or "", set()).add(value(row, "link") or "")
    assert {frozenset(lp.link_iris) for lp in loops} & {frozenset(s) for s in annotated.values()}


def test_cutting_the_cycle_keeps_the_decline_but_breaks_the_loop(
    g: CausalGraph, rust_belt: str
) -> None:
    cut = g.resolve_link("l-share-profitability")
    res = intervene(g, cut_links=[cut])
    assert any({f.id for f in lp.factors} == VICIOUS_CYCLE for lp in res.broken_loops)
    assert rust_belt not in {f.iri for f in res.lost_outcomes}


def test_without_uneven_opening_the_root_no_longer_reaches_the_rust_belt(
    g: CausalGraph, rust_belt: str
) -> None:
    root = g.resolve_factor("coastal-development-strategy")
    res = intervene(g, removed_factors=[g.resolve_factor("uneven-opening")], root=root)
    assert rust_belt in {f.iri for f in res.lost_outcomes}
    assert res.paths_after == 0 < res.paths_before


def test_rival_explanations_located_in_the_model(
    g: CausalGraph, paper_store: OxigraphStore, rust_belt: str
) -> None:
    cmp = compare(g, load_explanations(paper_store), rust_belt)
    by = {r.explanation.id: r for r in cmp.explanations}
    rivals = [r for r in cmp.explanations if r.explanation.verdict == "SurfaceManifestation"]
    assert {"expl-institutional", "expl-structural", "expl-technological"} <= {
        r.explanation.id for r in rivals
    }
    for r in cmp.explanations:
        assert r.factors, f"{r.explanation.id} posits no factor"
        for p in r.factors:
            # a factor in the model is either reached from the root cause or is the root itself
            if p.in_model and p.distance_from_root is not None and p.distance_from_root >= 1:
                assert p.chain_from_root is not None
                assert p.chain_from_root.factors[-1].iri == p.factor.iri
                assert p.chain_from_root.length == p.distance_from_root
    # a rival is subsumed exactly when all its factors are downstream of the root cause
    for r in rivals:
        assert r.subsumed == all((p.distance_from_root or 0) >= 1 for p in r.factors)
        if r.subsumed:
            assert r.subsuming_links
    if "expl-decoupling" in by:
        own = by["expl-decoupling"]
        assert own.explanation.verdict == "OwnMechanism"
        assert any(p.on_decline_path for p in own.factors)


def test_policy_gaps_are_mechanism_links_no_policy_touches(
    g: CausalGraph, paper_store: OxigraphStore, rust_belt: str
) -> None:
    policies = load_policies(paper_store)
    mech = set(mechanism_link_iris(g, rust_belt))
    loop_links = {
        g.resolve_link(i)
        for i in ("l-share-profitability", "l-profitability-rd", "l-rd-innovation")
    }
    assert loop_links <= mech
    assert g.resolve_link("l-coastal-strategy-uneven-opening") in mech
    gaps = policy_gaps(g, policies, rust_belt)
    targeted = {t for p in policies for t in p.targets}
    gap_iris = {link.iri for link in gaps.unaddressed_links}
    assert gap_iris <= mech
    for iri in mech:
        link = g.links[iri]
        touched = bool({iri, link.cause, link.effect} & targeted)
        assert (iri in gap_iris) != touched
    analysis = analyse_policies(g, policies, rust_belt)
    assert analysis.total_paths >= 1
    for report in analysis.policies:
        for t in report.targets:
            assert t.leverage <= analysis.total_paths
            assert t.in_model or t.via_broader is not None or t.leverage == 0


def test_an_indicator_takes_the_place_of_what_it_indicates(
    g: CausalGraph, paper_store: OxigraphStore, rust_belt: str
) -> None:
    # Population outflow is a feature of the rust belt (arg:indicatorOf), not a caused factor:
    # the comparison places the population-outflow theory where the rust belt sits, and says so.
    cmp = compare(g, load_explanations(paper_store), rust_belt)
    (report,) = [r for r in cmp.explanations if r.explanation.id == "expl-population-outflow"]
    (place,) = report.factors
    assert place.factor.id == "population-outflow" and not place.in_model
    assert place.via_indicator is not None and place.via_indicator.id == "rust-belt"
    assert place.on_decline_path and (place.distance_from_root or 0) >= 1
    assert report.subsumed


def test_the_comparison_table_names_every_factor_by_its_label(
    g: CausalGraph, paper_store: OxigraphStore, rust_belt: str
) -> None:
    from graph.analysis.tables import to_markdown

    table = to_markdown(compare(g, load_explanations(paper_store), rust_belt))
    # the paper's own mechanism links read with labels, never with bare ids
    assert "attractiveness to foreign investment" in table
    assert "-> (+) fdi-attraction" not in table and "(-) revived-not-thriving" not in table


def test_the_main_outcome_is_data_of_the_document(
    g: CausalGraph, rust_belt: str, paper_store: OxigraphStore
) -> None:
    # the default outcome is `outcome` of paper.yaml's document record (arg:mainOutcome)
    rows = select(paper_store, "SELECT ?f WHERE { ?doc arg:mainOutcome ?f }")
    assert [value(r, "f") for r in rows] == g.main_outcomes == [rust_belt]
    # a graph whose documents name no main outcome: every outcome counts
    bare = from_parts(g.factors.values(), g.links.values())
    assert bare.main_outcomes == [] and decline_outcome(bare) is None
    assert decline_outcome(bare, "rust-belt") == rust_belt
    # two papers naming two outcomes: no single default
    two = from_parts(g.factors.values(), g.links.values())
    two.main_outcomes.extend(sorted([rust_belt, g.resolve_factor("ne-market-share")]))
    assert decline_outcome(two) is None


def test_a_main_outcome_that_is_no_factor_fails_the_build(
    mini_corpus: Path, tmp_path: Path
) -> None:
    paper = mini_corpus / "paper.yaml"
    text = paper.read_text(encoding="utf-8")
    paper.write_text(text.replace("  id: mini-paper\n", "  id: mini-paper\n  outcome: c-cycle\n"))
    with pytest.raises(AnnotationError, match=r"document\.outcome 'c-cycle' is not a factor"):
        build(
            mini_corpus,
            tmp_path / "dist",
            source=MINI_SOURCE,
            data_dir=None,
            base_iri=DEFAULT_BASE,
            validate=False,
        )
    paper.write_text(text.replace("  id: mini-paper\n", "  id: mini-paper\n  outcome: share\n"))
    build(
        mini_corpus,
        tmp_path / "ok",
        source=MINI_SOURCE,
        data_dir=None,
        base_iri=DEFAULT_BASE,
        validate=False,
    )
    store = open_built(tmp_path / "ok")
    assert load_causal_graph(store).main_outcomes == [
        r for r in load_causal_graph(store).factors if r.endswith("/share")
    ]


def test_every_target_has_its_own_aim_and_none_feeds_the_decline(
    g: CausalGraph, paper_store: OxigraphStore, rust_belt: str
) -> None:
    policies = {p.id: p for p in load_policies(paper_store)}
    orderly = policies["s4-p-orderly-market"]
    aims = {local: orderly.aims[g.resolve_factor(local)] for local in ("market-segmentation",)}
    assert aims == {"market-segmentation": "Weaken"}
    assert orderly.aims[g.resolve_factor("market-mechanism")] == "Strengthen"
    assert orderly.aim is None  # its targets differ, so there is no one aim
    assert policies["s4-p-standards-recognition"].aim == "Weaken"
    assert g.resolve_factor("market-segmentation") in orderly.inferred_targets
    assert not policies["s4-p-service-government"].inferred_targets
    analysis = analyse_policies(g, list(policies.values()), rust_belt)
    effects = {
        (r.policy.id, t.id): t.effect_on_outcome for r in analysis.policies for t in r.targets
    }
    # Reaching any aim of the paper's recommendations never raises the decline in the model.
    assert "raises" not in effects.values()
    assert effects["s4-p-orderly-market", "market-segmentation"] == "lowers"
    assert effects["s4-p-service-government", "s4-l-omnipotent-market"] == "cuts"
    assert effects["s3-pol-join-domestic-circulation", "ne-decoupling"] == "lowers"
    link_targets = {r.policy.id for r in analysis.policies for t in r.targets if t.kind == "link"}
    assert len(link_targets) >= 8


def test_a_policy_as_an_intervention_cuts_and_holds_by_its_aims(
    g: CausalGraph, paper_store: OxigraphStore, rust_belt: str
) -> None:
    from graph.analysis.interventions import intervene_policy, policy_intervention

    policies = {p.id: p for p in load_policies(paper_store)}
    cut, held = policy_intervention(g, policies["s4-p-service-government"], rust_belt)
    assert cut == [g.resolve_link("s4-l-omnipotent-market")]
    assert held == [g.resolve_factor("market-mechanism")]
    # Joining the domestic circulation holds the decoupling: every path through it is cut.
    result = intervene_policy(g, policies["s3-pol-join-domestic-circulation"], rust_belt)
    assert result.policy == policies["s3-pol-join-domestic-circulation"].iri
    assert g.resolve_factor("ne-decoupling") in result.removed_factors
    assert result.paths_after < result.paths_before
    with pytest.raises(Exception, match="neither cuts a link nor holds a factor"):
        intervene_policy(g, policies["s4-p-class1-heritage-reuse"], rust_belt)


def test_the_comparison_says_which_attributions_are_ours(
    g: CausalGraph, paper_store: OxigraphStore, rust_belt: str
) -> None:
    cmp = compare(g, load_explanations(paper_store), rust_belt)
    by = {r.explanation.id: r for r in cmp.explanations}
    own = by["expl-decoupling"].factors
    assert own and all(p.basis == "stated" and p.quote for p in own)
    rust = next(p for p in own if p.factor.id == "rust-belt")
    assert rust.quote == "东北老工业基地便沦为“铁锈地带”"
    for rival in ("expl-institutional", "expl-structural", "expl-technological"):
        assert all(p.basis == "inferred" and p.quote is None for p in by[rival].factors)
    (outflow,) = by["expl-population-outflow"].factors
    assert outflow.basis == "stated" and outflow.quote == "人口外流说"
