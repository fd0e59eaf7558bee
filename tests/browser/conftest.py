"""Browser fixtures: the app served by uvicorn on a free port, driven by Debian's Chromium through
Playwright (from PyPI; no browser download). Without Chromium the tests skip locally and FAIL in CI."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI

from api.settings import Settings
from argraph.app import create_app
from graph.store import Store, open_built
from tests.api_fixtures import live_server
from tests.conftest import PAPER_SOURCE, REPO, Built, build_paper, shared_build

ARTIFACTS = REPO / "test-artifacts" / "browser"
# The policy the service sends (argraph/app.py): the viewer must work under it. Apps that do not send
# one yet get it here, so that the browser tests hold the viewer to it either way.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""
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
    """The app (with the viewer's routes), under the policy the service sends."""
    app = create_app(Settings(dist=dist, **overrides), store)

    @app.middleware("http")
    async def policy(request: Any, call_next: Any) -> Any:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        return response

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
    """The real paper built without the public data folder (`argraph build` without --data),
    once per test run."""
    return shared_build(tmp_path_factory, "paper-nodata", partial(build_paper, data=False))


def nodata_app(dist: Path) -> FastAPI:
    """An app on a build without data, served without a data folder either."""
    return viewer_app(
        dist, open_built(dist), source=PAPER_SOURCE, data_dir=None, query_isolation="thread"
    )


@pytest.fixture(scope="session")
def nodata_url(nodata_dist: Path) -> Iterator[str]:
    with live_server(nodata_app(nodata_dist)) as url:
        yield url


@pytest.fixture(scope="session")
def contexts(browser: Any) -> Iterator[dict[str, Any]]:
    """One browser context per kind of device, shared by the tests of a run: a page opened in a
    context the run made already costs Chromium about half the CPU of one in a new context (the
    HTTP cache and the compiled scripts are there). Each test still has a page of
    its own; after it, every page it opened is closed and what they stored (cookies, local
    storage) is cleared."""
    made: dict[str, Any] = {}
    yield made
    for context in made.values():
        context.close()


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else None


def _forget(context: Any, origins: set[str]) -> None:
    """Close every page of the context, after clearing what the test's pages stored in the
    origins they visited (cookies, local and session storage; the HTTP cache and the compiled
    scripts stay) with Chromium's Storage.clearDataForOrigin (Playwright's storage_state would
    open a page per origin for each test)."""
    if context.pages and origins:
        cdp = context.new_cdp_session(context.pages[0])
        try:
            for origin in sorted(origins):
                cdp.send(
                    "Storage.clearDataForOrigin",
                    {"origin": origin, "storageTypes": "cookies,local_storage,session_storage"},
                )
        finally:
            cdp.detach()
    for opened in list(context.pages):
        opened.close()


def _watched(
    contexts: dict[str, Any], request: pytest.FixtureRequest, kind: str, **options: Any
) -> Iterator[Any]:
    """A page whose JavaScript errors and content-security-policy violations fail the test."""
    context = contexts.get(kind)
    if context is None:
        browser = request.getfixturevalue("browser")
        context = contexts[kind] = browser.new_context(accept_downloads=True, **options)
        context.add_init_script(WATCH_CSP)
    pg = context.new_page()
    visited: set[str] = set()

    def note(req: Any) -> None:
        if req.is_navigation_request() and (origin := _origin(req.url)):
            visited.add(origin)

    context.on("request", note)
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    pg.set_default_timeout(20_000)
    try:
        yield pg
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=False)
    finally:
        context.remove_listener("request", note)
        _forget(context, visited)
    assert not errors, f"JavaScript errors or policy violations on the page: {errors}"


@pytest.fixture()
def page(contexts: dict[str, Any], request: pytest.FixtureRequest) -> Iterator[Any]:
    yield from _watched(contexts, request, "desktop", viewport={"width": 1440, "height": 900})


@pytest.fixture()
def phone(contexts: dict[str, Any], request: pytest.FixtureRequest) -> Iterator[Any]:
    yield from _watched(
        contexts,
        request,
        "phone",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
