"""The synthetic second paper itself: its stored anchors match its text, and no quote takes in
the page furniture of its journal (masthead, DOI line, running headers, page numbers)."""

from __future__ import annotations

import re

from ingest.anchors import anchor_corpus, read_source
from ingest.corpus import load_corpus
from tests.second_paper_fixtures import SECOND_CORPUS, SECOND_SOURCE

FURNITURE = re.compile(r"DOI:|Journal of Test Economics|· \d+ ·|^王五 等|^测试经济学刊", re.M)


def test_the_stored_anchors_are_those_of_the_text() -> None:
    corpus = load_corpus(SECOND_CORPUS)
    result = anchor_corpus(corpus, read_source(SECOND_SOURCE))
    assert not result.stale, result.stale
    assert len(result.anchors) >= 40


def test_the_text_has_page_furniture_and_no_anchor_takes_it_in() -> None:
    text = SECOND_SOURCE.read_text(encoding="utf-8")
    assert len(FURNITURE.findall(text)) >= 6  # masthead, DOI, three page numbers, headers
    corpus = load_corpus(SECOND_CORPUS)
    anchors = anchor_corpus(corpus, read_source(SECOND_SOURCE)).anchors
    for key, anchor in anchors.items():
        span = text[anchor.start : anchor.end]
        assert not FURNITURE.search(span), (key, span)
    # the running header repeats words of the body and of the title: quotes stay unique anyway
    assert "营商环境与人才外流" in text
    assert text.count("营商环境欠佳抑制了民营企业的成长") == 2  # abstract and body
