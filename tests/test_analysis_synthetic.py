"""A small synthetic causal graph with known paths and loops of both kinds, as RDF.

    R  -l1(+)-> A      R -l11(-)-> A   (two parallel links)
    A  -l2(+)-> B -l3(+)-> O           A -l4(-)-> C -l5(-)-> O        B -l6(+)-> C
    B  -l7(-)-> D -l8(-)-> B  (reinforcing)     D -l12(+)-> B  (with l7: balancing)
    C  -l9(+)-> P -l10(-)-> C (balancing)
    R2 -l13(+)-> Q -l14(+)-> O2        X: a factor with no links

Explanations: e-sub posits C and D (subsumed), e-out posits X (outside the model), e-root posits
R (a root cause itself). Policies: p-a targets A, p-l5 targets link l5, p-x targets X.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from graph.dumps import to_nquads
from graph.namespaces import (
    ARG,
    CAUSALLY_UPSTREAM_NEGATIVE,
    CAUSALLY_UPSTREAM_OF,
    CAUSALLY_UPSTREAM_POSITIVE,
    CITO,
)
from graph.store import OxigraphStore

BASE = "https://example.org/syn/"
FACTORS = ["R", "A", "B", "C", "D", "O", "P", "Q", "R2", "O2", "X"]
LINKS: dict[str, tuple[str, str, int]] = {
    "l1": ("R", "A", 1),
    "l2": ("A", "B", 1),
    "l3": ("B", "O", 1),
    "l4": ("A", "C", -1),
    "l5": ("C", "O", -1),
    "l6": ("B", "C", 1),
    "l7": ("B", "D", -1),
    "l8": ("D", "B", -1),
    "l9": ("C", "P", 1),
    "l10": ("P", "C", -1),
    "l11": ("R", "A", -1),
    "l12": ("D", "B", 1),
    "l13": ("R2", "Q", 1),
    "l14": ("Q", "O2", 1),
}


def iri(local: str) -> str:
    return BASE + local


def synthetic_dataset() -> Dataset:
    ds = Dataset()
    g = ds.graph(URIRef(BASE + "graph/assertions"))
    for f in FACTORS:
        node = URIRef(iri(f))
        g.add((node, RDF.type, ARG.Factor))
        g.add((node, RDFS.label, Literal(f"factor {f}", lang="en")))
        g.add((node, RDFS.label, Literal(f"因素{f}", lang="zh")))
    for name, (cause, effect, polarity) in LINKS.items():
        node, c, e = URIRef(iri(name)), URIRef(iri(cause)), URIRef(iri(effect))
        g.add((node, RDF.type, ARG.CausalLink))
        g.add((node, ARG.cause, c))
        g.add((node, ARG.effect, e))
        g.add((node, ARG.polarity, ARG.Increases if polarity > 0 else ARG.Decreases))
        g.add((node, ARG.quote, Literal(f"{cause} acts on {effect}", lang="en")))
        g.add((node, ARG.mechanism, Literal(f"{name} mechanism", lang="en")))
        g.add((node, ARG.basis, Literal("stated")))
        g.add((c, CAUSALLY_UPSTREAM_OF, e))
        pred = CAUSALLY_UPSTREAM_POSITIVE if polarity > 0 else CAUSALLY_UPSTREAM_NEGATIVE
        g.add((c, pred, e))
    ref = URIRef(iri("ref-1"))
    g.add((ref, RDF.type, ARG.Reference))
    g.add((ref, ARG.number, Literal(1)))
    g.add((ref, RDFS.label, Literal("Someone 2020", lang="en")))
    claim = URIRef(iri("c-basis"))
    g.add((claim, RDF.type, ARG.Claim))
    g.add((claim, RDFS.label, Literal("the basis", lang="en")))
    g.add((claim, ARG.quote, Literal("basis quote", lang="en")))
    for name, posits, verdict in (
        ("e-sub", ["C", "D"], ARG.SurfaceManifestation),
        ("e-out", ["X"], ARG.Rejected),
        ("e-root", ["R"], ARG.OwnMechanism),
    ):
        node = URIRef(iri(name))
        g.add((node, RDF.type, ARG.Explanation))
        g.add((node, RDFS.label, Literal(f"explanation {name}", lang="en")))
        g.add((node, ARG.family, Literal("structural")))
        g.add((node, ARG.verdict, verdict))
        for f in posits:
            g.add((node, ARG.posits, URIRef(iri(f))))
    g.add((URIRef(iri("e-sub")), CITO.cites, ref))
    g.add((URIRef(iri("e-sub")), ARG.assertedBy, claim))
    g.add((URIRef(iri("e-root")), ARG.hasMechanismLink, URIRef(iri("l1"))))
    g.add((ARG.SurfaceManifestation, RDFS.label, Literal("surface manifestations", lang="en")))
    for name, targets in (("p-a", ["A"]), ("p-l5", ["l5"]), ("p-x", ["X"])):
        node = URIRef(iri(name))
        g.add((node, RDF.type, ARG.PolicyRecommendation))
        g.add((node, RDFS.label, Literal(f"policy {name}", lang="en")))
        g.add((node, ARG.aim, ARG.Weaken))
        for t in targets:
            g.add((node, ARG.targets, URIRef(iri(t))))
    return ds


def synthetic_store(tmp: Path) -> OxigraphStore:
    path = tmp / "synthetic.nq"
    path.write_text(to_nquads(synthetic_dataset()), encoding="utf-8")
    store = OxigraphStore()
    store.load_nquads(path)
    return store


# -- tests of the library on the synthetic graph ------------------------------------------------

import pytest  # noqa: E402

from errors import BadRequest, NotFound  # noqa: E402
from graph.analysis import (  # noqa: E402
    CausalGraph,
    analyse_policies,
    chains,
    compare,
    downstream,
    find_loops,
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


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    return synthetic_store(tmp_path_factory.mktemp("syn"))


@pytest.fixture(scope="module")
def g(store: OxigraphStore) -> CausalGraph:
    return load_causal_graph(store)


def ids(items: list[str]) -> list[str]:
    return [i.removeprefix(BASE) for i in items]


def test_loader_reads_factors_links_and_parallel_links(g: CausalGraph) -> None:
    assert sorted(ids(list(g.factors))) == sorted(FACTORS)
    assert sorted(ids(list(g.links))) == sorted(LINKS)
    assert g.graph.number_of_edges(iri("R"), iri("A")) == 2
    l5 = g.links[iri("l5")]
    assert (l5.cause, l5.effect, l5.polarity) == (iri("C"), iri("O"), -1)
    assert l5.quote == "C acts on O" and l5.mechanism == "l5 mechanism" and l5.basis == "stated"
    assert g.factors[iri("A")].en == "factor A" and g.factors[iri("A")].zh == "因素A"
    assert not g.in_model(iri("X"))
    assert g.resolve_factor("A") == iri("A") and g.resolve_link("l12") == iri("l12")
    with pytest.raises(NotFound):
        g.resolve_factor("nowhere")


def test_chains_every_simple_path_with_polarity(g: CausalGraph) -> None:
    found = chains(g, iri("R"), iri("O"))
    got = sorted((tuple(ids([lk.iri for lk in c.links])), c.polarity) for c in found)
    assert got == sorted(
        [
            (("l1", "l2", "l3"), 1),
            (("l1", "l4", "l5"), 1),
            (("l1", "l2", "l6", "l5"), -1),
            (("l11", "l2", "l3"), -1),
            (("l11", "l4", "l5"), -1),
            (("l11", "l2", "l6", "l5"), 1),
        ]
    )
    assert found[0].length == 3 and found[-1].length == 4
    first = found[0]
    assert first.factors[0].iri == iri("R") and first.factors[-1].iri == iri("O")
    assert all(lk.quote for c in found for lk in c.links)
    assert chains(g, iri("R"), iri("O"), max_length=3) == found[:4]
    assert chains(g, iri("O"), iri("R")) == []
    with pytest.raises(BadRequest):
        chains(g, iri("R"), iri("O"), max_length=0)


def test_upstream_and_downstream_with_distances(g: CausalGraph) -> None:
    down = {r.factor.id: r.distance for r in downstream(g, iri("A"))}
    assert down == {"B": 1, "C": 1, "O": 2, "D": 2, "P": 2}
    up = {r.factor.id: r.distance for r in upstream(g, iri("O"))}
    assert up == {"B": 1, "C": 1, "A": 2, "D": 2, "P": 2, "R": 3}
    assert {r.factor.id for r in upstream(g, iri("O"), max_distance=1)} == {"B", "C"}


def test_roots_and_outcomes(g: CausalGraph) -> None:
    assert [f.id for f in root_causes(g)] == ["R", "R2"]
    assert [f.id for f in root_causes(g, iri("O"))] == ["R"]
    assert [f.id for f in outcomes(g)] == ["O", "O2"]


def test_loops_both_kinds_with_parallel_links(g: CausalGraph) -> None:
    loops = find_loops(g)
    got = sorted((tuple(ids(lp.link_iris)), lp.kind) for lp in loops)
    assert got == sorted(
        [
            (("l7", "l8"), "reinforcing"),
            (("l7", "l12"), "balancing"),
            (("l9", "l10"), "balancing"),
        ]
    )
    for lp in loops:
        assert lp.factors[0].iri == min(lp.factor_iris)
        assert lp.links[-1].effect == lp.links[0].cause


def test_mechanism_links(g: CausalGraph) -> None:
    assert sorted(ids(mechanism_link_iris(g))) == sorted(LINKS)
    assert sorted(ids(mechanism_link_iris(g, iri("O")))) == sorted(set(LINKS) - {"l13", "l14"})


def test_explanations_located_and_subsumed(store: OxigraphStore, g: CausalGraph) -> None:
    exps = load_explanations(store)
    cmp = compare(g, exps, iri("O"))
    by = {r.explanation.id: r for r in cmp.explanations}
    sub = by["e-sub"]
    assert sub.subsumed
    places = {p.factor.id: p for p in sub.factors}
    assert places["C"].distance_from_root == 2 and places["D"].distance_from_root == 3
    assert places["C"].on_decline_path and places["D"].on_decline_path
    assert places["D"].nearest_root is not None and places["D"].nearest_root.id == "R"
    assert sorted(ids([lk.iri for lk in sub.subsuming_links])) == ["l1", "l2", "l4", "l7"]
    assert [c.number for c in sub.explanation.references] == [1]
    assert [s.id for s in sub.explanation.evidence] == ["c-basis"]
    assert sub.explanation.verdict == "SurfaceManifestation"
    assert sub.explanation.verdict_label == "surface manifestations"
    out = by["e-out"]
    assert not out.subsumed and not out.factors[0].in_model
    root = by["e-root"]
    assert not root.subsumed and root.factors[0].is_root
    assert [lk.id for lk in root.mechanism_links] == ["l1"]
    names = cmp.overlap.explanations
    up = cmp.overlap.shared_upstream
    assert up[names.index("e-sub")][names.index("e-root")] == 0
    assert up[names.index("e-sub")][names.index("e-sub")] == 5  # R, A, B, D, C's ancestors
    assert cmp.overlap.shared_factors[names.index("e-out")][names.index("e-out")] == 1


def test_policies_leverage_and_gaps(store: OxigraphStore, g: CausalGraph) -> None:
    pols = load_policies(store)
    analysis = analyse_policies(g, pols, iri("O"))
    assert analysis.total_paths == 6
    by = {r.policy.id: r for r in analysis.policies}
    assert by["p-a"].leverage == 6 and by["p-a"].targets[0].kind == "factor"
    assert by["p-l5"].leverage == 4 and by["p-l5"].targets[0].kind == "link"
    assert by["p-x"].leverage == 0 and not by["p-x"].targets[0].in_model
    gaps = policy_gaps(g, pols, iri("O"))
    assert sorted(ids([lk.iri for lk in gaps.unaddressed_links])) == sorted(
        ["l3", "l6", "l7", "l8", "l9", "l10", "l12"]
    )
    assert [r.policy.id for r in gaps.outside_model] == ["p-x"]


def test_interventions(g: CausalGraph) -> None:
    res = intervene(g, cut_links=[iri("l3"), iri("l5")])
    assert [f.id for f in res.lost_outcomes] == ["O"]
    assert [f.id for f in res.outcomes_after] == ["O2"]
    assert res.paths_after == 1 and res.paths_before == 7
    assert res.broken_loops == []
    res = intervene(g, removed_factors=[iri("D")])
    assert res.lost_outcomes == []
    assert sorted(tuple(ids(lp.link_iris)) for lp in res.broken_loops) == [
        ("l7", "l12"),
        ("l7", "l8"),
    ]
    assert [tuple(ids(lp.link_iris)) for lp in res.surviving_loops] == [("l9", "l10")]
    res = intervene(g, cut_links=[iri("l1")], root=iri("R"))
    assert res.lost_outcomes == [] and res.paths_before == 6 and res.paths_after == 3
    res = intervene(g, removed_factors=[iri("A")], root=iri("R"))
    assert [f.id for f in res.lost_outcomes] == ["O"]
    with pytest.raises(BadRequest):
        intervene(g)
