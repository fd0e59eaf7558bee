"""What the embedded store serves validates like what the build wrote.

pyoxigraph normalises some literals on load (`xsd:nonNegativeInteger` became `xsd:integer`), so a
graph that conforms as dumped could fail the shapes as served. Load the built dump into the store,
dump it back, and validate that.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset

from argraph.graph.iris import DEFAULT_BASE
from argraph.graph.results import SelectResult
from argraph.graph.store import open_built
from argraph.graph.validate import validate_dataset

from .conftest import Built


def _round_trip(built: Built, tmp_path: Path) -> Dataset:
    store = open_built(built.dist)
    out = tmp_path / "served.nq"
    store.dump_nquads(out)
    ds = Dataset()
    ds.parse(data=out.read_text(encoding="utf-8"), format="nquads")
    return ds


@pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")
def test_served_paper_graph_validates(built_paper: Built, tmp_path: Path) -> None:
    ds = _round_trip(built_paper, tmp_path)
    report = validate_dataset(ds, f"{DEFAULT_BASE}id/liu-tong-2021/")
    assert report.ok, report.text()[:3000]
    assert report.checked_triples > 10_000


@pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")
def test_served_mini_graph_validates(mini_built: Built, tmp_path: Path) -> None:
    report = validate_dataset(_round_trip(mini_built, tmp_path), f"{DEFAULT_BASE}id/mini-paper/")
    assert report.ok, report.text()


def test_served_offsets_keep_their_datatype(built_paper: Built) -> None:
    store = open_built(built_paper.dist)
    rows = store.query(
        "SELECT DISTINCT (DATATYPE(?s) AS ?dt) WHERE { ?sel <http://www.w3.org/ns/oa#start> ?s }"
    )
    assert isinstance(rows, SelectResult)
    assert [r["dt"].value for r in rows.rows] == ["http://www.w3.org/2001/XMLSchema#integer"]
