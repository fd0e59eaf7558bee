"""The declarative half of the claim checks: a paper's `data/checks.yaml`, as a typed spec.

A corpus folder may hold `data/checks.yaml` (a subfolder: the annotation loader reads every
`*.yaml` at the top of the folder as a section file). It declares what is specific to the paper:
the passage that lists its regional division, named groups of regions and provinces, the series
derived from the public tables, and the checks, each an instance of a check KIND of the engine
(`graph/data/checks.py`, `graph/data/check_kinds.py`). Nothing in it is a result: every value is
computed from the tables. The format is documented in docs/data.md.

Loading is in two steps: `read_spec` parses the file against the models below (strict, unknown
fields refused), and `validate_spec` checks every id against the corpus and the region map (an
unknown or renamed id is an error naming the file, line and field, so that drift between the
annotations and the checks is caught at build time). Without the file a paper has the generic
checks only.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Annotated, Any, Literal, NoReturn

from pydantic import BaseModel, ConfigDict, Field, field_validator

from errors import AnnotationError
from ingest.models import Labels
from ingest.nbs import BY_SERIES
from ingest.yaml_loader import LineDict, line_of, load_yaml, validate_as

CHECKS_FILE = Path("data") / "checks.yaml"
"""Where a paper's check spec lives, relative to its corpus folder."""

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
Direction = Literal["up", "down"]
Span = Annotated[list[int], Field(min_length=2, max_length=2)]


def _nbs_series(value: str) -> str:
    if value not in BY_SERIES:
        raise ValueError(f"not a series of the NBS tables (known: {', '.join(BY_SERIES)})")
    return value


def _nbs_optional(value: str | None) -> str | None:
    return None if value is None else _nbs_series(value)


def _nbs_list(values: list[str]) -> list[str]:
    return [_nbs_series(v) for v in values]


NbsSeries = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


# -- regions, groups, derived series ------------------------------------------------------------


class Group(_Strict):
    """A named set of provinces: the regions of the division and provinces it lists."""

    id: Id = Field(description="an entity of the corpus: the area of the group's derived values")
    label: str = Field(min_length=1, description="how a check's alternatives name this group")
    members: list[Id] = Field(min_length=1, description="regions of the division or provinces")


class Totals(_Strict):
    """Totals over a group's provinces of population x a per-capita value: `potential` and
    `actual` are the per-capita series, their ratio the realisation rate."""

    population: NbsSeries
    potential: NbsSeries
    actual: NbsSeries
    recipe: str = Field(min_length=1, description="the formula, in words: starts every recipe")

    check_nbs = field_validator("population", "potential", "actual")(_nbs_series)

    @property
    def series(self) -> list[str]:
        return [self.population, self.potential, self.actual]


class _Derived(_Strict):
    id: Id
    label: Labels
    unit: str = Field(min_length=1)
    comment: str = Field(min_length=1)


class RegionShare(_Derived):
    """Each region's share (percent) of a by-province series, per year."""

    kind: Literal["region-share"]
    of: NbsSeries
    denominator: NbsSeries | None = Field(
        default=None,
        description="a national series; omitted: the sum of the provinces reporting that year",
    )

    check_nbs = field_validator("of", "denominator")(_nbs_optional)


class GroupTotal(_Derived):
    """The totals' potential (`group-potential`, divided by `divide_by`) or the realisation rate
    in percent (`group-realisation`) of each listed group, per year."""

    kind: Literal["group-potential", "group-realisation"]
    areas: list[Id] = Field(min_length=1, description="group ids")
    divide_by: float = Field(default=1.0, gt=0)


DerivedSeries = Annotated[RegionShare | GroupTotal, Field(discriminator="kind")]


# -- checks -------------------------------------------------------------------------------------


class _Check(_Strict):
    id: Id = Field(description="the check's id (its IRI fragment)")
    label: str = Field(min_length=1)
    inputs: list[NbsSeries] = Field(min_length=1, description="the NBS columns the check reads")
    scope: str = Field(min_length=1, description="which rows are used, as the inputs state it")
    charts: list[Id] = Field(default_factory=list, description="chart series of the inputs")
    unit: str

    check_nbs = field_validator("inputs")(_nbs_list)


class RegionalNumber(_Check):
    """A number of the paper from the totals: `regional-ratio` (potential of `region` / potential
    of `against`), `regional-rate` (realisation rate of `region`, percent), `regional-gap`
    (realisation rate of `region` minus that of `against`, points). Computed for the reference
    year (the latest year with data before the paper was received) and the main reading
    `against`; every year x reading is an alternative."""

    kind: Literal["regional-ratio", "regional-rate", "regional-gap"]
    statistic: Id
    claims: list[Id] = Field(default_factory=list)
    tolerance: float = Field(gt=0, description="|computed - paper| within this: close")
    region: Id
    against: Id = Field(description="the main reading (a rate only names it in the recipe)")
    readings: list[Id] = Field(
        default_factory=list, description="groups tried as alternatives, every year"
    )


class RegionalTrend(_Check):
    """The trend of the potential ratio `region` / `against` over every year with data."""

    kind: Literal["regional-ratio-trend"]
    claim: Id
    region: Id
    against: Id
    direction: Direction
    recipe: str = Field(min_length=1)
    note: str = Field(min_length=1, description="why the span is the one the data cover")


class Move(_Strict):
    region: Id
    direction: Direction


class ShareTrend(_Check):
    """Regions' shares move as stated over a span; `alternative`, a share of a national total,
    gives a second verdict."""

    kind: Literal["share-trend"]
    claim: Id
    shares: Id
    alternative: Id
    moves: list[Move] = Field(min_length=1)
    claimed: Span = Field(description="the span the text claims")
    span: Span | None = Field(default=None, description="the span checked (default: claimed)")
    recipe: str = Field(min_length=1, description="placeholders: {span}, {moves}")


class Seesaw(_Check):
    """Two regions' shares move in opposite directions year on year."""

    kind: Literal["seesaw"]
    claim: Id
    shares: Id
    regions: Annotated[list[Id], Field(min_length=2, max_length=2)]
    span: Span
    recipe: str = Field(min_length=1, description="placeholder: {step_share}")


class MultipleAfter(_Check):
    """A national series' value `window` years after `start`, as a multiple of its value at
    `start`: reproduced at `reproduced_at` or more, close at `close_at` or more."""

    kind: Literal["multiple-after"]
    claim: Id
    of: NbsSeries
    start: int
    window: int = Field(gt=0)
    reproduced_at: float = Field(gt=0)
    close_at: float = Field(gt=0)
    recipe: str = Field(min_length=1, description="placeholders: {column}, {start}, {end}")

    check_of = field_validator("of")(_nbs_series)


class MissingSource(_Strict):
    """A data source the check would need and nobody has here (listed as not loaded)."""

    id: Id = Field(description="its IRI segment under dataset/")
    label: Labels
    note: str = Field(min_length=1)


class NoPublicData(_Strict):
    """Evidence (a figure) no public data here can check: the recipe says what it would need."""

    kind: Literal["no-public-data"]
    id: Id
    label: str = Field(min_length=1)
    evidence: Id
    recipe: str = Field(min_length=1)
    note: str = Field(min_length=1)
    source: MissingSource | None = None


Check = Annotated[
    RegionalNumber | RegionalTrend | ShareTrend | Seesaw | MultipleAfter | NoPublicData,
    Field(discriminator="kind"),
]


class Rank(_Strict):
    """Every statistic with unit rank-from-bottom, one province and one year, is checked by
    ranking the provinces by `series` that year."""

    series: NbsSeries = "grp-index"
    label: str = Field(default="{year} real GRP growth rank of {area}", min_length=1)

    check_nbs = field_validator("series")(_nbs_series)


class Division(_Strict):
    """The paper's regional division: the regions whose quote lies in the passage `passage`."""

    passage: Id
    label: Labels


# -- charts (read by the viewer) ----------------------------------------------------------------


class SeriesChart(_Strict):
    """How the viewer charts one series: `province-bars` (one year's province values, the
    `highlight` provinces in red), `lines` (one line per area of `areas`) or `ratio` (the first
    area's values over the second's)."""

    series: Id = Field(description="a series id (an NBS column or a derived series)")
    draw: Literal["province-bars", "lines", "ratio"]
    title: Labels
    areas: list[Id] = Field(default_factory=list, description="lines: one per area; ratio: a / b")
    highlight: list[Id] = Field(default_factory=list, description="province-bars: drawn in red")
    year: str | None = Field(default=None, description="province-bars: the year shown")
    unit: Labels | None = Field(default=None, description="the axis unit, when not the series'")
    mark_year: str | None = Field(default=None, description="a year marked by a dashed line")
    mark_label: Labels | None = None
    paper_check: Id | None = Field(
        default=None, description="a check whose paper value is marked on the evidence page"
    )
    checks: list[Id] = Field(
        default_factory=list, description="checks beside which this chart comes first"
    )


class StatisticsChart(_Strict):
    """A bar chart of the statistics stated in the text, filtered by unit, section and area."""

    title: Labels
    units: list[str] = Field(min_length=1)
    section: Id | None = None
    area: Id | None = None
    axis_max: float | None = None
    mark: float | None = Field(default=None, description="a value marked by a line (e.g. 1)")


class Charts(_Strict):
    """What the viewer charts: `evidence` the series charted on the evidence page, in order;
    `series` how each series is drawn (the order is the preference beside a check);
    `statistics` the bar charts of the text's statistics."""

    evidence: list[Id] = Field(default_factory=list)
    series: list[SeriesChart] = Field(default_factory=list)
    statistics: list[StatisticsChart] = Field(default_factory=list)


class ChecksFile(_Strict):
    division: Division | None = None
    charts: Charts = Charts()
    rank: Rank = Rank()
    groups: list[Group] = Field(default_factory=list)
    totals: Totals | None = None
    derived: list[DerivedSeries] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)


PLACEHOLDERS: dict[str, set[str]] = {
    "share-trend": {"span", "moves"},
    "seesaw": {"step_share"},
    "multiple-after": {"column", "start", "end"},
    "rank": {"year", "area"},
}


# -- reading ------------------------------------------------------------------------------------


class Spec:
    """A parsed check file and where its values came from (for errors naming file and line)."""

    def __init__(self, data: ChecksFile, raw: Any = None, path: Path | None = None) -> None:
        self.data, self.raw, self.path = data, raw, path

    @classmethod
    def empty(cls) -> Spec:
        """The spec of a paper without a check file: generic checks only."""
        return cls(ChecksFile())

    def error(self, message: str, loc: tuple[int | str, ...], item: str | None = None) -> NoReturn:
        raise AnnotationError(
            message,
            file=self.path,
            line=line_of(self.raw, loc) if self.raw is not None else None,
            field=".".join(str(p) for p in loc) or None,
            item=item,
        )

    def group(self, gid: str) -> Group:
        return next(g for g in self.data.groups if g.id == gid)

    def derived(self, did: str) -> RegionShare | GroupTotal:
        return next(d for d in self.data.derived if d.id == did)


def read_spec(folder: Path) -> Spec:
    """The check spec of the corpus in `folder`; an empty spec when it has no check file."""
    path = Path(folder) / CHECKS_FILE
    if not path.exists():
        return Spec.empty()
    raw = load_yaml(path)
    if raw is None:
        raw = LineDict()
    data = validate_as(ChecksFile, raw, path, _KINDS)
    spec = Spec(data, raw, path)
    _check_charts(spec)
    return spec


def _check_charts(spec: Spec) -> None:
    """Every charted series is an NBS column or a derived series of the file, drawn once; the
    evidence page charts declared series only; `paper_check` and `checks` name checks."""
    charts = spec.data.charts
    series = set(BY_SERIES) | {d.id for d in spec.data.derived}
    checks = {c.id for c in spec.data.checks}
    drawn: set[str] = set()
    for i, chart in enumerate(charts.series):
        loc: tuple[int | str, ...] = ("charts", "series", i)
        if chart.series not in series:
            spec.error(f"unknown series {chart.series!r}", (*loc, "series"), chart.series)
        if chart.series in drawn:
            spec.error(f"series {chart.series!r} is charted twice", (*loc, "series"))
        drawn.add(chart.series)
        if chart.draw == "ratio" and len(chart.areas) != 2:
            spec.error("a ratio chart needs two areas (a / b)", (*loc, "areas"), chart.series)
        if chart.draw == "lines" and not chart.areas:
            spec.error("a lines chart needs at least one area", (*loc, "areas"), chart.series)
        for field_, ids in (("paper_check", [chart.paper_check]), ("checks", chart.checks)):
            for cid in ids:
                if cid is not None and cid not in checks:
                    spec.error(f"unknown check {cid!r}", (*loc, field_), chart.series)
    for i, sid in enumerate(charts.evidence):
        if sid not in drawn:
            spec.error(
                f"series {sid!r} has no entry under charts.series", ("charts", "evidence", i)
            )


_KINDS = {
    "region-share",
    "group-potential",
    "group-realisation",
    "regional-ratio",
    "regional-rate",
    "regional-gap",
    "regional-ratio-trend",
    "share-trend",
    "seesaw",
    "multiple-after",
    "no-public-data",
}


def placeholders(text: str) -> set[str]:
    """The `{name}` fields of a recipe or label template."""
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}
