"""NBS values and the series derived from them -> RDF Data Cube observations.

Each series is a `qb:DataSet` (`{base}id/{paper}/dataset/{series}`) with its observations as
fragments (`...#liaoning-2015`), so that dereferencing the data set gives its observations.
Every observation of a table carries `prov:wasDerivedFrom` its file and `arg:sourceRow` its line
in that file (the header is line 1); derived observations point at the observations they used.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from argraph.graph.data import derived
from argraph.graph.data.regions import RegionMap
from argraph.graph.iris import Minter
from argraph.graph.namespaces import ARG, QB, SDMX_DIM, SDMX_MEASURE
from argraph.ingest.nbs import COLUMNS, FOLDER, NATIONAL, NbsData, Value

STRUCTURE = "structure-area-year"
STRUCTURE_IN_TEXT = "structure-in-text"


@dataclass(frozen=True, slots=True)
class SeriesSpec:
    id: str
    en: str
    zh: str
    unit: str
    comment: str
    derived_from: tuple[str, ...] = ()


DERIVED: tuple[SeriesSpec, ...] = (
    SeriesSpec(
        "mt-share-of-provinces",
        "Machine-tool output share by region (of provinces' sum)",
        "各区域金属切削机床产量占比（占各省合计）",
        "percent",
        "Region = the paper's note-1 division; denominator = sum of provinces reporting.",
        ("machine-tools",),
    ),
    SeriesSpec(
        "mt-share-of-national",
        "Machine-tool output share by region (of national total)",
        "各区域金属切削机床产量占比（占全国）",
        "percent",
        "Region = the paper's note-1 division; denominator = the national series.",
        ("machine-tools", "machine-tools-national"),
    ),
    SeriesSpec(
        "demand-potential",
        "Potential domestic demand (population x disposable income)",
        "潜在内需（常住人口×人均可支配收入）",
        "100 million yuan",
        "The paper's footnote formula. 'Yangtze River Delta' is read as SH+JS+ZJ+AH (an "
        "assumption: the paper names no provinces); the east coast is SH+JS+ZJ.",
        ("population", "disposable-income"),
    ),
    SeriesSpec(
        "demand-realisation",
        "Realised share of potential demand (actual / potential)",
        "内需潜力挖掘率（实际内需/潜在内需）",
        "percent",
        "Actual = population x consumption expenditure per capita; potential as above.",
        ("population", "disposable-income", "consumption-expenditure"),
    ),
)
DEMAND_AREAS = (
    ("region-northeast", ("region-northeast",)),
    ("region-east-coast", ("region-east-coast",)),
    ("yangtze-river-delta", ("region-east-coast", "anhui")),
)


def decimal(value: float) -> Literal:
    """xsd:decimal in the shortest form that reads back as the same float (no exponent)."""
    text = format(Decimal(repr(value)), "f")
    if "." not in text:
        text += ".0"
    return Literal(text, datatype=XSD.decimal)


class ObservationWriter:
    def __init__(self, g: Graph, minter: Minter, rmap: RegionMap, areas: set[str]) -> None:
        self.g, self.m, self.rmap, self.areas = g, minter, rmap, areas
        self.skipped = 0

    def folder(self) -> URIRef:
        return self.m.dataset(FOLDER)

    def file(self, rel: str) -> URIRef:
        return self.m.fragment(self.folder(), rel.rsplit("/", 1)[-1])

    def area_id(self, code: str) -> str | None:
        if code == NATIONAL:
            return self.rmap.country
        p = self.rmap.by_adcode(code)
        return p.id if p else None

    def obs_iri(self, series: str, area: str, year: int) -> URIRef:
        return self.m.fragment(self.m.dataset(series), f"{area}-{year}")

    def structure(self) -> None:
        g, m = self.g, self.m
        dsd = m.dataset(STRUCTURE)
        g.add((dsd, RDF.type, QB.DataStructureDefinition))
        g.add((dsd, RDFS.label, Literal("Annual values by area", lang="en")))
        g.add((dsd, RDFS.label, Literal("按地区、年份的年度数据", lang="zh")))
        _components(g, m, dsd, with_measure_attr=False)

    def series_node(self, sid: str, en: str, zh: str, unit: str, comment: str) -> URIRef:
        g = self.g
        ds = self.m.dataset(sid)
        g.add((ds, RDF.type, QB.DataSet))
        g.add((ds, RDF.type, ARG.DataSeries))
        g.add((ds, RDFS.label, Literal(en, lang="en")))
        g.add((ds, RDFS.label, Literal(zh, lang="zh")))
        g.add((ds, RDFS.comment, Literal(comment, lang="en")))
        g.add((ds, ARG.seriesId, Literal(sid)))
        g.add((ds, ARG.unit, Literal(unit)))
        g.add((ds, QB.structure, self.m.dataset(STRUCTURE)))
        return ds

    def tables(self, nbs: NbsData) -> list[str]:
        g = self.g
        folder = self.folder()
        for info in nbs.files.values():
            f = self.file(info.path)
            g.add((f, RDF.type, ARG.DataFile))
            g.add((f, RDF.type, PROV.Entity))
            g.add((f, RDFS.label, Literal(info.path)))
            g.add((f, ARG.path, Literal(info.path)))
            g.add((f, ARG.sha256, Literal(info.sha256)))
            g.add((f, ARG.rowCount, Literal(info.rows)))
            g.add((f, DCTERMS.isPartOf, folder))
        written = []
        for col in COLUMNS:
            values = [v for v in nbs.values.get(col.series, []) if self.known(v.area)]
            self.skipped += len(nbs.values.get(col.series, [])) - len(values)
            if not values:
                continue
            ds = self.series_node(
                col.series, col.en, col.zh, col.unit, f"Column {col.header} of {FOLDER}/{col.file}."
            )
            g.add((ds, ARG.derived, Literal(False)))
            g.add((ds, ARG.sourceColumn, Literal(col.header)))
            g.add((ds, DCTERMS.source, self.file(f"{FOLDER}/{col.file}")))
            g.add((ds, PROV.wasDerivedFrom, self.file(f"{FOLDER}/{col.file}")))
            for v in values:
                self.value(ds, v, col.unit)
            written.append(col.series)
        return written

    def known(self, code: str) -> bool:
        area = self.area_id(code)
        return area is not None and area in self.areas

    def value(self, ds: URIRef, v: Value, unit: str) -> None:
        area = self.area_id(v.area)
        assert area is not None
        node = self.obs_iri(v.series, area, v.year)
        self._obs(node, ds, area, v.year, v.value, unit)
        self.g.add((node, PROV.wasDerivedFrom, self.file(v.file)))
        self.g.add((node, ARG.sourceRow, Literal(v.line)))

    def _obs(self, node: URIRef, ds: URIRef, area: str, year: int, value: float, unit: str) -> None:
        g = self.g
        g.add((node, RDF.type, QB.Observation))
        g.add((node, QB.dataSet, ds))
        g.add((node, SDMX_DIM.refArea, self.m.item(area)))
        g.add((node, SDMX_DIM.refPeriod, Literal(str(year), datatype=XSD.gYear)))
        g.add((node, SDMX_MEASURE.obsValue, decimal(value)))
        g.add((node, ARG.unit, Literal(unit)))

    def derived(self, spec: SeriesSpec, values: Iterable[derived.Derived]) -> bool:
        values = [d for d in values if d.area in self.areas]
        if not values:
            return False
        ds = self.series_node(spec.id, spec.en, spec.zh, spec.unit, spec.comment)
        self.g.add((ds, ARG.derived, Literal(True)))
        for source in spec.derived_from:
            self.g.add((ds, PROV.wasDerivedFrom, self.m.dataset(source)))
        for d in values:
            node = self.obs_iri(spec.id, d.area, d.year)
            self._obs(node, ds, d.area, d.year, d.value, spec.unit)
            for v in d.inputs:
                area = self.area_id(v.area)
                if area is not None and area in self.areas:
                    self.g.add((node, PROV.wasDerivedFrom, self.obs_iri(v.series, area, v.year)))
            if d.note:
                self.g.add((node, ARG.note, Literal(d.note, lang="en")))
        return True


def derived_values(nbs: NbsData, rmap: RegionMap) -> list[tuple[SeriesSpec, list[derived.Derived]]]:
    out: list[tuple[SeriesSpec, list[derived.Derived]]] = []
    by_id = {s.id: s for s in DERIVED}
    if nbs.has(derived.MT):
        out.append(
            (
                by_id["mt-share-of-provinces"],
                derived.machine_tool_shares(nbs, rmap, of_national=False),
            )
        )
        if nbs.has(derived.MT_NATIONAL):
            out.append(
                (
                    by_id["mt-share-of-national"],
                    derived.machine_tool_shares(nbs, rmap, of_national=True),
                )
            )
    if all(nbs.has(s) for s in ("population", "disposable-income", "consumption-expenditure")):
        potential, realised = [], []
        known = set(rmap.provinces) | {r.id for r in rmap.regions}
        for area, parts in DEMAND_AREAS:
            if not set(parts) <= known:
                continue
            codes = rmap.group(*parts)
            for year in derived.demand_years(nbs):
                d = derived.demand(nbs, codes, year)
                if d is None:
                    continue
                # 10k persons x yuan = 10k yuan; / 10^4 -> 100 million yuan
                potential.append(
                    derived.Derived("demand-potential", area, year, d.potential / 1e4, d.inputs)
                )
                realised.append(
                    derived.Derived("demand-realisation", area, year, 100 * d.realisation, d.inputs)
                )
        out.append((by_id["demand-potential"], potential))
        out.append((by_id["demand-realisation"], realised))
    return out


def write_in_text_structure(g: Graph, minter: Minter) -> None:
    """A qb:DataStructureDefinition for the statistics stated in the text (their data set is
    written by the builder as `dataset/statistics-in-text`)."""
    dsd = minter.dataset(STRUCTURE_IN_TEXT)
    g.add((dsd, RDF.type, QB.DataStructureDefinition))
    g.add((dsd, RDFS.label, Literal("Statistics stated in the text", lang="en")))
    g.add((dsd, RDFS.label, Literal("正文中的统计数据", lang="zh")))
    _components(g, minter, dsd, with_measure_attr=True)
    g.add((minter.dataset("statistics-in-text"), QB.structure, dsd))


def _components(g: Graph, m: Minter, dsd: URIRef, *, with_measure_attr: bool) -> None:
    parts: list[tuple[str, URIRef, URIRef]] = [
        ("area", QB.dimension, SDMX_DIM.refArea),
        ("period", QB.dimension, SDMX_DIM.refPeriod),
        ("value", QB.measure, SDMX_MEASURE.obsValue),
        ("unit", QB.attribute, ARG.unit),
    ]
    if with_measure_attr:
        parts.append(("what", QB.attribute, ARG.measure))
    for order, (name, kind, prop) in enumerate(parts, start=1):
        comp = m.fragment(dsd, name)
        g.add((dsd, QB.component, comp))
        g.add((comp, RDF.type, QB.ComponentSpecification))
        g.add((comp, kind, prop))
        g.add((comp, QB.order, Literal(order)))
