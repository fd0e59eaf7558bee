"""The benchmark's synthetic generator: valid RDF with the shape of the real encoding (2 papers).
No timing here: benchmarks are run by `python -m bench`, never as tests."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox

from bench import synthetic as sy
from bench.scale import Scoped
from graph.analysis import find_loops, load_causal_graph, outcomes, root_causes
from graph.store import OxigraphStore

ARG = sy.ARG


def _store(path: Path) -> OxigraphStore:
    store = OxigraphStore()
    store.load_nquads(path)
    return store


def test_generator_is_deterministic_and_prefix_stable(tmp_path: Path) -> None:
    paths = sy.write_corpora(tmp_path, [1, 2])
    one, two = paths[1].read_text("utf-8"), paths[2].read_text("utf-8")
    assert two.startswith(one)
    assert sy.paper_quads(1) == sy.paper_quads(1)
    ox.parse(input=two.encode(), format=ox.RdfFormat.N_QUADS)  # raises on invalid N-Quads


def _solutions(store: OxigraphStore, query: str) -> ox.QuerySolutions:
    solutions = store.store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    return solutions


def test_two_papers_have_the_shape_of_the_real_encoding(tmp_path: Path) -> None:
    shape = sy.SHAPE
    store = _store(sy.write_corpora(tmp_path, [2])[2])
    types = Counter(
        r["t"].value.removeprefix(ARG)
        for r in _solutions(
            store, f"SELECT ?t WHERE {{ GRAPH ?g {{ ?s a ?t }} FILTER(?g != <{sy.ONTOLOGY_IRI}>) }}"
        )
    )
    assert types["Factor"] == 2 * shape.factors
    assert types["CausalLink"] == 2 * shape.links
    assert types["Claim"] == 2 * sum(shape.claims.values())
    assert types["Entity"] == 2 * sum(shape.entities.values())
    assert types["PolicyRecommendation"] == 2 * shape.policies
    assert types["FeedbackLoop"] == 2 * len(shape.loop_lengths)
    assert types["LoopStep"] == 2 * sum(shape.loop_lengths)
    assert store.graph_names() == sorted(
        [sy.ONTOLOGY_IRI]
        + [
            sy.graph_iri(sy.paper_id(i), g)
            for i in range(2)
            for g in ("assertions", "bibliography", "provenance")
        ]
    )
    # per paper, within a few percent of the real paper's 17,578 quads
    per_paper = (len(store) - len(sy.ontology_quads())) / 2
    assert 16_500 < per_paper < 18_500
    # every quoted item is anchored, quotes are CJK of the real length distribution
    quotes = [
        r["q"].value
        for r in _solutions(store, f"SELECT ?q WHERE {{ GRAPH ?g {{ ?s <{ARG}quote> ?q }} }}")
    ]
    assert len(quotes) == 2 * (shape.quoted_items + 1)  # + the title: 683 a paper, as the real one
    lengths = sorted(len(q) for q in quotes)
    assert 15 <= lengths[len(lengths) // 2] <= 30
    assert all("\u4e00" <= q[0] <= "\u9fff" for q in quotes)
    assert max(lengths) <= shape.quote_max


def test_causal_layer_per_paper(tmp_path: Path) -> None:
    store = _store(sy.write_corpora(tmp_path, [2])[2])
    for i in range(2):
        g = load_causal_graph(Scoped(store, sy.graph_iri(sy.paper_id(i), "assertions")))
        assert len(g.links) == sy.SHAPE.links
        assert sum(1 for n in g.graph if g.graph.degree(n) > 0) == sy.SHAPE.linked_factors
        assert len(root_causes(g)) == sy.SHAPE.roots
        assert len(outcomes(g)) == sy.SHAPE.outcomes
        assert 15 <= len(find_loops(g)) <= 120  # the paper has 43
        assert sy.main_outcome(i) in {f.iri for f in outcomes(g)}
