"""The viewer over two papers in a real headless Chromium: the second paper's pages draw, read
and link within that paper (its `?paper=` goes with every call and every link)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from graph.store import open_built
from tests.api_fixtures import live_server
from tests.browser.conftest import viewer_app
from tests.browser.test_web_browser import wait_graph
from tests.conftest import Built
from tests.second_paper_fixtures import two_papers

pytestmark = pytest.mark.browser

SECOND = "wang-zhao-2022"


@pytest.fixture(scope="module")
def two_url(tmp_path_factory: pytest.TempPathFactory, built_paper: Built) -> Iterator[str]:
    both = two_papers(tmp_path_factory, built_paper.dist)
    settings = both.settings(query_isolation="thread")
    app = viewer_app(
        both.dist,
        open_built(both.dist),
        corpus=settings.corpus,
        source=settings.source,
        data_dir=settings.data_dir,
        query_isolation="thread",
    )
    with live_server(app) as url:
        yield url


def test_the_second_papers_first_screen_and_links(page: Any, two_url: str) -> None:
    doc = page.request.get(f"{two_url}/api/view/document?paper={SECOND}").json()
    page.goto(f"{two_url}/?paper={SECOND}")
    wait_graph(page)
    assert page.text_content("h1") == doc["title"]["en"]
    assert "WANG Wu" in (page.text_content("#authors") or "")
    drawn = page.eval_on_selector_all(
        "#node-list button[data-item]", "bs => bs.map(b => b.dataset.item)"
    )
    assert {"business-environment", "loop-decline", "city-decline"} <= set(drawn), drawn
    # the node opens the second paper's item, from the second paper's text
    page.locator("#node-list button[data-item='city-decline']").click()
    page.wait_for_selector("#detail[data-item='city-decline'] [data-role=quote]")
    assert "乙市的衰退" in (page.text_content("#detail") or "")
    # every link to another page stays with the paper; the header names both papers
    for name in ("chains", "compare", "read"):
        href = page.get_attribute(f"[data-page-link={name}]", "href") or ""
        assert f"paper={SECOND}" in href, (name, href)
    assert page.locator("nav.papers a[data-paper-link]").count() == 2
    assert page.get_attribute(f"nav.papers a[data-paper-link='{SECOND}']", "aria-current") == "true"


def test_the_second_papers_loop_and_reader(page: Any, two_url: str) -> None:
    page.goto(f"{two_url}/chains?paper={SECOND}&loop=loop-decline")
    page.wait_for_selector("[data-loop] .step")
    assert "高技能岗位减少使青年人才外流" in (page.text_content("[data-loop]") or "")
    page.goto(f"{two_url}/read?paper={SECOND}")
    page.wait_for_selector("#reader a.span[data-item='l-jobs-talent']")
    text = page.text_content("#reader") or ""
    assert "营商环境欠佳抑制了民营企业的成长" in text
    assert "双循环" not in text  # the first paper's text is not this one
    page.locator("#reader a.span[data-item='l-jobs-talent']").first.click()
    page.wait_for_selector("#detail[data-item='l-jobs-talent']:not([hidden])")
    assert f"paper={SECOND}" in page.url
