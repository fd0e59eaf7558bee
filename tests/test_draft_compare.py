"""`compare` on a tiny hand-made pair whose precision and recall are known."""

from __future__ import annotations

from pathlib import Path

import yaml

from ingest.anchoring import SourceText
from ingest.draft.compare import compare, markdown
from ingest.draft.text import parse

TEXT = "### 一、甲\n\n甲导致乙。丙促进丁，戊削弱己。\n\n### 二、乙\n\n产量增长了10%。\n"


def _span(part: str, within: str | None = None) -> list[int]:
    start = TEXT.index(part, TEXT.index(within) if within else 0)
    return [start, start + len(part)]


def _draft_link(iid: str, cause: str, effect: str, quote: str) -> dict[str, object]:
    start, end = _span(quote)
    return {
        "id": iid,
        "type": "link",
        "label": {"zh": f"{cause} → {effect}", "en": "TODO"},
        "quote": quote,
        "draft": {
            "status": "draft",
            "rule": "test",
            "confidence": 0.5,
            "start": start,
            "end": end,
            "cause_span": _span(cause, quote),
            "effect_span": _span(effect, quote),
        },
    }


def _setup(tmp_path: Path) -> tuple[Path, Path]:
    hand = tmp_path / "hand"
    hand.mkdir()
    (hand / "01.yaml").write_text(
        yaml.safe_dump(
            {
                "section": "sec-1",
                "items": [
                    {"id": "h1", "type": "link", "label": {"zh": "甲 → 乙"}, "quote": "甲导致乙"},
                    {"id": "h2", "type": "link", "label": {"zh": "戊 → 己"}, "quote": "戊削弱己"},
                    {"id": "hs", "type": "statistic", "value": 10, "quote": "产量增长了10%"},
                    {"id": "gone", "type": "claim", "kind": "causal", "quote": "这句话不在原文里"},
                ],
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    (out / "draft").mkdir(parents=True)
    s_start, s_end = _span("产量增长了10%")
    items = [
        _draft_link("d1", "甲", "乙", "甲导致乙"),  # right sentence, right spans
        _draft_link("d2", "丙", "丁", "丙促进丁"),  # right sentence (h2's), wrong spans
        _draft_link("d3", "产量", "10%", "产量增长了10%"),  # a sentence without a hand link
        {
            "id": "ds1",
            "type": "statistic",
            "value": 10,
            "quote": "产量增长了10%",
            "draft": {"status": "draft", "start": s_start, "end": s_end},
        },
        {
            "id": "ds2",
            "type": "statistic",
            "value": 5,
            "quote": "产量增长了10%",
            "draft": {"status": "draft", "start": s_start, "end": s_end},
        },
    ]
    (out / "draft" / "01-sec-1.draft.yaml").write_text(
        yaml.safe_dump({"section": "sec-1", "items": items}, allow_unicode=True), encoding="utf-8"
    )
    return hand, out


def test_known_precision_and_recall(tmp_path: Path) -> None:
    hand, out = _setup(tmp_path)
    result = compare(parse(TEXT), SourceText(TEXT), out, hand)
    sentence = result.get("link")
    assert (sentence.hand, sentence.draft) == (2, 3)
    assert (sentence.precision, sentence.recall) == (0.667, 1.0)
    span = result.get("link", "span")
    assert (span.precision, span.recall) == (0.333, 0.5)
    assert [m.id for m in span.misses] == ["h2"]
    assert sorted(m.id for m in span.false_alarms) == ["d2", "d3"]
    stat = result.get("statistic")
    assert (stat.precision, stat.recall) == (0.5, 1.0)
    assert result.unanchored == ["gone"]


def test_section_filter(tmp_path: Path) -> None:
    hand, out = _setup(tmp_path)
    doc, source = parse(TEXT), SourceText(TEXT)
    first = compare(doc, source, out, hand, ["一"])
    assert (first.get("link").hand, first.get("link").draft) == (2, 2)
    assert first.get("link").precision == 1.0
    assert first.get("statistic").hand == 0
    second = compare(doc, source, out, hand, ["二"])
    assert (second.get("link").hand, second.get("link").draft) == (0, 1)
    assert second.get("statistic").recall == 1.0
    text = markdown(second, "sections 二")
    assert "| link | sentence | 0 | 1 | 0.00 | – |" in text
    assert "false alarm `d3`" in text
