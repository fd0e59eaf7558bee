"""Across papers: alignments and stances (alignments.yaml), their RDF, the corpus analysis and
its API, on two tiny papers (tests/data/aligned-pair: pair-b aligns to pair-a)."""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from api.settings import Settings
from argraph.app import create_app
from errors import AnnotationError, BadRequest, NotFound
from graph.analysis.causal_graph import FactorRef, Link, from_parts
from graph.analysis.corpus import (
    corpus_chains,
    corpus_graph,
    corpus_loops,
    edge_paths,
    load_corpus_graph,
)
from graph.analysis.corpus_stances import (
    Alignment,
    Item,
    load_alignments,
    load_papers,
    load_stances,
)
from graph.build import build, load_checked
from graph.iris import DEFAULT_BASE
from graph.namespaces import ARG, CITO
from graph.store import OxigraphStore, open_built
from graph.validate import shacl_problems

from .conftest import TESTS

PAIR = TESTS / "data" / "aligned-pair"
ID = DEFAULT_BASE + "id/"


@dataclass
class Pair:
    dist: Path
    store: OxigraphStore
    b_graph: Graph


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Pair:
    """Both papers built (and validated: SHACL and the checks beyond it), then loaded together."""
    root = tmp_path_factory.mktemp("pair")
    quads = []
    b_graph = Graph()
    for name in ("pair-a", "pair-b"):
        result = build(
            PAIR / "corpus" / name,
            root / name,
            source=PAIR / f"{name}.md",
            data_dir=None,
            base_iri=DEFAULT_BASE,
            validate=True,
        )
        assert result.report is not None
        assert result.report.ok, result.report.text()
        quads.append((root / name / "graph.nq").read_text(encoding="utf-8"))
        if name == "pair-b":
            b_graph = result.dataset.graph(URIRef(DEFAULT_BASE + "graph/pair-b/assertions"))
    both = root / "both"
    both.mkdir()
    (both / "graph.nq").write_text("".join(quads), encoding="utf-8")
    return Pair(both, open_built(both), b_graph)


def _copy(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(PAIR / "corpus", corpus)
    return corpus / "pair-b" / "alignments.yaml"


# -- the file and its checks ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "message"),
    [
        ("exact: pair-a/demand", "exact: pair-a/supply", 3, "alignments.0.exact", "no item 'supply'"),
        ("exact: pair-a/demand", "exact: pair-z/demand", 3, "alignments.0.exact", "paper 'pair-z'"),
        ("exact: pair-a/demand", "exact: pair-a/c-demand", 3, "alignments.0.exact", "is a claim"),
        ("explanation: pair-a/expl-policy", "explanation: pair-a/wages", 16, "stances.1.explanation", "is a factor"),
        ("factor: demand-b", "factor: c-talent", 3, "alignments.0.factor", "expected factor"),
        ("factor: demand-b", "factor: nowhere", 3, "alignments.0.factor", "unknown id"),
        ("exact: pair-a/demand", "exact: pair-b/wage-b", 3, "alignments.0.exact", "item of this paper"),
        ("explanation: pair-a/expl-wages", "explanation: pair-b/x", 12, "stances.0.explanation", "verdict"),
        ("id: st-policy", "id: st-wages", 16, "stances.1.id", "duplicate id"),
        ("id: st-policy", "id: c-talent", 16, "stances.1.id", "duplicate id"),
        ("    exact: pair-a/demand", "    exact: pair-a/demand\n    close: pair-a/wages", 3,
         "alignments.0", "exactly one of"),
        ("stance: rejects", "stance: ignores", 18, "stances.1.stance", "posits"),
    ],
)  # fmt: skip
def test_a_bad_entry_names_file_line_item_and_field(
    tmp_path: Path, old: str, new: str, line: int, field: str, message: str
) -> None:
    path = _copy(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(AnnotationError) as caught:
        load_checked(path.parent)
    err = caught.value
    assert err.file == str(path)
    assert err.line == line, str(err)
    assert err.field is not None and err.field.startswith(field), str(err)
    assert message in err.message, str(err)


def test_the_target_paper_is_found_in_a_corpus_folder_above(tmp_path: Path) -> None:
    """A paper kept apart (a test fixture) finds the paper it aligns to in `corpus/` above."""
    shutil.copytree(PAIR / "corpus" / "pair-a", tmp_path / "corpus" / "pair-a")
    deep = tmp_path / "tests" / "data" / "corpus" / "pair-b"
    shutil.copytree(PAIR / "corpus" / "pair-b", deep)
    corpus = load_checked(deep)
    assert corpus.alignments is not None and len(corpus.alignments.alignments) == 3


def test_quotes_of_alignments_and_stances_are_anchored(pair: Pair) -> None:
    corpus = load_checked(PAIR / "corpus" / "pair-b")
    keys = {spec.key for spec in corpus.quotes()}
    assert {"talent-flight.quote-match-1", "st-wages", "st-policy"} <= keys


# -- the RDF ---------------------------------------------------------------------------------------


def test_alignments_are_skos_mapping_triples_reified_with_their_quote(pair: Pair) -> None:
    g = pair.b_graph
    b, a = ID + "pair-b/", ID + "pair-a/"
    assert (URIRef(b + "demand-b"), SKOS.exactMatch, URIRef(a + "demand")) in g
    assert (URIRef(b + "wage-b"), SKOS.closeMatch, URIRef(a + "wages")) in g
    assert (URIRef(b + "talent-flight"), SKOS.broadMatch, URIRef(a + "outflow")) in g
    node = URIRef(b + "talent-flight#match-1")
    assert (node, RDF.type, ARG.Alignment) in g
    assert (node, RDF.predicate, SKOS.broadMatch) in g
    assert (node, ARG.quote, Literal("人才外逃是人口外流的一种", lang="zh")) in g


def test_stances_are_nodes_with_the_cito_relation_beside_them(pair: Pair) -> None:
    g = pair.b_graph
    doc, stance = URIRef(ID + "pair-b"), URIRef(ID + "pair-b/st-policy")
    assert (stance, RDF.type, ARG.Stance) in g
    assert (stance, ARG.stanceKind, ARG.Rejects) in g
    assert (stance, ARG.toward, URIRef(ID + "pair-a/expl-policy")) in g
    assert (doc, CITO.disagreesWith, URIRef(ID + "pair-a/expl-policy")) in g
    assert (doc, CITO.agreesWith, URIRef(ID + "pair-a/expl-wages")) in g


def test_the_shapes_refuse_a_stance_without_quote_and_an_alignment_without_factor() -> None:
    g = Graph()
    stance, match = URIRef(ID + "p/st"), URIRef(ID + "p/f#match-1")
    g.add((stance, RDF.type, ARG.Stance))
    g.add((stance, ARG.toward, URIRef(ID + "q/e")))
    g.add((stance, ARG.stanceKind, ARG.Rejects))
    g.add((match, RDF.type, ARG.Alignment))
    g.add((match, RDF.predicate, SKOS.related))
    found = {(p.focus, p.message.split(" (path ")[-1]) for p in shacl_problems(g)}
    paths = {path for item, path in found if item == str(stance)}
    assert any("quote" in p for p in paths) and any("anchor" in p for p in paths)
    paths = {path for item, path in found if item == str(match)}
    assert any("subject" in p for p in paths) and any("predicate" in p for p in paths)


# -- the analysis ----------------------------------------------------------------------------------


def test_papers_alignments_and_stances(pair: Pair) -> None:
    papers = {p.id: p for p in load_papers(pair.store)}
    assert (papers["pair-b"].alignments, papers["pair-b"].stances) == (3, 2)
    assert (papers["pair-a"].factors, papers["pair-a"].explanations) == (4, 2)
    relations = {(a.factor.id, a.relation, a.target.id) for a in load_alignments(pair.store)}
    assert relations == {
        ("demand-b", "exact", "demand"),
        ("wage-b", "close", "wages"),
        ("talent-flight", "broader", "outflow"),
    }
    by_id = {e.explanation.id: e for e in load_stances(pair.store)}
    wages, policy = by_id["expl-wages"], by_id["expl-policy"]
    # pair-a's own verdicts, read as stances (nothing written twice), beside pair-b's stances
    assert wages.papers["posits"] == ["pair-a"] and wages.papers["accepts"] == ["pair-b"]
    assert policy.papers["qualifies"] == ["pair-a"] and policy.papers["rejects"] == ["pair-b"]
    quotes = {(s.paper, s.source, s.quote) for s in policy.stances}
    assert quotes == {
        ("pair-a", "verdict", "但政策失误只是表面现象。"),
        ("pair-b", "stance", "并不认为政策失误是原因"),
    }


def test_a_chain_and_a_loop_run_through_both_papers(pair: Pair) -> None:
    cg = load_corpus_graph(pair.store)
    (chain,) = corpus_chains(cg, "pair-a/outflow", "wage-b")
    assert [(s.paper, s.link.id, s.via_alignment) for s in chain.steps] == [
        ("pair-a", "l-outflow-demand", False),
        ("pair-b", "l-demand-wage", True),
    ]
    assert chain.crosses and chain.steps[1].link.quote == "需求不足压低了工资"
    assert {m.factor.id for m in chain.nodes[1].members} == {"demand", "demand-b"}
    (loop,) = corpus_loops(cg)
    assert loop.kind == "reinforcing" and loop.papers == ["pair-a", "pair-b"]
    assert sorted(s.link.id for s in loop.steps) == [
        "l-demand-wage",
        "l-outflow-demand",
        "l-wages-outflow",
    ]
    assert all(s.via_alignment == (s.cause.id in {"demand-b", "wages"}) for s in loop.steps)


def test_a_broader_match_joins_no_factors_and_carries_no_cause(pair: Pair) -> None:
    cg = load_corpus_graph(pair.store)
    flight, outflow = ID + "pair-b/talent-flight", ID + "pair-a/outflow"
    assert cg.node_of[flight] != cg.node_of[outflow]
    assert (flight, outflow) in cg.broader
    assert not cg.merged.graph.has_edge(flight, outflow)


def _link(iri: str, cause: str, effect: str, polarity: int = 1) -> Link:
    return Link(iri=iri, id=iri.rsplit("/", 1)[-1], cause=cause, effect=effect, polarity=polarity)  # type: ignore[arg-type]


def test_joined_ends_collapse_a_link_and_ids_are_resolved_or_refused() -> None:
    p, q = ID + "p/", ID + "q/"
    base = from_parts(
        [
            FactorRef(iri=p + "x", id="x"),
            FactorRef(iri=p + "y", id="y"),
            FactorRef(iri=q + "x", id="x"),
        ],
        [_link(p + "l1", p + "x", p + "y"), _link(q + "l2", q + "x", p + "y")],
    )

    def align(own: str, other: str) -> Alignment:
        return Alignment(
            iri=own + "#match-1",
            paper="q",
            relation="exact",
            predicate=str(SKOS.exactMatch),
            factor=Item(iri=own, id="x", paper="q"),
            target=Item(iri=other, id="y", paper="p"),
        )

    cg = corpus_graph(base, [align(q + "x", p + "y")], [ID + "p", ID + "q"])
    assert cg.collapsed == [q + "l2"]
    with pytest.raises(BadRequest):
        cg.resolve("x")
    assert cg.resolve("q/x") == cg.resolve(p + "y")
    with pytest.raises(NotFound):
        cg.resolve("r/x")


# -- the API ---------------------------------------------------------------------------------------


def test_the_corpus_api(pair: Pair) -> None:
    with TestClient(create_app(Settings(dist=pair.dist), pair.store)) as client:
        summary = client.get("/api/corpus").json()
        assert [p["id"] for p in summary["papers"]] == ["pair-a", "pair-b"]
        assert summary["cross_loops"] == 1 and len(summary["joined_nodes"]) == 2
        assert client.get("/api/corpus/papers").json()["count"] == 2
        got = client.get("/api/corpus/alignments", params={"relation": "close"}).json()
        assert [a["factor"]["id"] for a in got["data"]] == ["wage-b"]
        got = client.get("/api/corpus/explanations", params={"paper": "pair-b"}).json()
        assert got["count"] == 2
        chains = client.get(
            "/api/corpus/chains", params={"from": "pair-a/outflow", "to": "pair-b/wage-b"}
        ).json()
        assert chains["count"] == 1 and chains["data"][0]["papers"] == ["pair-a", "pair-b"]
        assert client.get("/api/corpus/loops").json()["count"] == 1
        # two papers compared, read through their own graphs only
        scoped = {"from": "pair-a/outflow", "to": "pair-b/wage-b", "papers": "pair-b,pair-a"}
        assert client.get("/api/corpus/chains", params=scoped).json()["count"] == 1
        alone = client.get("/api/corpus/loops", params={"papers": "pair-a"}).json()
        assert alone["count"] == 0
        assert client.get("/api/corpus/nodes", params={"papers": "pair-z"}).status_code == 404
        one = client.get("/api/corpus", params={"papers": "pair-a"}).json()
        assert [p["id"] for p in one["papers"]] == ["pair-a"] and one["cross_loops"] == 0
        assert summary["unresolved"] == [] and one["unresolved"] == []
        alone = client.get("/api/corpus", params={"papers": "pair-b"}).json()
        assert alone["unresolved"] == [
            ID + "pair-a/demand",
            ID + "pair-a/expl-policy",
            ID + "pair-a/expl-wages",
            ID + "pair-a/outflow",
            ID + "pair-a/wages",
        ]
        missing = client.get("/api/corpus/chains", params={"from": "nowhere", "to": "wages"})
        assert missing.status_code == 404
        assert missing.json()["error"]["code"] == "not_found"


def test_the_corpus_page_and_its_script_are_served(pair: Pair) -> None:
    with TestClient(create_app(Settings(dist=pair.dist), pair.store)) as client:
        page = client.get("/corpus?lang=zh")
        assert page.status_code == 200 and 'lang="zh-CN"' in page.text
        assert '<script type="module" src="/static/corpus.js">' in page.text
        assert 'href="/corpus" data-page-link="corpus"' in page.text
        script = client.get("/static/corpus.js")
        assert script.status_code == 200 and "/api/corpus/explanations" in script.text


def test_the_shapes_refuse_a_quoted_alignment_without_its_anchor() -> None:
    g = Graph()
    match, factor = URIRef(ID + "p/f#match-1"), URIRef(ID + "p/f")
    g.add((factor, RDF.type, ARG.Factor))
    g.add((match, RDF.type, ARG.Alignment))
    g.add((match, RDF.subject, factor))
    g.add((match, RDF.predicate, SKOS.closeMatch))
    g.add((match, RDF.object, URIRef(ID + "q/x")))
    g.add((match, DCTERMS.isPartOf, URIRef(ID + "p")))
    g.add((URIRef(ID + "p"), RDF.type, ARG.Document))
    assert [p for p in shacl_problems(g) if p.focus == str(match)] == []
    g.add((match, ARG.quote, Literal("一段原文")))
    (problem,) = [p for p in shacl_problems(g) if p.focus == str(match)]
    assert "arg:anchor" in problem.message


@pytest.mark.parametrize("seed", range(8))
def test_the_pruned_walk_finds_exactly_the_simple_paths(seed: int) -> None:
    """edge_paths (pruned by the distance left) gives the same paths as networkx's plain walk."""
    rng = random.Random(seed)
    g: nx.MultiDiGraph = nx.MultiDiGraph()
    g.add_nodes_from(range(12))
    for k in range(30):
        g.add_edge(rng.randrange(12), rng.randrange(12), key=f"l{k}")
    g.remove_edges_from([(u, v, k) for u, v, k in g.edges(keys=True) if u == v])
    for s, t in [(0, 11), (3, 7), (5, 5), (2, 9)]:
        for cutoff in (1, 3, 6):
            expected = (
                {
                    tuple(k for _u, _v, k in p)
                    for p in nx.all_simple_edge_paths(g, s, t, cutoff=cutoff)
                }
                if s != t
                else set()
            )
            found = [tuple(p) for p in edge_paths(g, s, t, cutoff)]  # type: ignore[arg-type]
            assert len(found) == len(set(found)) and set(found) == expected, (s, t, cutoff)


def test_an_empty_alignments_file_aligns_nothing(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    path.write_text("# nothing aligned yet\n", encoding="utf-8")
    corpus = load_checked(path.parent)
    assert corpus.alignments is not None
    assert (corpus.alignments.alignments, corpus.alignments.stances) == ([], [])


def test_a_stance_dereferences_as_linked_data(pair: Pair) -> None:
    with TestClient(create_app(Settings(dist=pair.dist), pair.store)) as client:
        r = client.get("/id/pair-b/st-policy", headers={"Accept": "text/turtle"})
        assert r.status_code == 200
        g = Graph().parse(data=r.text, format="turtle")
        stance = URIRef(ID + "pair-b/st-policy")
        assert (stance, ARG.toward, URIRef(ID + "pair-a/expl-policy")) in g
