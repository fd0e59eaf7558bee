"""What every check kind shares: the typed result, the verdict rules and small helpers."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from itertools import pairwise
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ingest.corpus import Corpus
from ingest.models import Claim, Statistic
from ingest.nbs import BY_SERIES, FOLDER, NbsData

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


def draft(**fields: Any) -> ClaimCheck:
    """A check not (yet) computed; `completed` completes it."""
    return ClaimCheck(
        **{"computed": None, "verdict": Verdict.not_checkable, "recipe": "", **fields}
    )


def completed(check: ClaimCheck, **fields: Any) -> ClaimCheck:
    return ClaimCheck(**{**check.model_dump(), **fields})


def not_checkable(check: ClaimCheck, why: str, **fields: Any) -> ClaimCheck:
    return completed(check, computed=None, verdict=Verdict.not_checkable, notes=[why], **fields)


def input_of(series: str, scope: str) -> CheckInput:
    col = BY_SERIES[series]
    return CheckInput(file=f"{FOLDER}/{col.file}", column=col.header, series=series, scope=scope)


def decimals(stat: Statistic) -> int:
    text = stat.value_text or f"{stat.value:g}"
    return len(text.split(".")[1]) if "." in text else 0


def number_verdict(computed: float, paper: float, decimals: int, tolerance: float) -> Verdict:
    if round(computed, decimals) == round(paper, decimals):
        return Verdict.reproduced
    return Verdict.close if abs(computed - paper) <= tolerance else Verdict.differs


def threshold_verdict(value: float, reproduced_at: float, close_at: float) -> Verdict:
    if value >= reproduced_at:
        return Verdict.reproduced
    return Verdict.close if value >= close_at else Verdict.differs


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


def statistic(corpus: Corpus, item_id: str) -> Statistic:
    item = corpus.items[item_id]
    assert isinstance(item, Statistic)  # checked when the spec was validated
    return item


def claim(corpus: Corpus, item_id: str) -> Claim:
    item = corpus.items[item_id]
    assert isinstance(item, Claim)  # checked when the spec was validated
    return item


def claim_ids(corpus: Corpus, *ids: str) -> list[str]:
    return [i for i in dict.fromkeys(ids) if isinstance(corpus.items.get(i), Claim)]


def unavailable(nbs: NbsData | None, *series: str) -> str | None:
    if nbs is None:
        return f"the data folder {FOLDER}/ is not loaded (build with --data DIR)"
    absent = sorted({BY_SERIES[s].file for s in series if not nbs.has(s)})
    return f"missing file(s): {', '.join(absent)}" if absent else None
