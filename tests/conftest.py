"""Shared fixtures: the real paper built once per session, and the tiny test corpus."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph.build import BuildResult, build
from graph.iris import DEFAULT_BASE
from graph.store import OxigraphStore, open_built

TESTS = Path(__file__).parent
REPO = TESTS.parent
SHARED = REPO.parent / "shared"
PAPER_CORPUS = REPO / "corpus" / "liu-tong-2021"
PAPER_SOURCE = SHARED / "corpus" / "liu-tong-2021" / "paper.md"
DATA_DIR = SHARED / "data"
MINI = TESTS / "data" / "mini"
MINI_CORPUS = MINI / "corpus" / "mini-paper"
MINI_SOURCE = MINI / "source.md"


@dataclass
class Built:
    result: BuildResult
    dist: Path


@pytest.fixture(scope="session")
def paper_source() -> Path:
    if not PAPER_SOURCE.exists():
        pytest.fail(f"the paper's text is expected at {PAPER_SOURCE} (see the README)")
    return PAPER_SOURCE


@pytest.fixture(scope="session")
def built_paper(tmp_path_factory: pytest.TempPathFactory, paper_source: Path) -> Built:
    """The real paper, anchored against its text and built once (validation is its own test)."""
    dist = tmp_path_factory.mktemp("paper") / "dist"
    result = build(
        PAPER_CORPUS,
        dist,
        source=paper_source,
        data_dir=DATA_DIR if DATA_DIR.exists() else None,
        base_iri=DEFAULT_BASE,
        validate=False,
    )
    return Built(result, dist)


@pytest.fixture(scope="session")
def paper_store(built_paper: Built) -> OxigraphStore:
    return open_built(built_paper.dist)


@pytest.fixture()
def mini_corpus(tmp_path: Path) -> Path:
    """A private copy of the tiny corpus, free to break."""
    target = tmp_path / "mini-paper"
    shutil.copytree(MINI_CORPUS, target)
    return target


@pytest.fixture(scope="session")
def mini_built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    dist = tmp_path_factory.mktemp("mini") / "dist"
    result = build(
        MINI_CORPUS, dist, source=MINI_SOURCE, data_dir=None, base_iri=DEFAULT_BASE, validate=True
    )
    return Built(result, dist)


@pytest.fixture(scope="session")
def mini_store(mini_built: Built) -> OxigraphStore:
    return open_built(mini_built.dist)
