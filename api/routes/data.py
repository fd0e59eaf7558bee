"""/api/data/...: public data series (JSON and CSV), claim checks, what is loaded, the region map.

Series and checks are read from the store (graphs `data-nbs` and `data-checks`, written by
`graph/data`); the province boundaries are read at request time from the data folder.
"""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any, Literal

import anyio.to_thread
from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.deps import SettingsDep, StoreDep
from api.models import ItemRef, Labels, Page
from api.routes.papers import ItemPaperPrefixDep, PaperFilterDep
from errors import NotFound
from graph import repo
from graph.data.regions import GEOJSON, MapRow, read_geojson, tag_features
from graph.namespaces import ARG, QB, SDMX_DIM, SDMX_MEASURE
from graph.store import Store

router = APIRouter(prefix="/api", tags=["data"])

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
DCT_SOURCE = "http://purl.org/dc/terms/source"
A = f"<{ARG}"


# -- models --------------------------------------------------------------------------------------


class SeriesOut(BaseModel):
    id: str
    iri: str
    label: Labels
    unit: str | None = None
    derived: bool
    comment: str | None = None
    source_file: str | None = Field(default=None, description="table file, for read series")
    source_column: str | None = None
    derived_from: list[str] = Field(default_factory=list, description="ids of input series")
    count: int = Field(description="number of observations")
    areas: list[ItemRef]
    first_period: str | None = None
    last_period: str | None = None


class ObservationOut(BaseModel):
    area: str
    area_label: Labels
    period: str
    value: float
    source_file: str | None = None
    source_row: int | None = None
    note: str | None = None


class SeriesData(BaseModel):
    series: SeriesOut
    data: list[ObservationOut]
    count: int


class CheckInputOut(BaseModel):
    file: str
    column: str
    scope: str | None = None


class AlternativeOut(BaseModel):
    label: str
    value: float | None = None
    verdict: str | None = None


class CheckOut(BaseModel):
    id: str
    iri: str
    label: str | None
    claims: list[ItemRef]
    statistics: list[ItemRef]
    recipe: str | None
    inputs: list[CheckInputOut]
    computed: float | None = None
    computed_text: str | None = None
    paper_value: float | None = None
    paper_text: str | None = None
    unit: str | None = None
    verdict: str = Field(description="reproduced | close | differs | not-checkable")
    notes: list[str]
    alternatives: list[AlternativeOut]
    series: list[str] = Field(description="ids of the series to chart beside the check")


class SourceOut(BaseModel):
    id: str
    iri: str
    label: Labels
    loaded: bool
    note: str | None = None
    missing_files: list[str]
    series: list[str]


class DataStatus(BaseModel):
    loaded: bool = Field(description="whether the public tables were loaded by the build")
    sources: list[SourceOut]
    series: int
    checks: dict[str, int] = Field(description="number of checks by verdict")
    geojson: bool = Field(description="whether the province boundaries are in the data folder")
    messages: list[str] = Field(description="what is missing, in words, for the viewer")


# -- reading -------------------------------------------------------------------------------------

_VERDICT = {
    "Reproduced": "reproduced",
    "Close": "close",
    "Differs": "differs",
    "NotCheckable": "not-checkable",
}


def _verdict(value: str | None) -> str | None:
    return _VERDICT.get(value.removeprefix(str(ARG))) if value else None


def _float(value: str | None) -> float | None:
    return float(value) if value is not None else None


def _series_nodes(store: Store) -> dict[str, repo.Node]:
    nodes = repo.nodes_of_class(store, str(ARG.DataSeries))
    return {n.first(str(ARG.seriesId)) or repo.short_id(i): n for i, n in nodes.items()}


def _series_extent(store: Store) -> dict[str, tuple[int, list[str], str | None, str | None]]:
    rows = repo.select(
        store,
        f"""
        SELECT ?ds (COUNT(?o) AS ?n) (MIN(STR(?p)) AS ?first) (MAX(STR(?p)) AS ?last)
               (GROUP_CONCAT(DISTINCT STR(?area); separator=" ") AS ?areas)
        WHERE {{ ?o <{QB.dataSet}> ?ds ; <{SDMX_DIM.refArea}> ?area ; <{SDMX_DIM.refPeriod}> ?p .
                 ?ds a {A}DataSeries> }} GROUP BY ?ds""",
    )
    out = {}
    for r in rows:
        areas = sorted(set(r["areas"].value.split())) if "areas" in r else []
        out[r["ds"].value] = (
            int(r["n"].value),
            areas,
            r["first"].value if "first" in r else None,
            r["last"].value if "last" in r else None,
        )
    return out


def _paths(store: Store) -> dict[str, str]:
    rows = repo.select(store, f"SELECT ?f ?path WHERE {{ ?f a {A}DataFile> ; {A}path> ?path }}")
    return {r["f"].value: r["path"].value for r in rows}


def list_series(store: Store) -> list[SeriesOut]:
    nodes = _series_nodes(store)
    extent = _series_extent(store)
    ids = {n.iri: sid for sid, n in nodes.items()}
    all_areas = {a for e in extent.values() for a in e[1]}
    labels = repo.labels_of(store, all_areas)
    files = _paths(store)
    out = []
    for sid, n in sorted(nodes.items()):
        count, areas, first, last = extent.get(n.iri, (0, [], None, None))
        source = n.first(DCT_SOURCE)
        derived = n.first(str(ARG.derived)) == "true"
        out.append(
            SeriesOut(
                id=sid,
                iri=n.iri,
                label=n.labels(),
                unit=n.first(str(ARG.unit)),
                derived=derived,
                comment=n.lang(RDFS_COMMENT, "en"),
                source_file=files.get(source) if source else None,
                source_column=n.first(str(ARG.sourceColumn)),
                derived_from=sorted(ids[d] for d in n.values(PROV_DERIVED) if d in ids),
                count=count,
                areas=[repo.ref(a, labels) for a in areas],
                first_period=first,
                last_period=last,
            )
        )
    return out


def series_data(store: Store, series_id: str, area: str | None) -> SeriesData:
    found = {s.id: s for s in list_series(store)}
    if series_id not in found:
        raise NotFound(
            f"no data series {series_id!r} (is the data loaded? see /api/data/status)", id=series_id
        )
    series = found[series_id]
    rows = repo.select(
        store,
        f"""
        SELECT ?area ?period ?value ?file ?row ?note WHERE {{
          ?o <{QB.dataSet}> {repo.iri(series.iri)} ; <{SDMX_DIM.refArea}> ?area ;
             <{SDMX_DIM.refPeriod}> ?period ; <{SDMX_MEASURE.obsValue}> ?value .
          OPTIONAL {{ ?o {A}sourceRow> ?row ; <{PROV_DERIVED}> ?f . ?f {A}path> ?file }}
          OPTIONAL {{ ?o {A}note> ?note }}
        }} ORDER BY ?area ?period""",
    )
    labels = repo.labels_of(store, {r["area"].value for r in rows})
    data = []
    for r in rows:
        aid = repo.short_id(r["area"].value)
        if area is not None and aid != area:
            continue
        data.append(
            ObservationOut(
                area=aid,
                area_label=labels.get(r["area"].value, Labels()),
                period=r["period"].value,
                value=float(r["value"].value),
                source_file=r["file"].value if "file" in r else None,
                source_row=int(r["row"].value) if "row" in r else None,
                note=r["note"].value if "note" in r else None,
            )
        )
    return SeriesData(series=series, data=data, count=len(data))


def list_checks(store: Store) -> list[CheckOut]:
    checks = repo.nodes_of_class(store, str(ARG.ClaimCheck))
    inputs = repo.nodes_of_class(store, str(ARG.CheckInput))
    alts = repo.nodes_of_class(store, str(ARG.CheckAlternative))
    series = {n.iri: sid for sid, n in _series_nodes(store).items()}
    targets = {
        t
        for n in checks.values()
        for p in (str(ARG.checksClaim), str(ARG.checksStatistic))
        for t in n.values(p)
    }
    labels = repo.labels_of(store, targets)
    out = []
    for n in checks.values():
        ins = sorted(
            (inputs[i] for i in n.values(str(ARG.input)) if i in inputs),
            key=lambda x: int(x.first(str(ARG.order)) or 0),
        )
        alt_nodes = sorted(
            (alts[i] for i in n.values(str(ARG.alternative)) if i in alts),
            key=lambda x: int(x.first(str(ARG.order)) or 0),
        )
        out.append(
            CheckOut(
                id=n.first(str(ARG.checkId)) or n.iri,
                iri=n.iri,
                label=n.lang(RDFS_LABEL, "en"),
                claims=[repo.ref(t, labels) for t in n.values(str(ARG.checksClaim))],
                statistics=[repo.ref(t, labels) for t in n.values(str(ARG.checksStatistic))],
                recipe=n.first(str(ARG.recipe)),
                inputs=[
                    CheckInputOut(
                        file=i.first(str(ARG.path)) or "",
                        column=i.first(str(ARG.sourceColumn)) or "",
                        scope=i.first(str(ARG.scope)),
                    )
                    for i in ins
                ],
                computed=_float(n.first(str(ARG.computedValue))),
                computed_text=n.first(str(ARG.computedText)),
                paper_value=_float(n.first(str(ARG.paperValue))),
                paper_text=n.first(str(ARG.paperText)),
                unit=n.first(str(ARG.unit)),
                verdict=_verdict(n.first(str(ARG.checkVerdict))) or "not-checkable",
                notes=n.values(str(ARG.note)),
                alternatives=[
                    AlternativeOut(
                        label=a.lang(RDFS_LABEL, "en") or "",
                        value=_float(a.first(str(ARG.computedValue))),
                        verdict=_verdict(a.first(str(ARG.checkVerdict))),
                    )
                    for a in alt_nodes
                ],
                series=sorted(series[s] for s in n.values(str(ARG.series)) if s in series),
            )
        )
    return sorted(out, key=lambda c: int(checks[c.iri].first(str(ARG.order)) or 0))


def status(store: Store, geojson: bool) -> DataStatus:
    nodes = repo.nodes_of_class(store, str(ARG.DataSource))
    series = {n.iri: sid for sid, n in _series_nodes(store).items()}
    sources = [
        SourceOut(
            id=repo.short_id(n.iri),
            iri=n.iri,
            label=n.labels(),
            loaded=n.first(str(ARG.loaded)) == "true",
            note=n.lang(str(ARG.note), "en"),
            missing_files=n.values(str(ARG.missingFile)),
            series=sorted(series[s] for s in n.values(str(ARG.series)) if s in series),
        )
        for n in nodes.values()
    ]
    counts: dict[str, int] = {v: 0 for v in _VERDICT.values()}
    for c in list_checks(store):
        counts[c.verdict] += 1
    messages = [
        f"{s.label.en or s.id}: not loaded. {s.note or ''}".strip() for s in sources if not s.loaded
    ]
    messages += [
        f"{s.label.en or s.id}: missing file {m}"
        for s in sources
        for m in s.missing_files
        if s.loaded
    ]
    if not geojson:
        messages.append(f"province boundaries not found ({GEOJSON} under the data folder): no map")
    if not sources:
        messages.append("the build wrote no data graph (built without graph/data)")
    return DataStatus(
        loaded=any(s.loaded and s.series for s in sources),
        sources=sources,
        series=len(series),
        checks=counts,
        geojson=geojson,
        messages=messages,
    )


def map_rows(store: Store) -> list[MapRow]:
    rows = repo.select(
        store,
        f"""
        SELECT ?adcode ?p ?pzh ?pen ?r ?rzh ?ren WHERE {{
          ?division a {A}RegionDivision> ; {A}hasRegion> ?r .
          ?r {A}member> ?p . ?p {A}adcode> ?adcode .
          OPTIONAL {{ ?p <{RDFS_LABEL}> ?pzh FILTER(lang(?pzh) = "zh") }}
          OPTIONAL {{ ?p <{RDFS_LABEL}> ?pen FILTER(lang(?pen) = "en") }}
          OPTIONAL {{ ?r <{RDFS_LABEL}> ?rzh FILTER(lang(?rzh) = "zh") }}
          OPTIONAL {{ ?r <{RDFS_LABEL}> ?ren FILTER(lang(?ren) = "en") }}
        }} ORDER BY ?adcode""",
    )

    def v(r: dict[str, Any], k: str) -> str | None:
        return r[k].value if k in r else None

    return [
        MapRow(
            r["adcode"].value,
            repo.short_id(r["p"].value),
            v(r, "pzh"),
            v(r, "pen"),
            repo.short_id(r["r"].value),
            v(r, "rzh"),
            v(r, "ren"),
        )
        for r in rows
    ]


# -- routes --------------------------------------------------------------------------------------

Fmt = Annotated[Literal["json", "csv"], Query(description="json (default) or csv")]


@router.get("/data/status", response_model=DataStatus, summary="Which public data is loaded")
async def data_status(store: StoreDep, settings: SettingsDep) -> DataStatus:
    doc = settings.data_dir is not None and (settings.data_dir / GEOJSON).is_file()
    return await anyio.to_thread.run_sync(status, store, doc)


@router.get("/data/series", response_model=Page[SeriesOut], summary="Data series (charts)")
async def series_list(store: StoreDep) -> Page[SeriesOut]:
    items = await anyio.to_thread.run_sync(list_series, store)
    return Page[SeriesOut](data=items, count=len(items))


@router.get(
    "/data/series/{series_id}",
    response_model=SeriesData,
    summary="One series' observations, as JSON or CSV",
    responses={200: {"content": {"text/csv": {}}}},
)
async def series_one(
    store: StoreDep,
    series_id: str,
    format: Fmt = "json",
    area: Annotated[str | None, Query(description="entity id")] = None,
) -> Any:
    result = await anyio.to_thread.run_sync(series_data, store, series_id, area)
    if format == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(
            [
                "series",
                "area",
                "area_zh",
                "area_en",
                "period",
                "value",
                "unit",
                "source_file",
                "source_row",
                "note",
            ]
        )
        for o in result.data:
            w.writerow(
                [
                    series_id,
                    o.area,
                    o.area_label.zh or "",
                    o.area_label.en or "",
                    o.period,
                    repr(o.value),
                    result.series.unit or "",
                    o.source_file or "",
                    o.source_row if o.source_row is not None else "",
                    o.note or "",
                ]
            )
        return Response(
            buf.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{series_id}.csv"'},
        )
    return result


@router.get("/data/checks", response_model=Page[CheckOut], summary="Claim checks")
async def checks(
    store: StoreDep,
    only: PaperFilterDep,
    verdict: Annotated[
        Literal["reproduced", "close", "differs", "not-checkable"] | None, Query()
    ] = None,
) -> Page[CheckOut]:
    items = await anyio.to_thread.run_sync(list_checks, store)
    items = [
        c
        for c in items
        if (verdict is None or c.verdict == verdict) and (only is None or c.iri.startswith(only))
    ]
    return Page[CheckOut](data=items, count=len(items))


@router.get("/data/checks/{check_id}", response_model=CheckOut, summary="One claim check")
async def check_one(store: StoreDep, only: PaperFilterDep, check_id: str) -> CheckOut:
    """The check with this id: of the paper `paper` names, else the first paper that has it."""
    for c in await anyio.to_thread.run_sync(list_checks, store):
        if c.id == check_id and (only is None or c.iri.startswith(only)):
            return c
    raise NotFound(f"no claim check {check_id!r}", id=check_id)


@router.get(
    "/claims/{claim_id}/checks",
    response_model=Page[CheckOut],
    summary="The checks of one claim or statistic",
)
async def claim_checks(
    store: StoreDep, prefix: ItemPaperPrefixDep, claim_id: str
) -> Page[CheckOut]:
    target = prefix + claim_id
    items = [
        c
        for c in await anyio.to_thread.run_sync(list_checks, store)
        if any(r.iri == target for r in (*c.claims, *c.statistics))
    ]
    return Page[CheckOut](data=items, count=len(items))


@router.get("/data/regions", summary="The paper's eight regions and their provinces")
async def regions(store: StoreDep) -> list[dict[str, Any]]:
    rows = await anyio.to_thread.run_sync(map_rows, store)
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        reg = out.setdefault(
            r.region,
            {"id": r.region, "label": {"zh": r.region_zh, "en": r.region_en}, "provinces": []},
        )
        reg["provinces"].append(
            {
                "id": r.province,
                "adcode": r.adcode,
                "label": {"zh": r.province_zh, "en": r.province_en},
            }
        )
    return sorted(out.values(), key=lambda x: str(x["id"]))


@router.get(
    "/data/regions.geojson",
    summary="Province boundaries tagged with their region",
    responses={200: {"content": {"application/geo+json": {}}}},
)
async def regions_geojson(store: StoreDep, settings: SettingsDep) -> JSONResponse:
    doc = await anyio.to_thread.run_sync(read_geojson, settings.data_dir)
    if doc is None:
        raise NotFound(
            f"no province boundaries: {GEOJSON} is not in the data folder ({settings.data_dir})",
            file=str(GEOJSON),
        )
    rows = await anyio.to_thread.run_sync(map_rows, store)
    return JSONResponse(tag_features(doc, rows), media_type="application/geo+json")
