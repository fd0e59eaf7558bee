"""Province Wikidata ids, read from the public table (never copied into the repo)."""

from __future__ import annotations

import csv
from pathlib import Path

from argraph.graph.errors import AnnotationError

TABLE = Path("wikidata-cn-provinces") / "cn_province_wikidata.csv"
COLUMNS = {"key", "wikidata"}


def read_wikidata_ids(data_dir: Path) -> dict[str, str]:
    """ISO 3166 code (CN, CN-LN, ...) -> Wikidata QID. Empty when the table is absent."""
    path = Path(data_dir) / TABLE
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = COLUMNS - set(reader.fieldnames or ())
        if missing:
            raise AnnotationError(
                f"missing column(s) {sorted(missing)}", file=path, line=1, field="header"
            )
        ids = {}
        for row in reader:
            key, qid = row["key"].strip(), row["wikidata"].strip()
            if key and qid:
                ids[key.replace("_", "-")] = qid
        return ids
