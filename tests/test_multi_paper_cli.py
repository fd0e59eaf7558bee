"""Several papers from the command line: `argraph build --corpus A --corpus B` writes one dist
(the merged dumps, a manifest listing each paper), an alignment of one paper to another built
with it resolves, `argraph serve` rebuilds by the manifest's papers (a graph.nq without a
manifest is served as it is), and the analysis verbs take `--paper`.

Cheap: the small fixture papers (tests/data/mini, tests/data/second-paper, the aligned pair),
built once per module; the serve staleness is unit-tested on hand-made manifests."""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.settings import Settings
from argraph.cli import app
from argraph.serve import build_plan, ensure_built
from errors import BadRequest
from graph.iris import DEFAULT_BASE
from graph.results import AskResult, SelectResult
from graph.store import open_built
from tests.conftest import MINI_CORPUS, MINI_SOURCE
from tests.second_paper_fixtures import SECOND_CORPUS, SECOND_SOURCE

PAIR = Path(__file__).parent / "data" / "aligned-pair"
MINI_ID, SECOND_ID = MINI_CORPUS.name, SECOND_CORPUS.name


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini paper and the second paper, built into one dist by the CLI."""
    dist = tmp_path_factory.mktemp("multi") / "dist"
    out = run(
        "build",
        "--corpus", str(MINI_CORPUS),
        "--corpus", str(SECOND_CORPUS),
        "--source", str(MINI_SOURCE),
        "--source", str(SECOND_SOURCE),
        "--dist", str(dist),
        "--quiet",
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    return dist


def test_the_manifest_lists_every_paper_with_its_folder_text_and_digests(both: Path) -> None:
    manifest = json.loads((both / "manifest.json").read_text("utf-8"))
    papers = manifest["papers"]
    assert [p["paper"] for p in papers] == [MINI_ID, SECOND_ID]
    assert [Path(p["corpus"]) for p in papers] == [MINI_CORPUS.resolve(), SECOND_CORPUS.resolve()]
    assert [Path(p["source"]) for p in papers] == [MINI_SOURCE.resolve(), SECOND_SOURCE.resolve()]
    assert all(len(p["corpus_sha256"]) == 64 and len(p["source_sha256"]) == 64 for p in papers)
    assert all(p["anchors_verified"] for p in papers) and manifest["anchors_verified"]
    assert manifest["base_iri"] == DEFAULT_BASE and "paper" not in manifest
    graphs = manifest["graphs"]
    for paper in (MINI_ID, SECOND_ID):
        assert graphs[f"{DEFAULT_BASE}graph/{paper}/assertions"] > 0


def test_the_dist_holds_both_papers_graphs(both: Path) -> None:
    store = open_built(both)
    docs = store.query("SELECT ?d WHERE { ?d a <https://w3id.org/argraph/ontology#Document> }")
    assert isinstance(docs, SelectResult)
    found = sorted(row["d"].value for row in docs.rows)
    assert found == [f"{DEFAULT_BASE}id/{MINI_ID}", f"{DEFAULT_BASE}id/{SECOND_ID}"]
    for name in ("graph.trig", "graph.ttl", "graph.jsonld", "graph.nt"):
        text = (both / name).read_text("utf-8")
        assert f"id/{MINI_ID}/" in text and f"id/{SECOND_ID}/" in text, name


def test_a_single_paper_build_keeps_its_manifest_and_lists_itself(
    mini_built: Any,
) -> None:
    manifest = json.loads((mini_built.dist / "manifest.json").read_text("utf-8"))
    assert manifest["paper"] == MINI_ID
    assert [p["paper"] for p in manifest["papers"]] == [MINI_ID]


def _pair(tmp_path: Path) -> tuple[Path, Path]:
    """pair-a and pair-b in folders apart, so that pair-b cannot find pair-a beside it."""
    a = tmp_path / "one" / "pair-a"
    b = tmp_path / "two" / "pair-b"
    shutil.copytree(PAIR / "corpus" / "pair-a", a)
    shutil.copytree(PAIR / "corpus" / "pair-b", b)
    return a, b


def test_alignment_targets_resolve_when_both_papers_are_built_together(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    alone = run("build", "--corpus", str(b), "--no-source", "--dist", str(tmp_path / "x"), "-q")
    assert alone.exit_code == 2 and "pair-a" in alone.output, alone.output
    dist = tmp_path / "dist"
    out = run(
        "build",
        "--corpus", str(b),
        "--corpus", str(a),
        "--source", str(PAIR / "pair-b.md"),
        "--source", str(PAIR / "pair-a.md"),
        "--dist", str(dist),
        "--quiet",
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    result = open_built(dist).query(
        "ASK { <https://w3id.org/argraph/id/pair-b/demand-b> "
        "<http://www.w3.org/2004/02/skos/core#exactMatch> "
        "<https://w3id.org/argraph/id/pair-a/demand> }"
    )
    assert isinstance(result, AskResult) and result.value


def test_two_papers_of_one_name_are_refused(tmp_path: Path) -> None:
    twin = tmp_path / "elsewhere" / MINI_ID
    shutil.copytree(MINI_CORPUS, twin)
    out = run(
        "build", "--corpus", str(MINI_CORPUS), "--corpus", str(twin), "--no-source",
        "--dist", str(tmp_path / "dist"), "-q",
    )  # fmt: skip
    assert out.exit_code == 2 and f"two papers named {MINI_ID!r}" in out.output, out.output


def test_more_texts_than_papers_is_refused(tmp_path: Path) -> None:
    out = run(
        "build", "--corpus", str(MINI_CORPUS), "--source", str(MINI_SOURCE),
        "--source", str(SECOND_SOURCE), "--dist", str(tmp_path / "dist"), "-q",
    )  # fmt: skip
    assert out.exit_code == 2 and "2 texts for 1 paper(s)" in out.output, out.output


# --- settings: several papers from the environment ------------------------------------------


def test_argraph_corpus_takes_several_paths_joined_by_the_path_separator(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ARGRAPH_CORPUS", os.pathsep.join([str(MINI_CORPUS), str(SECOND_CORPUS)]))
    monkeypatch.setenv("ARGRAPH_SOURCE", os.pathsep.join([str(MINI_SOURCE), str(SECOND_SOURCE)]))
    s = Settings()
    assert s.corpus == MINI_CORPUS and s.source == MINI_SOURCE
    assert s.papers() == [(MINI_CORPUS, MINI_SOURCE), (SECOND_CORPUS, SECOND_SOURCE)]
    again = Settings.model_validate(s.model_dump() | {"port": 9000})
    assert again.papers() == s.papers()


def test_one_corpus_keeps_its_settings_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARGRAPH_CORPUS", raising=False)
    monkeypatch.delenv("ARGRAPH_SOURCE", raising=False)
    s = Settings(corpus=MINI_CORPUS, source=None)
    assert s.corpora == [] and s.papers() == [(MINI_CORPUS, None)]
    with pytest.raises(BadRequest):
        Settings.model_validate(
            {"corpus": MINI_CORPUS, "source": [MINI_SOURCE, SECOND_SOURCE]}
        ).papers()


def test_argraph_serve_takes_several_corpora(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: list[Settings] = []
    monkeypatch.setattr("argraph.serve.serve", seen.append)
    out = run(
        "serve", "--corpus", str(MINI_CORPUS), "--corpus", str(SECOND_CORPUS),
        "--no-source", "--dist", str(tmp_path / "dist"), "--port", "9999",
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    (settings,) = seen
    assert settings.papers() == [(MINI_CORPUS, None), (SECOND_CORPUS, None)]
    assert settings.port == 9999 and settings.dist == tmp_path / "dist"
    out = run("serve", "--dist", str(tmp_path / "dist"), "--no-source", "--port", "9998")
    assert out.exit_code == 0, out.output
    assert "corpus" not in seen[-1].model_fields_set  # without --corpus: the dist's own papers


# --- serve: when is a dist rebuilt -------------------------------------------------------------


@pytest.fixture()
def made(tmp_path: Path) -> Iterator[tuple[Path, Path, Path]]:
    """Two paper folders and a dist whose manifest lists both, built after their files."""
    a, b = tmp_path / "corpus" / "a", tmp_path / "corpus" / "b"
    for folder in (a, b):
        folder.mkdir(parents=True)
        (folder / "paper.yaml").write_text("document: {}\n", "utf-8")
        os.utime(folder / "paper.yaml", (1_000_000, 1_000_000))
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "graph.nq").write_text("", "utf-8")
    papers = [{"paper": f.name, "corpus": str(f), "source": None} for f in (a, b)]
    manifest = {"base_iri": DEFAULT_BASE, "papers": papers}
    (dist / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    yield a, b, dist


def settings_for(dist: Path, *corpora: Path, **more: Any) -> Settings:
    return Settings.model_validate({"dist": dist, "corpus": list(corpora), "source": None, **more})


def test_a_current_merged_build_is_not_rebuilt_for_any_of_its_papers(
    made: tuple[Path, Path, Path],
) -> None:
    a, b, dist = made
    assert build_plan(settings_for(dist, a, b)) is None
    assert (
        build_plan(Settings(dist=dist, corpus=a, source=None)) is None
    )  # the default: one of them
    assert build_plan(Settings(dist=dist, corpus=b, source=None)) is None


def test_without_a_corpus_named_the_manifests_papers_are_served(
    made: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ARGRAPH_CORPUS", raising=False)
    a, b, dist = made
    default = Settings(dist=dist, source=None)  # the default corpus: not a paper of this dist
    assert "corpus" not in default.model_fields_set
    assert build_plan(default) is None
    (b / "01-new.yaml").write_text("items: []\n", "utf-8")
    os.utime(dist / "manifest.json", (2_000_000, 2_000_000))
    assert build_plan(default) == [(a, None), (b, None)]


def test_a_paper_the_manifest_does_not_list_rebuilds_with_the_papers_asked_for(
    made: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    a, _b, dist = made
    c = tmp_path / "corpus" / "c"
    c.mkdir()
    assert build_plan(settings_for(dist, a, c)) == [(a, None), (c, None)]


def test_a_changed_input_rebuilds_every_paper_of_the_manifest(
    made: tuple[Path, Path, Path],
) -> None:
    a, b, dist = made
    (b / "01-new.yaml").write_text("items: []\n", "utf-8")  # newer than the manifest
    os.utime(dist / "manifest.json", (2_000_000, 2_000_000))
    assert build_plan(Settings(dist=dist, corpus=a, source=None)) == [(a, None), (b, None)]
    recorded = json.loads((dist / "manifest.json").read_text("utf-8"))
    recorded["papers"][0]["source"] = str(a / "paper.md")
    (dist / "manifest.json").write_text(json.dumps(recorded), "utf-8")
    os.utime(dist / "manifest.json", (2_000_000, 2_000_000))
    with_text = build_plan(Settings(dist=dist, corpus=a))
    assert with_text == [(a, a / "paper.md"), (b, None)]
    assert build_plan(Settings(dist=dist, corpus=a, source=None)) == [(a, None), (b, None)]


def test_another_base_iri_or_no_dump_rebuilds_with_the_settings_papers(
    made: tuple[Path, Path, Path],
) -> None:
    a, _b, dist = made
    other = Settings(dist=dist, corpus=a, source=None, base_iri="https://example.org/kg/")
    assert build_plan(other) == [(a, None)]
    (dist / "graph.nq").unlink()
    assert build_plan(Settings(dist=dist, corpus=a, source=None)) == [(a, None)]


def test_an_older_manifest_without_papers_is_a_build_of_the_settings_papers(
    made: tuple[Path, Path, Path],
) -> None:
    a, _b, dist = made
    (dist / "manifest.json").write_text(json.dumps({"base_iri": DEFAULT_BASE, "paper": "a"}))
    assert build_plan(Settings(dist=dist, corpus=a, source=None)) is None
    (a / "02-new.yaml").write_text("items: []\n", "utf-8")
    os.utime(dist / "manifest.json", (2_000_000, 2_000_000))
    assert build_plan(Settings(dist=dist, corpus=a, source=None)) == [(a, None)]


def test_a_dump_without_manifest_is_served_as_it_is_with_a_warning(
    made: tuple[Path, Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    a, _b, dist = made
    (dist / "manifest.json").unlink()
    (dist / "graph.nq").write_text("<urn:x> <urn:y> <urn:z> .\n", "utf-8")
    with caplog.at_level(logging.WARNING, logger="argraph.serve"):
        ensure_built(Settings(dist=dist, corpus=a, source=None))
    assert (dist / "graph.nq").read_text("utf-8") == "<urn:x> <urn:y> <urn:z> .\n"
    assert "no manifest.json: served as it is" in caplog.text


# --- the analysis verbs take --paper -----------------------------------------------------------


def test_loops_of_one_paper_or_of_all(both: Path) -> None:
    def loops(*more: str) -> list[dict[str, Any]]:
        out = run("loops", "--dist", str(both), "--json", *more)
        assert out.exit_code == 0, out.output
        found: list[dict[str, Any]] = json.loads(out.stdout)
        return found

    mine, second, every = loops("--paper", MINI_ID), loops("--paper", SECOND_ID), loops()
    assert mine and second and len(every) == len(mine) + len(second)
    for paper, found in ((MINI_ID, mine), (SECOND_ID, second)):
        assert all(
            f["iri"].startswith(f"{DEFAULT_BASE}id/{paper}/") for lp in found for f in lp["factors"]
        )


def test_an_unknown_paper_is_the_apis_error(both: Path) -> None:
    out = run("compare", "--dist", str(both), "--paper", "nope")
    assert out.exit_code == 2
    assert f"no paper 'nope' is loaded (loaded: {MINI_ID}, {SECOND_ID})" in out.output


def test_an_id_two_papers_share_is_ambiguous_without_paper(tmp_path: Path) -> None:
    twin = tmp_path / "twin" / "mini-twin"
    shutil.copytree(MINI_CORPUS, twin)
    dist = tmp_path / "dist"
    out = run(
        "build", "--corpus", str(MINI_CORPUS), "--corpus", str(twin), "--no-source",
        "--no-validate", "--dist", str(dist), "-q",
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    both_papers = run("chains", "share", "profit", "--dist", str(dist))
    assert both_papers.exit_code == 2
    assert "factor id 'share' is ambiguous: give the full IRI" in both_papers.output
    one = run("chains", "share", "profit", "--dist", str(dist), "--paper", "mini-twin", "--json")
    assert one.exit_code == 0, one.output
    chains = json.loads(one.stdout)
    assert chains and all("/id/mini-twin/" in f["iri"] for c in chains for f in c["factors"])


def test_compare_of_one_paper_has_its_explanations_only(both: Path) -> None:
    out = run("compare", "--dist", str(both), "--paper", SECOND_ID, "--format", "json")
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)["explanations"]
    assert rows and all(f"/id/{SECOND_ID}/" in r["explanation"]["iri"] for r in rows)


def test_policies_print_each_targets_aim_and_effect_on_the_outcome(both: Path) -> None:
    out = run("policies", "--dist", str(both), "--paper", SECOND_ID)
    assert out.exit_code == 0, out.output
    assert "(outcome: city-decline)" in out.output
    assert "  talent-outflow (factor): weaken, leverage 4, lowers the outcome" in out.output
    assert f"/id/{MINI_ID}/" not in out.output and "p-subsidy" not in out.output


def test_intervene_by_a_policy_reaches_its_aims(both: Path) -> None:
    out = run(
        "intervene", "--dist", str(both), "--paper", SECOND_ID, "--policy", "p-housing-subsidy"
    )
    assert out.exit_code == 0, out.output
    assert "policy p-housing-subsidy" in out.output and "holds: talent-outflow" in out.output
    assert "lost outcomes: city-decline" in out.output
    data = run(
        "intervene", "--dist", str(both), "--paper", SECOND_ID, "--policy", "p-housing-subsidy",
        "--json",
    )  # fmt: skip
    result = json.loads(data.stdout)
    assert result["policy"].endswith(f"/id/{SECOND_ID}/p-housing-subsidy")
    mixed = run("intervene", "--dist", str(both), "--policy", "p-housing-subsidy", "--cut", "x")
    assert mixed.exit_code == 2 and "not both" in mixed.output
    unknown = run(
        "intervene", "--dist", str(both), "--paper", MINI_ID, "--policy", "p-housing-subsidy"
    )
    assert (
        unknown.exit_code == 2 and "no policy recommendation 'p-housing-subsidy'" in unknown.output
    )


def test_the_viewer_finds_each_listed_papers_folder_and_text(tmp_path: Path) -> None:
    """With `--corpus A --corpus B` in different places, the viewer reads B's files (its
    checks.yaml, its text) where the settings list them, not beside A."""
    from web.papers import Paper, corpus_folder, source_candidates

    a, b = tmp_path / "one" / "paper-a", tmp_path / "two" / "paper-b"
    for folder in (a, b):
        folder.mkdir(parents=True)
        (folder / "paper.yaml").write_text("{}", encoding="utf-8")
    text_a, text_b = tmp_path / "a.md", tmp_path / "b.md"
    settings = Settings(corpora=[a, b], sources=[text_a, text_b])
    second = Paper("paper-b", "https://w3id.org/argraph/id/paper-b/", default=False)
    assert corpus_folder(settings, second, alone=False) == b
    assert source_candidates(settings, second)[0] == text_b
    first = Paper("paper-a", "https://w3id.org/argraph/id/paper-a/", default=True)
    assert corpus_folder(settings, first, alone=False) == a
    assert source_candidates(settings, first)[0] == text_a
