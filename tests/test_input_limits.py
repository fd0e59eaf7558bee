"""Hostile inputs end to end: each case runs `argraph build` in a child process (forked from a
server that imported the CLI once: tests/cli_child.py) under a 1 GB address-space limit (a build
that reads /dev/zero without a bound dies of it instead of taking the machine) and a generous
timeout (a build that waits on a FIFO is killed, and the test fails). Each must exit 2 with one
line naming the file (and the line, item and field where there are some), and leave the previous
output exactly as it was."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .cli_child import run_cli
from .conftest import MINI_CORPUS, MINI_SOURCE

MEMORY_LIMIT = 1 << 30
HANG_GUARD_S = 180
TABLE = Path("wikidata-cn-provinces") / "cn_province_wikidata.csv"
INTRO = "01-intro.yaml"


def argraph(*args: str) -> tuple[int, str]:
    """Run the CLI in a child process with the memory limit; (exit code, stderr + stdout)."""
    return run_cli(*args, timeout_s=HANG_GUARD_S, memory_limit=MEMORY_LIMIT)


def snapshot(dist: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(dist.iterdir())}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("reference") / "dist"
    code, out = argraph(
        "build", "--corpus", str(MINI_CORPUS), "--source", str(MINI_SOURCE), "--dist", str(dist)
    )
    assert code == 0, out
    return dist


@pytest.fixture()
def dist(reference: Path, tmp_path: Path) -> Path:
    target = tmp_path / "dist"
    shutil.copytree(reference, target)
    return target


def refused(
    corpus: Path,
    dist: Path,
    *needles: str,
    source: Path | None = MINI_SOURCE,
    extra: tuple[str, ...] = (),
) -> str:
    """Build; assert exit 2, one clean line holding every needle, and `dist` untouched."""
    before = snapshot(dist)
    args = ["build", "--corpus", str(corpus), "--dist", str(dist), "-q", *extra]
    args += ["--source", str(source)] if source is not None else ["--no-source"]
    code, out = argraph(*args)
    assert code == 2, out
    assert "Traceback" not in out and "internal error" not in out, out
    assert len(out.strip().splitlines()) == 1, out
    for needle in needles:
        assert needle in out, out
    assert snapshot(dist) == before
    assert not [p for p in dist.parent.iterdir() if p.name.startswith(".dist")]
    return out


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


SHARE_LABEL = "    label: {zh: 市场份额, en: market share}\n"


# -- files that are not files ---------------------------------------------------------------------


def test_annotation_file_linked_to_dev_zero(mini_corpus: Path, dist: Path) -> None:
    (mini_corpus / "02-zero.yaml").symlink_to("/dev/zero")
    refused(mini_corpus, dist, "02-zero.yaml", "character device", "/dev/zero")


@pytest.mark.parametrize("source", [None, MINI_SOURCE], ids=["from-lock", "with-source"])
def test_lock_file_linked_to_dev_zero(mini_corpus: Path, dist: Path, source: Path | None) -> None:
    lock = mini_corpus / "anchors.lock.yaml"
    lock.unlink()
    lock.symlink_to("/dev/zero")
    refused(mini_corpus, dist, "anchors.lock.yaml", "character device", source=source)


def test_fifo_in_the_corpus_folder(mini_corpus: Path, dist: Path) -> None:
    os.mkfifo(mini_corpus / "02-pipe.yaml")
    refused(mini_corpus, dist, "02-pipe.yaml", "FIFO")


def test_annotation_file_linked_out_of_the_corpus(mini_corpus: Path, dist: Path) -> None:
    outside = mini_corpus.parent / "elsewhere.yaml"
    outside.write_text("section: sec-1\nitems: []\n", encoding="utf-8")
    (mini_corpus / "02-out.yaml").symlink_to(outside)
    refused(mini_corpus, dist, "02-out.yaml", "outside the folder")


# -- YAML too deep, too big, tagged, with control characters ---------------------------------------


def test_twenty_thousand_deep_nesting(mini_corpus: Path, dist: Path) -> None:
    deep = "[" * 20_000 + "]" * 20_000
    (mini_corpus / "02-deep.yaml").write_text(f"section: sec-1\nitems: {deep}\n", "utf-8")
    out = refused(mini_corpus, dist, "02-deep.yaml:2", "field 'items")
    assert "nest" in out


def test_deep_block_nesting(mini_corpus: Path, dist: Path) -> None:
    block = "".join("  " * (i + 1) + f"k{i}:\n" for i in range(200))
    (mini_corpus / "02-deep.yaml").write_text(f"section: sec-1\nitems:\n{block}", "utf-8")
    refused(mini_corpus, dist, "02-deep.yaml:34", "nested deeper than 32 levels", "field 'items")


def test_thirty_megabyte_label_over_the_file_cap(mini_corpus: Path, dist: Path) -> None:
    edit(mini_corpus / INTRO, SHARE_LABEL, f"    label: {{zh: {'市' * 10_000_000}, en: x}}\n")
    refused(mini_corpus, dist, INTRO, "larger than the limit of 20,000,000 bytes", "--max-input")


def test_thirty_megabyte_label_under_a_raised_file_cap(mini_corpus: Path, dist: Path) -> None:
    edit(mini_corpus / INTRO, SHARE_LABEL, f"    label: {{zh: {'市' * 10_000_000}, en: x}}\n")
    refused(
        mini_corpus,
        dist,
        f"{INTRO}:5",
        "item 'share'",
        "field 'items.0.label.zh'",
        "10,000,000 characters",
        extra=("--max-input-file-bytes", "40000000"),
    )


def test_binary_label(mini_corpus: Path, dist: Path) -> None:
    edit(mini_corpus / INTRO, SHARE_LABEL, "    label: {zh: !!binary 5biC5Zy6, en: share}\n")
    refused(mini_corpus, dist, f"{INTRO}:5", "item 'share'", "field 'items.0.label.zh'", "!!binary")


@pytest.mark.parametrize(
    ("escape", "code"), [("\\0", "U+0000"), ("\\e", "U+001B"), ("\\x85", "U+0085")]
)
def test_control_character_in_a_label(
    mini_corpus: Path, dist: Path, escape: str, code: str
) -> None:
    edit(mini_corpus / INTRO, SHARE_LABEL, f'    label: {{zh: "市场{escape}份额", en: share}}\n')
    refused(mini_corpus, dist, f"{INTRO}:5", "item 'share'", "field 'items.0.label.zh'", code)


def test_raw_nul_byte_in_a_quote(mini_corpus: Path, dist: Path) -> None:
    edit(mini_corpus / INTRO, "    quote: 利润减少使研发投入下降\n", "    quote: 利润\x00减少\n")
    refused(mini_corpus, dist, f"{INTRO}:10", "control characters are not allowed")


# -- degenerate relations -------------------------------------------------------------------------


def test_claim_that_supports_itself(mini_corpus: Path, dist: Path) -> None:
    edit(
        mini_corpus / INTRO,
        "    about: [share, profit, rd, competitiveness]\n",
        "    about: [share, profit, rd, competitiveness]\n    supports: [c-cycle]\n",
    )
    refused(mini_corpus, dist, f"{INTRO}:", "item 'c-cycle'", "field 'supports'", "itself")


# -- the source text ------------------------------------------------------------------------------


def test_source_is_a_device(mini_corpus: Path, dist: Path) -> None:
    refused(
        mini_corpus, dist, "/dev/zero", "source text", "character device", source=Path("/dev/zero")
    )


def test_source_linked_to_a_device(mini_corpus: Path, dist: Path, tmp_path: Path) -> None:
    link = tmp_path / "paper.md"
    link.symlink_to("/dev/zero")
    refused(mini_corpus, dist, "paper.md", "character device", source=link)


def test_source_is_a_fifo(mini_corpus: Path, dist: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "paper.md"
    os.mkfifo(fifo)
    refused(mini_corpus, dist, "paper.md", "FIFO", source=fifo)


def test_source_over_the_cap(mini_corpus: Path, dist: Path, tmp_path: Path) -> None:
    big = tmp_path / "paper.md"
    with big.open("wb") as fh:
        fh.truncate(30_000_000)  # sparse: no disk used
    refused(mini_corpus, dist, "paper.md", "source text is larger than the limit", source=big)


def test_the_build_total_cap(mini_corpus: Path, dist: Path) -> None:
    refused(mini_corpus, dist, "in all", "--max-input-bytes", extra=("--max-input-bytes", "6000"))


# -- the public data folder -----------------------------------------------------------------------


def _data(tmp_path: Path) -> Path:
    table = tmp_path / "data" / TABLE
    table.parent.mkdir(parents=True)
    return table


def test_data_table_linked_to_dev_zero(mini_corpus: Path, dist: Path, tmp_path: Path) -> None:
    _data(tmp_path).symlink_to("/dev/zero")
    data = str(tmp_path / "data")
    refused(
        mini_corpus, dist, "cn_province_wikidata.csv", "character device", extra=("--data", data)
    )


def test_data_table_is_a_fifo(mini_corpus: Path, dist: Path, tmp_path: Path) -> None:
    os.mkfifo(_data(tmp_path))
    data = str(tmp_path / "data")
    refused(mini_corpus, dist, "cn_province_wikidata.csv", "FIFO", extra=("--data", data))


def test_data_table_over_the_cap(mini_corpus: Path, dist: Path, tmp_path: Path) -> None:
    with _data(tmp_path).open("wb") as fh:
        fh.truncate(25_000_000)
    data = str(tmp_path / "data")
    refused(mini_corpus, dist, "cn_province_wikidata.csv", "larger than", extra=("--data", data))


def test_data_table_linked_out_of_the_folder(mini_corpus: Path, dist: Path, tmp_path: Path) -> None:
    outside = tmp_path / "table.csv"
    outside.write_text("key,wikidata\nCN-LN,Q43934\n", encoding="utf-8")
    _data(tmp_path).symlink_to(outside)
    data = str(tmp_path / "data")
    refused(mini_corpus, dist, "cn_province_wikidata.csv", "outside", extra=("--data", data))


def test_data_table_with_a_huge_field(mini_corpus: Path, dist: Path, tmp_path: Path) -> None:
    _data(tmp_path).write_text("key,wikidata\nCN-LN," + "Q" * 200_000 + "\n", encoding="utf-8")
    data = str(tmp_path / "data")
    refused(
        mini_corpus, dist, "cn_province_wikidata.csv:2", "malformed CSV", extra=("--data", data)
    )


def test_data_folder_that_is_a_file(mini_corpus: Path, dist: Path, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "data.txt"
    not_a_folder.write_text("x", encoding="utf-8")
    refused(mini_corpus, dist, "data.txt", "not a folder", extra=("--data", str(not_a_folder)))


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x0c"], ids=["nul", "esc", "form-feed"])
def test_control_character_next_to_a_quote_in_the_source(
    mini_corpus: Path, dist: Path, tmp_path: Path, char: str
) -> None:
    text = MINI_SOURCE.read_text(encoding="utf-8")
    sentence = "产出增加提高税收。"
    assert sentence in text
    source = tmp_path / "paper.md"
    source.write_text(text.replace(sentence, sentence + char, 1), encoding="utf-8")
    line = text[: text.index(sentence)].count("\n") + 1
    refused(
        mini_corpus, dist, f"paper.md:{line}", "field 'quote'", "control character", source=source
    )
