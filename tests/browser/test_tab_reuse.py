"""The tab the browser tests share (tests/browser/conftest.py) keeps nothing a test stored:
cookies, local storage and session storage are gone for the next test, whether the test stayed
on one site or left it for another."""

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


@pytest.mark.parametrize("leave", [False, True], ids=["one site", "left for another site"])
def test_the_next_test_finds_nothing_stored(
    devices: dict[str, Device], request: pytest.FixtureRequest, paper_url: str, leave: bool
) -> None:
    # the same server under another name is another site (origin)
    other_site = paper_url.replace("127.0.0.1", "localhost")
    assert other_site != paper_url

    def store(tab: Any) -> None:
        tab.goto(f"{paper_url}/read")
        tab.evaluate(STORE)
        if leave:
            tab.goto(f"{other_site}/read")
            tab.evaluate(STORE)

    _one_test(devices, request, store)
    assert _stored_on(devices, request, f"{paper_url}/read") == [None, None, ""]
    if leave:
        assert _stored_on(devices, request, f"{other_site}/read") == [None, None, ""]
