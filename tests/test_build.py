"""Builds are deterministic, atomic and faithful: every dump parses back to the same dataset."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from errors import AnnotationError
from graph.build import build
from graph.data import GRAPH_CHECKS, GRAPH_NBS
from graph.dumps import indented_json, union
from graph.iris import DEFAULT_BASE
from graph.namespaces import ARG

from .conftest import MINI_CORPUS, MINI_SOURCE, PAPER_CORPUS, Built


def build_cli(dist: Path, seed: str, *extra: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run(
        [sys.executable, "-m", "argraph.cli", "build", "-q", "--dist", str(dist), *extra],
        check=True,
        env=env,
        cwd=Path(__file__).parent.parent,
        capture_output=True,
    )


def files(dist: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(dist.iterdir())}


def test_rebuild_gives_identical_bytes_whatever_the_hash_seed(
    tmp_path: Path, paper_source: Path, built_paper: Built
) -> None:
    """A build in a child process with its own hash seed gives the bytes of the session's build
    (made in this process, whose seed differs: pytest does not fix PYTHONHASHSEED), the graphs
    made from the public data (observations, claim checks) among them."""
    seed = "1" if os.environ.get("PYTHONHASHSEED") != "1" else "2"
    build_cli(tmp_path / "a", seed, "--source", str(paper_source), "--no-validate")
    first, second = files(tmp_path / "a"), files(built_paper.dist)
    graphs = json.loads(second["manifest.json"])["graphs"]
    assert {GRAPH_CHECKS, GRAPH_NBS} <= {name.rsplit("/", 1)[-1] for name in graphs}, graphs
    assert set(first) == {
        "graph.trig",
        "graph.ttl",
        "graph.nt",
        "graph.nq",
        "graph.jsonld",
        "manifest.json",
        "ontology.html",
    }
    assert first == second


DUMPS = {
    "graph.ttl": ("turtle", ox.RdfFormat.TURTLE),
    "graph.nt": ("nt", ox.RdfFormat.N_TRIPLES),
    "graph.trig": ("trig", ox.RdfFormat.TRIG),
    "graph.nq": ("nquads", ox.RdfFormat.N_QUADS),
    "graph.jsonld": ("json-ld", ox.RdfFormat.JSON_LD),
}


@pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")
def test_each_dump_parses_back_to_the_same_graph(mini_built: Built) -> None:
    """rdflib (not the library that wrote them) reads every dump back as the same graphs."""
    ds = mini_built.result.dataset
    expected = union(ds)
    dist = mini_built.dist
    for name in ("graph.ttl", "graph.nt"):
        g = Graph()
        g.parse(data=(dist / name).read_text(encoding="utf-8"), format=DUMPS[name][0])
        assert isomorphic(g, expected), name
    for name in ("graph.trig", "graph.nq", "graph.jsonld"):
        back = Dataset()
        back.parse(data=(dist / name).read_text(encoding="utf-8"), format=DUMPS[name][0])
        for named in [g for g in ds.graphs() if len(g)]:
            assert isomorphic(back.graph(named.identifier), named), (name, named.identifier)


def _quads(data: bytes, fmt: ox.RdfFormat) -> set[str]:
    return {f"{q.subject} {q.predicate} {q.object} {q.graph_name}" for q in ox.parse(data, fmt)}


def test_every_dump_of_the_paper_holds_the_same_quads(built_paper: Built) -> None:
    """The paper's dumps (45k quads, no blank nodes) hold the same statements in every format."""
    dist = built_paper.dist
    quads = _quads((dist / "graph.nq").read_bytes(), ox.RdfFormat.N_QUADS)
    triples = {q.rsplit(" ", 1)[0] for q in quads}
    assert len(quads) > 10_000 and not any("_:" in q for q in quads)
    for name in ("graph.trig", "graph.jsonld"):
        assert _quads((dist / name).read_bytes(), DUMPS[name][1]) == quads, name
    for name in ("graph.ttl", "graph.nt"):
        back = {q.rsplit(" ", 1)[0] for q in _quads((dist / name).read_bytes(), DUMPS[name][1])}
        assert back == triples, name


def test_build_without_source_uses_the_stored_anchors(tmp_path: Path) -> None:
    with_source = build(
        MINI_CORPUS, tmp_path / "a", source=MINI_SOURCE, data_dir=None, base_iri=DEFAULT_BASE
    )
    without = build(MINI_CORPUS, tmp_path / "b", source=None, data_dir=None, base_iri=DEFAULT_BASE)
    assert with_source.anchors.verified and not without.anchors.verified
    assert any("not re-verified" in note for note in without.notes)
    # Same anchors, so the same graph but for the flag that says whether they were verified.
    a, b = files(tmp_path / "a"), files(tmp_path / "b")
    assert a["graph.nq"].replace(b'"true"', b'"false"') == b["graph.nq"]


def test_base_iri_is_configurable(tmp_path: Path) -> None:
    result = build(
        MINI_CORPUS,
        tmp_path / "d",
        source=MINI_SOURCE,
        data_dir=None,
        base_iri="http://example.org/kg/",
    )
    text = (tmp_path / "d" / "graph.nt").read_text(encoding="utf-8")
    assert "<http://example.org/kg/id/mini-paper/l-tax-investment>" in text
    assert f"{DEFAULT_BASE}id/" not in text
    assert result.report is not None and result.report.ok


def test_mini_graph_content(mini_built: Built) -> None:
    text = (mini_built.dist / "graph.nt").read_text(encoding="utf-8")
    assert (
        "<https://w3id.org/argraph/id/mini-paper/tax> <http://purl.obolibrary.org/obo/RO_0002305> <https://w3id.org/argraph/id/mini-paper/investment> ."
        in text
    )
    assert (
        "<https://w3id.org/argraph/id/mini-paper/loop-share> <https://w3id.org/argraph/ontology#loopPolarity> <https://w3id.org/argraph/ontology#Reinforcing> ."
        in text
    )
    # Everything sits in a named graph: the paper's graphs or the ontology's.
    for line in (mini_built.dist / "graph.nq").read_text(encoding="utf-8").splitlines():
        assert line.endswith(("> .",)) and (
            "<https://w3id.org/argraph/graph/mini-paper/" in line
            or line.endswith("<https://w3id.org/argraph/ontology> .")
        ), line


@pytest.mark.parametrize("name", ["anchors.lock.yaml"])
def test_stored_anchors_of_the_paper_match_the_source(name: str, paper_source: Path) -> None:
    """The lock file is derived data: it must agree with the source (run `argraph anchor`)."""
    from ingest.anchors import anchor_corpus, read_source
    from ingest.corpus import load_corpus

    result = anchor_corpus(load_corpus(PAPER_CORPUS), read_source(paper_source))
    assert result.stale == [], f"{name} is stale for {result.stale[:5]}: run `argraph anchor`"


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        (
            "    targets: [{factor: l-subsidy-profit, aim: weaken}]\n",
            "written as a factor but is a link",
        ),
        ("    targets: [{link: profit, aim: weaken}]\n", "written as a link but is a factor"),
        ("    targets: [{factor: profit, aim: break}]\n", "'break' is for a causal link"),
    ],
)
def test_a_target_must_be_what_its_entry_says(
    mini_corpus: Path, tmp_path: Path, targets: str, message: str
) -> None:
    intro = mini_corpus / "01-intro.yaml"
    text = intro.read_text(encoding="utf-8")
    old = "    targets: [profit]\n    aim: strengthen\n"
    assert old in text
    intro.write_text(text.replace(old, targets), encoding="utf-8")
    with pytest.raises(AnnotationError, match=message) as caught:
        build(mini_corpus, tmp_path / "d", source=MINI_SOURCE, data_dir=None, base_iri=DEFAULT_BASE)
    assert caught.value.item == "p-subsidy" and caught.value.field == "targets"


def test_each_target_and_posit_is_written_with_its_aim_and_basis(
    mini_corpus: Path, tmp_path: Path
) -> None:
    intro = mini_corpus / "01-intro.yaml"
    text = intro.read_text(encoding="utf-8")
    old = "    targets: [profit]\n    aim: strengthen\n"
    intro.write_text(
        text.replace(
            old,
            "    targets:\n      - {factor: profit, aim: strengthen}\n"
            "      - {link: l-subsidy-profit, aim: break}\n",
        ),
        encoding="utf-8",
    )
    build(mini_corpus, tmp_path / "d", source=MINI_SOURCE, data_dir=None, base_iri=DEFAULT_BASE)
    g = Graph()
    g.parse(data=(tmp_path / "d" / "graph.nt").read_text(encoding="utf-8"), format="nt")
    ns = f"{DEFAULT_BASE}id/mini-paper/"
    rows = g.query(
        "SELECT ?item ?aim WHERE { ?p arg:hasTarget ?t . ?t arg:item ?item ; arg:aim ?aim }",
        initNs={"arg": ARG},
        initBindings={"p": URIRef(ns + "p-subsidy")},
    )
    assert {(str(r[0]).removeprefix(ns), str(r[1]).rsplit("#")[-1]) for r in rows} == {  # type: ignore[index]
        ("profit", "Strengthen"),
        ("l-subsidy-profit", "Break"),
    }
    posits = g.query(
        "SELECT ?basis WHERE { ?e arg:hasPosit/arg:basis ?basis }",
        initNs={"arg": ARG},
    )
    assert {str(r[0]) for r in posits} == {"inferred"}  # type: ignore[index]  # the default


_JSON_VALUES = st.recursive(
    st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=150, derandomize=True, deadline=None)
@given(_JSON_VALUES)
def test_the_json_ld_writer_writes_what_json_dumps_writes(value: object) -> None:
    """graph.jsonld's writer (graph/dumps.py) lays out strings, lists and objects, empty ones and
    any characters (quotes, control characters, line separators, astral planes) included, as
    `json.dumps(indent=1, ensure_ascii=False)` does."""
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=1)
