"""Claim checks computed from the public tables, the data graphs, and the no-data path."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from errors import AnnotationError
from graph.build import make_dataset
from graph.data import GRAPH_CHECKS, GRAPH_NBS, DataReport, build_data_graphs
from graph.data.check_refs import validate_spec
from graph.data.check_spec import CHECKS_FILE, read_spec
from graph.data.checks import ClaimCheck, Verdict, run_checks
from graph.data.regions import region_map
from graph.data.spec_records import write_spec_records
from graph.iris import DEFAULT_BASE, Minter
from graph.namespaces import ARG, QB, SDMX_DIM, SDMX_MEASURE
from graph.validate import validate_dataset
from ingest.corpus import Corpus, load_corpus
from ingest.nbs import FOLDER, DataError, NbsData, read_nbs
from tests.conftest import DATA_DIR, PAPER_CORPUS, PAPER_SOURCE, REPO

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


def data_only(corpus: Corpus, data_dir: Path | None) -> DataBuild:
    """Only the data graphs of an already loaded corpus (what most data tests look at)."""
    ds = Dataset()
    return DataBuild(corpus, ds, build_data_graphs(ds, corpus, MINTER, data_dir))


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
        total = sum(float(str(g.value(o, SDMX_MEASURE.obsValue))) for o in obs)
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


# The paper's graph with its data graphs is validated whole by tests/test_validate.py
# (`argraph validate` reads the public data folder, as the build does).


# That the data graphs are a pure function of the corpus and the files is
# tests/test_build.py's test_rebuild_gives_identical_bytes_whatever_the_hash_seed: a build in
# another process, with another hash seed, writes the same bytes, these graphs among them.


# -- without data, and with broken data ---------------------------------------------------------


def test_without_data_everything_is_not_checkable(
    without_data: DataBuild, with_data: DataBuild
) -> None:
    r = without_data.report
    assert r.loaded == [] and r.series == [] and r.missing == [FOLDER]
    assert {c.verdict for c in r.checks} == {Verdict.not_checkable}
    assert {c.id for c in r.checks} == {c.id for c in with_data.report.checks}
    assert any("not loaded" in n for n in r.notes)
    names = [str(g.identifier) for g in without_data.dataset.graphs()]
    assert str(MINTER.graph(GRAPH_CHECKS)) in names
    assert str(MINTER.graph(GRAPH_NBS)) not in names
    g = without_data.dataset.graph(MINTER.graph(GRAPH_CHECKS))
    assert g.value(MINTER.dataset(FOLDER), ARG.loaded) == Literal(False)
    report = validate_dataset(without_data.dataset, str(MINTER.item("x"))[:-1])
    assert report.ok, report.text()


def test_a_missing_input_column_fails_loudly(tmp_path: Path, with_data: DataBuild) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / FOLDER, data / FOLDER)
    path = data / FOLDER / "province_income_expenditure_2013on.csv"
    path.chmod(0o644)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("居民人均消费支出(元)", "消费", 1), encoding="utf-8")
    with pytest.raises(DataError) as err:
        data_only(with_data.corpus, data)
    assert err.value.file == str(path) and err.value.field == "居民人均消费支出(元)"


def test_a_missing_file_makes_its_checks_not_checkable(
    tmp_path: Path, with_data: DataBuild
) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / FOLDER, data / FOLDER)
    (data / FOLDER / "province_gdp_index.csv").unlink()
    built = data_only(with_data.corpus, data)
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


# -- the check spec (corpus/<paper>/data/checks.yaml) ---------------------------------------------


@pytest.fixture(scope="module")
def nbs() -> NbsData:
    data = read_nbs(DATA_DIR)
    assert data is not None
    return data


def _paper_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "liu-tong-2021"
    shutil.copytree(PAPER_CORPUS, folder)
    return folder


def _edit_spec(folder: Path, old: str, new: str) -> Path:
    path = folder / CHECKS_FILE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _spec_error(folder: Path) -> AnnotationError:
    corpus = load_corpus(folder)
    with pytest.raises(AnnotationError) as err:
        spec = read_spec(folder)
        validate_spec(spec, corpus, region_map(corpus, spec))
    return err.value


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_a_renamed_item_is_an_error_naming_file_line_and_field(tmp_path: Path) -> None:
    folder = _paper_copy(tmp_path)
    path = _edit_spec(
        folder, "statistic: s3-st-demand-potential-ratio", "statistic: s3-st-renamed-ratio"
    )
    err = _spec_error(folder)
    assert err.file == str(path) and err.line == _line_of(path, "s3-st-renamed-ratio")
    assert err.field == "checks.0.statistic" and err.item == "demand-potential-ratio"
    assert "unknown id 's3-st-renamed-ratio'" in err.message


def test_an_id_of_the_wrong_type_is_an_error(tmp_path: Path) -> None:
    folder = _paper_copy(tmp_path)
    path = _edit_spec(
        folder, "claim: s2-c-machine-tool-seesaw", "claim: s3-st-demand-potential-ratio"
    )
    err = _spec_error(folder)
    assert err.field == "checks.8.claim" and err.item == "mt-seesaw"
    assert err.line == _line_of(path, "claim: s3-st-demand-potential-ratio")
    assert "is a statistic, expected a claim" in err.message


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        (
            "    tolerance: 0.02",
            "    tolerance: 0.02\n    tolerence: 1",
            "checks.0.tolerence",
            "Extra",
        ),
        ("kind: seesaw", "kind: see-saw", "checks.8", "tag 'see-saw'"),
        ("of: machine-tool-imports-value", "of: machine-tools-imports", "checks.9.of", "NBS"),
        ("tolerance: 0.02", "tolerance: '0.02'", "checks.0.tolerance", "valid number"),
        (
            "  - {region: region-northeast, direction: up}",
            "  - {region: anhui, direction: up}",
            "checks.6.moves.0.region",
            "not a region of the division",
        ),
        (
            "members: [region-east-coast, anhui]",
            "members: [region-east-coast, no-such-place]",
            "groups.1.members.1",
            "neither a region",
        ),
        ("against: yangtze-river-delta", "against: yrd", "checks.0.against", "unknown group"),
        ("Trend over {span}", "Trend over {years}", "checks.4.recipe", "placeholder"),
        (
            "passage: s2-p-fig1-note1",
            "passage: s2-p-no-note",
            "division.passage",
            "unknown passage",
        ),
    ],
)
def test_spec_errors_name_the_field(
    tmp_path: Path, old: str, new: str, field: str, message: str
) -> None:
    folder = _paper_copy(tmp_path)
    path = _edit_spec(folder, old, new)
    err = _spec_error(folder)
    assert err.file == str(path) and err.line is not None
    assert err.field == field and message in err.message, str(err)


def test_without_a_check_file_only_the_generic_checks_run(tmp_path: Path, nbs: NbsData) -> None:
    folder = _paper_copy(tmp_path)
    (folder / CHECKS_FILE).unlink()
    corpus = load_corpus(folder)
    rmap = region_map(corpus)
    assert rmap.regions == () and rmap.source is None  # no division declared
    checks = run_checks(nbs, rmap, corpus)
    assert {c.id.split("-")[0] for c in checks} == {"rank", "pre"}
    assert [c.computed for c in checks if c.id.startswith("rank-2015-")] == [1, 3, 4]
    assert all(c.verdict is Verdict.reproduced for c in checks if c.id.startswith("rank-"))


def test_the_spec_drives_the_checks(tmp_path: Path, nbs: NbsData) -> None:
    """Change a reading, a span and a threshold in the YAML: the results follow."""
    folder = _paper_copy(tmp_path)
    _edit_spec(folder, "against: yangtze-river-delta", "against: region-east-coast")
    _edit_spec(folder, "claimed: [2002, 2008]", "claimed: [2002, 2018]")
    _edit_spec(folder, "reproduced_at: 2\n", "reproduced_at: 4\n")
    corpus = load_corpus(folder)
    by_id = {c.id: c for c in run_checks(nbs, region_map(corpus), corpus)}
    ratio = by_id["demand-potential-ratio"]
    assert ratio.computed == pytest.approx(0.372, abs=5e-4)  # the SH+JS+ZJ reading
    assert ratio.verdict is Verdict.differs
    assert "YRD = SH+JS+ZJ (the paper's east coast)" in ratio.recipe
    rises = by_id["mt-northeast-rises"]
    assert "Trend over 2002-2018: Northeast (Figure 1 division) up" in rises.recipe
    assert rises.verdict is Verdict.differs  # the Northeast's share fell after 2008
    imports = by_id["imports-value-after-wto"]
    assert imports.computed == pytest.approx(3.01, abs=0.005)
    assert imports.verdict is Verdict.close


def test_engine_code_names_no_item_of_the_spec() -> None:
    """Every id the paper's check file uses is data: none appears in the engine's code."""
    spec = read_spec(PAPER_CORPUS)
    data = spec.data
    ids = {g.id for g in data.groups} | {m for g in data.groups for m in g.members}
    for c in data.checks:
        for name in ("statistic", "claim", "evidence"):
            if isinstance(getattr(c, name, None), str):
                ids.add(getattr(c, name))
        ids |= set(getattr(c, "claims", []))
        ids |= {m.region for m in getattr(c, "moves", [])}
    if data.division is not None:
        ids.add(data.division.passage)
    code = {p: p.read_text(encoding="utf-8") for p in (REPO / "graph" / "data").glob("*.py")}
    found = sorted((i, p.name) for i in ids for p, text in code.items() if f'"{i}"' in text)
    assert len(ids) > 15 and found == []


def test_division_and_missing_sources_come_from_the_spec(with_data: DataBuild) -> None:
    """The region scheme's name and passage, and the IO tables nobody has, as the YAML says."""
    g = with_data.dataset.graph(MINTER.graph(GRAPH_CHECKS))
    alone = Graph()
    spec = read_spec(PAPER_CORPUS)
    write_spec_records(alone, MINTER, spec, region_map(with_data.corpus, spec))
    assert set(alone) <= set(g)
    scheme = MINTER.scheme("regions")
    assert alone.value(scheme, DCTERMS.source) == MINTER.item("s2-p-fig1-note1")
    io = MINTER.dataset("inter-regional-io-tables")
    assert alone.value(io, ARG.loaded) == Literal(False)
    assert "Figure 1" in str(alone.value(io, ARG.note))


def test_recipes_compose_the_spec_and_the_engine(with_data: DataBuild) -> None:
    """Recipe texts: the YAML's words, the engine's rules and the computed years and spans."""
    ratio = with_data.check("demand-potential-ratio").recipe
    assert ratio.startswith("The paper's footnote: potential demand = residents x disposable")
    assert ratio.endswith(
        "(年末常住人口 x 居民人均可支配收入 / 居民人均消费支出). Main reading: 2019 (the latest "
        "year before the paper was received) and YRD = SH+JS+ZJ+AH (2019 outline plan). "
        "Reproduced if equal at the paper's precision, close within 0.02 ratio."
    )
    after = with_data.check("mt-after-2008").recipe
    assert (
        "Trend over 2008-2018: Northeast (Figure 1 division) down; East coast (Figure 1 " in after
    )
    assert "Reproduced at 70% or more, close at 50% or more." in with_data.check("mt-seesaw").recipe
    imports = with_data.check("imports-value-after-wto")
    assert imports.recipe.startswith(
        "金属加工机床进口金额: value in 2006 / value in 2001 (China joined the WTO in December 2001)."
    )
    assert imports.notes[1].startswith("unit: not stated in the header")
    falling = with_data.check("demand-ratio-falling")
    assert falling.notes == [
        "100% of the yearly steps fall; the footnote states no period, so the span is the one "
        "the data cover"
    ]
    seesaw = with_data.check("mt-seesaw")
    assert seesaw.notes == ["the tables start in 2000; the text's span starts in 1987"]
    assert with_data.check("figure-1").notes == [
        "no public data: inter-regional input-output tables are not loaded"
    ]
