"""`argraph validate`: 0 valid, 1 invalid with a readable report, 2 error."""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef
from typer.testing import CliRunner

from argraph.cli import app

from .conftest import DATA_DIR, MINI_SOURCE, PAPER_CORPUS
from .test_bad_inputs import edit

runner = CliRunner()


def validate(corpus: Path, source: Path | None = MINI_SOURCE) -> tuple[int, str]:
    args = ["validate", "--corpus", str(corpus)]
    args += ["--source", str(source)] if source else ["--no-source"]
    result = runner.invoke(app, args)
    return result.exit_code, result.output


def test_mini_corpus_is_valid(mini_corpus: Path) -> None:
    code, out = validate(mini_corpus)
    assert code == 0, out
    assert out.startswith("valid:")


def test_number_not_in_its_quote_is_invalid(mini_corpus: Path) -> None:
    edit(mini_corpus / "01-intro.yaml", "    value: 3.5\n", "    value: 35\n")
    code, out = validate(mini_corpus)
    assert code == 1
    assert "[number]" in out and "stat-growth" in out and "the value '35' " in out


def test_orphan_is_invalid(mini_corpus: Path) -> None:
    edit(
        mini_corpus / "01-intro.yaml",
        "  - id: tax\n",
        "  - id: lonely\n    type: factor\n    label: {zh: 孤, en: lonely}\n    quote: 投资增加提高产出。\n  - id: tax\n",
    )
    code, out = validate(mini_corpus)
    assert code == 1
    assert "[orphan]" in out and "lonely" in out


def test_missing_english_label_is_an_input_error(mini_corpus: Path) -> None:
    edit(mini_corpus / "01-intro.yaml", "label: {zh: 税收, en: tax}", "label: {zh: 税收}")
    code, out = validate(mini_corpus)
    assert code == 2
    assert "label.en" in out and "Field required" in out


def test_bad_input_is_exit_2(tmp_path: Path) -> None:
    code, out = validate(tmp_path / "missing")
    assert code == 2 and "corpus folder not found" in out


def test_paper_is_valid(paper_source: Path) -> None:
    """The whole paper, with its data graphs (checks and observations from the public tables
    beside the checkout, which `argraph validate` reads by default, as the build does)."""
    assert DATA_DIR.is_dir(), f"the public data folder is expected at {DATA_DIR}"
    code, out = validate(PAPER_CORPUS, paper_source)
    assert code == 0, out


def test_chinese_label_not_from_the_source_is_invalid(mini_corpus: Path) -> None:
    edit(
        mini_corpus / "01-intro.yaml",
        "label: {zh: 税收提高会降低投资…, en: the tax cycle}",
        "label: {zh: 税收的循环, en: the tax cycle}",
    )
    code, out = validate(mini_corpus)
    assert code == 1
    assert "[label-zh]" in out and "c-tax" in out and "税收的循环" in out


def test_a_second_quote_is_anchored_and_built(mini_corpus: Path, tmp_path: Path) -> None:
    # One link, two statements: the second quote gets its own anchor; an unknown quote fails.
    edit(
        mini_corpus / "01-intro.yaml",
        "    quote: 市场份额下降导致利润减少\n",
        "    quote: 市场份额下降导致利润减少\n    also_quoted: [竞争力削弱使市场份额进一步下降]\n",
    )
    code, out = validate(mini_corpus)
    assert code == 0, out
    edit(mini_corpus / "01-intro.yaml", "[竞争力削弱使市场份额进一步下降]", "[不在原文中的一句话]")
    code, out = validate(mini_corpus)
    assert code == 2 and "quote not found" in out and "l-share-profit" in out


def test_a_factor_opposite_to_itself_is_an_input_error(mini_corpus: Path) -> None:
    edit(
        mini_corpus / "01-intro.yaml",
        "  - id: tax\n    type: factor\n",
        "  - id: tax\n    type: factor\n    opposite_of: tax\n",
    )
    code, out = validate(mini_corpus)
    assert code == 2 and "related to itself" in out


def test_an_enumeration_must_point_at_known_items(mini_corpus: Path) -> None:
    text = (mini_corpus / "01-intro.yaml").read_text(encoding="utf-8")
    text += (
        "  - id: enum-steps\n    type: enumeration\n    ordered: true\n"
        "    label: {zh: 步骤, en: steps}\n    quote: 市场份额下降导致利润减少\n"
        "    members: [l-share-profit, no-such-item]\n"
    )
    (mini_corpus / "01-intro.yaml").write_text(text, encoding="utf-8")
    code, out = validate(mini_corpus)
    assert code == 2 and "unknown id 'no-such-item'" in out and "members" in out


def test_shapes_hold_a_target_to_one_aim_and_break_to_links() -> None:
    # The shapes check what is served, not only what the builder writes: a link may be broken, a
    # factor may not; a target has one aim; a stated posit carries its quote.
    from rdflib import Graph, Literal, Namespace
    from rdflib.namespace import RDF

    from graph.namespaces import ARG
    from graph.validate import shacl_problems
    from ontology import load_ontology

    ex = Namespace("https://example.org/")

    def graph(aim: URIRef, item_class: URIRef, basis: str, quote: bool) -> Graph:
        g = Graph()
        for triple in load_ontology():  # the aims are typed there, as in the built dataset
            g.add(triple)
        g.add((ex.f, RDF.type, item_class))
        g.add((ex.t, RDF.type, ARG.PolicyTarget))
        g.add((ex.t, ARG.item, ex.f))
        g.add((ex.t, ARG.aim, aim))
        g.add((ex.t, ARG.basis, Literal("stated")))
        g.add((ex.p, RDF.type, ARG.Posit))
        g.add((ex.p, ARG.item, ex.f if item_class == ARG.Factor else ex.other))
        g.add((ex.other, RDF.type, ARG.Factor))
        g.add((ex.p, ARG.basis, Literal(basis)))
        if quote:
            g.add((ex.p, ARG.quote, Literal("原文")))
        return g

    def focus(g: Graph) -> set[str]:
        return {p.focus for p in shacl_problems(g) if p.focus in (str(ex.t), str(ex.p))}

    assert not focus(graph(ARG.Break, ARG.CausalLink, "stated", True))
    assert not focus(graph(ARG.Weaken, ARG.Factor, "inferred", False))
    assert str(ex.t) in focus(graph(ARG.Break, ARG.Factor, "inferred", False))
    assert str(ex.p) in focus(graph(ARG.Weaken, ARG.Factor, "stated", False))
    two = graph(ARG.Weaken, ARG.Factor, "inferred", False)
    two.add((ex.t, ARG.aim, ARG.Strengthen))
    assert str(ex.t) in focus(two)
