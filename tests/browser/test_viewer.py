"""The viewer's second edition in a real headless Chromium: a first screen that explains, focus
mode with shareable URLs, full English beside the Chinese, the reader beside the text, small
screens and keyboards, exports, and every page under the content security policy."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import requests_of
from tests.browser.test_web_browser import wait_graph

pytestmark = pytest.mark.browser

PAGES = ["/", "/explore", "/chains", "/compare", "/policies", "/evidence", "/read", "/query"]


def positions(page: Any) -> dict[str, tuple[float, float]]:
    found: dict[str, dict[str, float]] = page.evaluate(
        "() => window.__argraph.view.network.getPositions()"
    )
    return {k: (round(v["x"], 1), round(v["y"], 1)) for k, v in found.items()}


def test_first_screen_explains_the_paper(page: Any, paper_url: str) -> None:
    doc = page.request.get(f"{paper_url}/api/view/document").json()
    page.goto(f"{paper_url}/")
    wait_graph(page)
    assert page.locator("h1").count() == 1
    assert page.text_content("h1") == doc["title"]["en"]
    assert "LIU Zhi-biao" in (page.text_content("#authors") or "")
    assert (page.text_content("#summary") or "").startswith(doc["abstract"]["en"][:40])
    nodes = int(page.get_attribute("#graph", "data-nodes") or 0)
    assert 15 <= nodes <= 40
    # readable without zooming: the whole drawing fits at a scale near 1
    assert page.evaluate("() => window.__argraph.view.network.getScale()") > 0.6
    # the node list is the same drawing as text, every node a button
    assert page.locator("#node-list button[data-item]").count() == nodes
    groups = page.eval_on_selector_all("#node-list ul", "us => us.map(u => u.dataset.group)")
    for role in ("root", "cycle", "outcome", "rival", "policy"):
        assert f"role.{role}" in groups, groups
    # every node opens its detail and its neighbourhood; everything is one click away
    page.locator("#node-list [data-group='role.outcome'] button").first.click()
    page.wait_for_selector("#detail[data-item] [data-role=quote]")
    assert int(page.get_attribute("#graph", "data-nodes") or 0) > nodes
    page.click("#show-all")
    page.wait_for_selector("#graph[data-view=all][data-ready=true]")
    assert "view=all" in page.url
    assert int(page.get_attribute("#graph", "data-nodes") or 0) > 40


def test_two_loads_draw_the_same_picture(page: Any, paper_url: str) -> None:
    page.goto(f"{paper_url}/")
    wait_graph(page)
    first = positions(page)
    page.reload()
    wait_graph(page)
    assert positions(page) == first
    served = page.request.get(f"{paper_url}/api/view/argument").json()["nodes"]
    assert set(first) == {n["id"] for n in served}
    for n in served:  # vis-network reports whole pixels
        x, y = first[n["id"]]
        assert abs(x - n["x"]) <= 1 and abs(y - n["y"]) <= 1, n["id"]


def test_a_shared_focus_url_reopens_the_same_focus(page: Any, paper_url: str) -> None:
    page.goto(f"{paper_url}/")
    wait_graph(page)
    # keyboard: into the node list, down one, Enter
    page.locator("#node-list button[tabindex='0']").focus()
    page.keyboard.press("ArrowDown")
    chosen = page.evaluate("() => document.activeElement.dataset.item")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#graph[data-focus='{chosen}']")
    page.wait_for_selector(f"#detail[data-item='{chosen}']")
    page.select_option("#depth", "2")
    page.wait_for_function("() => location.search.includes('depth=2')")
    page.wait_for_selector("#graph[data-depth='2']")  # the depth-2 neighbourhood is drawn
    page.wait_for_function(
        f"() => document.getElementById('detail').dataset.item === '{chosen}'"
        " && document.getElementById('graph').dataset.focus"
    )
    # the rest is faded, nodes and labels; the focus and its neighbours are not
    faded = page.evaluate(
        """() => window.__argraph.view.nodes.get().filter(n => n.opacity < 1)
            .map(n => n.font && n.font.color)"""
    )
    assert faded and all(c and c.startswith("rgba") for c in faded)
    box = page.locator("#graph canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -300)
    page.wait_for_function("() => location.search.includes('zoom=')")
    page.click("#copy-link")
    page.wait_for_function("() => document.getElementById('copy-status').dataset.href")
    shared = page.get_attribute("#copy-status", "data-href")
    assert shared == page.url and f"node={chosen}" in shared and "lang=en" in shared
    state = page.evaluate(
        """() => { const v = window.__argraph.view; return {
            lit: v.focused.nodes.slice().sort(), scale: v.network.getScale(),
            at: v.network.getViewPosition()}; }"""
    )
    expected = positions(page)
    # another reader: a second tab (its session storage its own) with the site's cookies and
    # local storage (the language) cleared, so that only the link can restore the view; the
    # compiled scripts stay
    other = page.context.new_page()
    errors: list[str] = []
    other.on("pageerror", lambda exc: errors.append(str(exc)))
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(paper_url))
    cdp = page.context.new_cdp_session(other)
    try:
        cdp.send(
            "Storage.clearDataForOrigin",
            {"origin": origin, "storageTypes": "cookies,local_storage"},
        )
    finally:
        cdp.detach()
    try:
        other.goto(shared)
        other.wait_for_selector(f"#detail[data-item='{chosen}']")
        other.wait_for_selector(f"#graph[data-focus='{chosen}']")
        again = other.evaluate(
            """() => { const v = window.__argraph.view; return {
                lit: v.focused.nodes.slice().sort(), scale: v.network.getScale(),
                at: v.network.getViewPosition()}; }"""
        )
        assert again["lit"] == state["lit"]
        assert abs(again["scale"] - state["scale"]) < 0.011
        assert abs(again["at"]["x"] - state["at"]["x"]) < 2
        assert abs(again["at"]["y"] - state["at"]["y"]) < 2
        assert positions(other) == expected
        assert other.evaluate("() => window.__csp") == [] and not errors
    finally:
        other.close()
    # Back leaves the focus (the node is no longer in the URL)
    page.click("#close-detail")
    page.wait_for_function("() => !document.getElementById('graph').dataset.focus")
    assert "node=" not in page.url


def test_english_detail_shows_english_beside_the_quote(page: Any, paper_url: str) -> None:
    item = page.request.get(f"{paper_url}/api/view/item/c-mech-rust-belt").json()
    page.goto(f"{paper_url}/explore?node=c-mech-rust-belt")
    page.wait_for_selector("#detail[data-item='c-mech-rust-belt'] [data-role=quote-en]")
    assert page.text_content("#detail [data-role=quote]") == item["quote"]
    assert page.text_content("#detail [data-role=quote-en]") == item["label"]["en"]
    first = page.eval_on_selector("#detail .bi", "b => b.firstElementChild.dataset.role")
    assert first == "quote-en"  # English first for an English reader
    page.click("button[data-lang=zh]")
    page.wait_for_function(
        "() => document.querySelector('#detail .bi').firstElementChild.dataset.role === 'quote'"
    )
    # English beside the Chinese on the other pages too
    for path, where in [
        ("/chains?loop=loop-vicious-cycle", "[data-loop] .step"),
        ("/compare", "#compare [data-role=verdict] ~ .bi"),
        ("/policies", "#groups [data-policy]"),
    ]:
        page.goto(f"{paper_url}{path}{'&' if '?' in path else '?'}lang=en")
        page.wait_for_selector(f"{where} [data-role=quote-en]")
        assert page.locator(f"{where} [data-role=quote-en]").count() >= 1, path


def test_every_string_switches_language_at_once(page: Any, paper_url: str) -> None:
    doc = page.request.get(f"{paper_url}/api/view/document").json()
    page.goto(f"{paper_url}/")
    wait_graph(page)
    page.evaluate("() => { window.__kept = true; }")
    page.click("button[data-lang=zh]")
    page.wait_for_function(
        f"() => document.querySelector('h1').textContent === {doc['title']['zh']!r}"
    )
    assert page.evaluate("() => window.__kept") is True  # no reload
    assert page.text_content("#show-all") == "显示全部"
    assert "因素" in (page.text_content("#legend") or "")
    assert "本视图中的节点" in (page.text_content("#node-list h2") or "")
    assert (
        page.get_attribute(
            "#search",
            "placeholder",
        )
        == "搜索（中文 / English）"
    )
    assert page.evaluate("() => document.documentElement.lang") == "zh-CN"
    page.goto(f"{paper_url}/chains?loop=loop-vicious-cycle")
    card = page.locator("[data-loop='loop-vicious-cycle']")
    card.wait_for()
    page.click("button[data-lang=zh]")
    page.wait_for_function(
        "() => (document.querySelector(\"[data-loop='loop-vicious-cycle']\") || {}).textContent"
        "?.includes('个环节')"
    )
    page.goto(f"{paper_url}/policies")
    page.wait_for_selector("#groups [data-policy]")
    page.click("button[data-lang=zh]")
    page.wait_for_function(
        "() => /目的: [\\u4e00-\\u9fff]/.test((document.getElementById('groups') || {}).textContent)"
    )


def test_reader_opens_items_beside_the_text(page: Any, paper_url: str) -> None:
    page.goto(f"{paper_url}/read")
    page.wait_for_selector("#reader a.span")
    text = page.text_content("#reader") or ""
    assert "###" not in text and "<sup>" not in text and "**" not in text
    assert page.locator("#reader h2, #reader h3, #reader h4").count() >= 4
    assert page.locator("#reader sup").count() >= 10
    ids = page.eval_on_selector_all("#reader > [id]", "ps => ps.map(p => p.id)")
    assert ids and all(re.fullmatch(r"c\d+", i) for i in ids)
    assert page.locator("#reader a.para-link").count() == len(ids)
    # every anchored item can be opened: the ones whose span lies under narrower spans too
    anchored = page.eval_on_selector_all(
        "#reader a.span", "as => [...new Set(as.flatMap(a => a.dataset.items.split(' ')))]"
    )
    assert len(anchored) > 500
    # a click opens the narrowest item of the place in the side panel, on the same page; rust-belt
    # is anchored under narrower spans (an explanation's), so it opens from the list of the place
    span = page.locator("#reader a.span[data-items~='rust-belt']").first
    span.scroll_into_view_if_needed()
    y = page.evaluate("() => window.scrollY")
    assert y > 1000
    first = span.get_attribute("data-item")
    assert first != "rust-belt"
    span.click()
    page.wait_for_selector(f"#detail[data-item='{first}']:not([hidden])")
    page.click("#here-too button[data-item='rust-belt']")
    page.wait_for_selector("#detail[data-item='rust-belt']:not([hidden])")
    assert "/read?" in page.url and "item=rust-belt" in page.url
    assert page.locator("#detail [data-role=quote-en]").count() == 1
    assert page.locator(f"#here-too button[data-item='{first}']").count() == 1
    assert abs(page.evaluate("() => window.scrollY") - y) < 5
    # tooltips name every item of the place in both languages
    title = span.get_attribute("title") or ""
    assert "rust belt" in title and "铁锈地带" in title
    # Back returns to the item opened first, then closes the panel, and keeps the place
    page.go_back()
    page.wait_for_selector(f"#detail[data-item='{first}']:not([hidden])")
    page.go_back()
    page.wait_for_selector("#detail[hidden]", state="attached")
    assert abs(page.evaluate("() => window.scrollY") - y) < 5
    # a passage's own link lands on it
    target = ids[len(ids) // 2]
    page.goto(f"{paper_url}/read#{target}")
    page.wait_for_selector("#reader a.span")
    page.wait_for_function(
        f"() => Math.abs(document.getElementById('{target}').getBoundingClientRect().top) < 40"
    )
    # the legend filters highlights by kind
    page.uncheck("#hl-claim")
    assert page.locator("#reader a.span.k-claim:not(.hide)").count() == 0
    assert page.locator("#reader a.span.k-factor:not(.hide)").count() > 0
    page.check("#hl-claim")
    assert page.locator("#reader a.span.k-claim.hide").count() == 0


def test_search_everywhere_with_typos_and_keyboard(page: Any, paper_url: str) -> None:
    page.goto(f"{paper_url}/compare")
    page.wait_for_selector("#compare tbody tr")
    page.fill("#search", "segmentaton")
    page.wait_for_selector("#search-results button[data-item='market-segmentation']")
    page.focus("#search")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    buttons = page.locator("#search-results button")
    assert buttons.count() >= 2
    assert page.evaluate(
        "() => document.activeElement === document.querySelectorAll('#search-results button')[1]"
    )
    page.keyboard.press("ArrowUp")
    focused = page.evaluate("() => document.activeElement.dataset.item")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/explore\?node={re.escape(focused)}"))
    page.wait_for_selector(f"#detail[data-item='{focused}']")
    page.fill("#search", "铁锈 地带")
    page.wait_for_selector("#search-results button[data-item='rust-belt']")


def test_every_page_fits_a_phone_and_works_by_keyboard(phone: Any, paper_url: str) -> None:
    """Each page, loaded once on a phone: no horizontal scroll, one h1, the skip link first (the
    first Tab reaches it), every input labelled, no policy violation. (The keyboard and label
    checks hold on any screen: the pages' markup does not depend on its size; their desktop
    layout is what every other test here drives.)"""
    for path in PAGES:
        phone.goto(f"{paper_url}{path}")
        phone.wait_for_selector("#app > *")
        if path == "/query":
            phone.wait_for_selector(".yasqe textarea", state="attached")
        phone.wait_for_timeout(300)
        width = phone.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
        assert phone.locator("h1").count() == 1, path
        # the skip link comes first: the first Tab reaches it (unless an editor took the focus)
        assert phone.evaluate("() => document.body.firstElementChild.className") == "skip"
        if phone.evaluate("() => document.activeElement === document.body"):
            phone.keyboard.press("Tab")
            assert phone.evaluate("() => document.activeElement.className") == "skip", path
            phone.keyboard.press("Enter")
            assert phone.evaluate("() => location.hash") == "#main", path
        unlabelled = phone.evaluate(
            """() => [...document.querySelectorAll('input, select, textarea')]
                .filter(i => i.type !== 'hidden' && !(i.labels && i.labels.length)
                    && !i.getAttribute('aria-label') && !i.getAttribute('aria-labelledby'))
                .map(i => i.outerHTML.slice(0, 80))"""
        )
        assert not unlabelled, (path, unlabelled)
        assert phone.evaluate("() => window.__csp") == [], path
    icon = phone.request.get(f"{paper_url}/favicon.ico")
    assert icon.ok and icon.headers["content-type"].startswith("image/svg")


def test_export_the_view(page: Any, paper_url: str) -> None:
    page.goto(f"{paper_url}/")
    wait_graph(page)
    with page.expect_download() as png:
        page.click("#export-png")
    data = Path(png.value.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000
    with page.expect_download() as svg:
        page.click("#export-svg")
    text = Path(svg.value.path()).read_text(encoding="utf-8")
    nodes = int(page.get_attribute("#graph", "data-nodes") or 0)
    assert text.startswith("<svg") and text.count('class="node"') == nodes
    assert text.count('class="edge"') >= nodes - 5
    page.click("#exports summary")
    hrefs = page.eval_on_selector_all(
        "#exports a[data-export]", "as => as.map(a => a.getAttribute('href'))"
    )
    assert {
        "/api/export/aif",
        "/api/export/argdown",
        "/api/export/graphml",
        "/api/export/cytoscape",
    } <= set(hrefs)
    assert page.request.get(f"{paper_url}/api/export/graphml").ok
    page.goto(f"{paper_url}/compare")
    page.wait_for_selector("#exports a[data-export='comparison-csv']", state="attached")


def test_pages_load_only_their_libraries(page: Any, paper_url: str) -> None:
    with requests_of(page) as loaded:
        page.goto(f"{paper_url}/compare")
        page.wait_for_selector("#compare tbody tr")
        assert not [u for u in loaded if "/vendor/" in u], loaded
        loaded.clear()
        page.goto(f"{paper_url}/")
        wait_graph(page)
        assert not [u for u in loaded if "echarts" in u or "yasgui" in u]
