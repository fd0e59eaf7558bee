"""Coverage of the paper's body by anchored quotes: the goal is 95% of sentences."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argraph.cli import app
from errors import AnnotationError
from ingest.anchors import anchor_corpus, read_source
from ingest.corpus import load_corpus
from ingest.coverage import measure_coverage
from ingest.cues import cue_text

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


def test_every_cue_word_of_the_paper_is_judged(paper_source: Path) -> None:
    corpus = load_corpus(PAPER_CORPUS)
    source = read_source(paper_source)
    report = measure_coverage(corpus, source, anchor_corpus(corpus, source).anchors)
    assert not report.unjudged_cues(), "\n".join(cue_text(report.unjudged_cues()))
    cues = {c.cue for c in report.cues}
    assert {"导致", "造成", "使得", "由于", "制约", "形成", "以…为", "使", "弱化", "促进"} <= cues
    verdicts = {c.verdict for c in report.cues}
    assert verdicts == {"link", "judged-link", "non-causal"}
    # The stated causes the audit found unencoded are links now, found by the pass.
    by_place = {(c.cue, c.context): c for c in report.cues}
    drift = next(c for (cue, ctx), c in by_place.items() if cue == "导致" and "改革和开放" in ctx)
    assert drift.verdict == "link" and "l-uneven-opening-planned-circulation" in drift.links
    assert all(c.reason for c in report.cues if c.verdict == "non-causal")
    assert "cue words:" in report.text() and "NOT JUDGED" not in report.text()
    # Bare 使 is a cue too (使得 stays its own): every occurrence inside a link or judged.
    shi = [c for c in report.cues if c.cue == "使"]
    assert len(shi) >= 9 and all(c.verdict in ("link", "judged-link") for c in shi)
    assert not any("使用" in c.context[10:14] for c in shi)
    revival = next(c for c in shi if "一度发展" in c.context)
    assert revival.links == ("l-revitalisation-growth",)


def test_events_are_dated_only_where_the_text_dates_them(paper_source: Path) -> None:
    corpus = load_corpus(PAPER_CORPUS)
    source = read_source(paper_source)
    report = measure_coverage(corpus, source, anchor_corpus(corpus, source).anchors)
    events = dict(report.events)
    assert events["event-fifth-plenum"] is None  # the text prints no date for the plenum
    assert events["event-new-northeast-phenomenon"] == "2015"
    assert "event-fifth-plenum: no date in the text" in report.text()
    for event, date in events.items():
        if date is not None:
            assert date[:4] in corpus.items[event].quote


def test_a_date_the_quote_does_not_state_is_refused(tmp_path: Path) -> None:
    from ingest.models import Entity

    with pytest.raises(ValueError, match="not stated in the entity's quote"):
        Entity.model_validate(
            {
                "id": "e",
                "type": "entity",
                "kind": "event",
                "date": "2020-10",
                "label": {"zh": "十九届五中全会", "en": "the plenum"},
                "quote": "十九届五中全会提出",
            }
        )


def test_an_unjudged_cue_is_reported(tmp_path: Path) -> None:
    corpus_dir = tmp_path / "mini-paper"
    shutil.copytree(MINI_CORPUS, corpus_dir)
    (corpus_dir / "cue-judgements.yaml").write_text(
        "cues: [重复, 导致]\njudgements: []\n", encoding="utf-8"
    )
    corpus = load_corpus(corpus_dir)
    source = read_source(MINI_SOURCE)
    report = measure_coverage(corpus, source, anchor_corpus(corpus, source).anchors)
    assert [c.cue for c in report.unjudged_cues()] == ["重复", "重复"]
    assert [(c.cue, c.verdict, c.links) for c in report.cues if c.cue == "导致"] == [
        ("导致", "link", ("l-share-profit",))
    ]
    assert report.text().count("NOT JUDGED") == 2


def test_a_judgement_naming_a_non_link_is_an_error(tmp_path: Path) -> None:
    corpus_dir = tmp_path / "mini-paper"
    shutil.copytree(MINI_CORPUS, corpus_dir)
    (corpus_dir / "cue-judgements.yaml").write_text(
        "cues: [提高]\njudgements:\n  - {cue: 提高, quote: 提高, links: [tax]}\n",
        encoding="utf-8",
    )
    corpus = load_corpus(corpus_dir)
    source = read_source(MINI_SOURCE)
    with pytest.raises(AnnotationError, match="not a causal link"):
        measure_coverage(corpus, source, anchor_corpus(corpus, source).anchors)


def test_coverage_json_lists_every_cue_word(paper_source: Path) -> None:
    args = ["coverage", "--format", "json", "--corpus", str(PAPER_CORPUS)]
    result = CliRunner().invoke(app, [*args, "--source", str(paper_source)])
    assert result.exit_code == 0, result.output
    cues = json.loads(result.stdout)["cues"]
    assert cues and all(c["verdict"] != "not-judged" for c in cues)
    assert {"cue", "start", "section", "context", "verdict", "links", "reason"} <= set(cues[0])
    assert any(c["links"] for c in cues if c["verdict"] == "link")
