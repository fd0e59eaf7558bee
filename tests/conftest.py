"""Shared fixtures: the real paper built once per test run, and the tiny test corpus.

Under pytest-xdist each worker is a session of its own, so a session fixture alone would build
the paper once per worker. `shared_build` builds each kind once per run, in a folder all workers
of the run share (the run's temporary root), under a file lock; each worker then takes a private
copy of the few output files, so that a test that writes into its `dist/` disturbs no other
worker."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    """A build's output folder; `result` (the in-memory build) is made on first use only, since
    a worker that copied the shared build never ran it."""

    dist: Path
    make_result: Callable[[], BuildResult] = field(repr=False)
    _result: BuildResult | None = field(default=None, repr=False)

    @property
    def result(self) -> BuildResult:
        if self._result is None:
            self._result = self.make_result()
        return self._result


def _run_root(factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of this test run, shared by all xdist workers of the run."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def shared_build(
    factory: pytest.TempPathFactory, name: str, make: Callable[[Path], object]
) -> Path:
    """`make(dist)` run once per test run for `name`; returns this worker's copy of that dist."""
    cache = _run_root(factory) / "argraph-shared-builds"
    done = cache / name / "dist"
    with _locked(cache / f"{name}.lock"):
        if not done.is_dir():
            partial = cache / f"{name}.partial"
            shutil.rmtree(partial, ignore_errors=True)
            make(partial / "dist")
            (cache / name).mkdir(parents=True, exist_ok=True)
            (partial / "dist").rename(done)
            shutil.rmtree(partial, ignore_errors=True)
    mine = factory.mktemp(name) / "dist"
    shutil.copytree(done, mine)
    return mine


def build_paper(dist: Path, *, data: bool = True) -> BuildResult:
    """The real paper, anchored against its text, not validated (validation is its own test)."""
    return build(
        PAPER_CORPUS,
        dist,
        source=PAPER_SOURCE,
        data_dir=DATA_DIR if data and DATA_DIR.exists() else None,
        base_iri=DEFAULT_BASE,
        validate=False,
    )


def build_mini(dist: Path) -> BuildResult:
    return build(
        MINI_CORPUS, dist, source=MINI_SOURCE, data_dir=None, base_iri=DEFAULT_BASE, validate=True
    )


def _result_of(
    make: Callable[[Path], BuildResult], factory: pytest.TempPathFactory, name: str
) -> Callable[[], BuildResult]:
    """The in-memory build, for the few tests that read it: made again in a folder of its own."""
    return lambda: make(factory.mktemp(f"{name}-result") / "dist")


@pytest.fixture(scope="session")
def paper_source() -> Path:
    if not PAPER_SOURCE.exists():
        pytest.fail(f"the paper's text is expected at {PAPER_SOURCE} (see the README)")
    return PAPER_SOURCE


@pytest.fixture(scope="session")
def built_paper(tmp_path_factory: pytest.TempPathFactory, paper_source: Path) -> Built:
    """The real paper, built once per test run (validation is its own test)."""
    dist = shared_build(tmp_path_factory, "paper", build_paper)
    return Built(dist, _result_of(build_paper, tmp_path_factory, "paper"))


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
    """The tiny corpus, built and validated once per test run."""
    dist = shared_build(tmp_path_factory, "mini", build_mini)
    return Built(dist, _result_of(build_mini, tmp_path_factory, "mini"))


@pytest.fixture(scope="session")
def mini_store(mini_built: Built) -> OxigraphStore:
    return open_built(mini_built.dist)


# -- scheduling on xdist workers ------------------------------------------------------------------
#
# `bash scripts/test` runs `--dist loadfile`, with the scheduler below: a file's tests stay on one
# worker (module fixtures are made once, its tests run in order: the guide blocks of a page run
# in order in one folder, and all pages share one CLI zygote and one server), and so do all the
# browser tests (one Chromium, one set of viewer servers). Groups are handed out longest first
# (seconds each group took in a run, rough and relative; a group not listed counts a
# third of a second a test), so that the workers end together instead of one running a long
# group alone at the end. (xdist's own `--dist loadgroup` cannot be used: it renames the tests'
# node ids, which pytest 9 no longer lets it do.)

GROUP_SECONDS = {
    "tests/browser": 63,
    "tests/test_guides.py": 42,
    "tests/test_hostile_server.py": 38,
    "tests/test_sparql_protocol.py": 16,
    "tests/test_build_robustness.py": 15,
    "tests/test_build.py": 14,
    "tests/test_data_checks.py": 12,
    "tests/test_input_limits.py": 12,
    "tests/test_load.py": 11,
    "tests/test_faults_store.py": 9,
    "tests/test_analysis_api.py": 7,
    "tests/test_guard_property.py": 7,
    "tests/test_validate.py": 5,
    "tests/test_fuzz_api.py": 5,
    "tests/test_linked_data.py": 5,
    "tests/test_draft.py": 4,
    "tests/test_bad_inputs.py": 4,
    "tests/test_stores_remote.py": 4,
    "tests/test_web_api.py": 4,
    "tests/test_result_formats.py": 4,
    "tests/test_second_paper.py": 3,
    "tests/test_packaging.py": 3,
}
BROWSER = "tests/browser"


def group_of(nodeid: str) -> str:
    """The unit one worker runs: a test file, or all the browser tests (one worker starts
    Chromium and the viewer's servers, not both)."""
    path = nodeid.split("::", 1)[0]
    return BROWSER if path.startswith(f"{BROWSER}/") else path


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class GroupScheduling(LoadFileScheduling):  # type: ignore[misc]
        """Files, guide pages apart, in the order the workers collected them (longest first)."""

        def _split_scope(self, nodeid: str) -> str:
            return group_of(nodeid)

    config.option.loadscopereorder = False  # keep the order set below, not by number of tests
    return GroupScheduling(config, log)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Tell each xdist worker whether the groups are scheduled (a worker's own `dist` option
    always reads "no")."""
    node.workerinput["argraph_groups"] = node.config.getoption("dist") == "loadfile"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not getattr(config, "workerinput", {}).get("argraph_groups"):
        return  # one process, or another --dist: keep the collection order
    groups: dict[str, list[pytest.Item]] = {}
    for item in items:
        groups.setdefault(group_of(item.nodeid), []).append(item)

    def seconds(group: str) -> float:
        return GROUP_SECONDS.get(group, len(groups[group]) / 3)

    items[:] = [i for g in sorted(groups, key=lambda g: -seconds(g)) for i in groups[g]]
