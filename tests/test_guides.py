"""Run every command of the guides (`docs/guides/*.md`).

Blocks fenced as ```sh test run with `bash -euo pipefail`, blocks fenced as ```python test
with this interpreter. Each page runs in its own folder holding `dist/` (the paper, built once),
`docs/` and `tests/` (links into the checkout), with `ARGRAPH_URL` pointing at a live server
over the same build and `argraph` on PATH. Blocks of a page run in order in that folder.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from argraph.app import create_app
from tests.api_fixtures import live_server, settings_for
from tests.conftest import Built

REPO = Path(__file__).resolve().parent.parent
GUIDES = REPO / "docs" / "guides"
FENCE = re.compile(r"^```(sh|python) test[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)

# `argraph` on the guides' PATH: this interpreter's CLI.
SHIM = f"""#!{sys.executable}
import sys

if __name__ == "__main__":  # worker processes re-import this file: only the parent runs the CLI
    from argraph.cli import main

    sys.argv[0] = "argraph"
    main()
"""


@dataclass(frozen=True)
class Block:
    page: str
    line: int
    lang: str
    code: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}"


def blocks() -> list[Block]:
    out = []
    for page in sorted(GUIDES.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for m in FENCE.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            out.append(Block(page.name, line, m.group(1), m.group(2)))
    return out


def test_every_guide_has_tested_commands() -> None:
    pages = {b.page for b in blocks()}
    expected = {p.name for p in GUIDES.glob("*.md")} - {"README.md"}
    assert expected <= pages


def test_every_example_query_is_in_the_queries_guide() -> None:
    guide = (GUIDES / "queries.md").read_text(encoding="utf-8")
    for rq in sorted((REPO / "corpus" / "liu-tong-2021" / "queries").glob("*.rq")):
        assert f"corpus/liu-tong-2021/queries/{rq.name}" in guide, rq.name


@pytest.fixture(scope="module")
def server(built_paper: Built) -> Iterator[str]:
    app = create_app(settings_for(built_paper.dist, query_isolation="thread"))
    with live_server(app) as url:
        yield url


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, server: str) -> dict[str, str]:
    bin_dir = tmp_path_factory.mktemp("bin")
    shim = bin_dir / "argraph"
    shim.write_text(SHIM, encoding="utf-8")
    shim.chmod(0o755)
    path = os.pathsep.join([str(bin_dir), str(Path(sys.executable).parent), os.environ["PATH"]])
    keep = {k: v for k, v in os.environ.items() if not k.startswith("ARGRAPH_")}
    return keep | {"PATH": path, "ARGRAPH_URL": server, "PYTHONDONTWRITEBYTECODE": "1"}


_folders: dict[str, Path] = {}


def folder_for(page: str, built: Built, factory: pytest.TempPathFactory) -> Path:
    if page not in _folders:
        root = factory.mktemp(page.removesuffix(".md"))
        (root / "dist").symlink_to(built.dist)
        (root / "docs").symlink_to(REPO / "docs")
        # the paper's folder (its example queries), inside a corpus/ of the guide's own: guides
        # that add a paper write there, never into the checkout
        (root / "corpus").mkdir()
        (root / "corpus" / "liu-tong-2021").symlink_to(REPO / "corpus" / "liu-tong-2021")
        (root / "tests").symlink_to(REPO / "tests")
        _folders[page] = root
    return _folders[page]


@pytest.mark.parametrize("block", blocks(), ids=str)
def test_guide_block(
    block: Block,
    built_paper: Built,
    env: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    cwd = folder_for(block.page, built_paper, tmp_path_factory)
    if block.lang == "sh":
        cmd = ["bash", "-euo", "pipefail", "-c", block.code]
    else:
        script = cwd / f"block-{block.line}.py"
        script.write_text(block.code, encoding="utf-8")
        cmd = [sys.executable, str(script)]
    proc = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=240, check=False
    )
    assert proc.returncode == 0, (
        f"{block} exited {proc.returncode}\n--- code\n{block.code}\n"
        f"--- stdout\n{proc.stdout[-3000:]}\n--- stderr\n{proc.stderr[-3000:]}"
    )
