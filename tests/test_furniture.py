"""Page furniture as paper data: the generic kinds every text may have (a page number alone, a
DOI line, a page-foot note, the received-date, author and editor lines), and the running headers
of one journal that a paper declares in its paper.yaml (`furniture:`). A sentence cut by
declared furniture still anchors; a pattern that does not compile is refused with its place.
The fixture paper (tests/data/furniture-paper) has a sentence cut by a page number and by its
journal's running header."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argraph.cli import app
from errors import AnnotationError
from graph.build import build
from graph.iris import DEFAULT_BASE
from ingest.anchoring import SourceText
from ingest.anchors import anchor_corpus, read_source
from ingest.corpus import load_corpus

FIXTURE = Path(__file__).parent / "data" / "furniture-paper"
CORPUS = FIXTURE / "corpus" / "furniture-paper"
SOURCE = FIXTURE / "source.md"
HEADER = "版面测试学报 第9卷 第2期"
CUT = "竞争力削弱又使沿海订单进一步流失"


def test_the_fixture_text_cuts_a_sentence_with_a_page_number_and_a_running_header() -> None:
    text = SOURCE.read_text("utf-8")
    assert "又使\n\n— 27 —\n\n" + HEADER + "\n\n沿海订单" in text


def test_an_undeclared_running_header_stops_the_quote_a_declared_one_does_not() -> None:
    text = SOURCE.read_text("utf-8")
    assert SourceText(text).find(CUT) == set()
    declared = SourceText(text).with_furniture(load_corpus(CORPUS).paper.furniture)
    ((start, end),) = declared.find(CUT)
    span = text[start:end]
    assert span.startswith("竞争力削弱又使") and span.endswith("进一步流失")
    assert HEADER in span and "— 27 —" in span  # the span covers the furniture that cuts it


def test_a_page_number_alone_is_furniture_without_any_declaration() -> None:
    text = "# T\n\n物流成本上升削弱了\n\n· 12 ·\n\n制造业的竞争力。\n\nDOI: 10.1000/x\n"
    ((start, end),) = SourceText(text).find("物流成本上升削弱了制造业的竞争力。")
    assert "· 12 ·" in text[start:end]


def test_body_paragraphs_that_open_with_a_number_are_not_furniture() -> None:
    text = "# T\n\n物流成本上升削弱了\n\n2021年订单减少。\n\n制造业的竞争力。\n"
    assert SourceText(text).find("物流成本上升削弱了制造业的竞争力。") == set()
    assert len(SourceText(text).find("2021年订单减少。")) == 1


def test_the_furniture_itself_can_still_be_quoted() -> None:
    text = SOURCE.read_text("utf-8")
    declared = SourceText(text, ["版面测试学报 第\\d+卷 第\\d+期$"])
    ((start, end),) = declared.find(HEADER)
    assert text[start:end] == HEADER


def test_with_the_same_patterns_the_prepared_text_is_reused() -> None:
    src = SourceText("# T\n\n正文。\n", ["页眉$"])
    assert src.with_furniture(["页眉$"]) is src
    assert src.with_furniture([]).furniture == ()


def test_the_fixture_paper_anchors_by_its_declared_furniture_and_its_lock_is_current() -> None:
    corpus = load_corpus(CORPUS)
    assert corpus.paper.furniture == ["版面测试学报 第\\d+卷 第\\d+期$"]
    result = anchor_corpus(corpus, read_source(SOURCE).with_furniture(corpus.paper.furniture))
    assert not result.stale, result.stale
    out = CliRunner().invoke(
        app, ["anchor", "--corpus", str(CORPUS), "--source", str(SOURCE), "--check"]
    )
    assert out.exit_code == 0, out.output
    assert "up to date (10 quotes)" in out.output


def test_the_build_anchors_and_validates_across_the_declared_header(tmp_path: Path) -> None:
    result = build(CORPUS, tmp_path / "dist", source=SOURCE, data_dir=None, base_iri=DEFAULT_BASE)
    assert result.anchors.verified and result.report is not None and result.report.ok
    link = result.anchors.anchors["l-competitiveness-orders"]
    assert HEADER in link.exact


def _with_pattern(tmp_path: Path, pattern: str) -> Path:
    folder = tmp_path / "furniture-paper"
    shutil.copytree(CORPUS, folder)
    paper = folder / "paper.yaml"
    text = paper.read_text("utf-8")
    assert "  - '版面测试学报 第\\d+卷 第\\d+期$'\n" in text
    paper.write_text(text.replace("版面测试学报 第\\d+卷 第\\d+期$", pattern), "utf-8")
    return folder


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text("utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_a_pattern_that_does_not_compile_is_refused_with_file_and_line(tmp_path: Path) -> None:
    folder = _with_pattern(tmp_path, "版面测试学报 (第")
    with pytest.raises(AnnotationError) as info:
        load_corpus(folder)
    err = info.value
    assert Path(str(err.file)).name == "paper.yaml"
    assert err.line == _line_of(folder / "paper.yaml", "版面测试学报 (第")
    assert "not a regular expression" in err.message and "furniture" in str(err)


def test_a_pattern_that_matches_every_paragraph_is_refused(tmp_path: Path) -> None:
    folder = _with_pattern(tmp_path, "x*")
    with pytest.raises(AnnotationError) as info:
        load_corpus(folder)
    assert "every paragraph" in info.value.message
    assert Path(str(info.value.file)).name == "paper.yaml"
