"""The generated ontology documentation: every term, its alignment, an example, all escaped."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from rdflib.namespace import OWL, RDF

from graph.namespaces import ARG
from graph.ontology_docs import (
    GENERATED,
    ontology_graph,
    render_from_nquads,
    render_ontology_docs,
    write_ontology_docs,
)
from graph.results import SelectResult, Term
from graph.store import OxigraphStore
from tests.conftest import Built


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.ids += [v for k, v in attrs if k == "id" and v]


def _terms() -> set[str]:
    g = ontology_graph()
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    out = {str(s) for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(str(ARG))}
    for s, _p, o in g.triples((None, RDF.type, None)):
        if str(s).startswith(str(ARG)) and str(o).startswith(str(ARG)):
            out.add(str(s))  # named individuals: arg:Increases, arg:Reinforcing...
    return out


def test_every_class_property_and_individual_is_documented(paper_store: OxigraphStore) -> None:
    html = render_ontology_docs(paper_store)
    parser = _Ids()
    parser.feed(html)
    names = {iri.removeprefix(str(ARG)) for iri in _terms()}
    assert names <= set(parser.ids)
    assert len(parser.ids) == len(set(parser.ids))
    assert "script" not in parser.tags
    assert GENERATED in html


def test_alignment_and_examples_from_the_paper(paper_store: OxigraphStore) -> None:
    html = render_ontology_docs(paper_store)
    claim = html.split('id="Claim"')[1].split('class="term"')[0]
    assert "mp:Claim" in claim and "aif:I-node" in claim and "prov:Entity" in claim
    link = html.split('id="CausalLink"')[1].split('class="term"')[0]
    assert "example" in link and "<blockquote" in link
    cause = html.split('id="cause"')[1].split('class="term"')[0]
    assert "owl:FunctionalProperty" in cause and "arg:cause" in cause
    assert html.count("<dt>example</dt>") > 60


def test_render_from_nquads_matches_the_store(
    built_paper: Built, paper_store: OxigraphStore
) -> None:
    nquads = (built_paper.dist / "graph.nq").read_text(encoding="utf-8")
    assert render_from_nquads(nquads) == render_ontology_docs(paper_store)


def test_without_a_store_no_examples(tmp_path: Path) -> None:
    path = write_ontology_docs(tmp_path / "site")
    text = path.read_text(encoding="utf-8")
    assert 'id="Claim"' in text and "<dt>example</dt>" not in text


class _Hostile:
    """A store whose every label and quote is markup."""

    def query(self, sparql: str) -> SelectResult:
        evil = Term("literal", '<img src=x onerror="alert(1)"><script>x</script>', "en")
        row = {
            v: evil if v not in ("x", "s", "o", "p") else Term("uri", "javascript:alert(1)")
            for v in ("x", "s", "o", "p", "label", "quote", "sl", "ol")
        }
        return SelectResult(list(row), [row])


def test_labels_and_quotes_are_escaped() -> None:
    html = render_ontology_docs(_Hostile())
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html
