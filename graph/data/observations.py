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

from graph.data import derived
from graph.data.check_spec import DerivedSeries, RegionShare, Spec, Totals
from graph.data.regions import RegionMap
from graph.iris import Minter
from graph.namespaces import ARG, QB, SDMX_DIM, SDMX_MEASURE
from ingest.nbs import COLUMNS, FOLDER, NATIONAL, NbsData, Value

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


def decimal(value: float) -> Literal:
    """xsd:decimal in its canonical form (XSD 1.1: no exponent, no trailing zeros, no point for
    an integer), the shortest that reads back as the same float: the form the stores serve, so
    the graph served is the graph written."""
    return Literal(canonical_decimal(value), datatype=XSD.decimal)


def canonical_decimal(value: float) -> str:
    text = format(Decimal(repr(value)).normalize(), "f")
    return "0" if text in ("-0", "0") else text


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


def series_spec(spec: DerivedSeries, totals: Totals | None) -> SeriesSpec:
    """The data set description of a derived series of the check spec."""
    if isinstance(spec, RegionShare):
        sources: tuple[str, ...] = (spec.of, *((spec.denominator,) if spec.denominator else ()))
    elif totals is None:
        sources = ()
    elif spec.kind == "group-potential":
        sources = (totals.population, totals.potential)
    else:
        sources = tuple(totals.series)
    return SeriesSpec(spec.id, spec.label.en, spec.label.zh, spec.unit, spec.comment, sources)


def derived_values(
    nbs: NbsData, rmap: RegionMap, spec: Spec
) -> list[tuple[SeriesSpec, list[derived.Derived]]]:
    """The derived series the check spec declares, in its order, whose inputs are loaded."""
    out: list[tuple[SeriesSpec, list[derived.Derived]]] = []
    totals = spec.data.totals
    for d in spec.data.derived:
        desc = series_spec(d, totals)
        needs = (
            desc.derived_from
            if isinstance(d, RegionShare)
            else tuple(totals.series if totals else ())
        )
        if not needs or not all(nbs.has(s) for s in needs):
            continue
        if isinstance(d, RegionShare):
            out.append((desc, derived.region_shares(nbs, rmap, d)))
            continue
        assert totals is not None  # checked when the spec was validated
        values = []
        for area in d.areas:
            codes = rmap.group(*spec.group(area).members)
            for year in derived.total_years(nbs, totals):
                t = derived.group_totals(nbs, totals, codes, year)
                if t is None:
                    continue
                value = (
                    t.potential / d.divide_by
                    if d.kind == "group-potential"
                    else (100 * t.realisation)
                )
                values.append(derived.Derived(d.id, area, year, value, t.inputs))
        out.append((desc, values))
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
