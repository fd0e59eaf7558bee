"""Quotes are found despite the PDF's artefacts, and never re-anchored somewhere else."""

from __future__ import annotations

from pathlib import Path

import pytest

from errors import AnchorError
from ingest.anchoring import SourceText, normalise
from ingest.anchors import locate
from ingest.corpus import Place, QuoteSpec

TEXT = (
    "### 一、引言\n\n"
    "市场份额下降导致利润减少。利润减少使研发投入下降,研发投入下降又削弱\n\n"
    "<sup>①</sup>数据来源《测试年鉴》,下同。\n\n"
    "竞争力，竞争力削弱使市场份额进一步下降<sup>[1] (PP3-4)</sup>。中国经\n\n济起飞。\n\n"
    "重复的句子。重复的句子。\n"
)


def spec(quote: str) -> QuoteSpec:
    return QuoteSpec("x", quote, Place(Path("f.yaml"), 7), "x")


def test_plain_quote_offsets_point_at_the_source() -> None:
    src = SourceText(TEXT)
    anchor = locate(spec("市场份额下降导致利润减少。"), src)
    assert TEXT[anchor.start : anchor.end] == "市场份额下降导致利润减少。"
    assert anchor.exact == "市场份额下降导致利润减少。"
    assert anchor.prefix.endswith("引言\n\n")


def test_quote_spanning_a_page_break() -> None:
    anchor = locate(spec("中国经济起飞。"), SourceText(TEXT))
    assert anchor.exact == "中国经\n\n济起飞。"


def test_quote_spanning_a_footnote_between_the_halves_of_a_sentence() -> None:
    anchor = locate(spec("研发投入下降又削弱竞争力,竞争力削弱"), SourceText(TEXT))
    assert "数据来源" in anchor.exact  # the span covers the footnote that cuts the sentence
    assert anchor.exact.startswith("研发投入下降又削弱") and anchor.exact.endswith("竞争力削弱")


def test_full_width_and_ascii_punctuation_match_each_other() -> None:
    a = locate(spec("竞争力,竞争力削弱"), SourceText(TEXT))
    assert TEXT[a.start : a.end] == "竞争力，竞争力削弱"


def test_citation_markers_are_skipped() -> None:
    anchor = locate(spec("竞争力削弱使市场份额进一步下降。"), SourceText(TEXT))
    assert "<sup>[1]" in anchor.exact


def test_footnote_itself_can_be_quoted() -> None:
    anchor = locate(spec("数据来源《测试年鉴》,下同。"), SourceText(TEXT))
    assert TEXT[anchor.start : anchor.end] == "数据来源《测试年鉴》,下同。"


def test_ambiguous_quote_fails_with_both_places() -> None:
    with pytest.raises(AnchorError) as info:
        locate(spec("重复的句子。"), SourceText(TEXT))
    assert "ambiguous" in info.value.message and "2 times" in info.value.message
    assert info.value.file == "f.yaml" and info.value.line == 7 and info.value.field == "quote"


def test_absent_quote_fails_and_says_where_it_diverges() -> None:
    with pytest.raises(AnchorError) as info:
        locate(spec("市场份额下降导致成本上升"), SourceText(TEXT))
    assert "not found" in info.value.message
    assert "市场份额下降导致" in info.value.message


def test_a_quote_is_never_moved_to_a_similar_passage() -> None:
    # One character differs from the source: no fuzzy match may "find" it.
    with pytest.raises(AnchorError):
        locate(spec("利润减少使研发投入上升"), SourceText(TEXT))


def test_normalise_folds_width_quotes_and_space() -> None:
    assert normalise("“东北现象”， 以及\n（注）") == normalise('"东北现象",以及(注)')


def test_real_paper_page_break_and_footnote(paper_source: Path) -> None:
    from ingest.anchors import read_source

    src = read_source(paper_source)
    broken = locate(spec("“东北现象”是中国经济起飞中结构失衡的一个独特问题"), src)
    assert "\n\n" in broken.exact  # the sentence is cut by a page break in the source
    across = locate(spec("地区间的不平衡开放,导致原有的经济循环被打破。"), src)
    assert "数据来源" in across.exact  # footnote ① sits between the halves
