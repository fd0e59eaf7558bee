"""The check kinds a paper's check spec instantiates (see `check_spec.py` for their fields).

Each kind is a pure function of one spec entry and the `Context` (the NBS values, the region map,
the corpus, the spec) returning one `ClaimCheck`. The paper-specific parts (ids, regions, spans,
labels, recipe texts) come from the spec; the texts written here describe the engine's own rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

from graph.data import derived
from graph.data.check_base import (
    STEP_SHARE,
    Alternative,
    ClaimCheck,
    Verdict,
    claim,
    claim_ids,
    completed,
    decimals,
    draft,
    input_of,
    not_checkable,
    number_verdict,
    statistic,
    threshold_verdict,
    trend_verdict,
    unavailable,
    worst,
)
from graph.data.check_spec import (
    MultipleAfter,
    NoPublicData,
    RegionalNumber,
    RegionalTrend,
    RegionShare,
    Seesaw,
    ShareTrend,
    Spec,
    Totals,
)
from graph.data.regions import RegionMap
from ingest.corpus import Corpus
from ingest.models import Claim, Evidence
from ingest.nbs import BY_SERIES, NATIONAL, NbsData

Shares = dict[tuple[str, int], derived.Derived]


@dataclass
class Context:
    nbs: NbsData | None
    rmap: RegionMap
    corpus: Corpus
    spec: Spec
    _shares: dict[str, Shares] = field(default_factory=dict)

    @property
    def totals(self) -> Totals:
        assert self.spec.data.totals is not None  # checked when the spec was validated
        return self.spec.data.totals

    def codes(self, group: str) -> frozenset[str]:
        return self.rmap.group(*self.spec.group(group).members)

    def label(self, group: str) -> str:
        return self.spec.group(group).label

    def shares(self, series: str) -> Shares:
        """The values of a region-share series, by (region, year), computed once."""
        if series not in self._shares:
            spec = self.spec.derived(series)
            assert isinstance(spec, RegionShare) and self.nbs is not None
            self._shares[series] = derived.by_key(derived.region_shares(self.nbs, self.rmap, spec))
        return self._shares[series]

    def group_totals(self, group: str, year: int) -> derived.GroupTotals | None:
        assert self.nbs is not None
        return derived.group_totals(self.nbs, self.totals, self.codes(group), year)

    def ratio(self, year: int, region: str, against: str) -> float | None:
        a, b = self.group_totals(region, year), self.group_totals(against, year)
        return None if a is None or b is None else a.potential / b.potential

    def rate(self, year: int, group: str) -> float | None:
        d = self.group_totals(group, year)
        return None if d is None else 100 * d.realisation

    def gap(self, year: int, region: str, against: str) -> float | None:
        a, b = self.rate(year, region), self.rate(year, against)
        return None if a is None or b is None else a - b


def reference_year(ctx: Context) -> int:
    """The latest year with data before the paper was received (its data could not be newer)."""
    assert ctx.nbs is not None
    received = ctx.corpus.paper.document.received
    limit = int(received[:4]) - 1 if received else 9999
    years = derived.total_years(ctx.nbs, ctx.totals)
    candidates = [y for y in years if y <= limit]
    return max(candidates) if candidates else max(years)


# -- numbers and trends from group totals ------------------------------------------------------


def regional_number(c: RegionalNumber, ctx: Context) -> ClaimCheck:
    stat = statistic(ctx.corpus, c.statistic)
    base = draft(
        id=c.id,
        label=c.label,
        claims=claim_ids(ctx.corpus, *c.claims, *stat.supports),
        statistics=[stat.id],
        inputs=[input_of(s, c.scope) for s in c.inputs],
        paper_value=stat.value,
        paper_text=stat.quote,
        unit=c.unit,
        series=c.charts,
    )
    why = unavailable(ctx.nbs, *c.inputs)
    if why or ctx.nbs is None:
        return not_checkable(base, why or "", recipe=ctx.totals.recipe)
    value: Callable[[int, str], float | None] = {
        "regional-ratio": lambda y, g: ctx.ratio(y, c.region, g),
        "regional-rate": lambda y, g: ctx.rate(y, c.region),
        "regional-gap": lambda y, g: ctx.gap(y, c.region, g),
    }[c.kind]
    year = reference_year(ctx)
    nd = decimals(stat)
    computed = value(year, c.against)
    alternatives = []
    for y in derived.total_years(ctx.nbs, ctx.totals):
        for g in c.readings or [c.against]:
            v = value(y, g)
            alternatives.append(
                Alternative(
                    label=f"{y}, {ctx.label(g)}" if c.readings else f"{y}",
                    value=v,
                    verdict=None if v is None else number_verdict(v, stat.value, nd, c.tolerance),
                )
            )
    matching = [a.label for a in alternatives if a.verdict is Verdict.reproduced]
    recipe = (
        f"{ctx.totals.recipe} Main reading: {year} (the latest year before the paper was "
        f"received) and {ctx.label(c.against)}. Reproduced if equal at the paper's precision, "
        f"close within {c.tolerance:g} {c.unit}."
    )
    notes = [
        f"choices that give the paper's {stat.value:g}: "
        + ("; ".join(matching) if matching else "none")
    ]
    verdict = (
        Verdict.not_checkable
        if computed is None
        else number_verdict(computed, stat.value, nd, c.tolerance)
    )
    return completed(
        base,
        recipe=recipe,
        computed=computed,
        computed_text=None if computed is None else f"{computed:.3f} ({year})",
        verdict=verdict,
        notes=notes,
        alternatives=alternatives,
    )


def _about_claim(
    c: RegionalTrend | ShareTrend | Seesaw | MultipleAfter, stated: Claim, recipe: str
) -> ClaimCheck:
    """A check of a claim that states no number (a trend, a multiple), before it is computed."""
    return draft(
        id=c.id,
        label=c.label,
        claims=[stated.id],
        recipe=recipe,
        inputs=[input_of(s, c.scope) for s in c.inputs],
        paper_value=None,
        paper_text=stated.quote,
        unit=c.unit,
        series=c.charts,
    )


def regional_trend(c: RegionalTrend, ctx: Context) -> ClaimCheck:
    stated = claim(ctx.corpus, c.claim)
    base = _about_claim(c, stated, f"{ctx.totals.recipe} {c.recipe}")
    why = unavailable(ctx.nbs, *c.inputs)
    if why or ctx.nbs is None:
        return not_checkable(base, why or "")
    points = [
        (y, r)
        for y in derived.total_years(ctx.nbs, ctx.totals)
        if (r := ctx.ratio(y, c.region, c.against)) is not None
    ]
    direction = 1 if c.direction == "up" else -1
    verdict, net, share = trend_verdict(points, direction, covers_span=True)
    moved = "rise" if direction > 0 else "fall"
    return completed(
        base,
        computed=net,
        computed_text=", ".join(f"{y}: {r:.3f}" for y, r in points),
        verdict=verdict,
        notes=[f"{share:.0%} of the yearly steps {moved}; {c.note}"],
    )


# -- regional shares ---------------------------------------------------------------------------


def _points(shares: Shares, region: str, start: int, end: int) -> list[tuple[int, float]]:
    return sorted((y, d.value) for (a, y), d in shares.items() if a == region and start <= y <= end)


def _no_values(ctx: Context, series: str) -> str:
    spec = ctx.spec.derived(series)
    assert isinstance(spec, RegionShare)
    return f"no values of {BY_SERIES[spec.of].header}"


def share_trend(c: ShareTrend, ctx: Context) -> ClaimCheck:
    stated = claim(ctx.corpus, c.claim)
    claimed = (c.claimed[0], c.claimed[1])
    span = (c.span[0], c.span[1]) if c.span else claimed
    moves = "; ".join(f"{ctx.rmap.region(m.region).en} {m.direction}" for m in c.moves)
    base = _about_claim(c, stated, c.recipe.format(span=f"{span[0]}-{span[1]}", moves=moves))
    why = unavailable(ctx.nbs, *c.inputs)
    shares = {} if why else ctx.shares(c.shares)
    data_years = sorted({y for _a, y in shares})
    if why or ctx.nbs is None or not data_years:
        return not_checkable(base, why or _no_values(ctx, c.shares))
    alt = ctx.shares(c.alternative)
    lo, hi = max(span[0], data_years[0]), min(span[1], data_years[-1])
    covers = lo == claimed[0] and hi == claimed[1]
    too_short = (hi - lo) * 2 < (claimed[1] - claimed[0])
    verdicts, texts, alt_verdicts = [], [], []
    computed = None
    for m in c.moves:
        direction = 1 if m.direction == "up" else -1
        pts = _points(shares, m.region, lo, hi)
        v, net, step = trend_verdict(pts, direction, covers_span=covers)
        verdicts.append(v)
        computed = net if computed is None else computed
        texts.append(
            f"{ctx.rmap.region(m.region).en}: {pts[0][1]:.1f}% ({pts[0][0]}) -> "
            f"{pts[-1][1]:.1f}% ({pts[-1][0]}), {step:.0%} of steps as stated"
        )
        alt_pts = _points(alt, m.region, lo, hi)
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
    regions = {m.region for m in c.moves}
    notes += sorted(
        {
            f"{d.year} {ctx.rmap.region(d.area).en}: {d.note}"
            for d in shares.values()
            if d.note and lo <= d.year <= hi and d.area in regions
        }
    )
    notes.append(f"with the national total as denominator: {alt_verdict.value}")
    alt_spec = ctx.spec.derived(c.alternative)
    assert isinstance(alt_spec, RegionShare) and alt_spec.denominator is not None
    notes += _coverage_notes(ctx.nbs, alt_spec.of, alt_spec.denominator, lo, hi)
    return completed(
        base,
        computed=computed,
        computed_text="; ".join(texts),
        verdict=verdict,
        notes=notes,
        alternatives=[
            Alternative(label="share of the national total", value=None, verdict=alt_verdict)
        ],
    )


def _coverage_notes(nbs: NbsData, of: str, national: str, lo: int, hi: int) -> list[str]:
    """Years where the provinces' sum and the national series disagree by more than 5%."""
    prov, nat = nbs.table(of), nbs.table(national)
    notes = []
    for year in range(lo, hi + 1):
        if (NATIONAL, year) not in nat:
            continue
        total = sum(v.value for (a, y), v in prov.items() if y == year)
        ratio = total / nat[(NATIONAL, year)].value
        if abs(ratio - 1) > 0.05:
            notes.append(f"{year}: provinces sum to {ratio:.0%} of the national total")
    return notes


def seesaw(c: Seesaw, ctx: Context) -> ClaimCheck:
    stated = claim(ctx.corpus, c.claim)
    base = _about_claim(c, stated, c.recipe.format(step_share=f"{STEP_SHARE:.0%}"))
    why = unavailable(ctx.nbs, *c.inputs)
    shares = {} if why else ctx.shares(c.shares)
    if why or not shares:
        return not_checkable(base, why or _no_values(ctx, c.shares))
    a = dict(_points(shares, c.regions[0], c.span[0], c.span[1]))
    b = dict(_points(shares, c.regions[1], c.span[0], c.span[1]))
    yrs = sorted(set(a) & set(b))
    if len(yrs) < 2:
        return not_checkable(
            base, f"fewer than two years of both regions in {c.span[0]}-{c.span[1]}"
        )
    pairs = [(a[q] - a[p], b[q] - b[p]) for p, q in pairwise(yrs)]
    opposite = 100 * sum(1 for x, y in pairs if x * y < 0) / len(pairs)
    return completed(
        base,
        computed=opposite,
        computed_text=f"{opposite:.0f}% of {len(pairs)} yearly steps opposite",
        verdict=threshold_verdict(opposite, 100 * STEP_SHARE, 50),
        notes=[f"the tables start in {yrs[0]}; the text's span starts in {c.span[0]}"],
    )


# -- a national series after a date; what no data can check -----------------------------------


def multiple_after(c: MultipleAfter, ctx: Context) -> ClaimCheck:
    stated = claim(ctx.corpus, c.claim)
    start, end = c.start, c.start + c.window
    col = BY_SERIES[c.of]
    base = _about_claim(c, stated, c.recipe.format(column=col.header, start=start, end=end))
    why = unavailable(ctx.nbs, *c.inputs)
    if why or ctx.nbs is None:
        return not_checkable(base, why or "")
    table = {y: v.value for (_a, y), v in ctx.nbs.table(c.of).items()}
    if start not in table or end not in table:
        return not_checkable(base, f"no value for {start} or {end}")
    multiple = table[end] / table[start]
    peak = max((y for y in table if y > start), key=lambda y: table[y])
    notes = [
        f"{start}: {table[start]:g}; {end}: {table[end]:g}; "
        f"peak {peak}: {table[peak]:g} ({table[peak] / table[start]:.1f}x {start}); "
        f"{max(table)}: {table[max(table)]:g}",
        f"unit: {col.unit}",
    ]
    return completed(
        base,
        computed=multiple,
        computed_text=f"{multiple:.2f}x",
        verdict=threshold_verdict(multiple, c.reproduced_at, c.close_at),
        notes=notes,
    )


def no_public_data(c: NoPublicData, ctx: Context) -> ClaimCheck:
    figure = ctx.corpus.items[c.evidence]
    assert isinstance(figure, Evidence)  # checked when the spec was validated
    return ClaimCheck(
        id=c.id,
        label=c.label,
        claims=claim_ids(ctx.corpus, *figure.supports),
        recipe=c.recipe,
        inputs=[],
        computed=None,
        paper_value=None,
        paper_text=figure.quote,
        unit="",
        verdict=Verdict.not_checkable,
        notes=[c.note],
    )
