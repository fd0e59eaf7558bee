"""The reader's questions in corpus/liu-tong-2021/queries/reader-*.rq, each answered from the graph alone."""

from __future__ import annotations

from pathlib import Path

from graph.results import SelectResult
from graph.store import OxigraphStore

QUERIES = Path(__file__).parent.parent / "corpus" / "liu-tong-2021" / "queries"
ID = "https://w3id.org/argraph/id/liu-tong-2021/"


def run(store: OxigraphStore, name: str) -> list[dict[str, str]]:
    result = store.query((QUERIES / name).read_text(encoding="utf-8"))
    assert isinstance(result, SelectResult)
    return [{k: t.value for k, t in row.items()} for row in result.rows]


def test_vicious_cycle_steps(paper_store: OxigraphStore) -> None:
    rows = run(paper_store, "reader-vicious-cycle.rq")
    assert [r["position"] for r in rows] == ["1", "2", "3", "4", "5"]
    causes = [r["cause"] for r in rows]
    assert causes == [
        "the domestic market share of Northeast industrial products",
        "Northeast industrial firms' profitability",
        "Northeast firms' R&D spending",
        "Northeast firms' capacity to innovate",
        "competitiveness of Northeast industrial products",
    ]
    assert rows[-1]["effect"] == causes[0]  # the loop closes
    assert {r["loopPolarity"] for r in rows} == {"reinforcing"}
    assert all("——" in r["quote"] for r in rows)


def test_rival_explanations_and_their_references(paper_store: OxigraphStore) -> None:
    rows = run(paper_store, "reader-rival-explanations.rq")
    refs = {r["family"]: {int(n) for n in r.get("references", "").split(",") if n} for r in rows}
    assert refs == {
        "institutional": {1, 2},
        "cultural": {3},
        "structural": {4, 5, 6},
        "technological": {7, 8},
        "population-outflow": set(),
        "development-environment": set(),
        "decoupling": {9, 10},
    }
    verdicts = {r["family"]: r["verdict"] for r in rows}
    assert verdicts.pop("decoupling") == "the paper's own mechanism"
    assert set(verdicts.values()) == {"real problems, but surface manifestations"}
    assert {r["name"] for r in rows} >= {
        "制度说",
        "文化说",
        "结构说",
        "技术水平说",
        "人口外流说",
        "发展环境说",
    }


def test_policies_targeting_market_segmentation(paper_store: OxigraphStore) -> None:
    rows = run(paper_store, "reader-policies-on-market-segmentation.rq")
    how = {r["policy"].removeprefix(ID): r["how"] for r in rows}
    assert how["s4-p-step1-trade-barriers"] == "targets it"
    assert how["s4-p-unified-market"] == "builds its opposite"
    assert how["s4-p-opening-sequence"] == "strengthens a factor that reduces it"
    direct = [r for r in rows if r["how"] == "targets it"]
    assert direct and all(r["aim"] == "weaken" for r in direct)
    # the orderly market strengthens the market mechanism and weakens segmentation: one aim each
    assert ("s4-p-orderly-market", "targets it", "weaken") in {
        (r["policy"].removeprefix(ID), r["how"], r["aim"]) for r in rows
    }


def test_planned_era_figures(paper_store: OxigraphStore) -> None:
    rows = run(paper_store, "reader-planned-era-figures.rq")
    values = {float(r["value"]) for r in rows}
    assert {42, 71.4, 156, 34.6, 35, 50, 70, 60, 3252, 80, 75, 25, 95, 1086} <= values
    periods = {r.get("period") for r in rows}
    assert periods == {None, "1952-1977", "1949-1985"}  # only the periods the text states


def test_claims_citing_reference_9(paper_store: OxigraphStore) -> None:
    rows = run(paper_store, "reader-claims-citing-9.rq")
    assert [(r["claim"].removeprefix(ID), r["pages"]) for r in rows] == [
        ("c-mech-coast-opened-first", "21-33")
    ]


def test_policy_instruments_and_targets(paper_store: OxigraphStore) -> None:
    rows = run(paper_store, "reader-policy-instruments.rq")
    pairs = {(r["policy"].removeprefix(ID), r["target"]) for r in rows}
    assert ("s4-p-soe-reform", "Northeast firms' capacity to innovate") in pairs
    assert ("s4-p-hidden-champions", "industrial division of labour and specialisation") in pairs
    # An instrument is never also its own policy's target.
    instruments = {(r["policy"], r["instrument"]) for r in rows}
    assert not {(r["policy"], r["target"]) for r in rows} & instruments


def test_enumerations_keep_the_papers_order(paper_store: OxigraphStore) -> None:
    rows = run(paper_store, "reader-enumerations.rq")
    sets: dict[str, list[str]] = {}
    for r in rows:
        sets.setdefault(r["set"].removeprefix(ID), []).append(r["member"].removeprefix(ID))
    assert sets["s4-enum-three-pillar-classes"] == [
        "s4-c-class1-definition",
        "s4-c-class2-competitive",
        "s4-c-class3-key",
    ]
    assert sets["s2-enum-substitution-effects"] == ["indirect-substitution", "direct-substitution"]
    assert sets["s4-enum-gvc-routes"] == ["s4-p-bring-in", "s4-p-go-out"]
    assert sets["enum-opening-timeline"] == [
        "s2-e-coastal-strategy-1988",
        "s2-e-southern-tour-1992",
        "s2-e-wto-accession-2001",
    ]
    ordered = {r["set"].removeprefix(ID) for r in rows if r["ordered"] == "true"}
    assert "s4-enum-easy-first-hard-later" in ordered
    assert "s2-enum-substitution-effects" not in ordered


def test_relations_of_meaning_are_not_causal_links(paper_store: OxigraphStore) -> None:
    rows = run(paper_store, "reader-meaning-not-cause.rq")
    found = {(r["a"].removeprefix(ID), r["relation"], r["b"].removeprefix(ID)) for r in rows}
    assert ("ne-decoupling", "opposite pole", "ne-domestic-market-linkage") in found
    assert ("ne-industrial-decline", "indicator of", "rust-belt") in found
    # Opposite poles and indicators are never also joined by an (inferred) causal link.
    assert not [
        r
        for r in rows
        if r["relation"] in {"opposite pole", "indicator of"} and r["alsoCausal"] == "true"
    ]


def test_policies_that_target_a_link(paper_store: OxigraphStore) -> None:
    rows = run(paper_store, "reader-policy-link-targets.rq")
    found = {(r["policy"].removeprefix(ID), r["link"].removeprefix(ID), r["aim"]) for r in rows}
    assert ("s4-p-service-government", "s4-l-omnipotent-market", "break") in found
    assert ("s4-p-bring-in", "s3-l-fdi-global-integration", "strengthen") in found
    service = next(r for r in rows if r["policy"].endswith("s4-p-service-government"))
    assert service["linkQuote"] == "全能型政府抑制市场发育"
    assert all(r["aim"] in {"break", "weaken", "strengthen", "create"} for r in rows)


def test_every_posited_factor_says_whose_reading_it_is(paper_store: OxigraphStore) -> None:
    rows = run(paper_store, "reader-posit-basis.rq")
    assert {r["basis"] for r in rows} == {"stated", "inferred"}
    assert all(r.get("quote") for r in rows if r["basis"] == "stated")
    assert all(r.get("why") and not r.get("quote") for r in rows if r["basis"] == "inferred")
    outflow = [r for r in rows if r["explanation"] == "population-outflow"]
    assert [(r["basis"], r["quote"]) for r in outflow] == [("stated", "人口外流说")]
    assert {r["basis"] for r in rows if r["explanation"] == "decoupling"} == {"stated"}
