"""Claim checks: each a pure function of the NBS values (and the corpus, for the paper's own
numbers and the claims' ids), returning a typed `ClaimCheck`. Nothing here types in a result:
the computed value comes from the tables, the paper's value from the annotated statistic.

Verdicts
- numbers: `reproduced` when the computed value, rounded as the paper writes it, equals the
  paper's; `close` when within the check's stated tolerance; `differs` otherwise.
- trends: `reproduced` when every series moved in the stated direction over the span, in at least
  70% of the year-on-year steps, and the data cover the whole span; `close` when the net move is
  right but the steps are mixed or the data cover only part of the span; `differs` when a series
  moved the other way on net.
- `not-checkable` when the inputs are not loaded, no public data exist, or the tables cover less
  than half of the span a trend claim names (the covered years' values are still given).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum
from itertools import pairwise
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from argraph.graph.data import derived
from argraph.graph.data.regions import RegionMap
from argraph.ingest.corpus import Corpus
from argraph.ingest.models import Claim, Evidence, Statistic
from argraph.ingest.nbs import BY_SERIES, FOLDER, NATIONAL, NbsData

STEP_SHARE = 0.7
"""Share of year-on-year steps that must go the stated way for a trend to be `reproduced`."""


class Verdict(StrEnum):
    reproduced = "reproduced"
    close = "close"
    differs = "differs"
    not_checkable = "not-checkable"


_RANK = {Verdict.reproduced: 0, Verdict.close: 1, Verdict.differs: 2, Verdict.not_checkable: 3}


def worst(verdicts: Iterable[Verdict]) -> Verdict:
    return max(verdicts, key=_RANK.__getitem__)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CheckInput(_Model):
    file: str = Field(description="path under the data folder")
    column: str
    series: str | None = Field(default=None, description="the loaded series, if any")
    scope: str = Field(description="which rows were used (areas, years)")


class Alternative(_Model):
    label: str
    value: float | None
    verdict: Verdict | None = None


class ClaimCheck(_Model):
    id: str
    label: str
    claims: list[str] = Field(description="ids of the claims checked")
    statistics: list[str] = Field(default_factory=list, description="ids of the statistics")
    recipe: str
    inputs: list[CheckInput]
    computed: float | None
    computed_text: str | None = None
    paper_value: float | None
    paper_text: str = Field(description="what the paper says, in its own words")
    unit: str
    verdict: Verdict
    notes: list[str] = Field(default_factory=list)
    alternatives: list[Alternative] = Field(default_factory=list)
    series: list[str] = Field(default_factory=list, description="chart series of the inputs")


def _draft(**fields: Any) -> ClaimCheck:
    """A check not (yet) computed; `_with` completes it."""
    return ClaimCheck(
        **{"computed": None, "verdict": Verdict.not_checkable, "recipe": "", **fields}
    )


def _with(check: ClaimCheck, **fields: Any) -> ClaimCheck:
    return ClaimCheck(**{**check.model_dump(), **fields})


def _input(series: str, scope: str) -> CheckInput:
    col = BY_SERIES[series]
    return CheckInput(file=f"{FOLDER}/{col.file}", column=col.header, series=series, scope=scope)


def _decimals(stat: Statistic) -> int:
    text = stat.value_text or f"{stat.value:g}"
    return len(text.split(".")[1]) if "." in text else 0


def number_verdict(computed: float, paper: float, decimals: int, tolerance: float) -> Verdict:
    if round(computed, decimals) == round(paper, decimals):
        return Verdict.reproduced
    return Verdict.close if abs(computed - paper) <= tolerance else Verdict.differs


def trend_verdict(
    points: list[tuple[int, float]], direction: int, *, covers_span: bool
) -> tuple[Verdict, float, float]:
    """(verdict, net change, share of steps in `direction`) for points sorted by year."""
    if len(points) < 2:
        return Verdict.not_checkable, 0.0, 0.0
    net = points[-1][1] - points[0][1]
    steps = [b[1] - a[1] for a, b in pairwise(points)]
    share = sum(1 for s in steps if s * direction > 0) / len(steps)
    if net * direction <= 0:
        return Verdict.differs, net, share
    if share >= STEP_SHARE and covers_span:
        return Verdict.reproduced, net, share
    return Verdict.close, net, share


def _stat(corpus: Corpus, item_id: str) -> Statistic | None:
    item = corpus.items.get(item_id)
    return item if isinstance(item, Statistic) else None


def _claim_ids(corpus: Corpus, *ids: str) -> list[str]:
    return [i for i in dict.fromkeys(ids) if isinstance(corpus.items.get(i), Claim)]


def _unavailable(nbs: NbsData | None, *series: str) -> str | None:
    if nbs is None:
        return f"the data folder {FOLDER}/ is not loaded (build with --data DIR)"
    absent = sorted({BY_SERIES[s].file for s in series if not nbs.has(s)})
    return f"missing file(s): {', '.join(absent)}" if absent else None


# -- 2015 real growth ranks -------------------------------------------------------------------


def rank_checks(nbs: NbsData | None, rmap: RegionMap, corpus: Corpus) -> list[ClaimCheck]:
    """One check per annotated 'rank from the bottom' statistic of a province in one year."""
    out = []
    for stat in corpus.of_type(Statistic):
        if stat.unit != "rank-from-bottom" or not stat.period or not stat.period.isdigit():
            continue
        provinces = [rmap.provinces[a] for a in stat.area if a in rmap.provinces]
        if len(provinces) != 1:
            continue
        prov, year = provinces[0], int(stat.period)
        inputs = [_input("grp-index", f"all provinces, {year}")]
        base = _draft(
            id=f"rank-{year}-{prov.id}",
            label=f"{year} real GRP growth rank of {prov.en}",
            claims=_claim_ids(corpus, *stat.supports),
            statistics=[stat.id],
            recipe=(
                f"Rank the provinces by 地区生产总值指数(上年=100) in {year}, highest first; "
                "rank from the bottom = 1 + number of provinces with a strictly lower index. "
                "Reproduced if equal to the paper's rank, close if one place off."
            ),
            inputs=inputs,
            paper_value=stat.value,
            paper_text=stat.quote,
            unit="rank from the bottom",
            series=["grp-index"],
        )
        why = _unavailable(nbs, "grp-index")
        if why or nbs is None:
            out.append(_with(base, computed=None, verdict=Verdict.not_checkable, notes=[why or ""]))
            continue
        table = nbs.table("grp-index")
        cells = {a: v for (a, y), v in table.items() if y == year and a != NATIONAL}
        if prov.adcode not in cells:
            out.append(
                _with(
                    base,
                    computed=None,
                    verdict=Verdict.not_checkable,
                    notes=[f"no {year} value for {prov.en}"],
                )
            )
            continue
        mine = cells[prov.adcode].value
        below = sum(1 for v in cells.values() if v.value < mine)
        ties = sorted(a for a, v in cells.items() if v.value == mine and a != prov.adcode)
        rank = below + 1
        n = len(cells)
        verdict = number_verdict(rank, stat.value, 0, 1)
        notes = [
            f"{prov.en}: index {mine:g} (line {cells[prov.adcode].line}); "
            f"rank {n - rank + 1} of {n} from the top"
        ]
        if ties:
            notes.append(f"tied with the province(s) coded {', '.join(ties)}")
        out.append(
            _with(
                base,
                computed=rank,
                computed_text=f"{rank} of {n} from the bottom",
                verdict=verdict,
                notes=notes,
            )
        )
    return out


# -- domestic demand (footnote of section 三) ------------------------------------------------

NORTHEAST = "region-northeast"
EAST_COAST = "region-east-coast"
ANHUI = "anhui"
DEMAND_SERIES = ("population", "disposable-income", "consumption-expenditure")
DEMAND_RECIPE = (
    "The paper's footnote: potential demand = residents x disposable income per capita, actual "
    "demand = residents x consumption expenditure per capita, summed over the provinces of a "
    "region (年末常住人口 x 居民人均可支配收入 / 居民人均消费支出). "
)


def _knows(rmap: RegionMap, *ids: str) -> bool:
    """Whether the corpus defines these regions / provinces (a small corpus may not)."""
    return set(ids) <= {r.id for r in rmap.regions} | set(rmap.provinces)


def _demand_groups(rmap: RegionMap) -> dict[str, tuple[str, frozenset[str]]]:
    """Northeast and the two readings of the Yangtze River Delta (YRD)."""
    return {
        "ne": ("Northeast (LN+JL+HL)", rmap.group(NORTHEAST)),
        "yrd4": ("YRD = SH+JS+ZJ+AH (2019 outline plan)", rmap.group(EAST_COAST, ANHUI)),
        "yrd3": ("YRD = SH+JS+ZJ (the paper's east coast)", rmap.group(EAST_COAST)),
    }


def _reference_year(nbs: NbsData, corpus: Corpus) -> int:
    """The latest year with data before the paper was received (its data could not be newer)."""
    received = corpus.paper.document.received
    limit = int(received[:4]) - 1 if received else 9999
    candidates = [y for y in derived.demand_years(nbs) if y <= limit]
    return max(candidates) if candidates else max(derived.demand_years(nbs))


def demand_checks(nbs: NbsData | None, rmap: RegionMap, corpus: Corpus) -> list[ClaimCheck]:
    specs: list[tuple[str, str, str | None, tuple[str, ...], str, float]] = [
        # id, label, statistic, claims, unit, tolerance
        (
            "demand-potential-ratio",
            "Domestic-demand potential, Northeast / YRD",
            "s3-st-demand-potential-ratio",
            ("s3-c-demand-potential-ratio",),
            "ratio",
            0.02,
        ),
        (
            "demand-realisation-rate",
            "Share of the Northeast's potential demand realised",
            "s3-st-realisation-rate",
            ("s3-c-fn-realisation-rate",),
            "percent",
            2.0,
        ),
        (
            "demand-realisation-gap",
            "Realisation rate, Northeast minus YRD",
            "s3-st-realisation-gap",
            ("s3-c-fn-realisation-above-yrd",),
            "percentage points",
            1.0,
        ),
    ]
    if not _knows(rmap, NORTHEAST, EAST_COAST, ANHUI):
        return []
    out = []
    groups = _demand_groups(rmap)
    for cid, label, stat_id, claim_ids, unit, tol in specs:
        stat = _stat(corpus, stat_id) if stat_id else None
        if stat is None:
            continue
        inputs = [_input(s, "LN, JL, HL, SH, JS, ZJ, AH; 2013-2019") for s in DEMAND_SERIES]
        base = _draft(
            id=cid,
            label=label,
            claims=_claim_ids(corpus, *claim_ids, *stat.supports),
            statistics=[stat.id],
            inputs=inputs,
            paper_value=stat.value,
            paper_text=stat.quote,
            unit=unit,
            series=[
                "population",
                "disposable-income",
                "consumption-expenditure",
                "demand-potential",
                "demand-realisation",
            ],
        )
        why = _unavailable(nbs, *DEMAND_SERIES)
        if why or nbs is None:
            out.append(
                _with(
                    base,
                    recipe=DEMAND_RECIPE,
                    computed=None,
                    verdict=Verdict.not_checkable,
                    notes=[why or ""],
                )
            )
            continue
        value: Callable[[int, str], float | None] = {
            "demand-potential-ratio": lambda y, g: _ratio(nbs, groups, y, g),
            "demand-realisation-rate": lambda y, g: _realisation(nbs, groups, y, "ne"),
            "demand-realisation-gap": lambda y, g: _gap(nbs, groups, y, g),
        }[cid]
        year = _reference_year(nbs, corpus)
        nd = _decimals(stat)
        computed = value(year, "yrd4")
        alternatives = []
        for y in derived.demand_years(nbs):
            for g in ("yrd4", "yrd3") if cid != "demand-realisation-rate" else ("yrd4",):
                v = value(y, g)
                name = f"{y}" if cid == "demand-realisation-rate" else f"{y}, {groups[g][0]}"
                alternatives.append(
                    Alternative(
                        label=name,
                        value=v,
                        verdict=None if v is None else number_verdict(v, stat.value, nd, tol),
                    )
                )
        matching = [a.label for a in alternatives if a.verdict is Verdict.reproduced]
        recipe = DEMAND_RECIPE + (
            f"Main reading: {year} (the latest year before the paper was received) and "
            f"{groups['yrd4'][0]}. Reproduced if equal at the paper's precision, close within "
            f"{tol:g} {unit}."
        )
        notes = [
            f"choices that give the paper's {stat.value:g}: "
            + ("; ".join(matching) if matching else "none")
        ]
        verdict = (
            Verdict.not_checkable
            if computed is None
            else number_verdict(computed, stat.value, nd, tol)
        )
        out.append(
            _with(
                base,
                recipe=recipe,
                computed=computed,
                computed_text=None if computed is None else f"{computed:.3f} ({year})",
                verdict=verdict,
                notes=notes,
                alternatives=alternatives,
            )
        )
    out += _ratio_trend_check(nbs, rmap, corpus)
    return out


def _ratio(
    nbs: NbsData, groups: dict[str, tuple[str, frozenset[str]]], year: int, g: str
) -> float | None:
    ne, other = derived.demand(nbs, groups["ne"][1], year), derived.demand(nbs, groups[g][1], year)
    return None if ne is None or other is None else ne.potential / other.potential


def _realisation(
    nbs: NbsData, groups: dict[str, tuple[str, frozenset[str]]], year: int, g: str
) -> float | None:
    d = derived.demand(nbs, groups[g][1], year)
    return None if d is None else 100 * d.realisation


def _gap(
    nbs: NbsData, groups: dict[str, tuple[str, frozenset[str]]], year: int, g: str
) -> float | None:
    ne, other = _realisation(nbs, groups, year, "ne"), _realisation(nbs, groups, year, g)
    return None if ne is None or other is None else ne - other


def _ratio_trend_check(nbs: NbsData | None, rmap: RegionMap, corpus: Corpus) -> list[ClaimCheck]:
    claim = corpus.items.get("s3-c-fn-ratio-falling")
    if not isinstance(claim, Claim):
        return []
    base = _draft(
        id="demand-ratio-falling",
        label="Northeast / YRD domestic-demand ratio keeps falling",
        claims=[claim.id],
        recipe=DEMAND_RECIPE + "Potential-demand ratio Northeast / YRD "
        "(SH+JS+ZJ+AH) for every year with data; a falling trend (see the module's rules).",
        inputs=[_input(s, "LN, JL, HL, SH, JS, ZJ, AH; 2013-2019") for s in DEMAND_SERIES],
        paper_value=None,
        paper_text=claim.quote,
        unit="ratio (net change)",
        series=["demand-potential"],
    )
    why = _unavailable(nbs, *DEMAND_SERIES)
    if why or nbs is None:
        return [_with(base, computed=None, verdict=Verdict.not_checkable, notes=[why or ""])]
    groups = _demand_groups(rmap)
    points = [
        (y, r)
        for y in derived.demand_years(nbs)
        if (r := _ratio(nbs, groups, y, "yrd4")) is not None
    ]
    verdict, net, share = trend_verdict(points, -1, covers_span=True)
    text = ", ".join(f"{y}: {r:.3f}" for y, r in points)
    return [
        _with(
            base,
            computed=net,
            computed_text=text,
            verdict=verdict,
            notes=[
                f"{share:.0%} of the yearly steps fall; the footnote states no "
                f"period, so the span is the one the data cover"
            ],
        )
    ]


# -- machine tools (Figure 2) ------------------------------------------------------------------

MT_SERIES = ("machine-tools", "machine-tools-national")


def _share_points(
    shares: dict[tuple[str, int], derived.Derived], region: str, start: int, end: int
) -> list[tuple[int, float]]:
    return sorted((y, d.value) for (a, y), d in shares.items() if a == region and start <= y <= end)


def machine_tool_checks(nbs: NbsData | None, rmap: RegionMap, corpus: Corpus) -> list[ClaimCheck]:
    # id, claim, (region, direction)..., claimed span, span checked, label
    specs: list[tuple[str, str, tuple[tuple[str, int], ...], tuple[int, int], tuple[int, int], str]]
    specs = [
        (
            "mt-1987-2002",
            "s2-c-machine-tools-1987-2002",
            ((EAST_COAST, 1), (NORTHEAST, -1)),
            (1987, 2002),
            (1987, 2002),
            "1987-2002: east coast's share up, Northeast's down",
        ),
        (
            "mt-coast-falls-from-2001",
            "s2-c-machine-tools-imports-displace-coast",
            ((EAST_COAST, -1),),
            (2001, 2008),
            (2001, 2008),
            "From 2001 (to 2008, where the text's next phase starts): east coast's share fell fast",
        ),
        (
            "mt-northeast-rises",
            "s2-c-revitalisation-machine-tools",
            ((NORTHEAST, 1),),
            (2002, 2008),
            (2002, 2008),
            "Between the 2002 low and 2008: the Northeast's share rose (revitalisation)",
        ),
        (
            "mt-after-2008",
            "s2-c-machine-tools-after-2008",
            ((NORTHEAST, -1), (EAST_COAST, 1)),
            (2008, 2018),
            (2008, 2018),
            "After 2008 (to 2018): Northeast's share down, coast's up",
        ),
    ]
    if not _knows(rmap, NORTHEAST, EAST_COAST):
        return []
    out = []
    why = _unavailable(nbs, *MT_SERIES)
    shares = alt = {}
    if not why and nbs is not None:
        shares = derived.by_key(derived.machine_tool_shares(nbs, rmap, of_national=False))
        alt = derived.by_key(derived.machine_tool_shares(nbs, rmap, of_national=True))
    data_years = sorted({y for _a, y in shares})
    for cid, claim_id, moves, claimed, span, label in specs:
        claim = corpus.items.get(claim_id)
        if not isinstance(claim, Claim):
            continue
        recipe = (
            "Share of each region (the paper's note-1 division) in the output of metal-cutting "
            "machine tools (金属切削机床产量), per year: sum of its provinces / sum of all "
            f"provinces reporting that year. Trend over {span[0]}-{span[1]}: "
            + "; ".join(f"{rmap.region(r).en} {'up' if d > 0 else 'down'}" for r, d in moves)
            + ". The national-total denominator is given as an alternative."
        )
        base = _draft(
            id=cid,
            label=label,
            claims=[claim.id],
            recipe=recipe,
            inputs=[_input(s, "all provinces / national, 2000-2019") for s in MT_SERIES],
            paper_value=None,
            paper_text=claim.quote,
            unit="percentage points (net)",
            series=[
                "machine-tools",
                "machine-tools-national",
                "mt-share-of-provinces",
                "mt-share-of-national",
            ],
        )
        if why or not data_years:
            out.append(
                _with(
                    base,
                    computed=None,
                    verdict=Verdict.not_checkable,
                    notes=[why or "no machine-tool data"],
                )
            )
            continue
        lo, hi = max(span[0], data_years[0]), min(span[1], data_years[-1])
        covers = lo == claimed[0] and hi == claimed[1]
        too_short = (hi - lo) * 2 < (claimed[1] - claimed[0])
        verdicts, texts, alt_verdicts = [], [], []
        computed = None
        for region, direction in moves:
            pts = _share_points(shares, region, lo, hi)
            v, net, step = trend_verdict(pts, direction, covers_span=covers)
            verdicts.append(v)
            computed = net if computed is None else computed
            texts.append(
                f"{rmap.region(region).en}: {pts[0][1]:.1f}% ({pts[0][0]}) -> "
                f"{pts[-1][1]:.1f}% ({pts[-1][0]}), {step:.0%} of steps as stated"
            )
            alt_pts = _share_points(alt, region, lo, hi)
            alt_verdicts.append(trend_verdict(alt_pts, direction, covers_span=covers)[0])
        verdict, alt_verdict = worst(verdicts), worst(alt_verdicts)
        notes = []
        if not covers:
            notes.append(f"the tables cover {lo}-{hi} of the claimed {claimed[0]}-{claimed[1]}")
        if too_short:
            notes.append(
                f"less than half of the claimed span is covered: not checkable (the "
                f"covered years alone give '{verdict.value}')"
            )
            verdict = alt_verdict = Verdict.not_checkable
        notes += sorted(
            {
                f"{d.year} {rmap.region(d.area).en}: {d.note}"
                for d in shares.values()
                if d.note and lo <= d.year <= hi and d.area in {r for r, _ in moves}
            }
        )
        notes.append(f"with the national total as denominator: {alt_verdict.value}")
        notes += _coverage_notes(nbs, lo, hi) if nbs else []
        out.append(
            _with(
                base,
                computed=computed,
                computed_text="; ".join(texts),
                verdict=verdict,
                notes=notes,
                alternatives=[
                    Alternative(
                        label="share of the national total", value=None, verdict=alt_verdict
                    )
                ],
            )
        )
    out += _seesaw_check(shares, rmap, corpus, why)
    return out


def _coverage_notes(nbs: NbsData, lo: int, hi: int) -> list[str]:
    """Years where the provinces' sum and the national series disagree by more than 5%."""
    prov, nat = nbs.table("machine-tools"), nbs.table("machine-tools-national")
    notes = []
    for year in range(lo, hi + 1):
        if (NATIONAL, year) not in nat:
            continue
        total = sum(v.value for (a, y), v in prov.items() if y == year)
        ratio = total / nat[(NATIONAL, year)].value
        if abs(ratio - 1) > 0.05:
            notes.append(f"{year}: provinces sum to {ratio:.0%} of the national total")
    return notes


def _seesaw_check(
    shares: dict[tuple[str, int], derived.Derived], rmap: RegionMap, corpus: Corpus, why: str | None
) -> list[ClaimCheck]:
    claim = corpus.items.get("s2-c-machine-tool-seesaw")
    if not isinstance(claim, Claim):
        return []
    base = _draft(
        id="mt-seesaw",
        label="Northeast and east-coast shares move as a see-saw",
        claims=[claim.id],
        recipe=(
            "Year-on-year changes of the Northeast's and the east coast's machine-tool "
            "shares (of the provinces' sum), 2000-2018: percent of years in which they move "
            f"in opposite directions. Reproduced at {STEP_SHARE:.0%} or more, close at 50% "
            "or more."
        ),
        inputs=[_input(s, "all provinces / national, 2000-2018") for s in MT_SERIES],
        paper_value=None,
        paper_text=claim.quote,
        unit="percent of years",
        series=["mt-share-of-provinces"],
    )
    if why or not shares:
        return [
            _with(
                base,
                computed=None,
                verdict=Verdict.not_checkable,
                notes=[why or "no machine-tool data"],
            )
        ]
    ne = dict(_share_points(shares, NORTHEAST, 1987, 2018))
    ec = dict(_share_points(shares, EAST_COAST, 1987, 2018))
    yrs = sorted(set(ne) & set(ec))
    pairs = [(ne[b] - ne[a], ec[b] - ec[a]) for a, b in pairwise(yrs)]
    opposite = 100 * sum(1 for x, y in pairs if x * y < 0) / len(pairs)
    verdict = (
        Verdict.reproduced
        if opposite >= 100 * STEP_SHARE
        else Verdict.close
        if opposite >= 50
        else Verdict.differs
    )
    return [
        _with(
            base,
            computed=opposite,
            computed_text=f"{opposite:.0f}% of {len(pairs)} yearly steps opposite",
            verdict=verdict,
            notes=[f"the tables start in {yrs[0]}; the text's span starts in 1987"],
        )
    ]


# -- machine-tool imports (Figure 2, right) ----------------------------------------------------


def import_checks(nbs: NbsData | None, rmap: RegionMap, corpus: Corpus) -> list[ClaimCheck]:
    specs = [
        (
            "imports-value-after-wto",
            "s2-c-wto-machine-tool-imports",
            "machine-tool-imports-value",
            "After WTO accession (2001) spending on machine-tool imports soared",
        ),
        (
            "imports-quantity-after-2001",
            "s2-c-machine-tools-imports-displace-coast",
            "machine-tool-imports-quantity",
            "Since 2001 the number of imported machine tools surged",
        ),
    ]
    out = []
    for cid, claim_id, series, label in specs:
        claim = corpus.items.get(claim_id)
        if not isinstance(claim, Claim):
            continue
        start, window = 2001, 5
        base = _draft(
            id=cid,
            label=label,
            claims=[claim.id],
            recipe=(
                f"{BY_SERIES[series].header}: value in {start + window} / value in {start} "
                f"(China joined the WTO in December {start}). Reproduced if at least 2 "
                "(doubled within five years), close if at least 1.5, differs otherwise; "
                "the peak year and its multiple are noted."
            ),
            inputs=[_input(series, "China, 2000-2019")],
            paper_value=None,
            paper_text=claim.quote,
            unit="multiple of the 2001 value",
            series=[series],
        )
        why = _unavailable(nbs, series)
        if why or nbs is None:
            out.append(_with(base, computed=None, verdict=Verdict.not_checkable, notes=[why or ""]))
            continue
        table = {y: v.value for (_a, y), v in nbs.table(series).items()}
        if start not in table or start + window not in table:
            out.append(
                _with(
                    base,
                    computed=None,
                    verdict=Verdict.not_checkable,
                    notes=[f"no value for {start} or {start + window}"],
                )
            )
            continue
        multiple = table[start + window] / table[start]
        verdict = (
            Verdict.reproduced
            if multiple >= 2
            else Verdict.close
            if multiple >= 1.5
            else Verdict.differs
        )
        peak = max((y for y in table if y > start), key=lambda y: table[y])
        notes = [
            f"{start}: {table[start]:g}; {start + window}: {table[start + window]:g}; "
            f"peak {peak}: {table[peak]:g} ({table[peak] / table[start]:.1f}x {start}); "
            f"{max(table)}: {table[max(table)]:g}",
            f"unit: {BY_SERIES[series].unit}",
        ]
        out.append(
            _with(
                base,
                computed=multiple,
                computed_text=f"{multiple:.2f}x",
                verdict=verdict,
                notes=notes,
            )
        )
    return out


# -- what no public data here can check --------------------------------------------------------


def unavailable_checks(corpus: Corpus) -> list[ClaimCheck]:
    out = []
    figure = corpus.items.get("s2-ev-figure-1")
    if isinstance(figure, Evidence):
        out.append(
            ClaimCheck(
                id="figure-1",
                label="Figure 1: domestic value-chain participation, 1987-2012",
                claims=_claim_ids(corpus, *figure.supports),
                recipe=(
                    "Would need participation in domestic industrial value chains by region from "
                    "China's inter-regional input-output tables (1987-2012). No such table is in the "
                    "public data given to the build, so nothing is computed."
                ),
                inputs=[],
                computed=None,
                paper_value=None,
                paper_text=figure.quote,
                unit="",
                verdict=Verdict.not_checkable,
                notes=["no public data: inter-regional input-output tables are not loaded"],
            )
        )
    for stat in corpus.of_type(Statistic):
        if stat.period and stat.period[:4].isdigit() and int(stat.period[:4]) < 2000:
            out.append(
                ClaimCheck(
                    id=f"pre-2000-{stat.id}",
                    label=f"{stat.label.en}",
                    claims=_claim_ids(corpus, *stat.supports),
                    statistics=[stat.id],
                    recipe="The public tables start in 2000; this figure is about an earlier period.",
                    inputs=[],
                    computed=None,
                    paper_value=stat.value,
                    paper_text=stat.quote,
                    unit=stat.unit,
                    verdict=Verdict.not_checkable,
                    notes=[f"period {stat.period}: before the public tables (2000-2019)"],
                )
            )
    return out


def run_checks(nbs: NbsData | None, rmap: RegionMap, corpus: Corpus) -> list[ClaimCheck]:
    """Every check, in a fixed order."""
    return [
        *rank_checks(nbs, rmap, corpus),
        *demand_checks(nbs, rmap, corpus),
        *machine_tool_checks(nbs, rmap, corpus),
        *import_checks(nbs, rmap, corpus),
        *unavailable_checks(corpus),
    ]
