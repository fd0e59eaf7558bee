"""`argraph draft` on the synthetic fixture paper and on the project's paper."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ingest.anchoring import SourceText
from ingest.draft.compare import compare, raw_items
from ingest.draft.entities import table_entities
from ingest.draft.pipeline import Draft, draft_text
from ingest.draft.text import parse
from ingest.draft.writer import write_draft
from tests.conftest import REPO

FIXTURE = REPO / "tests" / "data" / "draft-fixture" / "source.md"
CORPUS = REPO / "corpus" / "liu-tong-2021"


@pytest.fixture(scope="module")
def fixture_draft(tmp_path_factory: pytest.TempPathFactory) -> tuple[Draft, Path]:
    out = tmp_path_factory.mktemp("fixture-draft")
    draft = draft_text(FIXTURE.read_text(encoding="utf-8"), name="tea-county", path=str(FIXTURE))
    write_draft(draft, out)
    return draft, out


def _by_type(draft: Draft, kind: str) -> list[dict[str, object]]:
    return [i.fields for i in draft.items if i.type == kind]


def test_fixture_sections_and_sentences(fixture_draft: tuple[Draft, Path]) -> None:
    draft, _ = fixture_draft
    assert [(s.number, s.title) for s in draft.document.sections] == [
        ("一", "引言"),
        ("二", "机制与对策"),
    ]
    texts = [s.text for s in draft.document.sentences]
    assert any(t.startswith("2015年新公路通车后") for t in texts)
    # the footnote is page furniture: not in the body's sentences, but kept as a footnote
    assert not any(
        t.startswith("数据来源") and "s2-0" in s.id
        for s, t in zip(draft.document.sentences, texts, strict=True)
    )
    assert [f["marker"] for f in _by_type(draft, "footnote")] == ["①"]


def test_fixture_statistic_with_unit_period_and_qualifier(
    fixture_draft: tuple[Draft, Path],
) -> None:
    draft, _ = fixture_draft
    stats = {(s["value"], s["unit"]): s for s in _by_type(draft, "statistic")}
    forty = stats[(40, "percent")]
    assert forty["period"] == "2015"
    item = next(i for i in draft.items if i.fields is forty)
    assert item.extra["qualifier"] == "about"
    assert "40%左右" in str(forty["quote"])


def test_fixture_citations_linked_to_parsed_references(fixture_draft: tuple[Draft, Path]) -> None:
    draft, _ = fixture_draft
    cites = [(c.ref, c.pages, c.footnote) for c in draft.citations]
    assert (1, "10-12", None) in cites and (2, None, None) in cites and (None, None, "①") in cites
    refs = {r["number"]: r for r in _by_type(draft, "reference")}
    assert refs[1]["authors"] == ["赵一"] and refs[1]["venue"] == "农村经济评论"
    assert (
        refs[1]["year"] == 2018 and refs[1]["issue"] == "3" and refs[1]["kind"] == "journal-article"
    )
    claim = next(c for c in _by_type(draft, "claim") if "cites" in c and c["cites"][0]["ref"] == 1)  # type: ignore[index]
    assert claim["cites"] == [{"ref": 1, "pages": "10-12"}]


def test_fixture_causal_links(fixture_draft: tuple[Draft, Path]) -> None:
    draft, _ = fixture_draft
    labels = {str(link["label"]["zh"]): link for link in _by_type(draft, "link")}  # type: ignore[index]
    for step in (
        "茶农收入提高 → 加工投入增加",
        "加工投入增加 → 茶叶品质改善",
        "茶叶品质改善 → 销量扩大",
    ):
        assert step in labels
    assert any(k.startswith("道路狭窄") for k in labels)  # 由于…所以
    chain = next(i for i in draft.items if i.type == "link" and i.rule == "chain")
    assert chain.cue == "——" and chain.extra["cause_span"][0] < chain.extra["effect_span"][0]


def test_fixture_claims_policy_entities(fixture_draft: tuple[Draft, Path]) -> None:
    draft, _ = fixture_draft
    kinds = {str(c["kind"]) for c in _by_type(draft, "claim")}
    assert {"causal", "normative"} <= kinds
    policy = _by_type(draft, "policy")[0]
    assert policy["aim"] == "create" and policy["instrument"]["zh"] == "建立统一的茶叶品牌"  # type: ignore[index]
    entity = _by_type(draft, "entity")[0]
    assert entity["id"] == "zhejiang" and entity["iso_code"] == "CN-ZJ"


def test_every_drafted_quote_is_anchored_at_its_offsets(fixture_draft: tuple[Draft, Path]) -> None:
    _, out = fixture_draft
    source = SourceText(FIXTURE.read_text(encoding="utf-8"))
    items = raw_items(out / "draft", "*.draft.yaml")
    assert items
    for item in items:
        block = item["draft"]
        assert block["status"] == "draft" and "rule" in block and 0 < block["confidence"] <= 1
        assert source.find(item["quote"]) == {(block["start"], block["end"])}, item["id"]


def test_draft_files_are_not_a_corpus(fixture_draft: tuple[Draft, Path]) -> None:
    _, out = fixture_draft
    names = sorted(p.name for p in (out / "draft").iterdir())
    assert all(n.endswith(".draft.yaml") for n in names)
    assert not list(out.glob("*.yaml"))  # nothing where a build would read it
    head = (out / "draft" / "02-sec-2.draft.yaml").read_text(encoding="utf-8")
    assert head.startswith("# DRAFT")
    assert yaml.safe_load(head)["section"] == "sec-2"


@pytest.fixture(scope="module")
def paper_draft(tmp_path_factory: pytest.TempPathFactory, paper_source: Path) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("paper-draft")
    text = paper_source.read_text(encoding="utf-8")
    draft = draft_text(
        text, name="liu-tong-2021", path=str(paper_source), table=table_entities([CORPUS])
    )
    write_draft(draft, out)
    return out, paper_source


def test_paper_draft_scores_have_sanity_floors(paper_draft: tuple[Path, Path]) -> None:
    out, source_path = paper_draft
    text = source_path.read_text(encoding="utf-8")
    doc, source = parse(text), SourceText(text)
    whole = compare(doc, source, out, CORPUS)
    assert whole.get("citation").recall == 1.0
    assert (whole.get("statistic").recall or 0) >= 0.9
    assert (whole.get("reference").recall or 0) == 1.0
    assert (whole.get("section").recall or 0) == 1.0
    link = whole.get("link")
    assert (link.recall or 0) >= 0.8 and (link.precision or 0) >= 0.5
    assert (whole.get("link", "span").recall or 0) >= 0.25
    dev = compare(doc, source, out, CORPUS, ["一", "二"])
    assert dev.sections == ["一", "二"] and dev.get("link").hand < link.hand


def test_fixture_document_record_from_the_front_matter(fixture_draft: tuple[Draft, Path]) -> None:
    _, out = fixture_draft
    record = yaml.safe_load((out / "draft" / "paper.draft.yaml").read_text(encoding="utf-8"))
    doc = record["document"]
    assert (
        doc["title_quote"] == "山区县茶叶产业的兴衰" and doc["subtitle"]["zh"] == "一个虚构的案例"
    )
    assert doc["abstract_zh"].startswith("本文以一个虚构的山区县为例")
    assert doc["abstract_en"].startswith("Using an invented mountain county")
    assert doc["authors"] == [{"zh": "TODO", "en": "TODO"}]


def test_fixture_citation_records_point_at_their_targets(fixture_draft: tuple[Draft, Path]) -> None:
    _, out = fixture_draft
    records = yaml.safe_load((out / "draft" / "citations.draft.yaml").read_text(encoding="utf-8"))
    targets = [
        (r["marker"], r.get("reference") or r.get("footnote_id")) for r in records["citations"]
    ]
    assert targets == [("[1]", "ref-1"), ("①", "fn-1"), ("[2]", "ref-2")]
    assert not any(r.get("unresolved") for r in records["citations"])


def test_english_text_with_numbered_headings() -> None:
    text = (
        "# Roads and tea\n\n## 1. Introduction\n\nHigh transport costs lead to low sales of tea. "
        "Output fell by 12% in 2015 because of the drought.\n\n## 2. Policy\n\n"
        "The county must build roads.\n"
    )
    draft = draft_text(text)
    assert [(s.number, s.title) for s in draft.document.sections] == [
        ("1", "Introduction"),
        ("2", "Policy"),
    ]
    assert len(draft.document.sentences) == 3
    links = {str(i.fields["label"]["zh"]) for i in draft.items if i.type == "link"}
    assert "High transport costs → low sales of tea" in links
    assert "drought → Output fell by 12% in 2015" in links
    stat = next(i.fields for i in draft.items if i.type == "statistic")
    assert (stat["value"], stat["unit"], stat["period"]) == (12, "percent", "2015")
    kinds = {i.fields["kind"] for i in draft.items if i.type == "claim"}
    assert kinds == {"causal", "normative"}
