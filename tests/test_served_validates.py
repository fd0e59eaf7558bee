"""What the embedded store serves validates like what the build wrote.

pyoxigraph normalises some literals on load (`xsd:nonNegativeInteger` became `xsd:integer`,
`3693.0` became `3693`), so a graph that conforms as dumped could fail the shapes as served. The
build writes the forms the store serves; the paper's served graph is compared quad for quad with
the written one, and the mini corpus's is validated against the shapes after the round trip.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from graph.iris import DEFAULT_BASE
from graph.results import SelectResult
from graph.store import open_built
from graph.validate import validate_dataset

from .conftest import Built


def _round_trip(built: Built, tmp_path: Path) -> Dataset:
    store = open_built(built.dist)
    out = tmp_path / "served.nq"
    store.dump_nquads(out)
    ds = Dataset()
    ds.parse(data=out.read_text(encoding="utf-8"), format="nquads")
    return ds


def test_the_store_serves_the_paper_graph_as_written(built_paper: Built, tmp_path: Path) -> None:
    """Every quad the embedded store serves is the quad the build wrote, lexical forms included
    (decimals are written in their canonical form, offsets as xsd:integer): the paper's graph,
    validated as written by test_validate, is then valid as served, without a second SHACL run
    over its 46k quads."""
    store = open_built(built_paper.dist)
    out = tmp_path / "served.nq"
    store.dump_nquads(out)
    written = ox.parse(path=str(built_paper.dist / "graph.nq"), format=ox.RdfFormat.N_QUADS)
    served = ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS)
    a, b = {str(q) for q in written}, {str(q) for q in served}
    assert len(a) > 10_000
    assert a == b, (sorted(a - b)[:5], sorted(b - a)[:5])


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
