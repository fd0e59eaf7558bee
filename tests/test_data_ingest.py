"""Reading the NBS tables and the region map: typed values, provenance, loud errors."""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import pytest

from errors import AnnotationError
from graph.data.regions import ADCODE_BY_ISO, read_geojson, region_map
from ingest.corpus import Corpus, load_corpus
from ingest.nbs import BY_SERIES, COLUMNS, FOLDER, NATIONAL, DataError, read_nbs
from ingest.safe_read import InputRefused, input_limits
from tests.conftest import DATA_DIR, PAPER_CORPUS

NBS = DATA_DIR / FOLDER


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(PAPER_CORPUS)


def _copy(tmp_path: Path) -> Path:
    """A private, writable copy of the NBS folder under `tmp_path/data`."""
    target = tmp_path / "data" / FOLDER
    shutil.copytree(NBS, target)
    for f in target.iterdir():
        f.chmod(0o644)
    return tmp_path / "data"


def test_reads_the_needed_columns() -> None:
    nbs = read_nbs(DATA_DIR)
    assert nbs is not None and not nbs.missing
    assert sorted(nbs.values) == sorted(c.series for c in COLUMNS)
    grp = nbs.table("grp-index")
    assert len({a for a, _ in grp}) == 31
    assert {y for _, y in grp} == set(range(2000, 2020))
    assert len(grp) == 31 * 20
    # disposable income starts in 2013 (the file's name says so)
    assert {y for _, y in nbs.table("disposable-income")} == set(range(2013, 2020))
    national = nbs.table("machine-tools-national")
    assert {a for a, _ in national} == {NATIONAL}
    assert nbs.names["210000"].startswith("辽宁")


def test_each_value_points_at_its_line() -> None:
    nbs = read_nbs(DATA_DIR)
    assert nbs is not None
    value = nbs.table("grp-index")[("210000", 2015)]
    lines = (DATA_DIR / value.file).read_text(encoding="utf-8").splitlines()
    row = next(csv.reader([lines[value.line - 1]]))
    header = next(csv.reader([lines[0]]))
    assert row[0] == "210000" and row[2] == "2015"
    assert float(row[header.index(BY_SERIES["grp-index"].header)]) == value.value
    info = nbs.files[value.file]
    assert info.rows == len(lines) - 1 and len(info.sha256) == 64


def test_absent_folder_is_not_an_error(tmp_path: Path) -> None:
    assert read_nbs(tmp_path) is None


def test_absent_file_is_reported_missing(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    (data / FOLDER / "province_gdp_index.csv").unlink()
    nbs = read_nbs(data)
    assert nbs is not None
    assert nbs.missing == [f"{FOLDER}/province_gdp_index.csv"]
    assert not nbs.has("grp-index") and nbs.has("population")
    with pytest.raises(DataError, match="not loaded"):
        nbs.table("grp-index")


def test_missing_column_names_file_line_and_column(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    path = data / FOLDER / "province_population.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("年末常住人口(万人)", "常住人口", 1), encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_nbs(data)
    e = err.value
    assert e.file == str(path) and e.line == 1 and e.field == "年末常住人口(万人)"
    assert "province_population.csv:1" in str(e) and "missing column" in str(e)
    assert e.to_dict()["error"]["code"] == "data_error"


def test_bad_cell_names_its_line(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    path = data / FOLDER / "province_gdp_index.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[4].split(",")
    cells[3] = "n/a"
    lines[4] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_nbs(data)
    assert err.value.line == 5 and err.value.field == "地区生产总值指数(上年=100)"


def test_region_map_is_the_papers_eight_regions(corpus: Corpus) -> None:
    rmap = region_map(corpus)
    assert len(rmap.regions) == 8
    members = [p.id for r in rmap.regions for p in r.provinces]
    assert len(members) == len(set(members)) == 31
    assert {p.id for p in rmap.region("region-northeast").provinces} == {
        "liaoning",
        "jilin",
        "heilongjiang",
    }
    assert rmap.group("region-east-coast", "anhui") == {"310000", "320000", "330000", "340000"}
    assert rmap.country == "china"


def test_iso_to_adcode_agrees_with_the_tables_and_the_map(corpus: Corpus) -> None:
    """The fixed ISO -> GB/T 2260 table, checked against the names in both public files."""
    rmap = region_map(corpus)
    nbs = read_nbs(DATA_DIR)
    geo = read_geojson(DATA_DIR)
    assert nbs is not None and geo is not None
    geo_names = {f["properties"]["id"]: f["properties"]["name"] for f in geo["features"]}
    assert set(ADCODE_BY_ISO.values()) == set(geo_names)
    for p in rmap.provinces.values():
        assert nbs.names[p.adcode].startswith(p.zh), p
        assert geo_names[p.adcode].startswith(p.zh), p


def test_geojson_absent_is_none(tmp_path: Path) -> None:
    assert read_geojson(tmp_path) is None
    assert read_geojson(None) is None
    bad = tmp_path / "china-provinces-geojson-echarts4"
    bad.mkdir()
    (bad / "china_provinces.geojson").write_text(json.dumps({"type": "Feature"}))
    with pytest.raises(AnnotationError, match="FeatureCollection"):
        read_geojson(tmp_path)


# -- tables that are not files, too big, or outside the data folder -------------------------------

GDP = "province_gdp_index.csv"


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda p: p.symlink_to("/dev/zero"), "character device"),
        (lambda p: os.mkfifo(p), "FIFO"),
        (lambda p: p.mkdir(), "folder"),
    ],
    ids=["dev-zero", "fifo", "folder"],
)
def test_a_table_that_is_not_a_regular_file_is_refused(
    tmp_path: Path, make: object, needle: str
) -> None:
    data = _copy(tmp_path)
    path = data / FOLDER / GDP
    path.unlink()
    make(path)  # type: ignore[operator]
    with pytest.raises(InputRefused, match=needle) as err:
        read_nbs(data)
    assert err.value.file == str(path)


def test_a_table_linked_out_of_the_data_folder_is_refused(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    path = data / FOLDER / GDP
    outside = tmp_path / GDP
    path.rename(outside)
    path.symlink_to(outside)
    with pytest.raises(InputRefused, match="outside the folder"):
        read_nbs(data)
    # a link inside the data folder is read
    path.unlink()
    (data / "copy.csv").write_bytes(outside.read_bytes())
    path.symlink_to(data / "copy.csv")
    nbs = read_nbs(data)
    assert nbs is not None and nbs.has("grp-index")


def test_a_table_over_the_cap_is_refused(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    with input_limits(50_000, 10_000_000), pytest.raises(InputRefused, match="50,000 bytes"):
        read_nbs(data)
    with input_limits(10_000_000, 100_000), pytest.raises(InputRefused, match="in all"):
        read_nbs(data)


def test_a_csv_field_over_the_csv_limit_names_its_line(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    path = data / FOLDER / GDP
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3] + "," + "9" * 200_000
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="malformed CSV") as err:
        read_nbs(data)
    assert err.value.line == 4 and err.value.file == str(path)


def test_a_geojson_too_deep_or_not_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "china-provinces-geojson-echarts4"
    folder.mkdir()
    path = folder / "china_provinces.geojson"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(AnnotationError, match="cannot read the GeoJSON"):
        read_geojson(tmp_path)
    path.unlink()
    path.symlink_to("/dev/zero")
    assert (
        read_geojson(tmp_path) is None
    )  # not a file: as if absent (the service's map is optional)
