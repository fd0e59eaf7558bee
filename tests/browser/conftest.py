"""Browser fixtures: the app served by uvicorn on a free port, driven by Debian's Chromium through
Playwright (from PyPI; no browser download). Without Chromium the tests skip locally and FAIL in CI."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI

from api.settings import Settings
from argraph.app import create_app
from bench.viewer import chromium
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
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    # One renderer process for the one site the tests visit, no background features, and no
    # software GL (the viewer draws on 2D canvases): in paired runs of test_web_browser and
    # test_viewer, -4.3, -3.4, -3.8 and +0.8 CPU-seconds of about 38 for the whole run.
    "--disable-features=site-per-process,IsolateOrigins,Translate,OptimizationHints,"
    "MediaRouter,PaintHolding",
    "--disable-site-isolation-trials",
    "--renderer-process-limit=1",
    "--disable-extensions",
    "--mute-audio",
    "--disable-software-rasterizer",
]


def _missing(what: str) -> None:
    message = (
        f"{what}; install it with: apt-get install -y chromium-headless-shell "
        "&& pip install playwright"
    )
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
    executable = chromium()
    if executable is None:
        chosen = os.environ.get("ARGRAPH_CHROMIUM")
        _missing(
            f"ARGRAPH_CHROMIUM={chosen} is not a file"
            if chosen
            else "Debian's chromium-headless-shell (or chromium) is not installed"
        )
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


MOTION = "reduce"
"""The devices' prefers-reduced-motion: charts are drawn once, in their final state, instead of
animating over a second of frames (about half the renderer's CPU on the evidence page);
test_charts_animate_unless_less_motion_is_asked checks both settings."""


@dataclass
class Device:
    """A kind of device (its browser context) and the tab its tests share."""

    context: Any
    viewport: dict[str, int]
    tab: Any = None


@pytest.fixture(scope="session")
def devices(browser: Any) -> Iterator[dict[str, Device]]:
    """One browser context per kind of device, and one tab in it, shared by the tests of a run.
    Measured with Chromium 156: a page loaded in a new tab costs about 1.5 CPU seconds, in a tab
    that has shown a page of the same site before about 0.5 (a context the run made already keeps
    its HTTP cache and compiled scripts too). Between tests the tab is emptied: every other page is
    closed, the cookies and local and session storage of the origins the test visited are
    cleared, and the tab goes to about:blank."""
    made: dict[str, Device] = {}
    yield made
    for device in made.values():
        device.context.close()


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else None


def _forget(device: Device, origins: set[str]) -> None:
    """Empty the device's tab for the next test: close every other page of the context, clear
    what the test's pages stored in the origins they visited (cookies, local and session
    storage; the HTTP cache and the compiled scripts stay) with Chromium's
    Storage.clearDataForOrigin (Playwright's storage_state would open a page per origin), and
    leave the tab on about:blank. A tab that cannot be emptied is closed: the next test opens
    another. (The protocol has no session storage type: its `local_storage` clears both kinds
    of DOM storage, which tests/browser/test_tab_reuse.py holds it to.)"""
    for opened in list(device.context.pages):
        if opened is not device.tab:
            opened.close()
    tab = device.tab
    if tab is None or tab.is_closed():
        device.tab = None
        return
    try:
        if origins:
            cdp = device.context.new_cdp_session(tab)
            try:
                for origin in sorted(origins):
                    cdp.send(
                        "Storage.clearDataForOrigin",
                        {"origin": origin, "storageTypes": "cookies,local_storage"},
                    )
            finally:
                cdp.detach()
        tab.goto("about:blank")
    except Exception:
        tab.close()
        device.tab = None
        raise


def _watched(
    devices: dict[str, Device],
    request: pytest.FixtureRequest,
    kind: str,
    viewport: dict[str, int],
    **options: Any,
) -> Iterator[Any]:
    """The device's tab, where JavaScript errors and content-security-policy violations fail
    the test."""
    device = devices.get(kind)
    if device is None:
        context = request.getfixturevalue("browser").new_context(
            accept_downloads=True, viewport=viewport, reduced_motion=MOTION, **options
        )
        context.add_init_script(WATCH_CSP)
        device = devices[kind] = Device(context, viewport)
    if device.tab is None:
        device.tab = device.context.new_page()
    pg = device.tab
    if pg.viewport_size != device.viewport:
        pg.set_viewport_size(device.viewport)
    visited: set[str] = set()

    def note(req: Any) -> None:
        if req.is_navigation_request() and (origin := _origin(req.url)):
            visited.add(origin)

    errors: list[str] = []

    def failed(exc: Any) -> None:
        errors.append(str(exc))

    def console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            errors.append(message.text)

    device.context.on("request", note)
    pg.on("pageerror", failed)
    pg.on("console", console)
    pg.set_default_timeout(20_000)
    try:
        yield pg
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=False)
    finally:
        device.context.remove_listener("request", note)
        pg.remove_listener("pageerror", failed)
        pg.remove_listener("console", console)
        _forget(device, visited)
    assert not errors, f"JavaScript errors or policy violations on the page: {errors}"


@contextmanager
def requests_of(page: Any) -> Iterator[list[str]]:
    """The URLs the page requests inside the block. The listener goes when the block ends: the
    tab is shared by the run's tests."""
    urls: list[str] = []

    def note(req: Any) -> None:
        urls.append(req.url)

    page.on("request", note)
    try:
        yield urls
    finally:
        page.remove_listener("request", note)


@pytest.fixture()
def page(devices: dict[str, Device], request: pytest.FixtureRequest) -> Iterator[Any]:
    yield from _watched(devices, request, "desktop", viewport={"width": 1440, "height": 900})


@pytest.fixture()
def phone(devices: dict[str, Device], request: pytest.FixtureRequest) -> Iterator[Any]:
    yield from _watched(
        devices,
        request,
        "phone",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
