"""Policies and posits as the graph now encodes them, in Chromium: each target of a recommendation
with its own aim (our readings marked, a link target drawn as cause -> effect), the detail pane's
qualified targets and posits, and the cross-paper page reached from the viewer's navigation (no
script errors, no policy violations: the `page` fixture fails on either)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_policy_map_shows_each_targets_aim(page: Any, paper_url: str) -> None:
    page.goto(f"{paper_url}/policies")
    page.wait_for_selector("#groups .card")
    # a recommendation whose targets have different aims: each target shows its own
    card = page.locator("#groups li[data-policy='s4-p-service-government']").first
    factor = card.locator("[data-target='market-mechanism']")
    assert factor.get_attribute("data-aim") == "Strengthen"
    assert factor.locator("[data-role=aim]").inner_text() == "strengthen"
    link = card.locator("[data-target='s4-l-omnipotent-market']")
    assert link.locator("[data-role=aim]").inner_text() == "break"
    # a link target reads as the relation: cause -> effect, with its polarity
    relation = link.inner_text()
    assert "→" in relation and "all-encompassing (omnipotent) government" in relation
    assert link.locator(".badge.decreases").count() == 1
    assert "aims differ by target" in card.inner_text()
    # our reading of a policy's words is marked on the target
    inferred = page.locator(
        "#groups li[data-policy='s4-p-classified-industrial-policy'] [data-target='rust-belt']"
    ).first
    assert inferred.locator("[data-role=inferred]").count() == 1
    # in Chinese, the aims come from the graph's labels
    page.click("button[data-lang=zh]")
    page.wait_for_function(
        """() => document.querySelector(
            "#groups li[data-policy='s4-p-service-government'] [data-target='s4-l-omnipotent-market']"
            + " [data-role=aim]").textContent === '切断'"""
    )


def test_detail_pane_shows_targets_with_aims_and_posits_with_basis(
    page: Any, paper_url: str
) -> None:
    page.goto(f"{paper_url}/explore?node=s4-p-service-government")
    page.wait_for_selector("#detail[data-item='s4-p-service-government']")
    targets = page.locator("#detail [data-rel='targets.out']")
    link = targets.locator("li", has=page.locator("button[data-item='s4-l-omnipotent-market']"))
    assert link.locator("[data-role=aim]").inner_text() == "break"
    assert link.locator("[data-role=basis]").inner_text() == "stated"
    assert "→" in link.locator("[data-role=relation]").inner_text()
    page.goto(f"{paper_url}/explore?node=expl-decoupling")
    page.wait_for_selector("#detail[data-item='expl-decoupling']")
    posit = page.locator(
        "#detail [data-rel='posits.out'] li", has=page.locator("button[data-item='ne-decoupling']")
    )
    assert posit.locator("[data-role=basis]").inner_text() == "stated"
    assert "造成东北形成脱离国内经济循环" in posit.locator("[data-role=basis-quote]").inner_text()
    # no relation heading falls back to its raw key
    headings = page.locator("#detail h3").all_text_contents()
    assert not [h for h in headings if h.startswith("rel.")], headings


def test_the_corpus_page_is_in_the_navigation(page: Any, paper_url: str) -> None:
    page.goto(f"{paper_url}/policies")
    nav = page.locator("nav[aria-label=pages] a[data-page-link='corpus']")
    assert nav.count() == 1 and nav.inner_text() == "Papers compared"
    nav.click()
    page.wait_for_url("**/corpus**")
    page.wait_for_selector("#app > *")
    assert page.locator("[data-page-link='corpus'][aria-current=page]").count() == 1
    assert page.locator("h1").inner_text().startswith("Papers compared")
    page.click("button[data-lang=zh]")
    page.wait_for_function(
        "() => document.querySelector('[data-page-link=corpus]').textContent === '文献比较'"
    )
