"""Province Wikidata ids, read from the public table (never copied into the repo)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from argraph.graph.errors import AnnotationError

TABLE = Path("wikidata-cn-provinces") / "cn_province_wikidata.csv"
COLUMNS = {"key", "wikidata"}


def read_wikidata_ids(data_dir: Path) -> dict[str, str]:
    """ISO 3166 code (CN, CN-LN, ...) -> Wikidata QID. Empty when the table is absent."""
    path = Path(data_dir) / TABLE
    if not path.exists():
        return {}
    raw = path.read_bytes()
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
    for row in reader:
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
