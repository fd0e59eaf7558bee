"""/api/data/...: series as JSON and CSV, checks beside claims, status, the region map."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from argraph.app import create_app
from graph.store import open_built
from tests.api_fixtures import error_of
from tests.browser.conftest import nodata_dist
from tests.conftest import DATA_DIR, Built

__all__ = ["nodata_dist"]  # a fixture: the paper built without the data folder, once per run


def _client(dist: Path, data_dir: Path | None) -> Iterator[TestClient]:
    """The app over a build of the paper (the session's, made with or without the data folder),
    served with or without it."""
    app = create_app(Settings(dist=dist, data_dir=data_dir), open_built(dist))
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="module")
def client(built_paper: Built) -> Iterator[TestClient]:
    yield from _client(built_paper.dist, DATA_DIR)


@pytest.fixture(scope="module")
def bare(nodata_dist: Path) -> Iterator[TestClient]:
    yield from _client(nodata_dist, None)


def test_status_with_data(client: TestClient) -> None:
    body = client.get("/api/data/status").json()
    assert body["loaded"] is True and body["geojson"] is True
    nbs = next(s for s in body["sources"] if s["id"] == "nbs-provincial-2000-2019")
    assert nbs["loaded"] and "grp-index" in nbs["series"]
    io_tables = next(s for s in body["sources"] if s["id"] == "inter-regional-io-tables")
    assert io_tables["loaded"] is False
    assert any("Figure 1" in m for m in body["messages"])
    assert body["checks"]["reproduced"] >= 10


def test_series_list_and_one_series(client: TestClient) -> None:
    listing = client.get("/api/data/series").json()
    ids = {s["id"] for s in listing["data"]}
    assert {
        "grp-index",
        "population",
        "machine-tools",
        "machine-tool-imports-value",
        "mt-share-of-provinces",
        "demand-potential",
    } <= ids
    grp = next(s for s in listing["data"] if s["id"] == "grp-index")
    assert grp["count"] == 620 and grp["derived"] is False
    assert grp["source_file"] == "nbs-provincial-2000-2019/province_gdp_index.csv"
    assert (grp["first_period"], grp["last_period"]) == ("2000", "2019")
    share = next(s for s in listing["data"] if s["id"] == "mt-share-of-provinces")
    assert share["derived"] is True and share["derived_from"] == ["machine-tools"]

    one = client.get("/api/data/series/grp-index", params={"area": "liaoning"}).json()
    assert one["count"] == 20
    y2015 = next(o for o in one["data"] if o["period"] == "2015")
    assert y2015["value"] == 102.8 and y2015["area_label"]["en"] == "Liaoning"
    line = (DATA_DIR / y2015["source_file"]).read_text(encoding="utf-8").splitlines()
    assert line[y2015["source_row"] - 1].startswith("210000,辽宁省,2015,102.8")


def test_series_as_csv(client: TestClient) -> None:
    r = client.get("/api/data/series/machine-tool-imports-value", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 20 and {row["area"] for row in rows} == {"china"}
    assert [row["period"] for row in rows] == [str(y) for y in range(2000, 2020)]
    assert float(next(row for row in rows if row["period"] == "2001")["value"]) == 2405.74


def test_unknown_series_is_404(client: TestClient) -> None:
    err = error_of(client.get("/api/data/series/no-such"), 404, "not_found")
    assert "no-such" in err["message"]


def test_checks_beside_claims(client: TestClient) -> None:
    listing = client.get("/api/data/checks").json()
    assert listing["count"] >= 15
    r = client.get("/api/claims/c-new-northeast-phenomenon/checks").json()
    assert {c["id"] for c in r["data"]} >= {"rank-2015-liaoning", "rank-2015-jilin"}
    liaoning = client.get("/api/data/checks/rank-2015-liaoning").json()
    assert liaoning["verdict"] == "reproduced"
    assert liaoning["computed"] == 1 and liaoning["paper_value"] == 1
    assert liaoning["inputs"][0]["column"] == "地区生产总值指数(上年=100)"
    assert liaoning["series"] == ["grp-index"]
    by_stat = client.get("/api/claims/s3-st-demand-potential-ratio/checks").json()
    ratio = by_stat["data"][0]
    assert ratio["paper_value"] == 0.31 and abs(ratio["computed"] - 0.307) < 5e-4
    assert len(ratio["alternatives"]) == 14
    differs = client.get("/api/data/checks", params={"verdict": "differs"}).json()
    assert [c["id"] for c in differs["data"]] == ["imports-quantity-after-2001"]


def test_regions_geojson(client: TestClient) -> None:
    r = client.get("/api/data/regions.geojson")
    assert r.status_code == 200 and r.headers["content-type"] == "application/geo+json"
    doc = r.json()
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 34
    props = {f["properties"]["adcode"]: f["properties"] for f in doc["features"]}
    assert props["210000"]["region"] == "region-northeast"
    assert props["340000"]["region"] == "region-central"
    assert props["710000"]["region"] is None  # Taiwan: outside the paper's division
    assert sum(1 for p in props.values() if p["region"]) == 31
    regions = client.get("/api/data/regions").json()
    assert len(regions) == 8
    assert sum(len(r["provinces"]) for r in regions) == 31


def test_without_data(bare: TestClient) -> None:
    status = bare.get("/api/data/status").json()
    assert status["loaded"] is False and status["geojson"] is False
    assert any("not loaded" in m for m in status["messages"])
    assert any("boundaries" in m for m in status["messages"])
    assert status["checks"]["reproduced"] == 0 and status["checks"]["not-checkable"] >= 15
    assert bare.get("/api/data/series").json() == {"data": [], "count": 0}
    error_of(bare.get("/api/data/series/grp-index"), 404, "not_found")
    check = bare.get("/api/data/checks/rank-2015-liaoning").json()
    assert check["verdict"] == "not-checkable" and check["computed"] is None
    assert "not loaded" in check["notes"][0]
    error_of(bare.get("/api/data/regions.geojson"), 404, "not_found")
    assert len(bare.get("/api/data/regions").json()) == 8  # the division needs no data
