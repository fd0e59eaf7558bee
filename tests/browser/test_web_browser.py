"""The reader's paths through the viewer, in a real headless Chromium: find the root cause, walk
the chain to the decline, see the vicious cycle, compare the rivals, see which policy targets which
link, check each step against its quote and data; and data never reaches the page as HTML."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from graph.build import build
from graph.iris import DEFAULT_BASE
from graph.store import open_built
from tests.api_fixtures import live_server
from tests.browser.conftest import MOTION, requests_of, viewer_app
from tests.conftest import DATA_DIR, MINI_CORPUS, MINI_SOURCE

pytestmark = pytest.mark.browser
needs_data = pytest.mark.skipif(not DATA_DIR.is_dir(), reason=f"no public data at {DATA_DIR}")

PAYLOAD = "<img src=x onerror=window.__xss=1>"


def statistics(page: Any) -> int:
    """How many statistics the graph has (the evidence page lists every one)."""
    base = page.url.split("/evidence")[0]
    count: int = page.request.get(f"{base}/api/statistics?limit=1000").json()["count"]
    return count


def wait_graph(page: Any) -> None:
    page.wait_for_function(
        "() => window.__argraph && document.getElementById('graph').dataset.ready === 'true'"
    )


def click_node(page: Any, node_id: str) -> None:
    wait_graph(page)
    pos = page.evaluate(
        """(id) => {
            const net = window.__argraph.view.network;
            net.focus(id, {scale: 1.2, animation: false});
            const d = net.canvasToDOM(net.getPositions([id])[id]);
            const r = document.querySelector('#graph canvas').getBoundingClientRect();
            return {x: r.left + d.x, y: r.top + d.y};
        }""",
        node_id,
    )
    page.mouse.click(pos["x"], pos["y"])


def test_click_a_node_and_read_its_quote(page: Any, paper_url: str) -> None:
    page.goto(f"{paper_url}/")
    click_node(page, "rust-belt")
    page.wait_for_selector("#detail[data-item='rust-belt']")
    quote = page.text_content("#detail [data-role=quote]")
    assert quote and "铁锈地带" in quote
    assert "4908" in (page.text_content("#detail [data-role=place]") or "")
    assert "铁锈地带" in (page.text_content("#detail [data-role=passage] mark") or "")
    assert "node=rust-belt" in page.url  # shareable
    # the causes listed lead on: open one, then expand its neighbourhood
    page.click("#detail [data-rel='caused_by.out'] button.linkish")
    page.wait_for_function("() => document.getElementById('detail').dataset.item !== 'rust-belt'")
    assert page.text_content("#detail [data-role=quote]")
    before = int(page.get_attribute("#graph", "data-nodes") or 0)
    assert 0 < before <= 300


def test_search_in_chinese_opens_the_item(page: Any, paper_url: str) -> None:
    page.goto(f"{paper_url}/explore")
    wait_graph(page)
    page.fill("#search", "财政锦标赛")
    page.click("#search-results button[data-item='fiscal-tournament']")
    page.wait_for_selector("#detail[data-item='fiscal-tournament']")
    assert "财政锦标赛" in (page.text_content("#detail h2") or "") + (
        page.text_content("#detail .other-lang") or ""
    )


def test_root_cause_chain_to_the_decline(page: Any, paper_url: str) -> None:
    page.goto(f"{paper_url}/chains")
    page.wait_for_selector("#from optgroup option", state="attached")
    roots = page.eval_on_selector_all(
        "#from optgroup:first-child option", "os => os.map(o => o.value)"
    )
    assert "coastal-development-strategy" in roots
    page.select_option("#from", "coastal-development-strategy")
    page.select_option("#to", "rust-belt")
    page.click("#run")
    page.wait_for_selector("#chains[data-count] .chain")
    assert int(page.get_attribute("#chains", "data-count") or 0) > 0
    first = page.locator(".chain").first
    steps = first.locator(".step")
    assert steps.count() >= 2
    assert steps.first.locator("blockquote.quote").text_content()
    first.locator("button.linkish").first.click()
    lit = page.evaluate("""() => { const v = window.__argraph.view;
        return v.edges.get().filter(e => e.width === 5).map(e => e.id); }""")
    assert len(lit) == steps.count()
    assert "from=coastal-development-strategy" in page.url and "to=rust-belt" in page.url


def test_vicious_cycle_is_drawn_as_a_reinforcing_loop(page: Any, paper_url: str) -> None:
    page.goto(f"{paper_url}/chains?loop=loop-vicious-cycle")
    card = page.locator("[data-loop='loop-vicious-cycle']")
    card.wait_for()
    assert "reinforcing" in (card.locator("[data-role=loop-kind]").text_content() or "")
    assert card.locator("canvas").count() == 1
    assert card.locator(".step blockquote").count() >= 3


def test_compare_the_rival_explanations(page: Any, paper_url: str) -> None:
    page.goto(f"{paper_url}/compare")
    page.wait_for_selector("#compare tbody tr")
    assert page.locator("#compare tbody tr").count() == 7
    assert page.locator("#compare tr.own").count() >= 1
    row = page.locator("#compare tr[data-explanation='expl-institutional']")
    row.locator("a[data-item]").first.click()
    page.wait_for_selector("#detail[data-item]")
    assert page.text_content("#detail [data-role=quote]")


def test_policy_map_shows_targets_and_gaps(page: Any, paper_url: str) -> None:
    page.goto(f"{paper_url}/policies")
    page.wait_for_selector("#groups .card")
    assert page.locator("#gaps [data-gap]").count() > 0
    policies = page.request.get(f"{paper_url}/api/view/meta").json()["counts"]["policy"]
    assert page.locator("#groups [data-policy]").count() >= policies
    page.click("#by-actor")
    page.wait_for_selector("#by-actor[aria-pressed=true]")
    assert "by=actor" in page.url


def test_evidence_charts_and_map(page: Any, paper_url: str) -> None:
    page.goto(f"{paper_url}/evidence")
    page.wait_for_selector("#map canvas")
    assert page.locator(".chart canvas").count() >= 4
    assert page.locator("#statistics tbody tr").count() == statistics(page)


def test_language_switch(page: Any, paper_url: str) -> None:
    page.goto(f"{paper_url}/explore?node=rust-belt")
    page.wait_for_selector("#detail[data-item='rust-belt']")
    page.click("button[data-lang=zh]")
    page.wait_for_function(
        "() => document.querySelector('[data-page-link=explore]').textContent === '图谱'"
    )
    page.wait_for_function(
        "() => document.querySelector('#detail h2').textContent.includes('铁锈地带')"
    )
    assert "lang=zh" in page.url
    page.goto(f"{paper_url}/compare?lang=zh")
    page.wait_for_selector("#compare th")
    assert "本文评价" in (page.text_content("#compare thead") or "")


def test_sparql_editor_runs_an_example(page: Any, paper_url: str) -> None:
    page.goto(f"{paper_url}/query")
    page.wait_for_selector("#examples button[data-query=roots]")
    page.click("#examples button[data-query=roots]")
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr td:has-text('coastal-development-strategy')", timeout=30_000)
    assert "query=" in page.url


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The mini corpus with a label that is HTML: it must show as text."""
    root = tmp_path_factory.mktemp("hostile")
    corpus = root / "mini-paper"
    shutil.copytree(MINI_CORPUS, corpus)
    intro = corpus / "01-intro.yaml"
    intro.write_text(
        intro.read_text(encoding="utf-8").replace(
            "label: {zh: 利润, en: profit}", f'label: {{zh: "{PAYLOAD}", en: "{PAYLOAD}"}}'
        ),
        encoding="utf-8",
    )
    dist = root / "dist"
    build(corpus, dist, source=MINI_SOURCE, data_dir=None, base_iri=DEFAULT_BASE, validate=False)
    app = viewer_app(dist, open_built(dist), source=MINI_SOURCE, query_isolation="thread")
    with live_server(app) as url:
        yield url


def test_html_in_data_renders_as_text(page: Any, hostile_url: str) -> None:
    page.goto(f"{hostile_url}/explore")
    wait_graph(page)
    page.fill("#search", "onerror")
    page.click("#search-results button[data-item='profit']")
    page.wait_for_selector("#detail[data-item='profit']")
    assert page.text_content("#detail h2") == PAYLOAD
    assert page.locator("#detail img, #search-results img").count() == 0
    click_node(page, "profit")
    page.click("#detail [data-rel='causes.out'] button.linkish")
    page.wait_for_function("() => document.getElementById('detail').dataset.item !== 'profit'")
    page.goto(f"{hostile_url}/chains?from=profit&to=share")
    page.wait_for_selector("#chains[data-count]")
    page.goto(f"{hostile_url}/read")
    page.wait_for_selector("#reader")
    assert page.evaluate("() => window.__xss") is None
    assert page.locator("img").count() == 0


# -- public data: charts, checks, map, language of verdicts, readable labels ---------------------

PUBLIC_SERIES = [
    "grp-index",
    "demand-potential",
    "mt-share-of-provinces",
    "machine-tool-imports-value",
]


def wait_evidence(page: Any) -> None:
    page.wait_for_selector("#app[data-ready=true]", timeout=30_000)


def test_charts_animate_unless_less_motion_is_asked(page: Any, paper_url: str) -> None:
    """A reader whose system asks for less motion (prefers-reduced-motion) gets charts drawn
    once, in their final state; anyone else gets echarts' animation."""
    animation = """() => [...document.querySelectorAll('#app .chart')]
        .map((node) => echarts.getInstanceByDom(node))
        .filter((chart) => chart).map((chart) => chart.getOption().animation)"""
    try:
        for motion, expected in (("no-preference", True), ("reduce", False)):
            page.emulate_media(reduced_motion=motion)
            page.goto(f"{paper_url}/evidence")
            wait_evidence(page)
            page.locator("#app .chart canvas").first.wait_for()
            found = page.evaluate(animation)
            assert found and all((a is not False) == expected for a in found), (motion, found)
    finally:
        page.emulate_media(reduced_motion=MOTION)  # the devices' setting, for the next test


@needs_data
def test_evidence_public_series_charts(page: Any, paper_url: str) -> None:
    with requests_of(page) as called:
        page.goto(f"{paper_url}/evidence")
        wait_evidence(page)
        for sid in PUBLIC_SERIES:
            fig = page.locator(f"#series-charts figure[data-series='{sid}']")
            fig.locator("canvas").first.wait_for()
            assert int(fig.locator(".chart").get_attribute("data-points") or 0) >= 7, sid
            caption = fig.locator("[data-role=source]").text_content() or ""
            assert ".csv" in caption and "unit" in caption, caption
            assert fig.locator("a[data-role=csv]").get_attribute("href") == (
                f"/api/data/series/{sid}?format=csv"
            )
            assert any(f"/api/data/series/{sid}" in u for u in called), sid
    growth = page.locator("figure[data-series='grp-index']").text_content() or ""
    assert "province_gdp_index.csv" in growth
    imports = page.locator("figure[data-series='machine-tool-imports-value']").text_content()
    assert "WTO" in (imports or "")
    csv = page.request.get(f"{paper_url}/api/data/series/grp-index?format=csv")
    assert csv.ok and csv.headers["content-type"].startswith("text/csv")
    # Figure 1 has no public data, and the page says so
    assert "no public data" in (page.text_content("#figure-1-note") or "")
    assert page.locator("#data-status[data-loaded=true]").count() == 1
    # the map from the data folder's boundaries, legend in both languages
    page.wait_for_selector("#map[data-source='regions.geojson'] canvas")
    assert int(page.get_attribute("#map", "data-provinces") or 0) == 31
    legend = page.text_content("#region-legend") or ""
    assert "东北" in legend and "Northeast" in legend
    assert page.locator("#region-legend li").count() == 8
    # every check with its verdict; the filter keeps one verdict
    total = page.request.get(f"{paper_url}/api/data/checks").json()["count"]
    assert page.locator("#checks-table tbody tr").count() == total
    row = page.locator("#checks-table tr[data-check='rank-2015-liaoning']")
    assert row.locator("[data-role=verdict]").first.text_content() == "reproduced"
    page.click("#checks button[data-filter='differs']")
    visible = page.locator("#checks-table tbody tr:visible")
    assert visible.count() >= 1
    assert set(visible.evaluate_all("rs => rs.map(r => r.dataset.verdict)")) == {"differs"}
    assert "verdict=differs" in page.url
    # the in-text statistics are still there
    assert page.locator("#statistics tbody tr").count() == statistics(page)


def test_evidence_without_data_says_what_is_missing(page: Any, nodata_url: str) -> None:
    page.goto(f"{nodata_url}/evidence")
    wait_evidence(page)
    status = page.locator("#data-status[data-loaded=false]")
    text = status.text_content() or ""
    assert "not loaded" in text and "argraph build --data DIR" in text
    assert "NBS" in text  # which data: the NBS tables
    assert page.locator("#series-charts").count() == 0
    assert "no public data" in (page.text_content("#figure-1-note") or "")
    # the in-text statistics and the fallback map are still shown
    assert page.locator("#charts .chart canvas").count() >= 3
    page.wait_for_selector("#map[data-source=view] canvas")
    assert page.locator("#statistics tbody tr").count() == statistics(page)
    assert page.locator("#checks-table tbody tr[data-verdict=not-checkable]").count() >= 1


@needs_data
def test_statistic_detail_shows_its_check(page: Any, paper_url: str) -> None:
    page.goto(f"{paper_url}/explore?node=stat-2015-rank-liaoning&kinds=factor,statistic")
    card = page.locator("#detail [data-role=checks] [data-check='rank-2015-liaoning']")
    card.wait_for()
    assert card.locator("[data-role=verdict]").first.text_content() == "reproduced"
    assert "1 of 31" in (card.locator("[data-role=computed]").text_content() or "")
    assert "1" in (card.locator("[data-role=paper]").text_content() or "")
    assert "Rank the provinces" in (card.locator("[data-role=recipe]").text_content() or "")
    assert "province_gdp_index.csv" in (card.locator("[data-role=inputs]").text_content() or "")
    card.locator(".chart canvas").wait_for()
    page.click("button[data-lang=zh]")
    page.wait_for_function(
        """() => { const b = document.querySelector(
            "#detail [data-check='rank-2015-liaoning'] [data-role=verdict]");
            return b && b.textContent === '复现'; }"""
    )


def test_language_switch_changes_the_comparison_verdict(page: Any, paper_url: str) -> None:
    page.goto(f"{paper_url}/compare?lang=en")
    cell = page.locator("#compare tr[data-explanation='expl-institutional'] [data-role=verdict]")
    cell.wait_for()
    assert cell.text_content() == "real problems, but surface manifestations"
    page.click("button[data-lang=zh]")
    page.wait_for_function(
        """() => document.querySelector(
            "#compare tr[data-explanation='expl-institutional'] [data-role=verdict]")
            .textContent === '真实问题但属外在表现'"""
    )
    assert "本文机制" in (page.text_content("#compare tr.own [data-role=verdict]") or "")


def test_detail_panel_shows_the_opposite_pole_and_list_order(page: Any, paper_url: str) -> None:
    page.goto(f"{paper_url}/explore?node=ne-decoupling")
    page.wait_for_selector("#detail[data-item='ne-decoupling']")
    opposite = page.locator("#detail [data-rel='oppositeOf.out']")
    assert opposite.locator("button[data-item='ne-domestic-market-linkage']").count() == 1
    heading = opposite.locator("xpath=preceding-sibling::h3[1]").text_content() or ""
    assert heading.startswith("Opposite pole") or heading.startswith("对立的一极")
    # follow it: the other pole names this one
    opposite.locator("button.linkish").first.click()
    page.wait_for_selector("#detail[data-item='ne-domestic-market-linkage']")
    back = page.locator("#detail [data-rel='oppositeOf.out'] button[data-item='ne-decoupling']")
    assert back.count() == 1
    # an enumeration lists its elements numbered, in the paper's order
    page.goto(f"{paper_url}/explore?node=enum-opening-timeline")
    page.wait_for_selector("#detail[data-item='enum-opening-timeline']")
    items = page.locator("#detail [data-rel='element.out'] li")
    assert items.count() == 3
    positions = page.locator("#detail [data-rel='element.out'] [data-role=position]")
    assert [p.strip() for p in positions.all_text_contents()] == ["1.", "2.", "3."]
