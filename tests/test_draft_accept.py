"""Draft -> edit -> accept -> the corpus validates; what is refused on the way."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from argraph.cli import app
from errors import AnnotationError
from ingest.corpus import load_corpus
from ingest.draft.accept import accept, load_drafts, refuse_draft_items
from ingest.draft.pipeline import draft_text
from ingest.draft.writer import write_draft
from tests.conftest import REPO

FIXTURE = REPO / "tests" / "data" / "draft-fixture"
SOURCE = FIXTURE / "source.md"
runner = CliRunner()


@pytest.fixture
def drafted(tmp_path: Path) -> tuple[Path, Path]:
    out = tmp_path / "work"
    write_draft(
        draft_text(SOURCE.read_text(encoding="utf-8"), name="tea-county", path=str(SOURCE)), out
    )
    corpus = tmp_path / "corpus" / "tea-county"
    corpus.mkdir(parents=True)
    shutil.copy(FIXTURE / "paper.yaml", corpus / "paper.yaml")
    return out, corpus


def _fill(out: Path, ids: set[str]) -> None:
    """What a reviewer does: write the English the draft left as TODO."""
    for path in (out / "draft").glob("*.draft.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key in ("items", "sections", "footnotes", "references"):
            for item in data.get(key) or []:
                if item.get("id") in ids:
                    item["label"]["en"] = f"English for {item['id']}"
                    if "mechanism" in item:
                        item["mechanism"]["en"] = "how it acts, in our words"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _chain_link(out: Path) -> dict[str, str]:
    drafts = load_drafts(out)
    return next(
        d.item
        for d in drafts.values()
        if d.item.get("type") == "link" and d.item["label"]["zh"] == "茶农收入提高 → 加工投入增加"
    )


def test_round_trip_draft_accept_validate(drafted: tuple[Path, Path]) -> None:
    out, corpus = drafted
    link = _chain_link(out)
    _fill(out, {link["id"], link["cause"], link["effect"], link["asserted_by"], "sec-2"})
    result = runner.invoke(
        app, ["draft", "--accept", link["id"], "--out", str(out), "--into", str(corpus)]
    )
    assert result.exit_code == 0, result.output
    accepted = yaml.safe_load((corpus / "accepted-sec-2.yaml").read_text(encoding="utf-8"))
    assert accepted["section"] == "sec-2"
    assert {i["id"] for i in accepted["items"]} == {
        link["id"],
        link["cause"],
        link["effect"],
        link["asserted_by"],
    }
    assert all("draft" not in i for i in accepted["items"])
    loaded = load_corpus(corpus)
    assert loaded.items[link["id"]].cause == link["cause"]  # type: ignore[union-attr]
    check = runner.invoke(app, ["validate", "--corpus", str(corpus), "--source", str(SOURCE)])
    assert check.exit_code == 0, check.output
    # accepting again is a no-op for what the corpus already has
    assert accept([link["id"]], out, corpus) == []


def test_todo_is_refused_and_nothing_is_written(drafted: tuple[Path, Path]) -> None:
    out, corpus = drafted
    link = _chain_link(out)
    before = sorted(p.name for p in corpus.iterdir())
    with pytest.raises(AnnotationError) as info:
        accept([link["id"]], out, corpus)
    assert info.value.item == link["id"] and "TODO" in info.value.message
    assert sorted(p.name for p in corpus.iterdir()) == before


def test_a_model_error_names_the_field(drafted: tuple[Path, Path]) -> None:
    out, corpus = drafted
    link = _chain_link(out)
    _fill(out, {link["id"], link["cause"], link["effect"], link["asserted_by"], "sec-2"})
    path = next((out / "draft").glob("02-*.draft.yaml"))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for item in data["items"]:
        if item["id"] == link["id"]:
            item["polarity"] = "sideways"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(AnnotationError) as info:
        accept([link["id"]], out, corpus)
    assert info.value.field == "polarity" and info.value.item == link["id"]


def test_unknown_id_and_missing_paper(drafted: tuple[Path, Path], tmp_path: Path) -> None:
    out, corpus = drafted
    with pytest.raises(AnnotationError, match="no draft item"):
        accept(["no-such-item"], out, corpus)
    with pytest.raises(AnnotationError, match=r"paper\.yaml not found"):
        accept(["sec-1"], out, tmp_path)


def test_refuse_draft_items_in_a_corpus(drafted: tuple[Path, Path]) -> None:
    out, corpus = drafted
    refuse_draft_items(corpus)  # a clean corpus passes
    shutil.copy(next((out / "draft").glob("01-*.draft.yaml")), corpus / "01-sec-1.yaml")
    with pytest.raises(AnnotationError) as info:
        refuse_draft_items(corpus)
    assert (
        info.value.field == "draft"
        and info.value.file
        and info.value.file.endswith("01-sec-1.yaml")
    )
    assert info.value.line is not None
