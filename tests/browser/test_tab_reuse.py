"""The tab the browser tests share (tests/browser/conftest.py) keeps nothing a test stored:
cookies, local storage and session storage are gone for the next test, on every site (origin)
the test visited."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Device, _watched

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1440, "height": 900}
STORE = "() => { sessionStorage.setItem('t', '1'); localStorage.setItem('t', '1'); document.cookie = 't=1; path=/'; }"
STORED = "() => [sessionStorage.getItem('t'), localStorage.getItem('t'), document.cookie]"


def _one_test(devices: dict[str, Device], request: pytest.FixtureRequest, body: Any) -> None:
    """`body(tab)` run as a test with the shared tab, then the tab emptied as after any test."""
    tab_of_test = _watched(devices, request, "desktop", viewport=DESKTOP)
    body(next(tab_of_test))
    with pytest.raises(StopIteration):
        next(tab_of_test)


def _stored_on(devices: dict[str, Device], request: pytest.FixtureRequest, url: str) -> Any:
    seen: list[Any] = []

    def look(tab: Any) -> None:
        tab.goto(url)
        seen.append(tab.evaluate(STORED))

    _one_test(devices, request, look)
    return seen[0]


def test_the_next_test_finds_nothing_stored_on_any_site_it_visited(
    devices: dict[str, Device], request: pytest.FixtureRequest, paper_url: str
) -> None:
    # the same server under another name is another site (origin)
    other_site = paper_url.replace("127.0.0.1", "localhost")
    assert other_site != paper_url

    def store(tab: Any) -> None:
        for site in (paper_url, other_site):
            tab.goto(f"{site}/read")
            tab.evaluate(STORE)

    _one_test(devices, request, store)
    for site in (paper_url, other_site):
        assert _stored_on(devices, request, f"{site}/read") == [None, None, ""], site
