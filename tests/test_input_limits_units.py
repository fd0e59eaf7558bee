"""The pieces behind test_input_limits.py, in process: the bounded reader, the YAML limits and
the degenerate-relation checks."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
import yaml

from api.settings import Settings
from errors import AnnotationError
from ingest.corpus import load_corpus
from ingest.safe_read import (
    InputLimits,
    InputRefused,
    current_limits,
    input_limits,
    read_input,
    read_input_text,
)
from ingest.sanity import check_degenerate, raise_degenerate, relation_fields
from ingest.yaml_loader import YamlLimits, YamlRefused, load_yaml, parse_yaml

from .conftest import MINI_CORPUS, PAPER_CORPUS, REPO

# -- the bounded reader ---------------------------------------------------------------------------


def test_defaults_are_the_settings_defaults() -> None:
    limits = InputLimits.defaults()
    fields = Settings.model_fields
    assert limits.max_file_bytes == fields["max_input_file_bytes"].default == 20_000_000
    assert limits.max_total_bytes == fields["max_input_bytes"].default == 200_000_000


def test_reads_a_regular_file(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x: 1\n")
    assert read_input(path, within=tmp_path) == b"x: 1\n"
    assert read_input_text(path) == "x: 1\n"


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda p: p.symlink_to("/dev/zero"), "character device"),
        (lambda p: p.symlink_to("/dev/null"), "character device"),
        (lambda p: os.mkfifo(p), "FIFO"),
        (lambda p: p.mkdir(), "folder"),
    ],
    ids=["dev-zero", "dev-null", "fifo", "folder"],
)
def test_refuses_what_is_not_a_regular_file(tmp_path: Path, make: object, kind: str) -> None:
    path = tmp_path / "in.yaml"
    make(path)  # type: ignore[operator]
    with pytest.raises(InputRefused, match=kind) as info:
        read_input(path, within=tmp_path)
    assert info.value.file == str(path)


def test_refuses_a_socket(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(path))
        with pytest.raises(InputRefused, match="socket"):
            read_input(path)
    finally:
        sock.close()


def test_refuses_a_file_linked_out_of_its_folder(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "secret.txt").write_text("s", encoding="utf-8")
    link = tmp_path / "corpus" / "a.yaml"
    link.symlink_to(tmp_path / "secret.txt")
    with pytest.raises(InputRefused, match="outside the folder"):
        read_input(link, within=tmp_path / "corpus")
    # a link that stays inside is fine, and so is any link for a path given explicitly
    (tmp_path / "corpus" / "b.yaml").symlink_to("a.yaml")
    assert read_input(link) == b"s"
    inner = tmp_path / "corpus" / "c.yaml"
    inner.write_text("c", encoding="utf-8")
    (tmp_path / "corpus" / "d.yaml").symlink_to("c.yaml")
    assert read_input(tmp_path / "corpus" / "d.yaml", within=tmp_path / "corpus") == b"c"


def test_missing_and_looping_paths_raise_oserror(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_input(tmp_path / "nope.yaml")
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    with pytest.raises(OSError, match="symbolic links"):
        read_input(loop)


def test_caps_per_file_and_per_build(tmp_path: Path) -> None:
    small, big = tmp_path / "small", tmp_path / "big"
    small.write_bytes(b"x" * 600)
    big.write_bytes(b"x" * 1500)
    with input_limits(1000, 1500) as limits:
        with pytest.raises(InputRefused, match="larger than the limit of 1,000 bytes per input"):
            read_input(big)
        read_input(small)
        read_input(small)
        assert limits.used == 1200
        with pytest.raises(InputRefused, match="1,500 bytes in all"):
            read_input(small)
        with input_limits() as inner:  # a nested reader counts into the same budget
            assert inner is limits
    assert current_limits().used == 0  # outside: fresh defaults per call


def test_a_proc_file_is_read_up_to_the_cap() -> None:
    # /proc files report size 0: the cap holds on the bytes actually read
    with input_limits(10, 1000), pytest.raises(InputRefused, match="larger than the limit"):
        read_input("/proc/self/status")


def test_text_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "t.md"
    path.write_bytes(b"ok\nok\n\xff\n")
    with pytest.raises(InputRefused, match="not valid UTF-8") as info:
        read_input_text(path, what="source text")
    assert info.value.line == 3


# -- YAML limits ----------------------------------------------------------------------------------


def _yaml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _refusal(path: Path, limits: YamlLimits | None = None) -> AnnotationError:
    with pytest.raises(AnnotationError) as info:
        load_yaml(path, limits) if limits else load_yaml(path)
    assert info.value.file == str(path)
    return info.value


def test_the_loader_reads_the_paper_as_pyyaml_does() -> None:
    for path in sorted([*PAPER_CORPUS.glob("*.yaml"), *MINI_CORPUS.glob("*.yaml")]):
        assert load_yaml(path) == yaml.safe_load(path.read_text(encoding="utf-8")), path


def test_lines_of_keys_and_items(tmp_path: Path) -> None:
    data = load_yaml(_yaml(tmp_path, "a: 1\nitems:\n  - x\n  - {id: y}\n"))
    assert data.line == 1 and data.key_lines == {"a": 1, "items": 2}
    assert data["items"].item_lines == [3, 4] and data["items"][1].line == 4


@pytest.mark.parametrize(
    ("text", "line", "field", "needle"),
    [
        ("a:\n  b: " + "[" * 50 + "]" * 50 + "\n", 2, "a.b.0.0.….0.0", "nested deeper than 32"),
        ("a: 1\nb:\n  c: 2\n  c: 3\n", 4, "b.c", "duplicate key 'c'"),
        ("items:\n  - id: x\n    label: " + "y" * 200 + "\n", 3, "items.0.label", "200 characters"),
        ('items:\n  - id: x\n    label: "a\\u0007"\n', 3, "items.0.label", "U+0007"),
        ('k: "\\x9b"\n', 1, "k", "U+009B"),
        ("k: !!binary aGVsbG8=\n", 1, "k", "!!binary"),
        ("k: !!timestamp 2001-12-14\n", 1, "k", "!!timestamp"),
        ("k: !!set {a, b}\n", 1, "k", "!!set"),
        ("k: !!python/name:os.system ''\n", 1, "k", "python"),
        ("k: !local x\n", 1, "k", "!local"),
        ("k: 2021-13-45\n", 1, "k", "not a valid !!timestamp"),
        ("k: !!int x\n", 1, "k", "not a valid !!int"),
        ("k: &a [1, *a]\n", 1, "k.1", "recursive"),
        ("k: *nowhere\n", 1, "k", "undefined alias"),
        ("a: 1\n---\nb: 2\n", 2, None, "second document"),
    ],
    ids=[
        "deep",
        "duplicate-key",
        "long-string",
        "bell",
        "c1",
        "binary",
        "timestamp",
        "set",
        "python",
        "local-tag",
        "bad-date",
        "bad-int",
        "recursive-alias",
        "undefined-alias",
        "two-documents",
    ],
)
def test_refusals_name_line_and_field(
    tmp_path: Path, text: str, line: int, field: str | None, needle: str
) -> None:
    limits = YamlLimits(max_string_chars=100)
    err = _refusal(_yaml(tmp_path, text), limits)
    assert needle in str(err)
    assert err.line == line
    assert err.field == field
    if field and field.startswith("items.0"):
        assert err.item == "x"


def test_aliases_count_every_use(tmp_path: Path) -> None:
    lines = ["a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    err = _refusal(_yaml(tmp_path, "\n".join(lines) + "\n"))
    assert "more than 200,000 values" in str(err)


def test_the_deep_path_is_shortened(tmp_path: Path) -> None:
    err = _refusal(_yaml(tmp_path, "a: " + "[" * 20_000 + "]" * 20_000 + "\n"))
    assert err.field is not None and len(err.field) < 40
    assert "nest" in err.message


def test_keys_must_be_strings(tmp_path: Path) -> None:
    assert "keys must be strings" in _refusal(_yaml(tmp_path, "1: a\n")).message
    assert "keys must be strings" in _refusal(_yaml(tmp_path, "? [a]\n: b\n")).message


def test_the_drafting_parser_reads_what_pyyaml_reads_within_the_same_limits() -> None:
    data_files = sorted((REPO / "ingest" / "draft").glob("*.yaml"))
    assert data_files
    for path in [*data_files, *sorted(PAPER_CORPUS.glob("*.yaml"))]:
        text = path.read_text(encoding="utf-8")
        assert parse_yaml(text) == yaml.safe_load(text), path
    # a draft quotes its source as it is: control characters are kept
    assert parse_yaml('quote: "a\\fb"\n') == {"quote": "a\fb"}
    # what the annotation loader refuses stays refused, as a YAML error naming the line
    with pytest.raises(yaml.YAMLError, match="nest"):  # libyaml's own bound, or the loader's
        parse_yaml("a: " + "[" * 20_000 + "]" * 20_000 + "\n")
    assert parse_yaml("a: " + "[" * 31 + "]" * 31 + "\n")  # 32 levels with the mapping
    with pytest.raises(YamlRefused, match="nested deeper"):
        parse_yaml("a: " + "[" * 40 + "]" * 40 + "\n")
    for text, why in (
        ("a: !!binary aGk=\n", "not allowed"),
        ("a: 1\na: 2\n", "duplicate key"),
    ):
        with pytest.raises(YamlRefused, match=why) as info:
            parse_yaml(text)
        assert isinstance(info.value, yaml.YAMLError) and "line " in str(info.value)


# -- degenerate relations -------------------------------------------------------------------------


def _corpus_with(mini_corpus: Path, old: str, new: str) -> Path:
    path = mini_corpus / "01-intro.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return mini_corpus


def test_relation_fields_come_from_the_models() -> None:
    from ingest.models import CausalLink, Claim, Factor

    assert {"supports", "challenges", "qualifies", "about"} <= set(relation_fields(Claim))
    assert {"cause", "effect", "asserted_by"} <= set(relation_fields(CausalLink))
    assert "broader" in relation_fields(Factor)
    assert not {"id", "quote", "note", "label"} & set(relation_fields(Claim))


def test_the_corpora_have_no_degenerate_relation() -> None:
    assert check_degenerate(load_corpus(MINI_CORPUS)) == []
    assert check_degenerate(load_corpus(PAPER_CORPUS)) == []


CYCLE_ABOUT = "    about: [share, profit, rd, competitiveness]\n"
SHARE_QUOTE = "    quote: 市场份额下降导致利润减少。\n"
PROFIT_QUOTE = "    quote: 利润减少使研发投入下降\n"


def _after(line: str, added: str) -> tuple[str, str]:
    return line, line + added


@pytest.mark.parametrize(
    ("edits", "item", "field", "needle"),
    [
        ([_after(CYCLE_ABOUT, "    supports: [c-cycle]\n")], "c-cycle", "supports", "itself"),
        ([_after(CYCLE_ABOUT, "    qualifies: [c-cycle]\n")], "c-cycle", "qualifies", "itself"),
        (
            [(CYCLE_ABOUT, "    about: [share, profit, share]\n")],
            "c-cycle",
            "about",
            "'share' is listed twice",
        ),
        (
            [_after(CYCLE_ABOUT, "    supports: [c-tax]\n    challenges: [c-tax]\n")],
            "c-cycle",
            "challenges",
            "both in supports and in challenges",
        ),
        (
            [("    cites: [{ref: 1}]\n", "    cites: [{ref: 1}, {ref: 1}]\n")],
            "c-subsidy",
            "cites",
            "listed twice",
        ),
        (
            [("    refs: [1]\n", "    refs: [1, 1]\n")],
            "expl-share",
            "refs",
            "1 is listed twice",
        ),
        ([_after(SHARE_QUOTE, "    broader: [share]\n")], "share", "broader", "itself"),
        (
            [
                _after(SHARE_QUOTE, "    broader: [profit]\n"),
                _after(PROFIT_QUOTE, "    broader: [share]\n"),
            ],
            "share",
            "broader",
            "cycle: share -> profit -> share",
        ),
        (
            [("    supports: [c-growth]\n", "    supports: [c-growth, stat-growth]\n")],
            "stat-growth",
            "supports",
            "itself",
        ),
    ],
    ids=[
        "self-support",
        "self-qualify",
        "duplicate",
        "supports-and-challenges",
        "duplicate-citation",
        "duplicate-reference-number",
        "self-broader",
        "broader-cycle",
        "statistic-self",
    ],
)
def test_degenerate_relations(
    mini_corpus: Path, edits: list[tuple[str, str]], item: str, field: str, needle: str
) -> None:
    for old, new in edits:
        _corpus_with(mini_corpus, old, new)
    corpus = load_corpus(mini_corpus)
    problems = check_degenerate(corpus)
    assert problems, "no problem found"
    first = problems[0]
    assert (first.item, first.field) == (item, field)
    assert needle in first.message
    assert first.file is not None and first.file.endswith("01-intro.yaml") and first.line
    with pytest.raises(AnnotationError, match=needle.split(":")[0]):
        raise_degenerate(corpus)
