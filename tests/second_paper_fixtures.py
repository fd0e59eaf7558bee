"""Two papers in one store: the real paper (the session's build) and the synthetic second paper
(tests/data/second-paper), each built on its own, their dumps merged into one dist, with the
corpus folders and texts side by side as the viewer looks for them (web/papers.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from api.settings import Settings
from graph.build import BuildResult, build
from graph.iris import DEFAULT_BASE
from tests.conftest import DATA_DIR, PAPER_CORPUS, PAPER_SOURCE, shared_build

SECOND = Path(__file__).parent / "data" / "second-paper"
SECOND_CORPUS = SECOND / "corpus" / "wang-zhao-2022"
SECOND_SOURCE = SECOND / "source.md"


def build_second(dist: Path) -> BuildResult:
    """The second paper, anchored against its text and validated (ValidationFailed if not)."""
    return build(
        SECOND_CORPUS,
        dist,
        source=SECOND_SOURCE,
        data_dir=None,
        base_iri=DEFAULT_BASE,
        validate=True,
    )


@dataclass(frozen=True)
class TwoPapers:
    dist: Path
    """`graph.nq`: both papers' dumps, one after the other"""
    corpus: Path
    """the real paper's folder, with the second paper's beside it"""
    source: Path
    """the real paper's text, with the second paper's at ../<paper>/paper.md"""

    def settings(self, **overrides: Any) -> Settings:
        data = DATA_DIR if DATA_DIR.exists() else None
        return Settings(
            **{
                "dist": self.dist,
                "corpus": self.corpus,
                "source": self.source,
                "data_dir": data,
                **overrides,
            }
        )


def second_dist(factory: pytest.TempPathFactory) -> Path:
    """This worker's copy of the second paper's build, made once per test run."""
    return shared_build(factory, "second-paper", build_second)


def two_papers(factory: pytest.TempPathFactory, first_dist: Path) -> TwoPapers:
    """The real paper's build (`first_dist`) and the second paper's, served together."""
    second = second_dist(factory)
    root = factory.mktemp("two-papers")
    both = root / "dist"
    both.mkdir()
    with (both / "graph.nq").open("wb") as out:
        for dist in (first_dist, second):
            out.write((dist / "graph.nq").read_bytes())
    (root / "corpus").mkdir()
    for folder in (PAPER_CORPUS, SECOND_CORPUS):
        (root / "corpus" / folder.name).symlink_to(folder)
    for name, text in ((PAPER_CORPUS.name, PAPER_SOURCE), (SECOND_CORPUS.name, SECOND_SOURCE)):
        (root / "texts" / name).mkdir(parents=True)
        (root / "texts" / name / "paper.md").symlink_to(text)
    return TwoPapers(
        both,
        root / "corpus" / PAPER_CORPUS.name,
        root / "texts" / PAPER_CORPUS.name / "paper.md",
    )
