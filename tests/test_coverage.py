"""Coverage of the paper's body by anchored quotes: the goal is 95% of sentences."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from argraph.cli import app
from argraph.ingest.anchors import anchor_corpus, read_source
from argraph.ingest.corpus import load_corpus
from argraph.ingest.coverage import measure_coverage

from .conftest import MINI_CORPUS, MINI_SOURCE, PAPER_CORPUS


def test_paper_coverage_meets_the_goal(paper_source: Path) -> None:
    corpus = load_corpus(PAPER_CORPUS)
    source = read_source(paper_source)
    report = measure_coverage(corpus, source, anchor_corpus(corpus, source).anchors)
    assert report.share >= 0.95, report.text()
    assert {s.section for s in report.sentences} == {
        "front",
        "sec-1",
        "sec-2",
        "sec-3",
        "sec-4",
        "english",
    }
    # Only body sentences count: nothing from the reference list or the received-date block.
    texts = " ".join(s.text for s in report.sentences)
    assert "林木西" not in texts and "收稿日期" not in texts
    # Every sentence left out is listed, and every passage-only sentence is reported as judged.
    assert len(report.uncovered()) == sum(not report.is_covered(s) for s in report.sentences)
    assert all(s.covered_by_passage >= report.threshold for s in report.non_argumentative())


def test_uncovered_sentences_are_listed(tmp_path: Path) -> None:
    # The mini corpus leaves its duplicated sentence unquoted: it must be reported.
    corpus = load_corpus(MINI_CORPUS)
    source = read_source(MINI_SOURCE)
    report = measure_coverage(corpus, source, anchor_corpus(corpus, source).anchors)
    assert any("重复的句子" in s.text for s in report.uncovered())
    result = CliRunner().invoke(
        app, ["coverage", "--corpus", str(MINI_CORPUS), "--source", str(MINI_SOURCE)]
    )
    assert result.exit_code == 1
    assert "not covered:" in result.output and "重复的句子" in result.output
