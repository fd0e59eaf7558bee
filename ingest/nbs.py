"""NBS annual tables (2000-2019), read from the public CSVs into typed values.

The files are inputs read from `{data_dir}/nbs-provincial-2000-2019/` and never copied into the
repository (see that folder's SOURCE.md). Only the columns the claim checks and charts need are
read. A table that is absent is reported as missing; a table that is present but lacks a needed
column, or holds a cell that is not a number, stops the build with an error naming the file, the
line and the column.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from errors import AnnotationError
from ingest.safe_read import read_input

FOLDER = "nbs-provincial-2000-2019"
PROVINCE_KEYS = ("省份编码", "省份", "年份")
NATIONAL_KEYS = ("年份",)
NATIONAL = "CN"
"""The area code of national rows (by-province rows carry their GB/T 2260 adcode)."""


class DataError(AnnotationError):
    """A public data table that cannot be used as it is (missing column, bad cell)."""

    code = "data_error"


@dataclass(frozen=True, slots=True)
class Column:
    """One indicator column the build reads, and the series it becomes."""

    series: str
    file: str
    header: str
    unit: str
    en: str
    zh: str
    national: bool = False


COLUMNS: tuple[Column, ...] = (
    Column(
        "grp-index",
        "province_gdp_index.csv",
        "地区生产总值指数(上年=100)",
        "index, previous year = 100",
        "Real GRP index (previous year = 100)",
        "地区生产总值指数(上年=100)",
    ),
    Column(
        "population",
        "province_population.csv",
        "年末常住人口(万人)",
        "10k persons",
        "Year-end resident population",
        "年末常住人口",
    ),
    Column(
        "disposable-income",
        "province_income_expenditure_2013on.csv",
        "居民人均可支配收入(元)",
        "yuan per person",
        "Disposable income per capita",
        "居民人均可支配收入",
    ),
    Column(
        "consumption-expenditure",
        "province_income_expenditure_2013on.csv",
        "居民人均消费支出(元)",
        "yuan per person",
        "Consumption expenditure per capita",
        "居民人均消费支出",
    ),
    Column(
        "machine-tools",
        "province_industrial_products.csv",
        "金属切削机床产量(万台)",
        "10k units",
        "Metal-cutting machine tools, output",
        "金属切削机床产量",
    ),
    Column(
        "machine-tools-national",
        "national_industrial_products.csv",
        "金属切削机床产量",
        "10k units (header gives none; matches the sum of the provinces)",
        "Metal-cutting machine tools, national output",
        "全国金属切削机床产量",
        national=True,
    ),
    Column(
        "machine-tool-imports-value",
        "national_imports_major_goods_value.csv",
        "金属加工机床进口金额",
        "not stated in the header (magnitudes fit USD million)",
        "Metal-working machine tools, imports by value",
        "金属加工机床进口金额",
        national=True,
    ),
    Column(
        "machine-tool-imports-quantity",
        "national_imports_major_goods_quantity.csv",
        "金属加工机床进口数量",
        "not stated in the header (magnitudes fit units)",
        "Metal-working machine tools, imports by quantity",
        "金属加工机床进口数量",
        national=True,
    ),
)
BY_SERIES: Mapping[str, Column] = {c.series: c for c in COLUMNS}


@dataclass(frozen=True, slots=True)
class Value:
    """One non-empty cell: a series' value for an area (adcode or "CN") and a year."""

    series: str
    area: str
    year: int
    value: float
    file: str
    """path relative to the data folder, e.g. nbs-provincial-2000-2019/province_gdp_index.csv"""
    line: int


@dataclass(frozen=True, slots=True)
class FileInfo:
    path: str
    sha256: str
    rows: int


@dataclass
class NbsData:
    """What was read: values by series, the files read, and the files not found."""

    values: dict[str, list[Value]] = field(default_factory=dict)
    files: dict[str, FileInfo] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    """adcode -> province name as the tables write it (e.g. 辽宁省)"""

    def has(self, series: str) -> bool:
        return series in self.values

    def table(self, series: str) -> dict[tuple[str, int], Value]:
        """(area, year) -> value. Raises if the series was not read (its file is missing)."""
        if series not in self.values:
            col = BY_SERIES[series]
            raise DataError(
                f"series {series!r} is not loaded: its file is missing",
                file=f"{FOLDER}/{col.file}",
                field=col.header,
            )
        return {(v.area, v.year): v for v in self.values[series]}


def read_nbs(data_dir: Path, columns: Iterable[Column] = COLUMNS) -> NbsData | None:
    """Every needed column of the NBS folder under `data_dir`; None when the folder is absent."""
    folder = Path(data_dir) / FOLDER
    if not folder.is_dir():
        return None
    data = NbsData()
    by_file: dict[str, list[Column]] = {}
    for col in columns:
        by_file.setdefault(col.file, []).append(col)
    for name in sorted(by_file):
        path = folder / name
        if not path.exists() and not path.is_symlink():
            data.missing.append(f"{FOLDER}/{name}")
            continue
        _read_file(path, by_file[name], data, Path(data_dir))
    return data


def _read_file(path: Path, cols: list[Column], data: NbsData, data_dir: Path) -> None:
    rel = f"{FOLDER}/{path.name}"
    try:
        raw = read_input(path, within=data_dir, what="data table")
    except OSError as exc:
        raise DataError(f"cannot read the data table: {exc.strerror}", file=path) from None
    national = cols[0].national
    keys = NATIONAL_KEYS if national else PROVINCE_KEYS
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8: {exc}", file=path) from None
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    for needed in (*keys, *(c.header for c in cols)):
        if needed not in header:
            raise DataError(f"missing column {needed!r}", file=path, line=1, field=needed)
    rows = 0
    out: dict[str, list[Value]] = {c.series: [] for c in cols}
    for row in _rows(reader, path):
        line = reader.line_num
        rows += 1
        year = _int(row["年份"], path, line, "年份")
        if national:
            area = NATIONAL
        else:
            area = (row["省份编码"] or "").strip()
            if not (area.isdigit() and len(area) == 6):
                raise DataError(
                    f"not a GB/T 2260 code: {area!r}", file=path, line=line, field="省份编码"
                )
            data.names.setdefault(area, (row["省份"] or "").strip())
        for col in cols:
            cell = (row[col.header] or "").strip()
            if not cell:
                continue  # empty cell: no value in the source
            value = _float(cell, path, line, col.header)
            out[col.series].append(Value(col.series, area, year, value, rel, line))
    for series, values in out.items():
        data.values[series] = sorted(values, key=lambda v: (v.area, v.year))
    data.files[rel] = FileInfo(rel, hashlib.sha256(raw).hexdigest(), rows)


def _rows(reader: csv.DictReader[str], path: Path) -> Iterator[dict[str, str | None]]:
    """The rows of `reader`; a CSV error (a field over the csv module's size limit, a stray
    quote) names the line."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise DataError(f"malformed CSV: {exc}", file=path, line=reader.line_num + 1) from None
        yield row


def _int(cell: str | None, path: Path, line: int, column: str) -> int:
    try:
        return int((cell or "").strip())
    except ValueError:
        raise DataError(f"not a year: {cell!r}", file=path, line=line, field=column) from None


def _float(cell: str, path: Path, line: int, column: str) -> float:
    try:
        return float(cell)
    except ValueError:
        raise DataError(f"not a number: {cell!r}", file=path, line=line, field=column) from None
