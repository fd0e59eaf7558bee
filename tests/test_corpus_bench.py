"""The cross-paper bench case (bench/cross.py) keeps working: its synthetic alignments are what
the corpus analysis reads, and a pair of papers gives chains across both. No timing is asserted
(the figures are the bench's)."""

from __future__ import annotations

from bench import cross


def test_synthetic_alignments_and_stances_are_found_by_the_corpus_analysis() -> None:
    quads = cross.alignment_quads(1)
    assert not cross.alignment_quads(0)
    assert sum("skos/core#exactMatch> " in q and "#match-" not in q for q in quads) == 1
    result = cross.measure(2, reps=1)
    assert result["pair"]["alignments"] == 5
    assert result["pair"]["chains"] > 0 and result["corpus"]["cross_loops"] >= 0
    assert result["one_paper"]["explanations"] == 7
    assert set(result["pair"]) >= {"p50_s", "ratio"}
    assert "| 2 |" in cross.markdown([result], "python -m bench.cross --sizes 2")
