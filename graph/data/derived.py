"""Series computed from the NBS values: regional machine-tool shares and domestic demand.

Pure functions of the values read by `ingest.nbs`; every number the claim checks compare is
computed here or in `checks.py`, never typed in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from argraph.graph.data.regions import RegionMap
from argraph.ingest.nbs import NATIONAL, NbsData, Value

MT = "machine-tools"
MT_NATIONAL = "machine-tools-national"


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


def machine_tool_shares(nbs: NbsData, rmap: RegionMap, *, of_national: bool) -> list[Derived]:
    """Each region's share (percent) of metal-cutting machine-tool output, per year.

    Denominator: the sum of the provinces that report a value that year (`of_national=False`,
    so that the eight shares add up to 100) or the national series (`of_national=True`).
    Provinces with an empty cell count as zero; the note of each value names them.
    """
    prov = nbs.table(MT)
    nat = nbs.table(MT_NATIONAL) if of_national else {}
    series = "mt-share-of-national" if of_national else "mt-share-of-provinces"
    out: list[Derived] = []
    for year in years(nbs, MT):
        cells = [v for (_area, y), v in prov.items() if y == year]
        if of_national:
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
            out.append(Derived(series, region.id, year, share, inputs, note))
    return out


def by_key(values: Iterable[Derived]) -> dict[tuple[str, int], Derived]:
    return {(d.area, d.year): d for d in values}


@dataclass(frozen=True, slots=True)
class Demand:
    """The paper's footnote: potential = residents x disposable income per capita; actual =
    residents x consumption expenditure per capita; summed over a group of provinces."""

    year: int
    potential: float
    actual: float
    inputs: tuple[Value, ...]

    @property
    def realisation(self) -> float:
        return self.actual / self.potential


def demand(nbs: NbsData, codes: frozenset[str], year: int) -> Demand | None:
    """The group's demand in `year`, or None if any member lacks one of the three values."""
    pop = nbs.table("population")
    inc = nbs.table("disposable-income")
    con = nbs.table("consumption-expenditure")
    potential = actual = 0.0
    used: list[Value] = []
    for code in sorted(codes):
        key = (code, year)
        if key not in pop or key not in inc or key not in con:
            return None
        potential += pop[key].value * inc[key].value
        actual += pop[key].value * con[key].value
        used += [pop[key], inc[key], con[key]]
    return Demand(year, potential, actual, tuple(used))


def demand_years(nbs: NbsData) -> list[int]:
    return sorted(set(years(nbs, "disposable-income")) & set(years(nbs, "population")))
