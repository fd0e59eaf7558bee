"""Run every command of the guides (`docs/guides/*.md`).

Blocks fenced as ```sh test run with `bash -euo pipefail`, blocks fenced as ```python test
with this interpreter, as `python BLOCK.py`, forked from the zygote that serves `argraph` (an
interpreter that imported argraph and pandas once: tests/cli_zygote.py). Each page runs in its
own folder holding `dist/` (the paper, built once), `docs/` and `tests/` (links into the
checkout), with `ARGRAPH_URL` pointing at a live server over the same build and `argraph` on
PATH. Blocks of a page run in order in that folder.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from argraph.app import create_app
from tests import cli_zygote
from tests.api_fixtures import live_server, settings_for
from tests.conftest import Built

REPO = Path(__file__).resolve().parent.parent
GUIDES = REPO / "docs" / "guides"
FENCE = re.compile(r"^```(sh|python) test[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)


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
def env(tmp_path_factory: pytest.TempPathFactory, server: str) -> Iterator[dict[str, str]]:
    """The guides' environment: `argraph` on PATH is this interpreter's CLI, and
    `argraph-python` this interpreter, both forked from a zygote that imported them once
    (tests/cli_zygote.py)."""
    bin_dir = tmp_path_factory.mktemp("bin")
    path = os.pathsep.join([str(bin_dir), str(Path(sys.executable).parent), os.environ["PATH"]])
    keep = {k: v for k, v in os.environ.items() if not k.startswith("ARGRAPH_")}
    env = keep | {"PATH": path, "ARGRAPH_URL": server}
    with tempfile.TemporaryDirectory(prefix="argraph-zygote-") as sockets:
        socket_path = Path(sockets) / "cli.sock"  # short: a Unix socket's path has 107 bytes
        cli_zygote.write_client(bin_dir, socket_path)
        cli_zygote.write_client(bin_dir, socket_path, mode="python")
        zygote = subprocess.Popen(
            [str(cli_zygote.write_launcher(bin_dir)), str(socket_path)],
            cwd=bin_dir,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its commands and what they start: one group to end
        )
        try:
            assert zygote.stdout is not None
            assert zygote.stdout.readline().strip() == "ready", "the CLI zygote did not start"
            yield env
        finally:
            os.killpg(zygote.pid, signal.SIGKILL)
            zygote.wait(10)
            if zygote.stdout is not None:
                zygote.stdout.close()


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
        cmd = ["argraph-python", str(script)]  # on the environment's PATH (`env`)
    proc = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=240, check=False
    )
    assert proc.returncode == 0, (
        f"{block} exited {proc.returncode}\n--- code\n{block.code}\n"
        f"--- stdout\n{proc.stdout[-3000:]}\n--- stderr\n{proc.stderr[-3000:]}"
    )
