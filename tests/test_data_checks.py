"""Claim checks computed from the public tables, the data graphs, and the no-data path."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Dataset, Literal
from rdflib.namespace import PROV, RDF, XSD

from argraph.graph.build import make_dataset
from argraph.graph.data import GRAPH_CHECKS, GRAPH_NBS, DataReport, build_data_graphs
from argraph.graph.data.checks import ClaimCheck, Verdict
from argraph.graph.dumps import to_nquads
from argraph.graph.iris import DEFAULT_BASE, Minter
from argraph.graph.namespaces import ARG, QB, SDMX_DIM, SDMX_MEASURE
from argraph.graph.validate import validate_dataset
from argraph.ingest.corpus import Corpus
from argraph.ingest.nbs import FOLDER, DataError
from tests.conftest import DATA_DIR, PAPER_CORPUS, PAPER_SOURCE

MINTER = Minter("liu-tong-2021", DEFAULT_BASE)


@dataclass
class DataBuild:
    corpus: Corpus
    dataset: Dataset
    report: DataReport

    def check(self, check_id: str) -> ClaimCheck:
        return next(c for c in self.report.checks if c.id == check_id)


def build_with(data_dir: Path | None) -> DataBuild:
    """The paper's dataset plus its data graphs (as the build will make them once wired)."""
    corpus, _anchors, ds, _notes = make_dataset(
        PAPER_CORPUS, source=PAPER_SOURCE, data_dir=data_dir, base_iri=DEFAULT_BASE
    )
    report = build_data_graphs(ds, corpus, MINTER, data_dir)
    return DataBuild(corpus, ds, report)


@pytest.fixture(scope="module")
def with_data() -> DataBuild:
    return build_with(DATA_DIR)


@pytest.fixture(scope="module")
def without_data() -> DataBuild:
    return build_with(None)


# -- the checks the issue asks for --------------------------------------------------------------


def test_2015_growth_ranks(with_data: DataBuild) -> None:
    """Liaoning, Heilongjiang, Jilin: 31st, 29th, 28th of 31 = 1st, 3rd, 4th from the bottom."""
    expected = {"liaoning": (1, 31), "heilongjiang": (3, 29), "jilin": (4, 28)}
    for prov, (from_bottom, from_top) in expected.items():
        c = with_data.check(f"rank-2015-{prov}")
        assert c.computed == from_bottom and c.paper_value == from_bottom
        assert c.verdict is Verdict.reproduced
        assert c.statistics == [f"stat-2015-rank-{prov}"]
        assert c.claims == ["c-new-northeast-phenomenon"]
        assert f"rank {from_top} of 31 from the top" in c.notes[0]
        assert c.inputs[0].file == f"{FOLDER}/province_gdp_index.csv"


def test_domestic_demand_ratio(with_data: DataBuild) -> None:
    c = with_data.check("demand-potential-ratio")
    assert c.computed == pytest.approx(0.307, abs=5e-4)
    assert c.paper_value == 0.31 and c.verdict is Verdict.reproduced
    assert "2019" in (c.computed_text or "")
    alts = {a.label: a for a in c.alternatives}
    three = alts["2019, YRD = SH+JS+ZJ (the paper's east coast)"]
    assert three.value == pytest.approx(0.372, abs=5e-4) and three.verdict is Verdict.differs
    # which choices give the paper's figure is stated, computed
    matching = [a.label for a in c.alternatives if a.verdict is Verdict.reproduced]
    assert matching == ["2019, YRD = SH+JS+ZJ+AH (2019 outline plan)"]
    assert "2019, YRD = SH+JS+ZJ+AH" in c.notes[0]


def test_realisation_rate_and_gap(with_data: DataBuild) -> None:
    rate = with_data.check("demand-realisation-rate")
    assert rate.computed == pytest.approx(72.1, abs=0.05)
    assert rate.paper_value == 72 and rate.verdict is Verdict.reproduced
    gap = with_data.check("demand-realisation-gap")
    assert gap.computed == pytest.approx(6.1, abs=0.05)
    assert gap.paper_value == 6 and gap.verdict is Verdict.reproduced
    yrd = next(a for a in rate.alternatives if a.label == "2019")
    assert yrd.value == pytest.approx(rate.computed)
    falling = with_data.check("demand-ratio-falling")
    assert falling.verdict is Verdict.reproduced and (falling.computed or 0) < 0


def test_machine_tool_shares(with_data: DataBuild) -> None:
    verdicts = {c.id: c.verdict for c in with_data.report.checks if c.id.startswith("mt-")}
    assert verdicts == {
        "mt-1987-2002": Verdict.not_checkable,  # the tables cover 2000-2002 only
        "mt-coast-falls-from-2001": Verdict.reproduced,
        "mt-northeast-rises": Verdict.reproduced,
        "mt-after-2008": Verdict.close,
        "mt-seesaw": Verdict.reproduced,
    }
    after = with_data.check("mt-after-2008")
    assert after.computed is not None and after.computed < -10  # Northeast lost >10 points
    assert any("2000-2002" in n for n in with_data.check("mt-1987-2002").notes)


def test_machine_tool_shares_add_up(with_data: DataBuild) -> None:
    g = with_data.dataset.graph(MINTER.graph(GRAPH_NBS))
    ds = MINTER.dataset("mt-share-of-provinces")
    for year in (2000, 2010, 2019):
        period = Literal(str(year), datatype=XSD.gYear)
        obs = [o for o in g.subjects(QB.dataSet, ds) if (o, SDMX_DIM.refPeriod, period) in g]
        assert len(obs) == 8
        total = sum(float(g.value(o, SDMX_MEASURE.obsValue)) for o in obs)  # type: ignore[arg-type]
        assert total == pytest.approx(100.0)


def test_machine_tool_imports(with_data: DataBuild) -> None:
    value = with_data.check("imports-value-after-wto")
    assert value.verdict is Verdict.reproduced and (value.computed or 0) > 2
    quantity = with_data.check("imports-quantity-after-2001")
    assert quantity.verdict is Verdict.differs and (quantity.computed or 9) < 1.5


def test_figure_1_says_plainly_it_is_not_checkable(with_data: DataBuild) -> None:
    c = with_data.check("figure-1")
    assert c.verdict is Verdict.not_checkable and c.computed is None
    assert "s2-c-coast-l-shape" in c.claims
    assert "input-output" in c.recipe


# -- the graph ------------------------------------------------------------------------------------


def test_observations_carry_provenance(with_data: DataBuild) -> None:
    g = with_data.dataset.graph(MINTER.graph(GRAPH_NBS))
    obs = MINTER.fragment(MINTER.dataset("grp-index"), "liaoning-2015")
    assert (obs, RDF.type, QB.Observation) in g
    assert g.value(obs, SDMX_DIM.refArea) == MINTER.item("liaoning")
    assert float(g.value(obs, SDMX_MEASURE.obsValue)) == 102.8  # type: ignore[arg-type]
    source = g.value(obs, PROV.wasDerivedFrom)
    assert str(g.value(source, ARG.path)) == f"{FOLDER}/province_gdp_index.csv"
    assert g.value(obs, ARG.sourceRow) is not None


def test_checks_in_the_graph(with_data: DataBuild) -> None:
    g = with_data.dataset.graph(MINTER.graph(GRAPH_CHECKS))
    checks = set(g.subjects(RDF.type, ARG.ClaimCheck))
    assert len(checks) == len(with_data.report.checks)
    node = MINTER.fragment(MINTER.dataset("claim-checks"), "rank-2015-liaoning")
    assert g.value(node, ARG.checkVerdict) == ARG.Reproduced
    assert g.value(node, ARG.checksStatistic) == MINTER.item("stat-2015-rank-liaoning")
    # no blank nodes anywhere
    assert not any(t.__class__.__name__ == "BNode" for q in with_data.dataset.quads() for t in q)


def test_data_graphs_validate(with_data: DataBuild) -> None:
    report = validate_dataset(with_data.dataset, str(MINTER.item("x"))[:-1])
    assert report.ok, report.text()


def test_deterministic(with_data: DataBuild) -> None:
    again = build_with(DATA_DIR)
    assert to_nquads(again.dataset) == to_nquads(with_data.dataset)


# -- without data, and with broken data ---------------------------------------------------------


def test_without_data_everything_is_not_checkable(without_data: DataBuild) -> None:
    r = without_data.report
    assert r.loaded == [] and r.series == [] and r.missing == [FOLDER]
    assert {c.verdict for c in r.checks} == {Verdict.not_checkable}
    assert {c.id for c in r.checks} == {c.id for c in build_with(DATA_DIR).report.checks}
    assert any("not loaded" in n for n in r.notes)
    names = [str(g.identifier) for g in without_data.dataset.graphs()]
    assert str(MINTER.graph(GRAPH_CHECKS)) in names
    assert str(MINTER.graph(GRAPH_NBS)) not in names
    g = without_data.dataset.graph(MINTER.graph(GRAPH_CHECKS))
    assert g.value(MINTER.dataset(FOLDER), ARG.loaded) == Literal(False)
    report = validate_dataset(without_data.dataset, str(MINTER.item("x"))[:-1])
    assert report.ok, report.text()


def test_a_missing_input_column_fails_loudly(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / FOLDER, data / FOLDER)
    path = data / FOLDER / "province_income_expenditure_2013on.csv"
    path.chmod(0o644)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("居民人均消费支出(元)", "消费", 1), encoding="utf-8")
    with pytest.raises(DataError) as err:
        build_with(data)
    assert err.value.file == str(path) and err.value.field == "居民人均消费支出(元)"


def test_a_missing_file_makes_its_checks_not_checkable(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / FOLDER, data / FOLDER)
    (data / FOLDER / "province_gdp_index.csv").unlink()
    built = build_with(data)
    assert built.report.missing == [f"{FOLDER}/province_gdp_index.csv"]
    rank = built.check("rank-2015-liaoning")
    assert rank.verdict is Verdict.not_checkable
    assert "province_gdp_index.csv" in rank.notes[0]
    assert built.check("demand-potential-ratio").verdict is Verdict.reproduced


def test_a_corpus_without_the_regions_builds_no_checks() -> None:
    """The tiny test corpus names none of the checked claims: no checks, still a valid graph."""
    from tests.conftest import MINI_CORPUS, MINI_SOURCE

    corpus, _a, ds, _n = make_dataset(
        MINI_CORPUS, source=MINI_SOURCE, data_dir=DATA_DIR, base_iri=DEFAULT_BASE
    )
    minter = Minter(corpus.name, DEFAULT_BASE)
    report = build_data_graphs(ds, corpus, minter, DATA_DIR)
    assert report.checks == [] and report.notes == [] and report.series == []
    assert validate_dataset(ds, str(minter.item("x"))[:-1]).ok
