"""Province Wikidata ids, read from the public table (never copied into the repo)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from errors import AnnotationError
from ingest.safe_read import read_input

TABLE = Path("wikidata-cn-provinces") / "cn_province_wikidata.csv"
COLUMNS = {"key", "wikidata"}


def read_wikidata_ids(data_dir: Path) -> dict[str, str]:
    """ISO 3166 code (CN, CN-LN, ...) -> Wikidata QID. Empty when the table is absent."""
    path = Path(data_dir) / TABLE
    if not path.exists() and not path.is_symlink():
        return {}
    try:
        raw = read_input(path, within=Path(data_dir), what="data table")
    except OSError as exc:
        raise AnnotationError(f"cannot read the table: {exc.strerror}", file=path) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise AnnotationError(f"not valid UTF-8 (byte {exc.start})", file=path, line=line) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = COLUMNS - set(reader.fieldnames or ())
    if missing:
        raise AnnotationError(
            f"missing column(s) {sorted(missing)}", file=path, line=1, field="header"
        )
    ids = {}
    for row in _rows(reader, path):
        key, qid = row["key"], row["wikidata"]
        if key is None or qid is None:
            field = "key" if key is None else "wikidata"
            raise AnnotationError(
                "the row has fewer fields than the header",
                file=path,
                line=reader.line_num,
                field=field,
            )
        if key.strip() and qid.strip():
            ids[key.strip().replace("_", "-")] = qid.strip()
    return ids


def _rows(reader: csv.DictReader[str], path: Path) -> Iterator[dict[str, str | None]]:
    """The rows of `reader`; a CSV error (a field over the csv module's size limit) names the
    line."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # line_num counts the lines read before the one that failed
            raise AnnotationError(
                f"malformed CSV: {exc}", file=path, line=reader.line_num + 1
            ) from None
        yield row
