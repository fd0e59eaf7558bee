"""Browser fixtures: the app served by uvicorn on a free port, driven by Debian's Chromium through
Playwright (from PyPI; no browser download). Without Chromium the tests skip locally and FAIL in CI."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from argraph.api.app import create_app
from argraph.graph.build import build
from argraph.graph.iris import DEFAULT_BASE
from argraph.graph.store import Store, open_built
from argraph.settings import Settings
from tests.api_fixtures import live_server
from tests.conftest import PAPER_CORPUS, PAPER_SOURCE, REPO, Built

ARTIFACTS = REPO / "test-artifacts" / "browser"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _chromium() -> str | None:
    for name in (os.environ.get("ARGRAPH_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if name and Path(name).is_file():
            return name
    return None


def _missing(what: str) -> None:
    message = f"{what}; install it with: apt-get install -y chromium && pip install playwright"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def viewer_app(dist: Path, store: Store, **overrides: Any) -> FastAPI:
    """The app with the viewer router (included here until app.py lists it)."""
    app = create_app(Settings(dist=dist, **overrides), store)
    if not any(getattr(r, "path", None) == "/api/view/item/{item_id}" for r in app.routes):
        from argraph.api.routes import web

        app.include_router(web.router)
    return app


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed")
    executable = _chromium()
    if executable is None:
        _missing("Debian's chromium is not installed")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def paper_url(built_paper: Built, paper_store: Store) -> Iterator[str]:
    app = viewer_app(built_paper.dist, paper_store, source=PAPER_SOURCE, query_isolation="thread")
    with live_server(app) as url:
        yield url


@pytest.fixture(scope="session")
def nodata_dist(tmp_path_factory: pytest.TempPathFactory, paper_source: Path) -> Path:
    """The real paper built without the public data folder (`argraph build` without --data)."""
    dist = tmp_path_factory.mktemp("paper-nodata") / "dist"
    build(
        PAPER_CORPUS,
        dist,
        source=paper_source,
        data_dir=None,
        base_iri=DEFAULT_BASE,
        validate=False,
    )
    return dist


def nodata_app(dist: Path) -> FastAPI:
    """An app on a build without data, served without a data folder either."""
    return viewer_app(
        dist, open_built(dist), source=PAPER_SOURCE, data_dir=None, query_isolation="thread"
    )


@pytest.fixture(scope="session")
def nodata_url(nodata_dist: Path) -> Iterator[str]:
    with live_server(nodata_app(nodata_dist)) as url:
        yield url


@pytest.fixture()
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.set_default_timeout(20_000)
    yield pg
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
