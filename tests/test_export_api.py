"""/api/export/{format}, /ontology.html and `argraph export`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from argraph.app import create_app
from graph.exports import EXPORTS, export
from graph.store import OxigraphStore
from tests.api_fixtures import error_of, settings_for
from tests.conftest import Built


@pytest.fixture(scope="module")
def client(built_paper: Built, paper_store: OxigraphStore) -> Iterator[TestClient]:
    # the formats are under test here, not the time limit: an export that takes 3 s on a quiet
    # machine must not hit the default 10 s on a busy one
    app = create_app(settings_for(built_paper.dist, query_timeout_s=120), paper_store)
    with TestClient(app) as c:
        yield c


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_each_format_with_its_media_type_and_file_name(
    client: TestClient, paper_store: OxigraphStore, name: str
) -> None:
    r = client.get(f"/api/export/{name}")
    assert r.status_code == 200, r.text
    spec = EXPORTS[name]
    assert r.headers["content-type"].split(";")[0] == spec.media_type
    disposition = r.headers["content-disposition"]
    assert disposition == f'attachment; filename="liu-tong-2021.{spec.extension}"'
    assert r.content.decode("utf-8") == export(name, paper_store)


def test_format_list(client: TestClient) -> None:
    body = client.get("/api/export").json()
    assert body["count"] == len(EXPORTS)
    assert {d["format"] for d in body["data"]} == set(EXPORTS)


def test_unknown_format_is_a_404_in_the_error_shape(client: TestClient) -> None:
    err = error_of(client.get("/api/export/pdf"), 404, "not_found")
    assert "aif" in err["message"]


def test_ontology_html(client: TestClient) -> None:
    r = client.get("/ontology.html")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert 'id="CausalLink"' in r.text
    assert "<script" not in r.text


def _cli() -> typer.Typer:
    from argraph.cli import app
    from argraph.cli_export import register

    if not any(c.name == "export" for c in app.registered_commands):
        register(app)
    return app


def test_cli_writes_each_format(
    built_paper: Built, paper_store: OxigraphStore, tmp_path: Path
) -> None:
    app = _cli()
    runner = CliRunner()
    for name in ("aif", "cld", "claims-csv"):
        out = tmp_path / f"x.{EXPORTS[name].extension}"
        result = runner.invoke(
            app, ["export", "--format", name, "--dist", str(built_paper.dist), "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
        assert out.read_bytes().decode("utf-8") == export(name, paper_store)
    result = runner.invoke(app, ["export", "--format", "cld", "--dist", str(built_paper.dist)])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["format"] == "argraph-cld"


def test_cli_errors_exit_2(built_paper: Built, tmp_path: Path) -> None:
    app = _cli()
    runner = CliRunner()
    bad = runner.invoke(app, ["export", "--format", "pdf", "--dist", str(built_paper.dist)])
    assert bad.exit_code == 2
    assert "unknown --format" in bad.stderr
    missing = runner.invoke(app, ["export", "--format", "aif", "--dist", str(tmp_path / "none")])
    assert missing.exit_code == 2
    assert "argraph build" in missing.stderr


def test_cli_help_lists_every_format() -> None:
    from argraph.cli_export import FORMATS

    assert FORMATS.split(", ") == list(EXPORTS)
