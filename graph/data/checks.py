"""Claim checks: each a pure function of the NBS values (and the corpus, for the paper's own
numbers and the claims' ids), returning a typed `ClaimCheck`. Nothing here types in a result:
the computed value comes from the tables, the paper's value from the annotated statistic.

The engine knows no paper. Two checks are generic and run for every corpus: the rank of a
province in a year (every statistic with unit `rank-from-bottom`), and "before the tables" (every
statistic about a period before the tables' first year). Every other check is declared in the
paper's `data/checks.yaml` (`check_spec.py`) as an instance of a kind (`check_kinds.py`):
`regional-ratio`, `regional-rate`, `regional-gap`, `regional-ratio-trend`, `share-trend`,
`seesaw`, `multiple-after`, `no-public-data`. A paper without the file has the generic checks only.

Verdicts
- numbers: `reproduced` when the computed value, rounded as the paper writes it, equals the
  paper's; `close` when within the check's stated tolerance; `differs` otherwise.
- trends: `reproduced` when every series moved in the stated direction over the span, in at least
  70% of the year-on-year steps, and the data cover the whole span; `close` when the net move is
  right but the steps are mixed or the data cover only part of the span; `differs` when a series
  moved the other way on net.
- thresholds (`seesaw`, `multiple-after`): `reproduced` at or above the first threshold, `close`
  at or above the second, `differs` below.
- `not-checkable` when the inputs are not loaded, no public data exist, or the tables cover less
  than half of the span a trend claim names (the covered years' values are still given).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graph.data import check_kinds as kinds
from graph.data.check_base import (
    STEP_SHARE,
    Alternative,
    CheckInput,
    ClaimCheck,
    Verdict,
    claim_ids,
    completed,
    draft,
    input_of,
    not_checkable,
    number_verdict,
    trend_verdict,
    unavailable,
    worst,
)
from graph.data.check_refs import validate_spec
from graph.data.check_spec import Spec, read_spec
from graph.data.regions import RegionMap
from ingest.corpus import Corpus
from ingest.models import Statistic
from ingest.nbs import BY_SERIES, NATIONAL, NbsData

__all__ = [
    "STEP_SHARE",
    "Alternative",
    "CheckInput",
    "ClaimCheck",
    "Verdict",
    "number_verdict",
    "rank_checks",
    "run_checks",
    "trend_verdict",
    "worst",
]

FIRST_YEAR = 2000
"""The first year of the public tables (nbs-provincial-2000-2019)."""
LAST_YEAR = 2019

KINDS: dict[str, Callable[[Any, kinds.Context], ClaimCheck]] = {
    "regional-ratio": kinds.regional_number,
    "regional-rate": kinds.regional_number,
    "regional-gap": kinds.regional_number,
    "regional-ratio-trend": kinds.regional_trend,
    "share-trend": kinds.share_trend,
    "seesaw": kinds.seesaw,
    "multiple-after": kinds.multiple_after,
    "no-public-data": kinds.no_public_data,
}


def rank_checks(
    nbs: NbsData | None, rmap: RegionMap, corpus: Corpus, spec: Spec | None = None
) -> list[ClaimCheck]:
    """One check per annotated 'rank from the bottom' statistic of a province in one year."""
    rank = (spec or Spec.empty()).data.rank
    col = BY_SERIES[rank.series]
    out = []
    for stat in corpus.of_type(Statistic):
        if stat.unit != "rank-from-bottom" or not stat.period or not stat.period.isdigit():
            continue
        provinces = [rmap.provinces[a] for a in stat.area if a in rmap.provinces]
        if len(provinces) != 1:
            continue
        prov, year = provinces[0], int(stat.period)
        base = draft(
            id=f"rank-{year}-{prov.id}",
            label=rank.label.format(year=year, area=prov.en),
            claims=claim_ids(corpus, *stat.supports),
            statistics=[stat.id],
            recipe=(
                f"Rank the provinces by {col.header} in {year}, highest first; "
                "rank from the bottom = 1 + number of provinces with a strictly lower index. "
                "Reproduced if equal to the paper's rank, close if one place off."
            ),
            inputs=[input_of(rank.series, f"all provinces, {year}")],
            paper_value=stat.value,
            paper_text=stat.quote,
            unit="rank from the bottom",
            series=[rank.series],
        )
        why = unavailable(nbs, rank.series)
        if why or nbs is None:
            out.append(not_checkable(base, why or ""))
            continue
        table = nbs.table(rank.series)
        cells = {a: v for (a, y), v in table.items() if y == year and a != NATIONAL}
        if prov.adcode not in cells:
            out.append(not_checkable(base, f"no {year} value for {prov.en}"))
            continue
        mine = cells[prov.adcode].value
        below = sum(1 for v in cells.values() if v.value < mine)
        ties = sorted(a for a, v in cells.items() if v.value == mine and a != prov.adcode)
        position = below + 1
        n = len(cells)
        notes = [
            f"{prov.en}: index {mine:g} (line {cells[prov.adcode].line}); "
            f"rank {n - position + 1} of {n} from the top"
        ]
        if ties:
            notes.append(f"tied with the province(s) coded {', '.join(ties)}")
        out.append(
            completed(
                base,
                computed=position,
                computed_text=f"{position} of {n} from the bottom",
                verdict=number_verdict(position, stat.value, 0, 1),
                notes=notes,
            )
        )
    return out


def before_tables_checks(corpus: Corpus) -> list[ClaimCheck]:
    """Statistics about a period before the tables' first year: said plainly, not checked."""
    out = []
    for stat in corpus.of_type(Statistic):
        if stat.period and stat.period[:4].isdigit() and int(stat.period[:4]) < FIRST_YEAR:
            out.append(
                ClaimCheck(
                    id=f"pre-{FIRST_YEAR}-{stat.id}",
                    label=f"{stat.label.en}",
                    claims=claim_ids(corpus, *stat.supports),
                    statistics=[stat.id],
                    recipe=(
                        f"The public tables start in {FIRST_YEAR}; this figure is about an "
                        "earlier period."
                    ),
                    inputs=[],
                    computed=None,
                    paper_value=stat.value,
                    paper_text=stat.quote,
                    unit=stat.unit,
                    verdict=Verdict.not_checkable,
                    notes=[
                        f"period {stat.period}: before the public tables ({FIRST_YEAR}-{LAST_YEAR})"
                    ],
                )
            )
    return out


def load_spec(corpus: Corpus, rmap: RegionMap) -> Spec:
    """The corpus's check spec (empty without a check file), every id checked."""
    spec = read_spec(corpus.folder)
    validate_spec(spec, corpus, rmap)
    return spec


def run_checks(
    nbs: NbsData | None, rmap: RegionMap, corpus: Corpus, spec: Spec | None = None
) -> list[ClaimCheck]:
    """Every check, in a fixed order: ranks, the spec's checks in its order, pre-table figures."""
    if spec is None:
        spec = load_spec(corpus, rmap)
    ctx = kinds.Context(nbs, rmap, corpus, spec)
    return [
        *rank_checks(nbs, rmap, corpus, spec),
        *(KINDS[c.kind](c, ctx) for c in spec.data.checks),
        *before_tables_checks(corpus),
    ]
