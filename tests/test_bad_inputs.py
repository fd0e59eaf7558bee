"""Every bad input gives one clear message naming file, line and field, exit 2, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from argraph.cli import app

from .conftest import MINI_SOURCE

runner = CliRunner()


def run_build(corpus: Path, source: Path, dist: Path, *extra: str) -> tuple[int, str]:
    args = ["build", "--corpus", str(corpus), "--source", str(source), "--dist", str(dist), "-q"]
    result = runner.invoke(app, [*args, *extra])
    return result.exit_code, result.output


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def assert_clean_error(code: int, output: str, *needles: str) -> None:
    assert code == 2, output
    assert "Traceback" not in output
    for needle in needles:
        assert needle in output, output


def test_malformed_yaml(mini_corpus: Path, tmp_path: Path) -> None:
    edit(mini_corpus / "01-intro.yaml", "  - id: share\n", "  - id: share\n   bad: [\n")
    code, out = run_build(mini_corpus, MINI_SOURCE, tmp_path / "dist")
    assert_clean_error(code, out, "01-intro.yaml:", "malformed YAML")


def test_unknown_field(mini_corpus: Path, tmp_path: Path) -> None:
    edit(
        mini_corpus / "01-intro.yaml",
        "    polarity: decreases\n",
        "    polarity: decreases\n    strength: 3\n",
    )
    code, out = run_build(mini_corpus, MINI_SOURCE, tmp_path / "dist")
    assert_clean_error(
        code, out, "01-intro.yaml:", "item 'l-tax-investment'", "strength", "Extra inputs"
    )


def test_wrong_type(mini_corpus: Path, tmp_path: Path) -> None:
    edit(mini_corpus / "01-intro.yaml", "    value: 3.5\n", "    value: many\n")
    code, out = run_build(mini_corpus, MINI_SOURCE, tmp_path / "dist")
    assert_clean_error(code, out, "01-intro.yaml:", "item 'stat-growth'", "field 'items.22.value'")


def test_wrong_enum_value(mini_corpus: Path, tmp_path: Path) -> None:
    edit(mini_corpus / "01-intro.yaml", "    polarity: decreases\n", "    polarity: sideways\n")
    code, out = run_build(mini_corpus, MINI_SOURCE, tmp_path / "dist")
    assert_clean_error(code, out, "01-intro.yaml:", "polarity", "sideways")


def test_unknown_id(mini_corpus: Path, tmp_path: Path) -> None:
    edit(mini_corpus / "01-intro.yaml", "    effect: investment\n", "    effect: investmnet\n")
    code, out = run_build(mini_corpus, MINI_SOURCE, tmp_path / "dist")
    assert_clean_error(
        code,
        out,
        "01-intro.yaml:",
        "item 'l-tax-investment'",
        "field 'effect'",
        "unknown id 'investmnet'",
    )


def test_relation_to_wrong_type(mini_corpus: Path, tmp_path: Path) -> None:
    edit(mini_corpus / "01-intro.yaml", "    effect: investment\n", "    effect: c-tax\n")
    code, out = run_build(mini_corpus, MINI_SOURCE, tmp_path / "dist")
    assert_clean_error(code, out, "'c-tax' is a claim, expected factor")


def test_duplicate_id(mini_corpus: Path, tmp_path: Path) -> None:
    edit(mini_corpus / "01-intro.yaml", "  - id: profit\n", "  - id: share\n")
    code, out = run_build(mini_corpus, MINI_SOURCE, tmp_path / "dist")
    assert_clean_error(code, out, "01-intro.yaml:", "duplicate id", "item 'share'")


def test_duplicate_yaml_key(mini_corpus: Path, tmp_path: Path) -> None:
    edit(
        mini_corpus / "01-intro.yaml",
        "    polarity: decreases\n",
        "    polarity: decreases\n    polarity: increases\n",
    )
    code, out = run_build(mini_corpus, MINI_SOURCE, tmp_path / "dist")
    assert_clean_error(code, out, "01-intro.yaml:", "duplicate key 'polarity'")


def test_quote_mismatch(mini_corpus: Path, tmp_path: Path) -> None:
    edit(
        mini_corpus / "01-intro.yaml",
        "    quote: 税收提高会降低投资\n",
        "    quote: 税收提高会增加投资\n",
    )
    code, out = run_build(mini_corpus, MINI_SOURCE, tmp_path / "dist")
    assert_clean_error(
        code,
        out,
        "01-intro.yaml:",
        "item 'l-tax-investment'",
        "field 'quote'",
        "not found",
        "税收提高会增加投资",
    )


def test_ambiguous_quote(mini_corpus: Path, tmp_path: Path) -> None:
    edit(
        mini_corpus / "01-intro.yaml",
        "    quote: 税收提高会降低投资\n",
        "    quote: 重复的句子。\n",
    )
    code, out = run_build(mini_corpus, MINI_SOURCE, tmp_path / "dist")
    assert_clean_error(code, out, "item 'l-tax-investment'", "ambiguous", "重复的句子")


def test_loop_not_closed(mini_corpus: Path, tmp_path: Path) -> None:
    edit(
        mini_corpus / "01-intro.yaml",
        "l-rd-competitiveness, l-competitiveness-share]",
        "l-competitiveness-share, l-rd-competitiveness]",
    )
    code, out = run_build(mini_corpus, MINI_SOURCE, tmp_path / "dist")
    assert_clean_error(code, out, "item 'loop-share'", "loop is not closed")


def test_non_utf8_source(mini_corpus: Path, tmp_path: Path) -> None:
    bad = tmp_path / "latin1.md"
    bad.write_bytes("市场".encode() + b"\n\xff\xfe broken")
    code, out = run_build(mini_corpus, bad, tmp_path / "dist")
    assert_clean_error(code, out, "not valid UTF-8", "line 2", "latin1.md")


def test_non_utf8_annotation(mini_corpus: Path, tmp_path: Path) -> None:
    (mini_corpus / "02-bad.yaml").write_bytes(b"section: sec-1\nitems: []\n# \xff\n")
    code, out = run_build(mini_corpus, MINI_SOURCE, tmp_path / "dist")
    assert_clean_error(code, out, "02-bad.yaml:3", "not valid UTF-8")


def test_missing_source_file(mini_corpus: Path, tmp_path: Path) -> None:
    code, out = run_build(mini_corpus, tmp_path / "nope.md", tmp_path / "dist")
    assert_clean_error(code, out, "source text not found", "nope.md")


def test_missing_annotation_file(mini_corpus: Path, tmp_path: Path) -> None:
    (mini_corpus / "references.yaml").unlink()
    code, out = run_build(mini_corpus, MINI_SOURCE, tmp_path / "dist")
    # the citation of [1] now points at nothing
    assert_clean_error(code, out, "reference", "[1]")


def test_missing_paper_file(mini_corpus: Path, tmp_path: Path) -> None:
    (mini_corpus / "paper.yaml").unlink()
    code, out = run_build(mini_corpus, MINI_SOURCE, tmp_path / "dist")
    assert_clean_error(code, out, "file not found", "paper.yaml")


def test_unknown_section(mini_corpus: Path, tmp_path: Path) -> None:
    edit(mini_corpus / "01-intro.yaml", "section: sec-1", "section: sec-9")
    code, out = run_build(mini_corpus, MINI_SOURCE, tmp_path / "dist")
    assert_clean_error(code, out, "01-intro.yaml:1", "unknown section 'sec-9'")


@pytest.mark.parametrize("flag", ["--no-validate", None])
def test_a_failed_build_leaves_the_previous_output_untouched(
    mini_corpus: Path, tmp_path: Path, flag: str | None
) -> None:
    dist = tmp_path / "dist"
    extra = [flag] if flag else []
    code, out = run_build(mini_corpus, MINI_SOURCE, dist, *extra)
    assert code == 0, out
    before = {p.name: p.read_bytes() for p in dist.iterdir()}
    edit(mini_corpus / "01-intro.yaml", "    effect: investment\n", "    effect: nowhere\n")
    code, _ = run_build(mini_corpus, MINI_SOURCE, dist, *extra)
    assert code == 2
    # an invalid graph (exit 1) must not replace the output either
    edit(mini_corpus / "01-intro.yaml", "    effect: nowhere\n", "    effect: investment\n")
    edit(mini_corpus / "01-intro.yaml", "    value: 3.5\n", "    value: 4.5\n")
    code, _ = run_build(mini_corpus, MINI_SOURCE, dist, *extra)
    assert code == (0 if flag else 1)
    if flag:
        return
    assert {p.name: p.read_bytes() for p in dist.iterdir()} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".dist")]


def test_input_cap_from_the_environment(mini_corpus: Path, tmp_path: Path) -> None:
    args = ["build", "--corpus", str(mini_corpus), "--source", str(MINI_SOURCE)]
    args += ["--dist", str(tmp_path / "dist"), "-q"]
    result = runner.invoke(app, args, env={"ARGRAPH_MAX_INPUT_FILE_BYTES": "4000"})
    assert_clean_error(result.exit_code, result.output, "01-intro.yaml", "4,000 bytes per input")
    result = runner.invoke(app, args, env={"ARGRAPH_MAX_INPUT_FILE_BYTES": "lots"})
    assert_clean_error(
        result.exit_code, result.output, "invalid setting max_input_file_bytes", "ARGRAPH_MAX"
    )
    # the option wins over the environment
    result = runner.invoke(
        app,
        [*args, "--max-input-file-bytes", "100000"],
        env={"ARGRAPH_MAX_INPUT_FILE_BYTES": "4000"},
    )
    assert result.exit_code == 0, result.output


def test_query_file_that_is_a_fifo_or_a_device(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "q.rq"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        result = runner.invoke(app, ["query", "-f", str(path), "--dist", str(tmp_path)])
        assert_clean_error(result.exit_code, result.output, str(path), "not a regular file")
