"""`argraph new-paper`: a new paper's folder that loads, anchors and validates; refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from argraph.cli import app
from errors import BadRequest
from ingest.anchors import anchor_corpus, read_source
from ingest.corpus import load_corpus
from ingest.scaffold import TODO, scaffold_paper

SECOND = Path(__file__).parent / "data" / "second-paper"
SOURCE = SECOND / "source.md"

runner = CliRunner()


def test_without_a_source_every_value_is_a_todo_and_the_folder_loads(tmp_path: Path) -> None:
    made = scaffold_paper("wang-2022", tmp_path)
    assert made.folder == tmp_path / "wang-2022"
    assert sorted(p.name for p in made.folder.iterdir()) == ["01-sec-1.yaml", "paper.yaml"]
    corpus = load_corpus(made.folder)
    assert corpus.paper.document.id == "wang-2022"
    assert corpus.paper.document.title_quote == TODO
    assert [s.id for s in corpus.paper.sections] == ["sec-1"]
    assert set(corpus.items) == {"sec-1"}  # the section only: no item yet
    paper = (made.folder / "paper.yaml").read_text(encoding="utf-8")
    assert paper.startswith("# ") and "outcome:" in paper  # commented, the optional fields too
    assert made.todo >= 8


def test_with_the_source_the_folder_anchors_and_validates(tmp_path: Path) -> None:
    made = scaffold_paper("wang-zhao-2022", tmp_path, SOURCE)
    corpus = load_corpus(made.folder)
    doc = corpus.paper.document
    assert doc.title.zh == doc.title_quote == "营商环境、人才外流与老工业城市的衰退"
    assert doc.abstract_en.startswith("The decline of old industrial cities")
    assert [(s.number, s.quote) for s in corpus.paper.sections] == [
        ("一", "一、引言"),
        ("二", "二、衰退的机制"),
        ("三", "三、对策"),
    ]
    # every quote of the new folder is found once in the text, page furniture and all
    anchored = anchor_corpus(corpus, read_source(SOURCE)).anchors
    assert {"document.title", "document.abstract-zh", "document.abstract-en", "sec-3"} <= set(
        anchored
    )
    result = runner.invoke(app, ["anchor", "--corpus", str(made.folder), "--source", str(SOURCE)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["validate", "--corpus", str(made.folder), "--source", str(SOURCE)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("valid:")


def test_the_command_writes_the_folder_and_says_what_is_left(tmp_path: Path) -> None:
    result = runner.invoke(app, ["new-paper", "tea-county", "--root", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert f"wrote {tmp_path / 'tea-county' / 'paper.yaml'}" in result.output
    assert "marked TODO" in result.output


@pytest.mark.parametrize(
    "name", ["My-Paper", "my paper", "-paper", "paper-", "../up", "a" * 81, "论文", ""]
)
def test_a_name_that_cannot_be_an_iri_segment_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(BadRequest, match="invalid paper name"):
        scaffold_paper(name, tmp_path)
    assert not any(tmp_path.iterdir())


def test_an_existing_folder_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["new-paper", "taken", "--root", str(tmp_path)])
    assert result.exit_code == 2
    assert f"error: {tmp_path / 'taken'} already exists" in result.output
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["notes.txt"]


def test_an_unreadable_source_leaves_no_folder(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["new-paper", "x", "--root", str(tmp_path), "--source", str(tmp_path / "none.md")]
    )
    assert result.exit_code == 2
    assert "none.md: no such file" in result.output
    assert not (tmp_path / "x").exists()
