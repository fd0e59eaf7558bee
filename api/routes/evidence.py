"""/api/evidence and /api/statistics: what the paper offers in support, and its numbers."""

from __future__ import annotations

from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Query

from api.deps import StoreDep
from api.models import EvidenceOut, Labels, Page, StatisticOut
from api.routes.papers import ItemPaperPrefixDep, PaperFilterDep
from graph import repo
from graph.namespaces import ARG, SDMX_DIM, SDMX_MEASURE
from graph.store import Store

router = APIRouter(prefix="/api", tags=["evidence"])


def _section(n: repo.Node) -> str | None:
    s = n.first(str(ARG.section))
    return repo.short_id(s) if s else None


def list_evidence(store: Store, q: str | None) -> list[EvidenceOut]:
    nodes = repo.nodes_of_class(store, str(ARG.Evidence))
    nodes = {i: n for i, n in nodes.items() if "Statistic" not in n.types()}
    targets = {
        t
        for n in nodes.values()
        for p in (str(ARG.supports), str(ARG.hasStatistic))
        for t in n.values(p)
    }
    labels = repo.labels_of(store, targets)
    return [
        EvidenceOut(
            id=repo.short_id(n.iri),
            iri=n.iri,
            label=n.labels(),
            types=n.types(),
            section=_section(n),
            quote=n.first(str(ARG.quote)),
            supports=[repo.ref(t, labels) for t in n.values(str(ARG.supports))],
            statistics=[repo.ref(t, labels) for t in n.values(str(ARG.hasStatistic))],
        )
        for n in nodes.values()
        if repo.matches(n.text(), q)
    ]


def list_statistics(store: Store, q: str | None) -> list[StatisticOut]:
    nodes = repo.nodes_of_class(store, str(ARG.Statistic))
    targets = {
        t
        for n in nodes.values()
        for p in (str(ARG.supports), str(SDMX_DIM.refArea))
        for t in n.values(p)
    }
    labels = repo.labels_of(store, targets)
    out = []
    for n in nodes.values():
        if not repo.matches(n.text(), q):
            continue
        value = n.first(str(SDMX_MEASURE.obsValue))
        out.append(
            StatisticOut(
                id=repo.short_id(n.iri),
                iri=n.iri,
                label=n.labels(),
                types=n.types(),
                section=_section(n),
                quote=n.first(str(ARG.quote)),
                measure=Labels(
                    zh=n.lang(str(ARG.measure), "zh"), en=n.lang(str(ARG.measure), "en")
                ),
                value=float(value) if value is not None else None,
                value_text=n.first(str(ARG.valueText)),
                unit=n.first(str(ARG.unit)),
                period=n.first(str(SDMX_DIM.refPeriod)),
                area=[repo.ref(t, labels) for t in n.values(str(SDMX_DIM.refArea))],
                supports=[repo.ref(t, labels) for t in n.values(str(ARG.supports))],
            )
        )
    return out


Q = Annotated[str | None, Query(min_length=1, description="text in zh or en")]
Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0)]


@router.get("/evidence", response_model=Page[EvidenceOut], summary="Evidence (not statistics)")
async def evidence(
    store: StoreDep, only: PaperFilterDep, q: Q = None, limit: Limit = 100, offset: Offset = 0
) -> Page[EvidenceOut]:
    items = await anyio.to_thread.run_sync(list_evidence, store, q)
    items = [i for i in items if only is None or i.iri.startswith(only)]
    return Page[EvidenceOut](data=items[offset : offset + limit], count=len(items))


@router.get("/evidence/{item_id}", response_model=EvidenceOut, summary="One piece of evidence")
async def evidence_one(item_id: str, store: StoreDep, prefix: ItemPaperPrefixDep) -> EvidenceOut:
    items = await anyio.to_thread.run_sync(list_evidence, store, None)
    return repo.pick(items, prefix + item_id, "evidence", item_id)


@router.get("/statistics", response_model=Page[StatisticOut], summary="Statistics in the text")
async def statistics(
    store: StoreDep, only: PaperFilterDep, q: Q = None, limit: Limit = 100, offset: Offset = 0
) -> Page[StatisticOut]:
    items = await anyio.to_thread.run_sync(list_statistics, store, q)
    items = [i for i in items if only is None or i.iri.startswith(only)]
    return Page[StatisticOut](data=items[offset : offset + limit], count=len(items))


@router.get("/statistics/{item_id}", response_model=StatisticOut, summary="One statistic")
async def statistic(item_id: str, store: StoreDep, prefix: ItemPaperPrefixDep) -> StatisticOut:
    items = await anyio.to_thread.run_sync(list_statistics, store, None)
    return repo.pick(items, prefix + item_id, "statistic", item_id)
