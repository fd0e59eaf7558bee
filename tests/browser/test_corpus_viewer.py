"""The corpus page in Chromium: both papers' stances toward each explanation, the alignments, and
a chain across the two papers picked from the URL (no script errors, no policy violations)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.api_fixtures import live_server
from tests.browser.conftest import viewer_app
from tests.test_corpus import Pair, pair

__all__ = ["pair"]  # the fixture, imported from tests/test_corpus.py


@pytest.fixture(scope="module")
def pair_url(pair: Pair) -> Iterator[str]:
    with live_server(viewer_app(pair.dist, pair.store, query_isolation="thread")) as url:
        yield url


def test_the_corpus_page_shows_stances_alignments_and_a_chain_across_papers(
    page: Any, pair_url: str
) -> None:
    page.goto(f"{pair_url}/corpus?from=pair-a/outflow&to=pair-b/wage-b")
    page.wait_for_selector("#corpus-chains [data-chain='1']")
    row = page.locator("[data-explanation='pair-a/expl-policy']")
    assert row.locator("[data-stance='qualifies'][data-source='verdict']").count() == 1
    rejects = row.locator("[data-stance='rejects'][data-source='stance']")
    assert "并不认为政策失误是原因" in rejects.inner_text()
    assert page.locator("#corpus-alignments tr").count() == 3
    posits = row.locator("[data-role='posits']").inner_text()
    assert posits.endswith(": policy errors [pair-a]"), posits
    steps = page.locator("#corpus-chains [data-chain='1'] .step")
    assert [steps.nth(i).get_attribute("data-paper") for i in range(2)] == ["pair-a", "pair-b"]
    assert page.locator("#corpus-loops [data-loop]").count() == 1
    page.click("button[data-lang='zh']")
    page.wait_for_selector("text=各文献对每种理论解释的立场")
