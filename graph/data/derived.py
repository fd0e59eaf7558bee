"""Series computed from the NBS values: regional shares and group totals.

Pure functions of the values read by `ingest.nbs`; which series, groups and regions they are
computed for is declared in the paper's check spec (`graph/data/check_spec.py`). Every number the
claim checks compare is computed here or in the check kinds, never typed in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graph.data.check_spec import RegionShare, Totals
from graph.data.regions import RegionMap
from ingest.nbs import NATIONAL, NbsData, Value


@dataclass(frozen=True, slots=True)
class Derived:
    """One computed value: a series, an area (entity id), a year, and the cells it used."""

    series: str
    area: str
    year: int
    value: float
    inputs: tuple[Value, ...]
    note: str | None = None


def years(nbs: NbsData, series: str) -> list[int]:
    return sorted({v.year for v in nbs.values.get(series, [])})


def region_shares(nbs: NbsData, rmap: RegionMap, spec: RegionShare) -> list[Derived]:
    """Each region's share (percent) of the by-province series `spec.of`, per year.

    Denominator: the sum of the provinces that report a value that year (no
    `spec.denominator`, so that the regions' shares add up to 100) or the national series
    `spec.denominator`. Provinces with an empty cell count as zero; the note of each value
    names them.
    """
    prov = nbs.table(spec.of)
    nat = nbs.table(spec.denominator) if spec.denominator else {}
    out: list[Derived] = []
    for year in years(nbs, spec.of):
        cells = [v for (_area, y), v in prov.items() if y == year]
        if spec.denominator:
            if (NATIONAL, year) not in nat:
                continue
            denom_cells: list[Value] = [nat[(NATIONAL, year)]]
            total = nat[(NATIONAL, year)].value
        else:
            denom_cells = cells
            total = sum(v.value for v in cells)
        if total <= 0:
            continue
        for region in rmap.regions:
            used = [prov[(code, year)] for code in sorted(region.adcodes) if (code, year) in prov]
            absent = sorted(p.id for p in region.provinces if (p.adcode, year) not in prov)
            note = f"no value for {', '.join(absent)} (counted as 0)" if absent else None
            share = 100 * sum(v.value for v in used) / total
            inputs = tuple(sorted({*used, *denom_cells}, key=lambda v: (v.series, v.area)))
            out.append(Derived(spec.id, region.id, year, share, inputs, note))
    return out


def by_key(values: Iterable[Derived]) -> dict[tuple[str, int], Derived]:
    return {(d.area, d.year): d for d in values}


@dataclass(frozen=True, slots=True)
class GroupTotals:
    """Over a group of provinces: potential = sum of population x the `potential` per-capita
    value; actual = sum of population x the `actual` per-capita value."""

    year: int
    potential: float
    actual: float
    inputs: tuple[Value, ...]

    @property
    def realisation(self) -> float:
        return self.actual / self.potential


def group_totals(
    nbs: NbsData, spec: Totals, codes: frozenset[str], year: int
) -> GroupTotals | None:
    """The group's totals in `year`, or None if any member lacks one of the three values."""
    pop = nbs.table(spec.population)
    pot = nbs.table(spec.potential)
    act = nbs.table(spec.actual)
    potential = actual = 0.0
    used: list[Value] = []
    for code in sorted(codes):
        key = (code, year)
        if key not in pop or key not in pot or key not in act:
            return None
        potential += pop[key].value * pot[key].value
        actual += pop[key].value * act[key].value
        used += [pop[key], pot[key], act[key]]
    return GroupTotals(year, potential, actual, tuple(used))


def total_years(nbs: NbsData, spec: Totals) -> list[int]:
    return sorted(set(years(nbs, spec.potential)) & set(years(nbs, spec.population)))
