"""Every id of a paper's check spec checked against its corpus and region map.

An id the annotations do not define (or define as another type) is an AnnotationError naming
the check file, the line and the field, so that renaming an item in the annotations without its
checks fails the build instead of silently dropping a check.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel

from graph.data.check_spec import (
    PLACEHOLDERS,
    MultipleAfter,
    NoPublicData,
    RegionalNumber,
    RegionalTrend,
    RegionShare,
    Seesaw,
    ShareTrend,
    Spec,
    placeholders,
)
from graph.data.regions import RegionMap
from ingest.corpus import Corpus
from ingest.models import Claim, Entity, Evidence, Statistic
from ingest.nbs import BY_SERIES

Loc = tuple[int | str, ...]


def validate_spec(spec: Spec, corpus: Corpus, rmap: RegionMap) -> None:
    """Raise on the first id of `spec` that does not resolve (see the module docstring)."""
    _Refs(spec, corpus, rmap).run()


class _Refs:
    def __init__(self, spec: Spec, corpus: Corpus, rmap: RegionMap) -> None:
        self.spec, self.corpus, self.rmap = spec, corpus, rmap
        self.data = spec.data
        self.groups = {g.id for g in self.data.groups}
        self.derived = {d.id: d for d in self.data.derived}

    def run(self) -> None:
        d = self.data
        self.unique("groups", [g.id for g in d.groups])
        self.unique("derived", [s.id for s in d.derived])
        self.unique("checks", [c.id for c in d.checks])
        self.template(d.rank.label, ("rank", "label"), "rank", None)
        regions = {r.id for r in self.rmap.regions}
        for i, g in enumerate(d.groups):
            self.item(g.id, Entity, ("groups", i, "id"), g.id)
            for j, m in enumerate(g.members):
                if m not in regions and m not in self.rmap.provinces:
                    self.spec.error(
                        f"{m!r} is neither a region of the division nor a province with an ISO "
                        "code",
                        ("groups", i, "members", j),
                        g.id,
                    )
        for i, s in enumerate(d.derived):
            if isinstance(s, RegionShare):
                if s.denominator and not BY_SERIES[s.denominator].national:
                    self.spec.error(
                        "a share's denominator must be a national series",
                        ("derived", i, "denominator"),
                        s.id,
                    )
                continue
            self.need_totals(("derived", i, "kind"), s.id)
            for j, a in enumerate(s.areas):
                self.group(a, ("derived", i, "areas", j), s.id)
        for i, c in enumerate(d.checks):
            self.check(c, ("checks", i))

    def check(self, c: BaseModel, loc: Loc) -> None:
        cid = getattr(c, "id", None)
        for name, cls in (("claim", Claim), ("statistic", Statistic), ("evidence", Evidence)):
            value = getattr(c, name, None)
            if isinstance(value, str):
                self.item(value, cls, (*loc, name), cid)
        for j, claim in enumerate(getattr(c, "claims", [])):
            self.item(claim, Claim, (*loc, "claims", j), cid)
        known_charts = set(BY_SERIES) | set(self.derived)
        for j, chart in enumerate(getattr(c, "charts", [])):
            if chart not in known_charts:
                self.spec.error(
                    f"unknown chart series {chart!r} (an NBS series or a derived series)",
                    (*loc, "charts", j),
                    cid,
                )
        if isinstance(c, RegionalNumber | RegionalTrend):
            self.need_totals((*loc, "kind"), cid)
            self.group(c.region, (*loc, "region"), cid)
            self.group(c.against, (*loc, "against"), cid)
            assert self.data.totals is not None
            self.inputs(c.inputs, self.data.totals.series, loc, cid)
        if isinstance(c, RegionalNumber):
            for j, g in enumerate(c.readings):
                self.group(g, (*loc, "readings", j), cid)
        if isinstance(c, ShareTrend | Seesaw):
            shares = self.share(c.shares, (*loc, "shares"), cid)
            self.inputs(c.inputs, [shares.of], loc, cid)
            regions = [m.region for m in c.moves] if isinstance(c, ShareTrend) else c.regions
            field = "moves" if isinstance(c, ShareTrend) else "regions"
            for j, r in enumerate(regions):
                if r not in {x.id for x in self.rmap.regions}:
                    where: Loc = (
                        (*loc, field, j, "region") if field == "moves" else (*loc, field, j)
                    )
                    self.spec.error(f"{r!r} is not a region of the division", where, cid)
        if isinstance(c, ShareTrend):
            alt = self.share(c.alternative, (*loc, "alternative"), cid)
            if alt.denominator is None:
                self.spec.error(
                    "the alternative must be a share of a national total",
                    (*loc, "alternative"),
                    cid,
                )
            self.inputs(c.inputs, [alt.of, alt.denominator], loc, cid)
        if isinstance(c, MultipleAfter):
            if not BY_SERIES[c.of].national:
                self.spec.error("not a national series", (*loc, "of"), cid)
            self.inputs(c.inputs, [c.of], loc, cid)
        if not isinstance(c, NoPublicData | RegionalNumber | RegionalTrend):
            kind = getattr(c, "kind", "")
            self.template(getattr(c, "recipe", ""), (*loc, "recipe"), kind, cid)

    # -- helpers ---------------------------------------------------------------------------------

    def unique(self, key: str, ids: list[str]) -> None:
        seen: set[str] = set()
        for i, x in enumerate(ids):
            if x in seen:
                self.spec.error(f"duplicate id {x!r}", (key, i, "id"), x)
            seen.add(x)

    def item(self, item_id: str, cls: type[BaseModel], loc: Loc, cid: str | None) -> None:
        found = self.corpus.items.get(item_id)
        if found is None:
            self.spec.error(f"unknown id {item_id!r} (not an item of the corpus)", loc, cid)
        if not isinstance(found, cls):
            kind = getattr(found, "type", type(found).__name__.lower())
            expected = cls.__name__.lower()
            self.spec.error(f"{item_id!r} is a {kind}, expected a {expected}", loc, cid)

    def group(self, gid: str, loc: Loc, cid: str | None) -> None:
        if gid not in self.groups:
            self.spec.error(f"unknown group {gid!r} (groups are listed under 'groups')", loc, cid)

    def share(self, did: str, loc: Loc, cid: str | None) -> RegionShare:
        found = self.derived.get(did)
        if not isinstance(found, RegionShare):
            self.spec.error(f"{did!r} is not a region-share series under 'derived'", loc, cid)
        return found

    def need_totals(self, loc: Loc, cid: str | None) -> None:
        if self.data.totals is None:
            self.spec.error("this kind needs the 'totals' block", loc, cid)

    def inputs(
        self, given: list[str], needed: Iterable[str | None], loc: Loc, cid: str | None
    ) -> None:
        missing = [s for s in needed if s is not None and s not in given]
        if missing:
            self.spec.error(
                f"inputs must list the series the check reads: {', '.join(missing)}",
                (*loc, "inputs"),
                cid,
            )

    def template(self, text: str, loc: Loc, kind: str, cid: str | None) -> None:
        allowed = PLACEHOLDERS.get(kind, set())
        try:
            names = placeholders(text)
        except ValueError as exc:
            self.spec.error(f"not a valid template: {exc}", loc, cid)
        unknown = sorted(names - allowed)
        if unknown:
            known = ", ".join("{" + n + "}" for n in sorted(allowed)) or "none"
            self.spec.error(f"unknown placeholder(s) {unknown} (allowed: {known})", loc, cid)
