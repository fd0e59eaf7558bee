"""Bad input to `argraph draft`: a clear one-line error naming the file (exit 2), never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from argraph.cli import app
from errors import SourceError
from ingest.draft.pipeline import draft_text

runner = CliRunner()


def _draft(source: Path, out: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["draft", "--source", str(source), "--out", str(out)])
    return result.exit_code, result.output


def _one_line_naming(output: str, path: Path) -> None:
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert lines[0].startswith("error: ") and str(path) in lines[0]
    assert "Traceback" not in output


def test_empty_text(tmp_path: Path) -> None:
    source = tmp_path / "empty.md"
    source.write_text("  \n\n", encoding="utf-8")
    code, output = _draft(source, tmp_path / "out")
    assert code == 2
    _one_line_naming(output, source)
    assert "empty" in output
    assert not (tmp_path / "out").exists()


def test_text_without_sections(tmp_path: Path) -> None:
    source = tmp_path / "plain.md"
    source.write_text("这是一段没有章节标题的文字。它只有两句话。\n", encoding="utf-8")
    code, output = _draft(source, tmp_path / "out")
    assert code == 2
    _one_line_naming(output, source)
    assert "no numbered section heading" in output


def test_binary_file(tmp_path: Path) -> None:
    source = tmp_path / "paper.pdf"
    source.write_bytes(b"%PDF-1.7\n\x00\x01\x02\xff\xfe" * 100)
    code, output = _draft(source, tmp_path / "out")
    assert code == 2
    _one_line_naming(output, source)
    assert "binary" in output


def test_not_utf8(tmp_path: Path) -> None:
    source = tmp_path / "gbk.md"
    source.write_bytes("### 一、引言\n\n东北工业衰退。\n".encode("gbk"))
    code, output = _draft(source, tmp_path / "out")
    assert code == 2
    _one_line_naming(output, source)
    assert "UTF-8" in output


def test_missing_file(tmp_path: Path) -> None:
    source = tmp_path / "nowhere.md"
    code, output = _draft(source, tmp_path / "out")
    assert code == 2
    _one_line_naming(output, source)


def test_fifty_megabytes_is_refused_by_the_size_cap(tmp_path: Path) -> None:
    source = tmp_path / "huge.md"
    line = ("### 一、引言\n\n" + "由于成本上升，所以产量下降了10%。" * 40 + "\n\n").encode("utf-8")
    with source.open("wb") as fh:
        for _ in range(50_000_000 // len(line) + 1):
            fh.write(line)
    assert source.stat().st_size >= 50_000_000
    code, output = _draft(source, tmp_path / "out")
    assert code == 2
    _one_line_naming(output, source)
    assert "larger than the limit" in output


def test_a_text_longer_than_a_paper_is_refused_before_work() -> None:
    text = "### 一、引言\n\n" + "由于成本上升，所以产量下降。" * 200
    with pytest.raises(SourceError, match="more than one paper"):
        draft_text(text, path="long.md", max_chars=1000)


def test_no_arguments_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["draft"])
    assert result.exit_code == 2
    assert "--source" in result.output


@pytest.mark.parametrize("body", ["导致" * 20_000, "增长了10%" * 10_000, "甲导致乙。" * 4_000])
def test_text_that_repeats_itself_is_bounded(body: str) -> None:
    """A run with no full stop, or one short sentence repeated: few items, none unquotable
    twice (quotes must be unique), and the run ends (caps per sentence, early-exit quoting)."""
    draft = draft_text("### 一、引言\n\n" + body, path="repeat.md")
    assert len(draft.items) <= 200
    for item in draft.items:
        assert item.fields["quote"]
