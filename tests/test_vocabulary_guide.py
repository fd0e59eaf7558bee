"""docs/vocabulary.md: every reader question's query runs on the built paper and gives the answer
the guide states; every predicate the field table names is in the ontology or used in the graph."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from graph.namespaces import PREFIXES
from graph.results import SelectResult
from graph.store import OxigraphStore

GUIDE = Path(__file__).parent.parent / "docs" / "vocabulary.md"
ID = "https://w3id.org/argraph/id/liu-tong-2021/"
Rows = list[dict[str, str]]


def questions() -> dict[str, str]:
    text = GUIDE.read_text(encoding="utf-8")
    found = re.findall(r"^### (Q\d+)\. .*?\n```sparql\n(.*?)```", text, flags=re.M | re.S)
    return dict(found)


def run(store: OxigraphStore, query: str) -> Rows:
    result = store.query(query)
    assert isinstance(result, SelectResult)
    return [{k: t.value for k, t in row.items()} for row in result.rows]


def short(iri: str) -> str:
    return iri.removeprefix(ID)


def q1(rows: Rows) -> None:
    assert [r["position"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert rows[0]["cause"] == rows[-1]["effect"]
    assert {r["polarity"] for r in rows} == {"reinforcing"}


def q2(rows: Rows) -> None:
    basis: dict[str, dict[str, int]] = {}
    for r in rows:
        basis.setdefault(r["explanation"], {})[r["basis"]] = int(r["factors"])
    assert len(basis) == 7
    assert basis["decoupling"] == {"stated": 21}
    assert basis["population-outflow"] == {"stated": 1}
    assert basis["structural"] == {"inferred": 1}
    assert all(set(b) <= {"stated", "inferred"} for b in basis.values())


def q3(rows: Rows) -> None:
    links = {short(r["link"]) for r in rows}
    assert "l-uneven-opening-coast-embedding" in links
    assert all(r["why"] for r in rows)


def q4(rows: Rows) -> None:
    counts = {short(r["link"]): int(r["statements"]) for r in rows}
    assert counts["s3-l-opening-regional-market"] == 3
    assert counts["s3-l-fdi-global-integration"] == 2
    fdi = next(r for r in rows if short(r["link"]) == "s3-l-fdi-global-integration")
    assert {short(c) for c in fdi["claims"].split()} >= {
        "s3-c-demand-attracts-fdi",
        "s4-c-two-routes-gvc",
    }


def q5(rows: Rows) -> None:
    pairs = {(short(r["a"]), r["relation"], short(r["b"])) for r in rows}
    assert ("ne-decoupling", "oppositeOf", "ne-domestic-market-linkage") in pairs
    assert ("unified-regional-market", "oppositeOf", "market-segmentation") in pairs
    assert ("population-outflow", "indicatorOf", "rust-belt") in pairs


def q6(rows: Rows) -> None:
    by_policy: dict[str, set[str]] = {}
    for r in rows:
        by_policy.setdefault(short(r["policy"]), set()).add(r["target"])
    assert (
        "domestic demand for, and use of, Northeast-made major equipment"
        in (by_policy["s4-p-subsidise-users"])
    )
    assert by_policy["s4-p-soe-reform"] == {"Northeast firms' capacity to innovate"}
    assert all(r["aim"] in {"strengthen", "weaken", "create", "break"} for r in rows)


def q7(rows: Rows) -> None:
    assert [short(r["step"]) for r in rows] == [
        "s4-p-step1-trade-barriers",
        "s4-p-step2-capital-market",
        "s4-p-step3-hukou",
    ]
    assert [r["quote"][:2] for r in rows] == ["首先", "其次", "再者"]


def q8(rows: Rows) -> None:
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)
    assert {"1988", "1992", "2001", "2015"} <= set(dates)
    assert not any(d.startswith("2020") for d in dates)  # the text dates no plenum
    assert "event-fifth-plenum" not in {short(r["event"]) for r in rows}
    timeline = [r for r in rows if r["date"] in {"1988", "1992", "2001"}]
    assert all("s2-c-opening-timeline" in r["claims"] for r in timeline)


def q9(rows: Rows) -> None:
    assert {(short(r["item"]), r["kind"]) for r in rows} == {
        ("s4-c-class2-competitive", "claim"),
        ("s4-p-class2-market-reform", "policy"),
    }


def q10(rows: Rows) -> None:
    counts = {r["where"]: int(r["observations"]) for r in rows}
    assert counts["stated in the paper"] == 28
    assert counts.get("public NBS tables", 0) != 28  # never mixed into the paper's figures


def q11(rows: Rows) -> None:
    qual = {short(r["stat"]): r["qualifier"] for r in rows}
    assert qual["s2-st-raw-coal-share"] == "about"
    assert qual["s2-st-liaoning-personnel"] == "at least"
    assert qual["s2-st-liaoning-products"] == "at least"


def q12(rows: Rows) -> None:
    assert len(rows) == 1
    (row,) = rows
    assert int(row["end"]) - int(row["start"]) == len(row["exact"])
    assert row["exact"] == "这种工业发展模式弱化了内生型的国内经济循环"


def q13(rows: Rows) -> None:
    assert [(short(r["work"]), r["year"], r["citedBy"]) for r in rows] == [
        ("s3-w-liu-ling-2020", "2020", "2")
    ]
    assert set(rows[0]["authors"].split("、")) == {"刘志彪", "凌永辉"}


def q14(rows: Rows) -> None:
    on_path = {short(r["factor"]) for r in rows}
    assert {"coastal-global-embedding", "coast-substitution", "ne-market-share"} <= on_path
    assert {"ne-decoupling", "firm-bankruptcy-relocation"} <= on_path
    assert "population-outflow" not in on_path  # an indicator, not an effect


def q15(rows: Rows) -> None:
    assert [(short(r["link"]), short(r["claim"]), r["section"]) for r in rows] == [
        ("l-firm-exit-rust-belt", "c-mech-rust-belt", "二")
    ]


def q16(rows: Rows) -> None:
    actors = {short(r["policy"]): r["actor"] for r in rows}
    assert actors["s4-p-market-integration-office"] == "中央政府"
    assert actors["s4-p-service-government"] == "地方政府"


def q17(rows: Rows) -> None:
    pairs = {(short(r["policy"]), short(r["link"]), r["aim"]) for r in rows}
    assert ("s4-p-service-government", "s4-l-omnipotent-market", "break") in pairs
    assert ("s4-p-class3-technology-catch-up", "l-subsidies-rd", "weaken") in pairs
    assert ("s4-p-bring-in", "s3-l-fdi-global-integration", "strengthen") in pairs
    assert ("s4-p-go-out", "s4-l-go-out-gvc", "strengthen") in pairs
    assert len({p for p, _, _ in pairs}) >= 8


def q18(rows: Rows) -> None:
    aims: dict[str, dict[str, str]] = {}
    for r in rows:
        aims.setdefault(short(r["policy"]), {})[r["target"]] = r["aim"]
    orderly = aims["s4-p-orderly-market"]
    assert orderly["market segmentation"] == "weaken"
    assert orderly["maturity of the market mechanism"] == "strengthen"
    assert all(len(set(a.values())) > 1 for a in aims.values())
    assert "s4-p-standards-recognition" not in aims  # one aim: not listed


def q19(rows: Rows) -> None:
    assert len(rows) == 21
    starts = [int(r["start"]) for r in rows]
    assert starts == sorted(starts)
    quotes = {short(r["factor"]): r["quote"] for r in rows}
    assert quotes["uneven-opening"] == "地区间不平衡改革和开放"
    assert quotes["rust-belt"] == "东北老工业基地便沦为“铁锈地带”"


def q20(rows: Rows) -> None:
    inferred: dict[str, set[str]] = {}
    for r in rows:
        inferred.setdefault(short(r["policy"]), set()).add(r["target"])
    assert inferred["s4-p-orderly-market"] >= {"market segmentation"}
    assert "s4-p-standards-recognition" in inferred
    assert "s4-p-service-government" not in inferred  # its targets are the paper's words
    assert all(r["why"] for r in rows)


CHECKS: dict[str, Callable[[Rows], None]] = {
    f"Q{i}": check
    for i, check in enumerate(
        [q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11, q12, q13, q14, q15, q16, q17, q18, q19, q20],
        start=1,
    )
}


def test_the_guide_has_a_dozen_questions_each_checked() -> None:
    found = questions()
    assert len(found) >= 12
    assert set(found) == set(CHECKS)


def _order(question: str) -> int:
    return int(question[1:])


ORDERED: list[str] = sorted(CHECKS, key=_order)


@pytest.mark.parametrize("number", ORDERED)
def test_reader_question(paper_store: OxigraphStore, number: str) -> None:
    rows = run(paper_store, questions()[number])
    assert rows, f"{number} returned nothing"
    CHECKS[number](rows)


def test_every_predicate_in_the_field_table_exists(paper_store: OxigraphStore) -> None:
    text = GUIDE.read_text(encoding="utf-8")
    table = text[text.index("## Every field and its predicate") : text.index("## Reader questions")]
    names = set(
        re.findall(r"`((?:arg|skos|cito|dcterms|fabio|sdmx-measure|sdmx-dimension):\w+)`", table)
    )
    names |= set(re.findall(r"\b(arg:[A-Za-z]+)\b", table))
    missing = []
    for name in sorted(names):
        prefix, local = name.split(":")
        iri = f"{PREFIXES[prefix]}{local}"
        used = run(
            paper_store,
            f"SELECT ?x WHERE {{ {{ ?x <{iri}> ?o }} UNION {{ ?x a <{iri}> }} "
            f"UNION {{ ?x ?p <{iri}> }} UNION {{ <{iri}> ?p ?x }} }} LIMIT 1",
        )
        if not used:
            missing.append(name)
    assert not missing, f"named in docs/vocabulary.md but not in the graph or ontology: {missing}"


def test_merged_ids_are_gone_and_their_replacements_exist(paper_store: OxigraphStore) -> None:
    text = GUIDE.read_text(encoding="utf-8")
    table = text[text.index("## Ids merged or removed") :]
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (?:`([a-z0-9-]+)`|\(removed\)) \|", table, re.M)
    assert len(rows) >= 20

    def typed(item: str) -> bool:
        return bool(run(paper_store, f"SELECT ?c WHERE {{ <{ID}{item}> a ?c }} LIMIT 1"))

    for old, new in rows:
        assert not typed(old), f"{old} is listed as merged but still in the graph"
        assert not new or typed(new), f"{new} (replacing {old}) is not in the graph"
