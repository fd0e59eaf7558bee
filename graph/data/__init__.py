"""Public data linked to the argument: observations, claim checks, the region map.

One entry point, `build_data_graphs`, called by the build pipeline after the paper's own graphs:
it adds the named graph `data-checks` always (checks, what is loaded, the region division, the
structure of the in-text statistics) and `data-nbs` when the NBS tables are in the data folder.
What is specific to the paper (its division, groups, derived series and checks) is read from its
corpus folder's `data/checks.yaml` (`check_spec.py`); without that file only the generic checks run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, URIRef

from graph.data.check_refs import validate_spec
from graph.data.check_spec import read_spec
from graph.data.checks import ClaimCheck, Verdict, run_checks
from graph.data.observations import (
    ObservationWriter,
    derived_values,
    write_in_text_structure,
)
from graph.data.records import (
    write_checks,
    write_footnote_sources,
    write_regions,
    write_status,
)
from graph.data.regions import region_map
from graph.data.spec_records import write_spec_records
from graph.iris import Minter
from ingest.corpus import Corpus
from ingest.models import Entity
from ingest.nbs import FOLDER, read_nbs

__all__ = ["DataReport", "build_data_graphs"]

GRAPH_NBS = "data-nbs"
GRAPH_CHECKS = "data-checks"


@dataclass
class DataReport:
    """What `build_data_graphs` loaded, what it could not, and the checks it ran."""

    loaded: list[str] = field(default_factory=list)
    """files read, relative to the data folder"""
    missing: list[str] = field(default_factory=list)
    """inputs not found (a folder or a file), relative to the data folder"""
    series: list[str] = field(default_factory=list)
    checks: list[ClaimCheck] = field(default_factory=list)
    graphs: list[URIRef] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def verdicts(self) -> dict[str, int]:
        counts = {v.value: 0 for v in Verdict}
        for c in self.checks:
            counts[c.verdict.value] += 1
        return counts


def build_data_graphs(
    ds: Dataset, corpus: Corpus, minter: Minter, data_dir: Path | None
) -> DataReport:
    """Add the data graphs to `ds` (a pure function of the corpus and the files)."""
    report = DataReport()
    spec = read_spec(corpus.folder)
    rmap = region_map(corpus, spec)
    validate_spec(spec, corpus, rmap)
    # A corpus that names no province (a test corpus) has nothing to link the tables to.
    nbs = read_nbs(data_dir) if data_dir is not None and rmap.provinces else None
    checks_graph = ds.graph(minter.graph(GRAPH_CHECKS))
    report.graphs.append(minter.graph(GRAPH_CHECKS))

    if nbs is None and not rmap.provinces:
        report.missing.append(FOLDER)
    elif nbs is None:
        where = f"{data_dir}/{FOLDER}" if data_dir is not None else "no --data folder given"
        report.missing.append(FOLDER)
        report.notes.append(
            f"public data not loaded ({where}): claim checks are marked "
            "not checkable and the data charts are empty"
        )
    else:
        report.loaded = sorted(nbs.files)
        report.missing = list(nbs.missing)
        for m in nbs.missing:
            report.notes.append(f"data file not found: {m} (its checks are not checkable)")
        g = ds.graph(minter.graph(GRAPH_NBS))
        report.graphs.append(minter.graph(GRAPH_NBS))
        areas = {e.id for e in corpus.of_type(Entity)}
        writer = ObservationWriter(g, minter, rmap, areas)
        writer.structure()
        report.series = writer.tables(nbs)
        for series, values in derived_values(nbs, rmap, spec):
            if writer.derived(series, values):
                report.series.append(series.id)
        if writer.skipped:
            report.notes.append(
                f"{writer.skipped} value(s) skipped: their area is not an entity of the corpus"
            )

    report.checks = run_checks(nbs, rmap, corpus, spec)
    write_checks(checks_graph, minter, report.checks, corpus)
    status = (
        ("loaded: " + ", ".join(report.loaded))
        if nbs is not None
        else "not loaded: build with --data DIR (DIR holding nbs-provincial-2000-2019/)"
        if rmap.provinces
        else "not loaded: the corpus names no province to link the tables to"
    )
    write_status(
        checks_graph,
        minter,
        loaded=nbs is not None,
        missing=report.missing,
        series=report.series,
        note=status,
    )
    write_regions(checks_graph, minter, rmap)
    write_spec_records(checks_graph, minter, spec, rmap)
    write_in_text_structure(checks_graph, minter)
    write_footnote_sources(checks_graph, minter, corpus)
    counts = report.verdicts()
    if report.checks:
        report.notes.append(
            "claim checks: " + ", ".join(f"{n} {v}" for v, n in counts.items() if n)
        )
    return report
