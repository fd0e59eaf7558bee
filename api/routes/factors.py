"""/api/factors: the factors of the causal model, with their direct causes and effects."""

from __future__ import annotations

from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Query

from api.deps import StoreDep
from api.models import FactorDetail, Page
from api.routes.papers import ItemPaperPrefixDep, PaperFilterDep
from errors import NotFound
from graph import repo
from graph.namespaces import ARG, CAUSALLY_UPSTREAM_OF
from graph.store import Store

router = APIRouter(prefix="/api/factors", tags=["factors"])
SKOS_BROADER = "http://www.w3.org/2004/02/skos/core#broader"


def list_factors(store: Store, q: str | None) -> list[FactorDetail]:
    nodes = repo.nodes_of_class(store, str(ARG.Factor))
    rows = repo.select(
        store,
        f"""SELECT ?c ?e WHERE {{
        ?c <{CAUSALLY_UPSTREAM_OF}> ?e . ?c a <{ARG.Factor}> . ?e a <{ARG.Factor}> }}""",
    )
    causes: dict[str, set[str]] = {}
    caused_by: dict[str, set[str]] = {}
    for r in rows:
        causes.setdefault(r["c"].value, set()).add(r["e"].value)
        caused_by.setdefault(r["e"].value, set()).add(r["c"].value)
    labels = {i: n.labels() for i, n in nodes.items()}
    extra = {b for n in nodes.values() for b in n.values(SKOS_BROADER)} - set(labels)
    labels |= repo.labels_of(store, extra)
    out = []
    for n in nodes.values():
        if not repo.matches(n.text(), q):
            continue
        section = n.first(str(ARG.section))
        out.append(
            FactorDetail(
                id=repo.short_id(n.iri),
                iri=n.iri,
                label=n.labels(),
                types=n.types(),
                section=repo.short_id(section) if section else None,
                quote=n.first(str(ARG.quote)),
                broader=[repo.ref(b, labels) for b in n.values(SKOS_BROADER)],
                causes=[repo.ref(e, labels) for e in sorted(causes.get(n.iri, ()))],
                caused_by=[repo.ref(c, labels) for c in sorted(caused_by.get(n.iri, ()))],
            )
        )
    return out


@router.get("", response_model=Page[FactorDetail], summary="Factors")
async def factors(
    store: StoreDep,
    only: PaperFilterDep,
    q: Annotated[str | None, Query(min_length=1, description="text in zh or en")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Page[FactorDetail]:
    items = await anyio.to_thread.run_sync(list_factors, store, q)
    items = [i for i in items if only is None or i.iri.startswith(only)]
    return Page[FactorDetail](data=items[offset : offset + limit], count=len(items))


@router.get("/{factor_id}", response_model=FactorDetail, summary="One factor")
async def factor(factor_id: str, store: StoreDep, prefix: ItemPaperPrefixDep) -> FactorDetail:
    items = await anyio.to_thread.run_sync(list_factors, store, None)
    for item in items:
        if item.iri == prefix + factor_id:
            return item
    raise NotFound(f"no factor {factor_id!r}", id=factor_id)
