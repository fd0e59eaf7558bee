"""Every export of the paper's graph, read back by the tool or library it is for."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from graph.analysis import find_loops, load_causal_graph
from graph.exports import EXPORTS, export
from graph.exports.aif import iri_index
from graph.exports.argdown import escape
from graph.query_rows import local_name, select
from graph.store import OxigraphStore

REPO = Path(__file__).resolve().parent.parent


def _count(store: OxigraphStore, body: str) -> int:
    return int(select(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {body} }}")[0]["n"].value)


def _relations(store: OxigraphStore) -> Counter[str]:
    return Counter(
        {
            "supports": _count(
                store,
                "SELECT DISTINCT ?s ?o WHERE { { ?s arg:supports ?o } UNION "
                "{ ?o a arg:PolicyRecommendation ; arg:rationale ?s } }",
            ),
            "challenges": _count(store, "?s arg:challenges ?o"),
            "qualifies": _count(store, "?s arg:qualifies ?o"),
        }
    )


def _polarities(store: OxigraphStore) -> dict[str, str]:
    rows = select(store, "SELECT ?l ?p WHERE { ?l a arg:CausalLink ; arg:polarity ?p }")
    return {r["l"].value: "+" if r["p"].value.endswith("Increases") else "-" for r in rows}


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_exports_are_deterministic_and_non_empty(paper_store: OxigraphStore, name: str) -> None:
    first = export(name, paper_store)
    assert first.strip()
    assert export(name, paper_store) == first


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_exports_work_on_the_mini_corpus(mini_store: OxigraphStore, name: str) -> None:
    assert export(name, mini_store).strip()


# -- AIF -----------------------------------------------------------------------------------------


def test_aif_has_ova_node_and_edge_types(paper_store: OxigraphStore) -> None:
    doc = json.loads(export("aif", paper_store))
    assert set(doc) >= {"nodes", "edges", "locutions"}
    nodes = {n["nodeID"]: n for n in doc["nodes"]}
    assert len(nodes) == len(doc["nodes"])
    assert {n["type"] for n in nodes.values()} == {"I", "RA", "CA"}
    for n in nodes.values():
        assert isinstance(n["text"], str) and n["text"]
        assert len(n["timestamp"]) == 19  # AIFdb's "YYYY-MM-DD HH:MM:SS"
    ins: dict[str, list[str]] = {k: [] for k in nodes}
    outs: dict[str, list[str]] = {k: [] for k in nodes}
    for e in doc["edges"]:
        a, b = nodes[e["fromID"]], nodes[e["toID"]]
        assert (a["type"] == "I") != (b["type"] == "I"), e  # I -> S or S -> I, never I -> I
        outs[e["fromID"]].append(e["toID"])
        ins[e["toID"]].append(e["fromID"])
    schemes = [n for n in nodes.values() if n["type"] != "I"]
    for s in schemes:
        assert len(ins[s["nodeID"]]) == 1 and len(outs[s["nodeID"]]) == 1
    relations = _relations(paper_store)
    texts = Counter(s["text"] for s in schemes)
    assert texts["Default Inference"] == relations["supports"]
    assert texts["Default Conflict"] == relations["challenges"]
    assert texts["Qualification"] == relations["qualifies"]
    claims = _count(paper_store, "?c a arg:Claim")
    i_nodes = [n for n in nodes.values() if n["type"] == "I"]
    assert len(i_nodes) >= claims
    index = iri_index(paper_store)
    assert set(index) == {n["nodeID"] for n in i_nodes}


def test_aif_loads_in_arguebuf(paper_store: OxigraphStore, tmp_path: Path) -> None:
    import arguebuf  # a dev dependency (pyproject.toml)

    path = tmp_path / "paper.json"
    path.write_text(export("aif", paper_store), encoding="utf-8")
    g = arguebuf.load.file(path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    kinds = Counter(n["type"] for n in doc["nodes"])
    assert len(g.atom_nodes) == kinds["I"]
    assert len(g.scheme_nodes) == kinds["RA"] + kinds["CA"]
    assert len(g.edges) == len(doc["edges"])
    schemes = Counter(type(n.scheme).__name__ for n in g.scheme_nodes.values())
    assert schemes["Support"] == kinds["RA"] and schemes["Attack"] == kinds["CA"]


# -- Argdown -------------------------------------------------------------------------------------


ARGDOWN_JSON = REPO / "tests" / "argdown_json.js"
"""Argdown's own JSON export (`argdown json` of @argdown/cli, through @argdown/core, which
package.json installs into node_modules: `bash scripts/setup`)."""


def run_argdown(text: str, tmp_path: Path) -> dict[str, object]:
    node = shutil.which("node")
    if node is None or not (REPO / "node_modules" / "@argdown" / "core").is_dir():
        pytest.fail(
            "node or @argdown/core is missing: install Node.js and run `bash scripts/setup` "
            "(npm install, package.json)"
        )
    src = tmp_path / "paper.argdown"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "paper.json"
    proc = subprocess.run(
        [node, str(ARGDOWN_JSON), str(src), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log
    assert "error" not in log.lower(), log
    data: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
    return data


def test_argdown_parses_without_errors(paper_store: OxigraphStore, tmp_path: Path) -> None:
    data = run_argdown(export("argdown", paper_store), tmp_path)
    statements = data["statements"]
    assert isinstance(statements, dict)
    claims = {
        local_name(r["c"].value) for r in select(paper_store, "SELECT ?c WHERE { ?c a arg:Claim }")
    }
    assert claims <= set(statements)
    relations = data["relations"]
    assert isinstance(relations, list)
    kinds = Counter(r["relationType"] for r in relations)
    wanted = _relations(paper_store)
    arguments = data["arguments"]
    assert isinstance(arguments, dict)
    premises = sum(1 for a in arguments.values() for s in a["pcs"] if s.get("role") == "premise")
    assert kinds["support"] + premises == wanted["supports"]
    assert kinds["attack"] == wanted["challenges"] + wanted["qualifies"]
    rationale = _count(paper_store, "?p arg:rationale ?c")
    assert premises == rationale


def test_argdown_escapes_special_characters(tmp_path: Path) -> None:
    nasty = "a_b *c* [d] <e> #f @g /h {i} 3% - + = | ~ ^ ` ! : 中文"
    text = f"[s-one]: {escape(nasty)} #causal\n  +> [s-two]\n\n[s-two]: plain\n"
    data = run_argdown(text, tmp_path)
    statements = data["statements"]
    assert isinstance(statements, dict)
    member = statements["s-one"]["members"][0]
    assert member["text"].startswith(nasty)


def test_the_argdown_check_sees_a_syntax_error(tmp_path: Path) -> None:
    """Positive control for the two tests above: Argdown that does not parse is refused, with
    the place of the error."""
    src = tmp_path / "bad.argdown"
    src.write_text("[a]: x\n    +> [b]: y\n  ->\n", encoding="utf-8")
    node = shutil.which("node") or "node"
    proc = subprocess.run(
        [node, str(ARGDOWN_JSON), str(src), str(tmp_path / "bad.json")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1
    assert "error: line 3, column 1" in proc.stderr
    assert not (tmp_path / "bad.json").exists()


# -- networks ------------------------------------------------------------------------------------


def _check_network(g: nx.MultiDiGraph, store: OxigraphStore) -> None:
    polarities = _polarities(store)
    assert g.number_of_nodes() == _count(store, "?f a arg:Factor")
    assert g.number_of_edges() == len(polarities)
    for _u, _v, key, data in g.edges(keys=True, data=True):
        assert key == data["iri"]
        assert data["polarity"] == polarities[data["iri"]]
        assert int(data["sign"]) == (1 if data["polarity"] == "+" else -1)
        assert data["kind"] == ("increases" if data["polarity"] == "+" else "decreases")
    kinds = Counter(d["kind"] for _n, d in g.nodes(data=True))
    assert kinds["root"] > 0 and kinds["outcome"] > 0
    assert all(d["label"] for _n, d in g.nodes(data=True))


def test_graphml_reads_back_with_networkx(paper_store: OxigraphStore, tmp_path: Path) -> None:
    path = tmp_path / "causal.graphml"
    path.write_text(export("graphml", paper_store), encoding="utf-8")
    g = nx.read_graphml(path, force_multigraph=True)
    assert isinstance(g, nx.MultiDiGraph)
    _check_network(g, paper_store)


def test_cytoscape_json_reads_back_with_networkx(paper_store: OxigraphStore) -> None:
    data = json.loads(export("cytoscape", paper_store))
    g = nx.cytoscape_graph(data)
    assert isinstance(g, nx.MultiDiGraph)
    _check_network(g, paper_store)


# -- tables --------------------------------------------------------------------------------------


def test_claims_csv_has_every_claim_with_its_quote(paper_store: OxigraphStore) -> None:
    rows = list(csv.DictReader(io.StringIO(export("claims-csv", paper_store), newline="")))
    quotes = {
        r["c"].value: r["q"].value
        for r in select(
            paper_store,
            "SELECT ?c ?q WHERE { { ?c a arg:Claim } UNION { ?c a arg:PolicyRecommendation } "
            "?c arg:quote ?q }",
        )
    }
    assert {r["iri"] for r in rows} == set(quotes)
    for r in rows:
        assert r["quote"] == quotes[r["iri"]]
    assert any(r["thesis"] == "yes" for r in rows)


def test_claims_markdown_is_a_table_with_one_row_per_claim(paper_store: OxigraphStore) -> None:
    lines = export("claims-md", paper_store).splitlines()
    rows = len(list(csv.DictReader(io.StringIO(export("claims-csv", paper_store)))))
    assert len(lines) == rows + 2
    width = lines[0].count(" | ")
    assert all(line.replace("\\|", "").count(" | ") == width for line in lines[2:])


def test_comparison_tables_have_every_explanation(paper_store: OxigraphStore) -> None:
    explanations = _count(paper_store, "?e a arg:Explanation")
    rows = list(csv.DictReader(io.StringIO(export("comparison-csv", paper_store))))
    assert len(rows) == explanations
    assert len(export("comparison-md", paper_store).splitlines()) == explanations + 2


# -- causal-loop diagram -------------------------------------------------------------------------


def test_cld_loops_are_signed_cycles_of_its_links(paper_store: OxigraphStore) -> None:
    cld = json.loads(export("cld", paper_store))
    assert cld["format"] == "argraph-cld"
    links = {link["id"]: link for link in cld["links"]}
    variables = {v["id"] for v in cld["variables"]}
    for link in links.values():
        assert link["from"] in variables and link["to"] in variables
        assert link["polarity"] in "+-"
    for loop in cld["loops"]:
        chain = [links[x] for x in loop["links"]]
        for a, b in zip(chain, chain[1:] + chain[:1], strict=True):
            assert a["to"] == b["from"], loop["id"]
        negatives = sum(1 for x in chain if x["polarity"] == "-")
        assert loop["type"] == ("B" if negatives % 2 else "R")
        assert loop["variables"] == [x["from"] for x in chain]
    stated = {lp["iri"]: lp for lp in cld["loops"] if lp["stated"]}
    rows = select(paper_store, "SELECT ?l ?p WHERE { ?l a arg:FeedbackLoop ; arg:loopPolarity ?p }")
    assert set(stated) == {r["l"].value for r in rows}
    for r in rows:
        assert stated[r["l"].value]["polarity"] == local_name(r["p"].value).lower()
    # Every cycle the analysis finds is in the diagram, once.
    g = load_causal_graph(paper_store)
    found = {frozenset(lp.link_iris) for lp in find_loops(g)}
    iri_of = {link["id"]: link["iri"] for link in cld["links"]}
    listed = [frozenset(iri_of[x] for x in lp["links"]) for lp in cld["loops"]]
    assert len(listed) == len(set(listed))
    assert found <= set(listed)
