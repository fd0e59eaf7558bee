"""The real paper and the synthetic second paper (tests/data/second-paper) as one corpus: the
second aligns its factors to the real paper's and takes stances toward its explanations."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from argraph.app import create_app
from graph.analysis.corpus import corpus_chains, load_corpus_graph
from graph.analysis.corpus_stances import load_stances
from graph.build import build
from graph.iris import DEFAULT_BASE
from graph.store import OxigraphStore, open_built

from .conftest import TESTS, Built

SECOND = TESTS / "data" / "second-paper"


@pytest.fixture(scope="module")
def both(
    tmp_path_factory: pytest.TempPathFactory, built_paper: Built
) -> tuple[Path, OxigraphStore]:
    root = tmp_path_factory.mktemp("two-papers")
    build(
        SECOND / "corpus" / "wang-zhao-2022",
        root / "second",
        source=SECOND / "source.md",
        data_dir=None,
        base_iri=DEFAULT_BASE,
        validate=True,
    )
    dist = root / "both"
    dist.mkdir()
    quads = [
        (d / "graph.nq").read_text(encoding="utf-8") for d in (built_paper.dist, root / "second")
    ]
    (dist / "graph.nq").write_text("".join(quads), encoding="utf-8")
    return dist, open_built(dist)


def test_the_real_papers_verdicts_and_the_second_papers_stances(
    both: tuple[Path, OxigraphStore],
) -> None:
    by_id = {(e.explanation.paper, e.explanation.id): e for e in load_stances(both[1])}
    real = {k: v for k, v in by_id.items() if k[0] == "liu-tong-2021"}
    assert len(real) == 7
    own = [e for e in real.values() if e.papers["posits"] == ["liu-tong-2021"]]
    assert [e.explanation.id for e in own] == ["expl-decoupling"]
    assert all(
        e.papers["qualifies"][:1] == ["liu-tong-2021"] for e in real.values() if e not in own
    )
    env = by_id[("liu-tong-2021", "expl-development-environment")]
    (stance,) = [s for s in env.stances if s.paper == "wang-zhao-2022"]
    assert (stance.stance, stance.source) == ("posits", "stance")
    assert stance.quote == "营商环境欠佳抑制了民营企业的成长,进而引发人才外流"
    outflow = by_id[("liu-tong-2021", "expl-population-outflow")]
    assert outflow.papers["accepts"] == ["wang-zhao-2022"]


def test_a_chain_runs_from_the_real_paper_into_the_second(
    both: tuple[Path, OxigraphStore],
) -> None:
    cg = load_corpus_graph(both[1])
    found = corpus_chains(cg, "uneven-opening", "wang-zhao-2022/talent-outflow", cross_only=True)
    assert found
    steps = found[0].steps
    assert steps[0].paper == "liu-tong-2021" and steps[-1].paper == "wang-zhao-2022"
    joined = [s for s in steps if s.via_alignment]
    assert [s.cause.id for s in joined] == ["innovation-capacity"]


def test_the_corpus_api_serves_both_papers(both: tuple[Path, OxigraphStore]) -> None:
    dist, store = both
    with TestClient(create_app(Settings(dist=dist), store)) as client:
        papers = client.get("/api/corpus/papers").json()
        assert [p["id"] for p in papers["data"]] == ["liu-tong-2021", "wang-zhao-2022"]
        got = client.get("/api/corpus/alignments", params={"paper": "liu-tong-2021"}).json()
        assert got["count"] == 6
        got = client.get("/api/corpus/explanations", params={"paper": "wang-zhao-2022"}).json()
        assert got["count"] == 6
        (institutional,) = [
            e for e in got["data"] if e["explanation"]["id"] == "expl-institutional"
        ]
        soe = [n for n in institutional["factors"] if n["iri"].endswith("/soe-share")]
        assert soe and soe[0]["papers"] == ["liu-tong-2021", "wang-zhao-2022"]
